"""Plan tests: the shared people (tests/web/conftest.py) plus ``anna``, analyst of Kviteseid (A)."""

from __future__ import annotations

import pytest


@pytest.fixture
def analyst(people, password_hash):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    user = User.objects.create(username="anna", first_name="Anna", password=password_hash)
    Membership.objects.create(user=user, municipality=people.a, role=Role.ANALYST)
    return user
