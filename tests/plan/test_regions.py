"""Every key figure beside the neighbours, the labour-market region, the county and Norway, against the raw
snapshot."""

from __future__ import annotations

import pytest

from blilyst.plan.regions import neighbours, regional_comparison
from blilyst.stats.register import get_register

NEIGHBOURS = ["4022", "4034", "4036", "4030", "4020"]  # Seljord, Tokke, Vinje, Nissedal, Midt-Telemark


@pytest.fixture(scope="module")
def kviteseid(snapshot):
    return regional_comparison("4028", snapshot, get_register(), "nb")


def _pct(value: float) -> str:
    return f"{100 * value:.1f}".replace(".", ",") + "\u00a0%"


def _signed_pct(value: float) -> str:
    return ("+" if value > 0 else "\u2212") + _pct(abs(value))


def test_the_neighbours_are_the_nearby_commuting_partners(snapshot):
    # SSB 03321 (2017): Kviteseid exchanges 248 commuters with Seljord, 98 with Tokke, 67 with Vinje, 61 with
    # Oslo (weekly commuters, another county and region: not a neighbour), 52 with Nissedal, 47 with Midt-Telemark
    assert neighbours("4028", snapshot.commuting, get_register().frame()) == NEIGHBOURS


def test_the_columns_name_the_areas(kviteseid):
    assert list(kviteseid.frame.columns) == [
        "Nøkkeltall",
        "Kviteseid",
        "Nabokommuner",
        "Bo- og arbeidsmarkedsregion: Seljord",
        "Fylke: Telemark",
        "Norge",
    ]
    assert "Nabokommuner: Seljord, Tokke, Vinje, Nissedal og Midt-Telemark" in kviteseid.note


def test_the_figures_match_the_raw_snapshot(kviteseid, snapshot):
    pop = snapshot.population
    rows = kviteseid.frame.set_index("Nøkkeltall")
    # Kviteseid: 2 448 on 1 January 2016, 2 463 in 2026 (SSB 07459) -> +0,6 %
    assert rows.loc["Folketall 1. januar 2026", "Kviteseid"] == "2\u00a0463"
    assert rows.loc["Folketall 1. januar 2016", "Kviteseid"] == "2\u00a0448"
    assert rows.loc["Befolkningsendring 2016–2026", "Kviteseid"] == "+0,6\u00a0%"
    # Norway: all municipalities, computed here from the raw rows
    now = pop.loc[pop["year"] == 2026, "population"].sum()
    then = pop.loc[pop["year"] == 2016, "population"].sum()
    assert rows.loc["Befolkningsendring 2016–2026", "Norge"] == _signed_pct((now - then) / then)
    old = pop.loc[(pop["year"] == 2026) & (pop["age"] >= 67), "population"].sum() / now
    assert rows.loc["Andel 67 år og eldre, 2026", "Norge"] == _pct(old)
    # the neighbours: the five municipalities summed
    near = pop[pop["municipality"].isin(NEIGHBOURS)]
    near_now = near.loc[near["year"] == 2026, "population"].sum()
    near_old = near.loc[(near["year"] == 2016) & (near["age"] >= 67), "population"].sum()
    near_then = near.loc[near["year"] == 2016, "population"].sum()
    assert rows.loc["Andel 67 år og eldre, 2016", "Nabokommuner"] == _pct(near_old / near_then)
    assert rows.loc["Folketall 1. januar 2026", "Nabokommuner"] == f"{near_now:,.0f}".replace(",", "\u00a0")
    # every 'per year' figure states its period
    assert "Fødselsoverskudd per 1 000 innbyggere per år, 2011–2025" in rows.index


def test_every_key_figure_is_compared(kviteseid, snapshot):
    """The immigrant figures of the key-figure table are compared too, for their own stated years."""
    rows = kviteseid.frame.set_index("Nøkkeltall")
    imm = snapshot.immigrants_by_reason
    imm = imm[(imm["municipality"] == "4028") & (imm["reason"] == "all")].set_index("year")["persons"]
    pop = snapshot.population
    total_2021 = pop.loc[(pop["municipality"] == "4028") & (pop["year"] == 2021), "population"].sum()
    # Kviteseid: 188 immigrants in 2021, 159 in 2011 (the key figures say 188 and +29)
    assert rows.loc["Innvandrere som andel av befolkningen, 2021", "Kviteseid"] == _pct(imm[2021] / total_2021)
    assert rows.loc["Endring i innvandrerbefolkningen 2011–2021", "Kviteseid"] == _signed_pct(
        (imm[2021] - imm[2011]) / imm[2011]
    )
    assert len(rows) == 10  # population now and then, change, 67+ now and then, 20–66, natural, net, immigrants


def test_the_comparison_in_english_and_nynorsk(snapshot):
    en = regional_comparison("4028", snapshot, get_register(), "en")
    assert list(en.frame.columns)[2] == "Neighbours"
    assert en.frame.iloc[0, 1] == "2,463"
    nn = regional_comparison("4028", snapshot, get_register(), "nn")
    assert nn.title == "Kviteseid samanlikna med nabokommunane, regionen, fylket og Noreg"


def test_the_plan_document_carries_the_comparison(snapshot):
    from blilyst.plan.assembly import build_document
    from blilyst.plan.saved import SavedPlan

    document = build_document(SavedPlan("4028"))
    assert any(
        t.title == "Kviteseid sammenlignet med nabokommunene, regionen, fylket og Norge" for t in document.tables
    )


def test_areas_with_part_of_a_merged_split_municipality_show_no_earlier_figures(snapshot):
    """Haram and Ålesund 2016 and their immigrants 2011–2021 are half of the merged Ålesund each: Haram's
    column printed −70,5 % and its neighbours (Ålesund without Haram) +34,6 %. Areas holding only one of them
    show '–' with a note; the labour-market region and the county hold both, so their sums are real (issue 8)."""
    table = regional_comparison("1580", snapshot, get_register(), "nb")
    rows = table.frame.set_index("Nøkkeltall")
    change = rows.loc["Befolkningsendring 2016–2026"]
    assert (change["Haram"], change["Nabokommuner"]) == ("–", "–")
    assert change["Fylke: Møre og Romsdal"] != "–" and change["Bo- og arbeidsmarkedsregion: Ålesund"] != "–"
    assert rows.loc["Folketall 1. januar 2016", "Haram"] == "–"
    assert rows.loc["Innvandrere som andel av befolkningen, 2021", "Haram"] == "–"
    assert "Ålesund og Haram: slått sammen og delt igjen" in table.note
    assert not any("NaN" in str(v) or str(v) == "nan" for v in table.frame.to_numpy().ravel())
    kviteseid = regional_comparison("4028", snapshot, get_register(), "nb")
    assert "slått sammen og delt igjen" not in kviteseid.note
