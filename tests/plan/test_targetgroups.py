"""Target groups against real Telemark migration, SSB reasons for immigration and IMDi settlement."""

from __future__ import annotations

import pytest

from blilyst.errors import InputError
from blilyst.plan.targetgroups import (
    HIERARCHY,
    bottlenecks_hitting,
    candidate_groups,
    check_priorities,
    evaluate_groups,
    get_group,
    group_evidence,
    immigrants_by_reason_shares,
    migration_age_profile,
    needs_fit,
    normalise_reason,
    reason_label,
    refugees_settled,
    user_group,
)

FYRESDAL, VINJE, FROYA = "4032", "4036", "5014"
TRADITIONAL_PLAN = {"returnees": 40, "lifestyle_movers": 30, "job_seeking_families": 20, "young_single": 10}


def test_the_hierarchy_has_the_guidance_five_levels_in_order():
    assert [g.level for g in HIERARCHY] == [1, 2, 3, 4, 5]
    assert [g.key for g in HIERARCHY] == [
        "returnees",
        "lifestyle_movers",
        "job_seeking_families",
        "young_single",
        "overlooked",
    ]
    level5 = [g.key for g in candidate_groups() if g.parent == "overlooked"]
    assert level5 == ["over_45", "refugees", "labour_immigrants", "family_reunification"]
    assert get_group("returnees").label("en") == "Returnees"
    assert get_group("returnees").label("nb") == "Tilbakeflyttere"


def test_fyresdal_share_of_in_migrants_aged_45_plus(migration_by_age):
    # Fyresdal 2021-2025: 383 in-migrants, 105 of them aged 45+; 295 out-migrants, 77 aged 45+
    ev = group_evidence(get_group("over_45"), FYRESDAL, migration_by_age=migration_by_age)
    assert ev.period == "2021–2025"
    assert ev.in_persons == 105 and ev.out_persons == 77
    assert ev.in_share == pytest.approx(105 / 383)
    assert ev.out_share == pytest.approx(77 / 295)
    shown = [i.display("nb") for i in ev.indicators]
    assert "Andel av innflyttere i alderen 45+ år: 27\xa0% (2021–2025)" in shown


def test_age_profile_partitions_all_moves(migration_by_age):
    profile = migration_age_profile(migration_by_age, FYRESDAL, years=[2024])
    # Fyresdal 2024: 71 in, 71 out (domestic moves by age)
    assert profile["in_migration"].sum() == 71
    assert profile["out_migration"].sum() == 71
    assert profile["in_share"].sum() == pytest.approx(1.0)
    assert profile["band"].tolist() == ["0–15", "16–17", "18–29", "30–44", "45–66", "67+"]


def test_age_profile_outside_telemark_says_why(migration_by_age):
    with pytest.raises(InputError, match="Telemark"):
        migration_age_profile(migration_by_age, "0301")


def test_immigrants_by_reason_for_fyresdal_2021(immigrants_by_reason):
    shares = immigrants_by_reason_shares(immigrants_by_reason, FYRESDAL).set_index("reason")
    assert shares.attrs["year"] == 2021
    # 126 immigrants: 33 labour, 39 family, 33 refugees, 6 education/other, 15 not stated
    assert shares["persons"].to_dict() == {
        "labour": 33,
        "family": 39,
        "refugee": 33,
        "education_other": 6,
        "unknown": 15,
    }
    assert shares.loc["family", "share"] == pytest.approx(39 / 126)


def test_refugee_settlement_in_fyresdal(refugee_settlement):
    table = refugees_settled(refugee_settlement, FYRESDAL).set_index("year")
    assert table.loc[2022, "settled"] == 26
    assert table.loc[2023].tolist() == [40, 30, 18]  # requested, decided, settled


def test_reason_labels_are_normalised():
    assert normalise_reason("Flyktninger og deres familieinnvandrede") == "refugee"
    assert normalise_reason("Arbeidsinnvandrere") == "labour"
    assert normalise_reason("Utdanning (inkl. au pair) eller andre grunner") == "education_other"
    assert normalise_reason("labour") == "labour"
    assert normalise_reason("Alle") is None


def test_a_family_plan_in_fyresdal_is_warned_with_numbers(migration_by_age, immigrants_by_reason, refugee_settlement):
    evidence = evaluate_groups(
        candidate_groups(),
        FYRESDAL,
        migration_by_age=migration_by_age,
        immigrants_by_reason=immigrants_by_reason,
        refugee_settlement=refugee_settlement,
    )
    warnings = {w.code: w for w in check_priorities(TRADITIONAL_PLAN, evidence)}
    assert {"traditional_focus", "refugees_ignored", "returnee_focus"} <= set(warnings)
    focus = warnings["traditional_focus"]
    assert focus.numbers["effort_traditional"] == pytest.approx(0.9)
    assert focus.numbers["in_share_45_plus"] == pytest.approx(105 / 383)
    assert "27\xa0% av innflytterne i 2021–2025 var 45 år eller eldre" in focus.text("nb")
    assert "27% of in-migrants in 2021–2025 were 45 or older" in focus.text("en")
    assert "27\xa0% av innflyttarane i 2021–2025 var 45 år eller eldre" in focus.text("nn")
    # 0 + 0 + 0 + 26 + 18 refugees settled in 2019-2023
    assert warnings["refugees_ignored"].numbers["refugees_settled"] == 44
    assert warnings["refugees_ignored"].text("nn").startswith("Kommunen busette 44 flyktningar i 2019–2023")
    under = [w for w in check_priorities(TRADITIONAL_PLAN, evidence) if w.code == "under_prioritised"]
    assert {w.groups[0] for w in under} == {"young_single", "over_45"}


