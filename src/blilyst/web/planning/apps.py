from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "blilyst.web.planning"
    label = "planning"
    verbose_name = _("The municipality's plan")

    def ready(self) -> None:
        from blilyst.web.lib.sharedcache import install

        install()  # SSB answers, figures and charts: Redis when BLILYST_REDIS_URL is set, else the CLI's folder
