from django.contrib import admin

from .models import Pick, Placement


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["article", "position", "starts_at", "ends_at", "placed_by"]
    raw_id_fields = ["article"]


@admin.register(Pick)
class PickAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "picked_by", "picked_at"]
    list_filter = ["kind"]
    raw_id_fields = ["article"]
