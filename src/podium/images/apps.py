from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "podium.images"
    label = "images"
    verbose_name = _("Pictures")

    def ready(self) -> None:
        # HEIC/HEIF: podium.core.heif, on a process's first picture.
        from podium.core import hooks

        from .cleanup import on_daily

        hooks.register(hooks.DAILY, on_daily)
