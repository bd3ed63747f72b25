from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "podium.delivery"
    label = "delivery"

    def ready(self) -> None:
        from podium.core import hooks

        from .pagecache import on_readers_see_change

        hooks.register(hooks.READERS_SEE_CHANGE, on_readers_see_change)
