"""Three to five recommendations for the first page, each following from a figure in the plan.

Every recommendation names the evidence it rests on (the projection, the bottleneck assessment and its
date, who moved in and out in which years, the goal check, the campaign check), so a council member can
find the figure behind it further down. The rules, in order:

1. the working-age need from the target-seeking projection (always);
2. the bottlenecks rated in the latest assessment, or that none has been made (always);
3. who actually moves in: the group with the largest share of in-migrants (when the data show one);
4. keeping those who came: the group with the largest share of out-migrants (when the data show one);
5. the goal against the projection, the unsupported promises of the campaign text, or the action plan's
   gaps — the first that applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from blilyst.axes import age_band_label
from blilyst.i18n import active, format_date, format_number, format_percent, ngettext
from blilyst.i18n import gettext as _
from blilyst.plan.actions import GoalCheck
from blilyst.plan.bottlenecks import Assessment, short_label
from blilyst.plan.honesty import HonestyReport
from blilyst.plan.targetgroups import GroupEvidence, TargetGroup

MAX_RECOMMENDATIONS = 5


@dataclass(frozen=True)
class Need:
    """The target-seeking projection's answer: extra net in-migrants a year and the age group most needed."""

    per_year: float
    top_age_group: str
    last_year: int


def group_with_ages(group: TargetGroup) -> str:
    """The group's name, and its ages when the data count it by age ("… (aged 30–44 and 0–15)")."""
    name = group.label(active())
    if not group.age_ranges:
        return name
    ages = _(" and ").join(age_band_label(lo, hi) for lo, hi in group.age_ranges)
    return _("%(group)s (in-migrants aged %(ages)s)") % {"group": name, "ages": ages}


def recommendations(
    need: Need,
    assessment: Assessment | None,
    evidence: Sequence[GroupEvidence],
    goal: GoalCheck | None,
    honesty: HonestyReport | None,
    action_gaps: Sequence[str],
) -> list[str]:
    out: list[str] = []
    ages = need.top_age_group.replace("-", "–")
    if need.per_year > 0.5:
        out.append(
            _(
                "Work for about %(n)s more in-migrants a year than the trend gives, mostly aged %(ages)s: that is "
                "what keeps the number aged 20–66 stable up to %(year)d (target-seeking projection)."
            )
            % {"n": format_number(need.per_year), "ages": ages, "year": need.last_year}
        )
    else:
        out.append(
            _(
                "The trend keeps the number aged 20–66 stable up to %(year)d (target-seeking projection): put the "
                "effort into keeping residents and filling vacancies rather than into more in-migration."
            )
            % {"year": need.last_year}
        )

    if assessment is None:
        out.append(
            _(
                "Assess the bottlenecks (receiving, housing, kindergarten, jobs, vacancies) before marketing the "
                "municipality: no assessment has been made yet."
            )
        )
    elif assessment.bottlenecks():
        names = ", ".join(short_label(k) for k in assessment.bottlenecks())
        out.append(
            _("Clear the bottlenecks first: %(items)s (rated a bottleneck on %(date)s).")
            % {"items": names, "date": format_date(assessment.assessed_on, "long")}
        )
    else:
        out.append(
            _(
                "No item was rated a bottleneck on %(date)s; check the assessment again after each new count of "
                "dwellings, kindergarten places and vacancies."
            )
            % {"date": format_date(assessment.assessed_on, "long")}
        )

    shown = [e for e in evidence if e.in_share is not None and e.group.age_ranges and not e.group.user_defined]
    if shown:
        top = max(shown, key=lambda e: e.in_share or 0.0)
        out.append(
            _(
                "Let the effort follow who actually moves in: %(group)s made up %(share)s of the in-migrants in "
                "%(period)s."
            )
            % {"group": group_with_ages(top.group), "share": format_percent(top.in_share or 0.0), "period": top.period}
        )
    leaving = [e for e in evidence if e.out_share is not None and e.group.age_ranges and not e.group.user_defined]
    if leaving:
        top = max(leaving, key=lambda e: e.out_share or 0.0)
        out.append(
            _("Keep those who came: %(group)s made up %(share)s of the out-migrants in %(period)s.")
            % {"group": group_with_ages(top.group), "share": format_percent(top.out_share or 0.0), "period": top.period}
        )

    if goal is not None and goal.verdict == "short":
        out.append(
            _(
                "Raise the plan's target of %(target)s more in-migrants a year, or say that the working-age "
                "population is expected to fall: the projection needs about %(needed)s."
            )
            % {"target": format_number(goal.target_per_year), "needed": format_number(goal.needed_per_year)}
        )
    elif honesty is not None and honesty.unsupported():
        n = len(honesty.unsupported())
        out.append(
            ngettext(
                "Change the campaign text: %(n)d of its promises is not backed by what is available now.",
                "Change the campaign text: %(n)d of its promises are not backed by what is available now.",
                n,
            )
            % {"n": n}
        )
    elif action_gaps:
        n = len(action_gaps)
        out.append(
            ngettext(
                "Complete the action plan: %(n)d measure lacks a responsible, partners, a period, a cost or a target.",
                "Complete the action plan: %(n)d measures lack a responsible, partners, a period, a cost or a target.",
                n,
            )
            % {"n": n}
        )
    return out[:MAX_RECOMMENDATIONS]
