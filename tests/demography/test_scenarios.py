"""Scenarios on the real snapshot: each one does what its explanation promises."""

import numpy as np
import pytest

from blilyst.demography.commuting import local_shares
from blilyst.demography.rates import estimate_rates
from blilyst.demography.scenario_options import (
    EmploymentOptions,
    HousingOptions,
    TargetOptions,
    options_for,
)
from blilyst.demography.scenarios import (
    SCENARIOS,
    default_headship,
    default_participation,
    run_scenario,
    scenario_table,
)
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot

FYRESDAL = "4032"


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def all_rates(snap):
    return estimate_rates(snapshot=snap)


@pytest.fixture(scope="module")
def national(snap, all_rates):
    return {
        sc: run_scenario(None, sc, 20, snapshot=snap, rates=all_rates)
        for sc in ("trend", "zero-migration", "no-immigration", "low", "high")
    }


def _registered(snap, code, year, lo=0, hi=105):
    p = snap.population
    sel = (p["municipality"] == code) & (p["year"] == year) & p["age"].between(lo, hi)
    return int(p.loc[sel, "population"].sum())


def test_every_scenario_is_explained_in_bokmal_nynorsk_and_english():
    for name, sc in SCENARIOS.items():
        assert sc.name == name
        texts = {}
        for lang in ("nb", "nn", "en"):
            with override(lang):
                texts[lang] = (sc.title, sc.description)
            assert len(texts[lang][0]) >= 3 and len(texts[lang][1]) > 40
        assert len({texts[lang][1] for lang in texts}) == 3, f"{name} is not translated into all three languages"
    assert "Boligstyrt" in scenario_table("nb")["title"].tolist()
    table = scenario_table("nn")
    assert set(table["scenario"]) == set(SCENARIOS)
    assert "Bustadstyrt" in table["title"].tolist() and "Housing-led" in scenario_table("en")["title"].tolist()
    with pytest.raises(InputError, match="lang: «de» er ikke et språk blilyst skriver; bruk nb, nn eller en"):
        scenario_table("de")  # bokmål, the active language, not the unknown one


def test_trend_for_all_357_balances_and_matches_recent_net_immigration(national):
    res = national["trend"]
    assert len(res.codes) == 357
    assert res.years[0] == 2026 and res.years[-1] == 2046
    assert res.population[0].sum() == pytest.approx(5_627_400, abs=100)  # registered 1 Jan 2026, 357 municipalities
    assert np.abs(res.engine.account_residual()).max() < 1e-6
    # nationally, net migration is net immigration: SSB counted about 30 000 a year on average in 2016-2025
    first_year = res.engine.net_migration[0].sum()
    assert 25_000 < first_year < 40_000


def test_no_immigration_removes_nearly_all_national_net_migration(national):
    trend = national["trend"].engine.net_migration.sum()
    none = national["no-immigration"].engine.net_migration.sum()
    assert abs(none) < 0.1 * trend  # domestic moves cancel out nationally


def test_zero_migration_is_births_minus_deaths(national):
    res = national["zero-migration"]
    assert np.abs(res.engine.net_migration).max() == 0
    change = res.population[-1].sum() - res.population[0].sum()
    assert change == pytest.approx(res.engine.births.sum() - res.engine.deaths.sum(), abs=1e-3)


def test_low_trend_high_are_ordered_for_every_municipality(national):
    low, trend, high = (national[s].population[-1].sum(axis=(1, 2)) for s in ("low", "trend", "high"))
    assert np.all(low <= trend + 1e-6)
    assert np.all(trend <= high + 1e-6)
    assert low.sum() < trend.sum() < high.sum()


