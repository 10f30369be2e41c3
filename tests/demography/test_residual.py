"""Residual (cohort-survival) net migration on the real SSB/HMD data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from blilyst.demography.residual import (
    cohort_survival,
    life_table_L,
    national_survival,
    net_migration_by_age,
    net_migration_loop,
    residual_components,
)
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def residual_2016(snap):
    codes, years, cube = snap.population_cube(years=list(range(2016, 2027)))
    return net_migration_by_age(cube, years, snap.mortality, municipalities=codes)


def _mx(snap, year):
    m = snap.mortality[snap.mortality.year == year]
    return m.pivot_table(index="sex", columns="age", values="mx", dropna=False).loc[["male", "female"]].to_numpy()


def test_life_expectancy_2019_matches_ssb(snap):
    # SSB, "Dødsfall og levealder" 2019: 81.2 years for men, 84.7 for women.
    L, _ = life_table_L(_mx(snap, 2019))
    e0 = L.sum(axis=-1)
    assert e0[0] == pytest.approx(81.2, abs=0.1)
    assert e0[1] == pytest.approx(84.7, abs=0.1)


def test_survival_ratios_are_probabilities_and_fall_with_age(snap):
    S = cohort_survival(_mx(snap, 2023))
    assert S.shape == (2, 106)
    assert np.all((S > 0) & (S <= 1))
    # infant survival (birth to 31 December) about 0.998 for both sexes in 2023
    assert S[:, 0] == pytest.approx([0.998, 0.998], abs=0.001)
    # women survive better than men at every adult age below 95
    assert np.all(S[1, 20:95] >= S[0, 20:95])
    assert S[0, 90] < S[0, 60] < S[0, 30]


def test_years_after_last_mortality_year_use_the_last_one(snap):
    ns = national_survival(snap.mortality, [2022, 2023, 2024, 2025])
    last = int(snap.mortality.year.max())
    assert ns.mortality_years[-1] == last
    assert ns.extrapolated_years == [y for y in [2024, 2025] if y > last]
    np.testing.assert_allclose(ns.survival[-1], ns.survival[ns.years.index(last)])


def test_accounting_identity_holds_for_every_region_sex_and_age(residual_2016):
    r = residual_2016
    C = np.zeros_like(r.pop_start)
    C[..., 1:] = r.pop_start[..., :-1]
    C[..., 105] += r.pop_start[..., 105]
    C[..., 0] = r.births
    np.testing.assert_allclose(r.pop_end, C - r.deaths + r.net_migration, atol=1e-9)
    assert r.net_migration.shape == (10, 357, 2, 106)
    # the newborn cohort's migration is inside the estimated births
    assert np.all(r.net_migration[..., 0] == 0)


def test_vectorised_equals_loop_reference(snap, residual_2016):
    codes, years, cube = snap.population_cube(years=[2019, 2020, 2021])
    fast = net_migration_by_age(cube, years, snap.mortality, municipalities=codes)
    slow = net_migration_loop(cube[:, :40], fast.survival)
    np.testing.assert_allclose(fast.net_migration[:, :40], slow, atol=1e-9)


def test_labelled_frame_and_totals(residual_2016):
    frame = residual_2016.frame()
    assert list(frame.columns) == ["municipality", "year", "sex", "age", "net_migration", "deaths", "source"]
    assert set(frame.source) == {"estimated"}
    assert len(frame) == 10 * 357 * 2 * 106
    tot = residual_2016.totals()
    row = tot[(tot.municipality == "4036") & (tot.year == 2020)].iloc[0]
    assert row.population_end == pytest.approx(row.population_start + row.births - row.deaths + row.net_migration)


def _telemark_by_age(snap, residual):
    mig = snap.migration_by_age
    est = residual.frame().groupby(["municipality", "year", "age"], as_index=False).net_migration.sum()
    return mig, est


def test_residual_matches_telemark_migration_by_age_at_end_of_year(snap, residual_2016):
    """The Telemark file (SSB moves by age, 17 municipalities 2016-2025) against the residual.

    Aligning the file's age with the age at the end of the year fits much better than with
    age-1, so the file counts age at the end of the year, as SSB does. Measured (2016-2025,
    ages 1-70): correlation 0.79 by single age, mean absolute error 1.6 persons per cell.
    """
    mig, est = _telemark_by_age(snap, residual_2016)
    reg = mig[(mig.age >= 1) & (mig.age <= 70)]
    same = reg.merge(est, on=["municipality", "year", "age"], suffixes=("_reg", "_est"))
    est_shift = est.assign(age=est.age - 1)
    shifted = reg.merge(est_shift, on=["municipality", "year", "age"], suffixes=("_reg", "_est"))
    r_same = np.corrcoef(same.net_migration_reg, same.net_migration_est)[0, 1]
    r_shift = np.corrcoef(shifted.net_migration_reg, shifted.net_migration_est)[0, 1]
    assert r_same > 0.75 and r_shift < 0.6
    mae = (same.net_migration_reg - same.net_migration_est).abs().mean()
    assert mae < 1.8


def test_residual_totals_track_registered_telemark_net_migration(snap, residual_2016):
    """Totals per municipality and year, ages 1-70 (the file's common age range).

    The file includes international moves (its net in 2022-23 follows the Ukrainian refugee
    arrivals), and so does the residual. Measured over the 170 municipality-years: correlation
    0.92, mean difference -1.2 persons, median absolute difference 2.3 persons a year.
    """
    mig, est = _telemark_by_age(snap, residual_2016)

    def keep(f):
        return f[(f.age >= 1) & (f.age <= 70)].groupby(["municipality", "year"]).net_migration.sum()

    both = pd.concat([keep(mig).rename("reg"), keep(est).rename("est")], axis=1, join="inner")
    assert len(both) == 170
    assert np.corrcoef(both.reg, both.est)[0, 1] > 0.9
    diff = both.est - both.reg
    assert -2.5 < diff.mean() < 0
    assert diff.abs().median() < 3


def test_bad_input_names_the_field():
    cube = np.ones((3, 2, 2, 106))
    S = np.full((2, 106), 0.99)
    with pytest.raises(InputError, match="years"):
        net_migration_by_age(cube, [2020, 2022, 2023], S)
    with pytest.raises(InputError, match="population_cube"):
        net_migration_by_age(-cube, [2020, 2021, 2022], S)
    with pytest.raises(InputError, match="population_cube"):
        net_migration_by_age(np.ones((3, 2, 106)), [2020, 2021, 2022], S)
    with pytest.raises(InputError, match="method"):
        residual_components(cube[0], cube[1], S, method="sideways")
    with pytest.raises(InputError, match="survival"):
        residual_components(cube[0], cube[1], S * 2)
    with pytest.raises(InputError, match="births"):
        residual_components(cube[0], cube[1], S, births=-np.ones((2, 2)))


def test_bad_input_is_worded_in_the_active_language():
    cube = np.ones((3, 2, 2, 106))
    S = np.full((2, 106), 0.99)
    with pytest.raises(InputError, match="years: årene må følge etter hverandre, fikk 2020, 2022, 2023"):  # bokmål
        net_migration_by_age(cube, [2020, 2022, 2023], S)
    with override("nn"), pytest.raises(InputError, match="births: talet på fødde kan ikkje vere negativt"):
        residual_components(cube[0], cube[1], S, births=-np.ones((2, 2)))
    with override("en"), pytest.raises(InputError, match="method: must be one of .*; got 'sideways'"):
        residual_components(cube[0], cube[1], S, method="sideways")


def test_registered_births_give_newborn_migration():
    pop0 = np.zeros((1, 2, 106))
    pop1 = np.zeros((1, 2, 106))
    pop1[0, :, 0] = [50, 48]
    S = np.full((2, 106), 0.99)
    nm, deaths, _births = residual_components(pop0, pop1, S, births=np.array([[45.0, 45.0]]))
    np.testing.assert_allclose(nm[0, :, 0], [50 - 0.99 * 45, 48 - 0.99 * 45])
    np.testing.assert_allclose(deaths[0, :, 0], [0.45, 0.45])


def test_methods_differ_only_by_mortality_of_migrants(snap):
    codes, years, cube = snap.population_cube(years=[2022, 2023])
    fwd = net_migration_by_age(cube, years, snap.mortality, municipalities=codes, method="forward")
    avg = net_migration_by_age(cube, years, snap.mortality, municipalities=codes, method="average")
    # national totals of the two variants differ by well under 1 %
    assert abs(avg.net_migration.sum() / fwd.net_migration.sum() - 1) < 0.01


@settings(max_examples=40, deadline=None)
@given(
    pops=arrays(np.float64, (3, 4, 2, 106), elements=st.floats(0, 5000, allow_nan=False)),
    surv=arrays(np.float64, (2, 2, 106), elements=st.floats(0.05, 1.0, allow_nan=False)),
    method=st.sampled_from(["forward", "reverse", "average"]),
)
def test_identity_and_loop_agreement_for_any_stocks(pops, surv, method):
    r = net_migration_by_age(pops, [2000, 2001, 2002], surv, method=method)
    C = np.zeros_like(r.pop_start)
    C[..., 1:] = r.pop_start[..., :-1]
    C[..., 105] += r.pop_start[..., 105]
    C[..., 0] = r.births
    np.testing.assert_allclose(r.pop_end, C - r.deaths + r.net_migration, rtol=1e-12, atol=1e-8)
    assert np.isfinite(r.net_migration).all()
    if method == "forward":
        np.testing.assert_allclose(r.net_migration, net_migration_loop(pops, surv), atol=1e-8)


def test_rates_are_net_migration_over_exposure(residual_2016):
    rates = residual_2016.rates()
    assert rates.shape == residual_2016.net_migration.shape
    assert np.isfinite(rates).all()
    # Oslo (index of 0301), women aged 23 at the end of 2019: a strong net inflow of young adults
    r = residual_2016.municipalities.index("0301")
    t = residual_2016.years.index(2019)
    p0 = residual_2016.pop_start[t, r, 1, 22]
    p1 = residual_2016.pop_end[t, r, 1, 23]
    assert rates[t, r, 1, 23] == pytest.approx(residual_2016.net_migration[t, r, 1, 23] / (0.5 * (p0 + p1)))
    assert rates[t, r, 1, 23] > 0.05
