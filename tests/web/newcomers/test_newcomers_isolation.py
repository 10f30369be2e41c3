"""Every URL that names a household answers 404 to a stranger, with GET and with POST.

The URL patterns are read from the project's resolver, so a new household view is covered by this
test the moment it is added; the test fails if any of them lets a user of municipality B see or
change a household of municipality A (or even learn that it exists).
"""

from __future__ import annotations

import datetime as dt

from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from blilyst.web.newcomers.models import ContactLogEntry, Household, Task
from blilyst.web.privacy.models import AccessLogEntry
from blilyst.web.privacy.rules import record_consent


def flatten(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from flatten(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def household_routes() -> list[str]:
    """Routes whose first parameter is a household's number (here and in other apps, e.g. matching)."""
    return sorted(route for route, _p in flatten(get_resolver().url_patterns)
                  if ("households/<int:pk>/" in route or "<int:household_id>" in route) and not route.startswith("api/"))


def fill(route: str, values: dict[str, int]) -> str:
    for name, value in values.items():
        route = route.replace(f"<int:{name}>", str(value))
    assert "<" not in route, f"unknown parameter in {route}; teach this test about it"
    return "/" + route


def test_the_household_routes_are_found():
    routes = household_routes()
    assert "households/<int:pk>/" in routes and "privacy/households/<int:pk>/erase/" in routes
    assert len(routes) >= 11


def test_every_household_url_is_404_for_a_stranger(people, client_for, household):
    task = Task.objects.create(household=household, title="Ring", due=dt.date(2026, 12, 1))
    consent = record_consent(household, "follow_up")
    ContactLogEntry.objects.create(household=household, summary="Hei")
    values = {"pk": household.pk, "household_id": household.pk, "task_pk": task.pk, "consent_pk": consent.pk}
    stranger = client_for(people.bob)
    leaks = []
    for route in household_routes():
        url = fill(route, values)
        for method in ("get", "post"):
            status = getattr(stranger, method)(url, {"confirm": str(household.pk), "purpose": "host"}).status_code
            if status not in (404, 405):
                leaks.append(f"{method.upper()} {url} -> {status}")
    assert leaks == []
    # Nothing changed, and the stranger left no trace in A's access log.
    household.refresh_from_db()
    assert household.version == 1 and Household.objects.filter(pk=household.pk).exists()
    task.refresh_from_db()
    consent.refresh_from_db()
    assert task.done_at is None and consent.withdrawn_at is None
    assert not AccessLogEntry.objects.filter(username="bob").exists()


def test_a_missing_household_looks_the_same_as_a_strangers(people, client_for, household):
    alice = client_for(people.alice)
    for route in household_routes():
        url = fill(route, {"pk": 999_999, "household_id": 999_999, "task_pk": 1, "consent_pk": 1})
        assert alice.get(url).status_code in (404, 405), url
