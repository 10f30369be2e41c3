"""Each municipality's in-migrant age profile from the nearest registered data, and the sentence says which."""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.demography.inmigrants import ALL_REGISTERED, CENTRALITY, MODEL, OWN, in_migrant_profile, top_band
from blilyst.demography.scenarios import run_scenario
from blilyst.i18n import override
from blilyst.stats.register import get_register
from blilyst.stats.snapshot import load_snapshot

BANDS = ((0, 19), (20, 24), (25, 39), (40, 66), (67, 105))


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


def test_a_telemark_municipality_uses_its_own_registered_in_migrants(snap):
    info = in_migrant_profile(snap.migration_by_age, "4032", get_register())
    assert info.scope == OWN and info.municipalities == ("4032",) and info.years == tuple(range(2016, 2026))
    assert info.by_age.shape == (2, 106) and info.by_age.sum() == pytest.approx(1.0)
    # by hand: Fyresdal's in-migrants by age in the raw file, summed over 2016-2025
    rows = snap.migration_by_age[snap.migration_by_age.municipality == "4032"]
    by_hand = rows.groupby("age").in_migration.sum()
    assert info.by_age.sum(axis=0)[30] == pytest.approx(by_hand.get(30, 0) / by_hand.sum())
    with override("en"):
        assert info.describe() == "registered in-migrants to Fyresdal 2016–2025"


def test_troms_and_finnmark_use_their_centrality_class_and_say_where_the_data_are(snap):
    """Dyrøy (Troms) and Lebesby (Finnmark), class 6: no registered moves in their counties offline."""
    telemark_all = in_migrant_profile(snap.migration_by_age, None, get_register())
    for code in ("5528", "5624"):
        info = in_migrant_profile(snap.migration_by_age, code, get_register())
        assert info.scope == CENTRALITY and info.place == "6" and len(info.municipalities) == 4
        assert info.counties == ("Telemark",)
        assert not np.allclose(info.by_age, telemark_all.by_age)
        with override("nb"):
            text = info.describe()
        assert "sentralitetsklasse 6" in text and "Telemark" in text and "2016–2025" in text
    assert telemark_all.scope == ALL_REGISTERED and len(telemark_all.municipalities) == 17


def test_without_registered_moves_the_model_schedule_is_named(snap):
    info = in_migrant_profile(snap.migration_by_age.iloc[0:0], "5528", get_register())
    assert info.scope == MODEL and info.by_age.sum() == pytest.approx(1.0)
    with override("en"):
        assert "Rogers–Castro" in info.describe()
    band, share = top_band(info, BANDS)
    assert band in BANDS and 0 < share < 1


def test_target_seeking_headline_says_whose_ages_it_uses():
    """Lebesby's plan no longer quotes Telemark's ages as its own: the sentence names the data it used."""
    with override("nb"):
        lebesby = run_scenario("5624", "target-seeking", 10).headline()[0]
        fyresdal = run_scenario("4032", "target-seeking", 10).headline()[0]
    assert lebesby.startswith("Lebesby:") and "sentralitetsklasse 6" in lebesby and "Telemark" in lebesby
    assert "Fyresdal 2016–2025" in fyresdal and "sentralitetsklasse" not in fyresdal
