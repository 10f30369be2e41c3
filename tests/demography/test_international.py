"""International migration as a national assumption, and backtests against registered populations.

The real-data tests run the bundled SSB snapshot for all 357 municipalities (a projection of all of
them takes well under a second)."""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.axes import N_AGES
from blilyst.demography.backtest import backtest
from blilyst.demography.international import (
    balance_domestic_rates,
    domestic_net_migration,
    growth_flags,
    international_counts,
    national_level,
    national_profile,
    population_shares,
)
from blilyst.demography.rates import base_period_fertility, estimate_rates
from blilyst.demography.scenarios import run_scenario
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot

YEARS = list(range(2006, 2016))
HISTORY = np.array([23.0, 39.0, 43.0, 38.0, 42.0, 46.0, 47.0, 40.0, 38.0, 29.0]) * 1000


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


# ----------------------------------------------------------------------------- national level


def test_trend_level_is_the_window_mean():
    level = national_level("trend", YEARS, HISTORY, 2016, 3, window_years=list(range(2011, 2016)))
    assert level.per_year == pytest.approx([40_000.0] * 3)
    assert level.choice == "trend"
    assert "2011-2015" in level.describe("en") and "40,000" in level.describe("en")


def test_low_and_high_are_the_extreme_five_year_means():
    low = national_level("low", YEARS, HISTORY, 2016, 2)
    high = national_level("high", YEARS, HISTORY, 2016, 2)
    assert low.per_year[0] == pytest.approx(HISTORY[:5].mean())  # 2006-2010, the weakest run
    assert high.per_year[0] == pytest.approx(HISTORY[2:7].mean())  # 2008-2012, the strongest
    assert "43 200" in high.describe("nb").replace("\xa0", " ")


def test_a_number_and_zero_are_taken_as_given():
    assert national_level("25 000", YEARS, HISTORY, 2016, 2).per_year == pytest.approx([25_000, 25_000])
    assert national_level(-1000.0, YEARS, HISTORY, 2016, 1).per_year == pytest.approx([-1000])
    assert national_level("zero", YEARS, HISTORY, 2016, 4).per_year.sum() == 0


def test_registered_uses_the_years_after_the_base_and_the_mean_beyond():
    level = national_level("registered", YEARS, HISTORY, 2013, 5)
    assert level.per_year == pytest.approx([40_000, 38_000, 29_000, HISTORY[:7].mean(), HISTORY[:7].mean()])


@pytest.mark.parametrize(
    ("choice", "says"),
    [("medium", "not a national level"), ("1e9", "between -1,000,000 and 1,000,000"), ("nan", "between")],
)
def test_a_bad_level_says_what_to_give(choice, says):
    with override("en"), pytest.raises(InputError, match=says):
        national_level(choice, YEARS, HISTORY, 2016, 3)


def test_a_bad_level_is_worded_in_the_active_language():
    with pytest.raises(
        InputError, match="som et tall mellom \u22121\u00a0000\u00a0000 og 1\u00a0000\u00a0000; fikk 1e9"
    ):  # bokmål
        national_level("1e9", YEARS, HISTORY, 2016, 3)
    with override("nn"), pytest.raises(InputError, match="«medium» er ikkje eit nasjonalt nivå; vel "):
        national_level("medium", YEARS, HISTORY, 2016, 3)


# ----------------------------------------------------------------------------- split and balance


def test_domestic_migration_cancels_over_norway_and_international_is_the_national_sum():
    rng = np.random.default_rng(8)
    net = rng.normal(0, 20, size=(4, 6, 2, 106))
    pop = rng.uniform(100, 1000, size=(6, 2, 106))
    shares = population_shares(pop)
    domestic, national = domestic_net_migration(net, shares)
    assert shares.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(domestic.sum(axis=1), 0.0, atol=1e-9)
    np.testing.assert_allclose(national, net.sum(axis=1))


def test_balanced_domestic_rates_move_nobody_in_or_out_of_norway():
    rng = np.random.default_rng(3)
    rates = rng.normal(0.01, 0.02, size=(5, 2, 106))
    exposure = rng.uniform(10, 500, size=(5, 2, 106))
    balanced = balance_domestic_rates(rates, exposure)
    np.testing.assert_allclose((balanced * exposure).sum(axis=0), 0.0, atol=1e-9)


def test_international_counts_add_up_to_the_national_level():
    level = national_level("30000", YEARS, HISTORY, 2016, 3)
    profile = national_profile(np.abs(np.random.default_rng(1).normal(size=(2, 2, 106))))
    counts = international_counts(level, np.array([0.2, 0.3, 0.5]), profile)
    assert counts.shape == (3, 3, 2, 106)
    np.testing.assert_allclose(counts.sum(axis=(1, 2, 3)), 30_000)
    np.testing.assert_allclose(counts.sum(axis=(0, 2, 3)) / 90_000, [0.2, 0.3, 0.5])


