"""Who may do what with comments and suggestions, as one table.

Comments and suggestions belong to a text under review: a submission, a piece whose changes
the editors requested, or a draft shared with co-authors (they review each other's text before
it goes to the editors, who do not see drafts). The people around it are its author, the
co-authors who accepted the author's invitation, and the editors (administrators are editors
too); nobody else sees them, and a reader never does.

    action     author, co-authors                             editor
    comment    shared draft, submitted, changes requested     submitted, changes requested
    reply      shared draft, submitted, changes requested     submitted, changes requested
    resolve    shared draft, submitted, changes requested     submitted, changes requested
    suggest    -                                              submitted, changes requested
    decide     draft, changes requested                       -

(resolve: and reopen; decide: accept or reject.) The writers decide on a suggestion while the text
is theirs to edit (accepting one changes it, as `lifecycle`'s "edit the text" allows); after
publication, a rejection or a withdrawal the threads stay readable, and nobody adds to them.
`check` raises PermissionDenied for someone who is not among the people around the text and
`NotNow` for the right person at the wrong moment; `allows` answers the same question for
showing buttons (the services always check).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles import lifecycle
from podium.articles.models import Article

State = Article.State
# Not a state of its own: a draft that has co-authors (see `_situation`).
SHARED_DRAFT = "shared_draft"
UNDER_REVIEW = frozenset({State.SUBMITTED, State.CHANGES_REQUESTED})
AMONG_WRITERS = UNDER_REVIEW | {SHARED_DRAFT}
EDITABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})


# The parts people play around an article are the lifecycle's: author, co-author, editor.
Role = lifecycle.Actor


class Verb(StrEnum):
    COMMENT = "comment"
    REPLY = "reply"
    RESOLVE = "resolve"
    SUGGEST = "suggest"
    DECIDE = "decide"


def _writers(states: frozenset[str]) -> dict[Role, frozenset[str]]:
    return {Role.AUTHOR: states, Role.COAUTHOR: states}


TABLE: dict[Verb, dict[Role, frozenset[str]]] = {
    Verb.COMMENT: {**_writers(AMONG_WRITERS), Role.EDITOR: UNDER_REVIEW},
    Verb.REPLY: {**_writers(AMONG_WRITERS), Role.EDITOR: UNDER_REVIEW},
    Verb.RESOLVE: {**_writers(AMONG_WRITERS), Role.EDITOR: UNDER_REVIEW},
    Verb.SUGGEST: {Role.EDITOR: UNDER_REVIEW},
    Verb.DECIDE: _writers(EDITABLE),
}


class NotNow(Exception):
    """The right person, but the article's state does not allow this now. Nothing was written."""

    def __init__(self, verb: Verb, article: Article) -> None:
        self.verb = verb
        self.article = article
        if verb == Verb.DECIDE:
            message = _(
                "You can accept or reject suggestions once the editors have asked for changes."
            )
        else:
            message = _("Comments and suggestions are closed: the article is “%(state)s”.") % {
                "state": State(article.state).label
            }
        super().__init__(message)


def roles_of(article: Article, user: User) -> set[Role]:
    """The parts `user` plays around `article` (none for anyone else, or for an inactive account):
    what they are to it (`lifecycle.actors`), as an editor only once it is not a draft."""
    if not user.is_authenticated or not user.is_active:
        return set()
    found = set(lifecycle.actors(article, user))
    if article.state == State.DRAFT:
        found.discard(Role.EDITOR)
    return found


def is_writer(article: Article, user: User) -> bool:
    return bool(roles_of(article, user) & {Role.AUTHOR, Role.COAUTHOR})


def _situation(article: Article) -> set[str]:
    """The article's state, and whether it is a shared draft."""
    found = {article.state}
    if article.state == State.DRAFT and article.coauthor_ids:
        found.add(SHARED_DRAFT)
    return found


def is_participant(article: Article, user: User) -> bool:
    """May `user` read the threads of `article`?"""
    return bool(roles_of(article, user))


def allows(verb: Verb, article: Article, user: User) -> bool:
    situation = _situation(article)
    return any(situation & TABLE[verb].get(role, frozenset()) for role in roles_of(article, user))


def check(verb: Verb, article: Article, user: User) -> None:
    """Raise PermissionDenied or NotNow unless `user` may do `verb` on `article` now."""
    roles = roles_of(article, user)
    if not any(role in TABLE[verb] for role in roles):
        if verb == Verb.SUGGEST:
            raise PermissionDenied(_("Only editors can suggest changes."))
        if verb == Verb.DECIDE:
            raise PermissionDenied(
                _("Only the author and the co-authors can accept or reject a suggestion.")
            )
        raise PermissionDenied(_("Only the author, the co-authors and the editors can do this."))
    if not allows(verb, article, user):
        raise NotNow(verb, article)
