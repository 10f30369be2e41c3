"""Publishing the front door: administrators only, off by default, a contact person required."""

from __future__ import annotations

from django.test import Client

from blilyst.web.accounts.models import Membership, User
from blilyst.web.accounts.roles import Role
from blilyst.web.frontdoor.models import FrontDoor


def admin_of(municipality) -> User:
    user = User.objects.create(username="ada", first_name="Ada")
    Membership.objects.create(user=user, municipality=municipality, role=Role.ADMINISTRATOR)
    return user


def test_a_front_door_is_off_by_default(people, client_for):
    client_for(admin_of(people.a)).get("/welcome/manage/4028/")
    assert FrontDoor.objects.get(municipality=people.a).published is False
    assert Client().get("/welcome/4028/").status_code == 404


def test_an_administrator_publishes_it_with_a_contact_person(people, client_for):
    client = client_for(admin_of(people.a))
    response = client.post("/welcome/manage/4028/", {"published": "on", "show_housing": "on", "version": "1"})
    assert response.status_code == 200
    assert "Velg kontaktpersonen" in response.content.decode()
    assert not FrontDoor.objects.get(municipality=people.a).published
    response = client.post(
        "/welcome/manage/4028/",
        {"published": "on", "contact_person": people.alice.pk, "show_housing": "on", "version": "1"},
    )
    assert response.status_code == 302
    door = FrontDoor.objects.get(municipality=people.a)
    assert door.published and door.contact_person == people.alice
    assert door.parts() == ["housing"]
    assert Client().get("/welcome/4028/").status_code == 200


def test_only_the_municipalitys_own_contact_persons_can_be_chosen(people, client_for):
    client = client_for(admin_of(people.a))
    response = client.post("/welcome/manage/4028/", {"published": "on", "contact_person": people.bob.pk, "version": 1})
    assert response.status_code == 200
    assert not FrontDoor.objects.filter(municipality=people.a, published=True).exists()


def test_others_get_404(people, client_for):
    assert client_for(people.alice).get("/welcome/manage/4028/").status_code == 404
    assert client_for(admin_of(people.a)).get("/welcome/manage/4036/").status_code == 404
    assert Client().get("/welcome/manage/4028/").status_code == 302  # to the login page


def test_two_administrators_saving_at_once_lose_nothing(people, client_for):
    """Both opened the page at version 1; the second save is refused (409), keeps what they chose and
    shows it next to what the first saved."""
    first = client_for(admin_of(people.a))
    second_admin = User.objects.create(username="eva", first_name="Eva")
    Membership.objects.create(user=second_admin, municipality=people.a, role=Role.ADMINISTRATOR)
    second = client_for(second_admin)
    assert 'name="version" value="1"' in first.get("/welcome/manage/4028/").content.decode()
    chosen = {"published": "on", "contact_person": people.alice.pk, "show_housing": "on", "version": "1"}
    assert first.post("/welcome/manage/4028/", chosen).status_code == 302
    response = second.post("/welcome/manage/4028/", {"show_jobs": "on", "version": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Noen andre lagret dette mens du redigerte" in page
    assert 'name="show_jobs"' in page and 'name="version" value="2"' in page  # rebased on what is stored now
    assert "checked" in page.split('name="show_jobs"')[1].split(">")[0]  # what the second typed is kept
    door = FrontDoor.objects.get(municipality=people.a)
    assert door.published and door.show_housing and not door.show_jobs and door.version == 2
    # Saving again is a deliberate choice, over the version now shown.
    assert second.post("/welcome/manage/4028/", {"show_jobs": "on", "version": "2"}).status_code == 302
    door.refresh_from_db()
    assert door.show_jobs and not door.published and door.version == 3
