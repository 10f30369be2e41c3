"""Logging in with a real browser, keyboard navigation and accessibility of the account pages."""

from __future__ import annotations


def test_login_page_is_accessible(page, assert_accessible, db):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)


def test_a_contact_person_logs_in_and_sees_their_municipality(page, people, log_in, assert_accessible, live_server):
    log_in(people.alice)
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Velkommen, Alice"
    assert page.get_by_role("cell", name="Kviteseid (4028)").is_visible()
    assert_accessible(page)


def test_a_wrong_password_shows_an_accessible_error(page, people, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_label("Brukernavn").fill("alice")
    page.get_by_label("Passord").fill("not-the-password")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").inner_text().startswith("Vennligst oppgi korrekt brukernavn og passord")
    assert_accessible(page)


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, people, log_in):
    log_in(people.alice)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnhold"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_login_form_works_with_the_keyboard_alone(page, people, password, live_server):
    page.goto("/accounts/login/")
    labels = []
    for _ in range(4):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()"))
    assert labels == ["Hopp til hovedinnhold", "blilyst", "username", "password"]
    page.keyboard.press("Shift+Tab")  # back to the user name
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Velkommen, Alice"


def test_the_language_switch_turns_the_pages_english(page, people, log_in, assert_accessible):
    log_in(people.alice)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt språk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Alice"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert_accessible(page)


def test_logging_out_returns_to_the_login_page(page, people, log_in):
    log_in(people.alice)
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/municipalities/")
    assert "/accounts/login/" in page.url


def test_the_privacy_notice_is_readable_without_login(page, db, assert_accessible):
    page.goto("/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Personvernerklæring"
    assert_accessible(page)


def test_an_administrator_adds_a_member_in_the_browser(page, people, log_in, assert_accessible):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    Membership.objects.filter(user=people.rita).update(role=Role.ADMINISTRATOR)
    log_in(people.rita)
    page.get_by_role("link", name="Medlemmer av Kviteseid").click()
    assert_accessible(page)
    page.get_by_label("Brukernavn").fill("nina")
    page.get_by_label("Rolle (påkrevd)").select_option("analyst")
    page.get_by_role("button", name="Legg til").click()
    page.wait_for_load_state()
    assert "har nå rollen Analytiker i Kviteseid" in page.get_by_role("status").first.inner_text()
    assert len(page.locator("code.password").inner_text()) >= 12
    assert_accessible(page)

    # the municipality's settings: its own retention period
    page.get_by_role("link", name="Innstillinger for Kviteseid").click()
    assert_accessible(page)
    page.get_by_label("Oppbevaringstid (dager)").fill("365")
    # and what the honesty check reads as "mange" and "rimelig" there
    page.get_by_label("«mange» betyr mer enn").fill("5")
    page.get_by_label("«rimelig» husleie, høyst (kr i måneden)").fill("8000")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert "Innstillingene for Kviteseid er lagret." in page.locator("body").inner_text()
    people.a.refresh_from_db()
    assert people.a.retention_days == 365
    assert (people.a.honesty_many, people.a.honesty_rent_limit, people.a.honesty_price_limit) == (5, 8000, None)


def test_the_not_found_and_locked_out_pages_are_accessible(page, people, log_in, assert_accessible):
    log_in(people.alice)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Fant ikke siden"
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/accounts/login/")
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Brukernavn").fill("rita")
        page.get_by_label("Passord").fill("wrong-password-123")
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "For mange mislykkede innloggingsforsøk"
    assert_accessible(page)
