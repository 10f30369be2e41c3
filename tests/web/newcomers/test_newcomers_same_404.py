"""Another municipality's household and a household that does not exist answer the same 404, on every page
and API operation that names one: same status, same body (with the number itself left out), so a stranger
cannot learn that a number is in use."""

from __future__ import annotations

import json
import re

from django.test import Client

from blilyst.web.api.models import ApiToken
from blilyst.web.newcomers.models import Household

from .test_newcomers_isolation import fill, household_routes

API = [
    ("get", "/api/households/{pk}", None),
    ("patch", "/api/households/{pk}", {"version": 1, "label": "X"}),
    ("get", "/api/resources/match/{pk}", None),
]


def _normalised(response, url: str) -> tuple[int, str]:
    """Status and body, with the address asked for and the per-response CSRF token (of the language switch)
    left out."""
    body = response.content.decode("utf-8", "replace").replace(url, "URL")
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_foreign_and_missing_households_answer_the_same_404(people, client_for, household):
    missing = (Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    stranger = client_for(people.bob)
    differences = []
    for route in household_routes():
        for method in ("get", "post"):
            answers = []
            for pk in (household.pk, missing):
                values = {"pk": pk, "household_id": pk, "task_pk": 1, "consent_pk": 1, "offer_id": 1}
                url = fill(route, values)
                answers.append(_normalised(getattr(stranger, method)(url), url))
            if answers[0] != answers[1] or answers[0][0] not in (404, 405):
                differences.append(f"{method.upper()} {route}: {answers[0][0]} vs {answers[1][0]}")
    token = ApiToken.issue(people.bob, "t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for method, path, body in API:
        answers = []
        for pk in (household.pk, missing):
            kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
            url = path.format(pk=pk)
            answers.append(_normalised(getattr(api, method)(url, **kwargs), url))
        if answers[0] != answers[1] or answers[0][0] != 404:
            differences.append(f"{method.upper()} {path}: {answers[0]} vs {answers[1]}")
    assert differences == []
