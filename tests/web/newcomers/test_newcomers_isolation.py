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
    return sorted(
        route
        for route, _p in flatten(get_resolver().url_patterns)
        if ("households/<int:pk>/" in route or "<int:household_id>" in route) and not route.startswith("api/")
    )


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
    offer = household.offers.create(municipality_id=household.municipality_id, kind="job", summary="Jobb")
    values = {
        "pk": household.pk,
        "household_id": household.pk,
        "task_pk": task.pk,
        "consent_pk": consent.pk,
        "offer_id": offer.pk,
    }
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
        url = fill(route, {"pk": 999_999, "household_id": 999_999, "task_pk": 1, "consent_pk": 1, "offer_id": 1})
        assert alice.get(url).status_code in (404, 405), url


def test_no_side_channel_tells_b_about_as_household(people, client_for, household):
    """Search, duplicate flags, the due list, the API's filters, matching, the gap list and the access
    log: a user of Vinje learns nothing of Kviteseid's "Familien Berg" (kari@example.org, 912 34 567)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role
    from blilyst.web.api.models import ApiToken
    from blilyst.web.resources.models import MatchingGap

    Task.objects.create(household=household, title="Ring Kari", due=dt.date(2020, 1, 1), assigned_to=people.alice)
    Household.objects.filter(pk=household.pk).update(
        housing_tenure="rent", housing_bedrooms=9, housing_from=dt.date(2027, 3, 1)
    )
    alice = client_for(people.alice)
    assert alice.get(reverse("resources:match", args=[household.pk])).status_code == 200  # records a gap in A
    assert MatchingGap.objects.filter(household_id=household.pk).exists()
    alice.get(reverse("household_detail", args=[household.pk]))  # an access-log line in A
    # the same look-ups find it for Kviteseid's own contact person (so the checks below can fail)
    for q in ("Berg", "kari@example.org", "91234567"):
        assert "Familien Berg" in alice.post(reverse("household_list"), {"q": q}).text, q
    assert "Ring Kari" in alice.get(reverse("my_tasks")).text
    assert "Familien Berg" in alice.get(reverse("resources:index")).text

    bob = client_for(people.bob)
    pages = [bob.post(reverse("household_list"), {"q": q}).text for q in ("Berg", "kari@example.org", "91234567")]
    pages.append(bob.get(reverse("my_tasks")).text)
    pages.append(bob.get(reverse("resources:gaps"), {"show": "all"}).text)
    pages.append(bob.get(reverse("resources:index")).text)  # lists the user's open households to match
    created = bob.post(
        reverse("household_create"),
        {
            "municipality": people.b.pk,
            "label": "Kari i Vinje",
            "name": "Kari B",
            "email": "KARI@example.org",
            "phone": "912 34 567",
            "language": "nb",
            "target_group": "returnees",
            "consent_follow_up": "on",
        },
        follow=True,
    )
    assert created.status_code == 200 and Household.objects.filter(label="Kari i Vinje").exists()
    pages.append(created.text)
    assert not Household.objects.get(label="Kari i Vinje").duplicate_candidates().exists()
    vinje_admin = get_user_model().objects.create(username="vadmin")
    Membership.objects.create(user=vinje_admin, municipality=people.b, role=Role.ADMINISTRATOR)
    pages.append(client_for(vinje_admin).get(reverse("access_log"), {"household": household.pk}).text)
    for text in pages:
        assert "Familien Berg" not in text and "Ring Kari" not in text and f"#{household.pk})" not in text
        assert "Mulig dublett" not in text

    _row, token = ApiToken.issue(people.bob, "test")
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for query in ("Berg", "kari@example.org"):
        listed = bob.post("/api/households/search", {"q": query}, content_type="application/json", **api).json()
        assert [item["label"] for item in listed["items"]] in ([], ["Kari i Vinje"]), query
    listed = bob.get("/api/households/?status=enquiry", **api).json()
    assert [item["label"] for item in listed["items"]] in ([], ["Kari i Vinje"])
    assert bob.get(f"/api/resources/match/{household.pk}", **api).status_code == 404
    assert bob.get(f"/api/households/{household.pk}", **api).status_code == 404
    gaps = bob.get("/api/resources/gaps", **api).json()
    assert [row["municipality"] for row in gaps] == ["4036"]
