"""The plan pages: evidence, bottlenecks, target group and chain, honest message, "does it work?", export.

Everyone with ``VIEW_STATISTICS`` in a municipality sees its plan; ``EDIT_PLANS`` (analysts) may change
it. Another municipality's plan is a 404. The newcomer service and the resource registers are read only
as aggregates (:mod:`blilyst.web.planning.aggregates`), through querysets narrowed by the tenancy helpers.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from blilyst.i18n import active, format_percent, in_language, override
from blilyst.plan import assembly, needs, smallnumbers
from blilyst.plan import bottlenecks as bn
from blilyst.plan.chain import validate_chain
from blilyst.plan.evidence import key_figure_rows
from blilyst.plan.targetgroups import (
    bottlenecks_hitting,
    candidate_groups,
    needs_fit,
)
from blilyst.plan.texts import fmt_int, fmt_pct
from blilyst.web.accounts.roles import Capability
from blilyst.web.lib import charts
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import (
    can,
    for_member,
    for_user,
    get_for_user,
    municipalities_for,
    require_capability,
    require_municipality,
)
from blilyst.web.lib.versioning import VersionConflict, conflict_context, rebind_to_current
from blilyst.web.planning import aggregates
from blilyst.web.planning.forms import (
    AdoptForm,
    AssessmentForm,
    CampaignForm,
    CustomGroupForm,
    EmploymentForm,
    MeasureFormSet,
    PeersForm,
    ScenarioForm,
    SurveyForm,
    TargetGroupForm,
    measure_initial,
)
from blilyst.web.planning.models import (
    BottleneckAssessment,
    CampaignCheck,
    EmploymentByIndustry,
    Plan,
    ResidentSurvey,
)

READ = Capability.VIEW_STATISTICS
WRITE = Capability.EDIT_PLANS


def _lang() -> str:
    """The page's language for the core (the language middleware has set the core's to the page's)."""
    return active()


def _plan(request: AuthedRequest, code: str) -> tuple[Plan, bool]:
    """The municipality's plan (404 outside the user's municipalities) and whether the user may edit it."""
    municipality = require_municipality(request, code, READ)
    return Plan.for_municipality(municipality), can(request.user, WRITE, code)


def _rw_plan(request: AuthedRequest, code: str) -> Plan:
    plan, writable = _plan(request, code)
    if not writable:
        raise PermissionDenied
    return plan


