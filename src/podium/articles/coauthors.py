"""Co-authors: sharing an article's byline.

    author ──invite (e-mail)──▶ invited ──accept──▶ accepted ──leave──▶ left
                                   │  ├──decline──▶ declined     └──remove──▶ removed
                                   │  └──(expires_at passes: can no longer be answered)
                                   └──withdraw (author)──▶ withdrawn

The author invites anyone by e-mail address; the invitation e-mail carries a signed link. Someone
without an account opens it, signs up with that address and then accepts (an account's address is
verified before it can sign in, so the address is the proof that the invitation reached them).
The invitee may decline without an account. Accepted co-authors are in the byline everywhere
(`Article.authors`), edit the text until the article is submitted, and may leave; the author may
remove them. Joining, leaving and removal are recorded as article events. Who may do what is
`lifecycle.PERMISSIONS`; every write below locks the article's row first.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User

from . import lifecycle, rules
from .models import Article, ArticleEvent, CoAuthor, PreviewLink

Permission = lifecycle.Permission
TOKEN_SALT = "podium.articles.coauthor-invitation"  # noqa: S105 (a salt, not a secret)


def invitation_token(invitation: CoAuthor) -> str:
    """The signed token of the invitation's link (the same every time it is asked for)."""
    return signing.Signer(salt=TOKEN_SALT).sign(str(invitation.pk))


