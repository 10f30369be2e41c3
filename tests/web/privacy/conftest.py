"""A household of municipality A (Kviteseid) for the newcomer tests; people come from tests/web/conftest.py."""

import pytest


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    return make_household(people.a, "Familien Berg", contact_person=people.alice)


@pytest.fixture
def other_household(people):
    from blilyst.web.newcomers.demo import make_household

    return make_household(people.b, "Familien Vik", name="Per Vik", email="per@example.org", phone="40000000")
