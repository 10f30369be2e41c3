"""Rogers' multiregional model: against an explicit generalised Leslie matrix, flows that add up."""

import numpy as np
import pytest

from blilyst.demography.multiregional import project_multiregional
from blilyst.demography.projection import project
from blilyst.errors import InputError
from blilyst.i18n import override


def generalised_leslie(surv, fert, out, D, srb, R, A, sex):
    """The (R*A) x (R*A) block matrix of Rogers (1975), one sex, ordered (age, region); for females
    the first-row blocks hold births (daughters) by region, survivors of the newborns included."""
    G = np.zeros((A * R, A * R))
    for x in range(A - 1):
        # block (x+1, x): survive in the origin o, then stay or move to d
        for o in range(R):
            s = surv[o, sex, x + 1]
            for d in range(R):
                move = out[o, sex, x + 1] * D[o, d] if d != o else 1 - out[o, sex, x + 1]
                G[(x + 1) * R + d, x * R + o] = s * move
    for o in range(R):  # the open group keeps its survivors
        s = surv[o, sex, A]
        for d in range(R):
            move = out[o, sex, A - 1] * D[o, d] if d != o else 1 - out[o, sex, A - 1]
            G[(A - 1) * R + d, (A - 1) * R + o] += s * move
    return G


def _inputs(rng, R=3, A=6):
    base = rng.uniform(100, 1000, size=(R, 2, A))
    surv = rng.uniform(0.9, 1.0, size=(R, 2, A + 1))
    fert = np.zeros((R, A))
    fert[:, 2:4] = rng.uniform(0.05, 0.2, size=(R, 2))
    out = rng.uniform(0, 0.2, size=(R, 2, A))
    D = rng.uniform(0.1, 1, size=(R, R))
    np.fill_diagonal(D, 0)
    D /= D.sum(axis=1, keepdims=True)
    return base, surv, fert, out, D


def test_survivors_and_transfers_equal_the_generalised_leslie_matrix():
    rng = np.random.default_rng(5)
    R, A = 3, 6
    base, surv, fert, out, D = _inputs(rng, R, A)
    res = project_multiregional(base, surv, np.zeros_like(fert), out, D, 1)
    for sex in (0, 1):
        G = generalised_leslie(surv, fert, out, D, 1.05, R, A, sex)
        vec = base[:, sex, :].T.reshape(-1)  # (age, region)
        expected = (G @ vec).reshape(A, R).T
        np.testing.assert_allclose(res.population[1, :, sex, 1:], expected[:, 1:], rtol=1e-12)


def test_domestic_flows_add_up_nationally_and_accounts_balance():
    rng = np.random.default_rng(8)
    base, surv, fert, out, D = _inputs(rng)
    res = project_multiregional(base, surv, fert, out, D, 10, immigration=5.0, emigration_rates=0.01)
    np.testing.assert_allclose(res.inflow.sum(axis=1), res.outflow.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(res.flows.sum(axis=2), res.outflow.sum(axis=(2, 3)), rtol=1e-12)
    assert np.all(np.diagonal(res.flows, axis1=1, axis2=2) == 0)
    assert np.abs(res.account_residual()).max() < 1e-8


def test_with_equal_rates_the_regions_sum_to_the_nation():
    rng = np.random.default_rng(2)
    base, surv, fert, out, D = _inputs(rng, R=4)
    same_surv = np.broadcast_to(surv[:1], surv.shape)
    same_fert = np.broadcast_to(fert[:1], fert.shape)
    multi = project_multiregional(base, same_surv, same_fert, out, D, 8, srb=1.05)
    nation = project(base.sum(axis=0, keepdims=True), surv[:1], fert[:1], 8, srb=1.05)
    # births from average of start and end women; nationally no migration, so the engines agree
    np.testing.assert_allclose(multi.population.sum(axis=1), nation.population[:, 0], rtol=1e-10)


def test_age_specific_destinations_are_accepted():
    rng = np.random.default_rng(3)
    base, surv, fert, out, D = _inputs(rng)
    D4 = np.broadcast_to(D, (2, base.shape[2], 3, 3))
    a = project_multiregional(base, surv, fert, out, D, 3)
    b = project_multiregional(base, surv, fert, out, D4, 3)
    np.testing.assert_allclose(a.population, b.population, rtol=1e-12)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"D": np.full((3, 3), 1 / 3)}, "destinations"),
        ({"D": np.array([[0, 0.5, 0.4], [0.5, 0, 0.5], [0.5, 0.5, 0]])}, "destinations"),
        ({"out": np.full((3, 2, 6), 1.5)}, "out_rates"),
        ({"fert": -np.ones((3, 6))}, "fertility"),
        ({"base": np.ones((3, 6))}, "base"),
    ],
)
def test_bad_input_names_the_field(change, field):
    rng = np.random.default_rng(1)
    base, surv, fert, out, D = _inputs(rng)
    args = {"base": base, "surv": surv, "fert": fert, "out": out, "D": D} | change
    with pytest.raises(InputError) as info:
        project_multiregional(args["base"], args["surv"], args["fert"], args["out"], args["D"], 2)
    assert info.value.field == field


def test_bad_input_is_worded_in_the_active_language():
    base, surv, fert, out, D = _inputs(np.random.default_rng(1))
    same = np.full((3, 3), 1 / 3)
    with pytest.raises(InputError, match="destinations: diagonalen må være 0"):  # bokmål, the default
        project_multiregional(base, surv, fert, out, same, 2)
    with override("nn"), pytest.raises(InputError, match="fertility: kan ikkje vere negativ"):
        project_multiregional(base, surv, -fert, out, D, 2)
    with override("en"), pytest.raises(InputError, match="base: must be shaped \\(region, sex, age\\)"):
        project_multiregional(base[0], surv, fert, out, D, 2)
