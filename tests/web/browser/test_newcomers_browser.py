"""The contact person's main path in a real browser, every page checked with axe-core; and tenant isolation.

Log in, register an inquiry, record needs, match (a suggestion and a recorded gap), set a follow-up, record moving in,
export, erase.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from blilyst.web.newcomers.models import Household
from blilyst.web.privacy.models import AnonymousOutcome
from blilyst.web.resources.models import Housing, MatchingGap


def test_the_main_path_of_a_contact_person(page, people, log_in, assert_accessible):
    Housing.objects.create(
        municipality=people.a,
        kind="trial",
        title="Prøvebolig på Fjågesund",
        bedrooms=3,
        size_m2=90,
        price=7_000,
        term_months=24,
        available_from=dt.date(2027, 10, 1),
    )
    Housing.objects.create(
        municipality=people.b,
        kind="trial",
        title="Rekkehus i Åmot",
        bedrooms=3,
        size_m2=100,
        price=8_000,
        term_months=24,
        available_from=dt.date(2027, 1, 1),
    )
    log_in(people.alice, next_url="/households/")
    page.wait_for_url("**/households/")
    assert page.get_by_role("heading", level=1).inner_text() == "Husstander"
    assert_accessible(page)

    # register an inquiry
    page.get_by_role("link", name="Registrer en henvendelse").click()
    page.wait_for_url("**/households/new/")
    assert_accessible(page)
    page.get_by_label("Navn på husstanden").fill("Familien Nowak")
    page.get_by_label("Navn på første voksne").fill("Piotr Nowak")
    page.get_by_label("E-post").fill("piotr@example.org")
    page.get_by_label("Målgruppe").select_option("labour_immigrants")
    page.get_by_label("Husstanden samtykker i teksten nedenfor").check()
    page.get_by_role("button", name="Registrer", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Henvendelsen er registrert.").is_visible()
    household = Household.objects.get(label="Familien Nowak")
    assert page.url.endswith(f"/households/{household.pk}/")
    assert_accessible(page)

    # record needs: trial housing with three bedrooms from August
    page.get_by_role("link", name="Registrer behov").click()
    page.get_by_label("Bolig", exact=True).select_option("trial")
    page.get_by_label("Soverom").fill("3")
    page.get_by_label("Bolig fra").fill("2027-08-01")
    page.get_by_label("Ønsker vert").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Behovene er lagret.").is_visible()
    assert "Prøvebolig, 3 soverom, fra 2027-08-01" in page.locator("main").inner_text()

    # match: the trial home in Kviteseid is suggested with its reasons; it comes too late, which is a
    # recorded gap; Vinje's listing is never shown
    page.get_by_role("link", name="Finn bolig, jobb og barnehageplass").click()
    page.wait_for_url(f"**/resources/match/{household.pk}/")
    assert_accessible(page)
    main = page.locator("main").inner_text()
    suggestion = page.locator("ol.suggestions li").first.inner_text()
    assert "Prøvebolig på Fjågesund: 3 soverom" in suggestion and "oktober 2027" in suggestion
    gap = MatchingGap.objects.get(household_id=household.pk)
    assert (gap.kind, gap.municipality_id, gap.resolved_on) == ("housing", "4028", None)
    assert "3 soverom" in gap.detail and "oktober 2027" in gap.detail and "august 2027" in gap.detail
    assert gap.detail[0].upper() + gap.detail[1:] in main
    assert "Rekkehus i Åmot" not in main
    page.get_by_role("link", name="Tilbake til husstanden").click()
    page.wait_for_url(f"**/households/{household.pk}/")

    # a follow-up: the next step with a due date, reached by keyboard
    page.get_by_role("link", name="Legg til neste steg").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/households/{household.pk}/tasks/")
    assert_accessible(page)
    page.get_by_label("Neste steg").fill("Ring om prøveboligen")
    page.get_by_label("Frist").fill("2027-01-15")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Neste steg er lagt til.").is_visible()

    # record moving in: three follow-up conversations are planned
    page.get_by_role("link", name="Endre status").first.click()
    page.get_by_label("Ny status").select_option("moved_in")
    page.get_by_label("Dato").fill("2026-06-15")
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Statusen er nå «Flyttet inn».").is_visible()
    assert page.get_by_role("cell", name="Oppfølgingssamtale etter 3 måneder", exact=True).is_visible()
    assert_accessible(page)

    # the 3-month follow-up conversation: do they feel included?
    page.get_by_role("link", name="Registrer en oppfølging").click()
    assert_accessible(page)
    page.get_by_label("Dato for samtalen").fill("2026-09-15")
    page.get_by_label("Måneder etter innflytting").fill("3")
    page.get_by_label("Føler seg inkludert").select_option("yes")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Oppfølgingen er registrert.").is_visible()
    assert household.follow_ups.get().feels_included == "yes"
    assert_accessible(page)

    # export everything held (a JSON download)
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON", exact=True).click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["household"]["label"] == "Familien Nowak" and data["household"]["status"] == "moved_in"
    assert data["adults"][0]["email"] == "piotr@example.org"
    assert [g["kind"] for g in data["matching_gaps"]] == ["housing"]

    # erase for good
    page.get_by_role("link", name="Slett husstanden").click()
    assert_accessible(page)
    page.get_by_label(f"Skriv husstandsnummeret ({household.pk}) for å bekrefte").fill(str(household.pk))
    page.get_by_role("button", name="Slett for godt").click()
    page.wait_for_url("**/households/")
    assert page.get_by_text("Familien Nowak er slettet.").is_visible()
    assert not Household.objects.filter(pk=household.pk).exists()
    assert AnonymousOutcome.objects.get().furthest_status == "moved_in"
    gap.refresh_from_db()
    assert gap.household_id is None and gap.kind == "housing"  # the bottleneck count stays, anonymous


def test_a_stranger_sees_a_not_found_page(page, people, log_in, assert_accessible):
    from blilyst.web.newcomers.demo import make_household

    household = make_household(people.a, "Familien Berg")
    log_in(people.bob, next_url="/households/")
    page.wait_for_url("**/households/")
    assert "Familien Berg" not in page.locator("main").inner_text()
    response = page.goto(f"/households/{household.pk}/")
    assert response.status == 404
    assert "Familien Berg" not in page.content()
    assert_accessible(page)


def test_the_contact_persons_pages_fit_a_phone_and_pass_axe(chromium, live_server, people, password, assert_accessible):
    """The demo households and listings on a 375 px phone: no page scrolls sideways (wide tables
    scroll inside their own box), and axe-core finds nothing on the phone layout either."""
    from blilyst.web.newcomers.demo import ensure_demo_households
    from blilyst.web.resources.demo import ensure_demo_resources

    ensure_demo_resources(people.a)
    ensure_demo_households(people.a, people.alice)
    nowak = Household.objects.get(label="Familien Nowak (demo)")
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Brukernavn").fill(people.alice.username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    for path in (
        "/households/",
        f"/households/{nowak.pk}/",
        f"/households/{nowak.pk}/needs/",
        f"/households/{nowak.pk}/tasks/",
        "/households/tasks/",
        f"/resources/match/{nowak.pk}/",
        "/resources/housing/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert_accessible(page)
    page.goto("/households/tasks/")
    due = page.locator("main").inner_text()
    assert "Ring tilbake om gardsbruket" in due and "Oppfølgingssamtale etter 3 måneder" in due
    context.close()
