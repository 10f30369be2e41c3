"""Users, municipalities and memberships: roles per municipality, migrations in step with the models."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from blilyst.errors import UnknownMunicipality
from blilyst.web.accounts.models import Membership, Municipality
from blilyst.web.accounts.roles import Capability, Role


def test_the_migrations_match_the_models(db):
    # every app of the site (a missing migration exits with SystemExit, failing the test)
    call_command(
        "makemigrations",
        "accounts",
        "analysis",
        "newcomers",
        "privacy",
        "resources",
        "api",
        "planning",
        "--check",
        "--dry-run",
        verbosity=0,
    )


def test_a_municipality_gets_its_name_from_the_register(db):
    assert Municipality.from_register("4028").name == "Kviteseid"
    assert Municipality.from_register("4036").name == "Vinje"
    with pytest.raises(UnknownMunicipality):
        Municipality.from_register("9999")


def test_one_role_per_user_and_municipality(people):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=people.alice, municipality=people.a, role=Role.ANALYST)


def test_capabilities_follow_the_role(people):
    assert people.alice.can(Capability.EDIT_HOUSEHOLDS, "4028")
    assert not people.alice.can(Capability.EDIT_HOUSEHOLDS, "4036")
    assert people.rita.can(Capability.VIEW_HOUSEHOLDS, "4028")
    assert not people.rita.can(Capability.EDIT_HOUSEHOLDS, "4028")
    assert people.bob.can_anywhere(Capability.EDIT_HOUSEHOLDS)
    assert not people.bob.can_anywhere(Capability.MANAGE_USERS)


def test_an_analyst_never_sees_personal_data(people):
    analyst = Membership.objects.create(user=people.bob, municipality=people.a, role=Role.ANALYST).user
    analyst._memberships_by_code = None
    assert analyst.can(Capability.VIEW_STATISTICS, "4028")
    assert not analyst.can(Capability.VIEW_HOUSEHOLDS, "4028")
