"""The plan's sections from the registers' counts and the projection: competence, recruitment needs, what the
service does not offer, the message per target group."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.errors import InputError
from blilyst.plan import needs
from blilyst.plan.capacity import Capacity
from blilyst.plan.groupmessages import group_messages_section, needs_of
from blilyst.plan.honesty import check_campaign
from blilyst.plan.recruitment import not_offered_section, recruitment_section
from blilyst.plan.saved import SavedCampaign, SavedPlan, evidence_to_json
from blilyst.plan.targetgroups import get_group

DAY = dt.date(2026, 11, 2)
CAP = Capacity(
    housing={"rental": 0, "for_sale": 2, "trial_housing": 1},
    kindergarten_free={m: (0 if m == 8 else 2) for m in range(1, 13)},
    vacancies={"health": 4, "education": 1},
    vacancies_advertised=3,
    vacancies_known=5,
    occupations={"sykepleier": 3, "lærer": 1, "helsefagarbeider": 1},
    offers={"host": 0},
    as_of=DAY,
)


def _rows(section, i=0):
    return [tuple(r) for r in section.tables[i].frame.itertuples(index=False)]


def test_competence_counts_who_leaves_and_enters_the_working_age_from_the_projection():
    summary = needs.projection("4028", "trend").summary()
    section = needs.competence("4028", "trend", "nb")
    rows = {r[0]: r[1:] for r in _rows(section)}
    leave10 = summary["reaching_67"].iloc[:10].sum()
    enter20 = summary["reaching_20"].iloc[:20].sum()
    assert rows["Innbyggere som fyller 67 og går ut av yrkesaktiv alder"][0] == f"{leave10:.0f}"
    assert rows["Innbyggere som fyller 20 og går inn i yrkesaktiv alder"][1] == f"{enter20:.0f}"
    # Kviteseid, trend: more leave than enter, so the difference before migration is negative
    assert rows["Differanse før flytting"][0].startswith("\u2212")
    text = " ".join(section.paragraphs)
    assert "1\u00a0104 arbeidsplasser i Kviteseid" in text  # SSB 13470, 2017
    assert "ikke sysselsatte etter næring og alder" in text  # the sector is missing, said plainly


def test_recruitment_needs_by_sector_and_occupation():
    section = recruitment_section(CAP, "nb")
    assert "5 ledige stillinger i stillingsregisteret" in section.paragraphs[0]
    assert "3 av dem (60\u00a0%) var lyst ut offentlig" in section.paragraphs[0]
    assert _rows(section, 0) == [("Helse og omsorg", "4"), ("Skole og barnehage", "1")]
    assert _rows(section, 1)[0] == ("Sykepleier", "3")
    assert recruitment_section(Capacity(), "nb") is None  # an empty vacancy register: "not filled in yet"
    assert recruitment_section(CAP, "en").title == "Employers' recruitment needs"


def test_what_the_service_does_not_offer_hides_small_counts_of_unmet_needs():
    section = not_offered_section(CAP, {"housing": 4, "kindergarten": 1, "job": 2}, "nb")
    missing = dict(_rows(section, 0))
    assert missing["Bolig"] == "Ingen ledige utleieboliger."
    assert ("Barnehage", "Ingen ledig plass i august.") in _rows(section, 0)
    assert ("Verter", "Ingen aktiv vert eller mentor for tilflyttere.") in _rows(section, 0)
    # 1 and 2 are households' needs: hidden; 4 is shown (no total is printed that would reveal them)
    assert _rows(section, 1) == [("Bolig", "4"), ("Jobb", "skjult (under 3)"), ("Barnehageplass", "skjult (under 3)")]
    assert not_offered_section(None, {}, "nb") is None


def test_the_message_for_each_target_group_holds_its_needs_against_the_registers():
    families, labour = get_group("job_seeking_families"), get_group("labour_immigrants")
    assert needs_of(families) == ("housing", "jobs", "kindergarten")
    assert needs_of(labour) == ("housing", "jobs")
    report = check_campaign("Barnehageplass garantert hele året for alle!", CAP)
    section = group_messages_section([families, labour], CAP, report, "nb")
    rows = _rows(section)
    assert rows[0][0] == "Jobbsøkende barnefamilier (innflyttere i alderen 0–15 og 30–44 år)"
    assert "5 ledige stillinger, mest innen helse og omsorg og skole og barnehage" in rows[0][1]
    assert rows[0][1].startswith("ledig nå: boliger til salgs (2) og prøveboliger (1);")
    assert rows[0][2] == "barnehageplass i august"
    assert rows[0][3].startswith("1 løfte uten dekning")  # the kindergarten guarantee matters to families
    assert rows[1][2] == "–" and rows[1][3] == "ingen løfter uten dekning om dette"
    assert group_messages_section([], CAP, report, "nb") is None
    nn = group_messages_section([labour], CAP, None, "nn")
    assert nn.title == "Bodskapen til kvar målgruppe" and _rows(nn)[0][3] == "–"


def test_the_registers_travel_in_the_plan_file():
    saved = SavedPlan("4028", registers=evidence_to_json(CAP, {"housing": 4}, [], 0))
    again = SavedPlan.from_json(saved.to_json())
    assert again.registers == saved.registers
    assert again.register_evidence().capacity.vacancies == {"health": 4, "education": 1}
    data = saved.to_json() | {"registers": {"capacity": {"vacancies": {"health": -1}}}}
    with pytest.raises(InputError, match="kan ikke være negativ"):
        SavedPlan.from_json(data)
    with pytest.raises(InputError, match="planfil: «registers» må være et objekt"):  # bokmål, the default
        SavedPlan.from_json(saved.to_json() | {"registers": [1]})


# SSB's Statbank export of 07984 for one municipality (the layout of a CSV download), with the totals it carries
STATBANK = [
    ["region", "næring (SN2007)", "alder", "Sysselsatte personer 2025"],
    ["4028 Kviteseid", "00-99 Alle næringer", "15-74 år", "1200"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "15-74 år", "300"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "15-19 år", "10"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "20-24 år", "20"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "25-39 år", "80"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "40-54 år", "100"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "55-66 år", "84"],
    ["4028 Kviteseid", "86-88 Helse- og sosialtjenester", "67-74 år", "6"],
    ["4028 Kviteseid", "85 Undervisning", "40-54 år", "30"],
    ["4028 Kviteseid", "85 Undervisning", "55-66 år", "24"],
    ["4028 Kviteseid", "01-03 Jordbruk, skogbruk og fiske", "55-66 år", "1"],
    ["4028 Kviteseid", "10-33 Industri", "55-66 år", ".."],
]


def _statbank():
    from blilyst.plan.competence import EmploymentTable, employment_rows

    rows = employment_rows(STATBANK[0], [(i + 2, r) for i, r in enumerate(STATBANK[1:])])
    return EmploymentTable(2025, "SSB 07984", tuple(rows))


def test_the_employed_by_industry_and_age_add_the_industries_to_the_competence_section():
    from blilyst.plan.competence import sector_table

    table = _statbank()
    # the all-industries total, the 15–74 totals and SSB's '..' are left out: nobody is counted twice
    assert {r["industry"] for r in table.rows} == {
        "86-88 Helse- og sosialtjenester",
        "85 Undervisning",
        "01-03 Jordbruk, skogbruk og fiske",
    }
    rows = {r[0]: r[1:] for r in _rows_of(sector_table(table, "nb"))}
    # health: 84 aged 55–66 spread over 12 ages = 7 a year; ages 57–66 on 1 January 2026 reach 67 by 2035 (70);
    # by 2045 also ages 47–54 of the 100 aged 40–54 (8/15 of them, 53): 137 of 300
    assert rows["86-88 Helse- og sosialtjenester"] == ("300", "70", "23\u00a0%", "137", "46\u00a0%")
    assert rows["01-03 Jordbruk, skogbruk og fiske"][1:] == ("under 3", "–", "under 3", "–")
    section = needs.competence("4028", "trend", "nb", table)
    assert len(section.tables) == 2 and "SSB 07984, 2025" in section.paragraphs[-1]
    assert not any("kan ikke leses ut" in p for p in section.paragraphs)  # the missing-sector sentence goes
    saved = SavedPlan("4028", employment=table)
    assert SavedPlan.from_json(saved.to_json()).employment == table


def test_a_file_without_industry_and_age_columns_is_refused():
    from blilyst.plan.competence import employment_rows

    with pytest.raises(InputError, match="næring"):
        employment_rows(["kommune", "antall"], [(2, ["4028", "3"])])
    with pytest.raises(InputError, match="linje 2"):
        employment_rows(["næring", "alder", "sysselsatte"], [(2, ["85 Undervisning", "55-66 år", "mange"])])


def _rows_of(table):
    return [tuple(r) for r in table.frame.itertuples(index=False)]


def test_the_plans_target_answer_uses_each_municipalitys_own_in_migrant_ages():
    """Issue 8: the plan slices one all-municipality run; each slice carries its own in-migrant ages, so
    Dyrøy's answer is the one a run of Dyrøy alone gives (6.7 a year, ages of the Telemark municipalities of
    its centrality class, said so) and Fyresdal's uses Fyresdal's own registered in-migrants, instead of one
    profile pooled over the 17 Telemark municipalities for every plan."""
    from blilyst.demography.scenarios import run_scenario

    dyroy = needs.target_seeking("5528", "en")
    alone = run_scenario("5528", "target-seeking", needs.HORIZON, snapshot=needs.snapshot())
    assert dyroy.per_year == pytest.approx(alone.extra_migrants[:, 0].mean())
    assert dyroy.per_year == pytest.approx(6.69, abs=0.01)
    assert "the 4 municipalities of centrality class 6 with data, all in Telemark" in dyroy.headline
    assert needs.target_seeking("4032", "en").headline.endswith("registered in-migrants to Fyresdal 2016–2025.")
    assert needs.projection("5528", "target-seeking").profile.shape == (2, 106)


def test_a_text_written_for_a_group_is_judged_for_that_group():
    families, labour = get_group("job_seeking_families"), get_group("labour_immigrants")
    general = check_campaign("Flytt hit! Vi har gode skoler og en flott natur.", CAP)
    for_families = check_campaign("Barnehageplass garantert hele året for alle!", CAP)
    section = group_messages_section(
        [families, labour], CAP, general, "nb", {"job_seeking_families": ("Barnefamiliesiden", for_families)}
    )
    rows = _rows(section)
    assert rows[0][3] == "«Barnefamiliesiden»: 1 løfte uten dekning: Barnehageplasser"
    assert rows[1][3] == "ingen løfter uten dekning om dette"  # the general text for the others
    saved = SavedPlan(
        "4028",
        group_campaigns=(SavedCampaign("Barnefamiliesiden", "Barnehageplass garantert!", target_group="x"),),
    )
    assert SavedPlan.from_json(saved.to_json()).group_campaigns == saved.group_campaigns
    with pytest.raises(InputError, match="target_group"):
        SavedPlan.from_json(saved.to_json() | {"group_campaigns": [{"title": "a", "text": "b"}]})


def test_a_wrong_employment_table_is_refused_in_the_active_language():
    from blilyst.i18n import override
    from blilyst.plan.competence import EmploymentTable

    with pytest.raises(InputError, match="employment.year: må være et år som 2025, ikke 1850"):  # bokmål
        EmploymentTable(1850, "SSB 07984", ({"industry": "Helse", "age": 40, "employed": 3},))
    with override("nn"), pytest.raises(InputError, match="employment.rows: tabellen har ingen rader"):
        EmploymentTable(2025, "SSB 07984", ())
    with override("en"), pytest.raises(InputError, match="employment: must be an object with year, source and rows"):
        EmploymentTable.from_json([])


def test_the_competence_sections_jobs_and_commuters_say_how_old_they_are():
    """Jobs (SSB 13470) and working residents (SSB 03321) end in 2017: the sentence says how old (issue 8)."""
    section = needs.competence("5528", "trend", "en")
    text = " ".join(section.paragraphs)
    assert "In 2017 there were 353 jobs in Dyrøy" in text
    assert f"These figures are from 2017, {dt.date.today().year - 2017} years ago" in text
