from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin, ViewOnlyInline

from .models import Article, ArticleEvent, CoAuthor, PreviewLink, Revision

REVISION_FIELDS = ("number", "kind", "title", "created_by", "created_at")
EVENT_FIELDS = ("at", "action", "actor", "from_state", "to_state", "message")


class RevisionInline(ViewOnlyInline):
    model = Revision
    fields = REVISION_FIELDS
    readonly_fields = REVISION_FIELDS


class EventInline(ViewOnlyInline):
    model = ArticleEvent
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS


COAUTHOR_FIELDS = (
    "email",
    "user",
    "state",
    "invited_by",
    "invited_at",
    "expires_at",
    "answered_at",
)
# The token's hash is left out: nothing in the admin helps to rebuild or recognise a link.
PREVIEW_LINK_FIELDS = (
    "revision",
    "label",
    "created_by",
    "created_at",
    "expires_at",
    "revoked_at",
    "first_opened_at",
    "last_opened_at",
    "open_count",
)


class CoAuthorInline(ViewOnlyInline):
    model = CoAuthor
    fk_name = "article"
    fields = COAUTHOR_FIELDS
    readonly_fields = COAUTHOR_FIELDS


class PreviewLinkInline(ViewOnlyInline):
    model = PreviewLink
    fields = PREVIEW_LINK_FIELDS
    readonly_fields = PREVIEW_LINK_FIELDS


@admin.register(Article)
class ArticleAdmin(ViewOnlyAdmin):
    """For looking up. The text is changed on the editors' desk (services.edit_article: sanitised,
    a revision, the search index, the author told), the state only through the lifecycle."""

    list_display = ["title", "author", "state", "published_at", "updated_at"]
    list_filter = ["state", "topics"]
    search_fields = ["title", "author__email", "author__display_name"]
    list_select_related = ["author"]
    # Co-authors and preview links change only under Activiteiten (articles.coauthors, .previews).
    inlines = [RevisionInline, EventInline, CoAuthorInline, PreviewLinkInline]
