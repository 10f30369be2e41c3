"""Rate schedules from the real snapshot, checked against registered figures."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from blilyst.axes import FEMALE, MALE
from blilyst.demography.rates import (
    engine_survival,
    estimate_rates,
    fertility_array,
    improvement_rates,
    mortality_array,
    net_migration_rates,
    shrink,
    smooth_ages,
)
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def rates15(snap):
    return estimate_rates(window=15, snapshot=snap)


def test_hfd_tfr_2022_is_ssb_published_1_41(snap):
    assert fertility_array(snap.fertility, 2022).sum() == pytest.approx(1.41, abs=0.001)


def test_engine_survival_layout_and_life_expectancy(snap):
    mx, used = mortality_array(snap.mortality, [2019, 2030])
    assert used == [2019, 2023]  # later years carry the last HMD year
    s = engine_survival(mx)
    assert s.shape == (2, 2, 107)
    assert np.all((s > 0) & (s <= 1))
    assert np.array_equal(s[..., 105], s[..., 106])  # both groups feeding 105+ use T(105)/T(104)
    # survival to 67 from birth, females 2019: about 0.93 in Norway's life table
    assert 0.90 < np.prod(s[0, FEMALE, :68]) < 0.95
    assert np.prod(s[0, MALE, :68]) < np.prod(s[0, FEMALE, :68])


def test_births_estimated_from_age_zero_match_registered_births_within_two_percent(snap):
    _codes, years, cube = snap.population_cube()
    mx, _ = mortality_array(snap.mortality, [2022])
    s0 = engine_survival(mx)[0, :, 0]
    estimated = cube[years.index(2023), :, :, 0].sum(axis=0) / s0
    reg = snap.births[snap.births["year"] == 2022].set_index("sex")["births"]
    assert estimated[MALE] == pytest.approx(reg["male"], rel=0.02)  # 26 445 registered
    assert estimated[FEMALE] == pytest.approx(reg["female"], rel=0.02)  # 25 035 registered


def test_national_residual_net_migration_2011_2025_close_to_ssb(snap, rates15):
    # SSB table 06913: net migration summed over municipalities 2011-2025 is 490 010
    ssb = snap.components_2011_2025["net_migration_sum"].sum()
    assert ssb == 490010
    assert np.nansum(rates15.migration_history) == pytest.approx(ssb, rel=0.03)


def test_flagged_estimated_years_are_left_out(rates15):
    i = rates15.codes.index("1806")  # Narvik: 2006-2019 stocks are estimates
    hist = rates15.migration_history[:, i]
    years = rates15.history_years
    assert all(np.isnan(hist[years.index(y)]) for y in range(2011, 2020))
    assert not np.isnan(hist[years.index(2020)])


def test_schedule_for_fyresdal(snap):
    rs = estimate_rates(["4032"], snapshot=snap)
    assert rs.base_year == 2026
    assert rs.base.sum() == 1274  # registered 1 January 2026
    assert 1.0 < rs.tfr()[0] < 2.2
    assert rs.migration_rate.shape == (1, 2, 106)
    assert np.all(rs.migration_rate >= -0.25)
    assert rs.history_years == list(range(2016, 2026))
    assert any("residual" in e.word("en") for e in rs.estimated)


def test_improvement_rates_are_capped_and_positive_at_middle_ages(snap):
    imp = improvement_rates(snap.mortality)
    assert imp.shape == (2, 111)
    assert np.all((imp >= 0) & (imp <= 0.03))
    assert imp[:, 40:80].mean() > 0.005  # Norwegian mortality fell over 2004-2023


def test_unknown_municipality_and_bad_window(snap):
    with pytest.raises(InputError) as info:
        estimate_rates(["9999"], snapshot=snap)
    assert info.value.field == "municipalities"
    with pytest.raises(InputError) as info:
        estimate_rates(window=30, snapshot=snap)
    assert info.value.field == "window"


def test_fertility_for_missing_year(snap):
    with pytest.raises(InputError) as info:
        fertility_array(snap.fertility, 1900)
    assert info.value.field == "fertility"


# --------------------------------------------------------------------- estimator properties


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 1e4), st.floats(0.1, 3), st.floats(0, 1e3))
def test_property_shrinkage_lies_between_raw_and_prior(o, e, prior, kappa):
    k = shrink(np.array(o), np.array(e), np.array(prior), kappa)
    if e > 0:
        lo, hi = sorted([o / e, prior])
        assert lo - 1e-9 <= k <= hi + 1e-9
    elif kappa > 0:
        assert k == pytest.approx((o + kappa * prior) / kappa)
    else:
        assert k == prior  # nothing observed, no prior weight: the prior


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (3, 20), elements=st.floats(-100, 100)))
def test_property_smoothing_keeps_constants_and_bounds(x):
    s = smooth_ages(x)
    assert s.shape == x.shape
    assert np.all(s <= x.max(axis=-1, keepdims=True) + 1e-9)
    assert np.all(s >= x.min(axis=-1, keepdims=True) - 1e-9)
    np.testing.assert_allclose(smooth_ages(np.full((2, 9), 3.5)), 3.5)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (2, 3, 2, 106), elements=st.floats(-20, 20)),
    arrays(np.float64, (2, 3, 2, 106), elements=st.floats(50, 500)),
)
def test_property_migration_rates_shrink_to_the_group(net, start):
    groups = np.array([0, 0, 1])
    out = net_migration_rates(net, start, groups, kappa=1e12)  # infinite prior weight: the group schedule
    np.testing.assert_allclose(out["rate"][..., 1:], np.maximum(out["group"][..., 1:], -0.25), atol=1e-6)
    assert np.all(out["rate"][..., 0] == 0)  # no rate for the newborn cohort
    assert np.all(np.isfinite(out["rate"]))


def test_migration_prior_is_the_mean_of_the_county_and_centrality_schedules():
    """Two groupings (county, centrality class): the prior is the mean of the two groups' schedules, so a
    small rural municipality is not pulled all the way to its county town's in-migration."""
    rng = np.random.default_rng(8)
    start = rng.uniform(100, 400, (3, 4, 2, 106))
    net = rng.normal(0, 5, (3, 4, 2, 106))
    county, central = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    one = net_migration_rates(net, start, county, kappa=1e12)["group"]
    other = net_migration_rates(net, start, central, kappa=1e12)["group"]
    both = net_migration_rates(net, start, (county, central), kappa=1e12)
    np.testing.assert_allclose(both["group"], (one + other) / 2)
    np.testing.assert_allclose(both["rate"][..., 1:], np.maximum(both["group"][..., 1:], -0.25), atol=1e-6)
    with pytest.raises(InputError):
        net_migration_rates(net, start, ())