def invitation_from_token(token: str) -> CoAuthor:
    """The invitation a token names; a tampered or unknown token is a 404."""
    try:
        pk = signing.Signer(salt=TOKEN_SALT).unsign(token)
        return CoAuthor.objects.select_related("article__author", "invited_by").get(pk=int(pk))
    except (signing.BadSignature, CoAuthor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_invitations_for(user: User) -> list[CoAuthor]:
    """Invitations to `user`'s address that can still be answered (for their Activiteiten)."""
    return list(
        CoAuthor.objects.filter(
            email__iexact=user.email, state=CoAuthor.State.INVITED, expires_at__gt=timezone.now()
        )
        .select_related("article__author")
        .order_by("invited_at", "pk")
    )


def coauthors_of(article: Article) -> list[CoAuthor]:
    """Every invitation and co-authorship of the article, for its author's page."""
    return list(article.coauthors.select_related("user").order_by("invited_at", "pk"))


def _lock(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",)).select_related("author").get(pk=article.pk)
    )


def _record(article: Article, action: str, *, by: User, person: User) -> None:
    """The byline changed: one step of the article's history (the event, and the search index and
    readers' pages when it is public), written by the lifecycle's one writer."""
    lifecycle.record(article, action, by=by, from_state=article.state, person=person)


def _revoke_links_of(article: Article, person: User) -> None:
    """A co-author who leaves the byline no longer shares the article: their links stop working."""
    PreviewLink.objects.filter(article=article, created_by=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _notify(coauthor: CoAuthor, what: str) -> None:
    from .tasks import notify_coauthor

    transaction.on_commit(lambda: notify_coauthor.enqueue(coauthor.pk, what))


@transaction.atomic
def invite_coauthor(*, article: Article, by: User, email: str, language: str) -> CoAuthor:
    """Invite the person at `email` to share the byline. The author may, while the text is theirs
    to edit. The invitation e-mail goes out after commit: in the language a member chose for
    Podium's e-mails, else in `language`. Raises PermissionDenied,
    TransitionNotAllowed or ValidationError (their own address, already invited or co-author,
    too many co-authors, too many invitations today); nothing is written then."""
    locked = _lock(article)
    lifecycle.check(locked, Permission.INVITE_COAUTHOR, by=by)
    email = email.strip().lower()
    if email == locked.author.email.lower():
        raise ValidationError(_("You are the author of this article."), code="own_address")
    now = timezone.now()
    rows = CoAuthor.objects.filter(article=locked)
    existing = rows.filter(
        email=email, state__in=[CoAuthor.State.INVITED, CoAuthor.State.ACCEPTED]
    ).first()
    if existing is not None and existing.state == CoAuthor.State.ACCEPTED:
        raise ValidationError(_("This person is a co-author already."), code="already")
    if existing is not None and not existing.is_expired:
        raise ValidationError(_("This address has been invited already."), code="already")
    taken = (
        rows.filter(state=CoAuthor.State.ACCEPTED).count()
        + rows.filter(state=CoAuthor.State.INVITED, expires_at__gt=now).count()
    )
    if taken >= rules.COAUTHORS_MAX:
        raise ValidationError(
            _("An article has at most %(count)s co-authors.") % {"count": rules.COAUTHORS_MAX},
            code="too_many",
        )
    today = CoAuthor.objects.filter(invited_by=by, invited_at__gt=now - datetime.timedelta(days=1))
    if today.count() >= rules.COAUTHOR_INVITATIONS_PER_DAY:
        raise ValidationError(
            _("You have sent the most invitations a day allows. Try again tomorrow."),
            code="rate",
        )
    expires_at = now + datetime.timedelta(days=rules.COAUTHOR_INVITATION_DAYS)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if existing is not None:  # expired: invited again, under the same link
        existing.invited_by, existing.invited_at, existing.expires_at = by, now, expires_at
        existing.language = language
        existing.save()
        invitation = existing
    else:
        invitation = CoAuthor.objects.create(
            article=locked,
            email=email,
            invited_by=by,
            invited_at=now,
            expires_at=expires_at,
            language=language,
        )
    _notify(invitation, "invited")
    return invitation


def is_addressee(invitation: CoAuthor, user: User) -> bool:
    """Whether `user` signed in with the address the invitation was sent to."""
    return user.email.lower() == invitation.email.lower()


def _sent_elsewhere() -> PermissionDenied:
    return PermissionDenied(
        _("This invitation was sent to another e-mail address than the one you signed in with.")
    )


def _open_for_answer(invitation: CoAuthor) -> CoAuthor:
    locked = CoAuthor.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != CoAuthor.State.INVITED:
        raise ValidationError(_("This invitation has been answered already."), code="answered")
    if locked.is_expired:
        raise ValidationError(_("This invitation has expired."), code="expired")
    return locked


@transaction.atomic
def accept_invitation(*, invitation: CoAuthor, by: User) -> CoAuthor:
    """`by` joins the byline. They must be signed in with the address that was invited (verified
    before sign-in), and the invitation open. Raises PermissionDenied or ValidationError."""
    article = _lock(invitation.article)
    locked = _open_for_answer(invitation)
    if not by.is_active or not is_addressee(locked, by):
        raise _sent_elsewhere()
    if by.pk == article.author_id:
        raise ValidationError(_("You are the author of this article."), code="own_address")
    if article.is_coauthored_by(by):
        raise ValidationError(_("You are a co-author already."), code="already")
    locked.state, locked.user, locked.answered_at = CoAuthor.State.ACCEPTED, by, timezone.now()
    locked.save(update_fields=["state", "user", "answered_at"])
    _record(article, ArticleEvent.Action.COAUTHOR_JOINED, by=by, person=by)
    _notify(locked, "accepted")
    return locked


@transaction.atomic
def decline_invitation(*, invitation: CoAuthor, by: User | None) -> CoAuthor:
    """The invitee says no. Anyone holding the invitation's link may (no account needed); a
    signed-in member only for their own address. Raises PermissionDenied or ValidationError."""
    _lock(invitation.article)
    locked = _open_for_answer(invitation)
    if by is not None and not is_addressee(locked, by):
        raise _sent_elsewhere()
    locked.state, locked.answered_at = CoAuthor.State.DECLINED, timezone.now()
    locked.save(update_fields=["state", "answered_at"])
    _notify(locked, "declined")
    return locked


@transaction.atomic
def remove_coauthor(*, coauthor: CoAuthor, by: User) -> CoAuthor:
    """The author withdraws an invitation or takes a co-author out of the byline (recorded, and
    the co-author is told). Raises PermissionDenied or ValidationError (nothing to remove)."""
    article = _lock(coauthor.article)
    lifecycle.check(article, Permission.REMOVE_COAUTHOR, by=by)
    locked = (
        CoAuthor.objects.select_for_update(of=("self",)).select_related("user").get(pk=coauthor.pk)
    )
    if locked.article_id != article.pk:
        raise Http404
    if locked.state == CoAuthor.State.INVITED:
        locked.state = CoAuthor.State.WITHDRAWN
        locked.save(update_fields=["state"])
        return locked
    if locked.state != CoAuthor.State.ACCEPTED or locked.user is None:
        raise ValidationError(_("This person is not a co-author."), code="not_coauthor")
    locked.state = CoAuthor.State.REMOVED
    locked.save(update_fields=["state"])
    _record(article, ArticleEvent.Action.COAUTHOR_REMOVED, by=by, person=locked.user)
    _revoke_links_of(article, locked.user)
    _notify(locked, "removed")
    return locked


@transaction.atomic
def leave_article(*, article: Article, by: User) -> CoAuthor:
    """A co-author leaves the byline (recorded, and the author is told). Raises PermissionDenied
    for anyone who is not a co-author."""
    locked_article = _lock(article)
    lifecycle.check(locked_article, Permission.LEAVE, by=by)
    row = CoAuthor.objects.select_for_update().get(
        article=locked_article, user=by, state=CoAuthor.State.ACCEPTED
    )
    row.state = CoAuthor.State.LEFT
    row.save(update_fields=["state"])
    _record(locked_article, ArticleEvent.Action.COAUTHOR_LEFT, by=by, person=by)
    _revoke_links_of(locked_article, by)
    _notify(row, "left")
    return row
