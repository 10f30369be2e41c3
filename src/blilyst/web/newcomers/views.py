"""The contact person's pages: households, their needs, status, tasks and contact log.

Every household is fetched through ``get_household_for_user`` (read) or
``get_rw_household_for_user`` (change): another municipality's household is a 404, a read-only
member trying to change one gets 403. Lists are filtered on the user's municipalities.
Viewing, changing and creating are written to the access log (:mod:`blilyst.web.privacy.rules`).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Min, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blilyst.web.accounts.models import User
from blilyst.web.accounts.roles import Capability, Role
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import (
    can,
    for_user,
    get_for_user,
    get_rw_for_user,
    municipalities_for,
    require_capability,
)
from blilyst.web.lib.versioning import conflict_context, rebind_to_current
from blilyst.web.newcomers.forms import (
    AdultFormSet,
    ChildFormSet,
    ContactLogForm,
    FollowUpForm,
    HouseholdForm,
    InquiryForm,
    NeedsForm,
    StatusForm,
    TaskForm,
)
from blilyst.web.newcomers.models import Household, Status, TargetGroup, Task, VersionConflict, likely_duplicates
from blilyst.web.privacy.models import CONSENT_TEXTS, Action, ConsentPurpose
from blilyst.web.privacy.rules import log_access, record_consent

READ, WRITE = Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS
PAGE_SIZE = 50
# What a row of the household list shows (a deferred field read in the template would be a query per row).
LIST_COLUMNS = ("label", "status", "target_group", "municipality__name")


def get_household_for_user(request: HttpRequest, pk) -> tuple[Household, bool]:
    """The household ``pk`` if the user may see it (else 404), and whether they may change it."""
    return get_for_user(
        request, Household.objects.select_related("municipality", "contact_person"), pk=pk, read=READ, write=WRITE
    )


def get_rw_household_for_user(request: HttpRequest, pk) -> Household:
    """The household ``pk`` for a change: 404 if the user may not see it, 403 if only read."""
    return get_rw_for_user(
        request, Household.objects.select_related("municipality", "contact_person"), pk=pk, read=READ, write=WRITE
    )


def staff_for(municipality_code: str):
    """The people who may be a household's contact person in ``municipality_code``."""
    return User.objects.filter(
        memberships__municipality_id=municipality_code, memberships__role=Role.CONTACT_PERSON, is_active=True
    ).order_by("first_name", "username")


def _current_or_404(request: HttpRequest, pk: int) -> Household:
    """The household as stored now, after a refused save (404 if it was erased meanwhile)."""
    return get_rw_household_for_user(request, pk)


@require_http_methods(["GET", "POST"])
@require_capability(READ)
def household_list(request: AuthedRequest) -> HttpResponse:
    """The user's households. The search form posts (and its page links are small forms), so that a name, an
    e-mail or a phone number never travels in a URL, where access logs and browser histories would keep it;
    nothing of the search is stored. A ``q`` in the address is ignored."""
    data = request.POST if request.method == "POST" else request.GET
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    status = data.get("status", "")
    if status not in Status.values:
        status = ""
    households = for_user(request, Household.objects.all(), READ)
    codes = request.user.municipality_codes(READ)  # from the roles already read: no query
    # The municipality filter is offered to a regional office only (more than one municipality to narrow to).
    municipalities = list(municipalities_for(request.user, READ)) if len(codes) > 1 else []
    municipality = data.get("municipality", "")
    if municipality in codes:
        households = households.filter(municipality_id=municipality)
    else:
        municipality = ""
    if status:
        households = households.filter(status=status)
    households = (
        households.search(query)
        .select_related("municipality")
        .only(*LIST_COLUMNS)  # the columns the rows show, not every field of the household
        .order_by("-last_activity", "-id")
    )
    page = Paginator(households, PAGE_SIZE).get_page(data.get("page"))
    # The next due date for the rows shown only (one small query, not an aggregate over every household).
    rows = list(page.object_list)
    due = dict(
        Task.objects.open()
        .filter(household__in=rows)
        .values("household")
        .annotate(first=Min("due"))
        .values_list("household", "first")
    )
    status_labels, group_labels = dict(Status.choices), dict(TargetGroup.choices)
    today = timezone.localdate()
    for row in rows:
        row.next_due = due.get(row.pk)
        # Worked out once here, not per cell in the template (the date filter was a third of the rows' time).
        row.next_due_text = row.next_due.isoformat() if row.next_due else ""
        row.overdue = row.next_due is not None and row.next_due < today
        # Labels looked up once, not through get_FOO_display (which rebuilds the choices per call).
        row.status_label = status_labels.get(row.status, row.status)
        row.target_group_label = group_labels.get(row.target_group, row.target_group)
    page.object_list = rows
    ctx = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": Status.choices,
        "municipality": municipality,
        "municipalities": municipalities,
        "may_create": bool(request.user.municipality_codes(WRITE)),  # from the roles already read
    }
    return render(request, "newcomers/household_list.html", ctx)


