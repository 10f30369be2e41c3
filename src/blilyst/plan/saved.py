"""A municipality's saved plan as plain values: what people chose on top of the evidence blilyst computes.

The web app stores these choices in its database; :class:`SavedPlan` is the same content without Django,
so the plan document is built by one function (:func:`blilyst.plan.assembly.build_document`) whether the
choices come from the database or from a file. The web app exports a saved plan as JSON ("Lagre som fil"
on the export page) and ``blilyst plan KOMMUNE --saved plan.json`` reads it back.

The file holds no personal data: the comparison set, the scenario, the target groups and the chain
(goal → groups → measures → indicators), the latest bottleneck assessment with the aggregate counts it
was made on, the latest checked campaign text with the capacity it was checked against, the registers'
counts when it was exported (``registers``) and the counts of the latest residents' survey (``survey``). The newcomer
service's household records stay in the web app (the "does it work?" section is built there).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blilyst.errors import InputError
from blilyst.i18n import gettext as _
from blilyst.plan.bottlenecks import Assessment, BottleneckEvidence
from blilyst.plan.capacity import Capacity
from blilyst.plan.chain import Chain, Indicator, Measure
from blilyst.plan.competence import EmploymentTable
from blilyst.plan.honesty import HonestyReport
from blilyst.plan.survey import SurveyResult
from blilyst.plan.targetgroups import TargetGroup
from blilyst.plan.versions import AdoptedBaseline, VersionInfo, plan_file

FORMAT = "blilyst-plan/1"


SCENARIOS = ("trend", "trend5", "zero-migration", "no-immigration", "low", "high")


# ------------------------------------------------------------------- aggregate evidence as JSON


def capacity_to_json(cap: Capacity) -> dict[str, Any]:
    return cap.to_dict()


def capacity_from_json(data: Mapping[str, Any] | None) -> Capacity | None:
    if not data:
        return None
    return Capacity.from_dict(data, source="blilyst")


def evidence_to_json(
    cap: Capacity, gaps: Mapping[str, int], months_to_included: list[float], not_yet_included: int
) -> dict[str, Any]:
    return {
        "capacity": capacity_to_json(cap),
        "matching_gaps": dict(gaps),
        "months_to_included": list(months_to_included),
        "not_yet_included": int(not_yet_included),
    }


def evidence_from_json(data: Mapping[str, Any] | None) -> BottleneckEvidence:
    data = data or {}
    cap = capacity_from_json(data.get("capacity")) or Capacity()
    return BottleneckEvidence(
        capacity=cap,
        matching_gaps=dict(data.get("matching_gaps") or {}),
        months_to_included=tuple(data.get("months_to_included") or ()),
        not_yet_included=int(data.get("not_yet_included") or 0),
    )


# ------------------------------------------------------------------------------- the saved plan


@dataclass(frozen=True)
class SavedAssessment:
    """One run through the bottleneck checklist with the aggregate evidence it was made on."""

    assessed_on: dt.date
    ratings: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_domain(self, code: str) -> Assessment:
        from blilyst.plan.bottlenecks import assess

        return assess(code, self.assessed_on, dict(self.ratings), dict(self.notes), evidence_from_json(self.evidence))


@dataclass(frozen=True)
class SavedCampaign:
    """A campaign text and the capacity it was checked against; the report is recomputed when read."""

    title: str
    text: str
    capacity: Mapping[str, Any] = field(default_factory=dict)
    # The municipality's "many" and price limits when it was checked (blilyst.plan.honesty.Thresholds).
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    target_group: str = ""  # the target group the text is written for ("" : the general message)

    def report(self) -> HonestyReport:
        from blilyst.plan.honesty import Thresholds, check_campaign

        try:
            thresholds = Thresholds(**dict(self.thresholds))
        except (TypeError, ValueError) as exc:
            raise InputError(
                plan_file(), _("'campaign.thresholds' is not valid: {problem}").format(problem=exc)
            ) from exc
        return check_campaign(self.text, capacity_from_json(self.capacity), thresholds)


@dataclass(frozen=True)
class SavedPlan:
    """Everything a municipality decided in its plan; empty parts are printed as "not filled in yet"."""

    municipality: str
    scenario: str = "trend"
    peers: tuple[str, ...] | None = None  # None: similar municipalities chosen automatically
    goal: str = ""
    rationale: str = ""
    chosen_groups: tuple[str, ...] = ()
    custom_groups: tuple[Mapping[str, Any], ...] = ()
    priorities: Mapping[str, float] = field(default_factory=dict)
    goal_indicators: tuple[Mapping[str, Any], ...] = ()
    measures: tuple[Mapping[str, Any], ...] = ()
    assessment: SavedAssessment | None = None
    campaign: SavedCampaign | None = None
    target_in_migrants: float | None = None  # more in-migrants a year than the trend gives, the plan's target
    version: VersionInfo | None = None  # this version's number and status
    adopted: AdoptedBaseline | None = None  # the last adopted version, frozen, for "what changed"
    # the registers' aggregate counts when the plan was exported (evidence_to_json: capacity, open matching
    # gaps by kind ...): employers' recruitment needs, what the service does not offer, the message per group
    registers: Mapping[str, Any] | None = None
    survey: SurveyResult | None = None  # the latest residents' survey the municipality entered (counts only)
    employment: EmploymentTable | None = None  # employed by industry and age, if the municipality entered it
    group_campaigns: tuple[SavedCampaign, ...] = ()  # the latest checked text written for each target group

    @property
    def scenario_or_default(self) -> str:
        return self.scenario if self.scenario in SCENARIOS else "trend"

    def user_groups(self) -> list[TargetGroup]:
        """The municipality's own target groups as :class:`blilyst.plan.targetgroups.TargetGroup`."""
        from blilyst.plan.targetgroups import user_group

        groups = []
        for g in self.custom_groups:
            has_age = g.get("age_from") is not None and g.get("age_to") is not None
            groups.append(
                user_group(
                    g["key"],
                    g["name"],
                    description=g.get("description", ""),
                    age_range=(g["age_from"], g["age_to"]) if has_age else None,
                    household_types=g.get("household_types", ()),
                    origins=g.get("origins", ()),
                    immigration_reasons=g.get("immigration_reasons", ()),
                    competence=g.get("competence", ()),
                )
            )
        return groups

    def register_evidence(self) -> BottleneckEvidence | None:
        """The registers' counts at export, or else those the latest bottleneck assessment was made on."""
        if self.registers is not None:
            return evidence_from_json(self.registers)
        if self.assessment is not None and self.assessment.evidence:
            return evidence_from_json(self.assessment.evidence)
        return None

    def chain(self) -> Chain | None:
        """The written chain goal → groups → measures → indicators (None when nothing is written yet)."""
        if not (self.goal or self.chosen_groups or self.measures):
            return None
        measures = tuple(
            Measure(
                name=m.get("name", ""),
                description=m.get("description", ""),
                target_groups=tuple(m.get("target_groups") or ()),
                bottleneck=m.get("bottleneck") or None,
                indicators=tuple(_indicator(i) for i in m.get("indicators", []) if i.get("name")),
                responsible=m.get("responsible", ""),
            )
            for m in self.measures
        )
        return Chain(
            goal=self.goal,
            target_groups=tuple(self.chosen_groups),
            measures=measures,
            indicators=tuple(_indicator(i) for i in self.goal_indicators if i.get("name")),
            rationale=self.rationale,
        )

    # ------------------------------------------------------------------------------------ file

    def to_json(self) -> dict[str, Any]:
        """The plan as a JSON-ready dict (``format`` names the layout, so a later version can read it)."""
        return {
            "format": FORMAT,
            "municipality": self.municipality,
            "scenario": self.scenario,
            "peers": list(self.peers) if self.peers is not None else None,
            "goal": self.goal,
            "rationale": self.rationale,
            "chosen_groups": list(self.chosen_groups),
            "custom_groups": [dict(g) for g in self.custom_groups],
            "priorities": dict(self.priorities),
            "goal_indicators": [dict(i) for i in self.goal_indicators],
            "measures": [dict(m) for m in self.measures],
            "assessment": None
            if self.assessment is None
            else {
                "assessed_on": self.assessment.assessed_on.isoformat(),
                "ratings": dict(self.assessment.ratings),
                "notes": dict(self.assessment.notes),
                "evidence": dict(self.assessment.evidence),
            },
            "campaign": None
            if self.campaign is None
            else {
                "title": self.campaign.title,
                "text": self.campaign.text,
                "capacity": dict(self.campaign.capacity),
                "thresholds": dict(self.campaign.thresholds),
            },
            "target_in_migrants": self.target_in_migrants,
            "version": self.version.to_json() if self.version else None,
            "adopted": self.adopted.to_json() if self.adopted else None,
            "registers": dict(self.registers) if self.registers is not None else None,
            "survey": self.survey.to_json() if self.survey is not None else None,
            "employment": self.employment.to_json() if self.employment is not None else None,
            "group_campaigns": [_campaign_to_json(c) for c in self.group_campaigns],
        }

    @classmethod
    def from_json(cls, data: Any) -> SavedPlan:
        """Read what :meth:`to_json` wrote; anything else is an :class:`InputError` that says what is wrong."""
        if not isinstance(data, Mapping):
            raise InputError(plan_file(), _("must hold a JSON object; export it from the plan's export page"))
        if data.get("format") != FORMAT:
            raise InputError(
                plan_file(),
                _("has format {given}, expected {expected}; export it again from the plan's export page").format(
                    given=repr(data.get("format")), expected=repr(FORMAT)
                ),
            )
        code = data.get("municipality")
        if not isinstance(code, str) or not code.isdigit() or len(code) != 4:
            raise InputError(
                plan_file(),
                _("'municipality' must be a four-digit municipality number, not {value}").format(value=repr(code)),
            )
        peers = data.get("peers")
        if peers is not None and (not isinstance(peers, list) or not all(isinstance(p, str) for p in peers)):
            raise InputError(plan_file(), _("'peers' must be a list of municipality numbers or null"))
        lists = {}
        for name in ("chosen_groups", "custom_groups", "goal_indicators", "measures"):
            value = data.get(name) or []
            if not isinstance(value, list):
                raise InputError(plan_file(), _("'{name}' must be a list").format(name=name))
            if name != "chosen_groups" and not all(isinstance(v, Mapping) for v in value):
                raise InputError(plan_file(), _("every entry of '{name}' must be an object").format(name=name))
            lists[name] = tuple(value)
        priorities = data.get("priorities") or {}
        if not isinstance(priorities, Mapping):
            raise InputError(plan_file(), _("'priorities' must be an object of target group → effort"))
        registers = data.get("registers")
        if registers is not None and not isinstance(registers, Mapping):
            raise InputError(plan_file(), _("'registers' must be an object of the registers' counts or null"))
        if registers is not None:
            evidence_from_json(registers)  # a wrong count says which field now, not when the document is built
        target = data.get("target_in_migrants")
        if target is not None and not isinstance(target, int | float):
            raise InputError(
                plan_file(), _("'target_in_migrants' must be a number or null, not {value}").format(value=repr(target))
            )
        return cls(
            target_in_migrants=float(target) if target is not None else None,
            version=VersionInfo.from_json(data["version"]) if data.get("version") else None,
            adopted=AdoptedBaseline.from_json(data["adopted"]) if data.get("adopted") else None,
            municipality=code,
            scenario=str(data.get("scenario") or "trend"),
            peers=tuple(peers) if peers is not None else None,
            goal=str(data.get("goal") or ""),
            rationale=str(data.get("rationale") or ""),
            priorities=dict(priorities),
            assessment=_assessment_from_json(data.get("assessment")),
            campaign=_campaign_from_json(data.get("campaign")),
            registers=dict(registers) if registers is not None else None,
            survey=SurveyResult.from_json(data["survey"]) if data.get("survey") is not None else None,
            employment=EmploymentTable.from_json(data["employment"]) if data.get("employment") is not None else None,
            group_campaigns=_group_campaigns_from_json(data.get("group_campaigns")),
            **lists,
        )

    def dumps(self) -> str:
        # insertion order kept: the counts read back word their sentences in the same order
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    @classmethod
    def load(cls, path: str | Path) -> SavedPlan:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                "--saved", _("cannot read '{path}': {problem}").format(path=path, problem=exc.strerror or exc)
            ) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                "--saved",
                _("'{name}' is not JSON (line {line}, column {column}): {problem}").format(
                    name=path.name, line=exc.lineno, column=exc.colno, problem=exc.msg
                ),
            ) from exc
        return cls.from_json(data)


