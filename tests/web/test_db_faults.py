"""Database faults: the app's PostgreSQL connection is killed (pg_terminate_backend, as a restart or an
operator would) in the middle of a request. A read is answered anyway: a connection lost mid-view is replaced and
the view run once more (TransactionMiddleware), and a connection lost between requests is replaced by Django's
health check (CONN_HEALTH_CHECKS) before the request's first query. A write says that nothing was saved (503, on
the page or as JSON) and leaves nothing half-done. PostgreSQL only (run with DATABASE_URL=postgres://…).

Each test fails without what it tests: the mid-view read without the retry (500), the between-requests read
without the health check (the session query fails before the view, so the retry cannot help), and the writes
without the request transaction (the entry stays, a bare 500).
"""

from __future__ import annotations

import json
import logging

import psycopg
import pytest
from django.db import connection

from blilyst.web.newcomers.models import Household
from blilyst.web.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    yield
    connection.close()  # a killed connection must not be the one the test database is cleaned with


def _kill_the_apps_connection() -> None:
    """Terminate the backend serving Django's connection, from a second connection of our own."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        # pg_terminate_backend(pid, timeout) waits until the backend is gone, so the next query surely fails.
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    return make_household(people.a, "Familien Berg", contact_person=people.alice)


def test_a_read_survives_its_connection_being_killed_mid_request(people, client_for, household, monkeypatch, caplog):
    from blilyst.web.newcomers import views

    original, calls = views.for_user, []

    def for_user_after_a_kill(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            _kill_the_apps_connection()
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "for_user", for_user_after_a_kill)
    with caplog.at_level(logging.WARNING, logger="blilyst.web.middleware"):
        response = client_for(people.alice).get("/households/")
    assert response.status_code == 200 and "Familien Berg" in response.text
    assert len(calls) == 2  # the view ran once more, on a fresh connection
    assert [r.getMessage() for r in caplog.records if r.name == "blilyst.web.middleware"] == [
        "Database connection lost during GET /households/ (terminating connection due to administrator command); "
        "retrying once."
    ]


def test_a_read_whose_retry_fails_too_says_the_database_is_unreachable(people, client_for, household, monkeypatch):
    """The database is down, not one connection: after the one retry the page says so (503), not a server error."""
    from blilyst.web.newcomers import views

    original, calls = views.for_user, []

    def for_user_after_a_kill(*args, **kwargs):
        calls.append(1)
        _kill_the_apps_connection()
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "for_user", for_user_after_a_kill)
    response = client_for(people.alice).get("/households/")
    assert response.status_code == 503 and len(calls) == 2  # one retry, no more
    assert "Databasen svarte ikke, så siden kan ikke vises akkurat nå." in response.text
    assert "<title>Ikke tilgjengelig akkurat nå – blilyst</title>" in response.text


def test_a_read_survives_a_connection_killed_between_requests(people, client_for, household, caplog):
    from django.db import close_old_connections

    client = client_for(people.alice)
    assert client.get(f"/households/{household.pk}/").status_code == 200
    for _ in range(3):
        _kill_the_apps_connection()
        # What Django does at the start of every request (the test client leaves it out): with
        # CONN_HEALTH_CHECKS the first query of the request checks the kept connection and replaces it.
        close_old_connections()
        with caplog.at_level(logging.WARNING, logger="blilyst.web.middleware"):
            assert client.get(f"/households/{household.pk}/").status_code == 200
    # The health check replaced the connection before any query failed: no retry was needed.
    assert not [r for r in caplog.records if r.name == "blilyst.web.middleware"]


def test_a_write_whose_connection_dies_says_so_and_saves_nothing(people, client_for, household, monkeypatch):
    from blilyst.web.newcomers import views
    from blilyst.web.newcomers.models import ContactLogEntry

    original = views.log_access

    def log_access_after_a_kill(*args, **kwargs):
        _kill_the_apps_connection()  # the entry is written; the household and the access log are not yet
        return original(*args, **kwargs)

    before = (Household.objects.get(pk=household.pk).last_activity, AccessLogEntry.objects.count())
    monkeypatch.setattr(views, "log_access", log_access_after_a_kill)
    response = client_for(people.alice).post(
        f"/households/{household.pk}/log/", {"on": "2026-11-02", "channel": "phone", "summary": "Ringte"}
    )
    assert response.status_code == 503
    assert "Databasen svarte ikke under lagringen, så ingenting ble lagret." in response.text
    connection.close()
    assert not ContactLogEntry.objects.filter(household=household).exists()
    # household.touch() ran before the kill: its update went with the transaction too
    assert (Household.objects.get(pk=household.pk).last_activity, AccessLogEntry.objects.count()) == before


def test_an_api_write_whose_connection_dies_says_so_in_json_and_saves_nothing(people, monkeypatch):
    from django.test import Client

    from blilyst.web.api.models import ApiToken
    from blilyst.web.newcomers import api

    original = api.record_consent

    def record_consent_after_a_kill(*args, **kwargs):
        _kill_the_apps_connection()  # the household and its people are written; consent and access log are not
        return original(*args, **kwargs)

    _row, token = ApiToken.issue(people.alice, "test")
    households_before, log_before = Household.objects.count(), AccessLogEntry.objects.count()
    monkeypatch.setattr(api, "record_consent", record_consent_after_a_kill)
    payload = {
        "municipality": "4028",
        "label": "Familien Haugen",
        "target_group": "labour_immigrants",
        "adults": [{"name": "Kari Haugen", "phone": "40011223"}],
        "consent_follow_up": True,
    }
    response = Client().post(
        "/api/households/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    from blilyst.web.api.api import api as the_api

    assert "503" in the_api.get_openapi_schema()["paths"]["/api/households/"]["post"]["responses"]  # documented
    assert response.json()["detail"].startswith("Databasen svarte ikke under lagringen, så ingenting ble lagret.")
    connection.close()
    assert not Household.objects.filter(label="Familien Haugen").exists()
    assert (Household.objects.count(), AccessLogEntry.objects.count()) == (households_before, log_before)
