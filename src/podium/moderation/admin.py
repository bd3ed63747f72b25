from django.contrib import admin

from .models import ArticleReport, SpamFlag


@admin.register(ArticleReport)
class ArticleReportAdmin(admin.ModelAdmin):
    list_display = ["article", "reason", "created_at", "handled_at", "handled_by"]
    list_filter = ["reason"]
    raw_id_fields = ["article", "reporter", "handled_by"]


@admin.register(SpamFlag)
class SpamFlagAdmin(admin.ModelAdmin):
    list_display = ["article", "created_at", "cleared_at"]
    raw_id_fields = ["article", "cleared_by"]
