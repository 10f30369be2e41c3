"""The JSON API: one ``NinjaAPI`` with a router per area, and token or session authentication.

Each area adds its router to ``ROUTERS`` (a prefix and the dotted path of a ``ninja.Router``); a
router whose module does not exist yet is skipped, an import error inside an existing one is
raised. Endpoints use the same tenancy helpers as the pages (:mod:`blilyst.web.lib.tenancy`):
``request.user`` is the token's user, so a token sees exactly what its user sees on the pages,
and another municipality's objects answer 404.

OpenAPI: ``/api/openapi.json`` and ``/api/docs`` (logged-in users).
"""

from __future__ import annotations

from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from blilyst.web.api.models import ApiToken

ROUTERS: list[tuple[str, str]] = [
    ("/households/", "blilyst.web.newcomers.api.router"),
    ("/resources/", "blilyst.web.resources.api.router"),
    ("/plan/", "blilyst.web.planning.api.router"),
]


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user becomes ``request.user``."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = ApiToken.user_for(token)
        if user is None:
            return None
        request.user = user
        return user


def _load_router(dotted: str):
    module_name = dotted.rsplit(".", 1)[0]
    try:
        return import_string(dotted)
    except ImportError as exc:
        if isinstance(exc, ModuleNotFoundError) and exc.name == module_name:
            return None
        raise


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="blilyst API",
        version="1",
        description="Households of the newcomer service and the resources they are matched against. "
        "Authenticate with `Authorization: Bearer <token>` (create one with `blilyst web token USER`).",
        auth=[BearerToken(), django_auth],
        urls_namespace="api",
    )
    for prefix, dotted in ROUTERS:
        router = _load_router(dotted)
        if router is not None:
            api.add_router(prefix, router)
    return api


api = build_api()
