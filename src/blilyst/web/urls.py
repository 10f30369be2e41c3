"""The project's URLs. Each app brings its own ``urls.py``; every view needs a login unless it
is marked ``@login_not_required`` (see ``middleware.LoginRequiredMiddleware``)."""

from django.urls import include, path

from blilyst.web import views
from blilyst.web.api.urls import urls as api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("blilyst.web.accounts.urls")),
    path("municipalities/", include("blilyst.web.analysis.urls")),
    path("households/", include("blilyst.web.newcomers.urls")),
    path("privacy/", include("blilyst.web.privacy.urls")),
    path("api/", api_urls),
    # Coming apps:
    path("resources/", include("blilyst.web.resources.urls")),
    path("plan/", include("blilyst.web.planning.urls")),
    path("welcome/", include("blilyst.web.frontdoor.urls")),
    path("outreach/", include("blilyst.web.outreach.urls")),
    path("jobs/", include("blilyst.web.jobs.urls")),
]
