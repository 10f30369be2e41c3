"""Projection speed: all 357 municipalities at once against a per-municipality loop, and the
stochastic intervals.

Run: ``.venv/bin/python -m pytest bench/bench_projection.py --benchmark-only -p no:randomly``
(the file is collected when named on the command line). The baselines run in the same session on
the same inputs (rates estimated once from the bundled snapshot), and are checked against the
vectorised result first. Peak memory of the stochastic run is recorded in ``extra_info``.
"""

from __future__ import annotations

import resource

import numpy as np
import pytest

from blilyst.demography.projection import project
from blilyst.demography.rates import estimate_rates
from blilyst.demography.scenarios import _srb, migrant_profile
from blilyst.demography.stochastic import simulate
from blilyst.stats.snapshot import load_snapshot

YEARS = 50


@pytest.fixture(scope="module")
def inputs():
    snap = load_snapshot()
    rs = estimate_rates(snapshot=snap)
    surv = rs.survival(YEARS)  # (50, 357, 2, 107), national rates times each municipality's level
    fert = np.ascontiguousarray(rs.fertility(YEARS))  # (50, 357, 106)
    return snap, rs, surv, fert, _srb(snap)


def _all_at_once(rs, surv, fert, srb):
    return project(
        rs.base, surv, fert, YEARS, srb=srb, net_migration_rates=rs.migration_rate, migration_timing="cohort"
    ).population


def _per_municipality(rs, surv, fert, srb):
    """Baseline: the same engine called once per municipality (what a loop over a single-region
    projection tool does)."""
    out = np.empty((YEARS + 1, len(rs.codes), 2, 106))
    for r in range(len(rs.codes)):
        out[:, r] = project(
            rs.base[r : r + 1],
            surv[:, r : r + 1],
            fert[:, r : r + 1],
            YEARS,
            srb=srb,
            net_migration_rates=rs.migration_rate[r : r + 1],
            migration_timing="cohort",
        ).population[:, 0]
    return out


def test_deterministic_50_years_all_357_vectorised(benchmark, inputs):
    _, rs, surv, fert, srb = inputs
    pop = benchmark(_all_at_once, rs, surv, fert, srb)
    assert pop.shape == (51, 357, 2, 106)


def test_deterministic_50_years_baseline_per_municipality_loop(benchmark, inputs):
    _, rs, surv, fert, srb = inputs
    expected = _all_at_once(rs, surv, fert, srb)
    pop = benchmark.pedantic(_per_municipality, args=(rs, surv, fert, srb), rounds=3, iterations=1)
    np.testing.assert_allclose(pop, expected, rtol=1e-9, atol=1e-6)


def test_stochastic_1000_runs_25_years_all_357(benchmark, inputs):
    snap, rs, *_ = inputs
    profile = migrant_profile(snap)[0]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sim = benchmark.pedantic(
        simulate, args=(rs, 25), kwargs=dict(simulations=1000, seed=1, profile=profile), rounds=1, iterations=1
    )
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    benchmark.extra_info["peak_rss_gib"] = after / 2**20
    benchmark.extra_info["rss_growth_gib"] = (after - before) / 2**20
    assert sim.quantiles.shape == (3, 5, 26, 357)
    assert after / 2**20 < 4.0


def test_stochastic_baseline_one_simulation_at_a_time(benchmark, inputs):
    """Baseline: 50 simulations one at a time in double precision (batch=1, float64); x20 for 1 000."""
    snap, rs, *_ = inputs
    profile = migrant_profile(snap)[0]
    sim = benchmark.pedantic(
        simulate,
        args=(rs, 25),
        kwargs=dict(simulations=50, seed=1, profile=profile, batch=1, dtype=np.float64),
        rounds=1,
        iterations=1,
    )
    assert sim.quantiles.shape == (3, 5, 26, 357)
