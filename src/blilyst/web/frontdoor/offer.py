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


def generation(code: str) -> int:
    """A number that changes whenever ``code``'s registers change (``forget_offer``): part of every cache
    key of the municipality's public offer and page, so a change is seen at once by every process that
    shares the cache, and within ``CACHE_SECONDS`` by the others."""
    return int(cache.get(f"frontdoor-generation:{code}") or 0)


def cache_key(kind: str, front_door, *parts: str) -> str:
    code = front_door.municipality_id
    stamp = front_door.updated.isoformat() if front_door.updated else ""
    return ":".join(["frontdoor", kind, code, str(generation(code)), stamp, timezone.localdate().isoformat(), *parts])


def offer_for(front_door, today: dt.date | None = None, use_cache: bool = True) -> PublicOffer:
    """What ``front_door``'s municipality may show the public today."""
    today = today or timezone.localdate()
    code = front_door.municipality_id
    key = cache_key("offer", front_door, today.isoformat(), ",".join(front_door.parts()))
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    counts = capacity(Housing.objects.all(), JobVacancy.objects.all(), KindergartenCapacity.objects.all(), code, today)
    result = public_offer(counts, _job_ads(code), parts=front_door.parts(), as_of=today)
    cache.set(key, result, CACHE_SECONDS)
    return result


def forget_offer(code: str) -> None:
    """After ``code``'s registers change: a new generation, so cached offers and pages are not used again."""
    cache.set(f"frontdoor-generation:{code}", generation(code) + 1, None)
