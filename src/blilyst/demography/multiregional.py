"""Multiregional cohort-component projection (Rogers' generalised Leslie model).

Rogers (1966, 1975) stacks the regions' age groups into one vector and projects it with a
generalised Leslie matrix whose blocks are ``R x R`` matrices: the sub-diagonal blocks
``S(x)`` give, for a person in region ``o`` aged ``x``, the probability to be alive in region ``d``
one step later; the first-row blocks give births by region. Here the blocks are never built:
with ``P`` shaped ``(region, sex, age)`` one step is

    survivors(o, x+1) = s(o, x) * P(o, x)                                   (survival in the origin)
    P(d, x+1) = sum_o T(o -> d, x) * survivors(o, x+1)                         (transfer between regions)
    B(d) = n * sum_x F(d, x) * (W(d, x, start) + W(d, x, end)) / 2              (births by region)

with ``T(o -> d, x) = m(o, x) * D(o, d)`` for ``d != o`` and ``1 - m(o, x)`` on the diagonal:
``m`` the probability of moving out of ``o`` during the step (by sex and age) and ``D`` the row-
stochastic destination distribution of those who leave ``o`` (by origin; optionally by sex and age).
Moves happen at the end of the step after survival, a common discrete approximation of Rogers'
multistate life table (Rogers 1995, *Multiregional Demography*, Wiley, ch. 3; Rees & Wilson 1977,
*Spatial Population Analysis*). Newborns stay in the mother's region in their first step.
International immigration (counts) and emigration (rates) are optional.

Because ``T`` has columns summing to one, transfers move people between regions and never create
or lose anyone: domestic in-migration equals out-migration nationally, for every sex and age.
With the same rates everywhere the sum over regions equals a one-region projection of the nation.
Memory is ``O(R^2)`` for ``D`` (357 municipalities: 1 MB) plus ``O(R S A)``; a full ``(S, A, R, R)``
destination array is accepted for small systems.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from blilyst.arrays import ArrayLike
from blilyst.axes import FEMALE, N_SEXES
from blilyst.errors import InputError
from blilyst.i18n import gettext

__all__ = ["MultiregionalResult", "project_multiregional"]


@dataclass
class MultiregionalResult:
    """population (T+1, R, S, A); births (T, R, S); deaths (T, R, S, A) by end cohort in the origin;
    flows (T, R, R) domestic movers origin -> destination summed over sex and age;
    inflow / outflow (T, R, S, A) domestic moves by end cohort."""

    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    flows: np.ndarray
    inflow: np.ndarray
    outflow: np.ndarray
    immigration: np.ndarray
    emigration: np.ndarray

    def account_residual(self) -> np.ndarray:
        from blilyst.demography.projection import cohort_shift

        prev = cohort_shift(self.population[:-1])
        prev[..., 0] += self.births
        residual: np.ndarray = self.population[1:] - (
            prev - self.deaths + self.inflow - self.outflow + self.immigration - self.emigration
        )
        return residual


def _check(name: str, arr: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    try:
        out: np.ndarray = np.broadcast_to(np.asarray(arr, dtype=float), shape)
    except ValueError:
        raise InputError(
            name,
            gettext("has shape {shape}, which does not fit {expected}").format(shape=np.shape(arr), expected=shape),
        ) from None
    if not np.all(np.isfinite(out)):
        raise InputError(name, gettext("has missing or infinite values"))
    if np.any(out < 0):
        raise InputError(name, gettext("must not be negative"))
    return out


def _checked_destinations(destinations: ArrayLike, R: int, S: int, A: int) -> np.ndarray:
    """Where each origin's leavers go: (R, R) or by sex and age (S, A, R, R), rows summing to 1, zero diagonal."""
    D = np.asarray(destinations, dtype=float)
    if D.shape not in ((R, R), (S, A, R, R)):
        raise InputError(
            "destinations",
            gettext(
                "must be shaped ({regions}, {regions}) or ({sexes}, {ages}, {regions}, {regions}); got {shape}"
            ).format(regions=R, sexes=S, ages=A, shape=D.shape),
        )
    D = _check("destinations", D, D.shape)
    if not np.allclose(D.sum(axis=-1), 1.0, atol=1e-9):
        raise InputError("destinations", gettext("each origin's row must sum to 1 (where its leavers go)"))
    if np.any(np.diagonal(D, axis1=-2, axis2=-1) != 0):
        raise InputError("destinations", gettext("the diagonal must be 0 (stayers are 1 - out_rates)"))
    return D


