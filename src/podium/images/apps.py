from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "podium.images"
    label = "images"
    verbose_name = _("Pictures")

    def ready(self) -> None:
        # HEIC/HEIF (photos from phones) open through Pillow like any other format.
        from pillow_heif import register_heif_opener

        register_heif_opener()

        from podium.core import hooks

        from .cleanup import on_daily

        hooks.register(hooks.DAILY, on_daily)
