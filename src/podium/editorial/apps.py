from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "podium.editorial"
    label = "editorial"
    verbose_name = _("Editorial")

    def ready(self) -> None:
        from podium.core import freshness, hooks

        from .receivers import on_article_event, on_daily
        from .selectors import next_placement_change

        hooks.register(hooks.ARTICLE_EVENT, on_article_event)
        hooks.register(hooks.DAILY, on_daily)
        # A placement's start or end changes the home page at that moment.
        freshness.changes_at(next_placement_change)
