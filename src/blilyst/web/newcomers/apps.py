from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    name = "blilyst.web.newcomers"
    label = "newcomers"
    verbose_name = _("Newcomers")
