"""The resources API refuses what the resource pages' forms refuse: each invalid case of the housing, job,
kindergarten, host and event forms is sent through the API (create and change) and answers 422 with the form's
own message for the same field, storing and changing nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from blilyst.web.api.models import ApiToken
from blilyst.web.resources.views import KINDS

VALID = {
    "housing": {
        "kind": "rent",
        "title": "Leilighet i sentrum",
        "bedrooms": 2,
        "size_m2": 60,
        "price": 8000,
        "available_from": "2027-03-01",
    },
    "jobs": {"employer": "Kviteseid kommune", "occupation": "Sykepleier", "sector": "health", "advertised": "nav"},
    "kindergartens": {"kindergarten": "Brunkeberg barnehage", "month": "2027-03-01", "free_places": 2},
    "hosts": {"name": "Vert", "email": "vert@example.org"},
    "events": {"title": "Velkomstfest", "kind": "welcome_day", "starts": "2027-05-01T18:00:00+02:00"},
}

# (kind, fields that spoil a valid payload, the form field that refuses them)
CASES = [
    ("housing", {"kind": "trial", "term_months": 48}, "term_months"),
    ("housing", {"kind": "trial"}, "term_months"),  # trial housing without a term
    ("housing", {"kind": "sale", "term_months": 12}, "term_months"),
    ("housing", {"kind": "plot", "bedrooms": 3}, "bedrooms"),
    ("housing", {"owner_email": "not-an-email"}, "owner_email"),
    ("jobs", {"positions": 0}, "positions"),
    ("jobs", {"positions": 101}, "positions"),
    ("jobs", {"url": "not a link"}, "url"),
    ("hosts", {"email": ""}, "__all__"),  # neither phone nor e-mail
    ("events", {"ends": "2027-05-01T17:00:00+02:00"}, "ends"),
]


def _caller(user):
    token = ApiToken.issue(user, "test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def call(method, path, data):
        return getattr(client, method)("/api/resources" + path, json.dumps(data), content_type="application/json")

    return call


def _form_messages(people, slug: str, data: dict, field: str) -> list[str]:
    form = KINDS[slug].form({**data, "municipality": "4028"}, user=people.alice)
    assert not form.is_valid() and field in form.errors, form.errors
    return [str(m) for m in form.errors[field]]


@pytest.mark.parametrize(("slug", "spoil", "field"), CASES)
def test_what_the_form_refuses_the_api_refuses_with_the_same_message(people, slug, spoil, field):
    model = KINDS[slug].model
    expected = _form_messages(people, slug, {**VALID[slug], **spoil}, field)
    call = _caller(people.alice)

    created = call("post", f"/{slug}", {**VALID[slug], **spoil, "municipality": "4028"})
    assert created.status_code == 422, created.content
    assert created.json()["errors"][field] == expected
    assert not model.objects.exists()

    good = call("post", f"/{slug}", {**VALID[slug], "municipality": "4028"})
    assert good.status_code == 201, good.content
    body = good.json()
    changed = call("patch", f"/{slug}/{body['id']}", {"version": body["version"], **spoil})
    assert changed.status_code == 422 and changed.json()["errors"][field] == expected
    assert model.objects.get().version == body["version"]  # nothing changed
