"""Co-authors: inviting by e-mail (with or without an account), answering, expiry, writing
together until submission, leaving and removal (recorded), and the lifecycle's permission table."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from podium.accounts.models import User
from podium.articles import coauthors, lifecycle, rules, services
from podium.articles.models import Article, ArticleEvent, CoAuthor
from podium.articles.services import ArticleText

from ..podium_helpers import make_user, nothing_written, sign_in, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sent_at_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The e-mails go out after commit; the test's transaction never commits, so run them at once."""
    monkeypatch.setattr(coauthors.transaction, "on_commit", lambda work, *a, **k: work())


Perm = lifecycle.Permission
S = Article.State


def _invite(article: Article, author: User, email: str, language: str = "nl") -> CoAuthor:
    return coauthors.invite_coauthor(article=article, by=author, email=email, language=language)


def _coauthor_of(article: Article, author: User, person: User) -> CoAuthor:
    row = _invite(article, author, person.email)
    return coauthors.accept_invitation(invitation=row, by=person)


def _with_coauthor(make_article: Any, author: User, person: User, state: str) -> Article:
    """An article of `author` with `person` as co-author (invited while a draft), in `state`."""
    article = make_article(author)
    _coauthor_of(article, author, person)
    if state != S.DRAFT:
        services.submit_article(article=article, by=author, terms=statement())
    if state == S.PUBLISHED:
        services.publish_article(article=article, by=make_article.editor)
    return Article.objects.get(pk=article.pk)


def _link_in(message: Any) -> str:
    line = next(line for line in message.body.splitlines() if "/uitnodiging/" in line)
    return line.strip().removeprefix("http://testserver")


def test_the_invitation_goes_to_the_address_in_the_language_the_author_chose(
    contributor, make_article, settings
):
    settings.SITE_URL = "http://testserver"
    draft = make_article(contributor)
    mail.outbox.clear()
    row = _invite(draft, contributor, "Nieuw@Example.NET", language="en")
    assert (row.email, row.state, row.user) == ("nieuw@example.net", CoAuthor.State.INVITED, None)
    assert [m.to for m in mail.outbox] == [["nieuw@example.net"]]
    assert "invites you to write" in mail.outbox[0].subject
    assert coauthors.invitation_token(row) in mail.outbox[0].body


def test_the_dutch_invitation_is_dutch(contributor, make_article):
    draft = make_article(contributor)
    mail.outbox.clear()
    _invite(draft, contributor, "nieuw@example.net")
    assert "nodigt u uit" in mail.outbox[0].subject


def test_members_read_co_author_mail_in_the_language_they_chose(
    contributor, other_contributor, make_article
):
    User.objects.filter(pk=other_contributor.pk).update(email_language="en")
    draft = make_article(contributor)
    mail.outbox.clear()
    row = _invite(draft, contributor, other_contributor.email, language="nl")
    assert "invites you to write" in mail.outbox[-1].subject  # their choice, not the author's
    coauthors.accept_invitation(invitation=row, by=User.objects.get(pk=other_contributor.pk))
    assert mail.outbox[-1].to == [contributor.email]
    assert "schrijft mee" in mail.outbox[-1].subject  # the author's own language: Dutch


def test_someone_without_an_account_signs_up_and_then_accepts(contributor, make_article, settings):
    """The whole walk: the link in the e-mail, the sign-up with that address, the acceptance."""
    settings.SITE_URL = "http://testserver"
    draft = make_article(contributor)
    mail.outbox.clear()
    _invite(draft, contributor, "nieuw@example.net")
    link = _link_in(mail.outbox[0])
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Anna de Vries" in page.content.decode()
    assert "/account/signup/?next=" in page.content.decode()
    # Accepting needs the account of that address: without one, nothing changes.
    visitor.post(link, {"answer": "accept"})
    assert not draft.coauthors.filter(state=CoAuthor.State.ACCEPTED).exists()
    newcomer = make_user("nieuw@example.net", display_name="Nina Nieuw")  # signed up, verified
    sign_in(visitor, newcomer)
    response = visitor.post(link, {"answer": "accept"})
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).authors == [contributor, newcomer]
    event = ArticleEvent.objects.get(article=draft, action=ArticleEvent.Action.COAUTHOR_JOINED)
    assert (event.actor, event.person) == (newcomer, newcomer)
    assert mail.outbox[-1].to == [contributor.email]


