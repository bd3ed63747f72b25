from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import TrustChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "is_trusted", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_trusted", "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name", "organisation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "slug", "job_title", "organisation", "bio", "photo", "website", "linkedin", "expertise")}),
        (_("Roles"), {"fields": ("is_active", "is_trusted", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups", "expertise"]
    # Trust changes go through the editors' desk, which records who changed it and why.
    readonly_fields = ["is_trusted"]


@admin.register(TrustChange)
class TrustChangeAdmin(admin.ModelAdmin):
    list_display = ["user", "is_trusted", "source", "changed_by", "changed_at"]
    list_filter = ["is_trusted", "source"]
    raw_id_fields = ["user", "changed_by"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
