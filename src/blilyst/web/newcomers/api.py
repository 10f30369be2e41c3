"""Households in the JSON API: list, detail, create and update, with the pages' tenancy and roles.

Another municipality's household answers 404; a read-only member's change 403; a change made
from a stale ``version`` 409 (nothing is overwritten). Reads and changes go to the access log.
"""

import datetime as dt

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from blilyst.web.accounts.roles import Capability
from blilyst.web.api.pagination import BoundedLimitOffset
from blilyst.web.api.schema import JsonInput, form_data
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import can, for_user, get_for_user, get_rw_for_user, municipalities_for
from blilyst.web.newcomers.forms import (
    NO_CONSENT,
    NO_CONTACT,
    AdultForm,
    ChildForm,
    HouseholdForm,
    NeedsForm,
    reachable,
)
from blilyst.web.newcomers.models import (
    Adult,
    Child,
    FeelsIncluded,
    HeardAbout,
    Household,
    Language,
    Status,
    TargetGroup,
    Tenure,
    VersionConflict,
)
from blilyst.web.privacy.models import Action, ConsentPurpose
from blilyst.web.privacy.rules import log_access, record_consent

READ, WRITE = Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS
router = Router(tags=["households"])


class AdultSchema(JsonInput):
    name: str = Field(..., min_length=1, max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    language: Language = Language.BOKMAL
    occupation: str = Field("", max_length=120)
    job_wishes: str = Field("", max_length=300)
    remote_work: bool = False


class ChildSchema(JsonInput):
    first_name: str = Field("", max_length=60)
    birth_year: int = Field(..., ge=1990, le=2100)
    kindergarten_from: dt.date | None = None
    needs_school: bool = False


class NeedsSchema(JsonInput):
    housing_tenure: Tenure = Tenure.NONE
    housing_bedrooms: int | None = Field(default=None, ge=0, le=10)
    housing_from: dt.date | None = None
    housing_note: str = Field(default="", max_length=300)
    school_note: str = Field(default="", max_length=300)
    leisure_interests: str = Field(default="", max_length=300)
    wants_host: bool = False
    wants_welcome_event: bool = False


class FollowUpOut(Schema):
    """A recorded follow-up conversation (read-only here; recorded on the household page)."""

    on: dt.date
    months: int
    feels_included: FeelsIncluded
    job_satisfaction: int | None
    housing_satisfaction: int | None
    school_satisfaction: int | None
    social_satisfaction: int | None
    considering_moving_away: bool
    note: str


class HouseholdSummary(Schema):
    id: int
    municipality: str = Field(..., alias="municipality_id")
    label: str
    status: Status
    status_since: dt.date
    target_group: TargetGroup
    version: int
    last_activity: dt.datetime


class HouseholdOut(HouseholdSummary):
    origin_place: str
    origin_country: str
    heard_about: str
    heard_about_note: str
    notes: str
    moved_in_on: dt.date | None
    moved_out_on: dt.date | None
    move_out_reason: str
    needs: NeedsSchema
    adults: list[AdultSchema]
    children: list[ChildSchema]
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj):
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_needs(obj):
        return {name: getattr(obj, name) for name in NeedsSchema.model_fields}

    @staticmethod
    def resolve_adults(obj):
        return list(obj.adults.all())

    @staticmethod
    def resolve_children(obj):
        return list(obj.children.all())


class HouseholdIn(JsonInput):
    municipality: str = Field(..., min_length=4, max_length=4)
    label: str = Field(..., min_length=1, max_length=120)
    target_group: TargetGroup = TargetGroup.OTHER
    origin_place: str = Field("", max_length=120)
    origin_country: str = Field("", max_length=80)
    heard_about: HeardAbout | None = None
    heard_about_note: str = Field("", max_length=200)
    notes: str = ""
    needs: NeedsSchema = NeedsSchema()
    adults: list[AdultSchema] = Field(..., min_length=1, max_length=8)
    children: list[ChildSchema] = Field([], max_length=12)
    consent_follow_up: bool = Field(..., description="The household agreed to the follow-up consent text.")


class HouseholdPatch(JsonInput):
    version: int = Field(..., ge=1, description="The version you read; a newer one on the server gives 409.")
    label: str | None = Field(None, min_length=1, max_length=120)
    target_group: TargetGroup | None = None
    origin_place: str | None = Field(None, max_length=120)
    origin_country: str | None = Field(None, max_length=80)
    notes: str | None = None
    needs: NeedsSchema | None = None
    adults: list[AdultSchema] | None = Field(None, min_length=1, max_length=8)
    children: list[ChildSchema] | None = Field(None, max_length=12)


class Errors(Schema):
    errors: dict[str, list[str]]


class FormErrors(Exception):
    """A part of the payload that the page's form refuses; ``errors`` as the API answers them (422)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid payload")
        self.errors = errors


def _clean(form, prefix: str, errors: dict[str, list[str]]) -> dict:
    """The form's cleaned data; its messages go into ``errors`` under ``prefix.field``."""
    if form.is_valid():
        return form.cleaned_data
    for name, messages in form.errors.items():
        key = prefix if name == "__all__" else f"{prefix}.{name}" if prefix else name
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return {}


