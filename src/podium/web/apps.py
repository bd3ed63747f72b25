from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "podium.web"
    label = "web"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from podium.core import pagecache

        from . import freshness

        pagecache.register_next_change(freshness.next_scheduled_publication)
        pagecache.register_next_change(freshness.next_placement_change)
