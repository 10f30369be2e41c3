from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontDoorConfig(AppConfig):
    name = "blilyst.web.frontdoor"
    label = "frontdoor"
    verbose_name = _("Public front door")
