"""The contact person's new everyday pages in chromium, each checked with axe-core (WCAG 2.1 AA): offers on the
matches page, writing to a household, the calendar address, the welcome list and the home page's due list."""

from __future__ import annotations

import datetime as dt

from blilyst.web.newcomers.models import Adult, Child, Household, Task
from blilyst.web.resources.models import Housing, Offer


def test_offer_answer_write_and_welcome(page, people, log_in, assert_accessible, tmp_path):
    year = dt.date.today().year + 1
    household = Household.objects.create(
        municipality=people.a,
        label="Familien Nowak",
        housing_tenure="rent",
        housing_bedrooms=2,
        housing_from=dt.date(year, 3, 1),
        contact_person=people.alice,
    )
    Adult.objects.create(household=household, name="Piotr Nowak", email="piotr@example.org", phone="912 34 567")
    Child.objects.create(
        household=household, first_name="Ola", birth_year=year - 3, kindergarten_from=dt.date(year, 3, 1)
    )
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Leilighet i sentrum",
        bedrooms=2,
        size_m2=60,
        price=8000,
        available_from=dt.date(year, 1, 1),
    )
    Task.objects.create(
        household=household, title="Ring Piotr", due=dt.date.today() - dt.timedelta(days=1), assigned_to=people.alice
    )
    log_in(people.alice)
    assert page.get_by_role("heading", name="Frist og på overtid").is_visible()
    assert page.get_by_text("Ring Piotr").is_visible()
    assert_accessible(page)

    page.goto(f"/resources/match/{household.pk}/")
    assert_accessible(page)
    page.locator("form[action$='/offer/'] button").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Tilbudet er registrert.").is_visible()
    assert_accessible(page)
    page.get_by_label("Svar").select_option("declined")
    page.get_by_label("Hvorfor (må fylles ut ved nei)").fill("For langt fra skolen")
    page.get_by_role("button", name="Registrer svaret").click()
    page.wait_for_load_state()
    assert Offer.objects.get().status == "declined"

    page.goto(f"/outreach/households/{household.pk}/")
    assert page.get_by_role("link", name="piotr@example.org").get_attribute("href") == "mailto:piotr@example.org"
    assert_accessible(page)

    page.goto("/outreach/calendar/")
    page.get_by_role("button", name="Lag en kalenderadresse").click()
    page.wait_for_load_state()
    assert ".ics" in page.locator("code").inner_text()
    assert_accessible(page)

    upload = tmp_path / "innflyttere.csv"
    upload.write_text("Navn;Innflyttet;Telefon\nKari Nordmann;01.11.2026;912 34 568\n", encoding="utf-8")
    page.goto("/outreach/welcome/")
    page.get_by_label("Liste over nye innbyggere (CSV eller Excel)").set_input_files(str(upload))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Kari Nordmann", exact=True).is_visible()
    assert_accessible(page)
