"""Search: Dutch matching, ranking, the index kept in step with the article's life, and queries
that must never break. The same tests run on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from podium.articles import related, search, services
from podium.articles.models import Article, RelatedArticle
from podium.articles.related import related_article_ids, similar_article_ids
from podium.articles.services import ArticleText
from podium.delivery.reads import related_articles

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED


def found(query: str, **filters: object) -> list[str]:
    return [hit.article.title for hit in search.search(query, search.Filters(**filters))[:50]]


@pytest.fixture
def corpus(make_article, contributor, other_contributor, topics):
    body = "<p>{}</p><h2>Wat nu?</h2><p>Een verhaal over teams en organisaties in Nederland.</p>"
    return {
        "samenwerking": make_article(
            contributor,
            P,
            title="Over de grenzen van de afdeling",
            lead="Goede samenwerking begint bij vertrouwen.",
            body=body.format("Zo werkt het."),
        ),
        "samengewerkt": make_article(
            contributor,
            P,
            title="Terugblik op een lastig jaar",
            lead="Wat ik leerde van een fusie.",
            body=body.format("Nooit eerder werd er zo intensief samengewerkt als toen."),
        ),
        "leveranciers": make_article(
            other_contributor,
            P,
            title="Inkoop zonder illusies",
            lead="Wie goedkoop inkoopt, betaalt later.",
            body=body.format("Onze leveranciers kennen hun marges beter dan wij."),
            topics=topics[1:2],
        ),
        "financiele": make_article(
            other_contributor,
            P,
            title="De financiële kant van verzuim",
            lead="Verzuim kost meer dan u denkt.",
            body=body.format("Reken het na."),
            topics=topics[3:4],
        ),
    }


def test_inflections_match_through_the_stemmer(corpus):
    titles = found("samenwerken")
    assert corpus["samenwerking"].title in titles
    assert corpus["samengewerkt"].title in titles


def test_plural_matches_singular(corpus):
    assert found("leverancier") == [corpus["leveranciers"].title]


def test_accents_are_folded_both_ways(corpus):
    assert found("financiele") == [corpus["financiele"].title]
    assert found("FINANCIËLE") == [corpus["financiele"].title]


def test_compound_starting_with_the_word_is_found(make_article, contributor):
    article = make_article(contributor, P, title="Het samenwerkingsverband houdt stand")
    assert article.title in found("samenwerking")


def test_author_name_and_topic_are_searchable(corpus, topics):
    assert corpus["leveranciers"].title in found("Bram Jansen")
    assert found("Financiën") == [corpus["leveranciers"].title]


def test_title_weighs_more_than_body(make_article, contributor):
    in_body = make_article(
        contributor, P, title="Een gewone dag", body="<p>Over het thuiswerken.</p>"
    )
    in_title = make_article(contributor, P, title="Thuiswerken blijft", body="<p>Zo is het.</p>")
    assert found("thuiswerken") == [in_title.title, in_body.title]


def test_all_words_must_match(corpus):
    assert found("verzuim leveranciers") == []
    assert found("verzuim financiele") == [corpus["financiele"].title]


@pytest.mark.parametrize(
    "fragment",
    [
        "<h2>Kop&amp;staart</h2><p>Een <em>zorg</em>verzekeraar&nbsp;zegt:<br>nee.</p>"
        "<ul><li>één</li><li>twee</li></ul><blockquote>citaat</blockquote><p>slot &lt;p&gt;</p>",
        "<p>Eerste\r\nregel</p>\n\n\n<p>  tweede   </p><figure><figcaption>bij</figcaption></figure>",
        "",
    ],
)
def test_snippets_read_the_words_of_the_readable_text(fragment):
    """A snippet reads the body's words with `html_words`, which skips `html_to_text`'s layout of
    lines: the same words, and between them the same text but for white space."""
    from podium.articles.sanitize import html_to_text, html_words

    assert html_words(fragment).split() == html_to_text(fragment).split()


def test_snippet_highlights_matches_and_escapes_text(make_article, contributor):
    article = make_article(
        contributor,
        P,
        title="Tekens",
        lead="Prijs < waarde & leveranciers weten dat.",
        body="<p>Onze leveranciers leveren op tijd.</p>",
    )
    [hit] = search.search("leverancier")[:1]
    assert hit.article == article
    assert "<mark>leveranciers</mark>" in hit.snippet
    assert "Prijs &lt; waarde &amp; <mark>leveranciers</mark>" in hit.snippet


@pytest.mark.parametrize("word", ["plan", "plän"])  # ASCII text, and text with an accent
@pytest.mark.parametrize("at", [0, 3, 40, 149, 150, 400])
def test_snippet_of_a_long_text_starts_near_the_first_match_in_its_first_words(word, at):
    """A snippet reads only the words it needs of a long text (the first SNIPPET_SCAN_WORDS
    looked through for a query word, then SNIPPET_WORDS from just before it); the rest of the
    text only makes it end with "…"."""
    from podium.articles.search.results import SNIPPET_SCAN_WORDS, SNIPPET_WORDS

    words = [f"{word}{i}" for i in range(500)]
    words[at] = "zorgverzekeraar"
    marked = search.mark_terms(", ".join(words), search.query_terms("verzekeraar"))
    start = 0 if at >= SNIPPET_SCAN_WORDS else max(0, at - 4)
    shown = words[start : start + SNIPPET_WORDS]
    if at < SNIPPET_SCAN_WORDS:
        shown[at - start] = f"{search.MARK_START}zorgverzekeraar{search.MARK_END}"
    assert marked == ("… " if start else "") + ", ".join(shown) + " …"
    short = search.mark_terms(", ".join(words[:SNIPPET_WORDS]), search.query_terms("zorg"))
    assert not short.endswith("…")


@pytest.mark.parametrize(
    "state",
    [Article.State.DRAFT, Article.State.SUBMITTED, Article.State.REJECTED, Article.State.OFFLINE],
)
def test_unpublished_articles_are_not_found(make_article, contributor, state):
    make_article(contributor, state, title="Geheime plannen voor het kwartaal")
    assert found("kwartaal") == []


def test_scheduled_article_is_found_from_its_publication_time(
    make_article, contributor, monkeypatch
):
    later = timezone.now() + datetime.timedelta(days=1)
    make_article(contributor, P, at=later, title="Morgen over het kwartaal")
    assert found("kwartaal") == []
    # A day passes (the index keeps the publication time it was written with, in the same
    # transaction as the article: moving the clock, not the row, is what happens).
    monkeypatch.setattr(timezone, "now", lambda: later + datetime.timedelta(minutes=1))
    assert found("kwartaal") == ["Morgen over het kwartaal"]


def test_take_down_removes_from_index(make_article, contributor, editor):
    article = make_article(contributor, P, title="Het kwartaal in cijfers")
    services.take_down_article(article=article, by=editor, reason="Onjuist.")
    assert found("kwartaal") == []


def test_editor_edit_updates_index(make_article, contributor, editor, topics):
    article = make_article(contributor, P, title="Het kwartaal in cijfers")
    services.edit_article(
        article=article,
        by=editor,
        expected_version=article.version,
        text=ArticleText(
            title="De jaarcijfers", lead=article.lead, body=article.body, topics=topics[:1]
        ),
    )
    assert found("kwartaal") == []
    assert found("jaarcijfers") == ["De jaarcijfers"]


def test_rebuild_index_restores_everything(corpus):
    assert search.rebuild_index() == 4
    assert found("leverancier") == [corpus["leveranciers"].title]


def test_filters_by_topic_and_period(corpus, topics):
    assert found("verhaal", topic_id=topics[3].pk) == [corpus["financiele"].title]
    # Back-dated, and indexed again as every write of an article is (the index keeps the time).
    Article.objects.filter(pk=corpus["financiele"].pk).update(
        published_at=timezone.now() - datetime.timedelta(days=40)
    )
    search.index_article(Article.objects.get(pk=corpus["financiele"].pk))
    recent = found("verhaal", since=timezone.now() - datetime.timedelta(days=31))
    assert len(recent) == 3
    assert corpus["financiele"].title not in recent


def test_results_count_and_slice(corpus):
    results = search.search("verhaal")
    assert results.count() == 4
    assert len(results[0:2]) == 2
    assert len(results[2:4]) == 2
    assert {h.article.pk for h in results[0:2]}.isdisjoint({h.article.pk for h in results[2:4]})


BAD_QUERIES = [
    '"',
    '""',
    "'",
    "*",
    "**",
    "samen*",
    "(",
    ")",
    "((samenwerken",
    "samenwerken)",
    "NEAR(a b)",
    "a AND OR NOT b",
    "title:verzuim",
    "^verzuim",
    "-verzuim",
    "verzuim -",
    "a & b | !c",
    "'; DROP TABLE articles_article; --",
    "1 OR 1=1",
    "%",
    "_",
    "\\",
    "\x00",
    "x" * 10_000,
    "verzuim " * 2_000,
    "de het een van en",
    "🙂",
    "🙂 verzuim 🚀",
    "\u202e\u200b",
    ":*",
    "a:* & b",
    "<script>alert(1)</script>",
    "",
    "   ",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_queries_never_error(corpus, query):
    results = search.search(query)
    assert results.count() >= 0
    assert isinstance(results[0:10], list)


def test_stop_words_only_finds_nothing(corpus):
    assert not search.has_terms("de het een")
    assert found("de het een") == []


def test_query_with_syntax_still_finds_the_words(corpus):
    assert found('"verzuim" AND (financiële*') == [corpus["financiele"].title]
    assert found("🙂 leveranciers 🚀") == [corpus["leveranciers"].title]


def test_similar_articles_never_include_itself_or_unpublished(make_article, contributor):
    a = make_article(contributor, P, title="Leiderschap in de zorg", lead="Over leiderschap.")
    b = make_article(contributor, P, title="Leiderschap in het onderwijs", lead="Over leiderschap.")
    make_article(
        contributor,
        Article.State.SUBMITTED,
        title="Leiderschap in de bouw",
        lead="Over leiderschap.",
    )
    assert similar_article_ids(a) == [b.pk]


def test_similar_articles_compare_title_lead_author_and_topics_not_the_body(
    make_article, contributor
):
    article = make_article(contributor, P, title="Leiderschap in de zorg", lead="Kort.")
    make_article(
        contributor,
        P,
        title="Iets heel anders",
        lead="Lang.",
        body="<p>Leiderschap in de zorg vraagt moed.</p>",
    )
    in_lead = make_article(contributor, P, title="Begroten", lead="Over leiderschap en zorg.")
    assert similar_article_ids(article) == [in_lead.pk]


def test_similar_articles_weigh_rare_shared_words_most(make_article, contributor):
    article = make_article(contributor, P, title="Verzuim bij thuiswerken", lead="Kort.")
    common = [
        make_article(contributor, P, title=f"Thuiswerken blijft ({n})", lead="Kort.")
        for n in range(3)
    ]
    rare = make_article(contributor, P, title="Verzuim kost geld", lead="Kort.")
    similar = similar_article_ids(article)
    assert similar[0] == rare.pk  # "verzuim" is in one title, "thuiswerken" in three
    assert set(similar[1:]) == {a.pk for a in common}


def _meta_vector_holds(article: Article, word: str) -> bool | None:
    """PostgreSQL: whether the article's title/meta vector holds `word` (None: no index row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT meta_vector @@ plainto_tsquery('simple', %s) FROM articles_search "
            "WHERE article_id = %s",
            [search.stem(search.fold(word)), article.pk],
        )
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


