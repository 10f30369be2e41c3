"""An administrator gives a member a new one-time password, never one serving a municipality they do not run."""

from __future__ import annotations

from django.test import Client

from blilyst.web.accounts.models import Membership, User
from blilyst.web.accounts.roles import Role


def admin_of(*municipalities) -> User:
    user = User.objects.create(username="ada")
    for m in municipalities:
        Membership.objects.create(user=user, municipality=m, role=Role.ADMINISTRATOR)
    return user


def works(username: str, password: str) -> bool:
    user = User.objects.get(username=username)
    return user.check_password(password)


def reset(client, code, membership):
    return client.post(f"/accounts/municipalities/{code}/members/{membership.pk}/password/")


def test_the_new_password_is_shown_once_and_works_and_the_old_one_does_not(people, client_for, password):
    client = client_for(admin_of(people.a))
    alice = Membership.objects.get(user=people.alice)
    response = reset(client, "4028", alice)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    new = response.content.decode().split('<code class="password">')[1].split("</code>")[0]
    assert works("alice", new)
    assert not works("alice", password)
    assert new not in client.get("/accounts/municipalities/4028/members/").content.decode()


def test_the_reset_ends_the_members_other_sessions(people, client_for):
    alices_browser = client_for(people.alice)
    assert alices_browser.get("/households/").status_code == 200
    reset(client_for(admin_of(people.a)), "4028", Membership.objects.get(user=people.alice))
    assert alices_browser.get("/households/").status_code == 302  # to the login page


def test_a_member_who_also_serves_another_municipality_is_refused(people, client_for, password):
    Membership.objects.create(user=people.alice, municipality=people.b, role=Role.CONTACT_PERSON)
    response = reset(
        client_for(admin_of(people.a)), "4028", Membership.objects.get(user=people.alice, municipality=people.a)
    )
    assert response.status_code == 302
    assert works("alice", password)
    # an administrator of both may
    both = User.objects.create(username="bea")
    Membership.objects.create(user=both, municipality=people.a, role=Role.ADMINISTRATOR)
    Membership.objects.create(user=both, municipality=people.b, role=Role.ADMINISTRATOR)
    assert (
        reset(client_for(both), "4028", Membership.objects.get(user=people.alice, municipality=people.a)).status_code
        == 200
    )


def test_others_cannot_reset(people, client_for):
    alice = Membership.objects.get(user=people.alice)
    assert reset(client_for(people.rita), "4028", alice).status_code == 404
    assert reset(client_for(admin_of(people.b)), "4028", alice).status_code == 404
    assert reset(Client(), "4028", alice).status_code == 302
