"""Reads: the threads beside a text, with where each passage is now, and the access helper."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from podium.accounts.models import User
from podium.articles.models import Article

from . import anchoring, rules
from .models import Comment, Thread
from .rules import Verb


@dataclass(frozen=True)
class Card:
    """One thread as the panel shows it: its messages, where its passage is in the current text,
    and what the viewer may do with it."""

    thread: Thread
    comments: list[Comment]
    found: anchoring.Found
    can_reply: bool
    can_resolve: bool
    can_decide: bool

    # An accepted suggestion changed its own passage: that it is not there any more is no news.

    @property
    def is_gone(self) -> bool:
        return self.found == anchoring.Found.GONE and not self._is_accepted

    @property
    def is_changed(self) -> bool:
        return self.found == anchoring.Found.CHANGED and not self._is_accepted

    @property
    def _is_accepted(self) -> bool:
        return self.thread.decision == Thread.Decision.ACCEPTED


@dataclass(frozen=True)
class Threads:
    article: Article
    open: list[Card] = field(default_factory=list)
    resolved: list[Card] = field(default_factory=list)
    can_comment: bool = False
    can_suggest: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.open and not self.resolved


def threads_beside(article: Article, viewer: User) -> Threads:
    """The article's threads for someone who may read them (check `rules.is_participant` first),
    open ones in the order of their passages, in two queries whatever their number."""
    text = anchoring.text_of(article.body).text
    can_reply = rules.allows(Verb.REPLY, article, viewer)
    can_resolve = rules.allows(Verb.RESOLVE, article, viewer)
    can_decide = rules.allows(Verb.DECIDE, article, viewer)
    open_cards: list[Card] = []
    resolved: list[Card] = []
    for thread in Thread.objects.filter(article=article).for_panel():
        card = Card(
            thread=thread,
            comments=list(thread.comments.all()),
            found=anchoring.locate(text, thread.anchor).found,
            can_reply=can_reply,
            can_resolve=can_resolve and not thread.is_suggestion,
            can_decide=can_decide and thread.is_open_suggestion,
        )
        (resolved if thread.is_resolved else open_cards).append(card)
    return Threads(
        article=article,
        open=open_cards,
        resolved=resolved,
        can_comment=rules.allows(Verb.COMMENT, article, viewer),
        can_suggest=rules.allows(Verb.SUGGEST, article, viewer),
    )


def get_thread(user: User, pk: int, *, desk: bool) -> Thread:
    """A thread of an article `user` may read: on the desk, as an editor; under Activiteiten, as
    its author or a co-author. Anyone else, or the other side's address, gets a 404."""
    try:
        thread = Thread.objects.select_related("article").get(pk=pk)
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not (
        rules.Role.EDITOR in rules.roles_of(thread.article, user)
        if desk
        else rules.is_writer(thread.article, user)
    ):
        raise Http404
    return thread
