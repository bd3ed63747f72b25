from django.contrib import admin

from .models import Delivery, Edition, EditionItem, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "consent_source", "confirmed_at", "left_at", "bounce_score"]
    list_filter = ["status", "consent_source"]
    search_fields = ["email"]
    readonly_fields = ["consent_at", "consent_source", "consent_text", "confirmed_at", "left_at"]


class EditionItemInline(admin.TabularInline):
    model = EditionItem
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "scheduled_at", "started_at", "finished_at"]
    list_filter = ["status"]
    inlines = [EditionItemInline]
    readonly_fields = ["html", "text", "started_at", "finished_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["edition", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "edition"]
    raw_id_fields = ["edition", "subscriber"]
    search_fields = ["subscriber__email"]
