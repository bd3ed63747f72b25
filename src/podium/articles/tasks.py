"""Background work for articles. Tasks take ids, reload the rows and call plain functions."""

from __future__ import annotations

import math

from django.conf import settings
from django.tasks import task

from podium.accounts.selectors import editors
from podium.articles import rules as article_rules
from podium.core.mail import send_templated_email

from .diff import change_summary
from .models import ArticleEvent

Action = ArticleEvent.Action

# Who hears of what: the author of every editorial decision, the editors of every submission.
TO_EDITORS = {Action.SUBMIT, Action.AUTO_PUBLISH, Action.WITHDRAW_SUBMISSION}
TO_AUTHOR = {
    Action.PUBLISH,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.TAKE_DOWN,
    Action.EDITOR_EDIT,
}


def review_days() -> int:
    """The editors' review promise (rules.REVIEW_SLA_HOURS) in whole days, as authors are told."""
    return max(1, math.ceil(article_rules.REVIEW_SLA_HOURS / 24))


@task()
def notify_article_event(event_id: int) -> int:
    event = ArticleEvent.objects.select_related("article__author", "actor", "revision").get(
        pk=event_id
    )
    article = event.article
    context = {"event": event, "article": article, "site_url": settings.SITE_URL}
    sent = 0
    if event.action in TO_EDITORS:
        # One e-mail per language the editors read (the shared desk address: the site's).
        for language, recipients in _editors_by_language(besides=event.actor.email).items():
            sent += send_templated_email(
                "articles/email/to_editors", to=recipients, context=context, language=language
            )
    if event.action == Action.SUBMIT:
        # The author's acknowledgement, with how long the review takes.
        sent += send_templated_email(
            "articles/email/received",
            to=[article.author.email],
            context={**context, "review_days": review_days()},
            language=article.author.email_language,
        )
    if event.action in TO_AUTHOR and article.author_id != event.actor_id:
        if event.action == Action.EDITOR_EDIT and event.revision is not None:
            previous = (
                article.revisions.filter(number__lt=event.revision.number)
                .order_by("-number")
                .first()
            )
            if previous is not None:
                context["changes"] = change_summary(previous, event.revision)
        # Every writer of the byline hears of the decision, each in their own e-mail and language.
        for writer in article.authors:
            if writer.pk != event.actor_id and writer.email:
                sent += send_templated_email(
                    "articles/email/to_author",
                    to=[writer.email],
                    context={**context, "recipient": writer},
                    language=writer.email_language,
                )
    return sent


def _editors_by_language(*, besides: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for editor in editors():
        if editor.email != besides:
            groups.setdefault(editor.email_language, []).append(editor.email)
    shared = settings.EDITORS_EMAIL
    if shared and shared != besides and all(shared not in g for g in groups.values()):
        groups.setdefault(settings.LANGUAGE_CODE, []).append(shared)
    return groups


@task()
def purge_search_index() -> int:
    """After an account deletion: the removed name leaves the index's storage too (see
    search.purge_removed_entries)."""
    from . import search

    return search.purge_removed_entries()


@task()
def make_share_card(article_id: int) -> bool:
    from .sharecards import make_share_card as make

    return make(article_id)


@task()
def compute_related(article_id: int) -> int:
    """An article was published, or its title, lead or topics were edited while published: its
    "read more" (see `related`)."""
    from .related import store

    return store(article_id)


@task()
def refresh_related_naming(article_id: int) -> int:
    """An article was taken down or withdrawn: the "read more" lists that named it."""
    from .related import refresh_lists_naming

    return refresh_lists_naming(article_id)


@task()
def send_notifications(recipient_id: int) -> int:
    """Send one person what is due for them (see `notifications`)."""
    from .notifications import deliver_due

    return deliver_due(recipient_id)


@task()
def notify_coauthor(coauthor_id: int, what: str) -> int:
    """Tell the people of a co-authorship what happened: the invitee of an invitation, the author
    of an answer or a departure, a co-author of their removal. Members read it in the language they
    chose for Podium's e-mails; someone without an account in the one the author chose for them."""
    from podium.accounts.models import User

    from .coauthors import invitation_token
    from .models import CoAuthor

    row = CoAuthor.objects.select_related("article__author", "invited_by", "user").get(
        pk=coauthor_id
    )
    article = row.article
    context = {"row": row, "article": article, "what": what, "site_url": settings.SITE_URL}
    if what == "invited":
        context["token"] = invitation_token(row)
        member = User.objects.filter(email__iexact=row.email, is_active=True).first()
        return send_templated_email(
            "articles/email/coauthor_invitation",
            to=[row.email],
            context=context,
            language=member.email_language if member else row.language,
        )
    recipient = row.user if what == "removed" else article.author
    if recipient is None:
        return 0
    context["recipient"] = recipient
    return send_templated_email(
        "articles/email/coauthor_news",
        to=[recipient.email],
        context=context,
        language=recipient.email_language,
    )