def _change_plan(plan: Plan, user, change) -> Plan:
    """Apply ``change`` (a function of the plan) to the stored plan, read under a row lock, and count its
    version up: a change that adds to or removes from the plan's lists never loses one made at the same time."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        change(locked)
        locked.updated_by = user
        locked.version += 1
        locked.save()
    return locked


def _base(request, plan: Plan, writable: bool, section: str, **extra) -> dict:
    return {
        "plan": plan,
        "municipality": plan.municipality,
        "code": plan.municipality_id,
        "may_edit": writable,
        "section": section,
        "lang": _lang(),
        **extra,
    }


# ------------------------------------------------------------------------------------ index


@require_http_methods(["GET"])
@require_capability(READ)
def plan_index(request: AuthedRequest) -> HttpResponse:
    municipalities = list(municipalities_for(request.user, READ))
    if len(municipalities) == 1:
        return redirect("plan_evidence", code=municipalities[0].code)
    return render(request, "planning/index.html", {"municipalities": municipalities})


# ---------------------------------------------------------------------------------- evidence


def _scenario(request, plan: Plan) -> str:
    form = ScenarioForm(request.GET or None)
    if request.GET and form.is_valid() and form.cleaned_data["scenario"]:
        return form.cleaned_data["scenario"]
    return plan.scenario if plan.scenario in needs.SCENARIO_CHOICES else "trend"


@require_http_methods(["GET"])
def evidence(request: AuthedRequest, code: str) -> HttpResponse:
    plan, writable = _plan(request, code)
    lang = _lang()
    scenario = _scenario(request, plan)
    k = needs.key_figures(code)
    web = [
        charts.from_chart_spec("population", needs.population_chart(code, scenario, lang), lang=lang),
        charts.from_chart_spec("pyramid_now", needs.pyramid_now(code, lang), lang=lang),
        charts.from_chart_spec("pyramid_future", needs.pyramid_future(code, scenario, lang), lang=lang),
        charts.from_chart_spec(
            "components", needs.components_chart(code, lang), note=needs.components_note(lang), lang=lang
        ),
        charts.from_chart_spec("migration_age", needs.migration_by_age_chart(code, lang), lang=lang),
        charts.from_chart_spec("workforce", needs.workforce_chart(code, scenario, lang), lang=lang),
    ]
    by_sex = needs.migration_by_sex_chart(code, lang)
    if by_sex is not None:
        web.append(charts.from_chart_spec("migration_sex", by_sex, lang=lang))
    chart_by_key = {c.key: c for c in web}
    answer = needs.target_seeking(code, lang)
    target = needs.target_table(answer, lang)
    comparison = needs.comparison(code, plan.peer_tuple(), lang)
    regional = needs.regional(code, lang)
    reasons = needs.reasons_table(code, lang)
    summary = needs.projection(code, scenario).summary()
    end = summary.iloc[-1]
    ctx = _base(
        request,
        plan,
        writable,
        "evidence",
        scenario=scenario,
        scenario_form=ScenarioForm(initial={"scenario": scenario}),
        scenario_text=needs.scenario_text(scenario, lang),
        scenario_label=needs.scenario_label(scenario, lang),
        key=k,
        key_rows=key_figure_rows(k, int(end.year), end.population, end.working_age, lang),
        charts=web,
        chart=chart_by_key,
        immigration_text=needs.immigration_text(code, lang),
        answer=answer,
        target_table=charts.table_rows(target.frame),
        target=target,
        comparison=comparison,
        comparison_table=charts.table_rows(comparison.frame),
        regional=regional,
        regional_table=charts.table_rows(regional.frame),
        attractiveness_text=needs.attractiveness_text(code, lang),
        commuting_text=needs.commuting_text(code, lang),
        reasons=reasons,
        reasons_table=charts.table_rows(reasons.frame) if reasons is not None else None,
        peers_form=PeersForm(code=code, initial={"peers": ", ".join(plan.peers or [])}),
        automatic_peers=plan.peers is None,
    )
    return render(request, "planning/evidence.html", ctx)


@require_POST
def save_peers(request: AuthedRequest, code: str) -> HttpResponse:
    plan = _rw_plan(request, code)
    if "automatic" in request.POST:
        peers = None
    else:
        form = PeersForm(request.POST, code=code)
        if not form.is_valid():
            for error in form.errors.get("peers", []):
                messages.error(request, str(error))
            return redirect("plan_evidence", code=code)
        peers = form.cleaned_data["peers"]
    _change_plan(plan, request.user, lambda p: setattr(p, "peers", peers))
    messages.success(request, _("The list of similar municipalities is saved."))
    return redirect(f"{_url('plan_evidence', code)}#comparison")


@require_POST
def save_scenario(request: AuthedRequest, code: str) -> HttpResponse:
    plan = _rw_plan(request, code)
    form = ScenarioForm(request.POST)
    if form.is_valid() and form.cleaned_data["scenario"]:
        plan = _change_plan(plan, request.user, lambda p: setattr(p, "scenario", form.cleaned_data["scenario"]))
        messages.success(request, _("The plan uses this scenario."))
    return redirect(f"{_url('plan_evidence', code)}?scenario={plan.scenario}")


def _url(name: str, code: str) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"code": code})


# ------------------------------------------------------------------------------- bottlenecks


def _current_evidence(request: AuthedRequest, code: str) -> dict:
    return current_evidence_for(request.user, code)


def current_evidence_for(user, code: str) -> dict:
    """Today's aggregate evidence for the checklist, from the newcomer service and the resources ``user`` may
    read."""
    from blilyst.web.newcomers.models import Household
    from blilyst.web.resources.models import Host, Housing, JobVacancy, KindergartenCapacity, MatchingGap

    cap = aggregates.capacity(
        for_member(user, Housing.objects.all(), READ),
        for_member(user, JobVacancy.objects.all(), READ),
        for_member(user, KindergartenCapacity.objects.all(), READ),
        code,
        today=timezone.localdate(),
        hosts=for_member(user, Host.objects.all(), READ),
    )
    gaps = aggregates.matching_gaps(for_member(user, MatchingGap.objects.all(), READ), code)
    months, waiting = aggregates.inclusion(
        for_member(user, Household.objects.all(), READ), code, today=timezone.localdate()
    )
    return aggregates.evidence_to_json(cap, gaps, months, waiting)


def _assessments(request: AuthedRequest, code: str):
    return for_user(request, BottleneckAssessment.objects.all(), READ).filter(municipality=code)


def _item_rows(assessment: bn.Assessment, lang: str) -> list[dict]:
    rows = []
    for key in bn.ITEM_KEYS:
        it = assessment.items[key]
        rows.append(
            {
                "key": key,
                "question": it.item.question_text(lang),
                "rating": it.rating.value,
                "rating_label": it.rating.label(lang),
                "suggested": it.suggested.value,
                "suggested_label": bn.suggested_label(it, lang),
                "notes": it.notes,
                "facts": [(f.signal, in_language(f.text, lang)) for f in it.facts],
            }
        )
    return rows


def _evidence_lines(evidence_json: dict, lang: str) -> dict[str, str]:
    """The stored evidence in words: kinds, sectors and months by name."""
    from blilyst.plan.capacity import housing_label, month_name
    from blilyst.web.resources.models import JobVacancy, MatchingGap

    cap = evidence_json.get("capacity", {})
    gap_labels = dict(MatchingGap.Kind.choices)
    sector_labels = dict(JobVacancy.Sector.choices)
    join = ", ".join
    return {
        "gaps": join(f"{gap_labels.get(k, k)}: {n}" for k, n in sorted(evidence_json.get("matching_gaps", {}).items())),
        "housing": join(f"{housing_label(k, lang)}: {n}" for k, n in sorted(cap.get("housing", {}).items())),
        "vacancies": join(f"{sector_labels.get(k, k)}: {n}" for k, n in sorted(cap.get("vacancies", {}).items())),
        "kindergarten": join(f"{month_name(int(m), lang)}: {n}" for m, n in cap.get("kindergarten_free", {}).items()),
    }


@require_http_methods(["GET", "POST"])
def bottlenecks(request: AuthedRequest, code: str) -> HttpResponse:
    plan, writable = _plan(request, code)
    lang = _lang()
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = AssessmentForm(request.POST)
        if form.is_valid():
            BottleneckAssessment(
                municipality=plan.municipality,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                notes=form.notes(),
                evidence=_current_evidence(request, code),
                created_by=request.user,
            ).save()
            messages.success(request, _("The assessment is saved."))
            return redirect("plan_bottlenecks", code=code)
    else:
        latest = _assessments(request, code).first()
        initial = {}
        if latest is not None:
            initial.update({f"rating_{k}": v for k, v in latest.ratings.items()})
            initial.update({f"notes_{k}": v for k, v in latest.notes.items()})
        form = AssessmentForm(initial=initial)
    evidence_json = _current_evidence(request, code)
    suggestion = bn.assess(code, timezone.localdate(), evidence=aggregates.evidence_from_json(evidence_json))
    stored = list(_assessments(request, code)[:20])
    domain = [a.to_domain() for a in stored]
    history = []
    for a, d in zip(stored, domain, strict=False):
        history.append(
            {
                "pk": a.pk,
                "assessed_on": a.assessed_on,
                "score": d.score(),
                "ratings": [d.items[k].rating.label(lang) for k in bn.ITEM_KEYS],
                "bottlenecks": len(d.bottlenecks()),
            }
        )
    changes = []
    history_chart = None
    if len(domain) >= 2:
        changes = [(c.direction, c.text(lang)) for c in bn.compare(domain[1], domain[0])]
        history_chart = _history_chart(domain, lang)
    ctx = _base(
        request,
        plan,
        writable,
        "bottlenecks",
        form=form,
        suggestion=_item_rows(suggestion, lang),
        evidence=evidence_json,
        evidence_lines=_evidence_lines(evidence_json, lang),
        history=history,
        changes=changes,
        history_chart=history_chart,
        item_labels=[i.question_text(lang) for i in bn.CHECKLIST],
        latest=_item_rows(domain[0], lang) if domain else None,
        latest_date=stored[0].assessed_on if stored else None,
    )
    return render(request, "planning/bottlenecks.html", ctx)


def _history_chart(domain: list, lang: str):
    """The number of items rated a bottleneck, assessment by assessment (oldest first)."""
    import pandas as pd

    ordered = sorted(domain, key=lambda a: a.assessed_on)
    date_col, count_col = _("Date"), _("Items rated a bottleneck")
    table = pd.DataFrame(
        {date_col: [a.assessed_on.isoformat() for a in ordered], count_col: [len(a.bottlenecks()) for a in ordered]}
    )
    spec = charts.bar_chart(
        table.rename(columns={date_col: "date", count_col: "n"}),
        x="date",
        y="n",
        x_title=date_col,
        y_title=count_col,
        width=360,
        height=180,
    )
    first, last = ordered[0], ordered[-1]
    alt = _("%(first_n)d of 5 items were rated a bottleneck on %(first)s and %(last_n)d on %(last)s.") % {
        "first_n": len(first.bottlenecks()),
        "first": first.assessed_on.isoformat(),
        "last_n": len(last.bottlenecks()),
        "last": last.assessed_on.isoformat(),
    }
    return charts.web_chart(
        "bottleneck-history",
        _("Bottlenecks over time"),
        spec,
        alt,
        table,
        source=_("Source: the municipality's own assessments"),
        lang=lang,
    )


@require_http_methods(["GET"])
def assessment_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    plan, writable = _plan(request, code)
    assessment, _writable = get_for_user(
        request, BottleneckAssessment.objects.all(), read=READ, write=WRITE, pk=pk, municipality=code
    )
    lang = _lang()
    ctx = _base(
        request,
        plan,
        writable,
        "bottlenecks",
        assessment=assessment,
        rows=_item_rows(assessment.to_domain(), lang),
        evidence=assessment.evidence,
    )
    return render(request, "planning/assessment_detail.html", ctx)


# ------------------------------------------------------------------------------ target group


def _all_group_evidence(plan: Plan) -> list:
    """The guidance's groups (cached) and the municipality's own groups."""
    return assembly.group_evidence(plan.to_saved())


def _warnings(plan: Plan, evidence_list) -> list:
    return assembly.priority_warnings(plan.to_saved(), evidence_list)


def _target_group_initial(plan: Plan) -> dict:
    """The target group form as the plan has it (the first goal indicator in its own fields)."""
    initial = {
        "chosen_groups": plan.chosen_groups,
        "goal": plan.goal,
        "rationale": plan.rationale,
        "version": plan.version,
        "target_in_migrants": plan.target_in_migrants,
    }
    initial.update({f"effort_{k}": int(v) for k, v in plan.priorities.items()})
    if plan.goal_indicators:
        ind = plan.goal_indicators[0]
        initial.update(
            {
                "indicator_name": ind.get("name"),
                "indicator_metric": ind.get("metric"),
                "indicator_target": ind.get("target"),
                "indicator_year": ind.get("target_year"),
                "indicator_baseline": ind.get("baseline"),
            }
        )
    return initial


def _group_rows(plan: Plan, evidence_list: list, assessment: bn.Assessment | None, lang: str) -> list[dict]:
    """One row per target group for the page: its evidence, fit and the bottlenecks that hit it."""
    rows = []
    for ev in evidence_list:
        hits = bottlenecks_hitting(ev.group, assessment) if assessment else []
        rows.append(
            {
                "key": ev.group.key,
                "label": ev.group.label(lang),
                "level": ev.group.level,
                "description": ev.group.description_text(lang),
                "guidance": ev.group.guidance_text(lang),
                "in_share": fmt_pct(ev.in_share, lang) if ev.in_share is not None else "–",
                "out_share": fmt_pct(ev.out_share, lang) if ev.out_share is not None else "–",
                "immigrant_share": fmt_pct(ev.immigrant_share, lang) if ev.immigrant_share is not None else "–",
                "indicators": [i.display(lang) + (" *" if i.proxy else "") for i in ev.indicators],
                "notes": [in_language(n, lang) for n in ev.notes],
                "chosen": ev.group.key in plan.chosen_groups,
                "period": ev.period,
                "user_defined": ev.group.user_defined,
                "fit": in_language(needs_fit(ev.group).text, lang),
                "bottlenecks": [
                    f"{bn.CHECKLIST_BY_KEY[k].question_text(lang)} ({bn.Rating(r).label(lang)})" for k, r in hits
                ],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def target_group(request: AuthedRequest, code: str) -> HttpResponse:
    plan, writable = _plan(request, code)
    lang = _lang()
    user_groups = plan.user_groups()
    conflict: dict = {}
    status = 200
    group_form = CustomGroupForm(existing=[g.key for g in user_groups], prefix="group")
    if request.method == "POST" and writable and "remove_group" in request.POST:
        key = request.POST["remove_group"]

        def remove(p: Plan) -> None:
            p.custom_groups = [g for g in p.custom_groups if g["key"] != key]
            p.chosen_groups = [k for k in p.chosen_groups if k != key]

        _change_plan(plan, request.user, remove)
        messages.success(request, _("The group is removed."))
        return redirect("plan_target_group", code=code)
    if request.method == "POST" and writable and "add_group" in request.POST:
        group_form = CustomGroupForm(request.POST, existing=[g.key for g in user_groups], prefix="group")
        if group_form.is_valid():
            added = group_form.to_json()
            _change_plan(plan, request.user, lambda p: setattr(p, "custom_groups", [*list(p.custom_groups), added]))
            messages.success(request, _("The group is added."))
            return redirect(f"{_url('plan_target_group', code)}#groups")
        form = TargetGroupForm(
            user_groups=user_groups, initial={"chosen_groups": plan.chosen_groups, "version": plan.version}
        )
        formset = MeasureFormSet(initial=measure_initial(plan.measures), prefix="measures")
    elif request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = TargetGroupForm(request.POST, user_groups=user_groups)
        formset = MeasureFormSet(request.POST, prefix="measures")
        if form.is_valid() and formset.is_valid():
            groups = form.cleaned_data["chosen_groups"]
            plan.chosen_groups = list(groups)
            plan.goal = form.cleaned_data["goal"].strip()
            plan.rationale = form.cleaned_data["rationale"].strip()
            plan.priorities = form.priorities()
            plan.goal_indicators = form.goal_indicators()
            plan.target_in_migrants = form.cleaned_data.get("target_in_migrants")
            plan.measures = [m for m in (f.to_json(groups) for f in formset.forms if f.cleaned_data) if m]
            plan.updated_by = request.user
            try:
                plan.save_checked(form.cleaned_data["version"])
            except VersionConflict as exc:
                # Keep what the user typed (rebased on the stored version) and show where it differs.
                current = Plan.objects.get(pk=plan.pk)
                conflict = conflict_context(form, current)
                form = TargetGroupForm(
                    rebind_to_current(request.POST, exc.current_version), user_groups=current.user_groups()
                )
                formset = MeasureFormSet(request.POST, prefix="measures")
                plan = current
                status = 409
            else:
                messages.success(request, _("The target group and the chain are saved."))
                return redirect("plan_target_group", code=code)
    else:
        form = TargetGroupForm(initial=_target_group_initial(plan), user_groups=user_groups)
        formset = MeasureFormSet(initial=measure_initial(plan.measures), prefix="measures")
    evidence_list = _all_group_evidence(plan)
    latest = _assessments(request, code).first()
    assessment = latest.to_domain() if latest else None
    rows = _group_rows(plan, evidence_list, assessment, lang)
    chain = plan.chain()
    problems = [(p.severity, p.text(lang)) for p in validate_chain(chain, user_groups)] if chain else []
    chain_rows = charts.table_rows(chain.to_frame(lang, user_groups)) if chain else None
    ctx = _base(
        request,
        plan,
        writable,
        "target",
        form=form,
        formset=formset,
        rows=rows,
        group_form=group_form,
        warnings=[w.text(lang) for w in _warnings(plan, evidence_list)],
        problems=problems,
        chain_rows=chain_rows,
        assessed_on=latest.assessed_on if latest else None,
        answer=needs.target_seeking(code, lang),
        **conflict,
    )
    return render(request, "planning/target_group.html", ctx, status=status)


# ---------------------------------------------------------------------------- honest message


def _checks(request: AuthedRequest, code: str):
    return for_user(request, CampaignCheck.objects.all(), READ).filter(municipality=code)


def _group_choices(plan: Plan) -> list[tuple[str, str]]:
    """The plan's chosen target groups as (key, name) for "written for"."""
    names = assembly.group_names(plan.to_saved())
    return [(key, names.get(key, key)) for key in plan.chosen_groups]