@require_http_methods(["GET", "POST"])
@require_capability(WRITE)
def household_create(request: AuthedRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, municipalities=municipalities_for(request.user, WRITE))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            household = form.save(commit=False)
            household.contact_person = request.user
            household.save()
            adult = form.adult()
            adult.household = household
            adult.save()
            record_consent(household, ConsentPurpose.FOLLOW_UP, by=request.user)
            log_access(request.user, household, Action.CREATE)
        _warn_of_duplicates(request, household)
        messages.success(request, _("The inquiry is registered."))
        return redirect("household_detail", pk=household.pk)
    ctx = {"form": form, "consent_text": _consent_text()}
    return render(request, "newcomers/household_create.html", ctx)


def _warn_of_duplicates(request: HttpRequest, household: Household) -> None:
    """After a save: name up to five other households with the same e-mail or phone (a warning, not a refusal)."""
    duplicates = list(household.duplicate_candidates()[:5])
    if duplicates:
        messages.warning(
            request,
            _("Possible duplicate: %(list)s have the same e-mail or phone.")
            % {"list": ", ".join(f"{d.label} (#{d.pk})" for d in duplicates)},
        )


def _consent_text() -> str:
    from blilyst.web.privacy.models import CONSENT_TEXTS

    return str(CONSENT_TEXTS[ConsentPurpose.FOLLOW_UP])


@require_GET
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household, writable = get_household_for_user(request, pk)
    log_access(request.user, household, Action.VIEW)
    today = timezone.localdate()
    adults = list(household.adults.all())
    duplicates = likely_duplicates(
        household.municipality_id, [a.email for a in adults], [a.phone_digits for a in adults]
    ).exclude(pk=household.pk)
    consents = household.consents.all()
    ctx = {
        "household": household,
        "writable": writable,
        "adults": adults,
        "children": household.children.all(),
        "status_changes": household.status_changes.select_related("by"),
        "tasks": household.tasks.select_related("assigned_to").order_by("done_at", "due", "id"),
        "contact_log": household.contact_log.select_related("by")[:50],
        "follow_ups": household.follow_ups.all(),
        "consents": consents,
        "duplicates": duplicates[:5],
        "today": today,
        "may_view_log": can(request.user, Capability.VIEW_ACCESS_LOG, household.municipality_id),
    }
    if writable:
        # Purposes without an active consent, each with the exact text the household is asked to agree to.
        given = {c.purpose for c in consents if c.active}
        ctx["consent_purposes"] = [
            (purpose.value, purpose.label, CONSENT_TEXTS[purpose]) for purpose in ConsentPurpose if purpose not in given
        ]
    return render(request, "newcomers/household_detail.html", ctx)


def _save_over_version(request: AuthedRequest, household: Household, form, formsets, detail: str) -> None:
    """Inside a transaction: save a household page's form and formsets over the version the form was opened at
    (VersionConflict, nothing saved, when someone saved since), count the version up and log the change."""
    household.lock_version(form.cleaned_data["version"])
    form.instance.version = form.cleaned_data["version"] + 1
    form.instance.last_activity = timezone.now()
    form.save()
    for formset in formsets:
        formset.save()
    log_access(request.user, household, Action.CHANGE, detail=detail)


@require_http_methods(["GET", "POST"])
def household_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    staff = staff_for(household.municipality_id)
    data: QueryDict | None = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, instance=household, staff=staff, initial={"version": household.version})
    adults = AdultFormSet(data, instance=household, prefix="adults")
    children = ChildFormSet(data, instance=household, prefix="children")
    if request.method == "POST" and form.is_valid() and adults.is_valid() and children.is_valid():
        try:
            with transaction.atomic():
                _save_over_version(request, household, form, [adults, children], "household")
        except VersionConflict as exc:
            # Keep what the user typed (now based on the stored version) and show where it differs.
            current = _current_or_404(request, pk)
            data = rebind_to_current(request.POST, exc.current_version)
            ctx = {
                "household": current,
                "form": HouseholdForm(data, instance=current, staff=staff),
                "adults": AdultFormSet(data, instance=current, prefix="adults"),
                "children": ChildFormSet(data, instance=current, prefix="children"),
                **conflict_context(form, current),
            }
            return render(request, "newcomers/household_edit.html", ctx, status=409)
        _warn_of_duplicates(request, household)
        messages.success(request, _("The household is saved."))
        return redirect("household_detail", pk=household.pk)
    ctx = {"household": household, "form": form, "adults": adults, "children": children}
    return render(request, "newcomers/household_edit.html", ctx)


