from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "podium.newsletter"
    label = "newsletter"

    def ready(self) -> None:
        # The provider's bounce and complaint webhooks arrive through anymail's `tracking` signal.
        from podium.core import panels

        from . import webhooks  # noqa: F401
        from .desk_views import statistics_panel

        # The editors' statistics page (editorial, a floor below) shows the list's figures.
        panels.register(panels.DESK_STATISTICS, statistics_panel)