def test_postgresql_meta_vector_follows_publish_edit_and_take_down(
    make_article, contributor, editor, topics
):
    if connection.vendor != "postgresql":
        pytest.skip("the title/meta vector is PostgreSQL's")
    article = make_article(
        contributor,
        P,
        title="Het kwartaal in cijfers",
        lead="Een terugblik.",
        body="<p>Over de begroting.</p>",
        topics=topics[:1],
    )

    def holds(word: str) -> bool | None:
        return _meta_vector_holds(article, word)

    assert holds("kwartaal") and holds("terugblik")
    assert holds(contributor.display_name.split()[-1]) and holds(topics[0].name.split()[0])
    assert holds("begroting") is False  # body words stay out
    services.edit_article(
        article=article,
        by=editor,
        expected_version=article.version,
        text=ArticleText(
            title="De jaarcijfers", lead=article.lead, body=article.body, topics=topics[1:2]
        ),
    )
    assert holds("jaarcijfers") and holds(topics[1].name.split()[0])
    assert holds("kwartaal") is False
    services.take_down_article(
        article=Article.objects.get(pk=article.pk), by=editor, reason="Onjuist."
    )
    assert holds("jaarcijfers") is None


def test_related_articles_mix_topics_and_text(make_article, contributor, topics):
    article = make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    same_topics = make_article(contributor, P, title="Iets heel anders", topics=topics[:1])
    similar_text = make_article(
        contributor, P, title="Leiderschap op de werkvloer", topics=topics[3:]
    )
    unrelated = make_article(
        contributor,
        P,
        title="Begroten",
        lead="Cijfers.",
        body="<p>Over begrotingen.</p>",
        topics=topics[1:2],
    )
    make_article(
        contributor, Article.State.SUBMITTED, title="Leiderschap in de bouw", topics=topics[:1]
    )
    related.store(article.pk)
    shown = related_articles(Article.objects.get(pk=article.pk), limit=5)
    assert shown[:2] == [same_topics, similar_text] or set(shown[:2]) == {
        same_topics,
        similar_text,
    }
    assert article not in shown
    assert unrelated not in shown
    assert all(a.state == P for a in shown)


