"""Security of the whole site: login everywhere, CSRF, headers, cookies."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Views anyone may reach without logging in. Anything else in the urlconf must redirect to login.
PUBLIC_URL_NAMES = {"login", "logout", "privacy", "healthz", "set_language"}
# A municipality's public front door (404 unless published; tests/web/frontdoor).
PUBLIC_URL_NAMES |= {"front_door", "front_door_in", "front_door_thanks"}
# A staff member's calendar feed answers to its secret token instead of a login (tests/web/outreach).
PUBLIC_URL_NAMES |= {"calendar_feed"}

SAMPLE_VALUES = {"int": "1", "str": "4036", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _sample_url(route: str) -> str:
    """Fill a route's converters with sample values: '<int:pk>/' → '1/'."""
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route)
    url = url.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + url


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_urlconf_has_the_expected_public_views():
    names = {name for _route, name in ALL_ROUTES}
    assert names >= PUBLIC_URL_NAMES


@pytest.mark.parametrize(("route", "name"), [r for r in ALL_ROUTES if r[1] not in PUBLIC_URL_NAMES])
def test_it_redirects_anonymous_visitors_to_login(db, route, name):
    url = _sample_url(route)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if url.startswith("/api/"):
            # The API authenticates itself (token or session): 401, or 404/405 for what no endpoint serves.
            assert response.status_code in (401, 404, 405), (method, url, response.status_code)
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(reverse("login") + "?next="), (method, url)


def test_the_privacy_notice_is_public(db):
    response = Client().get(reverse("privacy"))
    assert response.status_code == 200
    assert "Personvern" in response.content.decode()


def test_the_privacy_notice_covers_hosts_owners_and_own_periods(db):
    text = Client().get(reverse("privacy")).content.decode()
    assert "Verter og eiere av boliger" in text and "ser bare kommunens kontaktpersoner" in text
    assert "En kommune kan ha satt sin egen tid" in text
    english = Client()
    english.cookies["blilyst_language"] = "en"
    assert "Hosts and owners of dwellings" in english.get(reverse("privacy")).content.decode()


def test_the_health_check_is_public(db):
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_it_sends_security_headers(db):
    response = Client().get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts_or_styles(people, client_for):
    client = client_for(people.alice)
    for url in (reverse("home"), reverse("login"), reverse("privacy")):
        html = Client().get(url).content.decode() if url != reverse("home") else client.get(url).content.decode()
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html


def test_cookies_are_http_only_and_same_site(people):
    client = Client()
    response = client.get(reverse("login"))
    csrf = response.cookies["blilyst_csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": "korrekt-hest-batteri-stift", "csrfmiddlewaretoken": csrf.value},
    )
    session = response.cookies["blilyst_session"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_it_refuses_a_login_post_without_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "korrekt-hest-batteri-stift"})
    assert response.status_code == 403
    assert "blilyst_session" not in response.cookies


def test_it_refuses_a_logout_post_without_csrf_token(people, client_for):
    client = client_for(people.alice, enforce_csrf_checks=True)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert client.get(reverse("home")).status_code == 200  # still logged in


def test_it_refuses_a_language_switch_without_csrf_token(db):
    response = Client(enforce_csrf_checks=True).post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 403


def test_no_view_is_csrf_exempt():
    from django.urls import get_resolver

    def views(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from views(entry.url_patterns)
            else:
                yield entry.callback

    exempt = [view for view in views(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False)]
    # django-ninja views are exempt from Django's middleware and check CSRF themselves for cookie logins.
    assert [v for v in exempt if not getattr(v, "__module__", "").startswith("ninja")] == []


def test_passwords_are_hashed_with_argon2(password_hash):
    assert password_hash.startswith("argon2")


def test_static_files_are_served_locally_without_login(db):
    response = Client().get("/static/blilyst/site.css")
    assert response.status_code == 200
    assert b".skip-link" in b"".join(response.streaming_content)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_tests_run_on_the_database_named_by_database_url(db):
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_a_refused_form_explains_itself_in_norwegian(people):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()


def test_production_sends_hsts_and_redirects_to_https(db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    from django.test import override_settings

    with override_settings(MIDDLEWARE=settings.MIDDLEWARE):  # rebuild the handler with the new settings
        plain = Client().get(reverse("login"))
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        secure = Client().get(reverse("login"), secure=True)
        assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_the_not_found_page_is_the_sites_own(people, client_for):
    response = client_for(people.alice).get("/no-such-page/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


@pytest.mark.parametrize(("route", "name"), [r for r in ALL_ROUTES if r[1] != "logout"])
def test_no_page_fails_for_a_logged_in_user(people, client_for, route, name):
    """Every URL (but logout), with sample values in its parameters, answers without a server error."""
    url = _sample_url(route)
    response = client_for(people.alice).get(url)
    assert response.status_code < 500, (url, response.status_code)


def test_every_api_operation_answers_401_to_an_anonymous_caller(db):
    """Each operation of the OpenAPI description, each method: no data and no 404 before logging in."""
    from blilyst.web.api.api import api

    schema = api.get_openapi_schema()
    calls = [
        (method, re.sub(r"\{\w+\}", "1", path))
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(calls) >= 20

    def call(method, url, **extra):
        if method in ("post", "put", "patch"):
            extra.update(data="{}", content_type="application/json")
        return getattr(Client(), method)(url, **extra).status_code

    assert [(m, url, status) for m, url in calls if (status := call(m, url)) != 401] == []
    bad_token = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    assert [(m, url) for m, url in calls if call(m, url, **bad_token) != 401] == []