@require_http_methods(["GET", "POST"])
def message(request: AuthedRequest, code: str) -> HttpResponse:
    plan, writable = _plan(request, code)
    lang = _lang()
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = CampaignForm(request.POST, groups=_group_choices(plan))
        if form.is_valid():
            cap_json = _current_evidence(request, code)["capacity"]
            check = CampaignCheck(
                municipality=plan.municipality,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                target_group=form.cleaned_data.get("target_group") or "",
                capacity=cap_json,
                created_by=request.user,
            )
            check.save_with(check.report())
            return redirect(f"{_url('plan_message', code)}?check={check.pk}#report")
    else:
        form = CampaignForm(groups=_group_choices(plan))
    checks = list(_checks(request, code)[:20])
    selected = None
    wanted = request.GET.get("check", "")
    if wanted:
        selected, _w = get_for_user(
            request, CampaignCheck.objects.all(), read=READ, write=WRITE, pk=wanted, municipality=code
        )
    elif checks:
        selected = checks[0]
    report = claims = cliches = None
    if selected is not None:
        report = selected.report()
        claims, cliches = report.claim_rows(lang), report.cliche_rows(lang)
    ctx = _base(
        request,
        plan,
        writable,
        "message",
        form=form,
        checks=checks,
        selected=selected,
        report=report,
        claims=claims,
        cliches=cliches,
    )
    return render(request, "planning/message.html", ctx)


