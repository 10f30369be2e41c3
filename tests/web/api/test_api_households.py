"""The JSON API for households: tokens, tenancy (404 across municipalities), roles, conflicts, OpenAPI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from blilyst.web.api.models import ApiToken
from blilyst.web.newcomers.models import Household
from blilyst.web.privacy.models import AccessLogEntry, Consent


def api(user=None, token=None):
    """A client that calls the API with ``user``'s new token (or ``token``)."""
    if token is None and user is not None:
        _row, token = ApiToken.issue(user, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    class Caller:
        client = Client()

        def __getattr__(self, method):
            def call(path, data=None):
                kwargs = dict(headers)
                if data is not None:
                    kwargs.update(data=json.dumps(data), content_type="application/json")
                return getattr(self.client, method)("/api" + path, **kwargs)

            return call

    return Caller()


NEW = {
    "municipality": "4028",
    "label": "Familien Ali",
    "target_group": "refugees",
    "origin_place": "Aleppo",
    "needs": {"housing_tenure": "rent", "housing_bedrooms": 3, "housing_from": "2027-01-01"},
    "adults": [
        {
            "name": "Ahmed Ali",
            "phone": "40011223",
            "language": "other",
            "occupation": "Elektriker",
            "job_wishes": "Elektro",
        },
        {"name": "Sara Ali", "email": "sara@example.org", "occupation": "Lærer", "job_wishes": "Skole"},
    ],
    "children": [{"birth_year": 2021, "kindergarten_from": "2027-03-01"}],
    "consent_follow_up": True,
}


def test_anonymous_calls_get_401(people, household):
    for path in ("/households/", f"/households/{household.pk}"):
        response = api().get(path)
        assert response.status_code == 401
    assert api(token="bly_not-a-token").get("/households/").status_code == 401


def test_a_revoked_or_expired_token_is_refused(people):
    row, token = ApiToken.issue(people.alice, "old")
    assert api(token=token).get("/households/").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(token=token).get("/households/").status_code == 401
    out = io.StringIO()
    call_command("blilyst_api_token", "alice", "--name", "sync", stdout=out)
    fresh = out.getvalue().strip()
    assert fresh.startswith("bly_") and api(token=fresh).get("/households/").status_code == 200
    call_command("blilyst_api_token", "alice", "--revoke", stdout=io.StringIO())
    assert api(token=fresh).get("/households/").status_code == 401
    assert ApiToken.objects.get(name="sync").digest != fresh  # only the hash is stored


def test_the_list_holds_only_the_tokens_municipalities(people, household, other_household):
    body = api(people.alice).get("/households/").json()
    assert body["count"] == 1 and [h["label"] for h in body["items"]] == ["Familien Berg"]
    assert body["items"][0]["municipality"] == "4028"
    assert [h["label"] for h in api(people.bob).get("/households/").json()["items"]] == ["Familien Vik"]


def test_a_token_of_a_cannot_reach_b(people, household, other_household):
    caller = api(people.alice)
    assert caller.get(f"/households/{other_household.pk}").status_code == 404
    assert caller.patch(f"/households/{other_household.pk}", {"version": 1, "label": "X"}).status_code == 404
    assert caller.post("/households/", {**NEW, "municipality": "4036"}).status_code == 404
    assert caller.get("/households/999999").status_code == 404
    assert Household.objects.get(pk=other_household.pk).label == "Familien Vik"


def test_detail_returns_the_household_with_its_needs_and_logs_the_read(people, household):
    body = api(people.rita).get(f"/households/{household.pk}").json()
    assert body["label"] == "Familien Berg" and body["status"] == "enquiry" and body["version"] == 1
    assert body["adults"][0]["email"] == "kari@example.org"
    assert body["needs"]["housing_tenure"] == ""
    entry = AccessLogEntry.objects.get(household_id=household.pk)
    assert (entry.username, entry.action, entry.via) == ("rita", "view", "api")


def test_create_stores_each_adults_job_wishes_and_the_consent(people):
    response = api(people.alice).post("/households/", NEW)
    assert response.status_code == 201, response.content
    household = Household.objects.get(pk=response.json()["id"])
    assert list(household.adults.values_list("name", "job_wishes")) == [("Ahmed Ali", "Elektro"), ("Sara Ali", "Skole")]
    assert household.children.get().kindergarten_from == dt.date(2027, 3, 1)
    assert (household.housing_tenure, household.housing_bedrooms) == ("rent", 3)
    assert Consent.objects.get(household=household).purpose == "follow_up"
    assert response.json()["needs"]["housing_from"] == "2027-01-01"


def test_create_validates_input(people):
    caller = api(people.alice)
    assert caller.post("/households/", {**NEW, "adults": []}).status_code == 422
    assert caller.post("/households/", {**NEW, "target_group": "tourists"}).status_code == 422
    assert caller.post("/households/", {**NEW, "consent_follow_up": False}).status_code == 422
    assert not Household.objects.exists()


def test_create_refuses_what_the_inquiry_form_refuses_with_its_words(people):
    """No consent, or no adult with an e-mail or a phone: 422 in the errors shape, with the page form's message."""
    caller = api(people.alice)
    no_consent = caller.post("/households/", {**NEW, "consent_follow_up": False})
    assert no_consent.status_code == 422
    assert no_consent.json()["errors"]["consent_follow_up"][0].startswith("Uten samtykke")
    unreachable = [{"name": a["name"], "occupation": a["occupation"]} for a in NEW["adults"]]
    no_contact = caller.post("/households/", {**NEW, "adults": unreachable})
    assert no_contact.status_code == 422
    assert "e-postadresse eller et telefonnummer" in no_contact.json()["errors"]["adults"][0]
    assert not Household.objects.exists()


def test_a_read_only_token_cannot_change(people, household):
    caller = api(people.rita)
    assert caller.patch(f"/households/{household.pk}", {"version": 1, "label": "X"}).status_code == 403
    assert caller.post("/households/", NEW).status_code == 404  # may not create in A: as if A were not there
    assert Household.objects.get(pk=household.pk).label == "Familien Berg"


def test_update_with_a_stale_version_is_a_409_and_changes_nothing(people, household):
    caller = api(people.alice)
    first = caller.patch(
        f"/households/{household.pk}",
        {
            "version": 1,
            "label": "Familien Berg-Hansen",
            "needs": {"housing_tenure": "trial", "housing_from": "2027-05-01"},
        },
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    assert first.json()["needs"]["housing_tenure"] == "trial"
    stale = caller.patch(f"/households/{household.pk}", {"version": 1, "label": "Overwritten"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Household.objects.get(pk=household.pk).label == "Familien Berg-Hansen"


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_the_openapi_description_is_served_to_logged_in_users(people, client_for, path):
    assert Client().get(path).status_code in (302, 401)
    response = client_for(people.alice).get(path)
    assert response.status_code == 200
    if path.endswith(".json"):
        schema = response.json()
        assert "/api/households/" in schema["paths"] and "/api/households/{pk}" in schema["paths"]
        assert "BearerToken" in schema["components"]["securitySchemes"]


def test_the_session_works_for_the_api_too(people, client_for, household):
    assert client_for(people.alice).get("/api/households/").json()["count"] == 1


def test_an_analyst_token_gets_no_personal_data(people, household):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    Membership.objects.filter(user=people.rita).update(role=Role.ANALYST)
    caller = api(people.rita)
    assert caller.get("/households/").status_code == 403
    assert caller.get(f"/households/{household.pk}").status_code == 404


def test_the_api_docs_load_nothing_from_a_cdn(people, client_for):
    html = client_for(people.alice).get("/api/docs").text
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


@pytest.mark.parametrize(
    "method, path", [("post", "/api/households/"), ("patch", "/api/households/{pk}"), ("post", "/api/resources/hosts")]
)
def test_a_session_call_that_changes_something_needs_the_csrf_token(people, client_for, household, method, path):
    """The API's views are exempt from Django's CSRF middleware; django-ninja's session auth checks it
    instead. A token call needs no CSRF token (a header a foreign page cannot send)."""
    client = client_for(people.alice, enforce_csrf_checks=True)
    url = path.format(pk=household.pk)
    body = (
        {"version": 1, "label": "Endret"}
        if method == "patch"
        else (NEW if "households" in url else {"municipality": "4028", "name": "Kari Vert", "phone": "91111111"})
    )
    refused = getattr(client, method)(url, data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 403, refused.content
    assert Household.objects.get().label == "Familien Berg" and Household.objects.count() == 1
    client.get("/households/")  # a page sets the CSRF cookie, as in the browser
    token = client.cookies["blilyst_csrftoken"].value
    accepted = getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code in (200, 201), accepted.content


def test_a_token_call_needs_no_csrf_token(people):
    caller = api(people.alice)
    caller.client = Client(enforce_csrf_checks=True)
    assert caller.post("/households/", NEW).status_code == 201
