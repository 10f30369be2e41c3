"""The plan in a real browser: from the evidence to the exported plan, every page checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


@pytest.fixture
def analyst(people, password_hash):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    user = User.objects.create(username="anna", first_name="Anna", password=password_hash)
    Membership.objects.create(user=user, municipality=people.a, role=Role.ANALYST)
    return user


def test_from_evidence_to_the_exported_plan(page, analyst, log_in, assert_accessible):
    from blilyst.plan import needs
    from blilyst.plan.document import extract_pdf_text

    # compute the needs analysis once before clicking (the live server shares this process's caches): on a
    # busy machine the cold first page (all projections) outlasts a click's timeout; its speed is a bench matter
    needs.all_charts("4028", "trend", "nb")
    needs.target_seeking("4028", "nb")
    log_in(analyst, next_url="/plan/")
    page.wait_for_url("**/plan/4028/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hvor går Kviteseid, og hvem trenger kommunen?"
    assert page.get_by_text("dere trenger om lag", exact=False).first.is_visible()
    assert page.locator("figure.chart img").count() == 7
    assert_accessible(page)

    # the scenario chooser, then the numbers behind a chart open by keyboard
    page.get_by_label("Scenario for de neste 20 årene").select_option("zero-migration")
    page.get_by_role("button", name="Vis scenarioet").click()
    page.wait_for_load_state()
    assert page.url.endswith("?scenario=zero-migration")
    assert "Ingen flytting" in page.locator("main").inner_text()
    summary = page.locator("#chart-components summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#chart-components table").is_visible()
    assert_accessible(page)

    # 2. bottlenecks: rate and save
    page.get_by_role("link", name="2. Flaskehalser").click()
    page.wait_for_url("**/plan/4028/bottlenecks/")
    assert_accessible(page)
    page.locator("#id_rating_housing").select_option("bottleneck")
    page.locator("#id_notes_housing").fill("For få utleieboliger i sentrum")
    page.get_by_role("button", name="Lagre vurderingen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Vurderingen er lagret.").is_visible()
    assert "For få utleieboliger i sentrum" in page.locator("#latest ~ div table").first.inner_text()
    assert_accessible(page)

    # 3. target group: choose labour immigrants and write one measure
    page.get_by_role("link", name="3. Målgruppe").click()
    page.wait_for_url("**/plan/4028/target-group/")
    assert_accessible(page)
    page.get_by_role("group", name="Valgt målgruppe").get_by_label("Arbeidsinnvandrere", exact=True).check()
    page.get_by_label("Mål", exact=True).fill("20 flere i arbeidsalder innen 2030")
    page.locator("#id_measures-0-name").fill("Prøveboliger for arbeidsinnvandrere")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Målgruppen og kjeden er lagret.").is_visible()
    assert "Prøveboliger for arbeidsinnvandrere" in page.locator("#chain ~ div table").first.inner_text()
    assert_accessible(page)

    # 4. honest message
    page.get_by_role("link", name="4. Ærlig budskap").click()
    page.get_by_label("Tittel").fill("Nettsiden")
    page.get_by_label("Kampanjetekst").fill("Barnehageplass garantert! Fjell, fjord og stillhet – idyllen venter.")
    page.get_by_role("button", name="Sjekk teksten").click()
    page.wait_for_load_state()
    claims = page.locator("#report ~ div table").first.inner_text()
    assert "Barnehageplass garantert" in claims and "Ærlig omskriving" in claims
    assert page.get_by_text("Kommunen leser «mange» som mer enn 10.").is_visible()
    assert_accessible(page)

    # 5. does it work? (no households yet)
    page.get_by_role("link", name="5. Virker det?").click()
    page.wait_for_url("**/plan/4028/results/")
    assert_accessible(page)

    # the plan as a document
    page.get_by_role("link", name="Planen som dokument").click()
    page.wait_for_url("**/plan/4028/export/")
    assert_accessible(page)
    # the whole document is built on a cold cache in this test session (projection, charts, PDF/UA layout), as
    # background work (the tests' immediate backend finishes it before the job's page opens)
    page.get_by_role("button", name="Lag planen som PDF").click(timeout=120_000)
    page.wait_for_url("**/jobs/*/", timeout=120_000)
    assert page.get_by_role("status").get_by_text("Ferdig").is_visible()
    assert_accessible(page)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name=re.compile(r"^Last ned plan-4028-Kviteseid-.*\.pdf$")).click()
    path = download_info.value.path()
    text = " ".join(extract_pdf_text(Path(path).read_bytes()).split())  # table cells wrap over lines
    assert "Kviteseid" in text and "Kilde: Statistisk sentralbyrå" in text
    assert "For få utleieboliger i sentrum" in text and "Prøveboliger for arbeidsinnvandrere" in text
    assert "2 463" in text or "2\xa0463" in text


def test_a_stranger_gets_not_found(page, people, log_in):
    log_in(people.bob, next_url="/plan/4028/")
    assert page.get_by_role("heading", level=1).inner_text() != "Hvor går Kviteseid, og hvem trenger kommunen?"
    response = page.goto("/plan/4028/")
    assert response.status == 404


def test_the_evidence_page_fits_a_phone(chromium, live_server, analyst, password):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/accounts/login/?next=/plan/4028/")
    page.get_by_label("Brukernavn").fill("anna")
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/plan/4028/")
    # charts shrink to the screen; wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widths = page.evaluate(
        "[...document.querySelectorAll('figure.chart img')].map(i => i.getBoundingClientRect().width)"
    )
    assert len(widths) == 7 and max(widths) <= 375
    context.close()
