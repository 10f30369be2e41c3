"""The resources API: the pages' tenancy (404 across municipalities, 403 read-only), validation and privacy."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from blilyst.web.api.models import ApiToken
from blilyst.web.resources.models import Housing, JobVacancy

TRIAL = {
    "municipality": "4028",
    "kind": "trial",
    "title": "Prøvebolig Fjågesund",
    "bedrooms": 3,
    "size_m2": 90,
    "price": 7000,
    "term_months": 36,
    "status": "available",
    "available_from": "2027-03-01",
    "owner_name": "Kviteseid kommune",
}


def api(user):
    _row, token = ApiToken.issue(user, "test")
    client = Client()

    def call(method, path, data=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        return getattr(client, method)("/api/resources" + path, **kwargs)

    return call


def test_a_contact_person_creates_trial_housing(people):
    response = api(people.alice)("post", "/housing", TRIAL)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["municipality"], body["kind"], body["term_months"]) == ("4028", "trial", 36)
    assert Housing.objects.get().title == "Prøvebolig Fjågesund"


def test_trial_housing_over_three_years_is_422_with_the_forms_message(people):
    response = api(people.alice)("post", "/housing", {**TRIAL, "term_months": 48})
    assert response.status_code == 422
    assert response.json() == {
        "errors": {"term_months": ["En prøvebolig leies ut i høyst tre år (36 måneder); oppgi 1 til 36."]}
    }
    assert not Housing.objects.exists()


def test_lists_are_per_municipality(people, resources):
    body = api(people.alice)("get", "/jobs").json()
    assert [j["employer"] for j in body["items"]] == ["Kviteseid kommune"]
    body = api(people.bob)("get", "/jobs").json()
    assert [j["employer"] for j in body["items"]] == ["Vinje kommune"]


def test_a_stranger_gets_404(people, resources):
    call = api(people.bob)
    pk = resources.house_a.pk
    assert call("get", f"/housing/{pk}").status_code == 404
    assert call("patch", f"/housing/{pk}", {"version": 1, "price": 1}).status_code == 404
    assert call("delete", f"/housing/{pk}").status_code == 404
    assert call("post", "/housing", TRIAL).status_code == 404  # creating in A: as if A did not exist
    resources.house_a.refresh_from_db()
    assert resources.house_a.price == 11_000


def test_a_read_only_member_gets_403_on_write(people, resources):
    call = api(people.rita)
    pk = resources.job_a.pk
    assert call("get", f"/jobs/{pk}").status_code == 200
    assert call("patch", f"/jobs/{pk}", {"version": 1, "status": "filled"}).status_code == 403
    assert call("delete", f"/jobs/{pk}").status_code == 403
    assert call("post", "/housing", TRIAL).status_code == 403
    assert JobVacancy.objects.get(pk=pk).status == "open"


def test_patch_changes_only_what_is_sent_and_validates_the_whole(people, resources):
    call = api(people.alice)
    pk = resources.house_a.pk
    response = call("patch", f"/housing/{pk}", {"version": 1, "price": 10_500})
    assert response.status_code == 200 and response.json()["price"] == 10_500
    assert response.json()["title"] == "Enebolig på Brunkeberg" and response.json()["version"] == 2
    response = call("patch", f"/housing/{pk}", {"version": 2, "kind": "trial"})  # trial housing needs a term
    assert response.status_code == 422 and "term_months" in response.json()["errors"]


def test_the_owner_deletes(people, resources):
    assert api(people.alice)("delete", f"/jobs/{resources.job_a.pk}").status_code == 204
    assert not JobVacancy.objects.filter(pk=resources.job_a.pk).exists()


def test_an_analyst_sees_no_owner_and_no_hosts(people, resources):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    Membership.objects.filter(user=people.rita).update(role=Role.ANALYST)
    call = api(people.rita)
    body = call("get", f"/housing/{resources.house_a.pk}").json()
    assert body["title"] == "Enebolig på Brunkeberg" and body["owner_name"] == "" and body["owner_phone"] == ""
    assert call("get", "/hosts").status_code == 404
    assert api(people.alice)("get", f"/housing/{resources.house_a.pk}").json()["owner_name"] == "Olav Haugen"


def test_the_openapi_description_lists_the_resources(people, client_for):
    spec = client_for(people.alice).get("/api/openapi.json").json()
    assert {
        "/api/resources/housing",
        "/api/resources/jobs/{pk}",
        "/api/resources/match/{household_id}",
        "/api/resources/gaps",
    } <= set(spec["paths"])


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.models import Adult, Household

    household = Household.objects.create(municipality=people.a, label="Familien Berg")
    Adult.objects.create(household=household, name="Kari Berg", occupation="sykepleier")
    Adult.objects.create(household=household, name="Ola Berg", job_wishes="lærer")
    return household


def test_a_households_matches(people, resources, household):
    body = api(people.alice)("get", f"/match/{household.pk}").json()
    assert body["suggestions"][0]["job_ids"] == {"1": resources.job_a.pk}
    assert body["suggestions"][0]["text"] == "jobb som sykepleier hos Kviteseid kommune for voksen 1"
    assert [(g["kind"], g["text"]) for g in body["gaps"]] == [("job", "ingen ledig stilling som lærer for voksen 2")]
    assert api(people.bob)("get", f"/match/{household.pk}").status_code == 404


def test_gap_counts_per_municipality(people, resources, household, client_for):
    client_for(people.alice).get(f"/resources/match/{household.pk}/")
    assert api(people.rita)("get", "/gaps").json() == [
        {"municipality": "4028", "counts": {"housing": 0, "job": 1, "kindergarten": 0}}
    ]
    assert api(people.bob)("get", "/gaps").json()[0]["counts"]["job"] == 0


def test_lists_are_paginated_in_the_database(people):
    import datetime as dt

    from blilyst.web.resources.models import KindergartenCapacity

    for month in range(1, 13):
        KindergartenCapacity.objects.create(
            municipality=people.a, kindergarten="K", month=dt.date(2027, month, 1), free_places=month % 3
        )
    call = api(people.alice)
    body = call("get", "/kindergartens?limit=5&offset=10")
    assert body.json()["count"] == 12
    assert [row["month"] for row in body.json()["items"]] == ["2027-11-01", "2027-12-01"]


def test_matching_through_the_api_records_gaps_like_the_page(people, resources, household):
    from blilyst.web.resources.models import MatchingGap

    api(people.rita)("get", f"/match/{household.pk}")
    assert not MatchingGap.objects.exists()  # read-only: nothing recorded
    api(people.alice)("get", f"/match/{household.pk}")
    api(people.alice)("get", f"/match/{household.pk}")
    assert list(MatchingGap.objects.values_list("key", "household_id")) == [("job:2", household.pk)]


def test_register_changes_through_the_api_re_match_the_open_gaps(people):
    """As on the resource pages: a new or changed listing re-matches the households with open gaps."""
    import datetime as dt

    from blilyst.web.newcomers.models import Household
    from blilyst.web.resources.models import MatchingGap

    def renting(label: str, bedrooms: int) -> Household:
        return Household.objects.create(
            municipality=people.a,
            label=label,
            housing_tenure="rent",
            housing_bedrooms=bedrooms,
            housing_from=dt.date(2027, 4, 1),
        )

    def open_gap(household: Household) -> bool:
        return MatchingGap.objects.filter(household=household, key="housing", resolved_on__isnull=True).exists()

    berg, lie = renting("Familien Berg", 3), renting("Familien Lie", 4)
    call = api(people.alice)
    call("get", f"/match/{berg.pk}")  # records the gaps: no rental at all
    call("get", f"/match/{lie.pk}")
    assert open_gap(berg) and open_gap(lie)
    rental = {**TRIAL, "kind": "rent", "term_months": None, "available_from": "2027-03-01"}
    created = call("post", "/housing", rental)
    assert created.status_code == 201, created.content
    # re-matched on creation, without anyone opening the household's matches: three bedrooms suit only Berg
    assert not open_gap(berg) and open_gap(lie)
    changed = call("patch", f"/housing/{created.json()['id']}", {"bedrooms": 4, "version": created.json()["version"]})
    assert changed.status_code == 200, changed.content
    assert not open_gap(lie)  # re-matched on the change
