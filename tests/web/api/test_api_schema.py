"""Schemathesis against the API's own OpenAPI description, in every test run (CI included): every operation gets
the schema's examples, the coverage phase (each parameter's and body field's boundary values, wrong types, missing
required parts and unsupported methods) and a fixed number of fuzzed cases, valid and invalid. No answer may be a
server error, and every answer must match the documented status codes, content type, headers and JSON shape; data
the schema calls invalid must be refused. The run is derandomized and bounded: about a minute and a half on SQLite
and two on PostgreSQL on the 2-core development machine. ``BLILYST_SCHEMA_EXAMPLES=100`` makes it a longer hunt
(about five minutes; it found nothing more when this was written), ``BLILYST_SCHEMA_COVERAGE=0`` a quick one."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from blilyst.web.api.models import ApiToken

# Fuzzed cases per operation (the fuzzing phase); the examples and coverage phases add their own, a fixed set.
EXAMPLES = int(os.environ.get("BLILYST_SCHEMA_EXAMPLES", "10"))
COVERAGE = os.environ.get("BLILYST_SCHEMA_COVERAGE", "1") != "0"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
]
# Not used: positive_data_acceptance (the forms refuse more than the schema can say: an e-mail without "@", a NUL
# character; 422 and 400 are right there) and ignored_auth (it sends its probe without the WSGI app).


@pytest.fixture
def api_schema(people, client_for, household_with_everything):
    """The description as clients read it (/api/openapi.json), with the stored records' ids as the examples of the
    path parameters: random ids almost never exist, so without them the generated requests would stop at 404 and
    never reach a record's reading, changing, conflict (409) or deleting."""
    config = SchemathesisConfig.from_dict(
        {
            "phases": {
                "examples": {"enabled": True, "fill-missing": True},
                "coverage": {"enabled": COVERAGE},
                "fuzzing": {"enabled": True},
            }
        }
    )
    description = client_for(people.alice).get("/api/openapi.json").json()
    for path, operations in description["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["example"] = _stored_id(path, parameter["name"], household_with_everything)
    return schemathesis.openapi.from_dict(description, config=config)


def _stored_id(path: str, name: str, stored: dict[str, int]) -> int | str:
    """The id of the stored record a path parameter names: /api/resources/jobs/{pk} → the job's."""
    if name == "code":
        return "4028"
    if name == "household_id":
        return stored["households"]
    return stored[path.split("/")[-2]]


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
def household_with_everything(people) -> dict[str, int]:
    """Something for the generated ids to find: a household and one row of every resource in Kviteseid (their
    ids by the API's path segment)."""
    import datetime as dt

    from blilyst.web.newcomers.demo import make_household
    from blilyst.web.resources.models import Event, Host, Housing, JobVacancy, KindergartenCapacity

    household = make_household(people.a, "Familien Berg", contact_person=people.alice)
    housing = Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Hus",
        bedrooms=2,
        size_m2=80,
        price=9000,
        available_from=dt.date(2027, 1, 1),
    )
    job = JobVacancy.objects.create(
        municipality=people.a, employer="K", occupation="lege", sector="health", advertised="nav"
    )
    places = KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="B", month=dt.date(2027, 3, 1), free_places=1
    )
    host = Host.objects.create(municipality=people.a, name="Vert", email="vert@example.org")
    event = Event.objects.create(
        municipality=people.a,
        title="Velkomstfest",
        kind="welcome_day",
        starts=dt.datetime(2027, 5, 1, 18, tzinfo=dt.UTC),
    )
    return {
        "households": household.pk,
        "housing": housing.pk,
        "jobs": job.pk,
        "kindergartens": places.pk,
        "hosts": host.pk,
        "events": event.pk,
    }


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
