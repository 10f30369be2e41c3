"""The public offer of one municipality, counted from its registers through the plan's core.

Only what :func:`blilyst.plan.frontdoor.public_offer` allows is passed on: counts of available housing
by kind, free kindergarten places by month, and the advertised open vacancies (occupation, employer,
place, deadline and the public advertisement's link). No owner, no address, no note. The result is
kept for ``CACHE_SECONDS`` per municipality, so a busy public page does not recount on every request.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from blilyst.plan.frontdoor import JobAd, PublicOffer, public_offer
from blilyst.web.planning.aggregates import capacity
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

CACHE_SECONDS = 60


def _job_ads(code: str) -> list[JobAd]:
    rows = JobVacancy.objects.filter(municipality_id=code, status=JobVacancy.Status.OPEN).exclude(
        advertised=JobVacancy.Advertised.NOT_ADVERTISED
    )
    return [
        JobAd(
            occupation=v.occupation,
            employer=v.employer,
            sector=v.sector,
            positions=v.positions,
            advertised=True,
            open=True,
            deadline=v.deadline,
            place=v.place,
            url=v.url,
        )
        for v in rows.only("occupation", "employer", "sector", "positions", "deadline", "place", "url")
    ]


def offer_for(front_door, today: dt.date | None = None, use_cache: bool = True) -> PublicOffer:
    """What ``front_door``'s municipality may show the public today."""
    today = today or timezone.localdate()
    code = front_door.municipality_id
    key = f"frontdoor-offer:{code}:{today.isoformat()}:{','.join(front_door.parts())}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    counts = capacity(Housing.objects.all(), JobVacancy.objects.all(), KindergartenCapacity.objects.all(), code, today)
    result = public_offer(counts, _job_ads(code), parts=front_door.parts(), as_of=today)
    cache.set(key, result, CACHE_SECONDS)
    return result


def forget_offer(code: str) -> None:
    """Drop the cached offers of ``code`` (after its registers change). locmem and Redis both accept
    ``delete_many``; keys of past days simply expire."""
    today = timezone.localdate().isoformat()
    parts = ["housing", "kindergarten", "jobs"]
    combos = [",".join(p for i, p in enumerate(parts) if mask & (1 << i)) for mask in range(8)]
    cache.delete_many([f"frontdoor-offer:{code}:{today}:{c}" for c in combos])
