"""Accounts hardening: one-time passwords must be changed at first login; API tokens expire by default, die
with a password change and are listed and revoked one by one; pages with personal data are not cached."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from blilyst.web.accounts import members as member_ops
from blilyst.web.accounts.models import Membership
from blilyst.web.accounts.roles import Role
from blilyst.web.api.models import ApiToken

NEW_PASSWORD = "Fjellvann-og-bjørkeskog-42"


def test_a_new_member_must_change_the_one_time_password_first(people):
    added = member_ops.add_member(people.a, username="nina", role=Role.CONTACT_PERSON)
    client = Client()
    assert client.post("/accounts/login/", {"username": "nina", "password": added.password}).status_code == 302
    for page in ("/", "/households/", "/resources/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", page
    assert client.get("/accounts/password/").status_code == 200
    changed = client.post(
        "/accounts/password/",
        {"old_password": added.password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/households/").status_code == 200
    added.membership.user.refresh_from_db()
    assert not added.membership.user.must_change_password


def test_a_reset_password_is_one_time_too_and_ends_the_members_tokens(people):
    admin_membership = Membership.objects.create(
        user=people.rita, municipality=people.b, role=Role.ADMINISTRATOR
    )  # rita administers Vinje; bob is only in Vinje
    Membership.objects.filter(user=people.rita, municipality=people.a).delete()
    _row, token = ApiToken.issue(people.bob, "sync")
    assert ApiToken.user_for(token) == people.bob
    member_ops.reset_password(Membership.objects.get(user=people.bob), admin_membership.user)
    people.bob.refresh_from_db()
    assert people.bob.must_change_password
    assert ApiToken.user_for(token) is None


def test_tokens_expire_by_default_and_die_with_a_password_change(people, client_for, password):
    row, token = ApiToken.issue(people.alice, "sync")
    assert row.expires_at is not None
    assert dt.timedelta(days=89) < row.expires_at - timezone.now() <= dt.timedelta(days=90)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/households/").status_code == 200
    client = client_for(people.alice)
    client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert api.get("/api/households/").status_code == 401
    people.alice.refresh_from_db()
    english = client_for(people.alice)
    english.cookies["blilyst_language"] = "en"
    assert "ended by a password change" in english.get("/accounts/tokens/").text


def test_tokens_are_listed_and_revoked_one_by_one_on_the_web(people, client_for):
    client = client_for(people.alice)
    created = client.post("/accounts/tokens/", {"name": "sync", "days": "30"})
    assert created.status_code == 200
    first = ApiToken.objects.get(name="sync")
    assert first.hint in created.text and "bly_" in created.text  # shown once
    client.post("/accounts/tokens/", {"name": "report", "days": "7"})
    second = ApiToken.objects.get(name="report")
    listing = client.get("/accounts/tokens/").text
    assert "sync" in listing and "report" in listing
    # only the hints (the prefix and six characters), never a whole token: "bly_" + "x" could be a hint's start
    assert not re.search(r"bly_[A-Za-z0-9_-]{7,}", listing)
    assert client.post(f"/accounts/tokens/{first.pk}/revoke/").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    # Someone else's token cannot be revoked (or seen) this way.
    other, _token = ApiToken.issue(people.bob, "bobs")
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    assert "bobs" not in client.get("/accounts/tokens/").text


def test_pages_with_personal_data_are_not_cached(people, client_for):
    client = client_for(people.alice)
    for page in ("/households/", "/", "/resources/"):
        assert "no-store" in client.get(page)["Cache-Control"], page
    _row, token = ApiToken.issue(people.alice, "t")
    assert "no-store" in Client().get("/api/households/", HTTP_AUTHORIZATION=f"Bearer {token}")["Cache-Control"]