def test_target_seeking_keeps_fyresdal_working_age_at_its_registered_level(snap):
    res = run_scenario(FYRESDAL, "target-seeking", 20, snapshot=snap)
    base_20_66 = _registered(snap, FYRESDAL, 2026, 20, 66)
    s = res.summary()
    np.testing.assert_allclose(s["working_age"], base_20_66, atol=1e-6)
    assert s["extra_migrants"].iloc[:-1].mean() > 0  # Fyresdal's working age falls in the trend
    groups = res.extra_by_age_group()
    assert groups.set_index("age_group")["extra_migrants_per_year"].drop("0-19").idxmax() == "25-39"
    assert "mostly aged 25-39" in res.headline("en")[0]
    assert "flere innflyttere" in res.headline("nb")[0]


def test_target_population_is_reached_in_the_final_year(snap):
    res = run_scenario(
        FYRESDAL, "target-seeking", 10, TargetOptions(target="population", target_population=1400), snapshot=snap
    )
    assert res.population[-1].sum() == pytest.approx(1400, abs=1e-6)


def test_housing_led_fills_the_planned_dwellings(snap):
    res = run_scenario(FYRESDAL, "housing-led", 15, HousingOptions(dwellings_per_year=6, vacancy=0.1), snapshot=snap)
    _, _, nat = snap.population_cube(years=[2026])
    h = default_headship(nat[0].sum(axis=0))
    households = np.einsum("tsa,a->t", res.population[:, 0], h)
    np.testing.assert_allclose(np.diff(households), 6 * 0.9, atol=1e-6)
    # the default headship gives 2.1 persons per household nationally
    assert nat[0].sum() / (nat[0].sum(axis=(0, 1)) @ h) == pytest.approx(2.1)


def test_employment_led_labour_force_follows_the_jobs_path(snap):
    res = run_scenario(
        FYRESDAL, "employment-led", 10, EmploymentOptions(jobs_growth=0.01, unemployment=0.03), snapshot=snap
    )
    part = default_participation()
    lf = np.einsum("tsa,a->t", res.population[:, 0], part) * 0.97
    # new jobs go to residents in the share of Fyresdal's employed residents who work at home (SSB 03321 2017)
    share = local_shares(snap.commuting, [FYRESDAL])[0][0]
    assert 0.5 < share < 1
    np.testing.assert_allclose(lf[1:] / lf[0], 1 + share * (1.01 ** np.arange(1, 11) - 1), rtol=1e-9)


def test_outputs_state_base_year_sources_estimates_and_assumptions(snap):
    res = run_scenario(FYRESDAL, "trend", 20, snapshot=snap)
    notes = "\n".join(res.notes("en"))
    assert "1 January 2026" in notes
    assert "Kilde: Statistisk sentralbyrå" in notes
    assert "Estimated:" in notes and "residual" in notes
    assert "Assumption: migration" in notes
    nb = "\n".join(res.notes("nb"))
    assert "Basisår: 1. januar 2026" in nb and "Anslått:" in nb and "Forutsetning: flytting" in nb
    nn = "\n".join(res.notes("nn"))
    assert "Basisår: 1. januar 2026" in nn and "Føresetnad: flytting" in nn and "Kjelde:" in nn
    frame = res.frame()
    assert list(frame.columns) == ["municipality", "name", "year", "sex", "age", "population", "status"]
    assert len(frame) == 21 * 2 * 106
    assert frame.loc[frame["year"] == 2026, "population"].sum() == _registered(snap, FYRESDAL, 2026)
    assert set(frame["status"]) == {"registered", "projected"}


