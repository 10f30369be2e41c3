"""Telemarksforsking's attractiveness model on the bundled 2005-2015 data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from blilyst.demography.attractiveness import (
    PUBLISHED_2010_2012,
    attractiveness_from_snapshot,
    attractiveness_model,
    available_periods,
    fit_ols,
)
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def model(snap):
    return attractiveness_from_snapshot((2005, 2015), snapshot=snap)


def test_ols_matches_numpy_and_scipy_on_the_real_data(model):
    fit = model.frame[model.frame.in_fit]
    x, y = fit.job_growth_pct.to_numpy(), fit.net_migration_pct.to_numpy()
    slope, intercept = np.polyfit(x, y, 1)
    lr = stats.linregress(x, y)
    assert model.slope == pytest.approx(slope, rel=1e-10)
    assert model.intercept == pytest.approx(intercept, rel=1e-10)
    assert model.slope == pytest.approx(lr.slope, rel=1e-10)
    assert model.r2 == pytest.approx(lr.rvalue**2, rel=1e-10)


def test_residuals_sum_to_zero(model):
    fit = model.frame[model.frame.in_fit]
    assert abs(fit.attractiveness.sum()) < 1e-9
    np.testing.assert_allclose(fit.attractiveness, fit.net_migration_pct - fit.expected_pct)


def test_fit_2005_2015_resembles_the_published_one(model):
    """Measured: y = 0.347x + 2.00, R² 0.46, n = 350 over ten years (2006-2015 migration; registered for the
    17 Telemark municipalities, SSB 01223, estimated elsewhere); the
    slope is close to Telemarksforsking's 0.2857 for 2010-2012. The intercept is a ten-year
    figure and, with immigration at its peak, much higher than the published three-year one."""
    assert model.n == 350
    assert model.slope == pytest.approx(0.347, abs=0.002)
    assert abs(model.slope - PUBLISHED_2010_2012["slope"]) < 0.1
    assert model.intercept == pytest.approx(2.00, abs=0.01)
    assert model.r2 == pytest.approx(0.46, abs=0.01)


def test_known_municipalities_rank(model):
    f = model.frame.set_index("municipality")
    vinje = f.loc["4036"]
    # Vinje: jobs +9.0 %, registered net migration (SSB 01223) +1.0 % against +5.1 % expected
    assert vinje.job_growth_pct == pytest.approx(8.97, abs=0.01)
    assert vinje.attractiveness == pytest.approx(-4.14, abs=0.01)
    assert vinje.net_migration_source == "registered"
    assert (vinje["rank"], vinje.n, vinje.rank_in_class, vinje.n_in_class) == (293, 350, 68, 106)
    assert f.loc["3209", "rank"] == 1  # Ullensaker, by Gardermoen
    assert f.loc["0301", "rank_in_class"] == 2


def test_place_lists_the_centrality_class(model):
    peers = model.place("4036")
    assert len(peers) == 106
    assert set(peers.centrality_class) == {6}
    assert peers.rank_in_class.is_monotonic_increasing
    assert peers.set_index("municipality").loc["4036", "rank_in_class"] == 68


def test_estimated_stocks_are_left_out_and_split_jobs_flagged(model):
    f = model.frame.set_index("municipality")
    assert not f.loc["1508", "in_fit"] and not f.loc["1580", "in_fit"]
    assert pd.isna(f.loc["1508", "rank"])
    # the 2020 splits (population and jobs apportioned by fixed weights) are out as well
    assert f.loc["5059", "apportioned"] and not f.loc["5059", "in_fit"]
    assert f.in_fit.sum() == 350
    # registered where SSB 01223 is bundled (the 17 Telemark municipalities), estimated elsewhere
    assert f.net_migration_source.value_counts().to_dict() == {"estimated": 340, "registered": 17}


def test_jobs_population_matches_snapshot_population(snap):
    """The distriktstall 2006 population, mapped to 2024 codes, equals SSB's 07459: exactly except
    where an old municipality was split by fixed weights (at most 10.1 persons off there)."""
    o = snap.jobs_old_structure
    mapped = (o.population_2006 * o.weight).groupby(o.current_code).sum()
    pop = snap.population[snap.population.year == 2006].groupby("municipality").population.sum()
    diff = (mapped - pop).abs()
    assert (diff == 0).sum() >= 350
    assert diff.max() < 10.5


def test_periods_and_bad_period(snap):
    periods = available_periods(snap.jobs, sorted(snap.population.year.unique()))
    assert (2005, 2015) in periods and (2015, 2017) in periods
    with pytest.raises(InputError, match="period"):
        attractiveness_from_snapshot((1990, 2000), snapshot=snap)


def test_fit_ols_edge_cases():
    slope, intercept, r2 = fit_ols(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))
    assert (slope, intercept, r2) == pytest.approx((2.0, 1.0, 1.0))
    with pytest.raises(InputError, match="x: jobbveksten er lik overalt"):  # bokmål, the default
        fit_ols(np.ones(4), np.arange(4.0))
    with override("nn"), pytest.raises(InputError, match=r"x, y: verdiane må vere endelege tal \(ingen NaN\)"):
        fit_ols(np.array([1.0, np.nan, 2.0]), np.arange(3.0))
    with override("en"), pytest.raises(InputError, match="population and jobs at the start must be positive"):
        attractiveness_model(
            pd.DataFrame(
                {
                    "municipality": ["a"],
                    "name": ["A"],
                    "centrality_class": [1],
                    "population_start": [0],
                    "net_migration": [1],
                    "jobs_start": [1],
                    "jobs_end": [2],
                }
            ),
            jobs_from=1,
            jobs_to=2,
            migration_years=(2, 2),
        )


def test_cli_attractiveness_places_vinje(capsys):
    import json

    import blilyst.cli.accounts  # noqa: F401  (registers the command)
    from blilyst.cli import main

    assert main(["attractiveness", "Vinje", "--format", "json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["rows"]) == 106
    vinje = next(r for r in payload["rows"] if r["municipality"] == "4036")
    assert (vinje["rank"], vinje["rank_in_class"]) == (293, 68)
    assert any("rank 293 of 350, 68 of 106 in centrality class 6" in n for n in payload["notes"])
    assert any("estimated" in n for n in payload["notes"])


def test_old_structure_428_municipalities(model, snap):
    """The same model on the 428 municipalities of 2016 (natural increase by population-share proxy).
    Measured: y = 0.345x + 1.92, R² 0.41. For an unchanged municipality (Vinje, 0834 → 4036) the
    figures equal those of the 2024-structure model."""
    from blilyst.demography.attractiveness import attractiveness_old_structure

    old = attractiveness_old_structure(snapshot=snap)
    assert old.n == 428
    assert old.slope == pytest.approx(0.345, abs=0.002)
    assert old.r2 == pytest.approx(0.41, abs=0.01)
    f = old.frame.set_index("municipality")
    vinje_new = model.frame.set_index("municipality").loc["4036"]
    assert f.loc["0834", "current_code"] == "4036"
    assert f.loc["0834", "net_migration_pct"] == pytest.approx(vinje_new.net_migration_pct)
    assert f.loc["0834", "job_growth_pct"] == pytest.approx(vinje_new.job_growth_pct)
    assert (f.loc["0834", "rank"], f.loc["0834", "rank_in_class"]) == (347, 71)
    assert f.loc["0834", "net_migration_source"] == "registered"  # SSB 01223, as in the 2024 model
    assert f.loc["1504", "current_code"] == "1508" and f.loc["1534", "current_code"] == "1580"
    fit = np.polyfit(f.job_growth_pct, f.net_migration_pct, 1)
    assert old.slope == pytest.approx(fit[0], rel=1e-10)