def test_growth_flags_mark_more_than_half_again_in_twenty_years():
    pop = np.ones((21, 3, 2, 106))
    pop[20, 0] *= 1.51
    pop[20, 1] *= 1.49
    assert growth_flags(pop).tolist() == [True, False, False]


# ----------------------------------------------------------------------------- real data, all 357


def test_trend_carries_norways_net_immigration_at_the_national_level(snap):
    res = run_scenario(None, "trend", 20, snapshot=snap)
    level = res.extra["national_level"]
    assert level.choice == "trend" and level.first == 2016 and level.last == 2025
    net = res.engine.net_migration.sum(axis=(1, 2, 3))  # Norway, each projection year
    # domestic rates are balanced on the base population; as populations shift the domestic part
    # drifts a little, but Norway's net migration stays within 10 % of the chosen level
    np.testing.assert_allclose(net, level.per_year, rtol=0.10)


def test_old_trend_overshoots_and_the_national_assumption_fixes_most_of_it(snap):
    """Reproduces issue 8 item 5: total net migration rates carried from 2006-2015 overshoot Norway's
    registered 2026 population by about 5 %, and Lørenskog grows about 89 % in 20 years (98 % when the
    issue measured it, with rates shrunk towards the county alone)."""
    from blilyst.demography.projection import project
    from blilyst.demography.rates import estimate_rates
    from blilyst.demography.scenarios import sex_ratio_at_birth

    codes, years, cube = snap.population_cube()
    registered_2026 = cube[years.index(2026)].sum()
    rs = estimate_rates(None, snapshot=snap, base_year=2016)
    old = project(
        rs.base,
        rs.survival(10),
        rs.fertility(10),
        10,
        srb=sex_ratio_at_birth(snap)[0],
        net_migration_rates=rs.migration_rate,
        migration_timing="cohort",
    )
    assert old.population[-1].sum() / registered_2026 - 1 == pytest.approx(0.05, abs=0.005)
    new = run_scenario(None, "trend", 10, snapshot=snap, rates=rs)
    assert new.population[-1].sum() / registered_2026 - 1 < 0.04
    now = estimate_rates(None, snapshot=snap)
    old_20 = project(
        now.base,
        now.survival(20),
        now.fertility(20),
        20,
        srb=sex_ratio_at_birth(snap)[0],
        net_migration_rates=now.migration_rate,
        migration_timing="cohort",
    ).population.sum(axis=(2, 3))
    lorenskog = now.codes.index("3222")
    assert old_20[20, lorenskog] / old_20[0, lorenskog] - 1 == pytest.approx(0.89, abs=0.01)


def test_every_municipality_growing_more_than_half_in_20_years_is_flagged(snap):
    res = run_scenario(None, "trend", 20, snapshot=snap)
    totals = res.population.sum(axis=(2, 3))
    growth = totals[20] / totals[0] - 1
    fast = {c for c, g in zip(res.codes, growth, strict=True) if g > 0.5}
    assert "3222" in fast  # Lørenskog, the example (98 % with the old trend, 79 % now)
    assert fast == {"3209", "3222"}  # Ullensaker +58 %, Lørenskog +79 % (Nannestad +48 % is no longer above)
    assert set(res.extra["growth_flags"]) == fast
    notes = res.national_notes("nb")
    assert any(n.startswith("Flag: Lørenskog") or "Lørenskog" in n for n in notes)


# Backtest figures (docs/projection.md). The thresholds the issue asks for are asserted where the model
# reaches them; where it does not (the 5-year median from 2016; Norway's total and the medians from 2016
# with the default national level; the 5-year median from 2021 with the default level), the test holds
# the figure reached so a regression shows.


def test_backtest_from_2016_with_registered_national_level(snap):
    result = backtest(2016, (5, 10), international="registered", snapshot=snap).summary.set_index("horizon")
    assert abs(result.loc[10, "norway_error"]) <= 0.02  # +1.48 %
    # the 10-year target is reached since migration rates borrow from the county and the
    # centrality class (0.0258; 0.0269 with border moves counted as errors; 0.0302 shrunk towards the county alone)
    assert result.loc[10, "median_abs_error"] <= 0.03
    # the 5-year target (0.015) is not: 0.0168 (0.0170 with border moves counted as errors, 0.0194 before)
    assert result.loc[5, "median_abs_error"] <= 0.0172