# ------------------------------------------------------------------------------- does it work?


def _evaluation(request: AuthedRequest, code: str, lang: str):
    return evaluation_for(request.user, code, lang)


def evaluation_for(user, code: str, lang: str):
    """The newcomer service's evaluation of ``code`` from the households ``user`` may read (aggregated), and
    those records; used by the pages and by the plan export run as background work (no request there)."""
    from blilyst.plan.evaluation import evaluate
    from blilyst.web.newcomers.models import Household

    records = aggregates.evaluation_records(for_member(user, Household.objects.all(), READ), code)
    if not records:
        return None, records
    snap = needs.snapshot()
    mig = snap.migration_by_age
    available = set(mig.loc[mig["municipality"] == code, "year"].astype(int))
    moved_years = {r["moved_in"].year for r in records if r["moved_in"]}
    years = sorted(available & moved_years)
    return evaluate(
        records,
        as_of=timezone.localdate(),
        municipality=code if years else None,
        migration_by_age=mig if years else None,
        years=years or None,
        lang=lang,
    ), records


def _total_in_migration(code: str) -> tuple[int, float] | None:
    """The latest year's registered in-migration where the snapshot has it, else estimated gross flows are
    unknown (only net migration is estimated)."""
    mig = needs.snapshot().migration_by_age
    rows = mig.loc[mig["municipality"] == code]
    if rows.empty:
        return None
    year = int(rows["year"].max())
    return year, float(rows.loc[rows["year"] == year, "in_migration"].sum())


