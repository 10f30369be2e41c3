"""The written chain: goal → target group → measures → indicators.

*Drømmen om å bli flere* asks municipalities to write down the link between what they want to achieve,
whom they choose to work for and what they actually do. :class:`Chain` is that written link, and
:func:`validate_chain` checks that every link is there and that the indicators can actually be measured
(a metric blilyst or the municipality can count, a unit, a target and a year), so the plan can later answer
"does it work?".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, override
from blilyst.i18n import gettext as _
from blilyst.plan.bottlenecks import ITEM_KEYS
from blilyst.plan.targetgroups import TargetGroup, candidate_groups
from blilyst.plan.texts import fmt_pct

# Metrics blilyst itself can measure (key -> label, unit, where the number comes from); the texts are English
# msgids, translated where they are shown (metric_label, Indicator.resolved_source).
METRICS: dict[str, tuple[str, str, str]] = {
    "moved_in_households": (
        N_("Households moved in via the service"),
        "households",
        N_("Newcomer service"),
    ),
    "moved_in_persons": (
        N_("Persons moved in via the service"),
        "persons",
        N_("Newcomer service"),
    ),
    "retention_1y": (
        N_("Share still resident after 1 year"),
        "share",
        N_("Newcomer service (Kaplan–Meier)"),
    ),
    "retention_2y": (
        N_("Share still resident after 2 years"),
        "share",
        N_("Newcomer service (Kaplan–Meier)"),
    ),
    "retention_5y": (
        N_("Share still resident after 5 years"),
        "share",
        N_("Newcomer service (Kaplan–Meier)"),
    ),
    "reach_share": (
        N_("Share of all in-migrants the service reached"),
        "share",
        N_("Newcomer service and SSB"),
    ),
    "enquiries": (
        N_("Enquiries"),
        "households",
        N_("Newcomer service"),
    ),
    "months_to_included": (
        N_("Months until newcomers feel included (median)"),
        "months",
        N_("Follow-ups"),
    ),
    "net_migration": (
        N_("Net in-migration"),
        "persons",
        N_("Statistics Norway"),
    ),
    "in_migration": (
        N_("In-migration"),
        "persons",
        N_("Statistics Norway"),
    ),
    "population": (
        N_("Population on 1 January"),
        "persons",
        N_("Statistics Norway"),
    ),
    "kindergarten_free_all_months": (
        N_("Months with a free kindergarten place"),
        "months",
        N_("The municipality"),
    ),
    "housing_listed": (
        N_("Homes listed"),
        "homes",
        N_("Newcomer service"),
    ),
    "vacancies_advertised_share": (
        N_("Share of vacancies advertised"),
        "share",
        N_("Municipality and employers"),
    ),
}
VAGUE_GROUPS = {"alle", "all", "everyone", "alle innbyggere", "folk", "people", "alle som vil"}


@dataclass(frozen=True)
class Indicator:
    """Something counted to see whether a measure works.

    ``metric`` is a key of :data:`METRICS` or, for something blilyst does not count, ``"custom"`` with a
    ``source`` saying who counts it and how.
    """

    name: str
    metric: str
    target: float | None = None
    target_year: int | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    unit: str = ""
    source: str = ""

    def resolved_unit(self) -> str:
        return self.unit or (METRICS[self.metric][1] if self.metric in METRICS else "")

    def resolved_source(self, lang: str = "nb") -> str:
        if self.source or self.metric not in METRICS:
            return self.source
        with override(lang):
            return _(METRICS[self.metric][2])


def metric_label(key: str, lang: str = "nb") -> str:
    """What the metric ``key`` counts, in words (for choice lists and tables)."""
    with override(lang):
        return _(METRICS[key][0])


@dataclass(frozen=True)
class Measure:
    """Something the municipality does, for a target group, perhaps against a bottleneck."""

    name: str
    description: str = ""
    target_groups: tuple[str, ...] = ()
    bottleneck: str | None = None  # a checklist item key
    indicators: tuple[Indicator, ...] = ()
    responsible: str = ""


@dataclass(frozen=True)
class Chain:
    goal: str
    target_groups: tuple[str, ...]
    measures: tuple[Measure, ...]
    indicators: tuple[Indicator, ...] = ()  # indicators for the goal itself
    rationale: str = ""  # why this group: the link to the needs analysis

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (for storing the chain in a database field or a file)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Chain:
        """The inverse of :meth:`to_dict`; unknown keys are refused with the field named."""

        def indicator(d: Mapping[str, Any]) -> Indicator:
            return Indicator(**_known(d, Indicator, "indicator"))

        def measure(d: Mapping[str, Any]) -> Measure:
            d = _known(d, Measure, "measure")
            return Measure(
                **{
                    **d,
                    "target_groups": tuple(d.get("target_groups", ())),
                    "indicators": tuple(indicator(i) for i in d.get("indicators", ())),
                }
            )

        d = _known(data, cls, "chain")
        return cls(
            goal=d.get("goal", ""),
            target_groups=tuple(d.get("target_groups", ())),
            measures=tuple(measure(m) for m in d.get("measures", ())),
            indicators=tuple(indicator(i) for i in d.get("indicators", ())),
            rationale=d.get("rationale", ""),
        )

    def all_indicators(self) -> list[Indicator]:
        out = list(self.indicators)
        for m in self.measures:
            out.extend(m.indicators)
        return out

    def to_frame(self, lang: str = "nb", groups: Sequence[TargetGroup] = ()) -> pd.DataFrame:
        """One row per measure × indicator: goal, target group, measure, indicator, target — for tables."""
        names = {g.key: g.label(lang) for g in list(candidate_groups()) + list(groups)}
        rows = []
        group_text = ", ".join(names.get(k, k) for k in self.target_groups)
        for ind in self.indicators:
            rows.append(
                {
                    "goal": self.goal,
                    "target_group": group_text,
                    "measure": "",
                    "indicator": ind.name,
                    "target": _target_text(ind, lang),
                    "source": ind.resolved_source(lang),
                }
            )
        for m in self.measures:
            inds: Sequence[Indicator | None] = m.indicators or (None,)
            for m_ind in inds:
                rows.append(
                    {
                        "goal": self.goal,
                        "target_group": ", ".join(names.get(k, k) for k in (m.target_groups or self.target_groups)),
                        "measure": m.name,
                        "indicator": m_ind.name if m_ind else "",
                        "target": _target_text(m_ind, lang) if m_ind else "",
                        "source": m_ind.resolved_source(lang) if m_ind else "",
                    }
                )
        return pd.DataFrame(rows, columns=["goal", "target_group", "measure", "indicator", "target", "source"])


def _known(data: Mapping[str, Any], cls: type, name: str) -> dict[str, Any]:
    allowed = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InputError(
            name,
            _("unknown field(s) {fields}; allowed: {allowed}").format(
                fields=", ".join(unknown), allowed=", ".join(sorted(allowed))
            ),
        )
    return dict(data)


def _target_text(ind: Indicator, lang: str = "nb") -> str:
    if ind.target is None:
        return ""
    unit = ind.resolved_unit()
    value = fmt_pct(ind.target, lang) if unit == "share" else f"{ind.target:g} {unit}".strip()
    return f"{value} ({ind.target_year})" if ind.target_year else value


@dataclass(frozen=True)
class ChainProblem:
    code: str
    severity: str  # "error" (a missing link) or "warning"
    where: str  # "goal", "target_group", "measure[2]", "indicator[measure 1: …]"
    message: str  # English msgid (marked with N_), translated in text()
    params: Mapping[str, Any] = field(default_factory=dict)  # %(name)s values; numbers formatted per language

    def text(self, lang: str = "nb") -> str:
        """The problem in words, with where it is in words too (never a code key such as ``measure[1: …]``)."""
        with override(lang):
            message = _(self.message)
            if self.params:
                message %= {k: _param_text(v, lang) for k, v in self.params.items()}
            return f"{place_in_words(self.where)}: {message}"


def _param_text(value: Any, lang: str) -> str:
    """A number as the language writes it, with the decimals it has (1.5 → ``1,5`` in Norwegian); text as is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    decimals = f"{value:.6f}".rstrip("0").split(".")[1] if isinstance(value, float) else ""
    return format_number(value, len(decimals), lang)


