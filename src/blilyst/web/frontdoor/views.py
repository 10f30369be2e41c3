"""The public front door (no login) and its settings page (the municipality's administrators).

The public reaches a municipality's data only through ``get_published_front_door`` (tenancy.py):
an unknown and an unpublished municipality are the same 404. The page is shown in the language of
its address (bokmål, nynorsk, English, Polish, Ukrainian), whatever the staff language cookie says.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from blilyst.web.accounts.roles import Capability
from blilyst.web.frontdoor.abuse import (
    HONEYPOT_FIELD,
    MAX_ADULTS,
    MAX_CHILDREN,
    allow_attempt,
    body_too_large,
    is_robot,
)
from blilyst.web.frontdoor.forms import AdultFormSet, ChildFormSet, InterestForm
from blilyst.web.frontdoor.intake import create_inquiry
from blilyst.web.frontdoor.models import FrontDoor
from blilyst.web.frontdoor.offer import CACHE_SECONDS, cache_key, offer_for
from blilyst.web.lib.formfields import field_of
from blilyst.web.lib.tenancy import get_published_front_door, require_municipality
from blilyst.web.lib.versioning import VersionConflict, VersionedFormMixin, conflict_context, rebind_to_current
from blilyst.web.newcomers.views import staff_for
from blilyst.web.privacy.models import CONSENT_TEXTS, ConsentPurpose

#: The languages of the public pages, each named in itself.
PUBLIC_LANGUAGES = (
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
    ("pl", "Polski"),
    ("uk", "Українська"),
)
PUBLIC_LANGUAGE_CODES = {code for code, _name in PUBLIC_LANGUAGES}
HOUSING_KIND_LABELS = {
    "rental": gettext_lazy("homes to rent"),
    "for_sale": gettext_lazy("homes for sale"),
    "trial_housing": gettext_lazy("trial housing (rent for up to three years)"),
    "small_farm": gettext_lazy("small farms"),
    "plot": gettext_lazy("building plots"),
}


def _public_language(lang: str) -> str:
    if lang not in PUBLIC_LANGUAGE_CODES:
        raise Http404("Not found")
    return lang


def _render_public(request: HttpRequest, template: str, context: dict, lang: str, status: int = 200) -> HttpResponse:
    response = render(request, template, {**context, "public_languages": PUBLIC_LANGUAGES}, status=status)
    response.headers["Content-Language"] = lang
    return response


#: Stands for the visitor's CSRF token in a cached page (random per process, never sent to anyone).
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


@login_not_required
@require_http_methods(["GET", "POST"])
def public_page(request: HttpRequest, code: str, lang: str | None = None) -> HttpResponse:
    front_door = get_published_front_door(code)
    # Without a language in the address the page is in the municipality's written standard.
    lang = _public_language(lang or front_door.municipality.default_language)
    if request.method == "GET":
        return _cached_public_page(request, front_door, lang)
    with translation.override(lang):
        form = InterestForm()
        adults = AdultFormSet(prefix="adult")
        children = ChildFormSet(prefix="child")
        if request.method == "POST":
            if not allow_attempt(request):
                return _render_public(request, "frontdoor/limited.html", {"front_door": front_door}, lang, 429)
            if body_too_large(request):
                return _render_public(request, "frontdoor/too_large.html", {"front_door": front_door}, lang, 413)
            thanks = redirect("frontdoor:front_door_thanks", code=front_door.municipality_id, lang=lang)
            if is_robot(request.POST):
                return thanks  # the same answer a person gets; nothing is stored
            form = InterestForm(request.POST)
            adults = AdultFormSet(request.POST, prefix="adult")
            children = ChildFormSet(request.POST, prefix="child")
            if form.is_valid() and adults.is_valid() and children.is_valid():
                create_inquiry(
                    front_door,
                    form.cleaned_data,
                    [a for a in adults.cleaned_data if a],
                    [c for c in children.cleaned_data if c],
                    lang,
                )
                return thanks
        context = _public_context(front_door, lang, form, adults, children)
        return _render_public(request, "frontdoor/public.html", context, lang, 400)


def _public_context(front_door, lang: str, form, adults, children) -> dict:
    offer = offer_for(front_door)
    return {
        "front_door": front_door,
        "offer": offer,
        "housing_rows": [(HOUSING_KIND_LABELS.get(kind, kind), count) for kind, count in offer.housing],
        "form": form,
        "adults": adults,
        "children": children,
        "consent_text": str(CONSENT_TEXTS[ConsentPurpose.FOLLOW_UP]),
        "honeypot": HONEYPOT_FIELD,
        "max_adults": MAX_ADULTS,
        "max_children": MAX_CHILDREN,
        "lang": lang,
    }


def _cached_public_page(request: HttpRequest, front_door, lang: str) -> HttpResponse:
    """The empty form is the same for every visitor but for the CSRF token: the page is rendered once per
    municipality, language and ``offer.CACHE_SECONDS`` in each process (a register change starts a new
    generation at once, see ``offer.generation``) with a placeholder, and each visitor gets their own token
    put in (``get_token`` also sets the CSRF cookie)."""
    key = cache_key("page", front_door, lang)
    html = cache.get(key)
    if html is None:
        with translation.override(lang):
            context = _public_context(
                front_door, lang, InterestForm(), AdultFormSet(prefix="adult"), ChildFormSet(prefix="child")
            )
            context["csrf_token"] = CSRF_PLACEHOLDER
            html = render_to_string(
                "frontdoor/public.html", {**context, "public_languages": PUBLIC_LANGUAGES}, request=request
            )
        cache.set(key, html, CACHE_SECONDS)
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    response.headers["Content-Language"] = lang
    return response


@login_not_required
@require_GET
def thanks(request: HttpRequest, code: str, lang: str = "nb") -> HttpResponse:
    lang = _public_language(lang)
    front_door = get_published_front_door(code)
    with translation.override(lang):
        return _render_public(request, "frontdoor/thanks.html", {"front_door": front_door, "lang": lang}, lang)


class FrontDoorForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FrontDoor
        fields = ["published", "contact_person", "show_housing", "show_kindergarten", "show_jobs"]

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "contact_person", forms.ModelChoiceField).queryset = staff

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("published") and not data.get("contact_person"):
            self.add_error(
                "contact_person",
                _("Choose the contact person who answers the inquiries before publishing the front door."),
            )
        return data


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, code: str) -> HttpResponse:
    municipality = require_municipality(request, code, Capability.MANAGE_USERS)
    front_door, _created = FrontDoor.objects.get_or_create(municipality=municipality)
    form = FrontDoorForm(request.POST or None, instance=front_door, staff=staff_for(code))
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except VersionConflict as exc:
            # Another administrator saved first: keep what this one chose, next to what is stored now.
            front_door = FrontDoor.objects.get(municipality=municipality)
            extra = conflict_context(form, front_door)
            form = FrontDoorForm(
                rebind_to_current(request.POST, exc.current_version), instance=front_door, staff=staff_for(code)
            )
        else:
            messages.success(request, _("The front door's settings are saved."))
            return redirect("frontdoor:manage", code=code)
    public_url = request.build_absolute_uri(reverse("frontdoor:front_door", kwargs={"code": code}))
    return render(
        request,
        "frontdoor/manage.html",
        {
            "municipality": municipality,
            "form": form,
            "front_door": front_door,
            "public_url": public_url,
            "public_languages": PUBLIC_LANGUAGES,
            **extra,
        },
        status=409 if extra else 200,
    )
