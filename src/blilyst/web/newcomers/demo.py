"""Made-up households for the demo, the tests and the benchmarks (no real people).

``make_household(municipality, ...)`` creates one household with one adult; ``generate_households``
creates many at once with ``bulk_create`` (10 000 in a few seconds), spread over statuses,
target groups and the last two years of activity; ``ensure_demo_households`` gives the demo
municipality of ``make run`` a handful of hand-made households along the whole pipeline.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from blilyst.web.newcomers.models import (
    Adult,
    Child,
    ContactLogEntry,
    Household,
    Status,
    TargetGroup,
    Task,
    phone_digits,
)

FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Aisha", "Piotr", "Marte", "Jonas", "Sara", "Ahmed", "Emma", "Nils"]
LAST = ["Berg", "Hansen", "Lie", "Haugen", "Nowak", "Dahl", "Moen", "Bakken", "Ali", "Solberg", "Strand", "Vik"]
PLACES = ["Oslo", "Bergen", "Skien", "Drammen", "Trondheim", "Porsgrunn", "Gdańsk", "Aleppo", "Stavanger"]


def make_household(
    municipality,
    label: str = "Familien Berg",
    *,
    name: str = "Kari Berg",
    email: str = "kari@example.org",
    phone: str = "912 34 567",
    **fields,
) -> Household:
    code = getattr(municipality, "pk", municipality)
    household = Household.objects.create(municipality_id=code, label=label, **fields)
    Adult.objects.create(household=household, name=name, email=email, phone=phone)
    return household


@transaction.atomic
def generate_households(municipality, count: int, *, seed: int = 1, contact_person=None) -> int:
    """Create ``count`` made-up households in ``municipality``; returns how many were created."""
    code = getattr(municipality, "pk", municipality)
    rng = random.Random(seed)
    now = timezone.now()
    statuses = list(Status.values)
    groups = list(TargetGroup.values)
    created = 0
    batch = 1000
    for start in range(0, count, batch):
        n = min(batch, count - start)
        rows = []
        for i in range(n):
            last = rng.choice(LAST)
            rows.append(
                Household(
                    municipality_id=code,
                    label=f"Familien {last} {start + i + 1}",
                    status=rng.choice(statuses),
                    target_group=rng.choice(groups),
                    origin_place=rng.choice(PLACES),
                    contact_person=contact_person,
                    housing_tenure=rng.choice(["buy", "rent", "trial", ""]),
                    housing_bedrooms=rng.randint(1, 4),
                    housing_from=(now + dt.timedelta(days=rng.randint(0, 300))).date(),
                    last_activity=now - dt.timedelta(days=rng.randint(0, 700)),
                )
            )
        households = Household.objects.bulk_create(rows)
        adults, children, tasks = [], [], []
        for h in households:
            first, last = rng.choice(FIRST), h.label.split()[1]
            phone = f"9{rng.randint(1000000, 9999999)}"
            adults.append(
                Adult(
                    household=h,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{h.pk}@example.org".lower(),
                    phone=phone,
                    phone_digits=phone_digits(phone),
                    occupation="Sykepleier",
                    job_wishes="Helse",
                )
            )
            for _k in range(rng.randint(0, 2)):
                children.append(Child(household=h, birth_year=rng.randint(2012, 2025)))
            tasks.append(
                Task(
                    household=h,
                    title="Ring tilbake",
                    due=(now + dt.timedelta(days=rng.randint(-30, 60))).date(),
                    assigned_to=contact_person,
                )
            )
        Adult.objects.bulk_create(adults)
        Child.objects.bulk_create(children)
        Task.objects.bulk_create(tasks)
        created += n
    return created


def _month(today: dt.date, ahead: int) -> dt.date:
    month = today.month - 1 + ahead
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


@transaction.atomic
def ensure_demo_households(municipality, contact_person=None, today: dt.date | None = None) -> int:
    """Give ``municipality`` four made-up households (names end in "(demo)", addresses @example.org)
    unless it has households already; returns how many were created.

    They show the pipeline and the daily list: a fresh inquiry (a couple with a job wish each, a
    child for kindergarten, trial housing), a household in dialogue with an overdue next step, one
    that has visited, and one that moved in four months ago (its 3-month follow-up is overdue).
    A municipality with any household (real data) is never touched.
    """
    from blilyst.web.privacy.rules import record_consent

    code = getattr(municipality, "pk", municipality)
    if Household.objects.filter(municipality_id=code).exists():
        return 0
    today = today or timezone.localdate()
    by = contact_person

    def household(label, adults, *, children=(), **fields):
        h = Household.objects.create(municipality_id=code, label=label, contact_person=by, **fields)
        for adult in adults:
            Adult.objects.create(household=h, **adult)
        for child in children:
            Child.objects.create(household=h, **child)
        record_consent(h, "follow_up", by=by, language="nb")
        return h

    nowak = household(
        "Familien Nowak (demo)",
        [
            {
                "name": "Piotr Nowak (demo)",
                "email": "piotr.nowak@example.org",
                "phone": "900 00 001",
                "language": "en",
                "occupation": "sykepleier",
                "job_wishes": "sykepleier",
            },
            {
                "name": "Anna Nowak (demo)",
                "email": "anna.nowak@example.org",
                "language": "other",
                "occupation": "snekker",
                "job_wishes": "snekker, byggfag",
                "remote_work": False,
            },
        ],
        children=[{"first_name": "Ola", "birth_year": today.year - 3, "kindergarten_from": _month(today, 4)}],
        target_group=TargetGroup.LABOUR_IMMIGRANTS,
        origin_place="Gdańsk",
        origin_country="Polen",
        heard_about="employer",
        housing_tenure="trial",
        housing_bedrooms=3,
        housing_from=_month(today, 2),
        wants_host=True,
        leisure_interests="fotball, fiske",
    )
    Task.objects.create(
        household=nowak,
        title="Send informasjon om prøvebolig",
        due=today + dt.timedelta(days=3),
        assigned_to=by,
        created_by=by,
    )

    berg = household(
        "Familien Berg (demo)",
        [
            {
                "name": "Kari Berg (demo)",
                "email": "kari.berg@example.org",
                "phone": "900 00 002",
                "occupation": "lærer",
                "job_wishes": "lærer",
                "remote_work": False,
            },
            {
                "name": "Lars Berg (demo)",
                "email": "lars.berg@example.org",
                "language": "nn",
                "occupation": "utvikler",
                "job_wishes": "",
                "remote_work": True,
            },
        ],
        children=[{"first_name": "Emma", "birth_year": today.year - 8, "needs_school": True}],
        target_group=TargetGroup.RETURNEES,
        origin_place="Oslo",
        heard_about="family_friends",
        housing_tenure="buy",
        housing_bedrooms=4,
        housing_from=_month(today, 6),
        school_note="3. klasse",
    )
    berg.change_status("in_dialogue", on=today - dt.timedelta(days=20), by=by)
    ContactLogEntry.objects.create(
        household=berg,
        on=today - dt.timedelta(days=20),
        channel="phone",
        by=by,
        summary="Ringte om gardsbruk og skole; sender oversikt over boliger til salgs.",
    )
    Task.objects.create(
        household=berg,
        title="Ring tilbake om gardsbruket",
        due=today - dt.timedelta(days=5),
        assigned_to=by,
        created_by=by,
    )

    haugen = household(
        "Marte Haugen (demo)",
        [
            {
                "name": "Marte Haugen (demo)",
                "email": "marte.haugen@example.org",
                "occupation": "kokk",
                "job_wishes": "kokk, resepsjon",
            }
        ],
        target_group=TargetGroup.YOUNG_SINGLE,
        origin_place="Skien",
        heard_about="social_media",
        housing_tenure="rent",
        housing_bedrooms=1,
        housing_from=_month(today, 1),
        wants_welcome_event=True,
    )
    haugen.change_status("in_dialogue", on=today - dt.timedelta(days=40), by=by)
    haugen.change_status("visited", on=today - dt.timedelta(days=10), by=by)

    ali = household(
        "Familien Ali (demo)",
        [
            {
                "name": "Ahmed Ali (demo)",
                "phone": "900 00 004",
                "language": "other",
                "occupation": "elektriker",
                "job_wishes": "elektriker",
            }
        ],
        children=[{"birth_year": today.year - 12, "needs_school": True}],
        target_group=TargetGroup.REFUGEES,
        origin_place="Aleppo",
        origin_country="Syria",
        heard_about="other",
    )
    for status, days in (("in_dialogue", 200), ("decided", 150)):
        ali.change_status(status, on=today - dt.timedelta(days=days), by=by)
    ali.change_status("moved_in", on=today - dt.timedelta(days=120), by=by)
    return 4
