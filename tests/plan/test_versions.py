"""Plan versions: draft and adopted, the saved plan file, and what changed since the adopted version."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.plan.saved import SavedPlan
from blilyst.plan.versions import ADOPTED, AdoptedBaseline, VersionInfo, changes


def test_a_version_says_what_it_is():
    with override("nb"):
        assert VersionInfo(2).text() == "Versjon 2, utkast (ikke vedtatt)."
        adopted = VersionInfo(1, ADOPTED, dt.date(2027, 3, 12), "27/14")
        assert adopted.text() == "Versjon 1, vedtatt i kommunestyret 12. mars 2027 (sak 27/14)."
    with override("nn"):
        assert adopted.text() == "Versjon 1, vedteken i kommunestyret 12. mars 2027 (sak 27/14)."


def test_an_adopted_version_needs_its_date_and_case_number():
    with pytest.raises(InputError, match="datoen og kommunestyrets saksnummer"):  # bokmål, the default
        VersionInfo(1, ADOPTED, dt.date(2027, 3, 12), " ")


def test_the_saved_plan_file_keeps_the_version_and_the_adopted_baseline():
    baseline = AdoptedBaseline(
        VersionInfo(1, ADOPTED, dt.date(2027, 3, 12), "27/14"), {"goal": "Flere"}, {"population": 2470.0}
    )
    saved = SavedPlan("4028", target_in_migrants=5.0, version=VersionInfo(2), adopted=baseline)
    again = SavedPlan.from_json(__import__("json").loads(saved.dumps()))
    assert again == saved


def test_a_broken_version_in_the_file_is_named():
    with pytest.raises(InputError, match="«version.adopted_on» er ikke en dato"):  # bokmål, the default
        SavedPlan.from_json(
            {"format": "blilyst-plan/1", "municipality": "4028", "version": {"number": 1, "adopted_on": "12.03.2027"}}
        )


def test_changes_name_choices_and_figures():
    baseline = AdoptedBaseline(
        VersionInfo(1, ADOPTED, dt.date(2027, 3, 12), "27/14"),
        {
            "goal": "Flere innbyggere",
            "chosen_groups": ["returnees"],
            "measures": [{"name": "Velkomstpakke"}, {"name": "Prøveboliger", "cost": 100}],
            "target_in_migrants": None,
        },
        {"population": 2470.0, "share_67_plus": 0.232},
    )
    now = {
        "goal": "Flere innbyggere",
        "chosen_groups": ["labour_immigrants"],
        "measures": [{"name": "Prøveboliger", "cost": 450000}, {"name": "Jobbmesse"}],
        "target_in_migrants": 5,
    }
    names = {"returnees": "Tilbakeflyttere", "labour_immigrants": "Arbeidsinnvandrere"}
    with override("nb"):
        text = changes(baseline, now, {"population": 2463.0, "share_67_plus": 0.232}, names)
    assert text == [
        "Ny målgruppe: Arbeidsinnvandrere.",
        "Målgruppe tatt ut: Tilbakeflyttere.",
        "Nytt tiltak: Jobbmesse.",
        "Tiltak tatt ut: Velkomstpakke.",
        "Endret tiltak (ansvarlig, partnere, periode, kostnad eller måltall): Prøveboliger.",
        "Målet for flere innflyttere i året er endret fra – til 5.",
        "Folketall 1. januar siste år: 2\u00a0470 da planen ble vedtatt, 2\u00a0463 nå.",
    ]  # the share aged 67+ did not change, so it is not listed
