"""Tenancy in one place: which municipality's data a user may see and change.

Every model that belongs to a municipality has a foreign key ``municipality`` to
``accounts.Municipality`` (so ``obj.municipality_id`` is the four-digit code). Views never
query such a model directly; they go through these helpers:

* list views filter on the user's municipalities::

      households = for_user(request, Household.objects.all(), Capability.VIEW_HOUSEHOLDS)

* detail views fetch one object through one accessor per model, built on ``get_for_user``::

      def get_household_for_user(request, pk) -> tuple[Household, bool]:
          return get_for_user(request, Household.objects.all(), pk=pk,
                              read=Capability.VIEW_HOUSEHOLDS, write=Capability.EDIT_HOUSEHOLDS)

      def get_rw_household_for_user(request, pk) -> Household:
          return get_rw_for_user(request, Household.objects.all(), pk=pk,
                                 read=Capability.VIEW_HOUSEHOLDS, write=Capability.EDIT_HOUSEHOLDS)

  A user outside the object's municipality (or without the read capability there) gets
  404, so they never learn that it exists; a member who may read but not write gets 403
  from the ``rw`` twin. Children (needs, log entries) are fetched only through their
  authorised parent (``household.needs.get(pk=...)``).

* views that need a capability somewhere (a create form, the analysis pages) use
  ``@require_capability(Capability.EDIT_HOUSEHOLDS)``, and a form's municipality choices
  come from ``municipalities_for(request.user, capability)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from blilyst.web.accounts.models import Municipality
from blilyst.web.accounts.roles import Capability, Role
from blilyst.web.lib.authed import AuthedRequest

TENANT_FIELD = "municipality"
_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet[Any])  # a custom queryset keeps its own methods (search, open)


def user_municipality_codes(user, capability: Capability | None = None) -> list[str]:
    """Codes of the municipalities ``user`` serves (where they have ``capability``, if given).
    An anonymous user serves none."""
    if not getattr(user, "is_authenticated", False):
        return []
    return user.municipality_codes(capability)


def municipalities_for(user, capability: Capability | None = None) -> QuerySet[Municipality]:
    """The user's municipalities as a queryset (for form choices and navigation)."""
    return Municipality.objects.filter(code__in=user_municipality_codes(user, capability))


def can(user, capability: Capability, municipality_code: str) -> bool:
    """Whether ``user`` may do ``capability`` in the municipality with ``municipality_code``."""
    return bool(getattr(user, "is_authenticated", False)) and user.can(capability, municipality_code)


def for_user(request: HttpRequest, queryset: _QS, capability: Capability, field: str = TENANT_FIELD) -> _QS:
    """``queryset`` narrowed to the municipalities where the user has ``capability``."""
    return for_member(request.user, queryset, capability, field)


def for_member(user, queryset: _QS, capability: Capability, field: str = TENANT_FIELD) -> _QS:
    """:func:`for_user` for work that runs without a request (a background plan export acts for its starter)."""
    codes = user_municipality_codes(user, capability)
    return queryset.filter(**{f"{field}__in": codes})


def get_for_user(
    request: HttpRequest,
    queryset: QuerySet[_M],
    *,
    read: Capability,
    write: Capability,
    field: str = TENANT_FIELD,
    **lookup,
) -> tuple[_M, bool]:
    """The one object matching ``lookup`` that the user may ``read``, and whether they may ``write`` it.

    Raises Http404 when it does not exist *or* belongs to a municipality where the user lacks
    ``read``: both answers look the same from outside.
    """
    try:
        obj = for_user(request, queryset, read, field).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the model's DoesNotExist is one
        raise Http404("Not found") from None
    code = getattr(obj, f"{field}_id")
    return obj, can(request.user, write, code)


def get_rw_for_user(
    request: HttpRequest,
    queryset: QuerySet[_M],
    *,
    read: Capability,
    write: Capability,
    field: str = TENANT_FIELD,
    **lookup,
) -> _M:
    """Like ``get_for_user`` for a change: 404 if the user may not see it, 403 if they may only read it."""
    obj, writable = get_for_user(request, queryset, read=read, write=write, field=field, **lookup)
    if not writable:
        raise PermissionDenied
    return obj


def require_capability(capability: Capability) -> Callable:
    """View decorator: 403 unless the user has ``capability`` in at least one municipality."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not user_municipality_codes(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_role(*roles: Role | str) -> Callable:
    """View decorator: 403 unless the user has one of ``roles`` in at least one municipality.
    Prefer ``require_capability``; this is for the rare view that is about a role itself."""
    wanted = {str(role) for role in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: AuthedRequest, *args, **kwargs):
            user = request.user
            if not (getattr(user, "is_authenticated", False) and wanted & set(user.memberships_by_code().values())):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_municipality(request: HttpRequest, code: str, capability: Capability) -> Municipality:
    """The municipality ``code`` if the user has ``capability`` there, else 404 (for per-municipality
    pages such as /municipalities/4036/members/)."""
    if not can(request.user, capability, code):
        raise Http404("Not found")
    try:
        return Municipality.objects.get(code=code)
    except Municipality.DoesNotExist:
        raise Http404("Not found") from None


def get_published_front_door(code: str):
    """The public's only way into a municipality's data: its front door, if the municipality published
    it. Unknown and unpublished municipalities are the same 404, so the public cannot tell them apart."""
    from blilyst.web.frontdoor.models import FrontDoor

    try:
        return FrontDoor.objects.select_related("municipality", "contact_person").get(
            municipality_id=str(code)[:4], published=True
        )
    except FrontDoor.DoesNotExist:
        raise Http404("Not found") from None
