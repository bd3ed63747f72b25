from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin, ViewOnlyInline

from .models import Comment, Thread

COMMENT_FIELDS = ("author", "created_at", "body")


class CommentInline(ViewOnlyInline):
    model = Comment
    fields = COMMENT_FIELDS
    readonly_fields = COMMENT_FIELDS


@admin.register(Thread)
class ThreadAdmin(ViewOnlyAdmin):
    """For looking up. Comments and suggestions are written beside the text (annotations.services:
    who may, in which state; plain text), a suggestion applied only by its author's acceptance."""

    list_display = ["article", "kind", "quote", "created_by", "created_at", "decision"]
    list_filter = ["kind", "decision"]
    search_fields = ["quote", "article__title", "created_by__email"]
    list_select_related = ["article", "created_by"]
    inlines = [CommentInline]
