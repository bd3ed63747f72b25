from django.contrib import admin

from .models import CSPViolation


@admin.register(CSPViolation)
class CSPViolationAdmin(admin.ModelAdmin):
    list_display = ["received_at", "directive", "document_uri", "blocked_uri"]
    list_filter = ["directive"]
    search_fields = ["document_uri", "blocked_uri"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