def test_backtest_from_2021_reaches_the_five_year_targets(snap):
    registered = backtest(2021, (5,), international="registered", snapshot=snap).summary.iloc[0]
    default = backtest(2021, (5,), snapshot=snap).summary.iloc[0]
    assert abs(registered["norway_error"]) <= 0.02 and registered["median_abs_error"] <= 0.015  # 0.0141
    # with the default level the 2022-2023 refugee arrivals are not in the assumption: 0.0172 (0.0165
    # with the county-only prior)
    assert abs(default["norway_error"]) <= 0.02 and default["median_abs_error"] <= 0.0175


def test_backtest_from_2016_with_the_default_level_beats_the_old_trend(snap):
    result = backtest(2016, (10,), snapshot=snap)
    row = result.summary.iloc[0]
    assert row["norway_error"] < 0.036  # +3.53 %; the old trend: +5.1 %
    assert row["median_abs_error"] < 0.033  # 3.28 % (3.79 % shrunk towards the county alone); old trend: 4.2 %
    # merged-then-split municipalities (estimated stocks) are named and left out
    assert {"1508", "1580"} <= set(result.excluded)
    assert result.municipal.loc[result.municipal["excluded"], "municipality"].isin(result.excluded).all()


def test_backtest_does_not_count_a_border_move_as_an_error(snap):
    """Stad received 533 people from Kinn (Bryggja) and Nes 682 from Lillestrøm on 1 January 2020: a
    registered border move, not migration. The backtest used to compare a projection of the old area with
    the new one (Stad -8.3 %, Nes -6.7 % after 5 years from 2016); the move is now added to the projection
    of the receiving municipality and taken from the sending one."""
    result = backtest(2016, (5,), international="registered", snapshot=snap).municipal.set_index("municipality")
    assert result.loc["4649", "boundary_change"] == 533 and result.loc["4602", "boundary_change"] == -533
    assert result.loc["3228", "boundary_change"] == 682 and result.loc["3205", "boundary_change"] == -682
    for code in ("4649", "3228"):
        row = result.loc[code]
        assert row["error"] == pytest.approx((row["projected"] + row["boundary_change"]) / row["registered"] - 1)
        assert abs(row["error"]) < 0.04  # Stad -2.7 %, Nes -3.7 % (-8.3 % and -6.7 % with the move as an error)
        assert row["projected"] / row["registered"] - 1 < -0.06
    # moves within Norway nearly cancel (16 persons over 2016-2020: the estimated transfers' remainders)
    assert abs(result["boundary_change"].sum()) < 20


def test_backtest_notes_name_the_national_level_and_are_worded_when_shown(snap):
    from blilyst.demography.backtest import backtest_notes

    result = backtest(2021, (5,), international="registered", snapshot=snap)
    notes = backtest_notes([result])
    english = [n.word("en") for n in notes]
    assert "Net immigration to Norway from 2021: Norway's net immigration as registered in 2021" in english[2]
    assert english[3].startswith("Norway's registered net immigration is given")
    assert english[-1].startswith("Left out from 2021: 1508, 1580")
    assert notes[2].word("nn").startswith("Nettoinnvandring til Noreg frå 2021:")  # the same notes, another reader
    default = backtest_notes([backtest(2021, (5,), snapshot=snap)])
    assert "--international registered gives" in default[3].word("en")


def test_a_projection_from_an_earlier_year_uses_only_what_was_known_then(snap):
    rs = estimate_rates(base_year=2016, snapshot=snap)
    assert rs.mx_year == 2015  # death rates and their improvement from before the base year
    hfd = snap.fertility.groupby("year")["asfr"].sum()
    # fertility at the last observed year's level (2015: 1.73), not the 2011-2015 mean (1.80)
    assert rs.asfr.sum() == pytest.approx(hfd.loc[2015])
    assert rs.asfr.sum() < hfd.loc[2011:2015].mean() - 0.05


def test_base_period_fertility_keeps_the_recent_pattern_at_the_last_level():
    pattern = np.zeros((5, N_AGES))
    pattern[:, 30] = [1.0, 0.9, 0.8, 0.7, 0.6]
    pattern[:, 25] = [0.5, 0.5, 0.5, 0.5, 0.5]
    out = base_period_fertility(pattern)
    assert out.sum() == pytest.approx(1.1)
    assert out[30] / out[25] == pytest.approx(0.8 / 0.5)


def test_backtest_needs_registered_years_after_the_start(snap):
    with override("en"), pytest.raises(InputError, match="needs registered years after it"):
        backtest(2026, (5,), snapshot=snap)
    with override("en"), pytest.raises(InputError, match="no registered population for 1 January 1990"):
        backtest(1990, (5,), snapshot=snap)
    with pytest.raises(InputError, match="--base-year: ikke noe registrert folketall 1. januar 1990"):  # bokmål
        backtest(1990, (5,), snapshot=snap)
    with override("nn"), pytest.raises(InputError, match="ei etterprøving frå 2026 treng registrerte år etter det"):
        backtest(2026, (5,), snapshot=snap)
