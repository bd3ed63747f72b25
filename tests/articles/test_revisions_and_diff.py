"""Every submitted or edited version is kept; editors and authors see what changed, word by word."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from podium.accounts.models import User
from podium.articles import services
from podium.articles.diff import change_summary, diff_revisions, word_diff_html
from podium.articles.lifecycle import TransitionNotAllowed
from podium.articles.models import Article, ArticleEvent, Revision
from tests.podium_helpers import ArticleBuilder, nothing_written, statement

State = Article.State

pytestmark = pytest.mark.django_db


def test_every_submission_and_editor_edit_is_kept(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED, body="<p>Versie een.</p>")
    services.request_changes(article=article, by=editor, message="Iets langer graag.")
    services.save_draft(
        by=contributor,
        article=article,
        text=make_article.text(title=article.title, body="<p>Versie twee.</p>"),
    )
    services.submit_article(article=article, by=contributor, terms=statement())
    services.publish_article(article=article, by=editor)
    article.refresh_from_db()
    services.edit_article(
        article=article,
        by=editor,
        text=make_article.text(title=article.title, body="<p>Versie drie.</p>"),
        expected_version=article.version,
        note="Taal.",
    )
    revisions = list(article.revisions.order_by("number"))
    assert [(r.number, r.kind, r.created_by) for r in revisions] == [
        (1, Revision.Kind.SUBMISSION, contributor),
        (2, Revision.Kind.SUBMISSION, contributor),
        (3, Revision.Kind.EDITOR_EDIT, editor),
    ]
    assert [r.body for r in revisions] == [
        "<p>Versie een.</p>",
        "<p>Versie twee.</p>",
        "<p>Versie drie.</p>",
    ]
    assert revisions[2].note == "Taal."
    edit_event = article.events.latest("pk")
    assert (edit_event.action, edit_event.revision, edit_event.from_state, edit_event.to_state) == (
        ArticleEvent.Action.EDITOR_EDIT,
        revisions[2],
        State.PUBLISHED,
        State.PUBLISHED,
    )
    assert Article.objects.get(pk=article.pk).body == "<p>Versie drie.</p>"


def test_saving_a_draft_keeps_no_revision(make_article: ArticleBuilder, contributor: User) -> None:
    article = make_article.draft(contributor)
    services.save_draft(by=contributor, article=article, text=make_article.text())
    assert not Revision.objects.filter(article=article).exists()


def test_editor_edit_is_refused_for_a_stale_version(
    make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(services.StaleVersion):
        services.edit_article(
            article=article,
            by=editor,
            text=make_article.text(),
            expected_version=article.version - 1,
        )


def test_contributor_cannot_use_the_editor_edit(
    make_article: ArticleBuilder, contributor: User
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    with nothing_written(article), pytest.raises(PermissionDenied):
        services.edit_article(
            article=article,
            by=contributor,
            text=make_article.text(),
            expected_version=article.version,
        )


@pytest.mark.parametrize(
    "state", [State.DRAFT, State.CHANGES_REQUESTED, State.REJECTED, State.OFFLINE]
)
def test_editors_edit_only_submitted_and_published_articles(
    state: str, make_article: ArticleBuilder, contributor: User, editor: User
) -> None:
    article = make_article(contributor, state)
    with nothing_written(article), pytest.raises(TransitionNotAllowed):
        services.edit_article(
            article=article, by=editor, text=make_article.text(), expected_version=article.version
        )


# --- The word diff -------------------------------------------------------------------------------


def _revision(number: int, *, title: str = "Titel", lead: str = "Lead.", body: str) -> Revision:
    return Revision(number=number, kind=Revision.Kind.SUBMISSION, title=title, lead=lead, body=body)


def test_diff_marks_a_changed_word_and_nothing_else() -> None:
    html = word_diff_html("Het gras is groen vandaag", "Het gras is geel vandaag")
    assert html == "<p>Het gras is <del>groen</del><ins>geel</ins> vandaag</p>"


def test_diff_shows_inserted_and_deleted_words() -> None:
    assert (
        word_diff_html("een twee drie", "een twee drie vier")
        == "<p>een twee drie<ins> vier</ins></p>"
    )
    assert word_diff_html("een twee drie", "een drie") == "<p>een <del>twee </del>drie</p>"


def test_diff_of_revisions_compares_title_lead_and_text() -> None:
    old = _revision(1, body="<p>De lucht is blauw.</p><p>Tweede alinea.</p>")
    new = _revision(2, title="Nieuwe titel", body="<p>De lucht is grijs.</p><p>Tweede alinea.</p>")
    parts = {part.name: part for part in diff_revisions(old, new)}
    assert list(parts) == ["title", "lead", "body"]
    assert parts["title"].changed
    assert "<del>Titel</del><ins>Nieuwe titel</ins>" in parts["title"].html
    assert not parts["lead"].changed
    assert parts["body"].changed
    assert "De lucht is <del>blauw.</del><ins>grijs.</ins>" in parts["body"].html
    assert "</p><p>Tweede alinea." in parts["body"].html  # paragraphs survive as paragraphs


def test_diff_escapes_all_text() -> None:
    old = _revision(
        1, title="A < B", body="<p>Gebruik &lt;script&gt;alert(1)&lt;/script&gt; nooit.</p>"
    )
    new = _revision(
        2, title="A < B & C", body="<p>Gebruik &lt;img src=x onerror=alert(1)&gt; nooit.</p>"
    )
    html = "".join(part.html for part in diff_revisions(old, new))
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img" in html
    assert "A &lt; B<ins> &amp; C</ins>" in html


def test_change_summary_counts_and_samples_words() -> None:
    old = _revision(1, body="<p>Het gras is groen en de lucht is blauw.</p>")
    new = _revision(2, body="<p>Het gras is geel en de lucht is helder blauw.</p>")
    summary = change_summary(old, new)
    assert summary.fields == ["body"]
    assert (summary.words_removed, summary.words_added) == (1, 2)
    assert summary.removed == ["groen"]
    assert summary.added == ["geel", "helder"]


# --- The structural diff: blocks first, words within them ------------------------------------------


def _body_diff(old: str, new: str) -> str:
    parts = {p.name: p for p in diff_revisions(_revision(1, body=old), _revision(2, body=new))}
    return str(parts["body"].html)


def test_an_added_paragraph_is_marked_whole() -> None:
    html = _body_diff(
        "<p>Eerste alinea.</p><p>Derde alinea.</p>",
        "<p>Eerste alinea.</p><p>Een nieuwe tweede alinea.</p><p>Derde alinea.</p>",
    )
    assert html == (
        "<p>Eerste alinea.</p>"
        '<p class="diff-added"><ins>Een nieuwe tweede alinea.</ins></p>'
        "<p>Derde alinea.</p>"
    )
    assert "<ins></ins>" not in html


def test_a_removed_heading_and_list_item_keep_their_structure() -> None:
    html = _body_diff(
        "<h2>Wat nu?</h2><ul><li>Een</li><li>Twee</li></ul><p>Slot.</p>",
        "<ul><li>Een</li></ul><p>Slot.</p>",
    )
    assert '<h2 class="diff-removed"><del>Wat nu?</del></h2>' in html
    assert '<ul><li>Een</li><li class="diff-removed"><del>Twee</del></li></ul>' in html
    assert html.endswith("<p>Slot.</p>")


def test_an_edited_heading_shows_the_changed_words_as_a_heading() -> None:
    html = _body_diff(
        "<h2>Wat betekent dit voor uw team?</h2><p>Tekst.</p>",
        "<h2>Wat betekent dit voor uw organisatie?</h2><p>Tekst.</p>",
    )
    assert (
        '<h2 class="diff-changed">Wat betekent dit voor uw <del>team?</del>'
        "<ins>organisatie?</ins></h2>" in html
    )


def test_a_rewritten_sentence_is_one_replacement() -> None:
    html = _body_diff(
        "<p>Managers falen omdat zij niet luisteren naar hun mensen.</p>",
        "<p>Goede teams bouwen op vertrouwen en duidelijke afspraken.</p>",
    )
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    assert "<del>Managers falen omdat zij niet luisteren naar hun mensen.</del>" in html
    assert "<ins>Goede teams bouwen op vertrouwen en duidelijke afspraken.</ins>" in html


def test_a_rewritten_title_is_one_replacement_not_interleaved_words() -> None:
    old = _revision(1, title="Waarom managers falen in de zorg", body="<p>x</p>")
    new = _revision(2, title="Wat goede zorgteams anders doen", body="<p>x</p>")
    title = str(diff_revisions(old, new)[0].html)
    assert title == (
        "<p><del>Waarom managers falen in de zorg</del><ins>Wat goede zorgteams anders doen</ins></p>"
    )


def test_quotes_and_ordered_lists_survive() -> None:
    html = _body_diff(
        "<blockquote><p>Citaat.</p></blockquote><ol><li>Stap een</li></ol>",
        "<blockquote><p>Citaat.</p></blockquote><ol><li>Stap een</li><li>Stap twee</li></ol>",
    )
    assert html == (
        "<blockquote><p>Citaat.</p></blockquote>"
        '<ol><li>Stap een</li><li class="diff-added"><ins>Stap twee</ins></li></ol>'
    )