_PLACES = {
    "goal": N_("The goal"),
    "target_group": N_("The target group"),
    "measures": N_("The measures"),
    "indicators": N_("The indicators"),
}
_MEASURE = re.compile(r"^measure\[(\d+): (.*)\]$", re.DOTALL)


def place_in_words(where: str) -> str:
    """``"measure[1: Prøveboliger] / Husholdninger"`` → "Tiltak 1 (Prøveboliger), indikatoren «Husholdninger»"."""
    head, _sep, indicator = where.partition(" / ")
    match = _MEASURE.match(head)
    if match:
        text = _("Measure %(n)s (%(name)s)") % {"n": match.group(1), "name": match.group(2)}
    else:
        text = _(_PLACES[head]) if head in _PLACES else head
    if indicator:
        text += ", " + _("the indicator “%(name)s”") % {"name": indicator}
    return text


def _indicator_problems(ind: Indicator, where: str) -> list[ChainProblem]:
    problems = []
    if ind.metric != "custom" and ind.metric not in METRICS:
        problems.append(
            ChainProblem(
                "unknown_metric",
                "error",
                where,
                N_(
                    "“%(metric)s” is not something blilyst can measure. Choose a known metric or “custom” with a source."
                ),
                {"metric": ind.metric},
            )
        )
    if ind.metric == "custom" and not ind.source.strip():
        problems.append(
            ChainProblem(
                "no_source",
                "error",
                where,
                N_("Custom indicator without a source: say who counts it, and how."),
            )
        )
    if ind.metric == "custom" and not ind.unit.strip():
        problems.append(
            ChainProblem(
                "no_unit",
                "error",
                where,
                N_("The indicator has no unit (persons, households, share …)."),
            )
        )
    if ind.target is None:
        problems.append(
            ChainProblem(
                "no_target",
                "error",
                where,
                N_("The indicator has no target value."),
            )
        )
    elif ind.resolved_unit() == "share" and not 0 <= ind.target <= 1:
        problems.append(
            ChainProblem(
                "bad_share",
                "error",
                where,
                N_("A share must be between 0 and 1, not %(value)s."),
                {"value": ind.target},
            )
        )
    if ind.target_year is None:
        problems.append(
            ChainProblem(
                "no_target_year",
                "error",
                where,
                N_("The indicator has no target year."),
            )
        )
    if ind.baseline is None:
        problems.append(
            ChainProblem(
                "no_baseline",
                "warning",
                where,
                N_("Without a baseline it is hard to see whether the measure works."),
            )
        )
    return problems


