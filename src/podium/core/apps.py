from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "podium.core"
    label = "core"

    def ready(self) -> None:
        from .site import sync_site_after_migrate

        post_migrate.connect(sync_site_after_migrate, dispatch_uid="podium-sync-site")
