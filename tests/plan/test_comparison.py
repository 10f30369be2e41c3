"""Similar municipalities from the real register and the bundled population."""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.errors import InputError, UnknownMunicipality
from blilyst.i18n import override
from blilyst.plan.comparison import choose_peers, comparison_table, municipality_profile, rank_in
from blilyst.stats.register import get_register


@pytest.fixture(scope="module")
def register_frame():
    return get_register().frame()


@pytest.fixture(scope="module")
def profile(register_frame, snapshot):
    return municipality_profile(register_frame, snapshot.population)


def test_profile_has_every_municipality_with_real_figures(profile, snapshot):
    assert len(profile) == 357
    assert profile.attrs["year"] == 2026
    fy = profile.loc["4032"]
    assert fy["population"] == 1274  # Fyresdal, 1 January 2026
    pop = snapshot.population
    sel = pop[(pop.municipality == "4032") & (pop.year == 2026)]
    assert fy["share_67_plus"] == pytest.approx(sel[sel.age >= 67].population.sum() / 1274)
    assert fy["centrality_class"] == 6


def test_peers_share_centrality_or_region(register_frame, snapshot, profile):
    chosen = choose_peers("4036", register_frame, snapshot.population, profile=profile)
    by_reason = {}
    for p in chosen.peers:
        by_reason.setdefault(p.reason, []).append(p.code)
    assert len(by_reason["centrality"]) == 5
    assert all(profile.loc[c, "centrality_class"] == 6 for c in by_reason["centrality"])
    assert "4034" in by_reason["region"]  # Tokke shares Vinje's labour-market region
    assert all(profile.loc[c, "ba_region_code"] == profile.loc["4036", "ba_region_code"] for c in by_reason["region"])
    distances = [p.distance for p in chosen.peers if p.reason == "centrality"]
    assert distances == sorted(distances)
    assert "4036" not in chosen.codes()


def test_porsgrunn_gets_skien_as_a_region_peer(register_frame, snapshot, profile):
    chosen = choose_peers("4001", register_frame, snapshot.population, profile=profile, n=3, max_region=2)
    assert [p.reason for p in chosen.peers] == ["centrality"] * 3 + ["region"] * 2
    assert "4003" in chosen.codes()  # Skien: same class (3) and region; listed once
    assert len(set(chosen.codes())) == len(chosen.codes())


def test_the_set_is_editable(register_frame, snapshot, profile):
    chosen = choose_peers("4032", register_frame, snapshot.population, profile=profile)
    edited = chosen.with_added("4034", "Tokke").without(chosen.codes()[0])
    assert "4034" in edited.codes() and chosen.codes()[0] not in edited.codes()
    assert edited.peers[-1].reason == "user"
    assert edited.to_frame("en").iloc[-1]["reason"] == "Added by the user"
    with pytest.raises(InputError, match="code: en kommune kan ikke sammenlignes med seg selv"):  # bokmål
        chosen.with_added("4032")
    with override("nn"), pytest.raises(InputError, match="code: 0301 er ikkje med i samanlikningsgruppa"):
        chosen.without("0301")
    with override("en"), pytest.raises(InputError, match="code: 0301 is not in the comparison set"):
        chosen.without("0301")


def test_comparison_table_with_components(register_frame, snapshot, profile):
    chosen = choose_peers("4032", register_frame, snapshot.population, profile=profile).with_added("4036", "Vinje")
    table = comparison_table(chosen, profile, snapshot.components_2011_2025).set_index("code")
    # Fyresdal lost 77 people 2011-2026 (1 351 -> 1 274); Vinje grew by 168
    assert table.loc["4032", "growth_2011_2025"] == pytest.approx(-77 / 1351)
    assert (
        table.loc["4036", "population"]
        - round(table.loc["4036", "population"] / (1 + table.loc["4036", "growth_2011_2025"]))
        == 168
    )
    assert table.loc["4032", "is_subject"] and not table.loc["4036", "is_subject"]
    rank, n = rank_in(table.reset_index(), "growth_2011_2025")
    assert n == len(table) and 1 <= rank <= n


def test_unknown_municipality(register_frame, snapshot, profile):
    with pytest.raises(UnknownMunicipality):
        choose_peers("9999", register_frame, snapshot.population, profile=profile)


def test_peer_growth_leaves_border_moves_out_and_is_never_infinite(register_frame, snapshot, profile):
    """Steinkjer's peer table printed "inf %" for Narvik and Orkland (no population of their own in 2011)."""
    chosen = choose_peers("5006", register_frame, snapshot.population, profile=profile)
    for code in ("1806", "5059", "3905"):
        if code not in chosen.codes():
            chosen = chosen.with_added(code)
    table = comparison_table(chosen, profile, snapshot.components_2011_2025).set_index("code")
    assert not np.isinf(table[["growth_2011_2025", "net_migration_per_1000"]].to_numpy(dtype=float)).any()
    assert table.loc[["1806", "5059"], "growth_2011_2025"].isna().all()
    assert not table.loc["1806", "comparable"]
    # Tønsberg: 9 606 by births, deaths and migration on 48 579, without the 2 061 moved by the border
    assert table.loc["3905", "growth_2011_2025"] == pytest.approx(9606 / 48579)
    rank, n = rank_in(table.reset_index(), "growth_2011_2025")
    assert n == len(table) - 2  # the two without a 2011 population are not ranked
