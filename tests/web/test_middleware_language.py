"""Norwegian bokmål by default, English when the user chooses it (blilyst.web.middleware)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_pages_are_norwegian_even_for_an_english_browser(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get(reverse("login"))
    assert '<html lang="nb">' in response.content.decode()
    assert response["Content-Language"] == "nb"


def test_the_language_switch_makes_pages_english_and_back(people, client_for):
    client = client_for(people.alice, enforce_csrf_checks=True)
    home = client.get(reverse("home"))
    token = home.cookies.get("blilyst_csrftoken") or client.cookies["blilyst_csrftoken"]
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/municipalities/", "csrfmiddlewaretoken": token.value}
    )
    assert response.status_code == 302 and response["Location"] == "/municipalities/"
    cookie = response.cookies["blilyst_language"]
    assert cookie.value == "en" and cookie["httponly"] and cookie["samesite"] == "Lax"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "Welcome, Alice" in html and "Contact person" in html
    client.post(reverse("set_language"), {"language": "nb", "next": "/", "csrfmiddlewaretoken": token.value})
    assert "Velkommen, Alice" in client.get(reverse("home")).content.decode()


def test_an_unknown_language_falls_back_to_norwegian(db):
    client = Client()
    client.cookies["blilyst_language"] = "de"
    assert '<html lang="nb">' in client.get(reverse("login")).content.decode()


def test_the_switch_does_not_redirect_to_another_site(db):
    response = Client().post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