def _goal_problems(chain: Chain) -> list[ChainProblem]:
    """A missing goal, or one with no number in it."""
    problems: list[ChainProblem] = []
    if not chain.goal.strip():
        problems.append(ChainProblem("no_goal", "error", "goal", N_("Write what you want to achieve.")))
    elif not re.search(r"\d", chain.goal):
        problems.append(
            ChainProblem(
                "goal_not_quantified",
                "warning",
                "goal",
                N_("The goal has no number: how many, by when?"),
            )
        )
    return problems


def _group_problems(chain: Chain, known: set[str]) -> list[ChainProblem]:
    """No target group, a vague or unknown one, or more than two."""
    problems: list[ChainProblem] = []
    if not chain.target_groups:
        problems.append(
            ChainProblem(
                "no_target_group",
                "error",
                "target_group",
                N_("Choose at least one concrete target group."),
            )
        )
    for key in chain.target_groups:
        if key.strip().lower() in VAGUE_GROUPS:
            problems.append(
                ChainProblem(
                    "vague_target_group",
                    "error",
                    "target_group",
                    N_("“Everyone” is not a target group; choose a concrete group from the needs analysis."),
                )
            )
        elif key not in known:
            problems.append(
                ChainProblem(
                    "unknown_target_group",
                    "error",
                    "target_group",
                    N_("Unknown target group “%(key)s”."),
                    {"key": key},
                )
            )
    if len(chain.target_groups) > 2:
        problems.append(
            ChainProblem(
                "too_many_groups",
                "warning",
                "target_group",
                # Always more than two here, so the plural form is the only one (nb, nn and en alike).
                N_("%(n)s target groups: prioritising one means giving another less."),
                {"n": len(chain.target_groups)},
            )
        )
    return problems


