"""The demo resources: created once, valid, and enough for the matching page to find something."""

from __future__ import annotations

import datetime as dt

from blilyst.web.resources.demo import ensure_demo_resources
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity


def test_demo_resources_are_created_once(people):
    today = dt.date(2026, 11, 26)
    assert ensure_demo_resources(people.a, today) == 11 + 24
    assert ensure_demo_resources(people.a, today) == 0
    assert Housing.objects.filter(municipality=people.a, kind="trial").get().term_months == 36
    assert JobVacancy.objects.filter(municipality=people.a).count() == 5
    first = KindergartenCapacity.first_place_from(
        KindergartenCapacity.objects.filter(municipality=people.a), dt.date(2026, 12, 1)
    )
    assert (first.kindergarten, first.month) == ("Brunkeberg barnehage", dt.date(2027, 1, 1))
    assert not Housing.objects.filter(municipality=people.b).exists()
