"""A municipality's page: register facts and population by age and sex (real SSB numbers)."""

from __future__ import annotations

from django.urls import reverse

NBSP = "\xa0"


def test_it_shows_kviteseids_population_by_age_and_sex(people, client_for):
    response = client_for(people.alice).get(reverse("municipality_detail", args=["4028"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Kviteseid" in html
    assert "Folketall etter alder og kjønn, 1. januar 2026" in html
    # 0–4 years: 60 men, 47 women; 90+: 9 men, 27 women; in all 1 262 men, 1 201 women (SSB 07459).
    assert '<th scope="row">0–4</th><td class="num">60</td><td class="num">47</td><td class="num">107</td>' in html
    assert '<th scope="row">90+</th><td class="num">9</td><td class="num">27</td><td class="num">36</td>' in html
    assert f'<td class="num">1{NBSP}262</td><td class="num">1{NBSP}201</td><td class="num">2{NBSP}463</td>' in html
    assert "Kilde: Statistisk sentralbyrå" in html


def test_it_shows_the_register_facts(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_detail", args=["4028"])).content.decode()
    assert "Telemark" in html
    assert "Sentralitetsklasse" in html


def test_it_shows_the_population_history(people, client_for):
    html = client_for(people.alice).get(reverse("municipality_detail", args=["4028"])).content.decode()
    assert f'<th scope="row">2024</th><td class="num">2{NBSP}458</td>' in html
    assert f'<th scope="row">2025</th><td class="num">2{NBSP}473</td>' in html


def test_an_unknown_code_is_404(people, client_for):
    client = client_for(people.alice)
    assert client.get(reverse("municipality_detail", args=["9999"])).status_code == 404
    assert client.get(reverse("municipality_detail", args=["0806"])).status_code == 404  # a pre-2020 code


def test_a_statistics_page_of_another_municipality_is_open_to_all_members(people, client_for):
    # Statistics are public data: Bob (Vinje) may read Kviteseid's population.
    assert client_for(people.bob).get(reverse("municipality_detail", args=["4028"])).status_code == 200
