"""Writes on topics (administrators, through the admin). A topic's name is part of every article
filed under it as readers search it, so a rename or a deletion is announced inside the
transaction (hooks.TOPIC_CHANGED) and the search index follows in it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from podium.core import freshness, hooks

from .models import Topic


def _require(by: PermissionsMixin | AnonymousUser, permission: str) -> None:
    if not by.has_perm(f"topics.{permission}_topic"):
        raise PermissionDenied(f"Only administrators may {permission} topics.")


@transaction.atomic
def save_topic(*, topic: Topic, by: PermissionsMixin | AnonymousUser) -> Topic:
    """Store `topic` as given (a new one, or changed fields of an existing one). When an existing
    topic's name changed, its articles are re-indexed in this transaction. Raises
    PermissionDenied for anyone without the admin's topic permission."""
    _require(by, "change" if topic.pk else "add")
    name_before = (
        Topic.objects.select_for_update().filter(pk=topic.pk).values_list("name", flat=True).first()
        if topic.pk
        else None
    )
    topic.save()
    if name_before is not None and name_before != topic.name:
        hooks.announce_in_transaction(hooks.TOPIC_CHANGED, topic_id=topic.pk, article_ids=None)
    freshness.readers_see_change_on_commit()  # topic pages and article pages show the name
    return topic


@transaction.atomic
def delete_topic(*, topic: Topic, by: PermissionsMixin | AnonymousUser) -> None:
    """Delete `topic`; its articles lose it and are re-indexed without it in this transaction."""
    _require(by, "delete")
    article_ids = list(topic.articles.values_list("pk", flat=True))
    topic_id = topic.pk
    topic.delete()
    hooks.announce_in_transaction(hooks.TOPIC_CHANGED, topic_id=topic_id, article_ids=article_ids)
    freshness.readers_see_change_on_commit()