def test_local_mortality_levels_add_up_to_the_national_rates(snap, rates15):
    m = rates15.extra["mortality"]
    ok = m["usable"]
    assert ok.sum() > 300  # SSB marks 34 municipalities not comparable; split ones are estimates before 2020
    # estimated deaths 2011-2025 (births minus SSB's registered natural increase) against national rates
    assert np.nansum(m["observed"]) / m["expected"][ok].sum() == pytest.approx(1.0, abs=0.02)
    assert np.all((rates15.mortality_factor >= 0.5) & (rates15.mortality_factor <= 2.0))
    # not comparable in 06913 (e.g. Haram, split out of Ålesund in 2024): the county's level
    comp = snap.components_2011_2025.set_index("municipality")
    code = comp.index[~comp["comparable"]][0]
    i = rates15.codes.index(code)
    assert not ok[i] and rates15.mortality_factor[i] == pytest.approx(m["group"][i])


def test_local_survival_differs_only_where_the_level_does(rates15):
    s = rates15.survival(2)
    assert s.shape == (2, 357, 2, 107)
    i_hi = int(np.argmax(rates15.mortality_factor))
    i_lo = int(np.argmin(rates15.mortality_factor))
    assert np.all(s[:, i_hi, :, 1:100] <= s[:, i_lo, :, 1:100])
    np.testing.assert_allclose(s[:, i_hi, :, 102:], s[:, i_lo, :, 102:])  # 100+ keeps national rates


def test_a_snapshot_missing_a_year_in_the_window_is_refused_by_name(snap, monkeypatch):
    """A refreshed snapshot can lack a year in the middle: the rates name it instead of failing on list.index."""
    codes, years, cube = snap.population_cube()
    gap = years.index(2020)
    monkeypatch.setattr(
        snap, "population_cube", lambda: (codes, years[:gap] + years[gap + 1 :], np.delete(cube, gap, axis=0))
    )
    with pytest.raises(InputError, match="mangler folketall 1. januar 2020; ratene trenger hvert år"):  # bokmål
        estimate_rates(["4032"], snapshot=snap, window=10)
    with override("en"), pytest.raises(InputError, match="no population for 1 January 2020; the rates need every"):
        estimate_rates(["4032"], snapshot=snap, window=10)


def test_a_window_reaching_before_the_data_is_refused_in_the_active_language(snap):
    _codes, years, _cube = snap.population_cube()
    with override("nn"), pytest.raises(InputError, match=f"dataa startar i {years[0]}"):
        estimate_rates(["4032"], snapshot=snap, window=200)
    with override("en"), pytest.raises(InputError, match=f"200 years before .* data start in {years[0]}"):
        estimate_rates(["4032"], snapshot=snap, window=200)
    with pytest.raises(InputError, match="window: må være minst ett år"):
        estimate_rates(["4032"], snapshot=snap, window=0)


def test_telemark_levels_use_registered_births_and_deaths(snap):
    """Registered beats estimated (issue 8): Notodden's local fertility level counts SSB 01223's births of the
    window and its mortality level the registered deaths of 2011-2025; a municipality outside Telemark keeps the
    estimates, and the notes say which is which."""
    rs = estimate_rates(["4005", "4003", "5001"], snapshot=snap)
    comp = snap.components_annual.set_index(["municipality", "component", "year"])["persons"]
    births = sum(comp[("4005", "births", y)] for y in rs.history_years)
    deaths = sum(comp[("4003", "deaths", y)] for y in range(2011, 2026))
    assert rs.extra["fertility"]["observed"][0] == pytest.approx(births)
    assert rs.extra["mortality"]["observed"][1] == pytest.approx(deaths)
    # Notodden's 2020 border change makes its stocks not comparable over 2011-2025: its county's level, as before
    assert not rs.extra["mortality"]["usable"][0]
    # Trondheim's births are the estimate from its cohort aged 0, not a registered count (not a whole number)
    assert rs.extra["fertility"]["observed"][2] != pytest.approx(round(rs.extra["fertility"]["observed"][2]), abs=1e-6)
    estimated = " ".join(n.word("en") for n in rs.estimated)
    assert "registered (SSB 01223) for Notodden and Skien; elsewhere estimated" in estimated
    assert "registered deaths 2011–2025 (SSB 01223) for Skien; elsewhere" in estimated
    alone = estimate_rates(["4005"], snapshot=snap)
    assert any("01223, registered" in n.word("en") for n in alone.sources)
    assert not any("Births by municipality" in n.word("en") for n in alone.estimated)