# --- Related articles: stored when published, re-read as published on every render ----------------


@pytest.fixture
def leadership(make_article, contributor, other_contributor, topics):
    """An article and two related ones (shared topic; similar title), "read more" computed."""
    article = make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    same_topic = make_article(other_contributor, P, title="Iets heel anders", topics=topics[:1])
    similar = make_article(other_contributor, P, title="Leiderschap op school", topics=topics[3:])
    for pk in (article.pk, same_topic.pk, similar.pk):
        related.store(pk)
    return Article.objects.get(pk=article.pk), same_topic, similar


def test_stored_related_articles_are_read_in_one_query(leadership, django_assert_num_queries):
    article, same_topic, similar = leadership
    # the stored lines with their articles (author joined, co-authors and topics in the row)
    with django_assert_num_queries(1):
        shown = related_articles(article)
    assert set(shown) == {same_topic, similar}


def test_publishing_computes_related_articles_through_the_task(
    make_article, contributor, other_contributor, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        earlier = make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            other_contributor, P, title="Leiderschap op school", topics=topics[:1]
        )
    lines = RelatedArticle.objects.filter(article=article).order_by("position")
    assert [line.related_id for line in lines] == [earlier.pk]
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(contributor, title="Leiderschap in de bouw", topics=topics[:1])
    assert not RelatedArticle.objects.filter(article=draft).exists()  # drafts have none


