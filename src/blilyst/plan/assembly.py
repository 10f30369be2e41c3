"""The whole plan document from a saved plan: one function for the command line and the web export.

:func:`build_document` puts the needs analysis (:mod:`blilyst.plan.needs`), the target groups' evidence,
the written chain, the latest bottleneck assessment, the honest-message check and (where the web app
passes it) the newcomer service's evaluation into one :class:`blilyst.plan.document.Plan`. The web export
and ``blilyst plan`` both call it, so the same municipality with the same saved plan gives the same
blocks, figures and charts.
"""

from __future__ import annotations

import datetime as dt

from blilyst.i18n import format_date, override
from blilyst.i18n import gettext as _
from blilyst.plan import needs
from blilyst.plan.actions import action_items, goal_check
from blilyst.plan.actions import gaps as action_gaps
from blilyst.plan.document import ChartSpec, Plan
from blilyst.plan.evaluation import Evaluation
from blilyst.plan.groupmessages import group_messages_section
from blilyst.plan.recommendations import Need, recommendations
from blilyst.plan.recruitment import not_offered_section, recruitment_section
from blilyst.plan.saved import SavedPlan
from blilyst.plan.survey import survey_section
from blilyst.plan.targetgroups import (
    GroupEvidence,
    PriorityWarning,
    candidate_groups,
    check_priorities,
    evaluate_groups,
)
from blilyst.plan.versions import changes
from blilyst.stats.snapshot import per_snapshot


@per_snapshot(maxsize=512)
def guidance_group_evidence(code: str) -> tuple[GroupEvidence, ...]:
    """The evidence for every target group the guidance names (snapshot data only, so cached per process)."""
    snap = needs.snapshot()
    return tuple(
        evaluate_groups(
            candidate_groups(),
            code,
            migration_by_age=snap.migration_by_age,
            immigrants_by_reason=snap.immigrants_by_reason,
            refugee_settlement=snap.refugee_settlement,
        )
    )


def group_evidence(saved: SavedPlan) -> list[GroupEvidence]:
    """The guidance's groups and the municipality's own groups, with their evidence."""
    user_groups = saved.user_groups()
    evidence = list(guidance_group_evidence(saved.municipality))
    if not user_groups:
        return evidence
    snap = needs.snapshot()
    return evidence + evaluate_groups(
        user_groups,
        saved.municipality,
        migration_by_age=snap.migration_by_age,
        immigrants_by_reason=snap.immigrants_by_reason,
        refugee_settlement=snap.refugee_settlement,
    )


def priority_warnings(saved: SavedPlan, evidence: list[GroupEvidence]) -> list[PriorityWarning]:
    """Where the effort the plan puts on each group contradicts who actually moves in and out."""
    if not saved.priorities or not any(saved.priorities.values()):
        return []
    return check_priorities(dict(saved.priorities), evidence)


def key_numbers(code: str, scenario: str) -> dict[str, float]:
    """The figures an adopted version is frozen with (see :data:`blilyst.plan.versions.FIGURES`)."""
    k = needs.key_figures(code)
    summary = needs.projection(code, scenario).summary()
    return {
        "population": float(k.population),
        "share_67_plus": float(k.share_67_plus),
        "working_age": float(summary.iloc[0].working_age),
        "working_age_end": float(summary.iloc[-1].working_age),
        "needed_per_year": float(needs.target_seeking(code, "en").per_year),
    }


def group_names(saved: SavedPlan) -> dict[str, str]:
    """Target-group keys as readers see them, in the active language."""
    from blilyst.i18n import active

    names = {g.key: g.label(active()) for g in candidate_groups()}
    names.update({g.key: g.label(active()) for g in saved.user_groups()})
    return names


def build_document(
    saved: SavedPlan,
    *,
    lang: str = "nb",
    prepared_on: dt.date | None = None,
    evaluation: Evaluation | None = None,
) -> Plan:
    """The plan document for ``saved.municipality`` in ``lang``.

    ``evaluation`` is the newcomer service's "does it work?" (:func:`blilyst.plan.evaluation.evaluate`),
    which only the web app can compute from its records; without it the section says it is not filled in.
    """
    from blilyst.plan.evidence import build_plan, retention_chart

    code = saved.municipality
    scenario = saved.scenario_or_default
    with override(lang):
        evidence = group_evidence(saved)
        eval_charts: list[ChartSpec] = []
        if evaluation is not None and evaluation.curves:
            chart = retention_chart(dict(evaluation.curves), lang)
            if chart is not None:
                eval_charts.append(chart)
        answer = needs.target_seeking(code, lang)
        summary = " ".join(
            filter(None, [needs.immigration_text(code, lang), answer.headline, needs.attractiveness_text(code, lang)])
        )
        document = build_plan(
            code,
            snapshot=needs.snapshot(),
            register=needs.register(),
            lang=lang,
            prepared_on=prepared_on or dt.date.today(),
            peers=list(saved.peers) if saved.peers is not None else None,
            summary=summary,
            target_groups=evidence,
            chosen_groups=tuple(saved.chosen_groups),
            priority_warnings=priority_warnings(saved, evidence),
            chain=saved.chain(),
            bottlenecks=saved.assessment.to_domain(code) if saved.assessment else None,
            honesty=saved.campaign.report() if saved.campaign else None,
            evaluation=evaluation,
            evaluation_charts=eval_charts,
        )
        document.charts = needs.all_charts(code, scenario, lang)
        document.tables = [needs.target_table(answer, lang), *list(document.tables)]
        document.comparison = needs.comparison(code, saved.peers, lang)
        document.tables = [*document.tables, needs.regional(code, lang)]
        need = Need(answer.per_year, answer.top_age_group, int(needs.projection(code, "target-seeking").years[-1]))
        goal = goal_check(saved.target_in_migrants, answer.per_year, answer.top_age_group)
        document.actions = action_items(saved.measures)
        document.action_gaps = action_gaps(document.actions)
        document.goal_check = goal.text() if goal else ""
        document.recommendations = recommendations(
            need, document.bottlenecks, evidence, goal, document.honesty, document.action_gaps
        )
        document.competence = needs.competence(code, scenario, lang, saved.employment)
        document.survey = survey_section(saved.survey, lang)
        registers = saved.register_evidence()
        capacity = registers.capacity if registers is not None else None
        document.recruitment = recruitment_section(capacity, lang)
        document.not_offered = not_offered_section(
            capacity, registers.matching_gaps if registers is not None else None, lang
        )
        chosen = [e.group for e in evidence if e.group.key in saved.chosen_groups]
        document.group_messages = group_messages_section(
            chosen,
            capacity,
            document.honesty,
            lang,
            {c.target_group: (c.title, c.report()) for c in saved.group_campaigns},
        )
        if saved.version is not None:
            document.version_text = saved.version.text(lang)
        if saved.adopted is not None:
            document.changes_title = _("Changes since version %(number)d, adopted %(date)s") % {
                "number": saved.adopted.info.number,
                "date": format_date(saved.adopted.info.adopted_on, "long") if saved.adopted.info.adopted_on else "–",
            }
            document.changes = changes(
                saved.adopted, saved.to_json(), key_numbers(code, scenario), group_names(saved)
            ) or [_("Nothing has changed since the adopted version.")]
        document.sources = list(
            dict.fromkeys(
                [
                    *document.sources,
                    _("Human Mortality Database (HMD), Norway"),
                    _("Telemarksforsking: the attractiveness model"),
                ]
            )
        )
    return document
