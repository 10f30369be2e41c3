"""Made-up resources for the demo municipality, so "Find matches" has something to find.

``ensure_demo_resources(municipality)`` adds a few dwellings, vacancies, kindergarten months, a
host and an event when the municipality has no resources yet (it never touches real data). Dates
are counted from ``today``, so the demo stays current.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from blilyst.web.resources.models import Event, Host, Housing, JobVacancy, KindergartenCapacity


def _month(today: dt.date, ahead: int) -> dt.date:
    total = today.year * 12 + today.month - 1 + ahead
    return dt.date(total // 12, total % 12 + 1, 1)


@transaction.atomic
def ensure_demo_resources(municipality, today: dt.date | None = None) -> int:
    """Create the demo resources of ``municipality`` unless it has some; returns how many were created."""
    today = today or timezone.localdate()
    code = getattr(municipality, "pk", municipality)
    if (
        Housing.objects.filter(municipality_id=code).exists()
        or JobVacancy.objects.filter(municipality_id=code).exists()
    ):
        return 0
    rows = [
        Housing(
            municipality_id=code,
            kind="rent",
            title="Enebolig på Brunkeberg",
            area="Brunkeberg",
            bedrooms=3,
            size_m2=120,
            price=11_000,
            available_from=_month(today, 6),
        ),
        Housing(
            municipality_id=code,
            kind="rent",
            title="Leilighet i sentrum",
            area="Kviteseid sentrum",
            bedrooms=2,
            size_m2=65,
            price=8_500,
            available_from=_month(today, 1),
        ),
        Housing(
            municipality_id=code,
            kind="trial",
            title="Prøvebolig Fjågesund",
            area="Fjågesund",
            bedrooms=3,
            size_m2=90,
            price=7_000,
            term_months=36,
            available_from=_month(today, 3),
        ),
        Housing(
            municipality_id=code,
            kind="sale",
            title="Gardsbruk i Vrådal",
            area="Vrådal",
            bedrooms=4,
            size_m2=160,
            price=2_900_000,
            available_from=_month(today, 2),
        ),
        JobVacancy(
            municipality_id=code,
            employer="Kommunen, helse og omsorg",
            occupation="sykepleier",
            sector="health",
            advertised="nav",
            deadline=today + dt.timedelta(days=45),
            positions=2,
        ),
        JobVacancy(
            municipality_id=code,
            employer="Kommunen, oppvekst",
            occupation="lærer",
            sector="education",
            advertised="municipality",
            deadline=today + dt.timedelta(days=30),
        ),
        JobVacancy(
            municipality_id=code,
            employer="Kommunen, oppvekst",
            occupation="barnehagelærer",
            sector="education",
            advertised="municipality",
        ),
        JobVacancy(
            municipality_id=code,
            employer="Vrådal Hotell",
            occupation="kokk",
            sector="tourism",
            advertised="finn",
            remote_possible=False,
        ),
        JobVacancy(
            municipality_id=code,
            employer="Byggmester Haugen",
            occupation="snekker",
            sector="construction",
            advertised="not_advertised",
        ),
        Host(
            municipality_id=code,
            name="Anne Lia (demo)",
            email="anne.lia@example.org",
            area="Kviteseid sentrum",
            languages="norsk, engelsk",
            interests="friluftsliv, kor",
        ),
        Event(
            municipality_id=code,
            title="Velkomstdag for nye innbyggere",
            kind="welcome_day",
            starts=timezone.make_aware(dt.datetime.combine(_month(today, 2), dt.time(12))),
            place="Bygdetunet",
        ),
    ]
    for row in rows:
        row.full_clean()
        row.save()
    places = 0
    for ahead in range(12):
        for kindergarten, free in (
            ("Brunkeberg barnehage", 1 if ahead >= 2 else 0),
            ("Sentrum barnehage", 2 if ahead >= 7 else 0),
        ):
            KindergartenCapacity.objects.create(
                municipality_id=code, kindergarten=kindergarten, month=_month(today, ahead), free_places=free
            )
            places += 1
    return len(rows) + places