def _indicator(d: Mapping[str, Any]) -> Indicator:
    return Indicator(
        name=d.get("name", ""),
        metric=d.get("metric", "custom"),
        target=d.get("target"),
        target_year=d.get("target_year"),
        baseline=d.get("baseline"),
        baseline_year=d.get("baseline_year"),
        unit=d.get("unit", ""),
        source=d.get("source", ""),
    )


def _assessment_from_json(data: Any) -> SavedAssessment | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or "assessed_on" not in data:
        raise InputError(plan_file(), _("'assessment' must be null or an object with 'assessed_on' (YYYY-MM-DD)"))
    try:
        day = dt.date.fromisoformat(str(data["assessed_on"]))
    except ValueError as exc:
        raise InputError(
            plan_file(), _("'assessment.assessed_on' is not a date: {value}").format(value=repr(data["assessed_on"]))
        ) from exc
    return SavedAssessment(
        assessed_on=day,
        ratings=dict(data.get("ratings") or {}),
        notes=dict(data.get("notes") or {}),
        evidence=dict(data.get("evidence") or {}),
    )


def _campaign_to_json(c: SavedCampaign) -> dict[str, Any]:
    return {
        "title": c.title,
        "text": c.text,
        "capacity": dict(c.capacity),
        "thresholds": dict(c.thresholds),
        "target_group": c.target_group,
    }


def _group_campaigns_from_json(data: Any) -> tuple[SavedCampaign, ...]:
    if not data:
        return ()
    if not isinstance(data, list):
        raise InputError(plan_file(), _("'group_campaigns' must be a list of campaign objects"))
    out = []
    for item in data:
        campaign = _campaign_from_json(item)
        if campaign is None or not campaign.target_group:
            raise InputError(plan_file(), _("every entry of 'group_campaigns' must name its 'target_group'"))
        out.append(campaign)
    return tuple(out)


def _campaign_from_json(data: Any) -> SavedCampaign | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("text"), str):
        raise InputError(plan_file(), _("'campaign' must be null or an object with 'title' and 'text'"))
    return SavedCampaign(
        title=str(data.get("title") or ""),
        text=data["text"],
        capacity=dict(data.get("capacity") or {}),
        thresholds=dict(data.get("thresholds") or {}),
        target_group=str(data.get("target_group") or ""),
    )
