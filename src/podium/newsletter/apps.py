from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "podium.newsletter"
    label = "newsletter"

    def ready(self) -> None:
        # The provider's bounce and complaint webhooks arrive through anymail's `tracking` signal.
        from . import webhooks  # noqa: F401
