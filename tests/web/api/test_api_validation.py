"""The API refuses what the pages' forms refuse: each invalid case of the household, needs, adult and child
forms is sent through the API too, and answers 422 with the form's message, storing nothing."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from blilyst.web.api.models import ApiToken
from blilyst.web.newcomers.forms import AdultForm, ChildForm, NeedsForm
from blilyst.web.newcomers.models import Household

from .test_api_households import NEW

# (where in the payload, the bad value, the form that refuses it, the field) — what the audit found accepted.
CASES = [
    (("adults", 0, "email"), "not-an-email", AdultForm, "email"),
    (("adults", 0, "phone"), "abc", AdultForm, "phone"),
    (("children", 0, "birth_year"), 1990, ChildForm, "birth_year"),
    (("needs", "housing_from"), None, NeedsForm, "housing_from"),  # rent without a start date
]


def _with(path: tuple, value) -> dict:
    payload = copy.deepcopy(NEW)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return payload


def _form_refuses(form_class, path: tuple, value, field: str) -> list[str]:
    base = {"adults": NEW["adults"][0], "children": NEW["children"][0], "needs": NEW["needs"]}[path[0]]
    data = {k: v for k, v in {**base, path[-1]: value, "version": 1}.items() if v is not None}
    form = form_class(data)
    assert not form.is_valid() and field in form.errors
    return [str(m) for m in form.errors[field]]


@pytest.mark.parametrize(("path", "value", "form_class", "field"), CASES)
def test_what_the_form_refuses_the_api_refuses_with_the_same_message(people, path, value, form_class, field):
    expected = _form_refuses(form_class, path, value, field)
    token = ApiToken.issue(people.alice, "test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = client.post("/api/households/", json.dumps(_with(path, value)), content_type="application/json")
    assert created.status_code == 422, created.content
    key = ".".join(str(p) for p in path)
    assert created.json()["errors"][key] == expected
    assert not Household.objects.exists()

    good = client.post("/api/households/", json.dumps(NEW), content_type="application/json")
    assert good.status_code == 201
    body = good.json()
    part = {path[0]: _with(path, value)[path[0]]}
    changed = client.patch(
        f"/api/households/{body['id']}",
        json.dumps({"version": body["version"], **part}),
        content_type="application/json",
    )
    assert changed.status_code == 422 and changed.json()["errors"][key] == expected
    assert Household.objects.get().version == body["version"]  # nothing changed


def test_a_valid_payload_is_stored_as_the_form_cleans_it(people):
    token = ApiToken.issue(people.alice, "test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    payload = _with(("adults", 0, "phone"), "+47 400 11 223")
    assert client.post("/api/households/", json.dumps(payload), content_type="application/json").status_code == 201
    adult = Household.objects.get().adults.get(name="Ahmed Ali")
    assert adult.phone == "+47 400 11 223" and adult.phone_digits == "40011223"
