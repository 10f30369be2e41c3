"""Every resource page renders for its users, with labelled fields in the user's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

KINDS = ["housing", "jobs", "kindergartens", "hosts", "events"]
FIRST_LABEL = {
    "housing": "Type",
    "jobs": "Arbeidsgiver",
    "kindergartens": "Barnehage",
    "hosts": "Navn",
    "events": "Tittel",
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_list_and_the_new_form_render(people, client_for, kind):
    client = client_for(people.alice)
    assert client.get(reverse("resources:list", args=[kind])).status_code == 200
    html = client.get(reverse("resources:create", args=[kind])).content.decode()
    assert FIRST_LABEL[kind] in html
    assert '<option value="4028" selected>Kviteseid (4028)</option>' in html


def test_an_empty_form_lists_every_missing_field(people, client_for):
    html = client_for(people.alice).post(reverse("resources:create", args=["events"]), {}).content.decode()
    assert html.count("Feltet er påkrevet.") == 4  # municipality, title, kind, starts


def test_an_event_and_a_host_are_saved(people, client_for):
    from blilyst.web.resources.models import Event, Host

    client = client_for(people.alice)
    response = client.post(
        reverse("resources:create", args=["events"]),
        {
            "municipality": "4028",
            "title": "Velkomstdag i Kviteseid",
            "kind": "welcome_day",
            "starts": "2027-05-01T12:00",
            "ends": "2027-05-01T15:00",
            "place": "Kviteseid bygdetun",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get().starts.isoformat() == "2027-05-01T10:00:00+00:00"  # 12:00 in Oslo, summer time
    response = client.post(
        reverse("resources:create", args=["hosts"]),
        {"municipality": "4028", "name": "Anne Lia", "email": "anne@example.org", "active": "on"},
    )
    assert response.status_code == 302 and Host.objects.get().active is True


def test_a_host_without_contact_gets_the_message(people, client_for):
    html = (
        client_for(people.alice)
        .post(reverse("resources:create", args=["hosts"]), {"municipality": "4028", "name": "Anne Lia"})
        .content.decode()
    )
    assert "Oppgi telefonnummer eller e-postadresse, så verten kan nås." in html


def test_the_menu_links_to_the_resources(people, client_for):
    html = client_for(people.rita).get(reverse("home")).content.decode()
    assert f'href="{reverse("resources:index")}"' in html and "Ressurser" in html
