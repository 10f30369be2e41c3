"""The vectorised engine against a slow loop reference, the demographic account, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from blilyst.axes import FEMALE
from blilyst.demography.projection import PoolMigration, project
from blilyst.errors import InputError
from blilyst.i18n import override


def reference_projection(base, surv, fert, steps, srb, interval, net, timing):
    """One region, sex and age at a time, written from the formulas in the module docstring."""
    R, S, A = base.shape
    n = interval
    pops = [base.copy()]
    for t in range(steps):
        P = pops[-1]
        new = np.zeros_like(P)
        for r in range(R):
            X = np.zeros((S, A))
            newborn_mig = [0.0, 0.0]
            for s in range(S):
                for a in range(A):
                    X[s, a] += P[r, s, a]
                    if timing == "period":
                        X[s, a] += net[t, r, s, a] / 2
                    elif 1 <= a < A - 1:
                        X[s, a - 1] += net[t, r, s, a] / 2
                    elif a == A - 1:  # open cohort: split over its two start groups by size
                        both = P[r, s, A - 2] + P[r, s, A - 1]
                        w = P[r, s, A - 2] / both if both > 0 else 0.5
                        X[s, A - 2] += w * net[t, r, s, a] / 2
                        X[s, A - 1] += (1 - w) * net[t, r, s, a] / 2
                if timing == "cohort":
                    newborn_mig[s] = net[t, r, s, 0] / 2
            Y = np.zeros((S, A))
            for s in range(S):
                for a in range(1, A):
                    Y[s, a] = surv[t, r, s, a] * X[s, a - 1]
                Y[s, A - 1] += surv[t, r, s, A] * X[s, A - 1]
            births = 0.0
            for a in range(A):
                end_women = Y[FEMALE, a] + net[t, r, FEMALE, a] / 2
                births += n * fert[t, r, a] * (X[FEMALE, a] + end_women) / 2
            for s in range(S):
                share = 1 / (1 + srb) if s == FEMALE else srb / (1 + srb)
                Y[s, 0] = surv[t, r, s, 0] * (births * share + newborn_mig[s])
                for a in range(A):
                    new[r, s, a] = Y[s, a] + net[t, r, s, a] / 2
        pops.append(new)
    return np.array(pops)


def _random_inputs(rng, R=3, A=12, T=4):
    base = rng.uniform(50, 500, size=(R, 2, A))
    surv = rng.uniform(0.8, 1.0, size=(T, R, 2, A + 1))
    fert = np.zeros((T, R, A))
    fert[:, :, 3:8] = rng.uniform(0, 0.15, size=(T, R, 5))
    net = rng.uniform(-10, 10, size=(T, R, 2, A))
    net[..., 0] = np.abs(net[..., 0])  # no net emigration of babies before any are born
    return base, surv, fert, net


@pytest.mark.parametrize("timing", ["period", "cohort"])
@pytest.mark.parametrize("interval", [1, 5])
def test_vectorised_engine_equals_loop_reference(timing, interval):
    rng = np.random.default_rng(7)
    base, surv, fert, net = _random_inputs(rng)
    res = project(base, surv, fert, 4, srb=1.06, interval=interval, net_migration=net, migration_timing=timing)
    ref = reference_projection(base, surv, fert, 4, 1.06, interval, net, timing)
    np.testing.assert_allclose(res.population, ref, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("timing", ["period", "cohort"])
def test_accounts_balance_for_every_region_sex_and_age(timing):
    rng = np.random.default_rng(11)
    base, surv, fert, net = _random_inputs(rng, R=5, A=20, T=6)
    res = project(base, surv, fert, 6, net_migration=net, migration_timing=timing)
    assert np.abs(res.account_residual()).max() < 1e-9
    # and the totals: the change is births - deaths + net migration, per region
    change = res.population[-1].sum(axis=(1, 2)) - res.population[0].sum(axis=(1, 2))
    comps = res.births.sum(axis=(0, 2)) - res.deaths.sum(axis=(0, 2, 3)) + res.net_migration.sum(axis=(0, 2, 3))
    np.testing.assert_allclose(change, comps, atol=1e-8)
    np.testing.assert_allclose(res.net_migration.sum(axis=(2, 3)), net.sum(axis=(2, 3)), atol=1e-9)


def test_pool_mode_domestic_flows_add_up_nationally():
    rng = np.random.default_rng(3)
    R, A, T = 6, 15, 5
    base = rng.uniform(100, 1000, size=(R, 2, A))
    surv = np.full((A + 1,), 0.99)
    fert = np.zeros(A)
    fert[4:9] = 0.1
    out_rates = rng.uniform(0, 0.1, size=(R, 2, A))
    shares = rng.uniform(0.1, 1, size=(R, 2, A))
    shares /= shares.sum(axis=0)
    pool = PoolMigration(out_rates=out_rates, in_shares=shares)
    res = project(base, surv, fert, T, pool=pool)
    # domestic moves only: national in == national out for every step, sex and age
    np.testing.assert_allclose(res.inflow.sum(axis=1), res.outflow.sum(axis=1), rtol=1e-12)
    # the nation is then a closed population: same as projecting the national sum without migration
    nat = project(base.sum(axis=0, keepdims=True), surv, fert, T)
    np.testing.assert_allclose(res.population.sum(axis=1), nat.population[:, 0], rtol=1e-12)
    assert np.abs(res.account_residual()).max() < 1e-8


def test_pool_mode_with_immigration_and_emigration():
    R, A = 2, 5
    base = np.full((R, 2, A), 100.0)
    pool = PoolMigration(
        out_rates=0.1,
        in_shares=np.array([0.25, 0.75])[:, None, None],
        immigration=np.array([4.0, 0.0])[:, None, None],
        emigration_rates=0.02,
    )
    res = project(base, np.ones(A + 1), np.full(A, 0.5), 1, pool=pool)
    # region 0: out 10 + emig 2 per cell, in 0.25 * 20 + 4 = 9 -> net -3 per cell (period timing)
    np.testing.assert_allclose(res.net_migration[0, 0].sum(), -3.0 * 2 * A)
    np.testing.assert_allclose(res.net_migration[0, 1].sum(), (0.75 * 20 - 12) * 2 * A)


def test_closed_population_with_no_deaths_keeps_everyone_and_ages_them():
    base = np.zeros((1, 2, 4))
    base[0, :, 0] = [10, 20]
    res = project(base, np.ones(5), np.zeros(4), 3)
    assert res.population[3, 0, :, 3].tolist() == [10, 20]
    assert res.population[3].sum() == 30


def test_births_use_average_of_start_and_end_women():
    # 100 women aged 1, all survive to 2; fertility 0.5 at ages 1 and 2: exposure 100 -> 50 births
    base = np.zeros((1, 2, 4))
    base[0, FEMALE, 1] = 100
    fert = np.array([0, 0.5, 0.5, 0])
    res = project(base, np.ones(5), fert, 1, srb=1.0)
    assert res.births[0, 0].sum() == pytest.approx(50.0)
    assert res.population[1, 0, :, 0].tolist() == [25.0, 25.0]


# ---------------------------------------------------------------- bad input names the field


def _ok():
    return np.full((2, 2, 5), 10.0), np.full(6, 0.99), np.zeros(5)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"fertility": np.array([0, -0.1, 0, 0, 0])}, "fertility"),
        ({"survival": np.full(6, 1.2)}, "survival"),
        ({"survival": np.full(7, 0.9)}, "survival"),  # one age too many
        ({"base": np.full((2, 2, 5), np.nan)}, "base"),
        ({"base": np.full((2, 3, 5), 1.0)}, "base"),
        ({"base": -np.ones((2, 2, 5))}, "base"),
        ({"fertility": np.full((3, 2, 5), 0.1)}, "fertility"),  # 3 steps of rates for 2 steps
        ({"net_migration": np.full((2, 3, 2, 5), 1.0)}, "net_migration"),  # 3 regions, base has 2
        ({"net_migration": np.full((2, 2, 2, 5), -50.0)}, "net_migration"),  # leaves more than live there
        ({"net_migration_rates": np.full((2, 2, 5), -1.5)}, "net_migration_rates"),
        ({"srb": 0.0}, "srb"),
        ({"steps": 0}, "steps"),
        ({"migration_timing": "mid"}, "migration_timing"),
        ({"pool": PoolMigration(out_rates=0.1, in_shares=0.7)}, "pool.in_shares"),
        ({"pool": PoolMigration(out_rates=-0.1, in_shares=0.5)}, "pool.out_rates"),
    ],
)
def test_bad_input_raises_input_error_naming_the_field(kwargs, field):
    base, surv, fert = _ok()
    args = {"base": base, "survival": surv, "fertility": fert, "steps": 2}
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        project(args.pop("base"), args.pop("survival"), args.pop("fertility"), args.pop("steps"), **args)
    assert info.value.field == field


def test_bad_input_is_worded_in_the_active_language():
    base, surv, fert = _ok()
    with pytest.raises(
        InputError, match=r"base: kan ikke være negativ \(fant \u221210,000 ved indeks \(0, 0, 0\)\)"
    ):  # bokmål
        project(-base, surv, fert, 2)
    with override("nn"), pytest.raises(InputError, match="steps: må vere eit heilt tal på steg, minst 1; fekk 0"):
        project(base, surv, fert, 0)
    with override("en"), pytest.raises(InputError, match=r"pool.in_shares: must sum to 1 .* sum is 1\.400000 at"):
        project(base, surv, fert, 2, pool=PoolMigration(out_rates=0.1, in_shares=0.7))


# ---------------------------------------------------------------- properties

pops = arrays(np.float64, (3, 2, 8), elements=st.floats(0, 1e5))
survs = arrays(np.float64, (9,), elements=st.floats(0, 1))
ferts = arrays(np.float64, (8,), elements=st.floats(0, 0.3))
nets = arrays(np.float64, (3, 2, 8), elements=st.floats(0, 500))


@settings(max_examples=60, deadline=None)
@given(pops, survs, ferts, nets, st.sampled_from(["period", "cohort"]), st.sampled_from([1, 5]))
def test_property_accounts_balance_and_no_negative_or_nan(base, surv, fert, inmig, timing, interval):
    res = project(base, surv, fert, 3, interval=interval, net_migration=inmig, migration_timing=timing)
    assert np.all(np.isfinite(res.population))
    assert res.population.min() >= 0
    scale = max(1.0, res.population.max())
    assert np.abs(res.account_residual()).max() <= 1e-9 * scale


@settings(max_examples=40, deadline=None)
@given(pops, survs, ferts)
def test_property_regions_are_independent_without_pool(base, surv, fert):
    joint = project(base, surv, fert, 2).population
    for r in range(base.shape[0]):
        alone = project(base[r : r + 1], surv, fert, 2).population
        np.testing.assert_allclose(joint[:, r], alone[:, 0], rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(pops, survs, ferts, st.floats(1.01, 3))
def test_property_population_is_linear_in_base(base, surv, fert, k):
    a = project(base, surv, fert, 2).population
    b = project(base * k, surv, fert, 2).population
    np.testing.assert_allclose(b, a * k, rtol=1e-10, atol=1e-6)