def _measure_problems(chain: Chain) -> list[ChainProblem]:
    """No measures, and what each measure lacks (name, group in the chain, bottleneck, indicators)."""
    problems: list[ChainProblem] = []
    if not chain.measures:
        problems.append(
            ChainProblem(
                "no_measures",
                "error",
                "measures",
                N_("Write what you will actually do (at least one measure)."),
            )
        )
    for i, m in enumerate(chain.measures, start=1):
        where = f"measure[{i}: {m.name}]"
        if not m.name.strip():
            problems.append(
                ChainProblem(
                    "no_measure_name",
                    "error",
                    where,
                    N_("The measure has no name."),
                )
            )
        for key in m.target_groups:
            if key not in chain.target_groups:
                problems.append(
                    ChainProblem(
                        "measure_outside_chain",
                        "error",
                        where,
                        N_("The measure targets “%(key)s”, which is not one of the plan’s target groups."),
                        {"key": key},
                    )
                )
        if m.bottleneck is not None and m.bottleneck not in ITEM_KEYS:
            problems.append(
                ChainProblem(
                    "unknown_bottleneck",
                    "error",
                    where,
                    N_("Unknown bottleneck “%(key)s”."),
                    {"key": m.bottleneck},
                )
            )
        if not m.indicators:
            problems.append(
                ChainProblem(
                    "measure_without_indicator",
                    "warning",
                    where,
                    N_("The measure has no indicator of its own."),
                )
            )
        for ind in m.indicators:
            problems.extend(_indicator_problems(ind, f"{where} / {ind.name}"))
    return problems


def validate_chain(chain: Chain, groups: Sequence[TargetGroup] = ()) -> list[ChainProblem]:
    """Every missing or unmeasurable link in the chain.

    ``groups`` are the user-defined groups the chain may name (the guidance's groups are always known).
    Errors: no goal, no target group, a vague group ("alle"), an unknown group, no measures, a measure
    for a group outside the chain, an unknown bottleneck, no indicator anywhere, an indicator that cannot be
    measured (unknown metric, custom without source/unit, no target, no target year). Warnings: a goal with
    no number in it, more than two target groups (the guidance asks for a concrete choice), a measure with no
    indicator of its own, an indicator without a baseline.
    """
    known = {g.key for g in candidate_groups()} | {g.key for g in groups}
    problems = [*_goal_problems(chain), *_group_problems(chain, known), *_measure_problems(chain)]
    if not chain.all_indicators():
        problems.append(
            ChainProblem(
                "no_indicators",
                "error",
                "indicators",
                N_("The plan has no indicators; without them nobody can tell whether it works."),
            )
        )
    for ind in chain.indicators:
        problems.extend(_indicator_problems(ind, f"goal / {ind.name}"))
    return problems


def is_complete(chain: Chain, groups: Sequence[TargetGroup] = ()) -> bool:
    """True when :func:`validate_chain` finds no errors (warnings allowed)."""
    return not any(p.severity == "error" for p in validate_chain(chain, groups))
