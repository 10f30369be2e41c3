"""The API's URLs. Its endpoints authenticate themselves (token or session, 401 JSON otherwise), so
they are exempt from the login redirect; the OpenAPI description and docs stay behind the login."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from blilyst.web.api.api import api, not_found

DOC_VIEWS = {"openapi-json", "openapi-view"}


def _authenticated_by_ninja(view):
    @wraps(view)
    def endpoint(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    if getattr(view, "csrf_exempt", False):  # ninja checks CSRF for session auth itself
        endpoint = csrf_exempt(endpoint)
    return login_not_required(endpoint)


def _urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if getattr(pattern, "name", None) not in DOC_VIEWS:
            pattern.callback = _authenticated_by_ninja(pattern.callback)
    # Anything else under /api/ answers a JSON 404, never the HTML page.
    patterns = [*patterns, re_path(r"", _authenticated_by_ninja(not_found), name="not-found")]
    return patterns, app_name, namespace


urls = _urls()
