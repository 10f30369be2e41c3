"""/plan/: straight to the plan of one's only municipality, a list when one serves several."""

from __future__ import annotations


def test_one_municipality_goes_straight_to_its_plan(people, analyst, client_for):
    response = client_for(analyst).get("/plan/")
    assert response.status_code == 302 and response["Location"] == "/plan/4028/"


def test_a_regional_office_chooses_among_its_municipalities(people, analyst, client_for):
    from blilyst.web.accounts.models import Membership

    Membership.objects.create(user=analyst, municipality=people.b, role="analyst")
    html = client_for(analyst).get("/plan/").content.decode()
    assert 'href="/plan/4028/"' in html and 'href="/plan/4036/"' in html


def test_anonymous_visitors_are_sent_to_the_login(db):
    from django.test import Client

    response = Client().get("/plan/4028/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
