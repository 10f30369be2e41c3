"""Offers on matches: offer a dwelling, a job or a kindergarten place, record the answer and its effects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, Offer

from . import test_household_matches as matches_tests

YEAR = matches_tests.YEAR
# The household and the listings of the matches page's tests, as fixtures here too.
couple = matches_tests.couple
listings = matches_tests.listings


@pytest.fixture
def second(people):
    """Another household of Kviteseid that wants a 3-bedroom rental from March too."""
    from blilyst.web.newcomers.models import Adult, Household

    household = Household.objects.create(
        municipality=people.a,
        label="Familien Dahl",
        housing_tenure="rent",
        housing_bedrooms=3,
        housing_from=dt.date(YEAR, 3, 1),
    )
    Adult.objects.create(household=household, name="Per Dahl")
    return household


def offer(client, household, **data):
    return client.post(reverse("resources:offer_create", args=[household.pk]), data)


def answer(client, household, offer_obj, **data):
    return client.post(reverse("resources:offer_answer", args=[household.pk, offer_obj.pk]), data)


def test_the_page_names_the_adults_links_the_listings_and_offers_a_place_per_child(
    people, client_for, couple, listings
):
    html = client_for(people.alice).get(reverse("resources:match", args=[couple.pk])).content.decode()
    house = Housing.objects.get(title="Enebolig på Brunkeberg")
    nurse = JobVacancy.objects.get(occupation="sykepleier")
    assert f'href="/resources/housing/{house.pk}/"' in html
    assert f'href="/resources/jobs/{nurse.pk}/"' in html
    assert "Kari Berg" in html and "Ola Berg" in html
    assert "Emma" in html  # the child's own kindergarten section


def test_an_accepted_dwelling_is_reserved_and_no_longer_suggested_to_others(
    people, client_for, couple, second, listings
):
    client = client_for(people.alice)
    house = Housing.objects.get(title="Enebolig på Brunkeberg")
    assert "Enebolig på Brunkeberg" in client.get(reverse("resources:match", args=[second.pk])).content.decode()
    assert offer(client, couple, kind="housing", housing=house.pk).status_code == 302
    made = Offer.objects.get(household=couple)
    assert made.status == "offered" and made.housing == house and made.by == people.alice
    assert answer(client, couple, made, status="accepted").status_code == 302
    made.refresh_from_db()
    house.refresh_from_db()
    assert made.status == "accepted" and made.answered_on is not None
    assert house.status == "reserved"
    assert "Enebolig på Brunkeberg" not in client.get(reverse("resources:match", args=[second.pk])).content.decode()


def test_a_decline_needs_a_reason_and_keeps_it(people, client_for, couple, listings):
    client = client_for(people.alice)
    nurse = JobVacancy.objects.get(occupation="sykepleier")
    kari = couple.adults.get(name="Kari Berg")
    offer(client, couple, kind="job", job=nurse.pk, adult=kari.pk)
    made = Offer.objects.get()
    assert made.adult == kari and "Kari Berg" in made.summary
    response = answer(client, couple, made, status="declined", reason="")
    assert response.status_code == 400
    assert "Si hvorfor husstanden takket nei" in response.content.decode()
    made.refresh_from_db()
    assert made.status == "offered"
    answer(client, couple, made, status="declined", reason="Nattevakter passer ikke")
    made.refresh_from_db()
    assert (made.status, made.reason) == ("declined", "Nattevakter passer ikke")
    assert answer(client, couple, made, status="accepted").status_code == 400  # answered once only


def test_an_accepted_kindergarten_place_takes_one_free_place_for_that_child(people, client_for, couple, listings):
    client = client_for(people.alice)
    row = KindergartenCapacity.objects.filter(municipality=people.a, free_places__gt=0).order_by("month").first()
    before = row.free_places
    emma = couple.children.get()
    offer(
        client, couple, kind="kindergarten", kindergarten=row.kindergarten, month=row.month.isoformat(), child=emma.pk
    )
    made = Offer.objects.get()
    assert made.child == emma and made.kindergarten == row.kindergarten
    answer(client, couple, made, status="accepted")
    row.refresh_from_db()
    assert row.free_places == before - 1


def test_a_dwelling_taken_meanwhile_cannot_be_accepted(people, client_for, couple, second, listings):
    client = client_for(people.alice)
    house = Housing.objects.get(title="Enebolig på Brunkeberg")
    offer(client, couple, kind="housing", housing=house.pk)
    offer(client, second, kind="housing", housing=house.pk)
    first, other = Offer.objects.get(household=couple), Offer.objects.get(household=second)
    answer(client, couple, first, status="accepted")
    response = answer(client, second, other, status="accepted")
    assert response.status_code == 400
    assert "ikke lenger ledig" in response.content.decode()
    other.refresh_from_db()
    assert other.status == "offered"


def test_offers_keep_to_the_household_and_its_municipality(people, client_for, couple, listings):
    vinje_house = Housing.objects.get(title="Rekkehus i Åmot")
    client = client_for(people.alice)
    offer(client, couple, kind="housing", housing=vinje_house.pk)  # another municipality's dwelling
    assert Offer.objects.count() == 0
    nurse = JobVacancy.objects.get(occupation="sykepleier")
    offer(client, couple, kind="job", job=nurse.pk, adult=999_999)  # not an adult of this household
    assert Offer.objects.count() == 0
    assert offer(client_for(people.bob), couple, kind="housing", housing=1).status_code == 404
    assert offer(client_for(people.rita), couple, kind="housing", housing=1).status_code == 403


def test_offers_are_in_the_households_data_export_and_go_with_it(people, client_for, couple, listings):
    from blilyst.web.privacy.rules import erase_household, export_household

    house = Housing.objects.get(title="Enebolig på Brunkeberg")
    offer(client_for(people.alice), couple, kind="housing", housing=house.pk)
    exported = export_household(couple)
    assert exported["offers"][0]["summary"].startswith("Bolig: Enebolig på Brunkeberg")
    erase_household(couple)
    assert Offer.objects.count() == 0


def test_the_gaps_list_links_households_and_follows_the_registers(people, client_for, couple, listings):
    from blilyst.web.resources.models import MatchingGap

    client = client_for(people.alice)
    couple.housing_bedrooms = 4
    couple.save()
    client.get(reverse("resources:match", args=[couple.pk]))  # records the gap: no 4-bedroom rental
    gap = MatchingGap.objects.get(household=couple, key="housing", resolved_on__isnull=True)
    html = client.get(reverse("resources:gaps")).content.decode()
    assert f'href="/households/{couple.pk}/"' in html
    response = client.post(
        reverse("resources:create", args=["housing"]),
        {
            "municipality": people.a.pk,
            "kind": "rent",
            "title": "Stort hus på Vrådal",
            "bedrooms": 4,
            "size_m2": 160,
            "price": 12_000,
            "available_from": f"{YEAR}-02-01",
            "status": "available",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gap.refresh_from_db()
    assert gap.resolved_on is not None  # re-matched when the register changed, without opening the page


def test_analysts_see_gaps_without_households(people, client_for, couple, listings):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    client_for(people.alice).get(reverse("resources:match", args=[couple.pk]))
    analyst = User.objects.create(username="ann")
    Membership.objects.create(user=analyst, municipality=people.a, role=Role.ANALYST)
    html = client_for(analyst).get(reverse("resources:gaps")).content.decode()
    assert "/households/" not in html


def test_a_suggested_job_links_its_employer_and_the_employers_vacancies(people, client_for, couple, listings):
    client = client_for(people.alice)
    JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="renholder", sector="other", advertised="nav"
    )
    html = client.get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert 'href="/resources/jobs/?employer=Kviteseid+kommune"' in html
    assert "alle ledige stillinger hos Kviteseid kommune" in html
    listed = client.get("/resources/jobs/?employer=kviteseid+kommune").content.decode()
    assert "renholder" in listed and "sykepleier" in listed
    assert "lærer" not in listed  # Kviteseid skule's vacancy is another employer's
    assert "Ledige stillinger hos kviteseid kommune." in listed
