from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Privacy rights: export, account deletion, the privacy statement, retention. Sits at the top
    (beside web), because a person's data is spread over every app below it."""

    name = "podium.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from podium.core import hooks

        from .services import enforce_retention

        hooks.register(hooks.DAILY, enforce_retention)
