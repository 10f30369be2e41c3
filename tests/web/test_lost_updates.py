"""Two people editing the same dwelling, job, kindergarten month or plan: the second save is refused
(409), nothing is overwritten, and the conflict page keeps what the second person typed next to what
is stored now. The same holds for the API (``version`` in the PATCH body)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from blilyst.web.accounts.models import Membership
from blilyst.web.accounts.roles import Role
from blilyst.web.api.models import ApiToken
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

HOUSE = {
    "municipality": "4028",
    "kind": "rent",
    "title": "Enebolig på Brunkeberg",
    "bedrooms": "3",
    "size_m2": "120",
    "price": "11000",
    "status": "available",
    "available_from": "2027-08-15",
    "owner_name": "Olav Haugen",
    "owner_phone": "91234567",
}


@pytest.fixture
def two_editors(people, client_for):
    """Alice and Carl, both contact persons (and analysts' plan rights via Carl) in Kviteseid."""
    from blilyst.web.accounts.models import User

    carl = User.objects.create(username="carl", first_name="Carl", password=people.alice.password)
    Membership.objects.create(user=carl, municipality=people.a, role=Role.CONTACT_PERSON)
    return client_for(people.alice), client_for(carl)


def test_a_dwelling_edited_by_two_keeps_the_first_change_and_shows_the_second(people, two_editors):
    house = Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Enebolig på Brunkeberg",
        bedrooms=3,
        size_m2=120,
        price=11_000,
        available_from="2027-08-15",
    )
    alice, carl = two_editors
    url = reverse("resources:edit", args=["housing", house.pk])
    assert 'name="version" value="1"' in alice.get(url).text
    assert alice.post(url, {**HOUSE, "price": "12000", "version": "1"}).status_code == 302
    response = carl.post(url, {**HOUSE, "title": "Enebolig med hage", "version": "1"})
    assert response.status_code == 409
    assert "Noen andre lagret dette mens du redigerte" in response.text
    assert 'value="Enebolig med hage"' in response.text  # what Carl typed is kept
    assert "12000" in response.text and "11000" in response.text  # both versions of the price are shown
    assert 'name="version" value="2"' in response.text  # saving again is a deliberate choice
    house.refresh_from_db()
    assert (house.title, house.price, house.version) == ("Enebolig på Brunkeberg", 12_000, 2)


def test_a_kindergarten_month_edited_by_two_loses_nothing(people, two_editors):
    row = KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Brunkeberg barnehage", month=dt.date(2027, 3, 1), free_places=1
    )
    alice, carl = two_editors
    url = reverse("resources:edit", args=["kindergartens", row.pk])
    data = {"municipality": "4028", "kindergarten": "Brunkeberg barnehage", "month": "2027-03", "version": "1"}
    assert alice.post(url, {**data, "free_places": "3"}).status_code == 302
    assert carl.post(url, {**data, "free_places": "0"}).status_code == 409
    row.refresh_from_db()
    assert row.free_places == 3


def _api(user):
    _row, token = ApiToken.issue(user, "test")
    client = Client()

    def patch(path, data):
        return client.patch(
            "/api/resources" + path,
            data=json.dumps(data),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    return patch


def test_api_patches_of_different_fields_from_the_same_version_do_not_lose_one(people):
    job = JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="sykepleier", sector="health", advertised="nav"
    )
    patch = _api(people.alice)
    first = patch(f"/jobs/{job.pk}", {"version": 1, "positions": 2})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    second = patch(f"/jobs/{job.pk}", {"version": 1, "employer": "Vest-Telemark helse"})
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    job.refresh_from_db()
    assert (job.positions, job.employer) == (2, "Kviteseid kommune")
    assert patch(f"/jobs/{job.pk}", {"employer": "Vest-Telemark helse"}).status_code == 422  # version is required


def _chain(version: int, goal: str) -> dict:
    return {
        "version": str(version),
        "chosen_groups": ["labour_immigrants"],
        "goal": goal,
        "rationale": "",
        "measures-TOTAL_FORMS": "0",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "12",
    }


def test_a_plan_edited_by_two_keeps_the_first_and_shows_the_second(people, client_for):
    from blilyst.web.accounts.models import User
    from blilyst.web.planning.models import Plan

    analysts = []
    for name in ("anna", "arne"):
        user = User.objects.create(username=name, password=people.alice.password)
        Membership.objects.create(user=user, municipality=people.a, role=Role.ANALYST)
        analysts.append(client_for(user))
    anna, arne = analysts
    url = "/plan/4028/target-group/"
    assert 'name="version" value="1"' in anna.get(url).text
    assert anna.post(url, _chain(1, "30 flere innen 2030")).status_code == 302
    response = arne.post(url, _chain(1, "50 flere innen 2035"))
    assert response.status_code == 409
    assert "50 flere innen 2035" in response.text and "30 flere innen 2030" in response.text
    plan = Plan.objects.get(municipality="4028")
    assert (plan.goal, plan.version) == ("30 flere innen 2030", 2)
    # A group added by someone else meanwhile is kept too (read under a row lock, version counted up).
    anna.post(url, {"add_group": "1", "group-name": "Sykepleiere", "group-age_from": "25", "group-age_to": "50"})
    plan.refresh_from_db()
    assert plan.version == 3 and plan.custom_groups and plan.goal == "30 flere innen 2030"
