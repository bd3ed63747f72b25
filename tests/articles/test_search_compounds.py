"""Dutch compounds: a search for a part finds the compound ("verzekeraar" → "zorgverzekeraar"),
the same on SQLite and PostgreSQL (this file runs on both in CI)."""

from __future__ import annotations

import pytest

from podium.articles import search
from podium.articles.models import Article
from podium.articles.search import compounds

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED

# (what a reader types, the compound an article holds)
PAIRS = [
    ("verzekeraar", "zorgverzekeraar"),
    ("pensioen", "pensioenfonds"),
    ("fonds", "pensioenfondsen"),
    ("markt", "arbeidsmarkt"),
    ("beleid", "klimaatbeleid"),
    ("huis", "ziekenhuizen"),
    ("opvang", "kinderopvang"),
    ("jeugd", "jeugdzorg"),
    ("leider", "projectleider"),
    ("dienst", "belastingdienst"),
    ("aanval", "cyberaanval"),
    ("transitie", "energietransitie"),
    ("akkoord", "pensioenakkoord"),
    ("beheer", "risicobeheer"),
    ("tekort", "personeelstekort"),
    ("kosten", "loonkosten"),
    ("instelling", "onderwijsinstelling"),
    ("verband", "samenwerkingsverband"),
    ("service", "klantenservice"),
    ("woning", "huurwoning"),
    ("organisatie", "werkgeversorganisatie"),
    ("verlener", "zorgverlener"),
    ("stijl", "leiderschapsstijl"),
    ("thuis", "thuiswerken"),
    ("proces", "inkoopproces"),
    ("beveiliging", "informatiebeveiliging"),
    ("bond", "vakbond"),
]


def test_the_dutch_word_list_is_installed():
    assert compounds.is_available(), (
        f"no Dutch word list at {compounds.wordlist_path()}: apt-get install hunspell-nl "
        "(scripts/system-packages)"
    )


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("zorgverzekeraar", ("zorg", "verzekeraar")),
        ("ziekenhuis", ("zieken", "huis")),  # not "zie" + "kenhuis"
        ("arbeidsmarktbeleid", ("arbeids", "markt", "beleid")),
        ("kinderopvang", ("kinder", "opvang")),
        # Hyphenation keeps these whole although "best"/"uur", "kant"/"oor" are words:
        ("bestuur", ()),
        ("kantoor", ()),
        # Particles and derivational endings are not parts:
        ("overleg", ()),
        ("persoonlijk", ()),
        ("verzekeraar", ()),
    ],
)
def test_compounds_split_into_words(word, parts):
    assert compounds.split(word) == parts


def test_a_part_finds_the_compound(make_article, contributor, topics):
    articles = {
        compound: make_article(
            contributor,
            P,
            title=f"Bericht nummer {n}",
            lead="Een korte inleiding.",
            body=f"<p>Het gaat vandaag over {compound}.</p>",
            topics=topics[1:2],  # "Financiën" (the default, "Arbeidsmarkt", holds "markt")
        )
        for n, (_, compound) in enumerate(PAIRS)
    }
    assert len(PAIRS) >= 20
    for word, compound in PAIRS:
        titles = [hit.article.title for hit in search.search(word)[:100]]
        assert articles[compound].title in titles, f"{word!r} does not find {compound!r}"
        assert len(titles) < len(PAIRS), f"{word!r} finds everything"


def test_words_that_only_look_like_parts_do_not_find(make_article, contributor):
    make_article(
        contributor,
        P,
        title="Een nieuw bestuur",
        lead="Het kantoor en het overleg.",
        body="<p>Heel persoonlijk.</p>",
    )
    for word in ["best", "uur", "kant", "leg", "lijk"]:
        assert not search.search(word).count(), word


def test_snippet_marks_the_compound(make_article, contributor):
    make_article(
        contributor,
        P,
        title="Premies",
        lead="Een korte inleiding.",
        body="<p>De zorgverzekeraar verhoogt de premie.</p>",
    )
    [hit] = search.search("verzekeraar")[:1]
    assert "<mark>zorgverzekeraar</mark>" in hit.snippet
