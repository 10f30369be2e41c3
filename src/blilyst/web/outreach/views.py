"""Messages to a household, the municipality's own texts, and each contact person's calendar feed.

The household comes through the newcomers app's accessors (404 outside the user's municipalities, 403 for
a read-only member who tries to send); the texts through ``for_user``; the calendar feed answers only to
its secret token and shows only its owner's open tasks in municipalities they still serve.
"""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blilyst.web.accounts.models import Municipality
from blilyst.web.accounts.roles import Capability
from blilyst.web.lib import ical
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.formfields import field_of
from blilyst.web.lib.tenancy import (
    can,
    for_user,
    get_rw_for_user,
    municipalities_for,
    require_capability,
    require_municipality,
)
from blilyst.web.newcomers.models import Task
from blilyst.web.outreach.mailing import DEFAULT_TEXT_LANGUAGES, MessageError, make_message, send_to_household
from blilyst.web.outreach.models import (
    MESSAGE_LANGUAGES,
    CalendarFeed,
    MessageTemplate,
    NewResident,
    check_placeholders,
)
from blilyst.web.outreach.texts import DEFAULT_BODIES, DEFAULT_SUBJECTS, PLACEHOLDERS, Purpose
from blilyst.web.privacy.models import Action
from blilyst.web.privacy.rules import log_new_resident_access

WRITE = Capability.EDIT_HOUSEHOLDS


def _templates(request: HttpRequest):
    return for_user(request, MessageTemplate.objects.all(), Capability.VIEW_HOUSEHOLDS)


@transaction.non_atomic_requests  # sending commits its own log with the mail (send_to_household)
@require_http_methods(["GET", "POST"])
def household_message(request: HttpRequest, household_id: int) -> HttpResponse:
    """Write to a household: choose the purpose, see the message as it will be sent, send it."""
    from blilyst.web.newcomers.views import get_household_for_user, get_rw_household_for_user

    if request.method == "POST":
        household = get_rw_household_for_user(request, household_id)
    else:
        household, _writable = get_household_for_user(request, household_id)
    data = request.POST if request.method == "POST" else request.GET
    purpose = data.get("purpose", Purpose.WELCOME)
    if purpose not in Purpose.values:
        purpose = Purpose.WELCOME
    offers = list(household.offers.order_by("-offered_on", "-pk"))
    chosen_offer = next((o for o in offers if str(o.pk) == data.get("offer", "")), offers[0] if offers else None)
    offer_text = chosen_offer.summary if chosen_offer and purpose == Purpose.OFFER else ""
    error = ""
    if request.method == "POST":
        if purpose == Purpose.OFFER and not offer_text:
            error = _("Record an offer on the matches page first; then choose it here.")
        else:
            try:
                send_to_household(household, purpose, _templates(request), by=request.user, offer=offer_text)
            except MessageError as exc:
                error = str(exc)
            except OSError as exc:
                error = _(
                    "The e-mail could not be sent (%(problem)s). Nothing was logged as sent: try again later, "
                    "or ask the administrator to check the mail settings."
                ) % {"problem": exc.__class__.__name__}
            else:
                messages.success(request, _("The e-mail is sent and written to the contact log."))
                return redirect("household_detail", pk=household.pk)
    message = make_message(household, purpose, _templates(request), offer=offer_text)
    context = {
        "household": household,
        "purpose": purpose,
        "purposes": Purpose.choices,
        "offers": offers,
        "chosen_offer": chosen_offer,
        "message": message,
        "language_name": dict(MESSAGE_LANGUAGES).get(message.language, message.language),
        "error": error,
    }
    return render(request, "outreach/household_message.html", context, status=400 if error else 200)


