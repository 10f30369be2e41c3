"""From the database to the engine: a household's needs and a municipality's open listings."""

from __future__ import annotations

import datetime as dt

from blilyst.matching import KindergartenPlaces
from blilyst.web.resources.matchinputs import household_needs, listing_index, split_wishes
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity


def test_wishes_are_split_on_commas_slashes_and_or():
    assert split_wishes("Sykepleier, helsefagarbeider / lærer eller lektor", "Sykepleier") == (
        "sykepleier",
        "helsefagarbeider",
        "lærer",
        "lektor",
    )
    assert split_wishes("", "100 %") == ()


def test_a_households_needs(people):
    from blilyst.web.newcomers.models import Adult, Child, Household

    household = Household.objects.create(
        municipality=people.a,
        label="Familien Ali",
        housing_tenure="any",
        housing_bedrooms=3,
        housing_from=dt.date(2027, 1, 1),
    )
    Adult.objects.create(household=household, name="Ahmed Ali", occupation="Elektriker", job_wishes="Elektro, bygg")
    Adult.objects.create(household=household, name="Sara Ali", occupation="Utvikler", remote_work=True)
    Adult.objects.create(household=household, name="Bestemor Ali")
    Child.objects.create(household=household, birth_year=2024, kindergarten_from=dt.date(2027, 8, 1))
    Child.objects.create(household=household, birth_year=2022, kindergarten_from=dt.date(2027, 3, 15))
    Child.objects.create(household=household, birth_year=2015, needs_school=True)
    needs = household_needs(household)
    assert needs.housing_kinds == frozenset({"sale", "rent"}) and needs.min_bedrooms == 3
    first, second, third = needs.adults
    assert (first.job_wishes, first.sectors, first.wants_job) == (("elektro", "elektriker"), ("construction",), True)
    assert second.keeps_remote_job and not second.wants_job
    assert not third.wants_job  # no wish recorded: no job sought, no gap
    # each child who needs a place on its own, numbered in the household's order (oldest first, the
    # schoolchild is child 1), from its own month, in its age group then
    assert [(c.number, c.start, c.age_group) for c in needs.children] == [
        (2, dt.date(2027, 3, 1), "over_3"),
        (3, dt.date(2027, 8, 1), "over_3"),
    ]


def test_only_open_listings_and_future_months_are_indexed(people):
    a = people.a
    Housing.objects.create(
        municipality=a,
        kind="rent",
        title="Ledig",
        bedrooms=2,
        size_m2=60,
        price=8000,
        available_from=dt.date(2027, 1, 1),
    )
    Housing.objects.create(
        municipality=a,
        kind="rent",
        title="Utleid",
        bedrooms=2,
        size_m2=60,
        price=8000,
        available_from=dt.date(2027, 1, 1),
        status="taken",
    )
    JobVacancy.objects.create(municipality=a, employer="A", occupation="kokk", sector="tourism", advertised="nav")
    JobVacancy.objects.create(
        municipality=a, employer="B", occupation="kokk", sector="tourism", advertised="nav", status="filled"
    )
    JobVacancy.objects.create(
        municipality=a,
        employer="C",
        occupation="kokk",
        sector="tourism",
        advertised="nav",
        deadline=dt.date(2026, 11, 30),
    )
    for month, free in [(10, 2), (12, 1), (1, 0)]:
        KindergartenCapacity.objects.create(
            municipality=a, kindergarten="K", free_places=free, month=dt.date(2026 if month > 6 else 2027, month, 1)
        )
    index = listing_index(
        Housing.objects.all(), JobVacancy.objects.all(), KindergartenCapacity.objects.all(), today=dt.date(2026, 12, 1)
    )
    assert [h.title for h in index.housing] == ["Ledig"]
    assert [j.employer for j in index.jobs] == ["A"]
    assert index.kindergarten_candidates(dt.date(2026, 10, 1))[0][1] == KindergartenPlaces("K", dt.date(2026, 12, 1), 1)