def test_trend5_uses_five_years(snap):
    res = run_scenario(FYRESDAL, "trend5", 5, snapshot=snap)
    assert "2021–2025" in res.assumptions["migration"].word("en")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"scenario": "boom"}, "scenario"),
        ({"scenario": "housing-led"}, "dwellings_per_year"),
        ({"scenario": "housing-led", "dwellings_per_year": [1, 2]}, "dwellings_per_year"),
        ({"scenario": "employment-led"}, "jobs_growth"),
        ({"scenario": "target-seeking", "target": "population"}, "target_population"),
        ({"scenario": "trend", "years": 0}, "years"),
        ({"scenario": "housing-led", "dwellings_per_year": 5, "headship": [0.5] * 10}, "headship"),
        ({"scenario": "housing-led", "dwellings_per_year": -5}, "dwellings_per_year"),
        ({"scenario": "housing-led", "dwellings_per_year": float("nan")}, "dwellings_per_year"),
        ({"scenario": "employment-led", "jobs_growth": -2.0}, "jobs_growth"),
        ({"scenario": "stochastic", "window": 1}, "window"),  # one year has no spread: intervals would collapse
        ({"scenario": "employment-led", "jobs_growth": float("inf")}, "jobs_growth"),
        ({"scenario": "employment-led", "jobs_target": 0.0}, "jobs_target"),
        (
            {"scenario": "target-seeking", "target": "population", "target_population": float("nan")},
            "target_population",
        ),
    ],
)
def test_bad_options_name_the_field(snap, kwargs, field):
    scenario = kwargs.pop("scenario")
    years = kwargs.pop("years", 5)
    with pytest.raises(InputError) as info:
        run_scenario(FYRESDAL, scenario, years, options_for(scenario, **kwargs), snapshot=snap)
    assert info.value.field == field


def test_backtest_trend_from_2021_against_registered_2026(snap):
    """The trend from 1 January 2021 with the rates known then, against the registered 2026 populations."""
    _codes, years, cube = snap.population_cube()
    actual = cube[years.index(2026)].sum(axis=(1, 2))
    rs21 = estimate_rates(snapshot=snap, base_year=2021, window=10)
    trend = run_scenario(None, "trend", 5, snapshot=snap, rates=rs21).population[-1].sum(axis=(1, 2))
    zero = run_scenario(None, "zero-migration", 5, snapshot=snap, rates=rs21).population[-1].sum(axis=(1, 2))
    err = np.abs(trend - actual) / actual
    assert np.median(err) < 0.025  # 1.8 % measured
    assert err.mean() < (np.abs(zero - actual) / actual).mean()  # better than ignoring migration
    assert trend.sum() == pytest.approx(actual.sum(), rel=0.01)


def test_age_groups_add_up_to_the_registered_population(snap):
    res = run_scenario(FYRESDAL, "trend", 3, snapshot=snap)
    g = res.age_groups()
    assert g["age_group"].iloc[:3].tolist() == ["0-4", "5-9", "10-14"] and g["age_group"].iloc[18] == "90+"
    base = g[g["year"] == 2026]
    assert base["total"].sum() == 1274
    assert base.loc[base["age_group"] == "90+", "total"].iloc[0] == _registered(snap, FYRESDAL, 2026, 90, 105)
    with pytest.raises(InputError):
        res.age_groups(width=7)


def test_a_target_out_of_reach_is_reported_not_hidden(snap):
    """Reaching 1 inhabitant would need more than a quarter of a cohort to leave in a year (the
    cap): the figure misses the target, and the notes and headline say so."""
    res = run_scenario(
        FYRESDAL, "target-seeking", 20, TargetOptions(target="population", target_population=1), snapshot=snap
    )
    # extra migrants spread by Fyresdal's own in-migrant ages (registered, 2016-2025)
    assert round(res.population[-1].sum()) == 222
    assert res.extra["missed"]["4032"][0] == 20
    assert res.assumptions["target not reached"].word("en").startswith("Fyresdal 2046: 222 against 1")
    assert (
        "Even so, the target is not reached. The ages are those of registered in-migrants to Fyresdal"
        in (res.headline("en")[0])
    )
    assert "Målet nås likevel ikke." in res.headline("nb")[0]
    reached = run_scenario(
        FYRESDAL, "target-seeking", 10, TargetOptions(target="population", target_population=1400), snapshot=snap
    )
    assert reached.extra["missed"] == {} and "target not reached" not in reached.assumptions