def project_multiregional(
    base: ArrayLike,
    survival: ArrayLike,
    fertility: ArrayLike,
    out_rates: ArrayLike,
    destinations: ArrayLike,
    steps: int,
    *,
    srb: ArrayLike = 1.05,
    interval: int = 1,
    immigration: ArrayLike = 0.0,
    emigration_rates: ArrayLike = 0.0,
) -> MultiregionalResult:
    """Project ``base`` (R, S, A) with transfers between its regions.

    Parameters
    ----------
    base : (R, S, A) stocks at the start.
    survival : broadcastable to (T, R, S, A+1), the engine's layout (see
        :func:`blilyst.demography.projection.project`).
    fertility : broadcastable to (T, R, A), annual ASFR.
    out_rates : broadcastable to (T, R, S, A), probability of moving to another region during the
        step, by age at the end of the step.
    destinations : (R, R) row-stochastic with a zero diagonal (where leavers from ``o`` go), or
        (S, A, R, R) by sex and age.
    immigration : counts broadcastable to (T, R, S, A), added at the end of the step.
    emigration_rates : broadcastable to (T, R, S, A), share of survivors leaving the country.
    """
    base = np.asarray(base, dtype=float)
    if base.ndim != 3 or base.shape[1] != N_SEXES:
        raise InputError("base", gettext("must be shaped (region, sex, age)"))
    R, S, A = base.shape
    T = int(steps)
    if T < 1:
        raise InputError("steps", gettext("must be at least 1"))
    base = _check("base", base, base.shape)
    surv = _check("survival", survival, (T, R, S, A + 1))
    if np.any(surv > 1):
        raise InputError("survival", gettext("ratios must be at most 1"))
    fert = _check("fertility", fertility, (T, R, A))
    out = _check("out_rates", out_rates, (T, R, S, A))
    imm = _check("immigration", immigration, (T, R, S, A))
    emi = _check("emigration_rates", emigration_rates, (T, R, S, A))
    if np.any(out + emi > 1):
        raise InputError("out_rates", gettext("out-migration plus emigration must not exceed 1 in a step"))
    D = _checked_destinations(destinations, R, S, A)
    ratio = np.broadcast_to(np.asarray(srb, dtype=float), (T,))
    n = float(interval)

    pop = np.empty((T + 1, R, S, A))
    births = np.empty((T, R, S))
    deaths = np.empty((T, R, S, A))
    inflow = np.empty((T, R, S, A))
    outflow = np.empty((T, R, S, A))
    emig = np.empty((T, R, S, A))
    flows = np.empty((T, R, R))
    pop[0] = base
    for t in range(T):
        P, st = pop[t], surv[t]
        surv_end = np.zeros((R, S, A))  # survivors at the end, in their origin, by end cohort
        surv_end[..., 1:] = st[..., 1:A] * P[..., :-1]
        surv_end[..., -1] += st[..., A] * P[..., -1]
        d = np.zeros((R, S, A))
        d[..., 1:] = (1 - st[..., 1:A]) * P[..., :-1]
        d[..., -1] += (1 - st[..., A]) * P[..., -1]
        movers = out[t] * surv_end
        leavers = emi[t] * surv_end
        if D.ndim == 2:
            arrivals = np.einsum("od,osa->dsa", D, movers)
            flows[t] = D * movers.sum(axis=(1, 2))[:, None]
        else:
            arrivals = np.einsum("saod,osa->dsa", D, movers)
            flows[t] = np.einsum("saod,osa->od", D, movers)
        end = surv_end - movers - leavers + arrivals + imm[t]
        women = 0.5 * (P[:, FEMALE] + end[:, FEMALE])
        b = n * np.einsum("ra,ra->r", fert[t], women)
        births[t, :, FEMALE] = b / (1 + ratio[t])
        births[t, :, 1 - FEMALE] = b - births[t, :, FEMALE]
        end[..., 0] = st[..., 0] * births[t] + imm[t][..., 0]
        d[..., 0] = (1 - st[..., 0]) * births[t]
        pop[t + 1], deaths[t] = end, d
        inflow[t], outflow[t], emig[t] = arrivals, movers, leavers
        inflow[t][..., 0] = 0.0
        outflow[t][..., 0] = 0.0
        emig[t][..., 0] = 0.0
    imm_full = np.array(imm)
    return MultiregionalResult(pop, births, deaths, flows, inflow, outflow, imm_full, emig)