@require_GET
@require_capability(WRITE)
def template_list(request: HttpRequest) -> HttpResponse:
    rows = []
    own = {(t.municipality_id, t.purpose, t.language) for t in for_user(request, MessageTemplate.objects.all(), WRITE)}
    for municipality in municipalities_for(request.user, WRITE):
        for purpose, label in Purpose.choices:
            rows.append(
                {
                    "municipality": municipality,
                    "purpose": purpose,
                    "label": label,
                    "languages": [
                        (code, name, (municipality.code, purpose, code) in own) for code, name in MESSAGE_LANGUAGES
                    ],
                }
            )
    return render(request, "outreach/template_list.html", {"rows": rows, "placeholders": PLACEHOLDERS})


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[check_placeholders])
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 12}), validators=[check_placeholders]
    )


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code: str, purpose: str, language: str) -> HttpResponse:
    municipality = require_municipality(request, code, Capability.VIEW_HOUSEHOLDS)
    if not can(request.user, WRITE, code):
        raise PermissionDenied  # a read-only member knows the municipality; it is the change that is refused
    if purpose not in Purpose.values or language not in dict(MESSAGE_LANGUAGES):
        raise Http404("Not found")
    own = (
        for_user(request, MessageTemplate.objects.filter(municipality_id=code), WRITE)
        .filter(purpose=purpose, language=language)
        .first()
    )
    if request.method == "POST" and request.POST.get("reset"):
        if own is not None:
            own.delete()
        messages.success(request, _("The default text is used again."))
        return redirect("outreach:templates")
    from django.utils import translation

    with translation.override(language if language in DEFAULT_TEXT_LANGUAGES else "en"):
        default = {"subject": str(DEFAULT_SUBJECTS[Purpose(purpose)]), "body": str(DEFAULT_BODIES[Purpose(purpose)])}
    initial = {"subject": own.subject, "body": own.body} if own else default
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # ``require_municipality`` above checked that the user writes for this municipality.
        for_user(request, MessageTemplate.objects.filter(municipality_id=code), WRITE).update_or_create(
            municipality=municipality, purpose=purpose, language=language, defaults=form.cleaned_data
        )
        messages.success(request, _("The text is saved."))
        return redirect("outreach:templates")
    context = {
        "municipality": municipality,
        "purpose_label": Purpose(purpose).label,
        "language_name": dict(MESSAGE_LANGUAGES)[language],
        "form": form,
        "own": own,
        "placeholders": PLACEHOLDERS,
    }
    return render(request, "outreach/template_edit.html", context)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@require_http_methods(["GET", "POST"])
