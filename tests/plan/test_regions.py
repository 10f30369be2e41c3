"""Key figures beside the labour-market region, the county and Norway, against the raw snapshot."""

from __future__ import annotations

import pytest

from blilyst.plan.regions import regional_comparison
from blilyst.stats.register import get_register


@pytest.fixture(scope="module")
def kviteseid(snapshot):
    return regional_comparison("4028", snapshot, get_register(), "nb")


def test_the_columns_name_the_areas(kviteseid):
    assert list(kviteseid.frame.columns) == [
        "Nøkkeltall",
        "Kviteseid",
        "Bo- og arbeidsmarkedsregion: Seljord",
        "Fylke: Telemark",
        "Norge",
    ]


def test_the_figures_match_the_raw_snapshot(kviteseid, snapshot):
    pop = snapshot.population
    rows = kviteseid.frame.set_index("Nøkkeltall")
    # Kviteseid: 2 448 on 1 January 2016, 2 463 in 2026 (SSB 07459) -> +0,6 %
    assert rows.loc["Befolkningsendring 2016–2026", "Kviteseid"] == "+0,6\u00a0%"
    # Norway: all municipalities, computed here from the raw rows
    now = pop.loc[pop["year"] == 2026, "population"].sum()
    then = pop.loc[pop["year"] == 2016, "population"].sum()
    expected = f"+{100 * (now - then) / then:.1f}".replace(".", ",") + "\u00a0%"
    assert rows.loc["Befolkningsendring 2016–2026", "Norge"] == expected
    old = pop.loc[(pop["year"] == 2026) & (pop["age"] >= 67), "population"].sum() / now
    assert rows.loc["Andel 67 år og eldre, 2026", "Norge"] == f"{100 * old:.1f}".replace(".", ",") + "\u00a0%"
    # every 'per year' figure states its period
    assert "Fødselsoverskudd per 1 000 innbyggere per år, 2011–2025" in rows.index


def test_the_plan_document_carries_the_comparison(snapshot):
    from blilyst.plan.assembly import build_document
    from blilyst.plan.saved import SavedPlan

    document = build_document(SavedPlan("4028"))
    assert any(t.title == "Kviteseid sammenlignet med regionen, fylket og Norge" for t in document.tables)
