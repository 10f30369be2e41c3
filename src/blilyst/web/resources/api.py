"""Resources in the JSON API: housing, jobs, kindergarten places, hosts and events, the matching gaps,
and a household's matches, with the pages' tenancy, roles and validation.

Each kind has ``GET /api/resources/{kind}`` (list, ``?status=``), ``GET …/{kind}/{id}``,
``POST …/{kind}`` (create, 201), ``PATCH …/{kind}/{id}`` and ``DELETE …/{kind}/{id}``, where kind
is ``housing``, ``jobs``, ``kindergartens``, ``hosts`` or ``events``. A payload is checked by the
same form as the page (so trial housing over 36 months is refused the same way) and answers 422
with ``{"errors": {field: [messages]}}``. Another municipality's object answers 404, a read-only
member's change 403. Housing owners and hosts are personal data: users who may not see personal
data (analysts, administrators) get the owner fields empty and no hosts at all.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.orm import create_schema
from ninja.pagination import paginate

from blilyst.web.accounts.roles import Capability
from blilyst.web.api.pagination import BoundedLimitOffset
from blilyst.web.api.schema import JsonInput, form_data
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import can, for_user, get_for_user, get_rw_for_user, municipalities_for
from blilyst.web.lib.versioning import VersionConflict
from blilyst.web.resources import explain, matchinputs
from blilyst.web.resources.models import MatchingGap
from blilyst.web.resources.views import KINDS, Kind, registers_changed, run_matching

_View = TypeVar("_View", bound=Callable[..., Any])
EDIT = Capability.EDIT_RESOURCES
PERSONAL = Capability.VIEW_HOUSEHOLDS
router = Router(tags=["resources"])


def _fields(kind: Kind) -> list[str]:
    return [name for name in kind.form._meta.fields or () if name != "municipality"]


def _schemas(kind: Kind) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """The output, create and change schemas of ``kind``, made from its model and its form's fields."""
    name = kind.model.__name__
    out = create_schema(kind.model, name=f"{name}Out", fields=["id", "municipality", "version", *_fields(kind)])
    body = create_schema(kind.model, name=f"{name}Fields", fields=_fields(kind), base_class=JsonInput)
    create = type(
        f"{name}In",
        (body,),
        {"__annotations__": {"municipality": str}, "municipality": Field(..., min_length=4, max_length=4)},
    )
    patch_fields = create_schema(
        kind.model,
        name=f"{name}PatchFields",
        fields=_fields(kind),
        optional_fields=_fields(kind),
        base_class=JsonInput,
    )
    patch = type(
        f"{name}Patch",
        (patch_fields,),
        {
            "__annotations__": {"version": int},
            "version": Field(..., ge=1, description="The version you read; a newer one on the server gives 409."),
        },
    )
    return out, create, patch


SCHEMAS = {slug: _schemas(kind) for slug, kind in KINDS.items()}


class Errors(Schema):
    errors: dict[str, list[str]]


class Conflict(Schema):
    detail: str
    current_version: int


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise HttpError(404, "Not found")
    return kind


def _out(request: AuthedRequest, kind: Kind, obj) -> dict:
    data = {"id": obj.pk, "municipality_id": obj.municipality_id, "version": obj.version}
    hide = bool(kind.personal) and not can(request.user, PERSONAL, obj.municipality_id)
    for name in _fields(kind):
        value = getattr(obj, name)
        data[name] = "" if hide and name in obj.PERSONAL_DATA_FIELDS else value
    return data


class _Page:
    """The queryset as the paginator sees it: counted in the database, and only the page's slice
    read and turned into dicts (with personal data hidden where the user may not see it)."""

    def __init__(self, request: AuthedRequest, kind: Kind, rows):
        self.request, self.kind, self.rows = request, kind, rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [_out(self.request, self.kind, obj) for obj in self.rows.order_by("pk")[window]]


def _save(request: AuthedRequest, kind: Kind, data: dict, instance=None):
    """Validate and save through the page's form; raises VersionConflict when ``data["version"]`` is outdated."""
    form = kind.form(form_data(data), instance=instance, user=request.user)
    if not form.is_valid():
        return None, {"errors": {name: [str(m) for m in messages] for name, messages in form.errors.items()}}
    return form.save(), None


def _payload(schema: type[Schema]) -> Callable[[_View], _View]:
    """Decorator: the view's ``payload`` is a ``schema`` (built per kind at import, so the signature cannot name
    it). Sets the annotation django-ninja reads the request body's schema from; goes under the router's."""

    def annotate(view: _View) -> _View:
        view.__annotations__["payload"] = schema
        return view

    return annotate


