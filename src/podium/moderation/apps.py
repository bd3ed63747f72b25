from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Readers' reports and spam flags; sits on `articles` and below `editorial` (whose desk shows
    the queue through this app's selectors and template tag)."""

    name = "podium.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from podium.core import hooks

        from .receivers import on_article_event

        hooks.register(hooks.ARTICLE_EVENT, on_article_event)
