from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnotationsConfig(AppConfig):
    name = "podium.annotations"
    label = "annotations"
    verbose_name = _("Comments and suggestions")

    def ready(self) -> None:
        from podium.core import panels

        from .views import editor_panel

        panels.register(panels.ARTICLE_EDITOR, editor_panel)
