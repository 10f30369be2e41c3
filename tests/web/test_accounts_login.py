"""Logging in and out, and the brute-force lockout (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def _login(client, username, password, next_url=""):
    return client.post(reverse("login"), {"username": username, "password": password, "next": next_url})


def test_it_shows_the_login_form_in_norwegian(db):
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in html
    assert "Logg inn" in html
    assert 'for="id_username"' in html and 'for="id_password"' in html


def test_it_logs_in_and_goes_home(people, password):
    client = Client()
    response = _login(client, "alice", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "Kviteseid" in home
    assert "Kontaktperson" in home


def test_it_returns_to_the_page_asked_for(people, password):
    client = Client()
    response = _login(client, "alice", password, next_url="/municipalities/")
    assert response["Location"] == "/municipalities/"


def test_it_does_not_redirect_to_another_site_after_login(people, password):
    response = _login(Client(), "alice", password, next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_it_rejects_a_wrong_password_with_a_message(people):
    response = _login(Client(), "alice", "wrong-password-123")
    assert response.status_code == 200
    assert "oppgi korrekt brukernavn og passord" in response.content.decode()


def test_it_locks_out_after_too_many_failures(people, password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong-password-123").status_code == 200
    locked = _login(client, "alice", "wrong-password-123")
    assert locked.status_code == 429
    assert "For mange mislykkede" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert _login(client, "alice", password).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_the_lockout_is_per_user_name(people, password):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong-password-123")
    assert _login(client, "rita", password).status_code == 302


def test_logout_needs_post_and_ends_the_session(people, client_for):
    client = client_for(people.alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_strong_password_is_required(people, client_for, password):
    client = client_for(people.alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "kort123", "new_password2": "kort123"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "minst 12 tegn" in html
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "password1234", "new_password2": "password1234"},
    )
    assert "for vanlig" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "elg-fjord-seter-77", "new_password2": "elg-fjord-seter-77"},
    )
    assert response.status_code == 302


def test_the_home_page_links_to_changing_the_password(people, client_for):
    html = client_for(people.alice).get(reverse("home")).content.decode()
    assert "Din konto" in html and f'href="{reverse("password_change")}"' in html


def test_password_spraying_from_one_address_is_locked_out_across_user_names(people, password):
    """The audit's 24 guesses over 6 user names from one address: after BLILYST_LOGIN_ADDRESS_LIMIT failures the
    address is locked out for every name, even with the right password, while other addresses still log in."""
    from blilyst.web.accounts.models import User

    names = [f"user{i}" for i in range(6)]
    for name in names:
        User.objects.create(username=name, password=people.alice.password)
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [_login(sprayer, name, f"Guess-{n}-wrong!").status_code for n in range(4) for name in names]
    limit = settings.BLILYST_LOGIN_ADDRESS_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # each name stays under its own limit of 5
    assert set(statuses[limit:]) == {429}
    assert _login(sprayer, "rita", password).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.4"), "rita", password).status_code == 302