def test_editing_a_published_article_computes_its_related_articles_again(
    leadership, editor, django_capture_on_commit_callbacks
):
    article, _same_topic, _similar = leadership
    RelatedArticle.objects.filter(article=article).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_article(
            article=article,
            by=editor,
            text=ArticleText(
                title=article.title + " en welzijn",
                lead=article.lead,
                body=article.body,
                topics=list(article.topics.all()),
            ),
            expected_version=article.version,
        )
    assert RelatedArticle.objects.filter(article=article).exists()


def test_taken_down_article_is_never_shown_and_the_lists_naming_it_are_computed_again(
    leadership, editor, django_assert_num_queries
):
    from podium.editorial import services as editorial

    article, same_topic, similar = leadership
    assert same_topic in related_articles(article)
    editorial.take_down(article=same_topic, by=editor, reason="Onjuiste cijfers.")
    # The stored line still names it (its refresh runs after the commit): never shown.
    assert RelatedArticle.objects.filter(article=article, related=same_topic).exists()
    with django_assert_num_queries(1):  # the lines with their articles, topics in the rows
        assert related_articles(article) == [similar]
    # Once the refresh task ran, the list no longer names it.
    assert related.refresh_lists_naming(same_topic.pk) >= 1
    assert not RelatedArticle.objects.filter(related=same_topic).exists()
    assert related_articles(article) == [similar]


