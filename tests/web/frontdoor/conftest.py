"""A published front door for municipality A (Kviteseid), answered by alice; people from tests/web/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def front_door(people):
    from blilyst.web.frontdoor.models import FrontDoor

    people.alice.email = "alice@kviteseid.example"
    people.alice.last_name = "Aasen"
    people.alice.save()
    return FrontDoor.objects.create(municipality=people.a, published=True, contact_person=people.alice)


@pytest.fixture
def registers(people):
    """A's registers: one rental available, one let; an advertised and an unadvertised vacancy; kindergarten
    places next month and none the month after."""
    from django.core.cache import cache

    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    cache.clear()
    today = dt.date.today()
    common = {"bedrooms": 3, "size_m2": 100, "price": 10_000, "available_from": today, "owner_name": "Olav Haugen"}
    Housing.objects.create(municipality=people.a, kind="rent", title="Enebolig på Brunkeberg", **common)
    Housing.objects.create(municipality=people.a, kind="sale", title="Solgt hus", status="taken", **common)
    JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="sykepleier", sector="health", advertised="nav"
    )
    JobVacancy.objects.create(
        municipality=people.a,
        employer="Hemmelig AS",
        occupation="hemmelig stilling",
        sector="other",
        advertised="not_advertised",
    )
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after = (next_month + dt.timedelta(days=32)).replace(day=1)
    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Solsikken", month=next_month, free_places=2
    )
    KindergartenCapacity.objects.create(municipality=people.a, kindergarten="Solsikken", month=after, free_places=0)
    return {"next_month": next_month, "after": after}


def valid_post(**overrides) -> dict:
    data = {
        "adult-TOTAL_FORMS": "2",
        "adult-INITIAL_FORMS": "0",
        "adult-MIN_NUM_FORMS": "0",
        "adult-MAX_NUM_FORMS": "4",
        "adult-0-name": "Anna Kowalska",
        "adult-0-email": "anna@example.org",
        "adult-0-phone": "+48 600 100 200",
        "adult-0-occupation": "sykepleier",
        "adult-0-job_wishes": "helse",
        "adult-1-name": "Piotr Kowalski",
        "adult-1-job_wishes": "bygg og anlegg",
        "child-TOTAL_FORMS": "3",
        "child-INITIAL_FORMS": "0",
        "child-MIN_NUM_FORMS": "0",
        "child-MAX_NUM_FORMS": "8",
        "child-0-birth_year": str(dt.date.today().year - 3),
        "child-0-kindergarten_from": (dt.date.today().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m"),
        "housing_tenure": "rent",
        "housing_bedrooms": "3",
        "housing_from": (dt.date.today().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m"),
        "message": "Vi gleder oss.",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data
