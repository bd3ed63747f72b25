"""Deleting an account in the admin is the privacy service's erasure, not a bare row delete: a
bare delete would leave the photo in storage, the name in the search index, in sent editions and
compilation files, and would be refused for every author (their articles protect the row)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from podium.accounts.admin import UserAdmin
from podium.accounts.models import User

from . import services

admin.site.unregister(User)


@admin.register(User)
class ErasingUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        # What the erasure does instead of Django's cascade list (whose protected articles would
        # block the deletion): the account goes, the articles follow the setting.
        perms_needed = set() if self.has_delete_permission(request) else {_("user")}
        summary = [
            _("%(account)s: the account, profile, photo and drafts; every copy of the name")
            % {"account": obj}
            for obj in objs
        ]
        return summary, {_("users"): len(summary)}, perms_needed, []

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        services.erase_account(user=obj, by=request.user)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset:
            services.erase_account(user=user, by=request.user)
