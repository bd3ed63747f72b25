from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BestofConfig(AppConfig):
    name = "podium.bestof"
    label = "bestof"
    verbose_name = _("Het beste van Podium")
