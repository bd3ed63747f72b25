from django.contrib import admin

from .models import DailyArticleStats


@admin.register(DailyArticleStats)
class DailyArticleStatsAdmin(admin.ModelAdmin):
    list_display = ["article", "day", "views", "read_throughs"]
    date_hierarchy = "day"
    raw_id_fields = ["article"]
