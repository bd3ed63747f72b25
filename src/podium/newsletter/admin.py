from django.contrib import admin

from podium.core.admin import ViewOnlyAdmin, ViewOnlyInline

from .models import Delivery, Edition, EditionItem, Subscriber


# The status and the consent change only through the services (subscribe, confirm, unsubscribe,
# suppress, import), which keep the consent record and the suppression list right.
@admin.register(Subscriber)
class SubscriberAdmin(ViewOnlyAdmin):
    list_display = ["email", "status", "consent_source", "confirmed_at", "left_at", "bounce_score"]
    list_filter = ["status", "consent_source"]
    search_fields = ["email"]


class EditionItemInline(ViewOnlyInline):
    model = EditionItem


# Editions are composed, tested and sent on the editors' desk; deliveries are written by the
# sender alone, claimed and recorded exactly once.
@admin.register(Edition)
class EditionAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "status", "created_at", "scheduled_at", "started_at", "finished_at"]
    list_filter = ["status"]
    inlines = [EditionItemInline]


@admin.register(Delivery)
class DeliveryAdmin(ViewOnlyAdmin):
    list_display = ["edition", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "edition"]
    search_fields = ["subscriber__email"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