def _group_names(plan: Plan, lang: str) -> dict[str, str]:
    """Target-group keys as readers see them: the plan's own groups, the guidance's, then the newcomer
    service's choices (e.g. ``other``)."""
    from blilyst.web.newcomers.models import TargetGroup

    names = {key: str(label) for key, label in TargetGroup.choices}
    names.update({g.key: g.label(lang) for g in candidate_groups()})
    names.update({g.key: g.label(lang) for g in plan.user_groups()})
    return names


@require_http_methods(["GET"])
def results(request: AuthedRequest, code: str) -> HttpResponse:
    from blilyst.plan.evaluation import stage_label
    from blilyst.plan.evidence import retention_chart

    plan, writable = _plan(request, code)
    lang = _lang()
    ev, records = _evaluation(request, code, lang)
    ctx = _base(request, plan, writable, "results", evaluation=ev, households=len(records))
    if ev is not None:
        group_names = _group_names(plan, lang)
        ctx["funnel"] = [
            (
                stage_label(r["stage"], lang),
                None if r.get("suppressed") else int(r["households"]),
                format_percent(r["conversion"]) if r["conversion"] == r["conversion"] else "–",
            )
            for r in ev.funnel.to_dict("records")
        ]
        ctx["moved_in"] = [
            (
                group_names.get(r["target_group"], r["target_group"]),
                None if r["suppressed"] else int(r["households"]),
                None if r["suppressed"] else int(r["persons"]),
            )
            for r in ev.moved_in.to_dict("records")
        ]
        ctx["retention"] = []
        if not ev.retention.empty:
            cols = [c for c in ev.retention.columns if c.startswith("share_")]
            ctx["retention_years"] = [c.removeprefix("share_").removesuffix("y") for c in cols]
            for r in ev.retention.to_dict("records"):
                name = _("All groups") if r["group"] == "all" else group_names.get(r["group"], r["group"])
                ctx["retention"].append(
                    (name, int(r["households"]), [fmt_pct(r[c], lang) if r[c] == r[c] else "–" for c in cols])
                )
        chart = (
            retention_chart(
                {_("All groups") if k == "all" else group_names.get(k, k): c for k, c in ev.curves.items()},
                lang,
            )
            if ev.curves
            else None
        )
        ctx["retention_chart"] = charts.from_chart_spec("retention", chart, lang=lang) if chart is not None else None
        moved = sum(1 for r in records if r.get("moved_in"))
        if moved and not ctx["retention"]:
            ctx["retention_hidden"] = ngettext(
                "%(n)d household has moved in through the service. How many still live here is shown once at "
                "least five have moved in, so that no single household's move away can be read off.",
                "%(n)d households have moved in through the service. How many still live here is shown once at "
                "least five have moved in, so that no single household's move away can be read off.",
                moved,
            ) % {"n": moved}
        ctx["reasons"] = [
            (
                r["label"],
                None if r["suppressed"] else int(r["households"]),
                fmt_pct(r["share"], lang) if r["share"] == r["share"] else "–",
            )
            for r in ev.reasons.to_dict("records")
        ]
        if ev.reach is not None:
            r = ev.reach
            small = smallnumbers.is_small(r.persons_moved_in_via_service)
            ctx["reach"] = {
                "persons": _("hidden (under 3)") if small else r.persons_moved_in_via_service,
                "total": fmt_int(r.total_in_migration, lang),
                "share": "–" if small else fmt_pct(r.share, lang, 1),
                "period": r.period,
            }
    ctx["total_in"] = _total_in_migration(code)
    return render(request, "planning/results.html", ctx)


