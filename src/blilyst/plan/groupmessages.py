"""The message for each target group: what the plan can honestly tell each chosen group, from today's registers.

Success factor 5 of the guidance is a message that is honest *and* targeted: the promises that matter to a
group must be kept by what the municipality has. :func:`group_messages_section` takes the plan's chosen
target groups and, for each, the subjects that group needs (every group: a home and work; families and
groups whose ages include children: a kindergarten place, and work for two adults), and says per group

* what the message can say, backed by the registers' counts today (homes available by type, open
  positions with their largest sectors, months with a free kindergarten place);
* what it must not promise, because the registers show nothing available;
* what the checked campaign text (:mod:`blilyst.plan.honesty`) promised on those subjects that the figures
  do not back: the text written for that group when one was checked for it, the general one otherwise.

Groups that are age bands say so in their name (:func:`blilyst.plan.recommendations.group_with_ages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from blilyst.i18n import format_date, format_list, format_number, month_name, ngettext, override
from blilyst.i18n import gettext as _
from blilyst.plan.capacity import MONTHS, Capacity, housing_label
from blilyst.plan.claims import Subject
from blilyst.plan.document import Section, TableSpec
from blilyst.plan.honesty import UNSUPPORTED, HonestyReport
from blilyst.plan.recommendations import group_with_ages
from blilyst.plan.recruitment import REGISTER_SOURCE, sector_label
from blilyst.plan.targetgroups import TargetGroup

HOUSING_SUBJECTS = {
    Subject.HOUSING,
    Subject.RENTAL,
    Subject.FOR_SALE,
    Subject.SMALL_FARM,
    Subject.PLOT,
    Subject.TRIAL_HOUSING,
}
JOB_SUBJECTS = {Subject.JOBS, Subject.JOBS_FOR_BOTH}


def needs_of(group: TargetGroup) -> tuple[str, ...]:
    """What the group needs to move: ``housing`` and ``jobs`` always; ``kindergarten`` for families and for
    groups whose ages include children under 6."""
    needs = ["housing", "jobs"]
    if "family" in group.household_types or any(lo < 6 for lo, _hi in group.age_ranges):
        needs.append("kindergarten")
    return tuple(needs)


def _housing(cap: Capacity) -> tuple[str, str]:
    if not cap.knows_housing():
        return "", _("homes: not known (the housing register is empty)")
    available = [(k, n) for k, n in cap.housing.items() if n > 0]
    if not available:
        return "", _("homes: none available now")
    parts = [f"{housing_label(k)} ({format_number(n)})" for k, n in available]
    return _("available now: %(list)s") % {"list": format_list(parts)}, ""


def _jobs(cap: Capacity, family: bool) -> tuple[str, str]:
    if not cap.knows_vacancies():
        return "", _("jobs: not known (the vacancy register is empty)")
    total = cap.vacancies_total()
    if total == 0:
        return "", _("jobs: no open position now")
    top = sorted(((k, n) for k, n in cap.vacancies.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))[:2]
    say = ngettext("%(n)s open position, in %(sectors)s", "%(n)s open positions, mostly in %(sectors)s", total) % {
        "n": format_number(total),
        "sectors": format_list([sector_label(k) for k, _n in top]),
    }
    avoid = ""
    if family and total < 2:
        avoid = _("work for both adults: fewer than two open positions")
    return say, avoid


def _kindergarten(cap: Capacity) -> tuple[str, str]:
    if not cap.kindergarten_known():
        return "", _("kindergarten places: not known (the kindergarten register is empty)")
    free = [m for m in MONTHS if cap.kindergarten_free.get(m, 0) > 0]
    without = cap.months_without_kindergarten_place()
    say = ""
    if free:
        say = _("free kindergarten places in %(n)d of the next 12 months") % {"n": len(free)}
    avoid = ""
    if without:
        avoid = _("a kindergarten place in %(months)s") % {"months": format_list([month_name(m) for m in without])}
    return say, avoid


def _campaign(report: HonestyReport | None, needs: Sequence[str]) -> str:
    if report is None:
        return "–"
    subjects: set[Subject] = set()
    if "housing" in needs:
        subjects |= HOUSING_SUBJECTS
    if "jobs" in needs:
        subjects |= JOB_SUBJECTS
    if "kindergarten" in needs:
        subjects.add(Subject.KINDERGARTEN)
    bad = [f for f in report.claims if f.verdict == UNSUPPORTED and f.claim.subject in subjects]
    if not bad:
        return _("no unbacked promise on this")
    labels = list(dict.fromkeys(f.label() for f in bad))
    return ngettext("%(n)d unbacked promise: %(what)s", "%(n)d unbacked promises: %(what)s", len(bad)) % {
        "n": len(bad),
        "what": format_list(labels),
    }


def group_messages_section(
    groups: Sequence[TargetGroup],
    cap: Capacity | None,
    report: HonestyReport | None,
    lang: str = "nb",
    group_reports: Mapping[str, tuple[str, HonestyReport]] | None = None,
) -> Section | None:
    """One row per chosen group; ``None`` when the plan has chosen no target group yet. ``group_reports`` maps a
    group key to the title and check of a text written for that group, which is judged instead of the general
    one (``report``)."""
    group_reports = dict(group_reports or {})
    if not groups:
        return None
    cap = cap or Capacity()
    with override(lang):
        rows = []
        for group in groups:
            needs = needs_of(group)
            family = "kindergarten" in needs
            parts = [_housing(cap), _jobs(cap, family)]
            if family:
                parts.append(_kindergarten(cap))
            say = "; ".join(s for s, _a in parts if s) or "–"
            avoid = "; ".join(a for _s, a in parts if a) or "–"
            if group.key in group_reports:
                title, own = group_reports[group.key]
                checked = _("“%(title)s”: %(verdict)s") % {"title": title, "verdict": _campaign(own, needs)}
            else:
                checked = _campaign(report, needs)
            rows.append((group_with_ages(group), say, avoid, checked))
        table = TableSpec(
            "",
            pd.DataFrame(
                rows,
                columns=[_("Target group"), _("The message can say"), _("Do not promise"), _("Campaign text checked")],
            ),
            _(REGISTER_SOURCE),
            widths=(1.8, 2.6, 2.2, 1.8),
        )
        date = format_date(cap.as_of, "long") if cap.as_of else ""
        paragraph = _(
            "For each chosen target group: what it needs to move here, held against what the registers show "
            "today, and what the checked campaign text promised on it."
        )
        notes = (_("Registers as of %(date)s.") % {"date": date},) if date else ()
        return Section(_("The message for each target group"), (paragraph,), (table,), notes)
