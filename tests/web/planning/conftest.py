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


@pytest.fixture
def resources(people):
    """Kviteseid's registers: 2 rentals and 1 trial home available (1 rental taken), 3 open nursing positions
    (2 advertised, 1 not), kindergarten places for the next 12 months with none in August, and two open
    matching gaps for housing and one for kindergarten. Vinje has a small farm that must not count."""
    import datetime as dt

    from django.utils import timezone

    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, MatchingGap

    a, b = people.a, people.b
    day = timezone.localdate()

    def home(municipality, kind, status="available"):
        Housing.objects.create(
            municipality=municipality,
            kind=kind,
            title=f"{kind} home",
            bedrooms=3,
            size_m2=90,
            price=9000,
            available_from=day,
            status=status,
            term_months=24 if kind == "trial" else None,
        )

    home(a, "rent"), home(a, "rent"), home(a, "trial"), home(a, "rent", status="taken"), home(b, "sale")
    JobVacancy.objects.create(
        municipality=a,
        employer="Kviteseid kommune",
        occupation="Sykepleier",
        sector="health",
        advertised="nav",
        positions=2,
    )
    JobVacancy.objects.create(
        municipality=a,
        employer="Vest-Telemark sjukehus",
        occupation="Sykepleier",
        sector="health",
        advertised="not_advertised",
        positions=1,
    )
    JobVacancy.objects.create(
        municipality=b, employer="Vinje kommune", occupation="Lærer", sector="education", advertised="nav", positions=4
    )
    start = day.replace(day=1)
    for i in range(12):
        month = dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        KindergartenCapacity.objects.create(
            municipality=a, kindergarten="Kviteseid barnehage", month=month, free_places=0 if month.month == 8 else 2
        )
    for kind in ("housing", "housing", "kindergarten"):
        MatchingGap.objects.create(municipality=a, kind=kind, detail=f"no {kind}")
    MatchingGap.objects.create(municipality=a, kind="job", detail="resolved gap", resolved_on=day)
    MatchingGap.objects.create(municipality=b, kind="job", detail="Vinje's gap")
    return a


@pytest.fixture
def households(people):
    """Kviteseid's newcomer service: 12 households. 8 moved in (5 labour immigrants, 3 job-seeking families);
    of those 2 moved away (one for the partner's work, one for housing) and 3 are settled; 4 are still in the
    pipeline (2 enquiries, 1 in dialogue, 1 visit). Vinje has one household that must not count."""
    import datetime as dt

    from blilyst.web.newcomers.models import Adult, Child, Household, StatusChange

    def household(
        municipality, label, status, group, moved_in=None, moved_out=None, reason="", adults=2, children=0, settled=None
    ):
        h = Household.objects.create(
            municipality=municipality,
            label=label,
            status=status,
            target_group=group,
            moved_in_on=moved_in,
            moved_out_on=moved_out,
            move_out_reason=reason,
        )
        for i in range(adults):
            Adult.objects.create(household=h, name=f"{label} adult {i}")
        for _ in range(children):
            Child.objects.create(household=h, birth_year=2020)
        if settled:
            StatusChange.objects.create(household=h, from_status="moved_in", to_status="settled", on=settled)
        return h

    a = people.a
    d = dt.date
    household(a, "L1", "settled", "labour_immigrants", d(2022, 3, 1), settled=d(2022, 9, 1))
    household(a, "L2", "settled", "labour_immigrants", d(2022, 6, 1), settled=d(2023, 6, 1))
    household(a, "L3", "moved_in", "labour_immigrants", d(2023, 1, 15), children=1)
    household(a, "L4", "moved_out", "labour_immigrants", d(2023, 4, 1), d(2024, 4, 1), "partner_work")
    household(a, "L5", "moved_in", "labour_immigrants", d(2024, 8, 1))
    household(a, "F1", "settled", "job_seeking_families", d(2021, 8, 1), children=2, settled=d(2022, 2, 1))
    household(a, "F2", "moved_out", "job_seeking_families", d(2022, 8, 1), d(2023, 2, 1), "housing", children=1)
    household(a, "F3", "moved_in", "job_seeking_families", d(2025, 3, 1), children=2)
    household(a, "E1", "enquiry", "returnees")
    household(a, "E2", "enquiry", "over_45")
    household(a, "D1", "in_dialogue", "returnees")
    household(a, "V1", "visited", "labour_immigrants")
    household(people.b, "Vinje1", "moved_in", "labour_immigrants", d(2022, 1, 1))
    return a
