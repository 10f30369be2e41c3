"""The JSON API: one ``NinjaAPI`` with a router per area, and token or session authentication.

Each area adds its router to ``ROUTERS`` (a prefix and the dotted path of a ``ninja.Router``); every
router must exist (a missing one is an import error, not an API that silently lacks endpoints).
Endpoints use the same tenancy helpers as the pages (:mod:`blilyst.web.lib.tenancy`):
``request.user`` is the token's user, so a token sees exactly what its user sees on the pages,
and another municipality's objects answer 404.

OpenAPI: ``/api/openapi.json`` and ``/api/docs`` (logged-in users). Every answer is JSON in a documented
shape, errors included: ``{"detail": ...}`` for 400, 401, 403, 404 (an unknown API address too) and 503 (the
database could not be reached, see ``TransactionMiddleware``), and
422 with ``detail`` (the request did not match the schema) or ``errors`` (a form refused it, per field).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.views.csrf import csrf_failure as django_csrf_failure
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


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# ninja's own 422 (``detail``: a list of schema errors, or a sentence) and a form's (``errors`` per field).
UNPROCESSABLE = {
    "type": "object",
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
ERROR_RESPONSES = {
    "400": "The request holds something no field accepts (a NUL character).",
    "401": "No valid token or session.",
    "403": "Your role does not allow this here.",
    "404": "No such object among yours (another municipality's answers the same), or no such address.",
    "503": "The database could not be reached; for a change, nothing of it was saved. Try again in a moment.",
}


class BlilystApi(NinjaAPI):
    """The API with its error answers in the OpenAPI description, so clients (and schema tests) know them."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code, {"description": description, "content": {"application/json": {"schema": DETAIL}}}
                    )
                responses["422"] = {
                    "description": "The request does not match the schema, or a form refused it.",
                    "content": {"application/json": {"schema": UNPROCESSABLE}},
                }
        return schema


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """An address under /api/ that does not exist: JSON like every other API answer."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check (a cookie login without the token): JSON under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": gettext("CSRF check failed: send the CSRF token, or use a Bearer token instead of a cookie.")},
            status=403,
        )
    return django_csrf_failure(request, reason)


def build_api() -> NinjaAPI:
    api = BlilystApi(
        title="blilyst API",
        version="1",
        description="Households of the newcomer service and the resources they are matched against. "
        "Authenticate with `Authorization: Bearer <token>` (create one with `blilyst web token USER`).",
        auth=[BearerToken(), django_auth],
        urls_namespace="api",
    )
    api.add_exception_handler(
        PermissionDenied,
        lambda request, exc: api.create_response(
            request, {"detail": gettext("Your role does not allow this here.")}, status=403
        ),
    )
    for prefix, dotted in ROUTERS:
        api.add_router(prefix, import_string(dotted))
    return api


api = build_api()
