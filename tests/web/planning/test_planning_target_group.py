"""Target group: candidate groups with Kviteseid's evidence, warnings, and the written chain."""

from __future__ import annotations


def _post(client, **extra):
    """Post the form as a user who just opened it (with the plan's current version)."""
    from blilyst.web.planning.models import Plan

    version = Plan.objects.filter(municipality="4028").values_list("version", flat=True).first() or 1
    data = {
        "version": str(version),
        "chosen_groups": ["labour_immigrants"],
        "goal": "20 flere innbyggere i arbeidsalder innen 2030",
        "rationale": "Arbeidsinnvandrere er den største gruppen innvandrere",
        "indicator_name": "Folketall",
        "indicator_metric": "population",
        "indicator_target": "2500",
        "indicator_year": "2030",
        "indicator_baseline": "2463",
        "measures-TOTAL_FORMS": "2",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "12",
        "measures-0-name": "Prøveboliger for arbeidsinnvandrere",
        "measures-0-bottleneck": "housing",
        "measures-0-indicator_name": "Boliger registrert",
        "measures-0-indicator_metric": "housing_listed",
        "measures-0-indicator_target": "5",
        "measures-0-indicator_year": "2027",
    }
    data.update(extra)
    return client.post("/plan/4028/target-group/", data)


def test_candidate_groups_come_with_kviteseids_figures(people, analyst, client_for):
    html = client_for(analyst).get("/plan/4028/target-group/").content.decode()
    for name in ("Tilbakeflyttere", "Livsstilsflyttere", "Arbeidsinnvandrere", "Flyktninger"):
        assert name in html
    assert "2016–2025" in html or "2021–2025" in html  # the migration-by-age period of the Telemark data


def test_the_chain_is_saved_and_shown(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    client = client_for(analyst)
    assert _post(client).status_code == 302
    plan = Plan.objects.get(municipality="4028")
    chain = plan.chain()
    assert chain.target_groups == ("labour_immigrants",)
    assert chain.measures[0].bottleneck == "housing"
    assert chain.measures[0].indicators[0].target == 5
    html = client.get("/plan/4028/target-group/").content.decode()
    assert "Prøveboliger for arbeidsinnvandrere" in html
    assert "20 flere innbyggere i arbeidsalder innen 2030" in html


def test_priorities_that_contradict_the_data_are_warned_about(people, analyst, client_for):
    client = client_for(analyst)
    _post(client, effort_returnees="60", effort_lifestyle_movers="30", effort_job_seeking_families="10")
    html = client.get("/plan/4028/target-group/").content.decode()
    assert "av innsatsen går til tilbakeflyttere" in html  # returnee_focus warning (60 %)


def test_an_indicator_without_what_it_counts_is_refused(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    response = _post(client_for(analyst), indicator_metric="")
    assert response.status_code == 200
    assert Plan.objects.get(municipality="4028").goal == ""


def test_read_only_members_cannot_change_the_chain(people, analyst, client_for):
    assert _post(client_for(people.rita)).status_code == 403
    assert _post(client_for(people.bob)).status_code == 404


def test_a_group_of_their_own_gets_evidence_and_can_be_chosen(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    client = client_for(analyst)
    response = client.post(
        "/plan/4028/target-group/",
        {
            "add_group": "1",
            "group-name": "Sykepleiere med familie",
            "group-age_from": "25",
            "group-age_to": "44",
            "group-household_types": "family",
            "group-origins": "",
            "group-competence": "sykepleier",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(municipality="4028")
    assert plan.custom_groups[0]["key"] == "own_sykepleiere_med_familie"
    assert plan.custom_groups[0]["competence"] == ["sykepleier"]
    html = client.get("/plan/4028/target-group/").content.decode()
    assert "Sykepleiere med familie" in html
    assert "Andel av innflyttere i alderen 25–44 år" in html  # the Telemark migration-by-age evidence
    assert "100\xa0% av gruppens aldre ligger innenfor 20–66 år" in html
    _post(client, chosen_groups=["own_sykepleiere_med_familie"])
    chain = Plan.objects.get(municipality="4028").chain()
    assert chain.target_groups == ("own_sykepleiere_med_familie",)
    client.post("/plan/4028/target-group/", {"remove_group": "own_sykepleiere_med_familie"})
    plan = Plan.objects.get(municipality="4028")
    assert plan.custom_groups == [] and plan.chosen_groups == []


def test_a_group_needs_both_ages(people, analyst, client_for):
    from blilyst.web.planning.models import Plan

    response = client_for(analyst).post(
        "/plan/4028/target-group/", {"add_group": "1", "group-name": "Unge", "group-age_from": "20"}
    )
    assert response.status_code == 200
    assert Plan.objects.get(municipality="4028").custom_groups == []


def test_bottlenecks_that_hit_each_group_come_from_the_latest_assessment(people, analyst, client_for):
    client = client_for(analyst)
    data = {"assessed_on": "2025-10-01"}
    for key in ("receiving", "housing", "kindergarten", "jobs", "vacancies"):
        data[f"rating_{key}"] = "bottleneck" if key == "housing" else "good"
        data[f"notes_{key}"] = ""
    client.post("/plan/4028/bottlenecks/", data)
    html = client.get("/plan/4028/target-group/").content.decode()
    assert "Er det nok boliger, og er boligtilbudet variert nok? (Flaskehals)" in html


def test_each_group_row_holds_kviteseids_own_figures(people, analyst, client_for):
    """The figures computed here straight from the bundled data (Telemark migration by age 2021–2025, SSB
    immigrants by reason 2021, IMDi settlement 2019–2023) are the ones in the group's row."""
    import html as html_lib

    from blilyst.stats.snapshot import load_snapshot

    snap = load_snapshot()
    mig = snap.migration_by_age
    rows = mig[(mig.municipality == "4028") & mig.year.between(2021, 2025)]
    over_45 = rows[rows.age >= 45].in_migration.sum() / rows.in_migration.sum()
    imm = snap.immigrants_by_reason
    imm = imm[(imm.municipality == "4028") & (imm.year == 2021)].set_index("reason")["persons"]
    refugees = snap.refugee_settlement
    settled = refugees[
        (refugees.municipality == "4028") & (refugees.measure == "bosatt") & refugees.year.between(2019, 2023)
    ].persons.sum()
    assert (round(100 * over_45), imm["labour"], imm["all"], settled) == (27, 64, 188, 50)

    page = html_lib.unescape(client_for(analyst).get("/plan/4028/target-group/").content.decode())
    row = {
        name: page.split(f'<th scope="row">{name}', 1)[1].split("</tr>", 1)[0]
        for name in ("Folk over 45 år", "Arbeidsinnvandrere", "Flyktninger")
    }
    assert "27\xa0%" in row["Folk over 45 år"] or "27 %" in row["Folk over 45 år"]
    assert f"arbeidsinnvandrere: {imm['labour']:.0f} (2021)" in row["Arbeidsinnvandrere"]
    assert f"{round(100 * imm['labour'] / imm['all'])}" in row["Arbeidsinnvandrere"]
    assert f"Flyktninger bosatt: {settled:.0f} (2019–2023)" in row["Flyktninger"]
