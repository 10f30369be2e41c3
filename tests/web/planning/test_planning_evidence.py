"""The evidence page (section 1 of the plan) on the real snapshot: Kviteseid (4028)."""

from __future__ import annotations

import re


def test_the_evidence_page_shows_kviteseids_real_figures(people, analyst, client_for):
    response = client_for(analyst).get("/plan/4028/")
    assert response.status_code == 200
    html = response.content.decode()
    # SSB 07459: 2 463 residents in Kviteseid on 1 January 2026
    assert "2\xa0463" in html
    assert "Kilde: Statistisk sentralbyrå" in html
    # every chart comes as an image with a text alternative, a table and, where projected, an estimate mark
    # 7: Telemark has registered in- and out-migration by age, and the estimated sex split beside it
    assert html.count('class="chart"') == 7
    assert html.count("data:image/svg+xml;base64,") == 7
    assert "Nettoinnflytting etter alder og kjønn, Kviteseid 2016–2025 (beregnet)" in html
    assert html.count("<details>") >= 6
    assert html.count('class="estimated"') >= 5
    assert "Beregnede tall" in html and "Med ord" in html and "Tallene bak figuren" in html
    # the target-seeking answer from the projection engine
    assert re.search(r"dere trenger om lag \d+ flere innflyttere i året", html)
    # the comparison set and the attractiveness model
    assert "5034 Meråker" in html
    assert "plass 93 av 102 i sentralitetsklasse 5" in html
    # every key figure beside the neighbours, the region, the county and Norway: the same table as the plan's
    assert "Kviteseid sammenlignet med nabokommunene, regionen, fylket og Norge" in html
    assert "Nabokommuner: Seljord, Tokke, Vinje, Nissedal og Midt-Telemark" in html


def test_the_scenario_chooser_changes_the_projection(people, analyst, client_for):
    client = client_for(analyst)
    trend = client.get("/plan/4028/?scenario=trend").content.decode()
    zero = client.get("/plan/4028/?scenario=zero-migration").content.decode()
    assert "Ingen flytting" in zero and "Ingen flytting:" not in trend
    assert trend != zero


def test_an_unknown_scenario_falls_back_to_the_plans_scenario(people, analyst, client_for):
    response = client_for(analyst).get("/plan/4028/?scenario=nonsense")
    assert response.status_code == 200
    assert "Trend (10 år)" in response.content.decode()


def test_a_stranger_gets_404_and_contact_persons_may_only_read(people, analyst, client_for):
    assert client_for(people.bob).get("/plan/4028/").status_code == 404
    assert client_for(analyst).get("/plan/4036/").status_code == 404
    assert client_for(people.alice).get("/plan/4028/").status_code == 200
    response = client_for(people.alice).post("/plan/4028/peers/", {"peers": "4036"})
    assert response.status_code == 403


