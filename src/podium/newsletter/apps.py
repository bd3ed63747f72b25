from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "podium.newsletter"
    label = "newsletter"

    def ready(self) -> None:
        # The provider's bounce and complaint webhooks arrive through anymail's `tracking` signal.
        from podium.core import hooks

        from . import selectors, webhooks  # noqa: F401

        # The editors' statistics page (editorial, a floor below) shows the list's figures.
        hooks.register(hooks.DESK_FIGURES, selectors.desk_figures)