def test_a_plan_that_follows_the_data_gets_no_bias_warning(migration_by_age, immigrants_by_reason, refugee_settlement):
    evidence = evaluate_groups(
        candidate_groups(),
        FYRESDAL,
        migration_by_age=migration_by_age,
        immigrants_by_reason=immigrants_by_reason,
        refugee_settlement=refugee_settlement,
    )
    balanced = {"job_seeking_families": 35, "young_single": 25, "over_45": 20, "refugees": 10, "labour_immigrants": 10}
    assert check_priorities(balanced, evidence) == []


def test_labour_immigrants_ignored_in_froya(immigrants_by_reason):
    # Frøya: 68 % of the immigrants living there in 2021 came to work
    evidence = evaluate_groups(
        [get_group(k) for k in ("labour_immigrants", "refugees", "family_reunification")],
        FROYA,
        immigrants_by_reason=immigrants_by_reason,
    )
    warnings = {w.code: w for w in check_priorities(TRADITIONAL_PLAN, evidence)}
    labour = warnings["labour_immigrants_ignored"]
    assert labour.numbers["immigrant_share_labour"] == pytest.approx(0.6777, abs=1e-4)
    assert "68\xa0% i 2021" in labour.text("nb")


def test_user_defined_group_by_age_and_competence(migration_by_age):
    nurses = user_group(
        "nurses_25_39",
        {"nb": "Sykepleiere 25–39", "en": "Nurses 25–39"},
        age_range=(25, 39),
        household_types=("couple", "family"),
        competence=("nurse",),
    )
    assert nurses.user_defined and nurses.level is None
    ev = group_evidence(nurses, VINJE, migration_by_age=migration_by_age, years=[2023, 2024, 2025])
    rows = migration_by_age[(migration_by_age.municipality == VINJE) & migration_by_age.year.isin([2023, 2024, 2025])]
    expected = rows[rows.age.between(25, 39)].in_migration.sum() / rows.in_migration.sum()
    assert ev.in_share == pytest.approx(expected)
    assert ev.period == "2023–2025"


def test_user_groups_are_validated():
    with pytest.raises(InputError, match="age_range"):
        user_group("x", "X", age_range=(50, 20))
    with pytest.raises(InputError, match="er en av gruppene i veilederen"):  # bokmål, the default
        user_group("returnees", "Mine")
    with pytest.raises(InputError, match="priorities"):
        check_priorities({"astronauts": 1}, [])


def test_bottlenecks_that_hit_a_group():
    import datetime as dt

    from blilyst.plan.bottlenecks import assess

    a = assess(
        "4032",
        dt.date(2025, 5, 1),
        {"kindergarten": "bottleneck", "housing": "partly", "jobs": "good", "receiving": "bottleneck"},
    )
    assert bottlenecks_hitting(get_group("job_seeking_families"), a) == [
        ("kindergarten", "bottleneck"),
        ("housing", "partly"),
    ]
    assert bottlenecks_hitting(get_group("labour_immigrants"), a) == [
        ("receiving", "bottleneck"),
        ("housing", "partly"),
    ]
    young = user_group("students", "Studenter", age_range=(19, 24))
    assert bottlenecks_hitting(young, a) == [("receiving", "bottleneck"), ("housing", "partly")]


def test_needs_fit_with_the_working_ages():
    fit = needs_fit(get_group("over_45"))
    # 45..105 is 61 ages, of which 45..66 (22) are working ages
    assert fit.age_overlap == pytest.approx(22 / 61)
    assert fit.text["nb"] == "36\xa0% av gruppens aldre ligger innenfor 20–66 år."
    nurses = user_group("nurses", "Sykepleiere", age_range=(25, 39), competence=("nurse", "midwife"))
    fit = needs_fit(nurses, needed_competence=["Nurse", "engineer"])
    assert fit.age_overlap == 1.0 and fit.competence == ("nurse",)
    assert needs_fit(get_group("returnees")).age_overlap is None