# ------------------------------------------------------------------------------------ residents' survey


def _surveys(request: AuthedRequest, code: str):
    return for_user(request, ResidentSurvey.objects.all(), READ).filter(municipality=code)


@require_http_methods(["GET", "POST"])
def survey(request: AuthedRequest, code: str) -> HttpResponse:
    """Residents' own wish to stay: staff enter the counts of a survey; the page shows the latest as the plan
    will (:func:`blilyst.plan.survey.survey_section`)."""
    from blilyst.plan.survey import survey_section

    plan, writable = _plan(request, code)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = SurveyForm(request.POST, request.FILES)
        if form.is_valid():
            result = form.cleaned_data["result"]
            # A new record for the plan's own municipality (checked writable above), not a query.
            ResidentSurvey(
                municipality=plan.municipality,
                title=result.title,
                conducted_on=result.conducted_on,
                respondents=result.respondents,
                stay=dict(result.stay),
                stay_reasons=dict(result.stay_reasons),
                leave_reasons=dict(result.leave_reasons),
                created_by=request.user,
            ).save()
            messages.success(request, _("The survey is saved; the plan now reports it."))
            return redirect(_url("plan_survey", code))
    else:
        form = SurveyForm()
    surveys = list(_surveys(request, code)[:20])
    part = survey_section(surveys[0].to_domain(), _lang()) if surveys else None
    ctx = _base(
        request,
        plan,
        writable,
        "survey",
        form=form,
        surveys=surveys,
        survey_part=part,
        survey_tables=[(t.title, charts.table_rows(t.frame)) for t in part.tables] if part else [],
    )
    return render(request, "planning/survey.html", ctx)


# ------------------------------------------------------------------------------------ competence


def _employment(request: AuthedRequest, code: str):
    return for_user(request, EmploymentByIndustry.objects.all(), READ).filter(municipality=code)


@require_http_methods(["GET", "POST"])
def competence(request: AuthedRequest, code: str) -> HttpResponse:
    """The competence the municipality will lack (:func:`blilyst.plan.needs.competence`), and a file of the
    employed by industry and age that staff obtained, which adds the industries."""
    plan, writable = _plan(request, code)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = EmploymentForm(request.POST, request.FILES)
        if form.is_valid():
            table = form.cleaned_data["table"]
            # A new record for the plan's own municipality (checked writable above), not a query.
            EmploymentByIndustry(
                municipality=plan.municipality,
                year=table.year,
                source=table.source,
                rows=[dict(r) for r in table.rows],
                created_by=request.user,
            ).save()
            messages.success(request, _("The table is saved; the plan now shows the industries."))
            return redirect(_url("plan_competence", code))
    else:
        form = EmploymentForm()
    latest = _employment(request, code).first()
    scenario = plan.scenario if plan.scenario in needs.SCENARIO_CHOICES else "trend"
    part = needs.competence(code, scenario, _lang(), latest.to_domain() if latest else None)
    ctx = _base(
        request,
        plan,
        writable,
        "competence",
        form=form,
        latest=latest,
        competence_part=part,
        competence_tables=[(t.title, charts.table_rows(t.frame)) for t in part.tables],
    )
    return render(request, "planning/competence.html", ctx)


# ------------------------------------------------------------------------------------ export


def saved_plan(request: AuthedRequest, plan: Plan):
    """The plan with its latest assessment and campaign check, the registers' counts now and its latest survey
    as :class:`blilyst.plan.saved.SavedPlan`."""
    return saved_plan_for(request.user, plan)


def saved_plan_for(user, plan: Plan):
    code = plan.municipality_id
    return plan.to_saved(
        for_member(user, BottleneckAssessment.objects.all(), READ).filter(municipality=code).first(),
        for_member(user, CampaignCheck.objects.all(), READ).filter(municipality=code).first(),
        current_evidence_for(user, code),
        for_member(user, ResidentSurvey.objects.all(), READ).filter(municipality=code).first(),
        for_member(user, EmploymentByIndustry.objects.all(), READ).filter(municipality=code).first(),
        _latest_per_group(for_member(user, CampaignCheck.objects.all(), READ).filter(municipality=code)),
    )


def _latest_per_group(checks) -> list[CampaignCheck]:
    """The latest checked text written for each target group (the queryset is newest first)."""
    latest: dict[str, CampaignCheck] = {}
    for check in checks.exclude(target_group=""):
        latest.setdefault(check.target_group, check)
    return list(latest.values())


