"""Plan versions: a draft, the version the council adopted (date, case number), and what changed since.

An adopted version is frozen: the web app stores the saved plan and the key figures it was adopted with
(:func:`blilyst.plan.assembly.key_numbers`), so a new draft can say what changed — in the plan's choices
(goal, target groups, measures, target) and in the figures (a new year of SSB data moves the population,
the projection's need). :func:`changes` words the differences; the document prints them on its first page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from blilyst.errors import InputError
from blilyst.i18n import N_, format_date, format_number, format_percent
from blilyst.i18n import gettext as _

DRAFT, ADOPTED = "draft", "adopted"

# Frozen figures: key → (label, kind). Kinds: "count", "share", "rate" (one decimal).
FIGURES: dict[str, tuple[str, str]] = {
    "population": (N_("Population on 1 January of the latest year"), "count"),
    "share_67_plus": (N_("Share aged 67 and over"), "share"),
    "working_age": (N_("Aged 20–66"), "count"),
    "working_age_end": (N_("Aged 20–66 at the end of the projection"), "count"),
    "needed_per_year": (N_("More in-migrants needed a year to keep the number aged 20–66 stable"), "rate"),
}


@dataclass(frozen=True)
class VersionInfo:
    number: int
    status: str = DRAFT  # DRAFT or ADOPTED
    adopted_on: dt.date | None = None
    case_number: str = ""

    def __post_init__(self) -> None:
        if self.status not in (DRAFT, ADOPTED):
            raise InputError(
                "version",
                _("status must be '{draft}' or '{adopted}', not {value}").format(
                    draft=DRAFT, adopted=ADOPTED, value=repr(self.status)
                ),
            )
        if self.status == ADOPTED and (self.adopted_on is None or not self.case_number.strip()):
            raise InputError("version", _("an adopted version needs the date and the council's case number"))

    def text(self, lang: str | None = None) -> str:
        if self.status == ADOPTED and self.adopted_on is not None:
            return _("Version %(number)d, adopted by the municipal council on %(date)s (case %(case)s).") % {
                "number": self.number,
                "date": format_date(self.adopted_on, "long", lang),
                "case": self.case_number,
            }
        return _("Version %(number)d, draft (not adopted).") % {"number": self.number}

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "status": self.status,
            "adopted_on": self.adopted_on.isoformat() if self.adopted_on else None,
            "case_number": self.case_number,
        }

    @classmethod
    def from_json(cls, data: Any) -> VersionInfo:
        if not isinstance(data, Mapping) or not isinstance(data.get("number"), int):
            raise InputError(plan_file(), _("'version' must be an object with a whole 'number'"))
        try:
            adopted_on = dt.date.fromisoformat(data["adopted_on"]) if data.get("adopted_on") else None
        except ValueError as exc:
            raise InputError(
                plan_file(), _("'version.adopted_on' is not a date: {value}").format(value=repr(data["adopted_on"]))
            ) from exc
        return cls(
            number=data["number"],
            status=str(data.get("status") or DRAFT),
            adopted_on=adopted_on,
            case_number=str(data.get("case_number") or ""),
        )


def plan_file() -> str:
    """The name of a saved plan file in error messages, in the active language."""
    return _("plan file")


@dataclass(frozen=True)
class AdoptedBaseline:
    """The last adopted version as it was adopted: its number, date and case, choices and figures."""

    info: VersionInfo
    saved: Mapping[str, Any]  # SavedPlan.to_json() of the adopted plan (without its own baseline)
    figures: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.info.to_json(), "saved": dict(self.saved), "figures": dict(self.figures)}

    @classmethod
    def from_json(cls, data: Any) -> AdoptedBaseline:
        if not isinstance(data, Mapping) or not isinstance(data.get("saved"), Mapping):
            raise InputError(plan_file(), _("'adopted' must be an object with 'version', 'saved' and 'figures'"))
        figures = data.get("figures") or {}
        if not isinstance(figures, Mapping) or not all(isinstance(v, int | float) for v in figures.values()):
            raise InputError(plan_file(), _("'adopted.figures' must map names to numbers"))
        return cls(VersionInfo.from_json(data.get("version")), dict(data["saved"]), dict(figures))


def _figure(key: str, value: float) -> str:
    kind = FIGURES[key][1]
    if kind == "share":
        return format_percent(value, 1)
    return format_number(value, 1 if kind == "rate" else 0)


def _names(items: Any) -> list[str]:
    return [str(m.get("name", "")) for m in items or () if isinstance(m, Mapping) and m.get("name")]


def _measure_changes(old: Mapping[str, Any], saved: Mapping[str, Any]) -> list[str]:
    """Measures added, removed and changed between the adopted plan ``old`` and the draft ``saved``."""
    out: list[str] = []
    old_measures, new_measures = _names(old.get("measures")), _names(saved.get("measures"))
    for name in new_measures:
        if name not in old_measures:
            out.append(_("Measure added: %(measure)s.") % {"measure": name})
    for name in old_measures:
        if name not in new_measures:
            out.append(_("Measure removed: %(measure)s.") % {"measure": name})
    changed = [
        name
        for name in new_measures
        if name in old_measures
        and next(m for m in saved["measures"] if m.get("name") == name)
        != next(m for m in old["measures"] if m.get("name") == name)
    ]
    for name in changed:
        out.append(
            _("Measure changed (responsible, partners, period, cost or target): %(measure)s.") % {"measure": name}
        )
    return out


def changes(
    baseline: AdoptedBaseline, saved: Mapping[str, Any], figures: Mapping[str, float], group_names: Mapping[str, str]
) -> list[str]:
    """What differs between the adopted version and this draft, one sentence each (choices, then figures)."""
    old = baseline.saved
    out: list[str] = []
    if (old.get("goal") or "") != (saved.get("goal") or ""):
        out.append(_("The goal now reads: “%(goal)s”.") % {"goal": saved.get("goal") or "–"})
    old_groups, new_groups = list(old.get("chosen_groups") or []), list(saved.get("chosen_groups") or [])
    for key in new_groups:
        if key not in old_groups:
            out.append(_("Target group added: %(group)s.") % {"group": group_names.get(key, key)})
    for key in old_groups:
        if key not in new_groups:
            out.append(_("Target group removed: %(group)s.") % {"group": group_names.get(key, key)})
    out.extend(_measure_changes(old, saved))
    if old.get("target_in_migrants") != saved.get("target_in_migrants"):
        out.append(
            _("The target for more in-migrants a year changed from %(old)s to %(new)s.")
            % {
                "old": "–" if old.get("target_in_migrants") is None else format_number(old["target_in_migrants"]),
                "new": "–" if saved.get("target_in_migrants") is None else format_number(saved["target_in_migrants"]),
            }
        )
    if (old.get("scenario") or "trend") != (saved.get("scenario") or "trend"):
        out.append(_("The plan uses another projection scenario than the adopted version."))
    for key, (label, _kind) in FIGURES.items():
        if key in baseline.figures and key in figures:
            before, now = float(baseline.figures[key]), float(figures[key])
            if _figure(key, before) != _figure(key, now):
                out.append(
                    _("%(figure)s: %(old)s when adopted, %(new)s now.")
                    % {"figure": _(label), "old": _figure(key, before), "new": _figure(key, now)}
                )
    return out