def test_options_of_another_scenario_are_refused(snap):
    with pytest.raises(InputError) as info:
        run_scenario(FYRESDAL, "trend", 5, HousingOptions(dwellings_per_year=6), snapshot=snap)
    assert info.value.field == "options"
    assert "TrendOptions" in str(info.value)
    with pytest.raises(InputError) as info:
        options_for("trend", jobs_growth=0.01)
    assert info.value.field == "jobs_growth"
    assert "gjelder ikke alternativet «trend»" in str(info.value)  # bokmål, the default
    with override("en"), pytest.raises(InputError, match="does not apply to the scenario 'trend'"):
        options_for("trend", jobs_growth=0.01)


def test_sex_ratio_without_births_says_which_default(snap):
    import dataclasses

    from blilyst.demography.scenarios import DEFAULT_SRB, sex_ratio_at_birth

    ratio, source = sex_ratio_at_birth(snap)
    assert 1.0 < ratio < 1.1 and source.word("en").startswith("registered births")
    frames = dict(snap.frames)
    frames["births"] = snap.births.iloc[0:0]
    empty = dataclasses.replace(snap, frames=frames)
    ratio, source = sex_ratio_at_birth(empty)
    assert (ratio, source.word("en")) == (DEFAULT_SRB, "SSB's long-run ratio (the data have no births by sex)")
    res = run_scenario(FYRESDAL, "trend", 2, snapshot=empty)
    assert "SSB's long-run ratio" in res.assumptions["sex ratio at birth"].word("en")


def test_constrained_scenarios_start_from_the_trend_with_national_immigration(snap):
    """Issue 8: the constrained scenarios start from the same migration as the trend (domestic rates plus
    the national immigration assumption handed out), not the old total net migration rates: a target equal
    to the trend's own population needs no extra migrants. With the total rates Fyresdal would have needed
    a few extra migrants a year (its total rates of 2016-2025 differ from domestic + its share of Norway's)."""
    rs = estimate_rates([FYRESDAL], snapshot=snap)
    trend = run_scenario(FYRESDAL, "trend", 1, snapshot=snap, rates=rs)
    target = float(trend.population[1].sum())
    res = run_scenario(
        FYRESDAL, "target-seeking", 1, TargetOptions(target="population", target_population=target), snapshot=snap
    )
    assert abs(res.extra_migrants[0, 0]) < 0.01
    assert res.population[1].sum() == pytest.approx(target)
    assert res.extra["national_level"].choice == "trend"
    assert "national assumption" in res.assumptions["migration"].word("en")
    old = rs.migration_rate - rs.domestic_rate
    assert np.abs(old).sum() > 0.01  # the total rates really differ from the domestic ones


def test_a_run_of_several_municipalities_gives_each_its_own_in_migrant_ages(snap):
    """Issue 8: with several municipalities each gets the in-migrant ages of its nearest registered data
    (Fyresdal its own, Dyrøy in Troms the Telemark municipalities of its centrality class, said so), not
    one profile pooled over all 17 Telemark municipalities; Fyresdal's answer is the same alone or with
    Dyrøy (about 5.3 extra in-migrants a year)."""
    one = run_scenario(FYRESDAL, "target-seeking", 10, snapshot=snap)
    both = run_scenario([FYRESDAL, "5528"], "target-seeking", 10, snapshot=snap)
    assert both.extra_migrants[:, 0].mean() == pytest.approx(one.extra_migrants[:, 0].mean())
    assert one.extra_migrants[:, 0].mean() == pytest.approx(5.26, abs=0.01)
    assert both.profile.shape == (2, 2, 106)
    fyresdal, dyroy = both.headline("en")
    assert fyresdal.endswith("The ages are those of registered in-migrants to Fyresdal 2016–2025.")
    assert "municipalities of centrality class 6 with data, all in Telemark" in dyroy
    assert "(1 from its centrality class and 1 from its own in-migrants)" in both.assumptions["extra migrants"].word(
        "en"
    )
    # a pooled profile would have made Fyresdal's answer depend on who else is in the run
    pooled = both.extra["profile_info"]
    assert pooled.scope == "all" and not np.allclose(pooled.by_age, both.profile[0])
