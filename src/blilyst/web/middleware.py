"""Project-wide middleware: login everywhere, the language a page is shown in, and one database
transaction per write request."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

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
            return JsonResponse(
                {"detail": translation.gettext("Authentication required: log in or send a Bearer token.")}, status=401
            )
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


class PrivateResponsesMiddleware:
    """Every page a logged-in user sees, and every API answer, may hold personal data: ``Cache-Control:
    no-store, private``, so neither a shared proxy nor the browser's cache keeps a copy (a shared office
    computer's back button or disk). The public front door and static files are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already = "no-store" in response.get("Cache-Control", "")
        if not already and (request.path.startswith(API_PREFIX) or (user is not None and user.is_authenticated)):
            patch_cache_control(response, no_store=True, private=True)
        return response


class PasswordChangeRequiredMiddleware:
    """A user holding a one-time password (a new member, or one an administrator reset) must choose their own
    before anything else: every page but the password change, logging out and the language switch sends
    them there."""

    ALLOWED = frozenset({"password_change", "password_change_done", "logout", "set_language", "login"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in self.ALLOWED:
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": translation.gettext("Change your one-time password on the web page first.")}, status=403
            )
        return redirect("password_change")


class RejectNulMiddleware:
    """400 for a NUL character in the address, the query string or a form or JSON body.

    No text blilyst keeps may hold one (PostgreSQL cannot store it, and it is never typed by a person),
    so such a request is refused before any view sees it. File uploads are not looked into.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            from django.utils.translation import gettext as _

            message = _("The request contains a NUL character, which no field accepts. Remove it and try again.")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in request.body or b"\x00" in request.body
        if content_type.startswith("multipart/form-data"):  # the fields only; uploaded files are not looked into
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        if content_type.startswith("application/json"):
            return b"\\u0000" in request.body or b"\x00" in request.body
        return False


log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TransactionMiddleware:
    """Each request's writes are one transaction, and a dropped database connection is survived where
    that is safe.

    A request that may write (POST, PUT, PATCH, DELETE) runs its view in one ``transaction.atomic()``: an
    exception or a 5xx answer rolls back everything the view wrote, so an entry never exists without
    its household update and access-log row. If the database fails during a write (the connection is lost,
    a lock cannot be had), nothing is saved and the user is told so (503) instead of a bare error page.

    A read (GET, HEAD) whose view loses its connection (the server restarted, a proxy or an operator
    ended it) is run once more on a fresh connection; reads change nothing, so a retry is safe. If the
    retry fails too, the database is down: the answer is 503 saying so, not a server error.
    Reads are not wrapped in a transaction: on SQLite (``transaction_mode=IMMEDIATE``) that would
    make every page view take the write lock. Must be the last middleware, so that it runs the view.

    A view marked with Django's ``transaction.non_atomic_requests`` keeps its own transactions: one that
    sends e-mail must commit its log in the same unit as the mail leaves, which a surrounding request
    transaction that rolls back later would break.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            try:
                return view_func(request, *view_args, **view_kwargs)
            except (OperationalError, InterfaceError) as exc:
                if connection.in_atomic_block:
                    raise
                log.warning(
                    "Database connection lost during %s %s (%s); retrying once.", request.method, request.path, exc
                )
                connection.close()
                try:
                    return view_func(request, *view_args, **view_kwargs)
                except (OperationalError, InterfaceError) as again:
                    # The database is down, not just one connection: say so instead of a server error page.
                    log.error("Database still unreachable for %s %s (%s).", request.method, request.path, again)
                    connection.close()
                    return _read_failed(request)
        try:
            if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
                return view_func(request, *view_args, **view_kwargs)
            with transaction.atomic():
                response = view_func(request, *view_args, **view_kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                return response
        except (OperationalError, InterfaceError) as exc:
            # The transaction is rolled back (or died with its connection): nothing of the request is saved.
            log.error(
                "Database connection lost during %s %s (%s); nothing was saved.", request.method, request.path, exc
            )
            connection.close()
            return _write_failed(request)


def _write_failed(request):
    from django.utils.translation import gettext as _

    message = _(
        "The database could not be reached while saving, so nothing was saved. Try again in a moment; "
        "if it keeps failing, tell your administrator."
    )
    return _database_unreachable(request, _("Not saved"), message)


def _read_failed(request):
    from django.utils.translation import gettext as _

    message = _(
        "The database could not be reached, so this page cannot be shown right now. Try again in a moment; "
        "if it keeps failing, tell your administrator."
    )
    return _database_unreachable(request, _("Not available right now"), message)


def _database_unreachable(request, title: str, message: str):
    """503 saying what happened: JSON for the API, a short page (no database needed to draw it) elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=503)
    return render(request, "503_database.html", {"title": title, "message": message}, status=503)


class SnapshotVersionMiddleware:
    """Checks once per request whether the data snapshot was refreshed (by ``blilyst data refresh`` in any
    process: one ``stat`` of the local snapshot's manifest). A new snapshot replaces the old one in this
    process and empties the caches computed from it, so every worker serves the new figures without a
    restart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from blilyst.stats.snapshot import load_snapshot

        load_snapshot()
        return self.get_response(request)
