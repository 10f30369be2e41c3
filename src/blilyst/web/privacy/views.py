"""Privacy pages: consent and its withdrawal, export (DSAR), erasure, and the access log.

Households are fetched through the newcomer service's accessors (404 outside the user's
municipalities); the access log through the tenancy helpers with ``VIEW_ACCESS_LOG``
(administrators of the municipality).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blilyst.web.accounts.roles import Capability
from blilyst.web.lib.tenancy import for_user, municipalities_for, require_capability
from blilyst.web.newcomers.views import get_rw_household_for_user
from blilyst.web.privacy.models import AccessLogEntry, Action, ConsentPurpose, LoggedRecord
from blilyst.web.privacy.rules import (
    ConsentAlreadyGiven,
    erase_household,
    export_household,
    log_access,
    record_consent,
    withdraw_consent,
)


@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    purpose = request.POST.get("purpose", "")
    if purpose not in ConsentPurpose.values:
        messages.error(request, _("Choose what the consent is for."))
        return redirect("household_detail", pk=household.pk)
    try:
        record_consent(household, purpose, by=request.user)
    except ConsentAlreadyGiven:
        messages.error(request, _("This consent is already recorded and has not been withdrawn; nothing was added."))
        return redirect("household_detail", pk=household.pk)
    log_access(request.user, household, Action.CHANGE, detail=f"consent {purpose}")
    messages.success(request, _("The consent is recorded with the text that was shown."))
    return redirect("household_detail", pk=household.pk)


@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    household = get_rw_household_for_user(request, pk)
    consent = household.consents.filter(pk=consent_pk).first()
    if consent is None:
        raise Http404("Not found")
    withdraw_consent(consent)
    log_access(request.user, household, Action.CHANGE, detail=f"consent {consent.purpose} withdrawn")
    if not household.consents.filter(withdrawn_at__isnull=True).exists():
        messages.warning(
            request,
            _(
                "The consent is withdrawn. No consent is left: the household's personal data "
                "will be deleted at the next retention run, or erase them now."
            ),
        )
    else:
        messages.success(request, _("The consent is withdrawn."))
    return redirect("household_detail", pk=household.pk)


@require_GET
def household_export_readable(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The data export for a person to read, in the household's language: an HTML page or a PDF."""
    from blilyst.web.privacy import readable

    if fmt not in ("html", "pdf"):
        raise Http404("Not found")
    household = get_rw_household_for_user(request, pk)
    log_access(request.user, household, Action.EXPORT, detail=fmt)
    data = export_household(household)

    def make():
        title = _("What the newcomer service holds about %(household)s") % {"household": household.label}
        intro = _(
            "Everything %(municipality)s's newcomer service has stored about your household on %(day)s, "
            "and who has handled it. Ask your contact person if anything is wrong or should be deleted."
        ) % {"municipality": household.municipality.name, "day": timezone.localdate().isoformat()}
        parts = readable.sections(data)
        if fmt == "pdf":
            return readable.pdf(title, intro, parts)
        return render(request, "privacy/export.html", {"title": title, "intro": intro, "sections": parts}).content

    body, language = readable.in_language(household, make)
    if fmt == "pdf":
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.pdf"'
    else:
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def household_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the household, as a JSON file (a data subject access request)."""
    household = get_rw_household_for_user(request, pk)
    log_access(request.user, household, Action.EXPORT)
    body = json.dumps(export_household(household), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def household_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete the household for real, after a confirmation; only anonymous counts remain."""
    household = get_rw_household_for_user(request, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != str(household.pk):
            messages.error(request, _("Type the household number to confirm the erasure."))
        else:
            label = household.label
            erase_household(household, by=request.user, cause="erasure")
            messages.success(request, _("%(label)s is erased. Only anonymous counts are kept.") % {"label": label})
            return redirect("household_list")
    return render(request, "privacy/household_erase.html", {"household": household})


@require_GET
@require_capability(Capability.VIEW_ACCESS_LOG)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed, changed, exported or deleted which household or welcome-list row (administrators of the
    municipality)."""
    entries = for_user(request, AccessLogEntry.objects.all(), Capability.VIEW_ACCESS_LOG)
    household = request.GET.get("household", "").strip()
    if household.isdigit():
        entries = entries.filter(household_id=int(household), record=LoggedRecord.HOUSEHOLD)
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries.order_by("-at", "-id"), 100).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "household": household,
        "action": action,
        "actions": Action.choices,
        "municipalities": municipalities_for(request.user, Capability.VIEW_ACCESS_LOG),
    }
    return render(request, "privacy/access_log.html", ctx)
