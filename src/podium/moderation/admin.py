from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin

from .models import ArticleReport, SpamFlag


# Reports are handled and flags cleared on the editors' desk, which records who did it and when.
@admin.register(ArticleReport)
class ArticleReportAdmin(ViewOnlyAdmin):
    list_display = ["article", "reason", "created_at", "handled_at", "handled_by"]
    list_filter = ["reason"]


@admin.register(SpamFlag)
class SpamFlagAdmin(ViewOnlyAdmin):
    list_display = ["article", "created_at", "cleared_at"]
