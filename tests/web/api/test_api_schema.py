"""Schemathesis against the API's own OpenAPI description: generated requests (valid and invalid) to every
operation must never cause a server error, and every answer must match the documented status codes, content
type and JSON shape. The example budget is fixed and small so the default test run stays fast; raise
``BLILYST_SCHEMA_EXAMPLES`` for a longer hunt."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from blilyst.web.api.models import ApiToken

EXAMPLES = int(os.environ.get("BLILYST_SCHEMA_EXAMPLES", "6"))
# The coverage phase (every boundary value of every parameter, some hundred requests per operation) only in
# the longer hunt; the default run fuzzes with the fixed budget above.
COVERAGE = os.environ.get("BLILYST_SCHEMA_COVERAGE", "") == "1"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(people, client_for):
    """The description exactly as clients read it (/api/openapi.json)."""
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
    return schemathesis.openapi.from_dict(client_for(people.alice).get("/api/openapi.json").json(), config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, so each request ends with Django's close_old_connections,
    which on PostgreSQL would close the connection that holds the test's transaction (SQLite's in-memory test
    database ignores the close). Django's own test client unhooks the same two signals while it runs."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(people, household_with_everything, keep_the_test_connection) -> str:
    return ApiToken.issue(people.alice, "schemathesis")[1]


@pytest.fixture
def household_with_everything(people):
    """Something for the generated ids to find: a household and one row of every resource in Kviteseid."""
    import datetime as dt

    from blilyst.web.newcomers.demo import make_household
    from blilyst.web.resources.models import Event, Host, Housing, JobVacancy, KindergartenCapacity

    make_household(people.a, "Familien Berg", contact_person=people.alice)
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Hus",
        bedrooms=2,
        size_m2=80,
        price=9000,
        available_from=dt.date(2027, 1, 1),
    )
    JobVacancy.objects.create(municipality=people.a, employer="K", occupation="lege", sector="health", advertised="nav")
    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="B", month=dt.date(2027, 3, 1), free_places=1
    )
    Host.objects.create(municipality=people.a, name="Vert", email="vert@example.org")
    Event.objects.create(
        municipality=people.a, title="Velkomstfest", kind="welcome", starts=dt.datetime(2027, 5, 1, 18, tzinfo=dt.UTC)
    )


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_description(case, token):
    case.call_and_validate(app=get_wsgi_application(), headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