def test_withdrawing_enqueues_the_refresh_of_the_lists_naming_it(
    leadership, other_contributor, django_capture_on_commit_callbacks
):
    article, same_topic, similar = leadership
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_article(article=same_topic, by=other_contributor)
    assert not RelatedArticle.objects.filter(related=same_topic).exists()
    assert related_articles(article) == [similar]


def test_scheduled_article_in_a_stored_list_is_not_shown_before_its_time(leadership):
    article, same_topic, similar = leadership
    Article.objects.filter(pk=same_topic.pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert related_articles(article) == [similar]


def test_without_stored_lines_the_newest_of_its_topics_are_shown(
    make_article, contributor, other_contributor, topics, django_assert_num_queries
):
    older = make_article(other_contributor, P, title="Iets heel anders", topics=topics[:1])
    newer = make_article(other_contributor, P, title="Nog iets anders", topics=topics[:2])
    other_topic = make_article(other_contributor, P, title="Leiderschap", topics=topics[3:])
    make_article(contributor, title="Een concept", topics=topics[:1])
    article = make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    assert not RelatedArticle.objects.exists()
    article = Article.objects.get(pk=article.pk)
    # no stored lines; the newest of its topics (bounded by the topic index), never the
    # computation; their topics
    with django_assert_num_queries(3):
        shown = related_articles(article, limit=5)
    assert shown == [newer, older]
    assert other_topic not in shown


def test_backfill_stores_every_published_articles_related_articles(
    make_article, contributor, other_contributor, topics
):
    article = make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    make_article(other_contributor, P, title="Iets heel anders", topics=topics[:1])
    make_article(other_contributor, P, title="Leiderschap op school", topics=topics[3:])
    make_article(contributor, P, title="Begroten", lead="Cijfers.", topics=topics[1:2])
    draft = make_article(contributor, title="Leiderschap in de bouw", topics=topics[:1])
    assert related.backfill() == 4
    stored = list(
        RelatedArticle.objects.filter(article=article)
        .order_by("position")
        .values_list("related_id", flat=True)
    )
    assert stored == related_article_ids(article)  # the same weighing as one at a time
    assert not RelatedArticle.objects.filter(article=draft).exists()
    assert Article.objects.get(pk=article.pk).related_at is not None
    assert related.backfill() == 0  # only the articles not computed yet
    assert related.backfill(only_missing=False) == 4


def test_related_command_backfills(make_article, contributor, topics):
    from io import StringIO

    from django.core.management import call_command

    make_article(contributor, P, title="Leiderschap in de zorg", topics=topics[:1])
    make_article(contributor, P, title="Leiderschap op school", topics=topics[:1])
    out = StringIO()
    call_command("related", stdout=out)
    assert RelatedArticle.objects.count() == 2
    assert "2" in out.getvalue()


def test_related_articles_come_from_the_most_recent_only(
    leadership, make_article, contributor, topics, monkeypatch
):
    article, same_topic, similar = leadership
    for n in range(3):
        make_article(contributor, P, title=f"Begroten deel {n}", topics=topics[1:2])
    monkeypatch.setattr(related, "RELATED_WINDOW", 3)  # the three newest: the "Begroten" ones
    assert not {same_topic.pk, similar.pk} & set(related_article_ids(article))
    monkeypatch.setattr(related, "RELATED_WINDOW", 6)
    assert {same_topic.pk, similar.pk} <= set(related_article_ids(article))