def test_user_groups_take_part_in_the_priority_check(migration_by_age):
    seniors = user_group("seniors", "Seniorer 55–74", age_range=(55, 74), household_types=("couple",))
    young = get_group("young_single")
    evidence = evaluate_groups([seniors, young], VINJE, migration_by_age=migration_by_age)
    # the glossary's word for household: husstand in bokmål, hushald in nynorsk
    assert evidence[0].notes[0]["nb"].startswith("Husstandstype, opprinnelse og kompetanse finnes ikke")
    assert evidence[0].notes[0]["nn"].startswith("Hushaldstype, opphav og kompetanse finst ikkje")
    # a municipality's own group keeps the name it was given, in every language
    assert {seniors.label(lang) for lang in ("nb", "nn", "en")} == {"Seniorer 55–74"}
    # Vinje 2021-2025: young people 18-29 are a large share of in-migrants; a plan all on seniors is warned
    warnings = {(w.code, w.groups[0]) for w in check_priorities({"seniors": 1}, evidence)}
    assert ("under_prioritised", "young_single") in warnings
    assert ("over_prioritised", "seniors") in warnings


def test_groups_outside_telemark_borrow_the_nearest_registered_shares_and_say_so(
    migration_by_age, immigrants_by_reason, refugee_settlement
):
    """Dyrøy (Troms) has no registered moves by age offline: the age-based groups show the shares of the
    centrality-class-6 municipalities that have them (Telemark), labelled, instead of '–'."""

    frames = {
        "migration_by_age": migration_by_age,
        "immigrants_by_reason": immigrants_by_reason,
        "refugee_settlement": refugee_settlement,
    }
    dyroy = evaluate_groups(candidate_groups(), "5528", **frames)
    fyresdal = evaluate_groups(candidate_groups(), "4032", **frames)
    assert sum(1 for e in dyroy if e.indicators) == sum(1 for e in fyresdal if e.indicators)
    aged = [e for e in dyroy if e.group.age_ranges and e.in_share is not None]
    assert aged and all(e.in_persons is None and e.out_share is None for e in aged)  # no local counts made up
    source = aged[0].indicators[0].source
    assert "sentralitetsklasse 6" in source["nb"] and "Telemark" in source["nb"] and "2021–2025" in source["nb"]
    assert any("ingen registrerte flyttinger etter alder" in n["nb"] for n in aged[0].notes)
    assert "sentralitetsklasse 6" in aged[0].notes[0]["nn"] and "flyttingar" in aged[0].notes[0]["nn"]


def test_refugee_figures_say_they_end_in_2023(migration_by_age, immigrants_by_reason, refugee_settlement):
    refugees = [g for g in candidate_groups() if "refugee" in g.immigration_reasons]
    ev = group_evidence(refugees[0], FYRESDAL, refugee_settlement=refugee_settlement)
    assert any(i.key == "refugees_settled" and i.period == "2019–2023" for i in ev.indicators)
    assert any("slutter i 2023" in n["nb"] and "later settlements are not counted" in n["en"] for n in ev.notes)


def test_the_guidance_groups_have_the_glossary_names_in_each_written_standard():
    names = {g.key: (g.label("nb"), g.label("nn")) for g in candidate_groups()}
    assert names["job_seeking_families"] == ("Jobbsøkende barnefamilier", "Jobbsøkjande barnefamiliar")
    assert names["young_single"] == ("Unge og single jobbsøkere", "Unge og single jobbsøkjarar")
    assert names["family_reunification"] == ("Familiegjenforente", "Familiegjeneinte")
    assert names["returnees"] == ("Tilbakeflyttere", "Tilbakeflyttarar")
    assert get_group("returnees").description_text("nn").startswith("Folk som voks opp i kommunen")
    assert reason_label("refugee", "nn") == "Flyktningar og familien deira"


def test_a_single_refugee_is_written_in_the_singular():
    from blilyst.plan.targetgroups import GroupEvidence, Indicator

    one = Indicator("refugees_settled", {"nb": "", "nn": "", "en": ""}, 1.0, "persons", "2019–2023", {})
    evidence = [GroupEvidence(get_group("refugees"), FYRESDAL, indicators=(one,))]
    (warning,) = check_priorities({"young_single": 1}, evidence)
    assert warning.code == "refugees_ignored"
    assert warning.text("nb").startswith("Kommunen bosatte 1 flyktning i 2019–2023, men planen gir flyktninger")
    assert warning.text("en").startswith("The municipality settled 1 refugee in 2019–2023")


def test_immigrants_split_half_and_half_from_a_merged_municipality_show_shares_only(snapshot):
    """Haram's immigrants 2021 are half of the merged Ålesund's (1 698 labour immigrants were printed as
    Haram's): the target group gives the share with a note and no count; the reasons table likewise (issue 8)."""
    from blilyst.plan import needs
    from blilyst.plan.targetgroups import get_group, group_evidence

    ev = group_evidence(get_group("labour_immigrants"), "1580", immigrants_by_reason=snapshot.immigrants_by_reason)
    assert [i.key for i in ev.indicators] == ["immigrant_share"]
    assert ev.notes[0]["en"].startswith("In 2021 the municipality was part of a merged municipality")
    table = needs.reasons_table("1580", "en")
    assert set(table.frame["Persons"]) == {"–"} and "fixed share" in table.note
    own = group_evidence(get_group("labour_immigrants"), "4005", immigrants_by_reason=snapshot.immigrants_by_reason)
    assert [i.key for i in own.indicators] == ["immigrant_share", "immigrant_persons"]
