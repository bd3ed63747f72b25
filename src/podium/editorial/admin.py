from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin

from .models import Pick, Placement


# Placements and picks are made on the editors' desk (services.place_on_home and the picks),
# which refreshes the pages that show them and records who did it.
@admin.register(Placement)
class PlacementAdmin(ViewOnlyAdmin):
    list_display = ["article", "position", "starts_at", "ends_at", "placed_by"]


@admin.register(Pick)
class PickAdmin(ViewOnlyAdmin):
    list_display = ["article", "kind", "picked_by", "picked_at"]
    list_filter = ["kind"]
