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
    response = client.post("/welcome/manage/4028/", {"published": "on", "show_housing": "on"})
    assert response.status_code == 200
    assert "Velg kontaktpersonen" in response.content.decode()
    assert not FrontDoor.objects.get(municipality=people.a).published
    response = client.post(
        "/welcome/manage/4028/", {"published": "on", "contact_person": people.alice.pk, "show_housing": "on"}
    )
    assert response.status_code == 302
    door = FrontDoor.objects.get(municipality=people.a)
    assert door.published and door.contact_person == people.alice
    assert door.parts() == ["housing"]
    assert Client().get("/welcome/4028/").status_code == 200


def test_only_the_municipalitys_own_contact_persons_can_be_chosen(people, client_for):
    client = client_for(admin_of(people.a))
    response = client.post("/welcome/manage/4028/", {"published": "on", "contact_person": people.bob.pk})
    assert response.status_code == 200
    assert not FrontDoor.objects.filter(municipality=people.a, published=True).exists()


def test_others_get_404(people, client_for):
    assert client_for(people.alice).get("/welcome/manage/4028/").status_code == 404
    assert client_for(admin_of(people.a)).get("/welcome/manage/4036/").status_code == 404
    assert Client().get("/welcome/manage/4028/").status_code == 302  # to the login page
