"""Aggregates from the newcomer service and its resource registers — the only thing the plan ever sees of them.

Analysts may see and edit the plan but never personal data, so the plan pages read the newcomer
service (households) and the resources (housing, vacancies, kindergarten places, matching gaps) only
through these functions, which return counts:

* :func:`capacity` → :class:`blilyst.plan.capacity.Capacity` (available listings by kind, free
  kindergarten places by month for the next twelve months, open vacancies by sector and how many of
  them were advertised);
* :func:`matching_gaps` → open gaps by kind (what the newcomer service could not match);
* :func:`inclusion` → months from moving in to feeling included per household (the first follow-up
  answering "yes"; the date it reached "settled" only where no follow-up is recorded, and it says
  which was used) and how many moved in a year ago or more without feeling included;
* :func:`evaluation_records` → one anonymous record per household (stage, target group, persons,
  dates, grouped reason for moving away) for :func:`blilyst.plan.evaluation.evaluate`, whose tables
  suppress small cells.

Each function takes a queryset the view has already narrowed with :func:`blilyst.web.lib.tenancy.for_user`
and a municipality code; none returns a name, a contact detail or a free-text note.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

from django.db.models import Count, QuerySet, Sum

from blilyst.plan.capacity import Capacity
from blilyst.plan.saved import (  # noqa: F401 - the JSON forms live in the core, re-exported for the views
    capacity_from_json,
    capacity_to_json,
    evidence_from_json,
    evidence_to_json,
)

HOUSING_KIND = {"sale": "for_sale", "rent": "rental", "trial": "trial_housing"}
# Pipeline stages of the newcomer service beyond moving in count as "moved in" in the funnel.
STAGE_FOR_FUNNEL = {"settled": "moved_in", "stayed": "moved_in", "moved_out": "moved_in"}


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def kindergarten_free_by_age(
    kindergarten: QuerySet, code: str, today: dt.date | None = None
) -> dict[str, dict[int, int]]:
    """Free kindergarten places a child of each age group could take, by month number, for the twelve months
    from ``today`` (the months of :func:`capacity`): for "under_3" and "over_3" the places of that group plus
    the places for any age. Empty when no row in those months is split by age (the register does not say)."""
    today = today or dt.date.today()
    start = today.replace(day=1)
    rows = kindergarten.filter(municipality=code, month__gte=start, month__lt=_add_months(start, 12))
    if not rows.exclude(age_group="").exists():
        return {}
    sums = rows.values("month", "age_group").annotate(n=Sum("free_places")).order_by()
    by_age: dict[str, dict[int, int]] = {"under_3": {}, "over_3": {}}
    for r in sums:
        for group, months in by_age.items():
            if r["age_group"] in ("", group):
                months[r["month"].month] = months.get(r["month"].month, 0) + int(r["n"] or 0)
    return by_age


def capacity(
    housing: QuerySet,
    vacancies: QuerySet,
    kindergarten: QuerySet,
    code: str,
    today: dt.date | None = None,
    hosts: QuerySet | None = None,
) -> Capacity:
    """What the municipality ``code`` can offer now, counted from its resource registers.

    Housing: available listings by kind. Once the municipality has recorded any listing (it keeps the
    register), every kind the register can hold is counted, with 0 where none is available, so "rentals
    available" with every rental let is *unsupported* and housing a bottleneck, not *unknown*. Small
    farms (``small_farm``) and building plots (``plot``) are kinds of the register too, so "ledige
    småbruk" is *supported* with one available and *unsupported* with none; a municipality that has
    recorded no listing at all stays unknown ("cannot be verified"). A kind added to the register later
    is counted here without a change (its value is used as given unless :data:`HOUSING_KIND` renames it).

    For the honesty check it also counts the prices of the available listings by kind (so "rimelige
    boliger" can be held against the municipality's price limit), the open positions by occupation (so
    "ledige stillinger for lærere" is judged by occupation) and, given ``hosts``, the active hosts."""
    today = today or dt.date.today()
    homes = housing.filter(municipality=code, status="available").values("kind").annotate(n=Count("pk")).order_by()
    by_kind = {}
    if housing.filter(municipality=code).exists():
        kinds = [value for value, _label in housing.model._meta.get_field("kind").choices]
        by_kind = {HOUSING_KIND.get(k, k): 0 for k in kinds}
    by_kind.update({HOUSING_KIND.get(r["kind"], r["kind"]): int(r["n"]) for r in homes})
    prices: dict[str, list[int]] = {k: [] for k in by_kind}
    for kind, price in housing.filter(municipality=code, status="available").values_list("kind", "price"):
        prices.setdefault(HOUSING_KIND.get(kind, kind), []).append(int(price))
    open_jobs = vacancies.filter(municipality=code, status="open")
    by_sector = {
        r["sector"]: int(r["n"] or 0) for r in open_jobs.values("sector").annotate(n=Sum("positions")).order_by()
    }
    known = sum(by_sector.values())
    occupations: dict[str, int] = {}
    for occupation, positions in open_jobs.values_list("occupation", "positions"):
        key = occupation.strip().lower()
        occupations[key] = occupations.get(key, 0) + int(positions or 0)
    advertised = int(open_jobs.exclude(advertised="not_advertised").aggregate(n=Sum("positions"))["n"] or 0)
    start = today.replace(day=1)
    end = _add_months(start, 12)
    places = (
        kindergarten.filter(municipality=code, month__gte=start, month__lt=end)
        .values("month")
        .annotate(n=Sum("free_places"))
        .order_by()
    )
    free = {r["month"].month: int(r["n"] or 0) for r in places}
    return Capacity(
        housing=by_kind,
        kindergarten_free=free,
        vacancies=by_sector,
        vacancies_advertised=advertised if known else None,
        vacancies_known=known or None,
        housing_prices={k: tuple(v) for k, v in prices.items()},
        occupations=occupations,
        offers={"host": hosts.filter(municipality=code, active=True).count()} if hosts is not None else {},
        as_of=today,
        source="blilyst",
    )


def matching_gaps(gaps: QuerySet, code: str) -> dict[str, int]:
    """Open (unresolved) matching gaps of ``code`` by kind: ``{"housing": 3, "kindergarten": 1, ...}``."""
    rows = gaps.filter(municipality=code, resolved_on__isnull=True).values("kind").annotate(n=Count("pk")).order_by()
    return {r["kind"]: int(r["n"]) for r in rows}


class Inclusion(tuple):
    """``(months, waiting)`` as :func:`inclusion` returns it, plus where each figure came from.

    Unpacks as the pair ``months, waiting``. ``from_follow_ups`` / ``from_settled`` count the
    households whose months came from a follow-up answering "feels included" and those (without any
    follow-up recorded) that fell back to the date they reached *settled*; ``source`` says which was
    used: "follow_ups", "settled", "mixed" or "none"."""

    from_follow_ups: int
    from_settled: int

    def __new__(cls, months: list[float], waiting: int, from_follow_ups: int = 0, from_settled: int = 0):
        self = super().__new__(cls, (months, waiting))
        self.from_follow_ups = from_follow_ups
        self.from_settled = from_settled
        return self

    @property
    def months(self) -> list[float]:
        return self[0]

    @property
    def waiting(self) -> int:
        return self[1]

    @property
    def source(self) -> str:
        if self.from_follow_ups and self.from_settled:
            return "mixed"
        if self.from_follow_ups:
            return "follow_ups"
        return "settled" if self.from_settled else "none"


def _months_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / 30.4375, 1)


def inclusion(households: QuerySet, code: str, today: dt.date | None = None) -> Inclusion:
    """(months from moving in to feeling included per household, households moved in a year ago or more
    that do not yet feel included), as an :class:`Inclusion` that also says what was used.

    A household with follow-ups recorded counts from its first follow-up answering "yes" (feels
    included); with follow-ups but no "yes" it is waiting once a year has passed since moving in
    (and not moved away). Only a household without any follow-up falls back to the date it reached
    *settled* (and waits while still "moved in" after a year). Only counts leave this function;
    small cells (fewer than 3 households) are suppressed where the figures are shown
    (:data:`blilyst.plan.bottlenecks.MIN_HOUSEHOLDS`)."""
    from blilyst.web.newcomers.models import FollowUp, StatusChange  # children reached only through parents

    today = today or dt.date.today()
    mine = households.filter(municipality=code)
    rows = list(mine.filter(moved_in_on__isnull=False).values("pk", "status", "moved_in_on"))
    # A household's key: its id, or ("anonymous", id) for an anonymous outcome.
    followed: set[int | tuple[str, int]] = set(
        FollowUp.objects.filter(household__in=mine).values_list("household_id", flat=True).distinct()
    )
    included_on: dict[int | tuple[str, int], dt.date] = {}
    for f in (
        FollowUp.objects.filter(household__in=mine, feels_included="yes")
        .values("household_id", "on")
        .order_by("on", "pk")
    ):
        included_on.setdefault(f["household_id"], f["on"])
    settled_on: dict[int | tuple[str, int], dt.date] = {}
    for c in (
        StatusChange.objects.filter(household__in=mine, to_status="settled").values("household_id", "on").order_by("on")
    ):
        settled_on.setdefault(c["household_id"], c["on"])
    # Erased and retained households count too, from their anonymous outcomes (dates to the month).
    for o in (
        _anonymous(code)
        .filter(moved_in_month__isnull=False)
        .values("pk", "status", "moved_in_month", "followed_up", "included_month", "settled_month")
    ):
        key = ("anonymous", o["pk"])
        rows = [*rows, {"pk": key, "status": o["status"], "moved_in_on": o["moved_in_month"]}]
        if o["followed_up"]:
            followed.add(key)
        if o["included_month"]:
            included_on[key] = o["included_month"]
        if o["settled_month"]:
            settled_on[key] = o["settled_month"]
    months, waiting, from_follow_ups, from_settled = [], 0, 0, 0
    for r in rows:
        pk, moved_in, a_year_on = r["pk"], r["moved_in_on"], (today - r["moved_in_on"]).days >= 365
        if pk in followed:
            if pk in included_on:
                months.append(_months_between(moved_in, included_on[pk]))
                from_follow_ups += 1
            elif a_year_on and r["status"] != "moved_out":
                waiting += 1
        elif pk in settled_on:
            months.append(_months_between(moved_in, settled_on[pk]))
            from_settled += 1
        elif r["status"] == "moved_in" and a_year_on:
            waiting += 1
    return Inclusion(months, waiting, from_follow_ups, from_settled)


def evaluation_records(households: QuerySet, code: str) -> list[dict]:
    """One record per household of ``code`` for :func:`blilyst.plan.evaluation.evaluate` (no names)."""
    rows = (
        households.filter(municipality=code)
        .values("pk", "status", "target_group", "moved_in_on", "moved_out_on", "move_out_reason")
        .annotate(adults_n=Count("adults", distinct=True), children_n=Count("children", distinct=True))
        .order_by("pk")
    )
    live = [
        {
            "stage": STAGE_FOR_FUNNEL.get(r["status"], r["status"]),
            "target_group": r["target_group"] or "other",
            "persons": max(1, int(r["adults_n"]) + int(r["children_n"])),
            "moved_in": r["moved_in_on"],
            "moved_out": r["moved_out_on"],
            "move_out_reason": r["move_out_reason"] or None,
        }
        for r in rows
    ]
    # Erased and retained households stay in the funnel and the retention curve as anonymous outcomes
    # (their last status, as for the live ones; dates to the month).
    erased = [
        {
            "stage": STAGE_FOR_FUNNEL.get(o.status, o.status),
            "target_group": o.target_group or "other",
            "persons": max(1, o.adults + o.children),
            "moved_in": o.moved_in_month,
            "moved_out": o.moved_out_month,
            "move_out_reason": o.move_out_reason or None,
        }
        for o in _anonymous(code).order_by("pk")
    ]
    return live + erased


def _anonymous(code: str) -> QuerySet:
    """The anonymous outcomes of ``code``'s erased and retained households (no personal data; the caller has
    checked that the user may see the municipality's statistics)."""
    from blilyst.web.privacy.models import AnonymousOutcome

    return AnonymousOutcome.objects.filter(municipality_id=code)


def gap_summary(gaps: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(Counter(gaps).items())
