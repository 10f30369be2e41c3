"""The statistics pages in a real browser: list, search, detail; accessible and usable on a phone."""

from __future__ import annotations


def test_the_municipality_list_shows_kviteseid_and_is_accessible(page, people, log_in, assert_accessible):
    log_in(people.alice, next_url="/municipalities/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kommuner"
    assert page.locator("tbody tr").count() == 357
    row = page.get_by_role("row", name="Kviteseid")
    assert "2\xa0463" in row.inner_text()
    assert_accessible(page)


def test_search_then_open_a_municipality(page, people, log_in, assert_accessible):
    log_in(people.alice, next_url="/municipalities/")
    page.get_by_label("Navn eller nummer").fill("kviteseid")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("link", name="Kviteseid").click()
    page.wait_for_url("**/municipalities/4028/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kviteseid")
    total = page.locator("tfoot tr").inner_text().split()
    assert total[-1] == "463" and total[-2] == "2"  # 2 463, a non-breaking space inside
    assert page.get_by_text("Kilde: Statistisk sentralbyrå").is_visible()
    assert_accessible(page)


def test_the_filter_form_is_reachable_by_keyboard(page, people, log_in):
    log_in(people.alice, next_url="/municipalities/")
    names = []
    for _ in range(12):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert names.index("q") < names.index("county") < names.index("Søk")


def test_pages_fit_a_phone_screen(chromium, live_server, people, password):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Brukernavn").fill("alice")
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.goto("/municipalities/4028/")
    # The page itself does not scroll sideways; wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
