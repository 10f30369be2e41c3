"""Monte Carlo intervals: ordered, widening, reproducible, centred on the trend."""

import numpy as np
import pytest

from blilyst.demography.rates import estimate_rates
from blilyst.demography.scenario_options import StochasticOptions, TrendOptions
from blilyst.demography.scenarios import migrant_profile, run_scenario
from blilyst.demography.stochastic import QUANTILES, simulate
from blilyst.errors import InputError
from blilyst.stats.snapshot import load_snapshot

CODES = ["4032", "4036", "0301"]  # Fyresdal, Vinje, Oslo


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def rs(snap):
    return estimate_rates(CODES, snapshot=snap)


@pytest.fixture(scope="module")
def sim(snap, rs):
    return simulate(rs, 15, simulations=300, seed=1, profile=migrant_profile(snap)[0], batch=64)


def test_quantiles_are_ordered_and_start_at_the_registered_population(sim, rs):
    q = sim.quantiles  # (measure, quantile, year, region)
    assert q.shape == (3, len(QUANTILES), 16, 3)
    assert np.all(np.diff(q, axis=1) >= -1e-6)
    np.testing.assert_allclose(q[0, :, 0, :], np.broadcast_to(rs.base.sum(axis=(1, 2)), (5, 3)), rtol=1e-6)


def test_intervals_widen_with_the_horizon(sim):
    width = sim.quantiles[0, 4] - sim.quantiles[0, 0]  # 95 % interval of the total population
    assert np.all(width[15] > width[5])
    assert np.all(width[5] > width[1])


def test_small_municipalities_are_relatively_more_uncertain(sim):
    rel = (sim.quantiles[0, 4, 15] - sim.quantiles[0, 0, 15]) / sim.quantiles[0, 2, 15]
    assert rel[0] > rel[2]  # Fyresdal (1 274 people) versus Oslo


def test_median_is_close_to_the_deterministic_trend(snap, rs, sim):
    det = run_scenario(CODES, "trend", 15, snapshot=snap, rates=rs).population[-1].sum(axis=(1, 2))
    np.testing.assert_allclose(sim.quantiles[0, 2, 15], det, rtol=0.05)


def test_same_seed_same_answer(snap, rs):
    prof = migrant_profile(snap)[0]
    a = simulate(rs, 5, simulations=40, seed=9, profile=prof, batch=16).quantiles
    b = simulate(rs, 5, simulations=40, seed=9, profile=prof, batch=40).quantiles
    np.testing.assert_allclose(a, b, rtol=1e-5)  # batching does not change the draws' use


def test_scenario_frame_has_80_and_95_percent_intervals(snap, rs):
    res = run_scenario(CODES, "stochastic", 10, StochasticOptions(simulations=50), snapshot=snap, rates=rs)
    f = res.intervals
    assert {"lower95", "lower80", "median", "upper80", "upper95"} <= set(f.columns)
    assert set(f["measure"]) == {"population", "working_age", "age_67_plus"}
    assert "stochastic migration" in res.assumptions


def test_too_few_simulations(rs, snap):
    with pytest.raises(InputError) as info:
        simulate(rs, 5, simulations=3, profile=migrant_profile(snap)[0])
    assert info.value.field == "simulations"


def test_simulations_beyond_the_memory_budget_are_refused(rs, snap):
    from blilyst.demography.stochastic import MEMORY_LIMIT, simulation_memory

    # the case (1 000 x 25 years x 357) fits with room to spare; 100 000 of them would not
    assert simulation_memory(1000, 25, 357) / 2**30 == pytest.approx(0.242, abs=0.001)
    assert simulation_memory(1000, 25, 357) < MEMORY_LIMIT <= 3 * 2**30
    with pytest.raises(InputError) as info:
        simulate(rs, 25, simulations=20_000_000, profile=migrant_profile(snap)[0])
    assert info.value.field == "simulations"
    # in the active language (bokmål unless told otherwise), its number in that language's format
    assert "20000000 simuleringer av 3 kommuner over 25 år trenger om lag 40,7 GiB" in str(info.value)


def test_backtest_coverage_2016_to_2026(snap):
    """Intervals from 1 January 2016 (10-year window) against the registered 2026 populations."""
    _codes, years, cube = snap.population_cube()
    actual = cube[years.index(2026)].sum(axis=(1, 2))
    rs16 = estimate_rates(snapshot=snap, base_year=2016, window=10)
    q = simulate(rs16, 10, simulations=200, seed=3, profile=migrant_profile(snap)[0]).quantiles[0, :, -1]
    cover80 = ((actual >= q[1]) & (actual <= q[3])).mean()
    cover95 = ((actual >= q[0]) & (actual <= q[4])).mean()
    assert 0.70 <= cover80 <= 0.95
    assert cover95 >= 0.85


def test_stochastic_scenario_is_centred_on_the_trend_with_national_immigration(snap):
    """The intervals use the trend's domestic rates and national immigration assumption; from 2016 they
    still cover the registered 2026 populations as the calibration asks (80 %: 0.852, 95 %: 0.938)."""
    _codes, years, cube = snap.population_cube()
    actual = cube[years.index(2026)].sum(axis=(1, 2))
    res = run_scenario(
        None, "stochastic", 10, StochasticOptions(base_year=2016, simulations=200, seed=3), snapshot=snap
    )
    assert res.extra["national_level"].choice == "trend"
    trend = run_scenario(None, "trend", 10, TrendOptions(base_year=2016), snapshot=snap)
    np.testing.assert_allclose(res.population, trend.population)  # the deterministic line is the trend
    f = res.intervals[(res.intervals["measure"] == "population") & (res.intervals["year"] == 2026)]
    f = f.set_index("municipality").reindex(res.codes)
    cover80 = ((actual >= f["lower80"].to_numpy()) & (actual <= f["upper80"].to_numpy())).mean()
    cover95 = ((actual >= f["lower95"].to_numpy()) & (actual <= f["upper95"].to_numpy())).mean()
    assert 0.70 <= cover80 <= 0.95
    assert cover95 >= 0.85