def build_document(request: AuthedRequest, plan: Plan, lang: str):
    return build_document_for(request.user, plan, lang)


def build_document_for(user, plan: Plan, lang: str):
    """The whole plan as :class:`blilyst.plan.document.Plan`, as ``user`` may read it: the core's document for
    the saved plan, with the newcomer service's evaluation that only the web app can compute."""
    ev, _records = evaluation_for(user, plan.municipality_id, lang)
    return assembly.build_document(
        saved_plan_for(user, plan), lang=lang, prepared_on=timezone.localdate(), evaluation=ev
    )


def _export_context(request: AuthedRequest, plan: Plan) -> dict:
    """The adopted versions and, for the working draft, what changed since the last one."""
    from blilyst.plan.versions import changes

    adopted = plan.latest_adopted()
    changed: list[str] = []
    if adopted is not None:
        saved = saved_plan(request, plan)
        with override(_lang()):
            changed = changes(
                adopted.baseline(),
                saved.to_json(),
                assembly.key_numbers(plan.municipality_id, saved.scenario_or_default),
                assembly.group_names(saved),
            )
    return {
        "versions": list(plan.versions.all()),
        "draft": plan.draft_version_info(),
        "adopted": adopted,
        "changes": changed,
    }


@require_http_methods(["GET"])
def export(request: AuthedRequest, code: str) -> HttpResponse:
    plan, writable = _plan(request, code)
    latest = _assessments(request, code).first()
    check = _checks(request, code).first()
    ctx = _base(
        request,
        plan,
        writable,
        "export",
        latest=latest,
        check=check,
        chain=plan.chain(),
        scenario_label=needs.scenario_label(
            plan.scenario if plan.scenario in needs.SCENARIO_CHOICES else "trend", _lang()
        ),
        adopt_form=AdoptForm(initial={"version": plan.version}),
        my_documents=_my_documents(request, code),
        my_adoptions=_my_adoptions(request, code),
        **_export_context(request, plan),
    )
    return render(request, "planning/export.html", ctx)


def _my_adoptions(request: AuthedRequest, code: str) -> list:
    """The adoptions of this plan the user started that are still waiting or running (background work), so the
    versions list does not look as if the adoption was lost."""
    from blilyst.web.jobs.models import Job

    running = (Job.State.QUEUED, Job.State.RUNNING)
    return list(
        request.user.jobs.filter(kind=Job.Kind.ADOPT, municipality_id=code, state__in=running)
        .defer("file")
        .order_by("-created")[:5]
    )


def _my_documents(request: AuthedRequest, code: str) -> list:
    """The documents of this plan the user started in the last day (waiting, being made or ready), so they can
    be found again after leaving their page."""
    from blilyst.web.jobs.models import Job

    since = timezone.now() - Job.KEEP_FILES
    return list(
        request.user.jobs.filter(kind=Job.Kind.EXPORT, municipality_id=code, created__gte=since)
        .defer("file")
        .order_by("-created")[:5]
    )


@require_POST
def adopt(request: AuthedRequest, code: str) -> HttpResponse:
    """Freeze the plan as the council adopted it: a new version with its choices, figures and documents, made
    as background work (drawing the documents takes seconds) whose progress the job's page shows. A plan
    changed since the page was opened is answered here with the conflict page; one changed while the work
    runs is caught when the version is frozen, and the job says so."""
    from blilyst.web.jobs.models import Job
    from blilyst.web.jobs.tasks import plan_target, start
    from blilyst.web.jobs.views import follow

    plan = _rw_plan(request, code)
    form = AdoptForm(request.POST)
    conflict: dict = {}
    if form.is_valid():
        seen = form.cleaned_data["version"]
        if plan.version == seen:
            params = {
                "version": seen,
                "adopted_on": form.cleaned_data["adopted_on"].isoformat(),
                "case_number": form.cleaned_data["case_number"],
                "lang": _lang(),
            }
            # a second click while the adoption waits or runs shows it (it would otherwise end in a conflict)
            target = plan_target(request.user, code)
            job, started = start(Job.Kind.ADOPT, request.user, target, municipality=plan.municipality, params=params)
            return follow(request, job, started)
        conflict = {"conflict": {"message": _adopt_conflict_message(), "differences": []}}
        form = AdoptForm(rebind_to_current(request.POST, plan.version))
    ctx = _base(
        request,
        plan,
        True,
        "export",
        latest=_assessments(request, code).first(),
        check=_checks(request, code).first(),
        chain=plan.chain(),
        scenario_label=needs.scenario_label(
            plan.scenario if plan.scenario in needs.SCENARIO_CHOICES else "trend", _lang()
        ),
        adopt_form=form,
        **conflict,
        **_export_context(request, plan),
    )
    return render(request, "planning/export.html", ctx, status=409 if conflict else 400)


def _adopt_conflict_message() -> str:
    return _(
        "Someone changed the plan after you opened this page, so it was not adopted. Check the plan as it is "
        "now and adopt it again."
    )


