"""The municipality's written standard picks the language of its staff pages, public pages and documents;
each person can still choose their own (blilyst.web.middleware.LanguageMiddleware, accounts.models)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from blilyst.web.accounts.models import Membership, User, WrittenStandard
from blilyst.web.accounts.roles import Role


def page_language(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def nynorsk_a(people):
    people.a.written_standard = WrittenStandard.NYNORSK
    people.a.save()
    return people.a


def test_staff_of_a_nynorsk_municipality_get_nynorsk_pages(people, client_for, nynorsk_a):
    client = client_for(people.alice)
    assert page_language(client, reverse("home")) == "nn"
    assert client.get(reverse("home"))["Content-Language"] == "nn"
    # Vinje keeps the default, bokmål
    assert page_language(client_for(people.bob), reverse("home")) == "nb"


def test_a_neutral_municipality_starts_in_bokmal(people, client_for):
    people.a.written_standard = WrittenStandard.NEUTRAL
    people.a.save()
    assert people.a.default_language == "nb"
    assert page_language(client_for(people.alice), reverse("home")) == "nb"


def test_a_persons_own_choice_outranks_the_municipalitys_standard(people, client_for, nynorsk_a):
    people.alice.language = "en"
    people.alice.save()
    assert page_language(client_for(people.alice), reverse("home")) == "en"


def test_the_language_switch_saves_the_choice_for_a_logged_in_person(people, client_for, nynorsk_a):
    client = client_for(people.alice)
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert response.status_code == 302
    people.alice.refresh_from_db()
    assert people.alice.language == "nb"
    # another browser, without the cookie, still gets the person's choice, not the municipality's nynorsk
    assert page_language(client_for(people.alice), reverse("home")) == "nb"


def test_the_switch_ignores_an_unknown_language(people, client_for):
    client = client_for(people.alice)
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    people.alice.refresh_from_db()
    assert people.alice.language == ""


def test_an_administrator_sets_the_written_standard(people, client_for):
    ada = User.objects.create(username="ada")
    Membership.objects.create(user=ada, municipality=people.a, role=Role.ADMINISTRATOR)
    url = reverse("municipality_settings", args=["4028"])
    client = client_for(ada)
    assert 'name="written_standard"' in client.get(url).text
    refused = client.post(url, {"written_standard": "sami", "retention_days": ""})
    assert refused.status_code == 400
    client.post(url, {"written_standard": "nn", "retention_days": "", "version": "1"})
    people.a.refresh_from_db()
    assert people.a.written_standard == "nn"
    assert page_language(client_for(people.alice), reverse("home")) == "nn"


def test_the_public_front_door_is_in_the_municipalitys_standard_by_default(people, nynorsk_a):
    from blilyst.web.frontdoor.models import FrontDoor

    FrontDoor.objects.create(municipality=people.a, published=True, contact_person=people.alice)
    public = Client()
    assert page_language(public, reverse("frontdoor:front_door", args=["4028"])) == "nn"
    assert page_language(public, reverse("frontdoor:front_door_in", args=["4028", "nb"])) == "nb"
