"""Database faults: the app's PostgreSQL connection is killed (pg_terminate_backend, as a restart or an
operator would) in the middle of a request. A read is answered anyway (one retry on a fresh connection, and
Django's connection health check between requests); a write says that nothing was saved and leaves nothing
half-done. PostgreSQL only (run with DATABASE_URL=postgres://…).

The read tests also pass without blilyst's retry (Django reconnects once psycopg reports the connection
closed); they keep that true. The write test is the regression test: before, the entry was committed and the
user got a bare 500."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

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


def test_a_read_survives_its_connection_being_killed_mid_request(people, client_for, household, monkeypatch):
    from blilyst.web.newcomers import views

    original, calls = views.for_user, []

    def for_user_after_a_kill(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            _kill_the_apps_connection()
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "for_user", for_user_after_a_kill)
    response = client_for(people.alice).get("/households/")
    assert response.status_code == 200 and "Familien Berg" in response.text


def test_a_read_survives_a_connection_killed_between_requests(people, client_for, household):
    from django.db import close_old_connections

    client = client_for(people.alice)
    assert client.get(f"/households/{household.pk}/").status_code == 200
    for _ in range(3):
        _kill_the_apps_connection()
        # What Django does at the start of every request (the test client leaves it out): with
        # CONN_HEALTH_CHECKS the first query of the request checks the kept connection and replaces it.
        close_old_connections()
        assert client.get(f"/households/{household.pk}/").status_code == 200


def test_a_write_whose_connection_dies_says_so_and_saves_nothing(people, client_for, household, monkeypatch):
    from blilyst.web.newcomers import views
    from blilyst.web.newcomers.models import ContactLogEntry

    original = views.log_access

    def log_access_after_a_kill(*args, **kwargs):
        _kill_the_apps_connection()  # the entry is written; the household and the access log are not yet
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "log_access", log_access_after_a_kill)
    response = client_for(people.alice).post(
        f"/households/{household.pk}/log/", {"on": "2026-11-02", "channel": "phone", "summary": "Ringte"}
    )
    assert response.status_code == 503
    assert "ingenting ble lagret" in response.text
    connection.close()
    assert not ContactLogEntry.objects.filter(household=household).exists()
