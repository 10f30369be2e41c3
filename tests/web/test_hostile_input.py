"""Hostile or careless input never causes a server error: huge paging numbers, NUL characters, a search for
"²", Word's line break in a plan text, unknown API addresses. And a request's writes are one transaction."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from tests.web.conftest import export_plan

from blilyst.web.api.models import ApiToken


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    return make_household(people.a, "Familien Berg", contact_person=people.alice)


LISTS = ["/households/", "/resources/housing", "/resources/jobs", "/resources/kindergartens", "/resources/events"]


def _api(user):
    _row, token = ApiToken.issue(user, "test")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, path, data=None, **extra):
        kwargs = {**auth, **extra}
        if data is not None:
            kwargs.update(data=data if isinstance(data, str) else json.dumps(data), content_type="application/json")
        return getattr(client, method)("/api" + path, **kwargs)

    return call


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ["offset=9223372036854775808", "limit=9223372036854775808", "offset=-1"])
def test_paging_numbers_beyond_64_bits_are_422_not_500(people, path, query):
    response = _api(people.alice)("get", f"{path}?{query}")
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json")


def test_paging_within_bounds_still_works(people):
    response = _api(people.alice)("get", "/resources/jobs?offset=10000000&limit=500")
    assert response.status_code == 200 and response.json()["items"] == []


def test_a_nul_character_is_refused_with_400_everywhere(people, client_for):
    call = _api(people.alice)
    assert call("get", "/households/?q=a%00b").status_code == 400
    body = {"municipality": "4028", "kind": "rent", "title": "A\u0000B"}
    response = call("post", "/resources/housing", body)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    page = client_for(people.alice).post("/households/", {"q": "a\x00b"})
    assert page.status_code == 400


@pytest.mark.parametrize("query", ["²", "١٢٣", "99999999999999999999999", "%"])
def test_a_search_for_odd_digits_is_answered(people, client_for, query):
    assert client_for(people.alice).post("/households/", {"q": query}).status_code == 200
    response = Client().get("/api/households/", {"q": query}, HTTP_AUTHORIZATION=_token(people.alice))
    assert response.status_code == 200


def _token(user) -> str:
    return "Bearer " + ApiToken.issue(user, "t")[1]


def test_unknown_api_addresses_and_forbidden_changes_answer_json(people):
    from blilyst.web.resources.models import JobVacancy

    job = JobVacancy.objects.create(
        municipality=people.a, employer="K", occupation="lege", sector="health", advertised="nav"
    )
    for path in ("/households/abc", "/nothing-here", "/resources/jobs/-1"):
        response = _api(people.alice)("get", path)
        assert response.status_code == 404 and response.json() == {"detail": "Fant ikke adressen."}, path
    response = _api(people.rita)("patch", f"/resources/jobs/{job.pk}", {"version": 1, "positions": 3})
    assert response.status_code == 403 and response["Content-Type"].startswith("application/json")


def test_the_word_export_survives_words_line_and_page_breaks(people, client_for):
    from docx import Document

    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    user = User.objects.create(username="anna", password=people.alice.password)
    Membership.objects.create(user=user, municipality=people.a, role=Role.ANALYST)
    client = client_for(user)
    client.get("/plan/4028/target-group/")  # the plan is created on the first visit
    chain = {
        "version": "1",
        "chosen_groups": ["labour_immigrants"],
        "goal": "20 flere\x0binnen 2030",
        "rationale": "",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "12",
        "measures-0-name": "Prøveboliger\x0bfor arbeidsinnvandrere\x0cside to\x01",
        "measures-0-bottleneck": "housing",
    }
    assert client.post("/plan/4028/target-group/", chain).status_code == 302
    response = export_plan(client, "4028", "docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Prøveboliger\nfor arbeidsinnvandrere\nside to" in cells
    assert export_plan(client, "4028", "pdf").status_code == 200


def test_a_contact_log_entry_is_not_kept_when_the_rest_of_the_request_fails(people, household, monkeypatch):
    from blilyst.web.newcomers import views
    from blilyst.web.newcomers.models import ContactLogEntry

    def broken_log(*args, **kwargs):
        raise RuntimeError("access log unavailable")

    monkeypatch.setattr(views, "log_access", broken_log)
    client = Client(raise_request_exception=False)
    client.force_login(people.alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        f"/households/{household.pk}/log/", {"on": "2026-11-02", "channel": "phone", "summary": "Ringte om bolig"}
    )
    assert response.status_code == 500
    assert not ContactLogEntry.objects.filter(household=household).exists()
