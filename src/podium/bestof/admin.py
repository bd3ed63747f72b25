from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin, ViewOnlyInline

from .models import Compilation, CompilationEntry


class EntryInline(ViewOnlyInline):
    model = CompilationEntry


@admin.register(Compilation)
class CompilationAdmin(ViewOnlyAdmin):
    """For looking up: compilations are built, finalised and changed on the editors' desk."""

    list_display = ["title", "period_start", "period_end", "state", "build_status"]
    list_filter = ["state", "build_status"]
    inlines = [EntryInline]
