"""The public front door in a real browser, in bokmål and Polish, every page checked with axe-core."""

from __future__ import annotations

import datetime as dt

from blilyst.web.frontdoor.models import FrontDoor
from blilyst.web.newcomers.models import Household
from blilyst.web.resources.models import Housing


def publish(people) -> None:
    people.alice.last_name = "Aasen"
    people.alice.save()
    FrontDoor.objects.create(municipality=people.a, published=True, contact_person=people.alice)
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Leilighet i sentrum",
        bedrooms=2,
        size_m2=60,
        price=8_000,
        available_from=dt.date.today(),
    )


def test_a_household_gets_in_touch_through_the_front_door_in_bokmal(page, people, assert_accessible):
    publish(people)
    page.goto("/welcome/4028/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tenker dere på å flytte til Kviteseid?"
    assert page.get_by_text("Boliger til leie: 1").is_visible()
    assert page.get_by_text("Alice Aasen").is_visible()
    assert not page.locator("#id_homepage").is_visible()  # the honeypot is not shown to people
    assert_accessible(page)
    page.locator("#id_adult-0-name").fill("Kari Nordmann")
    page.locator("#id_adult-0-email").fill("kari@example.org")
    page.locator("#id_adult-0-job_wishes").fill("lærer")
    page.get_by_label("Jeg samtykker i teksten over").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/welcome/4028/nb/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Takk"
    assert_accessible(page)
    household = Household.objects.get()
    assert household.status == "enquiry" and household.adults.get().job_wishes == "lærer"


def test_the_polish_front_door_explains_a_missing_consent_and_keeps_the_answers(page, people, assert_accessible):
    publish(people)
    page.goto("/welcome/4028/")
    page.get_by_role("link", name="Polski").click()
    page.wait_for_url("**/welcome/4028/pl/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_text("Wyrażam zgodę").is_visible()
    assert_accessible(page)
    page.locator("#id_adult-0-name").fill("Anna Kowalska")
    page.locator("#id_adult-0-phone").fill("+48 600 100 200")
    page.get_by_role("button", name="Wyślij").click()
    page.wait_for_load_state()
    assert page.get_by_text("Możemy zapisać zgłoszenie tylko za Państwa zgodą").is_visible()
    assert page.locator("#id_adult-0-name").input_value() == "Anna Kowalska"
    assert_accessible(page)
    page.get_by_label("Zgadzam się na powyższy tekst").check()
    page.get_by_role("button", name="Wyślij").click()
    page.wait_for_url("**/welcome/4028/pl/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dziękujemy"
    assert Household.objects.get().adults.get().language == "pl"
