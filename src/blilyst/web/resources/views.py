"""Pages for the resources: lists, create and edit forms, CSV import, matching and the gaps.

Every query for a municipality's rows goes through ``blilyst.web.lib.tenancy``: lists filter on
the user's municipalities, single rows come from the one accessor per kind below (404 for a
stranger, 403 when a read-only member tries to change something). Hosts and housing owners are
personal data: only users who may see personal data (``VIEW_HOUSEHOLDS``) see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blilyst import matching
from blilyst.errors import ImportFileError
from blilyst.matching import match_household
from blilyst.web.accounts.roles import Capability
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import for_member, for_user, get_for_user, get_rw_for_user, require_capability
from blilyst.web.lib.versioning import VersionConflict, conflict_context, rebind_to_current
from blilyst.web.resources import csvimport, explain, matchinputs
from blilyst.web.resources.forms import (
    EventForm,
    HostForm,
    HousingForm,
    ImportForm,
    JobVacancyForm,
    KindergartenCapacityForm,
    PlaceCheckForm,
    ResourceForm,
)
from blilyst.web.resources.models import (
    Event,
    Host,
    Housing,
    JobVacancy,
    KindergartenCapacity,
    MatchingGap,
    Offer,
    Resource,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EDIT = Capability.EDIT_RESOURCES
PER_PAGE = 50


@dataclass(frozen=True)
class Kind:
    """One kind of resource as the pages show it."""

    slug: str
    model: type[Resource]
    form: type[ResourceForm]
    title: StrOrPromise
    new_label: StrOrPromise
    columns: tuple[str, ...]  # model fields shown in the list
    read: Capability = Capability.VIEW_RESOURCES
    personal: tuple[str, ...] = ()  # columns shown only to users who may see personal data
    status_field: str = ""
    kind_field: str = ""  # a choice field the list can be filtered on (housing: sale, rent, small farm, plot ...)
    importable: str = ""  # csvimport kind name, if the list can be imported from CSV


KINDS = {
    "housing": Kind(
        "housing",
        Housing,
        HousingForm,
        gettext_lazy("Dwellings"),
        gettext_lazy("New dwelling"),
        (
            "title",
            "kind",
            "bedrooms",
            "size_m2",
            "price",
            "available_from",
            "term_months",
            "status",
            "area",
            "owner_name",
            "owner_phone",
        ),
        personal=("owner_name", "owner_phone"),
        status_field="status",
        kind_field="kind",
        importable="housing",
    ),
    "jobs": Kind(
        "jobs",
        JobVacancy,
        JobVacancyForm,
        gettext_lazy("Job vacancies"),
        gettext_lazy("New vacancy"),
        ("occupation", "employer", "sector", "advertised", "deadline", "remote_possible", "positions", "status"),
        status_field="status",
        importable="vacancies",
    ),
    "kindergartens": Kind(
        "kindergartens",
        KindergartenCapacity,
        KindergartenCapacityForm,
        gettext_lazy("Kindergarten places"),
        gettext_lazy("New capacity row"),
        ("kindergarten", "month", "free_places", "note"),
        importable="kindergartens",
    ),
    "hosts": Kind(
        "hosts",
        Host,
        HostForm,
        gettext_lazy("Hosts and ambassadors"),
        gettext_lazy("New host"),
        ("name", "phone", "email", "area", "languages", "interests", "active"),
        read=Capability.VIEW_HOUSEHOLDS,
    ),
    "events": Kind(
        "events",
        Event,
        EventForm,
        gettext_lazy("Events"),
        gettext_lazy("New event"),
        ("title", "kind", "starts", "place", "capacity"),
    ),
}


def kind_or_404(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("No such resource") from None


def get_resource_for_user(request: AuthedRequest, kind: Kind, pk: int):
    """The resource and whether the user may change it (404 outside the user's municipalities)."""
    return get_for_user(request, kind.model._default_manager.all(), pk=pk, read=kind.read, write=EDIT)


def get_rw_resource_for_user(request: AuthedRequest, kind: Kind, pk: int):
    """The resource for a change: 404 outside the user's municipalities, 403 for a read-only member."""
    return get_rw_for_user(request, kind.model._default_manager.all(), pk=pk, read=kind.read, write=EDIT)


def _cell(obj, name: str) -> object:
    display = getattr(obj, f"get_{name}_display", None)
    return display() if display else getattr(obj, name)


@require_GET
@require_capability(Capability.VIEW_RESOURCES)
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    counts = []
    for kind in KINDS.values():
        if user.can_anywhere(kind.read):
            counts.append((kind, for_user(request, kind.model._default_manager.all(), kind.read).count()))
    gaps = matchinputs.gap_counts(
        for_user(request, MatchingGap.objects.all(), Capability.VIEW_RESOURCES), open_only=True
    )
    households = []
    if user.can_anywhere(Capability.VIEW_HOUSEHOLDS):
        from blilyst.web.newcomers.models import Household

        households = list(
            for_user(request, Household.objects.open(), Capability.VIEW_HOUSEHOLDS)
            .order_by("-last_activity", "-pk")
            .only("pk", "label", "status", "municipality_id")[:PER_PAGE]
        )
    ctx = {"counts": counts, "gaps": gaps, "can_edit": user.can_anywhere(EDIT), "households": households}
    return render(request, "resources/index.html", ctx)


@require_GET
@require_capability(Capability.VIEW_RESOURCES)
def resource_list(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = kind_or_404(kind)
    if not request.user.can_anywhere(spec.read):
        raise Http404("Not found")
    rows = for_user(request, spec.model._default_manager.all(), spec.read).select_related("municipality")
    status = request.GET.get("status", "")
    status_choices = (spec.model.own_field(spec.status_field).choices or []) if spec.status_field else []
    if status and status in {value for value, _label in status_choices}:
        rows = rows.filter(**{spec.status_field: status})
    else:
        status = ""
    of_kind = request.GET.get("kind", "")
    kind_choices = (spec.model.own_field(spec.kind_field).choices or []) if spec.kind_field else []
    if of_kind and of_kind in {value for value, _label in kind_choices}:
        rows = rows.filter(**{spec.kind_field: of_kind})
    else:
        of_kind = ""
    # one employer's vacancies: where a suggestion's job links to its employer
    employer = request.GET.get("employer", "").strip()[:150] if spec.model is JobVacancy else ""
    if employer:
        rows = rows.filter(**{"employer__iexact": employer})  # a JobVacancy field; rows are of the kind's model
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    personal_codes = set(request.user.municipality_codes(Capability.VIEW_HOUSEHOLDS))
    editable_codes = set(request.user.municipality_codes(EDIT))
    columns = [c for c in spec.columns if c not in spec.personal or personal_codes]
    several = len(request.user.municipality_codes(spec.read)) > 1
    table = []
    for obj in page:
        cells = []
        for name in columns:
            hidden = name in spec.personal and obj.municipality_id not in personal_codes
            cells.append("–" if hidden else _cell(obj, name))
        table.append({"obj": obj, "cells": cells, "editable": obj.municipality_id in editable_codes})
    ctx = {
        "kind": spec,
        "headers": [spec.model.own_field(c).verbose_name for c in columns],
        "table": table,
        "page": page,
        "several": several,
        "status": status,
        "status_choices": status_choices,
        "of_kind": of_kind,
        "kind_choices": kind_choices,
        "employer": employer,
        "can_create": bool(editable_codes),
    }
    if spec.model is KindergartenCapacity:
        ctx.update(_place_check(request, rows))
    return render(request, "resources/list.html", ctx)


def _place_check(request: AuthedRequest, rows) -> dict:
    """The answer to "a place from March?": per kindergarten the first month from then with enough places."""
    form = PlaceCheckForm(request.GET if "month" in request.GET else None)
    if not form.is_valid():
        return {"check_form": form}
    start = form.cleaned_data["month"].replace(day=1)
    children = form.cleaned_data["children"]
    first: dict[tuple[str, str, str], KindergartenCapacity] = {}  # per kindergarten and age group
    for row in rows.filter(month__gte=start, free_places__gte=children).order_by("month", "kindergarten"):
        first.setdefault((row.municipality_id, row.kindergarten, row.age_group), row)
    places = sorted(first.values(), key=lambda r: (r.month, r.kindergarten))
    return {
        "check_form": form,
        "check": {
            "start": start,
            "children": children,
            "places": places,
            "in_time": [p for p in places if p.month == start],
        },
    }


@require_http_methods(["GET", "POST"])
@require_capability(EDIT)
def resource_create(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = kind_or_404(kind)
    if not request.user.can_anywhere(spec.read):
        raise Http404("Not found")
    form = spec.form(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        registers_changed(request, obj.municipality_id)
        messages.success(request, _("Saved: %(name)s.") % {"name": obj})
        return redirect("resources:list", kind=spec.slug)
    return render(request, "resources/form.html", {"kind": spec, "form": form, "obj": None})


@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    spec = kind_or_404(kind)
    obj = get_rw_resource_for_user(request, spec, pk)
    form = spec.form(request.POST if request.method == "POST" else None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = form.save()
        except VersionConflict as exc:
            if exc.current_version is None:
                raise Http404("Not found") from None  # deleted meanwhile
            # Someone saved first: keep what the user typed, show where it differs from what is stored now.
            current = spec.model._default_manager.get(pk=pk)
            ctx = {"kind": spec, "obj": current, **conflict_context(form, current)}
            ctx["form"] = spec.form(
                rebind_to_current(request.POST, exc.current_version), instance=current, user=request.user
            )
            return render(request, "resources/form.html", ctx, status=409)
        registers_changed(request, obj.municipality_id)
        messages.success(request, _("Saved: %(name)s.") % {"name": obj})
        return redirect("resources:list", kind=spec.slug)
    return render(request, "resources/form.html", {"kind": spec, "form": form, "obj": obj})


@require_POST
def resource_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    spec = kind_or_404(kind)
    obj = get_rw_resource_for_user(request, spec, pk)
    name, code = str(obj), obj.municipality_id
    obj.delete()
    registers_changed(request, code)
    messages.success(request, _("Deleted: %(name)s.") % {"name": name})
    return redirect("resources:list", kind=spec.slug)


@require_http_methods(["GET", "POST"])
@require_capability(EDIT)
def resource_import(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = kind_or_404(kind)
    if not spec.importable:
        raise Http404("Not found")
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None, user=request.user)
    report = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > csvimport.MAX_BYTES:
                raise ImportFileError(
                    _("The file is larger than %(mb)s MB. Split it into smaller files and import them one by one.")
                    % {"mb": csvimport.MAX_BYTES // (1024 * 1024)}
                )
            report = csvimport.import_csv(spec.importable, upload.read(), form.cleaned_data["municipality"])
        except ImportFileError as exc:
            file_error = str(exc)
        else:
            if report.created or report.updated:
                registers_changed(
                    request, getattr(form.cleaned_data["municipality"], "pk", form.cleaned_data["municipality"])
                )
            if report.ok:
                messages.success(request, report.summary())
                return redirect("resources:list", kind=spec.slug)
    # Rows were rejected: the page shows the report; 400 when no row at all could be taken.
    nothing_taken = report is not None and report.rejected == report.rows
    status = 400 if (file_error or nothing_taken) else 200
    ctx = {
        "kind": spec,
        "form": form,
        "report": report,
        "file_error": file_error,
        "columns": csvimport.KINDS[spec.importable].columns,
    }
    return render(request, "resources/import.html", ctx, status=status)


# --- Matching ---------------------------------------------------------------------------------------------
def run_matching(request: AuthedRequest, household, record: bool):
    """Match ``household`` against its municipality's listings; with ``record`` (the user may change
    the household) keep its ``MatchingGap`` rows in step. Returns (needs, index, result)."""
    code, read = household.municipality_id, Capability.VIEW_RESOURCES
    needs = matchinputs.household_needs(household)
    index = matchinputs.listing_index(
        for_user(request, Housing.objects.filter(municipality_id=code), read),
        for_user(request, JobVacancy.objects.filter(municipality_id=code), read),
        for_user(request, KindergartenCapacity.objects.filter(municipality_id=code), read),
        today=timezone.localdate(),
    )
    result = match_household(needs, index)
    if record:
        matchinputs.record_gaps(
            for_user(request, MatchingGap.objects.all(), Capability.EDIT_HOUSEHOLDS), code, household.pk, result.gaps
        )
    return needs, index, result


@require_GET
def household_matches(request: AuthedRequest, household_id: int) -> HttpResponse:
    """ "Find matches" for one household: ranked suggestions with their reasons, and the gaps.

    The household comes through the newcomers app's accessor (404 outside the user's
    municipalities) and the visit is written to the access log. A user who may change the
    household also records the gaps (one open row per need, see ``matchinputs.record_gaps``):
    reading the page twice does not count a gap twice.
    """
    from blilyst.web.newcomers.views import get_household_for_user
    from blilyst.web.privacy.models import Action
    from blilyst.web.privacy.rules import log_access

    household, writable = get_household_for_user(request, household_id)
    log_access(request.user, household, Action.VIEW, detail="matching")
    return render(request, "resources/matches.html", _matches_context(request, household, writable))


def _matches_context(request: AuthedRequest, household, writable: bool, offer_error: str = "") -> dict:
    """What the matches page shows: suggestions naming the adults and children and linking the listings, a
    kindergarten place for each child, hosts and events, the gaps, and the offers made so far."""
    code, read = household.municipality_id, Capability.VIEW_RESOURCES
    needs, index, result = run_matching(request, household, record=writable)
    adults = dict(enumerate(household.adults.all(), start=1))
    kids = dict(enumerate(household.children.all(), start=1))
    suggestions = [
        {
            "score": s.score,
            "parts": [_part_context(p, index.today, adults, kids) for p in s.parts],
            "late": any(p.late_days for p in s.parts),
        }
        for s in result.suggestions
    ]
    children = [
        {
            "child": kids[child.number],
            "number": child.number,
            "age_group": child.age_group,
            "options": [
                {
                    "place": place,
                    "text": explain.describe_part(
                        matching.Part("kindergarten", score, place, child=child.number), index.today
                    ),
                }
                for score, place in index.kindergarten_candidates(child.start, child.age_group)
            ],
        }
        for child in needs.children
    ]
    return {
        "household": household,
        "writable": writable,
        "hosts": matchinputs.host_suggestions(
            for_user(request, Host.objects.filter(municipality_id=code), Capability.VIEW_HOUSEHOLDS), household
        ),
        "events": matchinputs.upcoming_events(
            for_user(request, Event.objects.filter(municipality_id=code), read), household
        ),
        "needs": needs,
        "suggestions": suggestions,
        "children": children,
        "gaps": [explain.describe_gap(g, index.today) for g in result.gaps],
        "offers": household.offers.select_related("adult", "child").order_by("-offered_on", "-pk"),
        "offer_statuses": [Offer.Status.ACCEPTED, Offer.Status.DECLINED, Offer.Status.WITHDRAWN],
        "status_labels": dict(Offer.Status.choices),
        "offer_error": offer_error,
        "household_url": _household_url(household.pk),
    }


def _part_context(part, today, adults: dict, children: dict) -> dict:
    """One part of a suggestion for the page: its sentence, the adult or child it is for, a link to the listing."""
    adult = adults.get(part.adult) if part.adult else None
    child = children.get(part.child) if part.child else None
    row = {"text": explain.describe_part(part, today), "kind": part.kind, "adult": adult, "child": child, "url": ""}
    if part.kind == "housing":
        row.update(url=reverse("resources:edit", args=["housing", part.listing.id]), housing=part.listing.id)
    elif part.kind == "job":
        row.update(url=reverse("resources:edit", args=["jobs", part.listing.id]), job=part.listing.id)
        if part.listing.employer:
            row.update(
                employer=part.listing.employer,
                employer_url=reverse("resources:list", args=["jobs"])
                + "?"
                + urlencode({"employer": part.listing.employer}),
            )
    elif part.kind == "kindergarten":
        row.update(place=part.listing)
    return row


def _household_url(pk: int) -> str:
    try:
        return reverse("household_detail", args=[pk])
    except NoReverseMatch:
        return ""


@require_GET
@require_capability(Capability.VIEW_RESOURCES)
def gap_list(request: AuthedRequest) -> HttpResponse:
    """The gaps matching found, by kind: the bottleneck evidence for the plan (no names)."""
    qs = for_user(request, MatchingGap.objects.all(), Capability.VIEW_RESOURCES).select_related("municipality")
    show = request.GET.get("show", "open")
    if show != "all":
        show = "open"
        qs = qs.filter(resolved_on__isnull=True)
    page = Paginator(qs.order_by("-last_seen", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    may_see = set(request.user.municipality_codes(Capability.VIEW_HOUSEHOLDS))
    rows = [
        {
            "gap": g,
            "text": explain.describe_gap(matchinputs.gap_from_row(g)),
            # the household's number and a link, for those who may see households there (never for analysts)
            "household_url": _household_url(g.household_id) if g.household_id and g.municipality_id in may_see else "",
        }
        for g in page
    ]
    ctx = {
        "counts": matchinputs.gap_counts(qs),
        "rows": rows,
        "page": page,
        "show": show,
        "kinds": dict(MatchingGap.Kind.choices),
        "several": len(request.user.municipality_codes(Capability.VIEW_RESOURCES)) > 1,
        "show_households": bool(may_see),
    }
    return render(request, "resources/gaps.html", ctx)


def _offer_summary(
    kind: str, *, housing=None, job=None, adult=None, kindergarten: str = "", month=None, child=None
) -> str:
    if kind == Offer.Kind.HOUSING:
        return _("Dwelling: %(title)s (%(kind)s)") % {"title": housing.title, "kind": housing.get_kind_display()}
    if kind == Offer.Kind.JOB:
        return _("Job as %(occupation)s at %(employer)s for %(adult)s") % {
            "occupation": job.occupation,
            "employer": job.employer,
            "adult": adult.name,
        }
    return _("Kindergarten place at %(kindergarten)s from %(month)s for %(child)s") % {
        "kindergarten": kindergarten,
        "month": explain.month(month),
        "child": child.first_name or str(child.birth_year),
    }


def _child_fits(child, place: KindergartenCapacity) -> bool:
    """Whether ``place`` (its age group) takes ``child`` in the place's month."""
    return not place.age_group or place.age_group == matching.kindergarten_age_group(child.birth_year, place.month)


@require_POST
def offer_create(request: AuthedRequest, household_id: int) -> HttpResponse:
    """Offer the household a dwelling, a job (for one adult) or a kindergarten place (for one child) from
    the matches page. The listing must still be on offer in the household's own municipality."""
    from blilyst.web.newcomers.views import get_rw_household_for_user
    from blilyst.web.privacy.models import Action
    from blilyst.web.privacy.rules import log_access

    household = get_rw_household_for_user(request, household_id)
    code = household.municipality_id
    kind = request.POST.get("kind", "")
    fields: dict = {}
    try:
        if kind == Offer.Kind.HOUSING:
            fields["housing"] = for_user(request, Housing.objects.filter(municipality_id=code), EDIT).get(
                pk=int(request.POST.get("housing", "")), status=Housing.Status.AVAILABLE
            )
        elif kind == Offer.Kind.JOB:
            fields["job"] = for_user(request, JobVacancy.objects.filter(municipality_id=code), EDIT).get(
                pk=int(request.POST.get("job", "")), status=JobVacancy.Status.OPEN
            )
            fields["adult"] = household.adults.get(pk=int(request.POST.get("adult", "")))
        elif kind == Offer.Kind.KINDERGARTEN:
            place = for_user(request, KindergartenCapacity.objects.filter(municipality_id=code), EDIT).get(
                kindergarten=request.POST.get("kindergarten", ""),
                month=request.POST.get("month", ""),
                age_group=request.POST.get("age_group", ""),
                free_places__gt=0,
            )
            fields.update(kindergarten=place.kindergarten, month=place.month, age_group=place.age_group)
            fields["child"] = household.children.get(pk=int(request.POST.get("child", "")))
            if not _child_fits(fields["child"], place):
                messages.error(
                    request,
                    _("That place is for another age group than the child's in that month. Nothing was recorded."),
                )
                return redirect("resources:match", household_id=household.pk)
        else:
            raise ValueError(kind)
    except (
        ValueError,
        TypeError,
        ValidationError,  # a month that is no date
        Housing.DoesNotExist,
        JobVacancy.DoesNotExist,
        KindergartenCapacity.DoesNotExist,
    ):
        messages.error(
            request, _("That is no longer on offer, or it does not belong to this household. Nothing was recorded.")
        )
        return redirect("resources:match", household_id=household.pk)
    except (household.adults.model.DoesNotExist, household.children.model.DoesNotExist):
        messages.error(request, _("Choose an adult or a child of this household. Nothing was recorded."))
        return redirect("resources:match", household_id=household.pk)
    household.offers.create(
        municipality_id=code,
        kind=kind,
        summary=_offer_summary(kind, **{k: v for k, v in fields.items() if k != "age_group"}),
        by=request.user,
        **fields,
    )
    household.touch()
    log_access(request.user, household, Action.CHANGE, detail=f"offer: {kind}")
    messages.success(request, _("The offer is recorded. Record the household's answer when it comes."))
    return redirect("resources:match", household_id=household.pk)


@require_POST
def offer_answer(request: AuthedRequest, household_id: int, offer_id: int) -> HttpResponse:
    """Record accepted / declined (with the reason) / withdrawn for one of the household's offers."""
    from blilyst.web.newcomers.views import get_rw_household_for_user
    from blilyst.web.privacy.models import Action
    from blilyst.web.privacy.rules import log_access

    household = get_rw_household_for_user(request, household_id)
    try:
        offer = household.offers.get(pk=offer_id)
    except Offer.DoesNotExist:
        raise Http404("Not found") from None
    try:
        offer.answer(request.POST.get("status", ""), reason=request.POST.get("reason", "")[:300])
    except ValidationError as error:
        context = _matches_context(request, household, True, offer_error=" ".join(error.messages))
        context["answering"] = offer.pk
        return render(request, "resources/matches.html", context, status=400)
    household.touch()
    log_access(request.user, household, Action.CHANGE, detail=f"offer {offer.status}")
    if offer.status == Offer.Status.ACCEPTED and offer.kind != Offer.Kind.JOB:
        # a dwelling reserved or a month's free place taken: other households' matches and gaps change
        registers_changed(request, household.municipality_id)
    messages.success(request, _("The answer is recorded."))
    return redirect("resources:match", household_id=household.pk)


def registers_changed(request: AuthedRequest, code: str) -> None:
    """After a change to ``code``'s registers: re-match the open households, so the gaps list and the plan's
    bottleneck evidence follow the registers (``matchinputs.refresh_gaps``), and let the public front door
    count again. Up to ``matchinputs.REMATCH_IN_REQUEST`` open households inside this request; more as
    background work (one at a time per municipality; a change while it runs makes it go once more), whose
    progress the editor can follow from the message this adds."""
    from blilyst.web.frontdoor.offer import forget_offer
    from blilyst.web.jobs.models import Job
    from blilyst.web.jobs.tasks import start
    from blilyst.web.newcomers.models import Household

    forget_offer(code)
    if not request.user.can(Capability.EDIT_HOUSEHOLDS, code):
        return
    households = for_user(request, Household.objects.all(), Capability.EDIT_HOUSEHOLDS)
    waiting = matchinputs.open_households(households, code).count()
    if waiting <= matchinputs.REMATCH_IN_REQUEST:
        rematch(request.user, code)
        return
    target = f"matching/{code}"
    job, started = start(Job.Kind.REMATCH, request.user, target, municipality_id=code)
    if not started and not job.go_again():  # it ended a moment ago, perhaps before this change: once more
        job, started = start(Job.Kind.REMATCH, request.user, target, municipality_id=code)
    text = ngettext(
        "The registers changed: the municipality's %(n)s open household is re-matched in the background.",
        "The registers changed: the municipality's %(n)s open households are re-matched in the background.",
        waiting,
    ) % {"n": number_format(waiting, force_grouping=True)}
    if job.started_by_id == request.user.pk:
        link = reverse("jobs:detail", args=[job.pk])
        text = format_html('{} <a href="{}">{}</a>', text, link, _("Follow the re-matching"))
    messages.info(request, text, fail_silently=True)  # API requests have no messages


def rematch(user, code: str, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-match ``code``'s open households against its registers as ``user`` may see them; returns how many."""
    from blilyst.web.newcomers.models import Household

    read = Capability.VIEW_RESOURCES
    index = matchinputs.listing_index(
        for_member(user, Housing.objects.filter(municipality_id=code), read),
        for_member(user, JobVacancy.objects.filter(municipality_id=code), read),
        for_member(user, KindergartenCapacity.objects.filter(municipality_id=code), read),
        today=timezone.localdate(),
    )
    return matchinputs.refresh_gaps(
        index,
        for_member(user, Household.objects.all(), Capability.EDIT_HOUSEHOLDS),
        for_member(user, MatchingGap.objects.all(), Capability.EDIT_HOUSEHOLDS),
        code,
        progress,
    )