def validated(household_fields: dict | None, needs, adults, children) -> dict:
    """Every part of an API payload checked by the same form as on the pages (an e-mail that is no e-mail, a
    phone number without digits, a child's birth year out of range, housing without a date are refused the
    same way). Returns the cleaned values per part; raises FormErrors with every message at once."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    if household_fields is not None:
        form = HouseholdForm(form_data({**household_fields, "version": 1}), instance=Household())
        cleaned["household"] = {k: v for k, v in _clean(form, "", errors).items() if k in household_fields}
    if needs is not None:
        needs_form = NeedsForm(form_data({**needs.dict(), "version": 1}), instance=Household())
        cleaned["needs"] = {
            k: v for k, v in _clean(needs_form, "needs", errors).items() if k in NeedsSchema.model_fields
        }
    if adults is not None:
        cleaned["adults"] = [
            _clean(AdultForm(form_data(a.dict()), instance=Adult()), f"adults.{i}", errors)
            for i, a in enumerate(adults)
        ]
    if children is not None:
        cleaned["children"] = [
            _clean(ChildForm(form_data(c.dict()), instance=Child()), f"children.{i}", errors)
            for i, c in enumerate(children)
        ]
    if errors:
        raise FormErrors(errors)
    return cleaned


def _replace_people(household: Household, adults: list[dict] | None, children: list[dict] | None) -> None:
    if adults is not None:
        household.adults.all().delete()
        for a in adults:
            Adult(household=household, **a).save()
    if children is not None:
        household.children.all().delete()
        for c in children:
            Child(household=household, **c).save()


def _households(request: AuthedRequest, status: Status | None, q: str = ""):
    if not request.user.can_anywhere(READ):
        raise HttpError(403, "Your role does not give access to households (personal data).")
    households = for_user(request, Household.objects.all(), READ)
    if status:
        households = households.filter(status=status)
    return households.search(q[:100]).order_by("-last_activity", "-id")


@router.get("", response=list[HouseholdSummary])
@paginate(BoundedLimitOffset)
def list_households(request: AuthedRequest, status: Status | None = None):
    """The user's households, newest activity first. To search, use ``POST …/search`` (no names in URLs)."""
    return _households(request, status)


class SearchIn(JsonInput):
    q: str = Field(..., max_length=100, description="Name, e-mail, phone or household number.")
    status: Status | None = None


@router.post("/search", response=list[HouseholdSummary])
@paginate(BoundedLimitOffset)
def search_households(request: AuthedRequest, payload: SearchIn):
    """Search in the body, not the address: a search term is personal data and must stay out of access logs."""
    return _households(request, payload.status, payload.q)


@router.get("/{int:pk}", response=HouseholdOut)
def get_household(request: AuthedRequest, pk: int):
    household, _writable = get_for_user(
        request, Household.objects.select_related("municipality"), pk=pk, read=READ, write=WRITE
    )
    log_access(request.user, household, Action.VIEW, via="api")
    return household


HOUSEHOLD_FIELDS = (
    "label",
    "target_group",
    "origin_place",
    "origin_country",
    "heard_about",
    "heard_about_note",
    "notes",
)


@router.post("", response={201: HouseholdOut, 422: Errors})
def create_household(request: AuthedRequest, payload: HouseholdIn):
    if not can(request.user, WRITE, payload.municipality):
        # Not one of the user's municipalities (or read-only there): as if it did not exist.
        get_object_or_404(municipalities_for(request.user, WRITE), code=payload.municipality)
    if not payload.consent_follow_up:
        return 422, {"errors": {"consent_follow_up": [str(NO_CONSENT)]}}
    fields = {name: getattr(payload, name) for name in HOUSEHOLD_FIELDS}
    fields["heard_about"] = fields["heard_about"] or ""
    try:
        clean = validated(fields, payload.needs, payload.adults, payload.children)
    except FormErrors as exc:
        return 422, {"errors": exc.errors}
    if not reachable(clean["adults"]):  # as the inquiry form: a new household must be reachable
        return 422, {"errors": {"adults": [str(NO_CONTACT)]}}
    with transaction.atomic():
        household = Household(
            municipality_id=payload.municipality,
            contact_person=request.user,
            **clean["household"],
            **clean["needs"],
        )
        household.save()
        _replace_people(household, clean["adults"], clean["children"])
        record_consent(household, ConsentPurpose.FOLLOW_UP, by=request.user)
        log_access(request.user, household, Action.CREATE, via="api")
    return 201, household


@router.patch("/{int:pk}", response={200: HouseholdOut, 409: dict, 422: Errors})
def update_household(request: AuthedRequest, pk: int, payload: HouseholdPatch):
    household = get_rw_for_user(
        request, Household.objects.select_related("municipality"), pk=pk, read=READ, write=WRITE
    )
    data = payload.dict(exclude_unset=True)
    # The household's fields as they will be after the change, checked as a whole like the edit page does.
    fields = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    fields.update({k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS and v is not None})
    try:
        clean = validated(fields, payload.needs, payload.adults, payload.children)
    except FormErrors as exc:
        return 422, {"errors": exc.errors}
    try:
        with transaction.atomic():
            household.lock_version(payload.version)
            for name, value in clean["household"].items():
                setattr(household, name, value)
            for name, value in clean.get("needs", {}).items():
                setattr(household, name, value)
            household.save_checked(payload.version)
            _replace_people(household, clean.get("adults"), clean.get("children"))
            log_access(request.user, household, Action.CHANGE, via="api")
    except VersionConflict as exc:
        return 409, {
            "detail": "The household was changed by someone else since you read it; read it again.",
            "current_version": exc.current_version,
        }
    return 200, household
