"""What a municipality may honestly tell the public it offers newcomers right now.

The public front door (``web/frontdoor``) shows a newcomer what exists today, and nothing more: a
promise the registers do not back is exactly what the guidance's honesty step warns against. This
module decides *what* may be said from a :class:`~blilyst.plan.capacity.Capacity` (counts from the
municipality's own registers) and the advertised job listings; the page only words it.

The rules are conservative on purpose:

* **Housing**: a kind is named only when at least one listing of that kind is available now. A
  municipality that keeps no register says nothing about housing (unknown is not "available").
* **Kindergarten**: a month is named only when the register holds a figure for it and that figure is
  at least one free place. Months without a figure are left out, never shown as free. Where the register
  splits places by age group (under 3 / 3 and over), each group's months are named too: a month counts for a
  group only with places of that group or places for any age, never with the other group's places.
* **Jobs**: only open vacancies that were publicly advertised and whose deadline has not passed. A
  vacancy the municipality knows of but nobody advertised is not offered to the public.
* A part the municipality did not choose to publish is left out altogether.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from blilyst.i18n import gettext as _
from blilyst.plan.capacity import HOUSING_TYPES, Capacity


@dataclass(frozen=True)
class JobAd:
    """One advertised vacancy as the public may see it (no contact person, no internal note)."""

    occupation: str
    employer: str
    sector: str
    positions: int
    advertised: bool
    open: bool
    deadline: dt.date | None = None
    place: str = ""
    url: str = ""


@dataclass(frozen=True)
class PublicOffer:
    """What the front door may say, in the order a newcomer reads it.

    ``housing``: ``(kind, available)`` for each kind with at least one available listing, in the
    order of :data:`~blilyst.plan.capacity.HOUSING_TYPES`. ``kindergarten_months``: the first day of
    each month (from ``as_of``'s month, twelve months ahead) with free places, and how many.
    ``jobs``: the advertised, open vacancies. ``housing_known`` / ``kindergarten_known`` say whether
    the register exists at all, so the page can say "ask us" instead of implying "none".
    ``kindergarten_by_age``: when the register splits places by age, ``(age_group, months)`` for
    "under_3" and "over_3" in that order, ``months`` as in ``kindergarten_months`` (it may be empty: no
    place for that group); empty when the register does not split places by age.
    """

    as_of: dt.date
    housing: tuple[tuple[str, int], ...] = ()
    kindergarten_months: tuple[tuple[dt.date, int], ...] = ()
    kindergarten_by_age: tuple[tuple[str, tuple[tuple[dt.date, int], ...]], ...] = ()
    jobs: tuple[JobAd, ...] = ()
    housing_known: bool = False
    kindergarten_known: bool = False
    parts: frozenset[str] = field(default_factory=frozenset)

    def is_empty(self) -> bool:
        return not (self.housing or self.kindergarten_months or self.jobs)


PARTS = ("housing", "kindergarten", "jobs")
#: The age groups of kindergarten places the front door names, in the order it names them.
AGE_GROUPS = ("under_3", "over_3")


def _months_ahead(as_of: dt.date, count: int = 12) -> list[dt.date]:
    first = as_of.replace(day=1)
    out = []
    for step in range(count):
        month = first.month - 1 + step
        out.append(dt.date(first.year + month // 12, month % 12 + 1, 1))
    return out


def public_offer(
    capacity: Capacity,
    jobs: Iterable[JobAd] = (),
    *,
    parts: Iterable[str] = PARTS,
    as_of: dt.date | None = None,
    kindergarten_by_age: Mapping[str, Mapping[int, int]] | None = None,
) -> PublicOffer:
    """What may be published from ``capacity`` and ``jobs``, limited to the ``parts`` the municipality
    publishes (``"housing"``, ``"kindergarten"``, ``"jobs"``).

    ``capacity.kindergarten_free`` is keyed by month number for the twelve months from ``as_of``
    (as :func:`blilyst.web.planning.aggregates.capacity` counts it), so month numbers are placed on
    the calendar from ``as_of`` onwards. ``kindergarten_by_age`` holds, for "under_3" and "over_3", the
    free places a child of that age group could take by month number, counted the same way (its own group's
    places and those for any age; :func:`blilyst.web.planning.aggregates.kindergarten_free_by_age`); leave it
    out, or empty, when the register does not split places by age.
    """
    as_of = as_of or capacity.as_of or dt.date.today()
    wanted = frozenset(parts)
    unknown = wanted - set(PARTS)
    if unknown:
        raise ValueError(
            _("unknown part(s) {parts}; use {known}").format(parts=", ".join(sorted(unknown)), known=", ".join(PARTS))
        )

    housing: tuple[tuple[str, int], ...] = ()
    if "housing" in wanted and capacity.knows_housing():
        ordered = [k for k in HOUSING_TYPES if k in capacity.housing] + [
            k for k in capacity.housing if k not in HOUSING_TYPES
        ]
        housing = tuple((k, capacity.housing[k]) for k in ordered if capacity.housing[k] > 0)

    months: tuple[tuple[dt.date, int], ...] = ()
    if "kindergarten" in wanted and capacity.kindergarten_known():
        months = tuple(
            (month, capacity.kindergarten_free[month.month])
            for month in _months_ahead(as_of)
            if capacity.kindergarten_free.get(month.month, 0) > 0
        )

    by_age: tuple[tuple[str, tuple[tuple[dt.date, int], ...]], ...] = ()
    if months and kindergarten_by_age:
        unknown_groups = set(kindergarten_by_age) - set(AGE_GROUPS)
        if unknown_groups:
            raise ValueError(
                _("unknown age group(s) {groups}; use {known}").format(
                    groups=", ".join(sorted(unknown_groups)), known=", ".join(AGE_GROUPS)
                )
            )
        total = dict(months)
        by_age = tuple(
            (
                group,
                # a group never has more places in a month than the register has in all
                tuple(
                    (month, min(free.get(month.month, 0), all_free))
                    for month, all_free in total.items()
                    if free.get(month.month, 0) > 0
                ),
            )
            for group in AGE_GROUPS
            for free in [kindergarten_by_age.get(group, {})]
        )

    ads: tuple[JobAd, ...] = ()
    if "jobs" in wanted:
        ads = tuple(
            sorted(
                (
                    j
                    for j in jobs
                    if j.open and j.advertised and j.positions > 0 and (j.deadline is None or j.deadline >= as_of)
                ),
                key=lambda j: (j.deadline or dt.date.max, j.occupation.lower()),
            )
        )

    return PublicOffer(
        as_of=as_of,
        housing=housing,
        kindergarten_months=months,
        kindergarten_by_age=by_age,
        jobs=ads,
        housing_known="housing" in wanted and capacity.knows_housing(),
        kindergarten_known="kindergarten" in wanted and capacity.kindergarten_known(),
        parts=wanted,
    )
