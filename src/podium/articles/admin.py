from django.contrib import admin

from .models import Article, ArticleEvent, Revision

REVISION_FIELDS = ("number", "kind", "title", "created_by", "created_at")
EVENT_FIELDS = ("at", "action", "actor", "from_state", "to_state", "message")


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = REVISION_FIELDS
    readonly_fields = REVISION_FIELDS
    can_delete = False


class EventInline(admin.TabularInline):
    model = ArticleEvent
    extra = 0
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "state", "published_at", "updated_at"]
    list_filter = ["state", "topics"]
    search_fields = ["title", "author__email", "author__display_name"]
    list_select_related = ["author"]
    # The state is changed only through the lifecycle (the editor desk), never by hand here.
    readonly_fields = [
        "state",
        "version",
        "word_count",
        "char_count",
        "submitted_at",
        "published_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["author"]
    inlines = [RevisionInline, EventInline]

    def has_add_permission(self, request: object) -> bool:
        return False
