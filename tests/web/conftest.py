"""Shared set-up for the web tests: Django settings and the people every test needs.

Two municipalities, A = Kviteseid (4028) and B = Vinje (4036), neighbours in Telemark, and three people:

* ``alice`` – contact person of A (may read and write A's households),
* ``rita``  – read-only member of A (may read, gets 403 on a write),
* ``bob``   – contact person of B: a stranger to A (gets 404 for anything of A).

``client_for(user)`` gives a logged-in test client. Everything runs on SQLite; with
``DATABASE_URL`` set (``make test-postgres``) on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import pytest

MUNICIPALITY_A = "4028"  # Kviteseid
MUNICIPALITY_B = "4036"  # Vinje
PASSWORD = "korrekt-hest-batteri-stift"


def pytest_configure(config):
    """Point Django at blilyst's settings with a throw-away data directory, before Django loads."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
    os.environ.setdefault("BLILYST_HOME", tempfile.mkdtemp(prefix="blilyst-test-home-"))
    os.environ.setdefault("BLILYST_SECRET_KEY", "test-secret-key-" + "x" * 40)
    os.environ.setdefault("BLILYST_TASK_BACKEND", "immediate")  # tasks run inside the request; one test uses the queue
    import django

    django.setup()


@dataclass
class People:
    alice: object  # contact person of A
    rita: object  # read-only of A
    bob: object  # contact person of B (the stranger)
    a: object  # Municipality A
    b: object  # Municipality B


@pytest.fixture(scope="session")
def password_hash():
    """One real (argon2) hash of PASSWORD, computed once: hashing is slow on purpose."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def people(db, password_hash) -> People:
    from blilyst.web.accounts.models import Membership, Municipality, User
    from blilyst.web.accounts.roles import Role

    a = Municipality.objects.create(code=MUNICIPALITY_A, name="Kviteseid")
    b = Municipality.objects.create(code=MUNICIPALITY_B, name="Vinje")

    def person(username, municipality, role):
        user = User.objects.create(username=username, first_name=username.title(), password=password_hash)
        Membership.objects.create(user=user, municipality=municipality, role=role)
        return user

    return People(
        alice=person("alice", a, Role.CONTACT_PERSON),
        rita=person("rita", a, Role.READ_ONLY),
        bob=person("bob", b, Role.CONTACT_PERSON),
        a=a,
        b=b,
    )


@pytest.fixture
def client_for(db):
    """``client_for(user)`` → a test client logged in as ``user`` (CSRF checks on)."""
    from django.test import Client

    def make(user, enforce_csrf_checks: bool = False):
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def password() -> str:
    """The password of every person in ``people``."""
    return PASSWORD


def export_plan(client, code: str, fmt: str):
    """The plan's document as its maker gets it: started from the export page as background work (the tests'
    immediate task backend finishes it inside the request), then downloaded from the job's page."""
    from django.urls import reverse

    from blilyst.web.jobs.models import Job

    started = client.post(f"/plan/{code}/export/start/", {"format": fmt})
    assert started.status_code == 302, started.content[:300]
    job = Job.objects.get(pk=int(started["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.kind == "export" and job.state == "done", job.summary
    page = client.get(started["Location"]).content.decode()
    assert reverse("jobs:file", args=[job.pk]) in page  # the job's page offers the file
    return client.get(reverse("jobs:file", args=[job.pk]))