def _register(slug: str) -> None:
    kind = KINDS[slug]
    out_schema, in_schema, patch_schema = SCHEMAS[slug]

    @router.get(
        f"/{slug}",
        response=list[out_schema],  # type: ignore[valid-type]  # the schema built for this kind, a value
        operation_id=f"list_{slug}",
        summary=f"List {slug}",
    )
    @paginate(BoundedLimitOffset)
    def list_kind(request: AuthedRequest, status: str = ""):
        if not request.user.can_anywhere(kind.read):
            raise HttpError(404, "Not found")
        rows = for_user(request, kind.model._default_manager.all(), kind.read)
        if status and kind.status_field:
            rows = rows.filter(**{kind.status_field: status})
        return _Page(request, kind, rows)

    @router.get(f"/{slug}/{{int:pk}}", response=out_schema, operation_id=f"get_{slug}", summary=f"One of {slug}")
    def get_one(request: AuthedRequest, pk: int):
        obj, _writable = get_for_user(request, kind.model._default_manager.all(), pk=pk, read=kind.read, write=EDIT)
        return _out(request, kind, obj)

    @router.post(
        f"/{slug}",
        response={201: out_schema, 422: Errors},
        operation_id=f"create_{slug}",
        summary=f"Create one of {slug}",
    )
    @_payload(in_schema)
    def create(request: AuthedRequest, payload: Schema):
        data = payload.dict()
        code = data["municipality"]
        if not can(request.user, EDIT, code):
            if can(request.user, kind.read, code):
                raise HttpError(403, "You may not change resources in this municipality.")
            get_object_or_404(municipalities_for(request.user, EDIT), code=code)  # 404: as if it did not exist
        obj, errors = _save(request, kind, data)
        if errors:
            return 422, errors
        registers_changed(request, obj.municipality_id)
        return 201, _out(request, kind, obj)

    @router.patch(
        f"/{slug}/{{int:pk}}",
        response={200: out_schema, 409: Conflict, 422: Errors},
        operation_id=f"update_{slug}",
        summary=f"Change one of {slug}",
    )
    @_payload(patch_schema)
    def update(request: AuthedRequest, pk: int, payload: Schema):
        obj = get_rw_for_user(request, kind.model._default_manager.all(), pk=pk, read=kind.read, write=EDIT)
        current = {name: getattr(obj, name) for name in _fields(kind)}
        current.update(payload.dict(exclude_unset=True))
        current["municipality"] = obj.municipality_id
        try:
            saved, errors = _save(request, kind, current, instance=obj)
        except VersionConflict as exc:
            return 409, {
                "detail": "It was changed by someone else since you read it; read it again and repeat your change.",
                "current_version": exc.current_version or 0,
            }
        if errors:
            return 422, errors
        registers_changed(request, saved.municipality_id)
        return 200, _out(request, kind, saved)

    @router.delete(
        f"/{slug}/{{int:pk}}", response={204: None}, operation_id=f"delete_{slug}", summary=f"Delete one of {slug}"
    )
    def delete(request: AuthedRequest, pk: int):
        obj = get_rw_for_user(request, kind.model._default_manager.all(), pk=pk, read=kind.read, write=EDIT)
        code = obj.municipality_id
        obj.delete()
        registers_changed(request, code)
        return 204, None


class GapCounts(Schema):
    municipality: str
    counts: dict[str, int]


@router.get(
    "/gaps",
    response=list[GapCounts],
    operation_id="gap_counts",
    summary="Open matching gaps by kind, per municipality (the plan's bottleneck evidence)",
)
def gap_counts(request: AuthedRequest, open_only: bool = True):
    gaps = for_user(request, MatchingGap.objects.all(), Capability.VIEW_RESOURCES)
    return [
        {"municipality": code, "counts": matchinputs.gap_counts(gaps.filter(municipality_id=code), open_only=open_only)}
        for code in request.user.municipality_codes(Capability.VIEW_RESOURCES)
    ]


class PlaceOut(Schema):
    kindergarten: str
    month: dt.date
    age_group: str


class SuggestionOut(Schema):
    score: float
    text: str
    housing_id: int | None
    job_ids: dict[int, int]
    kindergartens: dict[int, PlaceOut]  # by child number (1, 2, ... in the household's order)


class GapOut(Schema):
    kind: str
    code: str
    text: str
    params: dict


class MatchesOut(Schema):
    household_id: int
    suggestions: list[SuggestionOut]
    gaps: list[GapOut]


@router.get(
    "/match/{int:household_id}",
    response=MatchesOut,
    operation_id="household_matches",
    summary="Ranked suggestions and gaps for a household (texts in the request's language); "
    "records the gaps like the page when the user may change the household",
)
def household_matches(request: AuthedRequest, household_id: int):
    from blilyst.web.newcomers.models import Household
    from blilyst.web.privacy.models import Action
    from blilyst.web.privacy.rules import log_access

    household, writable = get_for_user(
        request,
        Household.objects.all(),
        pk=household_id,
        read=Capability.VIEW_HOUSEHOLDS,
        write=Capability.EDIT_HOUSEHOLDS,
    )
    log_access(request.user, household, Action.VIEW, detail="matching", via="api")
    _needs, index, result = run_matching(request, household, record=writable)
    suggestions = []
    for s in result.suggestions:
        suggestions.append(
            {
                "score": s.score,
                "text": explain.describe_suggestion(s, index.today),
                "housing_id": s.housing.id if s.housing else None,
                "job_ids": {p.adult: p.listing.id for p in s.parts if p.kind == "job"},
                "kindergartens": {
                    p.child: {
                        "kindergarten": p.listing.kindergarten,
                        "month": p.listing.month,
                        "age_group": p.listing.age_group,
                    }
                    for p in s.parts
                    if p.kind == "kindergarten"
                },
            }
        )
    gaps = [
        {"kind": g.kind, "code": g.code, "text": explain.describe_gap(g, index.today), "params": g.params}
        for g in result.gaps
    ]
    return {"household_id": household.pk, "suggestions": suggestions, "gaps": gaps}


for _slug in KINDS:
    _register(_slug)