def test_open_invitations_wait_on_the_invitees_dashboard(
    contributor, other_contributor, make_article
):
    draft = make_article(contributor)
    _invite(draft, contributor, other_contributor.email)
    assert [row.article for row in coauthors.open_invitations_for(other_contributor)] == [draft]
    page = sign_in(Client(), other_contributor).get("/profiel/activiteiten/")
    assert "/profiel/activiteiten/uitnodiging/" in page.content.decode()


def test_a_signed_in_member_of_another_address_cannot_accept(
    contributor, other_contributor, make_article
):
    draft = make_article(contributor)
    row = _invite(draft, contributor, "iemand@example.net")
    with nothing_written(draft), pytest.raises(PermissionDenied):
        coauthors.accept_invitation(invitation=row, by=other_contributor)
    assert CoAuthor.objects.get(pk=row.pk).state == CoAuthor.State.INVITED


def test_the_invitee_may_decline_without_an_account(contributor, make_article):
    draft = make_article(contributor)
    row = _invite(draft, contributor, "nieuw@example.net")
    token = coauthors.invitation_token(row)
    response = Client().post(f"/profiel/activiteiten/uitnodiging/{token}/", {"answer": "decline"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == CoAuthor.State.DECLINED
    assert "declined" in mail.outbox[-1].body or "afgeslagen" in mail.outbox[-1].body


def test_an_expired_invitation_cannot_be_answered_and_can_be_renewed(contributor, make_article):
    draft = make_article(contributor)
    row = _invite(draft, contributor, "nieuw@example.net")
    CoAuthor.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    newcomer = make_user("nieuw@example.net", display_name="Nina Nieuw")
    with pytest.raises(ValidationError):
        coauthors.accept_invitation(invitation=row, by=newcomer)
    with pytest.raises(ValidationError):
        coauthors.decline_invitation(invitation=row, by=None)
    again = _invite(draft, contributor, "nieuw@example.net")
    assert again.pk == row.pk and again.is_open
    coauthors.accept_invitation(invitation=again, by=newcomer)


def test_a_tampered_token_is_a_404(contributor, make_article):
    row = _invite(make_article(contributor), contributor, "nieuw@example.net")
    token = coauthors.invitation_token(row)
    assert Client().get(f"/profiel/activiteiten/uitnodiging/{token}x/").status_code == 404
    with pytest.raises(Http404):
        coauthors.invitation_from_token(token[:-1] + ("A" if token[-1] != "A" else "B"))


@pytest.mark.parametrize(
    ("email", "code"),
    [("anna@example.org", "own_address"), ("twee@example.net", "already")],
)
def test_refused_invitations_write_nothing(contributor, make_article, email, code):
    draft = make_article(contributor)
    _invite(draft, contributor, "twee@example.net")
    before = CoAuthor.objects.count()
    with pytest.raises(ValidationError) as info:
        _invite(draft, contributor, email)
    assert info.value.code == code
    assert CoAuthor.objects.count() == before


def test_an_article_has_at_most_the_allowed_number_of_coauthors(
    contributor, make_article, monkeypatch
):
    monkeypatch.setattr(rules, "COAUTHORS_MAX", 2)
    draft = make_article(contributor)
    _invite(draft, contributor, "een@example.net")
    _invite(draft, contributor, "twee@example.net")
    with pytest.raises(ValidationError) as info:
        _invite(draft, contributor, "drie@example.net")
    assert info.value.code == "too_many"


def test_invitations_a_day_are_limited(contributor, make_article, monkeypatch):
    monkeypatch.setattr(rules, "COAUTHOR_INVITATIONS_PER_DAY", 2)
    for n in range(2):
        _invite(make_article(contributor), contributor, f"p{n}@example.net")
    with pytest.raises(ValidationError) as info:
        _invite(make_article(contributor), contributor, "p3@example.net")
    assert info.value.code == "rate"


def test_only_the_author_invites_and_only_before_submission(
    contributor, other_contributor, editor, make_article
):
    draft = make_article(contributor)
    _coauthor_of(draft, contributor, other_contributor)
    for person in (other_contributor, editor):
        with nothing_written(draft), pytest.raises(PermissionDenied):
            _invite(draft, person, "x@example.net")
    submitted = make_article(contributor, S.SUBMITTED)
    with nothing_written(submitted), pytest.raises(lifecycle.TransitionNotAllowed):
        _invite(submitted, contributor, "x@example.net")


def test_coauthors_write_until_the_article_is_submitted(
    contributor, other_contributor, make_article
):
    draft = make_article(contributor)
    _coauthor_of(draft, contributor, other_contributor)
    text = ArticleText(title="Samen geschreven", lead="Een lead.", body="<p>Samen.</p>")
    saved = services.save_draft(by=other_contributor, article=draft, text=text)
    assert saved.title == "Samen geschreven"
    client = sign_in(Client(), other_contributor)
    assert client.get(f"/profiel/activiteiten/{draft.pk}/").status_code == 200
    # Only the author submits; after that nobody but the editors changes the text.
    with pytest.raises(PermissionDenied):
        services.submit_article(article=draft, by=other_contributor, terms=statement())
    services.submit_article(article=draft, by=contributor, terms=statement())
    with pytest.raises(lifecycle.TransitionNotAllowed):
        services.save_draft(by=other_contributor, article=draft, text=text)
    assert client.get(f"/profiel/activiteiten/{draft.pk}/").status_code == 302  # to the preview


def test_the_co_authors_own_and_others_drafts_stay_closed(
    contributor, other_contributor, trusted_contributor, make_article
):
    draft = make_article(contributor)
    _invite(draft, contributor, other_contributor.email)  # invited, not accepted: no access
    client = sign_in(Client(), other_contributor)
    assert client.get(f"/profiel/activiteiten/{draft.pk}/").status_code == 404
    text = ArticleText(title="x", lead="y", body="<p>z</p>")
    with nothing_written(draft), pytest.raises(PermissionDenied):
        services.save_draft(by=other_contributor, article=draft, text=text)


def test_a_coauthor_leaves_and_it_is_recorded(contributor, other_contributor, make_article):
    article = _with_coauthor(make_article, contributor, other_contributor, S.PUBLISHED)
    mail.outbox.clear()
    response = sign_in(Client(), other_contributor).post(
        f"/profiel/activiteiten/{article.pk}/coauteurs/verlaten/"
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).authors == [contributor]
    event = ArticleEvent.objects.get(action=ArticleEvent.Action.COAUTHOR_LEFT)
    assert (event.actor, event.person, event.to_state) == (
        other_contributor,
        other_contributor,
        S.PUBLISHED,
    )
    assert [m.to for m in mail.outbox] == [[contributor.email]]


def test_the_author_removes_a_coauthor_and_it_is_recorded(
    contributor, other_contributor, make_article
):
    article = _with_coauthor(make_article, contributor, other_contributor, S.SUBMITTED)
    row = CoAuthor.objects.get(article=article, user=other_contributor)
    mail.outbox.clear()
    response = sign_in(Client(), contributor).post(
        f"/profiel/activiteiten/{article.pk}/coauteurs/{row.pk}/verwijderen/"
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == CoAuthor.State.REMOVED
    assert Article.objects.get(pk=article.pk).authors == [contributor]
    event = ArticleEvent.objects.get(action=ArticleEvent.Action.COAUTHOR_REMOVED)
    assert (event.actor, event.person) == (contributor, other_contributor)
    assert [m.to for m in mail.outbox] == [[other_contributor.email]]


def test_a_coauthor_cannot_remove_anyone(contributor, other_contributor, make_article):
    article = make_article(contributor)
    row = _coauthor_of(article, contributor, other_contributor)
    with nothing_written(article), pytest.raises(PermissionDenied):
        coauthors.remove_coauthor(coauthor=row, by=other_contributor)


def test_the_author_withdraws_an_open_invitation(contributor, make_article):
    article = make_article(contributor)
    row = _invite(article, contributor, "nieuw@example.net")
    coauthors.remove_coauthor(coauthor=row, by=contributor)
    row.refresh_from_db()
    assert row.state == CoAuthor.State.WITHDRAWN
    with pytest.raises(ValidationError):
        coauthors.accept_invitation(
            invitation=row, by=make_user("nieuw@example.net", display_name="N")
        )


# --- The permission table, for every role ---------------------------------------------------------


@pytest.fixture
def people(contributor, other_contributor, trusted_contributor, editor, admin_user) -> dict:
    return {
        "author": contributor,
        "coauthor": other_contributor,
        "other": trusted_contributor,
        "editor": editor,
        "admin": admin_user,
    }


# role -> the permissions it has on a draft (the co-author accepted)
EXPECTED_ON_DRAFT = {
    "author": {
        Perm.EDIT_TEXT,
        Perm.INVITE_COAUTHOR,
        Perm.REMOVE_COAUTHOR,
        Perm.CREATE_PREVIEW_LINK,
        Perm.REVOKE_PREVIEW_LINK,
    },
    "coauthor": {Perm.EDIT_TEXT, Perm.LEAVE, Perm.CREATE_PREVIEW_LINK, Perm.REVOKE_PREVIEW_LINK},
    "other": set(),
    "editor": set(),
    "admin": set(),
}


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.REJECTED])
def test_the_permission_table_for_every_role(people, make_article, state):
    article = make_article(people["author"])
    _coauthor_of(article, people["author"], people["coauthor"])
    if state != S.DRAFT:
        services.submit_article(article=article, by=people["author"], terms=statement())
        if state == S.PUBLISHED:
            services.publish_article(article=article, by=people["editor"])
        if state == S.REJECTED:
            services.reject_article(article=article, by=people["editor"], reason="Nee.")
    article = Article.objects.get(pk=article.pk)
    for role, person in people.items():
        allowed = {p for p in Perm if lifecycle.may(article, p, person)}
        expected = {
            p for p in EXPECTED_ON_DRAFT[role] if article.state in lifecycle.PERMISSIONS[p].states
        }
        assert allowed == expected, (role, state)
        for permission in Perm:
            if permission in expected:
                continue
            with pytest.raises((PermissionDenied, lifecycle.TransitionNotAllowed)):
                lifecycle.check(article, permission, by=person)


def test_only_the_author_moves_the_state(people, make_article):
    article = make_article(people["author"])
    _coauthor_of(article, people["author"], people["coauthor"])
    assert lifecycle.allowed_actions(article, people["coauthor"]) == []
    assert "submit" in lifecycle.allowed_actions(article, people["author"])


def test_an_anonymous_visitor_sees_an_invitation_but_cannot_accept(contributor, make_article):
    row = _invite(make_article(contributor), contributor, "nieuw@example.net")
    link = f"/profiel/activiteiten/uitnodiging/{coauthors.invitation_token(row)}/"
    client = Client()
    assert client.get(link).status_code == 200
    client.post(link, {"answer": "accept"})
    row.refresh_from_db()
    assert row.state == CoAuthor.State.INVITED
