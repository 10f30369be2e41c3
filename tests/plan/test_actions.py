"""The action plan and the goal check: what a council can hold someone to."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.plan.actions import action_item, action_items, gaps, goal_check

TRIAL_HOMES = {
    "name": "Prøveboliger",
    "responsible": "Næringssjefen",
    "partners": [{"kind": "business", "name": "Kviteseid Bygg AS"}, {"kind": "neighbour", "name": "Vinje kommune"}],
    "start": "2027-01-01",
    "end": "2029-12-31",
    "cost": 450000,
    "indicators": [
        {"name": "Husholdninger i prøvebolig", "metric": "moved_in_households", "target": 6, "target_year": 2029}
    ],
}


def test_a_measure_becomes_an_action_item_in_norwegian_words():
    item = action_item(TRIAL_HOMES)
    assert (item.start, item.end) == (dt.date(2027, 1, 1), dt.date(2029, 12, 31))
    with override("nb"):
        assert item.period_text() == "2027–2029"
        assert item.cost_text() == "450\u00a0000 kr"
        assert item.target_text() == "6 innen 2029"
        assert [p.text() for p in item.partners] == ["Kviteseid Bygg AS (næringsliv)", "Vinje kommune (nabokommuner)"]
    assert gaps([item]) == []


def test_what_an_item_lacks_is_named():
    items = action_items([{"name": "Velkomstpakke"}, {"name": ""}])
    assert len(items) == 1  # a row without a name is no measure
    with override("nb"):
        (gap,) = gaps(items)
    assert gap == (
        "«Velkomstpakke» mangler hvem som er ansvarlig, partnere utenfor kommunen, start og slutt, kostnad, "
        "en indikator med måltall."
    )


def test_an_end_before_the_start_is_refused_with_both_dates():
    with (
        override("en"),
        pytest.raises(InputError, match=r"ends \(1 January 2026\) before it starts \(1 January 2027\)"),
    ):
        action_item({**TRIAL_HOMES, "end": "2026-01-01"})
    with pytest.raises(InputError, match=r"slutter \(1\. januar 2026\) før det starter \(1\. januar 2027\)"):  # bokmål
        action_item({**TRIAL_HOMES, "end": "2026-01-01"})


@pytest.mark.parametrize(
    ("target", "needed", "verdict"),
    [(5, 11.4, "short"), (11, 11.4, "enough"), (20, 11.4, "enough"), (5, -2.0, "no_need")],
)
def test_the_goal_is_held_against_the_projection(target, needed, verdict):
    check = goal_check(target, needed, "25-39")
    assert check is not None and check.verdict == verdict


def test_a_short_goal_says_how_much_of_the_need_it_covers():
    check = goal_check(5, 11.4, "25-39")
    with override("nb"):
        text = check.text()
    assert "sikter mot 5 flere innflyttere" in text
    assert "om lag 11 i året, flest i alderen 25–39 år" in text
    assert "målet dekker 44\u00a0% av behovet" in text  # 5 / 11.4


def test_no_target_no_check():
    assert goal_check(None, 11.4, "25-39") is None
