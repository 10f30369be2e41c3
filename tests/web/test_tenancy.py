"""Tenancy in one place (blilyst.web.lib.tenancy): 404 for strangers, 403 for read-only writes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from blilyst.web.accounts.models import Membership, Municipality
from blilyst.web.accounts.roles import Capability, Role
from blilyst.web.lib import tenancy

READ, WRITE = Capability.VIEW_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def alices(people):
    """A tenant-owned object of A (memberships belong to a municipality like households will)."""
    return Membership.objects.get(user=people.alice)


def test_it_lists_a_users_municipalities(people):
    assert tenancy.user_municipality_codes(people.alice) == ["4028"]
    assert tenancy.user_municipality_codes(people.bob) == ["4036"]
    assert tenancy.user_municipality_codes(people.rita, WRITE) == []
    assert tenancy.user_municipality_codes(people.rita, READ) == ["4028"]


def test_an_anonymous_user_has_no_municipality(db):
    from django.contrib.auth.models import AnonymousUser

    assert tenancy.user_municipality_codes(AnonymousUser()) == []
    assert tenancy.can(AnonymousUser(), READ, "4028") is False


def test_a_regional_office_serves_several_municipalities(people):
    Membership.objects.create(user=people.alice, municipality=people.b, role=Role.READ_ONLY)
    people.alice._memberships_by_code = None  # as in a new request
    assert tenancy.user_municipality_codes(people.alice) == ["4028", "4036"]
    assert tenancy.user_municipality_codes(people.alice, WRITE) == ["4028"]
    assert list(tenancy.municipalities_for(people.alice, READ).values_list("code", flat=True)) == ["4028", "4036"]


def test_the_owner_may_read_and_write(people, alices):
    obj, writable = tenancy.get_for_user(
        request_for(people.alice), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk
    )
    assert obj == alices and writable is True
    assert (
        tenancy.get_rw_for_user(
            request_for(people.alice), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk
        )
        == alices
    )


def test_a_read_only_member_may_read_but_gets_403_on_write(people, alices):
    obj, writable = tenancy.get_for_user(
        request_for(people.rita), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk
    )
    assert obj == alices and writable is False
    with pytest.raises(PermissionDenied):
        tenancy.get_rw_for_user(
            request_for(people.rita), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk
        )


def test_a_stranger_gets_404_as_if_it_did_not_exist(people, alices):
    for getter in (tenancy.get_for_user, tenancy.get_rw_for_user):
        with pytest.raises(Http404):
            getter(request_for(people.bob), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk)
        with pytest.raises(Http404):
            getter(request_for(people.bob), Membership.objects.all(), read=READ, write=WRITE, pk=999_999)


def test_a_member_without_the_read_capability_gets_404(people, alices):
    analyst = Membership.objects.create(user=people.bob, municipality=people.a, role=Role.ANALYST).user
    analyst._memberships_by_code = None
    with pytest.raises(Http404):
        tenancy.get_for_user(request_for(analyst), Membership.objects.all(), read=READ, write=WRITE, pk=alices.pk)


def test_a_malformed_key_is_404(people):
    with pytest.raises(Http404):
        tenancy.get_for_user(request_for(people.alice), Membership.objects.all(), read=READ, write=WRITE, pk="x")


def test_list_views_see_only_their_municipalities(people):
    rows = tenancy.for_user(request_for(people.alice), Membership.objects.all(), READ)
    assert sorted(rows.values_list("user__username", flat=True)) == ["alice", "rita"]
    assert list(tenancy.for_user(request_for(people.rita), Membership.objects.all(), WRITE)) == []


def test_require_capability_refuses_with_403(people):
    view = tenancy.require_capability(WRITE)(lambda request: "ok")
    assert view(request_for(people.alice)) == "ok"
    with pytest.raises(PermissionDenied):
        view(request_for(people.rita))


def test_require_role_refuses_with_403(people):
    view = tenancy.require_role(Role.READ_ONLY)(lambda request: "ok")
    assert view(request_for(people.rita)) == "ok"
    with pytest.raises(PermissionDenied):
        view(request_for(people.alice))


def test_require_municipality_is_404_outside(people):
    assert tenancy.require_municipality(request_for(people.alice), "4028", READ) == people.a
    with pytest.raises(Http404):
        tenancy.require_municipality(request_for(people.alice), "4036", READ)


# --- The guard: views never query a tenant-owned model except through the tenancy helpers. ---

WEB = Path(tenancy.__file__).resolve().parents[1]
ACCESSORS = {"for_user", "for_member", "get_for_user", "get_rw_for_user"}
VIEW_MODULE_NAMES = {"views.py", "api.py"}


def tenant_owned_model_names() -> set[str]:
    """Models with a foreign key to accounts.Municipality, besides the accounts app's own."""
    names = set()
    for model in apps.get_models():
        if model._meta.app_label == "accounts":
            continue
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is Municipality and field.many_to_one:
                names.add(model.__name__)
    return names


def direct_queries(source: str, models: set[str]) -> list[int]:
    """Line numbers where ``Model.objects`` of a tenant-owned model is used outside an accessor call."""
    tree = ast.parse(source)
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ACCESSORS:
                for arg in [*node.args, *(kw.value for kw in node.keywords)]:
                    allowed.update(id(sub) for sub in ast.walk(arg))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and id(node) not in allowed
        ):
            lines.append(node.lineno)
    return lines


def test_the_guard_catches_a_direct_query():
    source = "def v(request):\n    return Household.objects.get(pk=1)\n"
    assert direct_queries(source, {"Household"}) == [2]
    ok = "def v(request):\n    return get_for_user(request, Household.objects.all(), read=R, write=W, pk=1)\n"
    assert direct_queries(ok, {"Household"}) == []


def test_no_view_queries_a_tenant_owned_model_directly():
    models = tenant_owned_model_names()
    offenders = []
    for path in WEB.rglob("*.py"):
        if path.name in VIEW_MODULE_NAMES or path.parent.name in ("views", "api"):
            for line in direct_queries(path.read_text(encoding="utf-8"), models):
                offenders.append(f"{path.relative_to(WEB)}:{line}")
    assert offenders == [], "Query tenant-owned models through blilyst.web.lib.tenancy: " + ", ".join(offenders)