def test_the_analyst_edits_the_comparison_set(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    client = client_for(analyst)
    response = client.post("/plan/4028/peers/", {"peers": "Vinje, 4026"})
    assert response.status_code == 302
    assert Plan.objects.get(municipality="4028").peers == ["4036", "4026"]
    html = client.get("/plan/4028/").content.decode()
    assert "4036 Vinje" in html and "4026 Tinn" in html and "5034 Meråker" not in html
    client.post("/plan/4028/peers/", {"automatic": "1"})
    assert Plan.objects.get(municipality="4028").peers is None


def test_an_unknown_peer_is_refused_with_a_message(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    client = client_for(analyst)
    response = client.post("/plan/4028/peers/", {"peers": "Atlantis"}, follow=True)
    assert "«Atlantis»" in response.content.decode() or "“Atlantis”" in response.content.decode()
    assert Plan.objects.get(municipality="4028").peers is None


def test_the_page_is_in_english_too(people, analyst, client_for):
    client = client_for(analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/plan/4028/").content.decode()
    assert "Key figures" in html
    assert re.search(r"you need about \d+ more in-migrants a year", html)


def test_outside_telemark_the_one_migration_chart_is_by_age_and_sex():
    from blilyst.plan import needs

    # Kvitsøy (1144) has no registered migration by age in the bundled data: net migration by age and sex,
    # estimated, is the chart, and there is no second one
    chart = needs.migration_by_age_chart("1144", "nb")
    assert chart.title == "Nettoinnflytting etter alder og kjønn, Kvitsøy 2016–2025 (beregnet)" and chart.estimated
    assert list(chart.table.columns) == ["Alder", "Menn", "Kvinner"]
    assert needs.migration_by_sex_chart("1144", "nb") is None
    assert len(needs.all_charts("1144", "trend", "nb")) == 6 and len(needs.all_charts("4028", "trend", "nb")) == 7


def test_the_share_of_growth_from_immigration_against_the_raw_data(people, analyst, client_for):
    from blilyst.plan import needs
    from blilyst.stats.snapshot import load_snapshot

    snap = load_snapshot()
    imm = snap.immigrants_by_reason
    pop = snap.population

    def immigrants(code, year):
        return imm[(imm.municipality == code) & (imm.reason == "all") & (imm.year == year)].persons.sum()

    def population(code, year):
        return pop[(pop.municipality == code) & (pop.year == year)].population.sum()

    # Kviteseid: 177 immigrants on 1 January 2016, 188 in 2021, while the population fell 2 448 -> 2 430
    assert (immigrants("4028", 2016), immigrants("4028", 2021)) == (177, 188)
    assert (population("4028", 2016), population("4028", 2021)) == (2448, 2430)
    html = client_for(analyst).get("/plan/4028/").content.decode()
    assert "Innvandrerbefolkningen endret seg med +11 i 2016–2020." in html
    assert "Uten flere innvandrere ville nedgangen vært større." in html
    # every "last ten years" figure says which years it covers
    born = (
        "I 2011–2025 ble det født færre enn det døde (om lag −159), og nettoinnflyttingen var +126 (registrert av SSB)"
    )
    assert born in html
    # Oslo grew: the growth of the immigrant population as a share of the population growth, same years
    share = needs.immigration_share("0301")
    expected = (immigrants("0301", 2021) - immigrants("0301", 2016)) / (
        population("0301", 2021) - population("0301", 2016)
    )
    assert share.share == expected and round(100 * expected) == 35
    assert "tilsvarer 35\xa0% av veksten" in needs.immigration_text(
        "0301", "nb"
    ) or "tilsvarer 35 % av veksten" in needs.immigration_text("0301", "nb")


def test_components_of_change_add_up_with_the_residual_shown():
    from blilyst.plan import needs
    from blilyst.stats.snapshot import load_snapshot

    table = needs.components_chart("4028", "nb").table.set_index("År")
    assert list(table.index) == list(range(2016, 2026))  # the last ten years
    # 2017: the registered population fell 2 442 -> 2 397; SSB 01223 (bundled for Telemark) registers 17 births,
    # 40 deaths and net migration of -20 (83 + 20 in, 107 + 16 out): nothing estimated, a residual of -2
    pop = load_snapshot().population
    kv = pop[pop.municipality == "4028"].groupby("year").population.sum()
    assert int(kv[2018] - kv[2017]) == -45
    row = table.loc[2017]
    assert (row["Fødte"], row["Døde"], row["Nettoinnflytting"], row["Endring"], row["Rest *"]) == (
        "17",
        "40",
        "\u221220",  # Norwegian writes a true minus sign
        "\u221245",
        "\u22122",
    )
    for year, r in table.iterrows():  # change = births - deaths + net migration + residual, to rounding
        value = lambda cell: int(cell.replace(" *", "").replace("\xa0", "").replace("−", "-"))  # noqa: E731
        assert (
            abs(
                value(r["Fødte"])
                - value(r["Døde"])
                + value(r["Nettoinnflytting"])
                + (value(r["Grenseendring"]) if "Grenseendring" in r else 0)
                + value(r["Rest *"])
                - value(r["Endring"])
            )
            <= 2
        ), year
    assert "Rest = endring − (fødte − døde + nettoinnflytting)" in needs.components_note("nb")


def test_components_show_border_changes_apart_and_no_migration_for_split_years():
    """Notodden 2019: 442 people came with the border from Midt-Telemark (SSB 01223), not by moving; Haram's
    2016-2023 stocks are half of Ålesund's (csdata), so no net migration can be read from them."""
    from blilyst.plan import needs

    notodden = needs.components_chart("4005", "nb")
    row = notodden.table.set_index("År").loc[2019]
    assert (row["Grenseendring"], row["Nettoinnflytting"], row["Endring"]) == ("+442", "\u221250", "+367")
    assert "Grenseendringer flyttet +442 personer" in notodden.alt_text
    haram = needs.components_chart("1580", "nb")
    assert (haram.table.set_index("År").loc[2016:2023, "Nettoinnflytting"] == "–").all()
    assert "nan" not in haram.alt_text and "nan" not in needs.immigration_text("1580", "nb")
    assert "kan ikke beregnes" in needs.immigration_text("1580", "nb")


def test_commuting_and_old_figures_say_their_year():
    """The plan is dated today (2026): 03321 is from 2017 and immigrants by reason end in 2021."""
    import datetime as dt

    from blilyst.plan import needs

    text = needs.commuting_text("4028", "nb")
    assert text.startswith("I 2017 hadde 1\u00a0226 personer bosatt i Kviteseid jobb; 725 av dem (59\u00a0%)")
    assert "Seljord (162)" in text and "(SSB 03321)" in text
    age = dt.date.today().year - 2017
    assert f"Tallene er fra 2017, {age} år gamle" in text
    assert "Tallene er fra 2021" in needs.immigration_text("4028", "nb")
    assert "Tallene er fra 2021" in needs.reasons_table("4028", "nb").note
    assert needs.data_age_note(2024, dt.date(2026, 12, 6)) == ""
