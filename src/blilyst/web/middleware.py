"""Project-wide middleware: login everywhere, and the language a page is shown in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from blilyst import i18n

API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every view needs a logged-in user unless it is marked ``@login_not_required``.

    The exceptions are the login and logout pages, the privacy notice, the language switch,
    the health check and static files (served by whitenoise before any view runs). A new view
    is protected by default: forgetting a decorator cannot expose it. API calls (under
    ``/api/``) get a 401 JSON answer instead of a redirect to the login page.
    """

    def handle_no_permission(self, request, view_func):
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": "Authentication required."}, status=401)
        return super().handle_no_permission(request, view_func)


class LanguageMiddleware:
    """The language a page is shown in: the person's choice, else their municipality's written standard.

    In order: the language a logged-in user chose (``User.language``, saved by the language switch), the
    language cookie (the switch, for people not logged in), the written standard of the user's municipality
    (``Municipality.written_standard``: bokmål, nynorsk, or bokmål when neutral), and bokmål. Unlike Django's
    LocaleMiddleware this ignores the browser's Accept-Language header: the product is Norwegian by default, and an
    English browser should not make it English. Runs after the authentication middleware, as it reads the user.

    The core's texts (plan documents, notes, headlines from ``blilyst.plan`` and friends) use their own gettext
    catalogs; the core language is set to the page's for the request, so a page never mixes two languages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def language_for(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in self.supported:
            return chosen
        if user is not None and user.is_authenticated:
            standard = user.preferred_language()
            if standard in self.supported:
                return standard
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        with i18n.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features blilyst never uses (camera, microphone, location, payment ...),
    so that injected content could not use them either."""

    POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
