"""Made-up households for the demo, the tests and the benchmarks (no real people).

``make_household(municipality, ...)`` creates one household with one adult; ``generate_households``
creates many at once with ``bulk_create`` (10 000 in a few seconds), spread over statuses,
target groups and the last two years of activity.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from blilyst.web.newcomers.models import (
    Adult,
    Child,
    Household,
    Status,
    TargetGroup,
    Task,
    phone_digits,
)

FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Aisha", "Piotr", "Marte", "Jonas", "Sara", "Ahmed", "Emma", "Nils"]
LAST = ["Berg", "Hansen", "Lie", "Haugen", "Nowak", "Dahl", "Moen", "Bakken", "Ali", "Solberg", "Strand", "Vik"]
PLACES = ["Oslo", "Bergen", "Skien", "Drammen", "Trondheim", "Porsgrunn", "Gdańsk", "Aleppo", "Stavanger"]


def make_household(municipality, label: str = "Familien Berg", *, name: str = "Kari Berg",
                   email: str = "kari@example.org", phone: str = "912 34 567", **fields) -> Household:
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
            rows.append(Household(
                municipality_id=code, label=f"Familien {last} {start + i + 1}", status=rng.choice(statuses),
                target_group=rng.choice(groups), origin_place=rng.choice(PLACES), contact_person=contact_person,
                housing_tenure=rng.choice(["buy", "rent", "trial", ""]), housing_bedrooms=rng.randint(1, 4),
                housing_from=(now + dt.timedelta(days=rng.randint(0, 300))).date(),
                last_activity=now - dt.timedelta(days=rng.randint(0, 700)),
            ))
        households = Household.objects.bulk_create(rows)
        adults, children, tasks = [], [], []
        for h in households:
            first, last = rng.choice(FIRST), h.label.split()[1]
            phone = f"9{rng.randint(1000000, 9999999)}"
            adults.append(Adult(household=h, name=f"{first} {last}", email=f"{first}.{last}.{h.pk}@example.org".lower(),
                                phone=phone, phone_digits=phone_digits(phone), occupation="Sykepleier",
                                job_wishes="Helse"))
            for _k in range(rng.randint(0, 2)):
                children.append(Child(household=h, birth_year=rng.randint(2012, 2025)))
            tasks.append(Task(household=h, title="Ring tilbake", due=(now + dt.timedelta(days=rng.randint(-30, 60))).date(),
                              assigned_to=contact_person))
        Adult.objects.bulk_create(adults)
        Child.objects.bulk_create(children)
        Task.objects.bulk_create(tasks)
        created += n
    return created
