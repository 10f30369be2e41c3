"""The public offer of one municipality, counted from its registers through the plan's core.

Only what :func:`blilyst.plan.frontdoor.public_offer` allows is passed on: counts of available housing
by kind, free kindergarten places by month (and by age group, where the register splits them), and the advertised open vacancies (occupation, employer,
place, deadline and the public advertisement's link). No owner, no address, no note. The result is
kept for ``CACHE_SECONDS`` per municipality, so a busy public page does not recount on every request.

Every cache key carries the municipality's *generation*, a counter in the ``shared`` cache (a folder of the
machine, or Redis) that ``forget_offer`` counts up whenever blilyst changes the registers (pages, API,
import, an accepted offer): every server process sees the change at its next request, so the offer and the
page can be kept for minutes in each process's own memory. Changes made outside blilyst show within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache, caches
from django.utils import timezone

from blilyst.plan.frontdoor import JobAd, PublicOffer, public_offer
from blilyst.web.planning.aggregates import capacity, kindergarten_free_by_age
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

CACHE_SECONDS = 300
GENERATIONS = "shared"  # the cache every process of the server reads


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
    key of the municipality's public offer and page. It lives in the ``shared`` cache, so a change is seen at
    once by every process of the server (every server, with Redis)."""
    return int(caches[GENERATIONS].get(f"frontdoor-generation:{code}") or 0)


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
    by_age = kindergarten_free_by_age(KindergartenCapacity.objects.all(), code, today)
    result = public_offer(counts, _job_ads(code), parts=front_door.parts(), as_of=today, kindergarten_by_age=by_age)
    cache.set(key, result, CACHE_SECONDS)
    return result


def forget_offer(code: str) -> None:
    """After ``code``'s registers change: a new generation, so cached offers and pages are not used again."""
    caches[GENERATIONS].set(f"frontdoor-generation:{code}", generation(code) + 1, None)
