"""Residual net migration for all 357 municipalities and 20 years: vectorised against a per-municipality loop.

Run: ``.venv/bin/python -m pytest bench/bench_accounts.py --benchmark-only -p no:randomly``
(the file is collected when named on the command line). Both variants run in the same session on
the same data (bundled snapshot, 1 January 2006-2026, survival ratios precomputed once) so the
ratio is a fair comparison; the loop is checked against the vectorised result first.
"""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.demography.residual import national_survival, net_migration_by_age, net_migration_loop
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def inputs():
    snap = load_snapshot()
    codes, years, cube = snap.population_cube(years=list(range(2006, 2027)))
    survival = national_survival(snap.mortality, years[:-1]).survival
    return codes, years, cube, survival


def _per_municipality(cube, survival):
    """Baseline: the same formula, one municipality at a time (vectorised over age only)."""
    Y, R = cube.shape[:2]
    out = np.zeros((Y - 1, R, 2, 106))
    for r in range(R):
        for t in range(Y - 1):
            p0, p1 = cube[t, r], cube[t + 1, r]
            cohort = np.zeros_like(p0)
            cohort[:, 1:] = p0[:, :-1]
            cohort[:, 105] += p0[:, 105]
            out[t, r, :, 1:] = p1[:, 1:] - survival[t][:, 1:] * cohort[:, 1:]
    return out


def test_vectorised_all_municipalities(benchmark, inputs):
    codes, years, cube, survival = inputs
    result = benchmark(net_migration_by_age, cube, years, survival, municipalities=codes)
    assert result.net_migration.shape == (20, 357, 2, 106)


def test_baseline_per_municipality_loop(benchmark, inputs):
    codes, years, cube, survival = inputs
    expected = net_migration_by_age(cube, years, survival, municipalities=codes).net_migration
    out = benchmark(_per_municipality, cube, survival)
    np.testing.assert_allclose(out, expected, atol=1e-9)


def test_baseline_pure_python_loop(benchmark, inputs):
    """The reference implementation in the library: one municipality, year, sex and age at a time."""
    codes, years, cube, survival = inputs
    expected = net_migration_by_age(cube, years, survival, municipalities=codes).net_migration
    out = benchmark.pedantic(net_migration_loop, args=(cube, survival), rounds=2, iterations=1)
    np.testing.assert_allclose(out, expected, atol=1e-9)
