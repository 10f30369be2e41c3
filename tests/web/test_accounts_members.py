"""An administrator manages who has access to their municipality, and nobody else can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blilyst.web.accounts.models import Membership, User
from blilyst.web.accounts.roles import Role


@pytest.fixture
def admin_a(people):
    user = User.objects.create(username="ada")
    Membership.objects.create(user=user, municipality=people.a, role=Role.ADMINISTRATOR)
    return user


def members_url(code):
    return reverse("members", args=[code])


def test_it_lists_the_members_of_the_municipality(people, admin_a, client_for):
    html = client_for(admin_a).get(members_url("4028")).content.decode()
    assert "Medlemmer av Kviteseid" in html
    assert "alice" in html and "rita" in html
    assert "bob" not in html  # Vinje's contact person


def test_it_adds_a_new_user_with_a_one_time_password(people, admin_a, client_for):
    client = client_for(admin_a)
    response = client.post(members_url("4028"), {"username": "nina", "first_name": "Nina", "role": "contact_person"})
    html = response.content.decode()
    assert "engangspassord" in html
    nina = User.objects.get(username="nina")
    assert nina.role_in("4028") == Role.CONTACT_PERSON
    assert nina.has_usable_password()


def test_it_adds_an_existing_user_of_another_municipality(people, admin_a, client_for):
    client_for(admin_a).post(members_url("4028"), {"username": "bob", "role": "read_only"})
    bob = User.objects.get(username="bob")
    assert bob.municipality_codes() == ["4028", "4036"]
    assert bob.role_in("4028") == Role.READ_ONLY


def test_adding_an_existing_user_reveals_only_that_the_name_is_taken(people, admin_a, client_for):
    """Documented in docs/web.md: no one-time password means the user name existed; nothing of the
    user's other municipalities shows, and the form cannot overwrite the existing user's profile."""
    before = User.objects.values("first_name", "last_name", "email").get(username="bob")
    response = client_for(admin_a).post(
        members_url("4028"),
        {"username": "bob", "role": "read_only", "first_name": "Annen", "email": "annen@example.org"},
        follow=True,
    )
    html = response.content.decode()
    assert "bob har nå rollen Lesetilgang i Kviteseid." in html
    assert "Vinje" not in html and "4036" not in html
    assert "engangspassordet" not in html  # no new user, no one-time password
    assert User.objects.values("first_name", "last_name", "email").get(username="bob") == before


def test_it_refuses_an_unknown_role(people, admin_a, client_for):
    response = client_for(admin_a).post(members_url("4028"), {"username": "nina", "role": "superuser"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    assert not User.objects.filter(username="nina").exists()


def test_it_changes_a_role(people, admin_a, client_for):
    membership = Membership.objects.get(user=people.rita, municipality=people.a)
    response = client_for(admin_a).post(reverse("member_role", args=["4028", membership.pk]), {"role": "analyst"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ANALYST


def test_it_keeps_the_last_administrator(people, admin_a, client_for):
    membership = Membership.objects.get(user=admin_a)
    client = client_for(admin_a)
    client.post(reverse("member_role", args=["4028", membership.pk]), {"role": "read_only"})
    client.post(reverse("member_remove", args=["4028", membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.ADMINISTRATOR
    html = client.get(members_url("4028")).content.decode()
    assert "minst én administrator" in html


def test_it_removes_a_member(people, admin_a, client_for):
    membership = Membership.objects.get(user=people.rita, municipality=people.a)
    client_for(admin_a).post(reverse("member_remove", args=["4028", membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(username="rita").exists()  # the user stays, without access


def test_a_contact_person_may_not_manage_members(people, client_for):
    client = client_for(people.alice)
    assert client.get(members_url("4028")).status_code == 404
    membership = Membership.objects.get(user=people.rita, municipality=people.a)
    assert client.post(reverse("member_remove", args=["4028", membership.pk])).status_code == 404


def test_an_administrator_of_a_may_not_touch_bs_members(people, admin_a, client_for):
    client = client_for(admin_a)
    bobs = Membership.objects.get(user=people.bob)
    assert client.get(members_url("4036")).status_code == 404
    # Not even by putting B's membership id under A's code.
    assert client.post(reverse("member_remove", args=["4028", bobs.pk])).status_code == 404
    assert client.post(reverse("member_role", args=["4028", bobs.pk]), {"role": "read_only"}).status_code == 404
    assert Membership.objects.get(pk=bobs.pk).role == Role.CONTACT_PERSON


def test_the_home_page_links_administrators_to_their_members(people, admin_a, client_for):
    html = client_for(admin_a).get(reverse("home")).content.decode()
    assert members_url("4028") in html
    assert members_url("4028") not in client_for(people.alice).get(reverse("home")).content.decode()


def test_an_administrator_keeps_the_municipalitys_retention_period(people, admin_a, client_for):
    url = reverse("municipality_settings", args=["4028"])
    client = client_for(admin_a)
    page = client.get(url)
    assert page.status_code == 200 and "Innstillinger for Kviteseid" in page.text and "730 dager" in page.text
    refused = client.post(url, {"written_standard": "nb", "retention_days": "10"})
    assert refused.status_code == 400 and "Verdien må være større enn eller lik 30." in refused.text
    saved = client.post(url, {"written_standard": "nb", "retention_days": "365", "version": "1"}, follow=True)
    assert "Innstillingene for Kviteseid er lagret." in saved.text
    people.a.refresh_from_db()
    assert people.a.retention_days == 365
    client.post(url, {"written_standard": "nb", "retention_days": "", "version": "2"})
    people.a.refresh_from_db()
    assert people.a.retention_days is None  # back to the server's default


def test_two_administrators_saving_the_settings_at_once_lose_nothing(people, admin_a, client_for, password_hash):
    """Both opened the settings at version 1: the second save is refused (409) and keeps what they typed."""
    other = User.objects.create(username="ole", password=password_hash)
    Membership.objects.create(user=other, municipality=people.a, role=Role.ADMINISTRATOR)
    url = reverse("municipality_settings", args=["4028"])
    first, second = client_for(admin_a), client_for(other)
    assert 'name="version" value="1"' in first.get(url).text
    assert first.post(url, {"written_standard": "nb", "retention_days": "365", "version": "1"}).status_code == 302
    response = second.post(url, {"written_standard": "nn", "retention_days": "400", "version": "1"})
    assert response.status_code == 409
    assert "Noen andre lagret dette mens du redigerte" in response.text
    assert 'value="400"' in response.text and 'name="version" value="2"' in response.text
    people.a.refresh_from_db()
    assert (people.a.retention_days, people.a.written_standard, people.a.version) == (365, "nb", 2)


def test_only_the_municipalitys_administrators_reach_its_settings(people, admin_a, client_for):
    url = reverse("municipality_settings", args=["4028"])
    for user in (people.alice, people.rita, people.bob):  # contact person, read-only member, Vinje
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"retention_days": "30"}).status_code == 404
    assert client_for(admin_a).get(reverse("municipality_settings", args=["4036"])).status_code == 404
    people.a.refresh_from_db()
    assert people.a.retention_days is None
