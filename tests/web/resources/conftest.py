"""Resources of municipality A (Kviteseid) and B (Vinje) for the view tests."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def resources(people):
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    class R:
        house_a = Housing.objects.create(
            municipality=people.a,
            kind="rent",
            title="Enebolig på Brunkeberg",
            bedrooms=3,
            size_m2=120,
            price=11_000,
            available_from=dt.date(2027, 8, 15),
            owner_name="Olav Haugen",
            owner_phone="91234567",
        )
        house_b = Housing.objects.create(
            municipality=people.b,
            kind="sale",
            title="Hytte ved Totak",
            bedrooms=2,
            size_m2=70,
            price=1_900_000,
            available_from=dt.date(2027, 1, 1),
            owner_name="Kari Bø",
        )
        job_a = JobVacancy.objects.create(
            municipality=people.a,
            employer="Kviteseid kommune",
            occupation="sykepleier",
            sector="health",
            advertised="nav",
        )
        job_b = JobVacancy.objects.create(
            municipality=people.b,
            employer="Vinje kommune",
            occupation="lærer",
            sector="education",
            advertised="municipality",
        )
        place_a = KindergartenCapacity.objects.create(
            municipality=people.a, kindergarten="Brunkeberg barnehage", month=dt.date(2027, 3, 1), free_places=1
        )

    return R
