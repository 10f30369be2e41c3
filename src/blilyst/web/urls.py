"""The project's URLs. Each app brings its own ``urls.py``; every view needs a login unless it
is marked ``@login_not_required`` (see ``middleware.LoginRequiredMiddleware``)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from blilyst.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("blilyst.web.accounts.urls")),
    path("municipalities/", include("blilyst.web.analysis.urls")),
    # Coming apps:
    # path("households/", include("blilyst.web.newcomers.urls")),
    # path("resources/", include("blilyst.web.resources.urls")),
    # path("api/", api.urls),
]