@require_capability(Capability.VIEW_HOUSEHOLDS)
def calendar_settings(request: AuthedRequest) -> HttpResponse:
    """Create (or replace) and revoke the user's secret calendar address; the address is shown once."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(request, _("The calendar address is revoked: calendars that use it get nothing more."))
            return redirect("outreach:calendar")
        token = secrets.token_urlsafe(32)
        CalendarFeed.objects.update_or_create(user=request.user, defaults={"token_hash": _token_hash(token)})
        feed = CalendarFeed.objects.get(user=request.user)
        new_url = request.build_absolute_uri(reverse("outreach:calendar_feed", kwargs={"token": token}))
    return render(request, "outreach/calendar.html", {"feed": feed, "new_url": new_url})


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's open tasks and follow-ups as an iCalendar feed. The events name the household by number
    and link to it; names stay in blilyst (calendars are often synchronised to other services)."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        raise Http404("Not found")
    user = feed.user
    codes = user.municipality_codes(Capability.VIEW_HOUSEHOLDS)
    tasks = Task.objects.open().filter(assigned_to=user, household__municipality_id__in=codes).order_by("due", "pk")
    base = request.build_absolute_uri("/").rstrip("/")
    events = []
    for task in tasks[:2000]:
        if task.follow_up_months:
            summary = ngettext(
                "Follow-up after %(months)d month, household no. %(number)d",
                "Follow-up after %(months)d months, household no. %(number)d",
                task.follow_up_months,
            ) % {
                "months": task.follow_up_months,
                "number": task.household_id,
            }
        else:
            summary = _("Task for household no. %(number)d") % {"number": task.household_id}
        events.append(
            ical.AllDayEvent(
                uid=f"task-{task.pk}@blilyst",
                day=task.due,
                summary=summary,
                url=base + reverse("household_detail", kwargs={"pk": task.household_id}),
            )
        )
    body = ical.calendar(_("blilyst tasks"), events, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- "Bli her": the welcome list of new residents -------------------------------------------------------------


def _get_rw_new_resident(request: HttpRequest, pk: int) -> NewResident:
    return get_rw_for_user(
        request, NewResident.objects.select_related("municipality"), pk=pk, read=Capability.VIEW_HOUSEHOLDS, write=WRITE
    )


class UploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality"), empty_label=None
    )
    file = forms.FileField(label=_("List of new residents (CSV or Excel)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities_for(user, WRITE)


@require_http_methods(["GET", "POST"])
@require_capability(Capability.VIEW_HOUSEHOLDS)
def welcome_list(request: AuthedRequest) -> HttpResponse:
    """Everyone who moved in recently, as the municipality uploaded them: not yet contacted first."""
    from django.core.paginator import Paginator

    from blilyst.errors import ImportFileError
    from blilyst.web.outreach.welcomelist import COLUMNS, import_new_residents

    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    report, file_error = None, ""
    if request.method == "POST":
        if not request.user.can_anywhere(WRITE):
            raise PermissionDenied
        if form.is_valid():
            try:
                report = import_new_residents(
                    form.cleaned_data["file"].read(), form.cleaned_data["municipality"], by=request.user
                )
            except ImportFileError as exc:
                file_error = str(exc)
            else:
                if report.ok:
                    messages.success(
                        request,
                        _("The list is read: %(n)d new, %(m)d already on it.")
                        % {"n": report.created, "m": report.updated},
                    )
                    return redirect("outreach:welcome")
    show = request.GET.get("show", "open")
    residents = for_user(request, NewResident.objects.select_related("municipality"), Capability.VIEW_HOUSEHOLDS)
    if show != "all":
        show = "open"
        residents = residents.filter(contacted_on__isnull=True)
    page = Paginator(residents.order_by("-moved_in_on", "name", "pk"), 50).get_page(request.GET.get("page"))
    log_new_resident_access(request.user, page.object_list, Action.VIEW, detail="welcome list")
    context = {
        "page": page,
        "show": show,
        "form": form,
        "report": report,
        "file_error": file_error,
        "columns": COLUMNS,
        "writable": request.user.can_anywhere(WRITE),
    }
    return render(
        request,
        "outreach/welcome_list.html",
        context,
        status=400 if (file_error or (report and not report.ok)) else 200,
    )


@require_POST
def welcome_contacted(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _get_rw_new_resident(request, pk)
    resident.contacted_on = timezone.localdate()
    resident.contact_note = request.POST.get("note", "").strip()[:300]
    resident.last_activity = timezone.now()
    resident.save(update_fields=["contacted_on", "contact_note", "last_activity"])
    log_new_resident_access(request.user, [resident], Action.CHANGE, detail="contacted")
    messages.success(request, _("Marked as contacted: %(name)s.") % {"name": resident.name})
    return redirect("outreach:welcome")


@require_POST
def welcome_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _get_rw_new_resident(request, pk)
    name = resident.name
    log_new_resident_access(request.user, [resident], Action.DELETE, detail="deleted on request")
    resident.delete()
    messages.success(request, _("Deleted from the welcome list: %(name)s.") % {"name": name})
    return redirect("outreach:welcome")


@require_http_methods(["GET", "POST"])
def welcome_register(request: HttpRequest, pk: int) -> HttpResponse:
    """A new resident who wants the newcomer service's follow-up becomes a household at "inquiry", with the
    consent text shown before it is recorded; the welcome-list row is then deleted (the household holds it)."""
    from blilyst.web.outreach.welcomelist import register_as_inquiry
    from blilyst.web.privacy.models import CONSENT_TEXTS, ConsentPurpose

    resident = _get_rw_new_resident(request, pk)
    if request.method == "GET":
        log_new_resident_access(request.user, [resident], Action.VIEW, detail="registration")
    error = ""
    if request.method == "POST":
        if request.POST.get("consent") != "on":
            error = _("Without the household's consent to follow-up nothing can be registered. Ask them first.")
        else:
            household = register_as_inquiry(resident, request.user)
            messages.success(request, _("Registered as an inquiry with consent to follow-up."))
            return redirect("household_detail", pk=household.pk)
    context = {"resident": resident, "consent_text": CONSENT_TEXTS[ConsentPurpose.FOLLOW_UP], "error": error}
    return render(request, "outreach/welcome_register.html", context, status=400 if error else 200)
