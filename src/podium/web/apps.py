from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "podium.web"
    label = "web"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from podium.core.freshness import changes_at

        from . import freshness

        changes_at(freshness.next_scheduled_publication)
        changes_at(freshness.next_placement_change)