def adopt_version(user, code: str, params: dict, progress) -> int:
    """Freeze the plan of ``code`` as ``user`` may read it as an adopted version (``params``: the plan's
    version the user saw, the adoption date as ISO text, the case number, the language), with its choices,
    key figures and documents; returns the version's number. ``progress(step, done, total)`` is told each
    step. Raises PermissionDenied when the user may no longer edit the plan, and VersionConflict when the plan
    was saved or adopted after the user saw it (also while the documents were drawn)."""
    import dataclasses

    from blilyst.plan.document import to_docx, to_pdf
    from blilyst.plan.versions import ADOPTED, VersionInfo
    from blilyst.web.accounts.models import Municipality
    from blilyst.web.planning.models import PlanVersion

    if not can(user, WRITE, code):
        raise PermissionDenied
    plan = Plan.for_municipality(Municipality.objects.get(code=code))
    seen, lang = int(params["version"]), params.get("lang", "nb")
    if plan.version != seen:  # changed since the page was opened: nothing to draw
        raise VersionConflict(plan.version)
    adopted_on = dt.date.fromisoformat(params["adopted_on"])
    with override(lang):
        # The documents are drawn before the row is locked: seconds of figures, charts and layout under a
        # lock would hold up every other save of the plan (on SQLite every write of the whole app).
        progress(_("Computing the plan's figures"), 0, 3)
        number = plan.draft_version_info().number
        info = VersionInfo(number, ADOPTED, adopted_on, params["case_number"])
        saved = dataclasses.replace(saved_plan_for(user, plan), version=info)
        ev, _records = evaluation_for(user, code, lang)
        document = assembly.build_document(saved, lang=lang, prepared_on=timezone.localdate(), evaluation=ev)
        figures = assembly.key_numbers(code, saved.scenario_or_default)
        progress(_("Laying out the PDF"), 1, 3)
        pdf = to_pdf(document)
        progress(_("Writing the Word document"), 2, 3)
        docx = to_docx(document)
    with transaction.atomic():
        plan.lock_version(seen)  # nobody saved or adopted it while the documents were drawn
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            adopted_on=adopted_on,
            case_number=info.case_number,
            saved=dataclasses.replace(saved, adopted=None).to_json(),
            figures=figures,
            pdf=pdf,
            docx=docx,
            created_by=user,
        )
        plan.version += 1  # a new draft begins: open forms notice it
        plan.updated_by = user
        plan.save(update_fields=["version", "updated", "updated_by"])
    return number


@require_http_methods(["GET"])
def adopted_file(request: AuthedRequest, code: str, number: int, fmt: str) -> HttpResponse:
    """An adopted version's document exactly as it was adopted."""
    plan, _writable = _plan(request, code)
    if fmt not in ("pdf", "docx"):
        raise Http404("Not found")
    version = plan.versions.filter(number=number).first()  # reached only through the authorised plan
    if version is None:
        raise Http404("Not found")
    data = bytes(version.pdf if fmt == "pdf" else version.docx)
    content_type = (
        "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="plan-{code}-v{number}-{version.adopted_on}.{fmt}"'
    return response


@require_POST
def export_start(request: AuthedRequest, code: str) -> HttpResponse:
    """Make the plan's PDF or Word document as background work and show its progress; the job's page offers
    the file when it is ready. Drawing the document takes seconds (figures, charts, layout), too long to keep
    a page and an app process waiting; with the immediate task backend it is ready when the page opens."""
    from blilyst.web.jobs.models import Job
    from blilyst.web.jobs.tasks import plan_target, start
    from blilyst.web.jobs.views import follow

    fmt = request.POST.get("format", "")
    if fmt not in EXPORT_FORMATS:
        raise Http404("Not found")
    plan, _writable = _plan(request, code)
    params = {"format": fmt, "lang": _lang()}
    # the same document asked for again while it is being made: that job, not a second one
    job, started = start(
        Job.Kind.EXPORT,
        request.user,
        plan_target(request.user, code, fmt, params["lang"]),
        municipality=plan.municipality,
        params=params,
    )
    return follow(request, job, started)


EXPORT_FORMATS = ("pdf", "docx")


def export_document(user, code: str, fmt: str, lang: str, progress) -> tuple[str, str, bytes]:
    """The plan of ``code`` as ``fmt`` (pdf or docx) in ``lang``, as ``user`` may read it: (file name, content
    type, bytes). ``progress(step, done, total)`` is told each step. Raises PermissionDenied when the user may
    no longer read the municipality's plan."""
    from blilyst.plan.document import to_docx, to_pdf
    from blilyst.web.accounts.models import Municipality

    if not can(user, READ, code):
        raise PermissionDenied
    plan = Plan.for_municipality(Municipality.objects.get(code=code))
    with override(lang):
        progress(_("Computing the plan's figures"), 0, 2)
        document = build_document_for(user, plan, lang)
        if fmt == "pdf":
            progress(_("Laying out the PDF"), 1, 2)
            data, content_type = to_pdf(document), "application/pdf"
        else:
            progress(_("Writing the Word document"), 1, 2)
            data = to_docx(document)
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return f"{_export_name(plan, code)}.{fmt}", content_type, data


def _export_name(plan: Plan, code: str) -> str:
    day = dt.date.isoformat(timezone.localdate())
    name = f"plan-{code}-{plan.municipality.name}-{day}".replace(" ", "-")
    return name.encode("ascii", "replace").decode("ascii").replace("?", "_")


@require_http_methods(["GET"])
def export_file(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    """The plan's choices as a file (JSON, no personal data): made in the request, it takes milliseconds."""
    if fmt != "json":
        raise Http404("Not found")
    plan, _writable = _plan(request, code)
    response = HttpResponse(saved_plan(request, plan).dumps(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(plan, code)}.json"'
    return response
