"""The action plan: who does what with whom, when, at what cost, and how the council will see that it works.

Each measure of the saved plan (:class:`blilyst.plan.saved.SavedPlan`) becomes an :class:`ActionItem`:
the measure, the one responsible, the partners by kind (business, voluntary groups, neighbouring
municipalities, public bodies), start and end, cost, and the indicator with its target value. The
guidance asks for partners outside the municipal organisation, so :func:`gaps` names every item
without a responsible, a period, a partner or a target.

:func:`goal_check` holds the plan's own target for in-migrants against what the target-seeking
projection says is needed to keep the number aged 20–66 stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from blilyst.errors import InputError
from blilyst.i18n import N_, format_date, format_number, format_percent
from blilyst.i18n import gettext as _

PARTNER_KINDS: dict[str, str] = {
    "business": N_("business"),
    "voluntary": N_("voluntary groups"),
    "neighbour": N_("neighbouring municipalities"),
    "public": N_("public bodies"),
}


@dataclass(frozen=True)
class Partner:
    kind: str  # a key of PARTNER_KINDS
    name: str

    def text(self) -> str:
        return f"{self.name} ({_(PARTNER_KINDS[self.kind])})" if self.kind in PARTNER_KINDS else self.name


@dataclass(frozen=True)
class ActionItem:
    measure: str
    responsible: str = ""
    partners: tuple[Partner, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    cost: float | None = None  # kroner over the whole period
    indicator: str = ""
    target: float | None = None
    target_year: int | None = None

    def period_text(self) -> str:
        if self.start and self.end:
            return f"{self.start.year}–{self.end.year}" if self.start.year != self.end.year else str(self.start.year)
        if self.start:
            return _("from %(year)d") % {"year": self.start.year}
        if self.end:
            return _("until %(year)d") % {"year": self.end.year}
        return "–"

    def cost_text(self) -> str:
        return _("%(amount)s kr") % {"amount": format_number(self.cost)} if self.cost is not None else "–"

    def target_text(self) -> str:
        if self.target is None:
            return "–"
        value = format_number(self.target, 0 if float(self.target).is_integer() else 1)
        return _("%(value)s by %(year)d") % {"value": value, "year": self.target_year} if self.target_year else value


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(what, _("{value} is not a date (use YYYY-MM-DD)").format(value=repr(value))) from exc


def action_item(measure: Mapping[str, Any]) -> ActionItem:
    """One stored measure (the JSON the plan's form writes) as an action item."""
    partners = tuple(
        Partner(str(p.get("kind", "")), str(p.get("name", "")).strip())
        for p in measure.get("partners") or ()
        if str(p.get("name", "")).strip()
    )
    indicator = (measure.get("indicators") or [{}])[0]
    start, end = _date(measure.get("start"), "start"), _date(measure.get("end"), "end")
    if start and end and end < start:
        raise InputError(
            "end",
            _("the measure '{name}' ends ({end}) before it starts ({start})").format(
                name=measure.get("name", ""), end=format_date(end), start=format_date(start)
            ),
        )
    cost = measure.get("cost")
    return ActionItem(
        measure=str(measure.get("name", "")),
        responsible=str(measure.get("responsible") or ""),
        partners=partners,
        start=start,
        end=end,
        cost=float(cost) if cost not in (None, "") else None,
        indicator=str(indicator.get("name") or ""),
        target=indicator.get("target"),
        target_year=indicator.get("target_year"),
    )


def action_items(measures: Sequence[Mapping[str, Any]]) -> list[ActionItem]:
    return [action_item(m) for m in measures if m.get("name")]


def gaps(items: Sequence[ActionItem]) -> list[str]:
    """What each item still lacks before a council can hold someone to it."""
    out = []
    for item in items:
        missing = []
        if not item.responsible:
            missing.append(_("who is responsible"))
        if not item.partners:
            missing.append(_("partners outside the municipality"))
        if not (item.start and item.end):
            missing.append(_("start and end"))
        if item.cost is None:
            missing.append(_("cost"))
        if not item.indicator or item.target is None:
            missing.append(_("an indicator with a target value"))
        if missing:
            out.append(_("“%(measure)s” lacks %(what)s.") % {"measure": item.measure, "what": ", ".join(missing)})
    return out


# ------------------------------------------------------------------------------------- goal check


@dataclass(frozen=True)
class GoalCheck:
    """The plan's target (more in-migrants a year than the trend gives) against the projection's need."""

    target_per_year: float
    needed_per_year: float
    top_age_group: str

    @property
    def verdict(self) -> str:
        """``"enough"``, ``"short"`` or ``"no_need"`` (the trend already keeps the working-age population)."""
        if self.needed_per_year <= 0:
            return "no_need"
        return "enough" if self.target_per_year >= self.needed_per_year * 0.9 else "short"

    def text(self) -> str:
        values = {
            "target": format_number(self.target_per_year),
            "needed": format_number(abs(self.needed_per_year)),
            "ages": self.top_age_group.replace("-", "–"),
            "share": format_percent(self.target_per_year / self.needed_per_year) if self.needed_per_year > 0 else "",
        }
        if self.verdict == "no_need":
            return (
                _(
                    "The plan aims at %(target)s more in-migrants a year than the trend gives; the target-seeking "
                    "projection finds that the trend already keeps the number aged 20–66 stable, so the goal is "
                    "about more than the workforce."
                )
                % values
            )
        if self.verdict == "enough":
            return (
                _(
                    "The plan aims at %(target)s more in-migrants a year than the trend gives; the target-seeking "
                    "projection needs about %(needed)s a year, mostly aged %(ages)s, to keep the number aged "
                    "20–66 stable. The goal fits the projection."
                )
                % values
            )
        return (
            _(
                "The plan aims at %(target)s more in-migrants a year than the trend gives, but the target-seeking "
                "projection needs about %(needed)s a year, mostly aged %(ages)s, to keep the number aged 20–66 "
                "stable: the goal covers %(share)s of the need. Either raise it or say in the plan that the "
                "working-age population is expected to fall."
            )
            % values
        )


def goal_check(target_per_year: float | None, needed_per_year: float, top_age_group: str) -> GoalCheck | None:
    """``None`` when the plan has no target for in-migrants yet."""
    if target_per_year is None:
        return None
    return GoalCheck(float(target_per_year), float(needed_per_year), top_age_group)
