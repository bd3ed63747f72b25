from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "podium.editorial"
    label = "editorial"
    verbose_name = _("Editorial")

    def ready(self) -> None:
        from podium.core import hooks

        from .receivers import on_article_event, on_daily

        hooks.register(hooks.ARTICLE_EVENT, on_article_event)
        hooks.register(hooks.DAILY, on_daily)