@require_http_methods(["GET", "POST"])
def household_needs(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    form = NeedsForm(request.POST or None, instance=household, initial={"version": household.version})
    children = ChildFormSet(request.POST or None, instance=household, prefix="children")
    if request.method == "POST" and form.is_valid() and children.is_valid():
        try:
            with transaction.atomic():
                _save_over_version(request, household, form, [children], "needs")
        except VersionConflict as exc:
            current = _current_or_404(request, pk)
            data = rebind_to_current(request.POST, exc.current_version)
            ctx = {
                "household": current,
                "form": NeedsForm(data, instance=current),
                "children": ChildFormSet(data, instance=current, prefix="children"),
                **conflict_context(form, current),
            }
            return render(request, "newcomers/household_needs.html", ctx, status=409)
        messages.success(request, _("The needs are saved."))
        return redirect("household_detail", pk=household.pk)
    return render(
        request, "newcomers/household_needs.html", {"household": household, "form": form, "children": children}
    )


@require_http_methods(["GET", "POST"])
def household_status(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    form = StatusForm(
        request.POST or None, household=household, initial={"version": household.version, "on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                household.lock_version(d["version"])
                household.change_status(
                    d["status"],
                    on=d["on"],
                    by=request.user,
                    note=d["note"],
                    reason=d["reason"],
                    reason_note=d["reason_note"],
                )
                log_access(request.user, household, Action.CHANGE, detail=f"status {d['status']}")
        except VersionConflict as exc:
            current = _current_or_404(request, pk)
            ctx = {
                "household": current,
                "form": StatusForm(rebind_to_current(request.POST, exc.current_version), household=current),
                **conflict_context(form, current),
            }
            return render(request, "newcomers/household_status.html", ctx, status=409)
        messages.success(request, _("The status is now “%(status)s”.") % {"status": household.get_status_display()})
        return redirect("household_detail", pk=household.pk)
    return render(request, "newcomers/household_status.html", {"household": household, "form": form})


@require_http_methods(["GET", "POST"])
def task_add(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    staff = staff_for(household.municipality_id)
    form = TaskForm(request.POST or None, staff=staff, initial={"assigned_to": request.user.pk})
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.household = household
        task.created_by = request.user
        task.save()
        household.touch()
        log_access(request.user, household, Action.CHANGE, detail="task")
        messages.success(request, _("The next step is added."))
        return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "newcomers/form_page.html",
        {"household": household, "form": form, "title": _("Add next step")},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def task_done(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    task = household.tasks.filter(pk=task_pk).first()
    if task is None:
        raise Http404("Not found")
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        household.touch()
        log_access(request.user, household, Action.CHANGE, detail="task done")
    messages.success(request, _("Marked as done: %(task)s") % {"task": task.title})
    if request.POST.get("next") == "tasks":
        return redirect("my_tasks")
    return redirect("household_detail", pk=household.pk)


@require_http_methods(["GET", "POST"])
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    form = ContactLogForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.household = household
        entry.by = request.user
        entry.save()
        household.touch()
        log_access(request.user, household, Action.CHANGE, detail="contact log")
        messages.success(request, _("The contact is logged."))
        return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "newcomers/form_page.html",
        {"household": household, "form": form, "title": _("Log a contact")},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a follow-up conversation; completes the open follow-up task of the same number of months."""
    household = get_rw_household_for_user(request, pk)
    if household.moved_in_on is None:
        messages.error(request, _("Record moving in first."))
        return redirect("household_detail", pk=household.pk)
    open_follow_up = household.tasks.open().filter(follow_up_months__isnull=False).order_by("due", "id").first()
    initial = {"on": timezone.localdate(), "months": open_follow_up.follow_up_months if open_follow_up else None}
    form = FollowUpForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            follow_up = form.save(commit=False)
            follow_up.household = household
            follow_up.by = request.user
            follow_up.save()
            household.tasks.open().filter(follow_up_months=follow_up.months).update(done_at=timezone.now())
            household.touch()
            log_access(request.user, household, Action.CHANGE, detail="follow-up")
        messages.success(request, _("The follow-up is recorded."))
        return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "newcomers/form_page.html",
        {"household": household, "form": form, "title": _("Record a follow-up")},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@require_capability(READ)
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """What is due and overdue: the user's own tasks and unassigned ones in their municipalities."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=14)
    tasks = for_user(request, Task.objects.open(), READ, field="household__municipality")
    tasks = tasks.filter(Q(assigned_to=request.user) | Q(assigned_to__isnull=True), due__lte=horizon)
    tasks = list(tasks.select_related("household", "assigned_to").order_by("due", "id")[:500])
    ctx = {
        "overdue": [t for t in tasks if t.due < today],
        "due": [t for t in tasks if t.due >= today],
        "today": today,
        "horizon": horizon,
    }
    return render(request, "newcomers/my_tasks.html", ctx)


__all__ = ["get_household_for_user", "get_rw_household_for_user", "likely_duplicates"]
