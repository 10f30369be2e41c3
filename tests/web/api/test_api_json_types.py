"""API bodies are read as JSON types them, as the OpenAPI description says: 0 is not false, "3" is not 3, true is
not 1, 5 is not a text and a list is not an object. Pydantic's lax mode and ninja took most of these (found by the
Schemathesis test's negative-data check: ``"remote_work": 0``, ``"needs": [null, null]`` and the honesty check's
``"save": 0`` were answered 200)."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from blilyst.web.api.models import ApiToken
from blilyst.web.newcomers.models import Household
from blilyst.web.resources.models import JobVacancy

from .test_api_households import NEW

JOB = {"municipality": "4028", "employer": "K", "occupation": "Lege", "sector": "health", "advertised": "nav"}


def _client(people) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(people.alice, 'test')[1]}")


def _post(client: Client, path: str, payload: dict):
    return client.post(path, json.dumps(payload), content_type="application/json")


def _household_with(part: str, field: str, value) -> dict:
    payload = copy.deepcopy(NEW)
    target = payload[part][0] if part in ("adults", "children") else payload[part] if part else payload
    target[field] = value
    return payload


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [
        ("adults", "remote_work", 0),  # a number for a boolean
        ("adults", "remote_work", "ja"),
        ("needs", "wants_host", 1),
        ("children", "birth_year", "2021"),  # a text for a number
        ("children", "birth_year", True),  # a boolean for a number
        ("needs", "housing_bedrooms", "3"),
        ("", "label", 5),  # a number for a text
        ("", "consent_follow_up", 1),
        ("", "needs", [None, None]),  # a list for an object (ninja read it as an object with every default)
        ("", "adults", {"name": "Kari"}),  # an object for a list
    ],
)
def test_a_household_body_of_the_wrong_json_type_is_422(people, part, field, value):
    client = _client(people)
    response = _post(client, "/api/households/", _household_with(part, field, value))
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json()["detail"])
    assert not Household.objects.exists()
    assert _post(client, "/api/households/", NEW).status_code == 201  # the same body, well typed


@pytest.mark.parametrize(
    ("field", "value"), [("remote_possible", 0), ("positions", "2"), ("positions", True), ("employer", 7)]
)
def test_a_resource_body_of_the_wrong_json_type_is_422(people, field, value):
    client = _client(people)
    response = _post(client, "/api/resources/jobs", {**JOB, field: value})
    assert response.status_code == 422, response.content
    assert not JobVacancy.objects.exists()
    created = _post(client, "/api/resources/jobs", {**JOB, "remote_possible": False, "positions": 2})
    assert created.status_code == 201
    body = created.json()
    patched = client.patch(
        f"/api/resources/jobs/{body['id']}",
        json.dumps({"version": body["version"], field: value}),
        content_type="application/json",
    )
    assert patched.status_code == 422 and JobVacancy.objects.get().version == body["version"]


def test_the_honesty_check_takes_save_only_as_true_or_false(people):
    client = _client(people)
    response = _post(client, "/api/plan/4028/honesty", {"text": "Vi har ledige barnehageplasser.", "save": 0})
    assert response.status_code == 422
    assert _post(client, "/api/plan/4028/honesty", {"text": "Vi har ledige plasser.", "save": False}).status_code == 200
