from django.contrib import admin

from .models import Compilation, CompilationEntry


class EntryInline(admin.TabularInline):
    model = CompilationEntry
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Compilation)
class CompilationAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "state", "build_status"]
    list_filter = ["state", "build_status"]
    readonly_fields = [
        "uid",
        "build_number",
        "build_status",
        "build_progress",
        "build_step",
        "build_errors",
        "build_warnings",
        "build_started_at",
        "build_finished_at",
        "finalised_at",
        "finalised_by",
    ]
    inlines = [EntryInline]
