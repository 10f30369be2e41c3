"""The list of all municipalities with their latest population (real SSB numbers)."""

from __future__ import annotations

from django.urls import reverse

NBSP = "\xa0"  # the Norwegian thousands separator in numbers


def test_it_lists_all_357_municipalities(people, client_for):
    response = client_for(people.alice).get(reverse("municipality_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "357 kommuner med folketall 1. januar 2026" in html
    assert html.count('href="/municipalities/') == 357 + 1  # + the menu link


def test_it_shows_kviteseids_real_latest_population(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_list"), {"q": "kviteseid"}).content.decode()
    assert "Viser 1 kommune." in html
    assert f"2{NBSP}463" in html  # Kviteseid (4028), 1 January 2026, SSB 07459 on 2024 borders
    assert "Telemark" in html
    assert "Kilde: Statistisk sentralbyrå" in html


def test_it_shows_oslos_population_with_thousands_separated(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_list"), {"q": "0301"}).content.decode()
    assert f"728{NBSP}714" in html


def test_search_ignores_case_and_accents(people, client_for):
    client = client_for(people.alice)
    html = client.get(reverse("municipality_list"), {"q": "BÆRUM"}).content.decode()
    assert "Viser 1 kommune." in html and "Bærum" in html
    html = client.get(reverse("municipality_list"), {"q": "aalesund"}).content.decode()
    assert "Viser 0 kommuner." in html  # "aa" is not "å" in a plain substring search


def test_it_filters_by_county(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_list"), {"county": "40"}).content.decode()
    assert "Viser 17 kommuner." in html  # Telemark 2024
    assert "Kviteseid" in html and "Bærum" not in html


def test_an_unknown_county_shows_all(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_list"), {"county": "99"}).content.decode()
    assert "Viser 357 kommuner." in html


def test_an_analyst_may_see_statistics(people, client_for):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    analyst = User.objects.create(username="ada")
    Membership.objects.create(user=analyst, municipality=people.b, role=Role.ANALYST)
    assert client_for(analyst).get(reverse("municipality_list")).status_code == 200


def test_a_user_without_a_municipality_is_refused(db, client_for):
    from blilyst.web.accounts.models import User

    loner = User.objects.create(username="loner")
    assert client_for(loner).get(reverse("municipality_list")).status_code == 403


def test_it_lists_in_english_when_chosen(people, client_for):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = "en"
    html = client.get(reverse("municipality_list"), {"q": "kviteseid"}).content.decode()
    assert '<html lang="en">' in html
    assert "Showing 1 municipality." in html
    assert "2,463" in html
