from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit, mfa, services
from .forms import ProfileRules, photo_field
from .models import AuditEvent, TrustChange, User


class AdminUserChangeForm(ProfileRules, UserChangeForm):
    """The admin's user form keeps the profile's rules (`ProfileRules`): names and bio as plain
    text, the bio's link rule, web addresses checked, a photo re-encoded without its metadata."""

    photo = photo_field()

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["photo"].initial = self.instance.photo or None

    def clean_email(self) -> str:
        """An address another account has confirmed (as its primary or an extra one) stays theirs:
        services.set_email would otherwise make it verified twice."""
        email: str = self.cleaned_data["email"]
        taken = EmailAddress.objects.filter(email__iexact=email, verified=True)
        if taken.exclude(user_id=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This address already belongs to another account."), code="taken"
            )
        return email


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AdminUserChangeForm
    # The photo is never assigned by the ModelForm: the profile service stores the re-encoded
    # upload (save_model), so a file from the admin is treated exactly like one from the site.
    exclude = ["photo"]
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "organisation",
        "is_trusted",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["role", "is_trusted", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "display_name", "organisation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "slug",
                    "job_title",
                    "organisation",
                    "bio",
                    "photo",
                    "website",
                    "linkedin",
                    "expertise",
                )
            },
        ),
        (_("Roles"), {"fields": ("role", "is_active", "is_trusted", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["expertise"]
    # Trust changes go through the editors' desk, which records who changed it and why.
    readonly_fields = ["is_trusted"]
    actions = ["reset_second_factors"]

    # A new role and a new address go through their services after the save (services.set_role
    # audits the role and signs the person out; services.set_email replaces their allauth
    # addresses): until then the row keeps the values from before.
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if change:
            before = User.objects.get(pk=obj.pk)
            request._podium_staff_changed = (before.is_staff, before.is_superuser) != (
                obj.is_staff,
                obj.is_superuser,
            )
            new_email, new_role = obj.email, obj.role
            email_changed = before.email.lower() != new_email.lower()
            obj.email, obj.role = before.email, before.role
            if request._podium_staff_changed:
                audit.record(
                    action=AuditEvent.Action.STAFF_CHANGED,
                    subject=obj,
                    by=request.user,
                    is_staff=obj.is_staff,
                    is_superuser=obj.is_superuser,
                )
        super().save_model(request, obj, form, change)
        if change:
            profile = {
                name: form.cleaned_data[name]
                for name in (*services.PROFILE_FIELDS, "photo")
                if name in form.cleaned_data
            }
            services.update_profile(user=obj, by=request.user, data=profile)
            if email_changed:
                services.set_email(
                    user=obj,
                    email=new_email,
                    by=request.user,
                    session_key=request.session.session_key,
                )
            services.set_role(
                user=obj, role=new_role, by=request.user, session_key=request.session.session_key
            )
            # super() saved the row already: the byline before is the one read above.
            services.announce_byline_changes(user=obj, before=services.byline_of(before))

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        if change and getattr(request, "_podium_staff_changed", False):
            # Admin access, like a role, takes effect at the next sign-in, which asks staff for
            # a second factor.
            self._end_sessions(request, form.instance)

    def user_change_password(self, request, id, form_url=""):  # type: ignore[no-untyped-def]
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # A password set by an administrator: every session of the person signs in again.
            self._end_sessions(request, User.objects.get(pk=id))
        return response

    @staticmethod
    def _end_sessions(request, user):  # type: ignore[no-untyped-def]
        own = user.pk == request.user.pk
        services.end_sessions(user=user, keep=request.session.session_key if own else None)

    @admin.action(description=_("Reset second factors (lost phone)"), permissions=["change"])
    def reset_second_factors(self, request, queryset):  # type: ignore[no-untyped-def]
        total = sum(mfa.reset_mfa(user=user, by=request.user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d second factor removed.", "%(count)d second factors removed.", total)
            % {"count": total},
            messages.SUCCESS,
        )


@admin.register(TrustChange)
class TrustChangeAdmin(admin.ModelAdmin):
    list_display = ["user", "is_trusted", "source", "changed_by", "changed_at"]
    list_filter = ["is_trusted", "source"]
    raw_id_fields = ["user", "changed_by"]

    # Trust is granted and revoked on the editors' desk (services.set_trust), which records why.
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the code that makes the changes, never by hand."""

    list_display = ["at", "action", "subject", "actor", "details"]
    list_filter = ["action"]
    search_fields = ["subject__email", "actor__email"]
    list_select_related = ["subject", "actor"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return bool(request.user.is_superuser or request.user.is_administrator)

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return self.has_view_permission(request)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
