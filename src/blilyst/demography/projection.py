"""Cohort-component population projection, vectorised across regions.

The engine projects stocks shaped ``(region, sex, age)`` forward by steps of ``interval`` years,
where the age groups are ``interval`` years wide and the last group is open (105+ for single
years, 80+ for the 5-year textbook layout). It loops over projection steps only; everything
inside a step is whole-array NumPy across regions, sexes and ages.

One step (Preston, Heuveline & Guillot 2001, *Demography*, sections 6.2-6.4; the same
arithmetic as their Box 6.2):

1. Migrants are split in two halves (PHG's convention). The first half joins the population at
   the start of the step and is exposed to the step's mortality: ``X = P + M_start``.
2. Survival: the people in age group ``a-1`` reach group ``a`` with survival ratio
   ``S[a] = nL(a)/nL(a-1)``; the open group is fed by the last closed group (``S[A-1]``) and by
   itself (``S[A] = T(w+n)/T(w)``).
3. Births: ``B = n * sum_x F_x * (W_x(start) + W_x(end)) / 2`` where ``W(start) = X`` for women and
   ``W(end)`` is the women at the end of the step (survivors of ``X`` plus the second half of the
   migrants): the average exposure of start and end of the step, which reproduces Box 6.2. Births
   are split by the sex ratio at birth ``srb`` (boys per girl) and survive to the first age group
   with ``S[0] = nL0 / (n * l0)``.
4. The second half of the migrants is added at the end: ``P(t+n) = survivors + M_end``.

Net migration may be given as counts, as annual rates on the start population, or by a
:class:`PoolMigration` model (out-migration rates; in-migration as shares of the national pool of
out-migrants, so that flows between regions add up to zero nationally; plus immigration counts
and emigration rates), as SSB's BEFREG/REGARD and the Nordic municipal models do.

Timing of migration (``migration_timing``):

``"period"``
    PHG: ``M[a]`` are the migrants of age group ``a``; half enter group ``a`` at the start and
    survive into ``a+1``, half are added to group ``a`` at the end.
``"cohort"``
    ``M[a]`` are the net migrants of the cohort that is in group ``a`` at the end of the step (a
    Lexis parallelogram, as the residual method estimates it and as SSB counts "age at the end of
    the year"): half join its start group ``a-1`` (or the newborns for ``a = 0``; the open cohort's
    half is split over the last two groups in proportion to their size) and survive, half are
    added to ``a`` at the end.

Every step records births, deaths, inflow and outflow by *end-of-step cohort*, so the
demographic account ``P(t+n)[a] = P(t)[a-1] + births[a=0] - deaths[a] + inflow[a] - outflow[a]``
holds exactly for every region, sex and age (the open group takes ``P[A-2] + P[A-1]``).

Bad input raises :class:`blilyst.errors.InputError` naming the field; the engine never returns NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from blilyst.arrays import ArrayLike
from blilyst.axes import FEMALE, N_SEXES
from blilyst.errors import InputError, NegativePopulation
from blilyst.i18n import format_number, gettext

__all__ = ["EngineResult", "PoolMigration", "advance", "cohort_shift", "migration_to_cohort", "project"]

_TIMINGS = ("period", "cohort")
_NEG_TOL = 1e-4  # persons; a negative stock above this is an error, below it rounding (set to 0)


@dataclass(frozen=True)
class PoolMigration:
    """Gross migration by the pool method.

    Domestic out-migrants of region ``r`` are ``interval * out_rates[r] * P[r]``; all regions' out-migrants
    of a sex and age form the national pool, which is handed out again as in-migrants in proportion
    to ``in_shares`` (summing to 1 over regions for every sex and age). International immigration
    is given as counts, emigration as annual rates. Arrays broadcast to ``(step, region, sex, age)``.

    Source: SSB's regional model (Leknes & Løkken 2020, *Befolkningsframskrivinger 2020-2100:
    Flytting*, SSB Rapporter 2020/27) and the pool method of the Nordic municipal models.
    """

    out_rates: np.ndarray
    in_shares: np.ndarray
    immigration: np.ndarray | float = 0.0
    emigration_rates: np.ndarray | float = 0.0


@dataclass
class EngineResult:
    """Arrays of one projection. ``population`` has one more step than the flows.

    population: (T+1, R, S, A) stocks at the start of each step (1 January).
    births:     (T, R, S) births during each step by sex of the child.
    deaths:     (T, R, S, A) deaths by end-of-step cohort (index 0 = born in the step).
    inflow:     (T, R, S, A) in-migrants (domestic + international) by end-of-step cohort; with net
                counts or rates only the positive part of the net (gross flows are known only with
                :class:`PoolMigration`).
    outflow:    (T, R, S, A) out-migrants by end-of-step cohort (likewise).
    """

    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    inflow: np.ndarray
    outflow: np.ndarray
    interval: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def net_migration(self) -> np.ndarray:
        net: np.ndarray = self.inflow - self.outflow
        return net

    def account_residual(self) -> np.ndarray:
        """P(t+1) - [P(t) shifted one cohort + births - deaths + in - out]; zero to rounding."""
        prev = cohort_shift(self.population[:-1])
        prev[..., 0] += self.births
        residual: np.ndarray = self.population[1:] - (prev - self.deaths + self.inflow - self.outflow)
        return residual


def cohort_shift(pop: np.ndarray) -> np.ndarray:
    """Stocks moved one age group on, with the open group fed by the last two groups; age 0 empty."""
    out = np.zeros_like(pop)
    out[..., 1:] = pop[..., :-1]
    out[..., -1] += pop[..., -1]
    return out


def migration_to_cohort(m: np.ndarray, timing: str) -> np.ndarray:
    """Where migrants given with ``timing`` end up, by end-of-step cohort (totals are kept)."""
    if timing == "cohort":
        return m
    half = 0.5 * m
    out = half.copy()
    out[..., 1:] += half[..., :-1]
    out[..., -1] += half[..., -1]
    return out


def _checked_base(base: ArrayLike, steps: int, interval: int, migration_timing: str) -> np.ndarray:
    """``base`` as float64 (region, sex, age) after checking it and the step settings; names the field if not."""
    arr = np.asarray(base, dtype=np.float64)
    if arr.ndim != 3:
        raise InputError(
            "base", gettext("must be shaped (region, sex, age); got {count} dimensions").format(count=arr.ndim)
        )
    _, S, A = arr.shape
    if S != N_SEXES:
        raise InputError(
            "base",
            gettext("must have {expected} sexes (male, female) on axis 1; got {count}").format(
                expected=N_SEXES, count=S
            ),
        )
    if A < 3:
        raise InputError("base", gettext("needs at least 3 age groups; got {count}").format(count=A))
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise InputError(
            "steps", gettext("must be a whole number of steps of at least 1; got {value}").format(value=repr(steps))
        )
    if not isinstance(interval, (int, np.integer)) or interval < 1:
        raise InputError(
            "interval",
            gettext("must be a whole number of years of at least 1; got {value}").format(value=repr(interval)),
        )
    if migration_timing not in _TIMINGS:
        raise InputError(
            "migration_timing",
            gettext("must be one of {choices}; got {value}").format(
                choices=", ".join(_TIMINGS), value=repr(migration_timing)
            ),
        )
    arr = _as_array("base", arr, arr.shape)
    _nonneg("base", arr)
    return arr


def _checked_rates(value: ArrayLike, shape: tuple[int, ...], n: float) -> np.ndarray:
    rates = _as_array("net_migration_rates", value, shape)
    if np.any(rates * n < -1.0):
        idx = tuple(int(i) for i in np.argwhere(rates * n < -1.0)[0])
        raise InputError(
            "net_migration_rates",
            gettext("below -1/interval at index {index}: more people would leave than live there").format(index=idx),
        )
    return rates


def _checked_pool(
    pool: PoolMigration, shape: tuple[int, ...], n: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pool's out-rates, in-shares, immigration and emigration rates broadcast to ``shape`` and checked."""
    out_rates = _as_array("pool.out_rates", pool.out_rates, shape)
    _nonneg("pool.out_rates", out_rates, upper=1.0 / n)
    shares = _as_array("pool.in_shares", pool.in_shares, shape)
    _nonneg("pool.in_shares", shares)
    sums = shares.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        idx = tuple(int(i) for i in np.argwhere(~np.isclose(sums, 1.0, atol=1e-9))[0])
        raise InputError(
            "pool.in_shares",
            gettext(
                "must sum to 1 over regions for every step, sex and age; sum is {sum} at (step, sex, age) {index}"
            ).format(sum=format_number(float(sums[idx]), 6), index=idx),
        )
    immig = _as_array("pool.immigration", pool.immigration, shape)
    _nonneg("pool.immigration", immig)
    emig = _as_array("pool.emigration_rates", pool.emigration_rates, shape)
    _nonneg("pool.emigration_rates", emig, upper=1.0 / n)
    if np.any((out_rates + emig) * n > 1.0):
        raise InputError("pool.emigration_rates", gettext("out-migration plus emigration rates exceed 1 per interval"))
    return out_rates, shares, immig, emig


def _as_array(name: str, value: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    """Broadcast ``value`` to ``shape`` as float64 after checking it is finite; name the field if not."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(name, gettext("must be numbers ({error})").format(error=exc)) from None
    try:
        arr = np.broadcast_to(arr, shape)
    except ValueError:
        raise InputError(
            name,
            gettext("has shape {shape}, which does not fit (steps, regions, sexes, ages) = {expected}").format(
                shape=np.shape(value), expected=shape
            ),
        ) from None
    if not np.all(np.isfinite(arr)):
        idx = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InputError(name, gettext("is missing or not finite at index {index}").format(index=idx))
    return arr


def _nonneg(name: str, arr: np.ndarray, upper: float | None = None) -> None:
    if np.any(arr < 0):
        idx = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise InputError(
            name,
            gettext("must not be negative (found {value} at index {index})").format(
                value=format_number(float(arr[idx]), 3), index=idx
            ),
        )
    if upper is not None and np.any(arr > upper):
        idx = tuple(int(i) for i in np.argwhere(arr > upper)[0])
        raise InputError(
            name,
            gettext("must be at most {upper} (found {value} at index {index})").format(
                upper=format_number(upper, 3), value=format_number(float(arr[idx]), 3), index=idx
            ),
        )


def project(
    base: np.ndarray,
    survival: ArrayLike,
    fertility: ArrayLike,
    steps: int,
    *,
    srb: ArrayLike = 1.05,
    interval: int = 1,
    net_migration: ArrayLike | None = None,
    net_migration_rates: ArrayLike | None = None,
    pool: PoolMigration | None = None,
    migration_timing: str = "period",
    first_fertile: int | None = None,
) -> EngineResult:
    """Project ``base`` forward ``steps`` steps of ``interval`` years.

    Parameters
    ----------
    base : array (R, S, A)
        Population at the start (1 January), two sexes (``blilyst.axes.SEXES`` order), ``A`` age
        groups of ``interval`` years, the last open-ended.
    survival : array broadcastable to (T, R, S, A+1)
        Survival ratios: index 0 is births to the first age group (``nL0/(n*l0)``), index ``a`` in
        1..A-1 is group ``a-1`` to ``a`` (``nL(a)/nL(a-1)``), index ``A`` keeps the open group
        (``T(w+n)/T(w)``). Each in [0, 1].
    fertility : array broadcastable to (T, R, A)
        Annual age-specific fertility rates per woman (births per woman per year).
    steps : int
        Number of steps (T).
    srb : float or array broadcastable to (T, R)
        Sex ratio at birth, boys per girl (1.05 by default).
    net_migration : array broadcastable to (T, R, S, A), optional
        Net migrants during each step (counts).
    net_migration_rates : array broadcastable to (T, R, S, A), optional
        Annual net migration rates on the start population (``M = interval * rate * P``); for
        ``"cohort"`` timing the base of end cohort ``a`` is its start group ``a-1``. Counts and
        rates may be combined (a scenario's extra migrants on top of trend rates).
    pool : PoolMigration, optional
        Gross flows by the pool method (see :class:`PoolMigration`); may be combined with
        ``net_migration`` counts (e.g. a scenario's extra in-migrants).
    migration_timing : "period" or "cohort"
        How migration arrays are indexed by age (see the module docstring).
    first_fertile : int, optional
        First age group with fertility (a speed-up; ages below must have zero fertility).

    Returns
    -------
    EngineResult

    Raises
    ------
    InputError
        Naming the field: wrong shapes, missing (NaN) values, negative rates, survival above 1,
        in-migration shares that do not sum to 1, or migration that would make a population
        negative.

    References
    ----------
    Preston, S. H., Heuveline, P. & Guillot, M. (2001). *Demography: Measuring and Modeling
    Population Processes*. Blackwell. Ch. 6, Box 6.2.
    """
    base = _checked_base(base, steps, interval, migration_timing)
    R, S, A = base.shape
    T = int(steps)
    n = float(interval)

    surv = _as_array("survival", survival, (T, R, S, A + 1))
    _nonneg("survival", surv, upper=1.0)
    fert = _as_array("fertility", fertility, (T, R, A))
    _nonneg("fertility", fert)
    ratio = _as_array("srb", srb, (T, R))
    if np.any(ratio <= 0):
        raise InputError("srb", gettext("the sex ratio at birth (boys per girl) must be positive"))
    counts = None if net_migration is None else _as_array("net_migration", net_migration, (T, R, S, A))
    rates = None if net_migration_rates is None else _checked_rates(net_migration_rates, (T, R, S, A), n)
    if pool is not None:
        out_rates, shares, immig, emig = _checked_pool(pool, (T, R, S, A), n)

    pop = np.empty((T + 1, R, S, A))
    births = np.empty((T, R, S))
    deaths = np.empty((T, R, S, A))
    inflow = np.zeros((T, R, S, A))
    outflow = np.zeros((T, R, S, A))
    pop[0] = base
    girls_share = 1.0 / (1.0 + ratio)  # (T, R)
    fert_lo = 0 if first_fertile is None else first_fertile

    for t in range(T):
        P = pop[t]
        st = surv[t]
        # -- migrants this step, as period- or cohort-indexed counts, gross where known
        gross_in = np.zeros((R, S, A))
        gross_out = np.zeros((R, S, A))
        mig_base = P if migration_timing == "period" else _cohort_base(P)
        if counts is not None:
            gross_in += np.maximum(counts[t], 0.0)
            gross_out += np.maximum(-counts[t], 0.0)
        if rates is not None:
            m = n * rates[t] * mig_base
            gross_in += np.maximum(m, 0.0)
            gross_out += np.maximum(-m, 0.0)
        if pool is not None:
            out_dom = n * out_rates[t] * mig_base
            pool_size = out_dom.sum(axis=0)  # (S, A)
            gross_in += shares[t] * pool_size + immig[t]
            gross_out += out_dom + n * emig[t] * mig_base
        net = gross_in - gross_out
        end, births[t], deaths[t] = advance(
            P, net, st, fert[t], girls_share[t], interval=n, timing=migration_timing, first_fertile=fert_lo, step=t
        )
        pop[t + 1] = end
        inflow[t] = migration_to_cohort(gross_in, migration_timing)
        outflow[t] = migration_to_cohort(gross_out, migration_timing)

    return EngineResult(pop, births, deaths, inflow, outflow, interval=int(interval))


def advance(
    P: np.ndarray,
    net: np.ndarray,
    st: np.ndarray,
    fert: np.ndarray,
    girls_share: np.ndarray,
    *,
    interval: float = 1.0,
    timing: str = "period",
    first_fertile: int = 0,
    step: int = 0,
    with_deaths: bool = True,
    fertile_ages: slice | None = None,
    check: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One projection step on trusted arrays (the inner loop of :func:`project`; no input checks).

    ``P`` (..., S, A) start stocks (any leading axes: regions, or simulations and regions), ``net``
    the same shape, net migrants of the step indexed by ``timing``, ``st`` broadcastable to
    (..., S, A+1) survival ratios, ``fert`` (..., A) annual ASFR, ``girls_share`` broadcastable to
    the leading axes. ``fertile_ages`` (a slice of ages) limits the birth sum to where ``fert`` can be
    non-zero; ``fert`` is then given for those ages only. Returns ``(end stocks, births (..., S),
    deaths by end cohort or None)``. Raises
    :class:`InputError` if migration makes a stock negative (``check=False`` skips that test for
    callers that bound migration themselves, as the stochastic simulations do).
    """
    n = float(interval)
    A = P.shape[-1]
    half = net * 0.5
    # -- start half joins the population and is exposed to mortality
    if timing == "period":
        X = P + half
        newborn_mig: float | np.ndarray = 0.0
    else:
        X = np.array(P, order="C", copy=True)
        # X[a] += half[a+1] for every age at once on the flat array (one long loop, not one per row);
        # the last group then wrongly holds the next row's half[0] and is rebuilt below
        X.reshape(-1)[:-1] += half.reshape(-1)[1:]
        X[..., -2] -= half[..., -1]
        X[..., -1] = P[..., -1]
        # the open cohort starts in the last two groups: split its start half in proportion to them
        both = P[..., -2] + P[..., -1]
        w = np.divide(P[..., -2], both, out=np.full_like(both, 0.5), where=both > 0)
        X[..., -2] += w * half[..., -1]
        X[..., -1] += (1.0 - w) * half[..., -1]
        newborn_mig = half[..., 0]
    if check and X.min() < -_NEG_TOL:
        _negative("net_migration", X, step, "at the start of step")

    # -- survival of those alive at the start: Y[a] = S[a] X[a-1], as one product over the flat
    #    arrays (age 0 of each row picks up the previous row's last group and is reset)
    X = np.ascontiguousarray(X)
    s_flat = np.ascontiguousarray(np.broadcast_to(st[..., :A], X.shape)).reshape(-1)
    Y = np.empty_like(X)
    x_flat, y_flat = X.reshape(-1), Y.reshape(-1)
    np.multiply(s_flat[1:], x_flat[:-1], out=y_flat[1:])
    Y[..., 0] = 0.0  # newborns come below, after births
    deaths = np.empty_like(X) if with_deaths else None
    if deaths is not None:
        np.subtract(x_flat[:-1], y_flat[1:], out=deaths.reshape(-1)[1:])  # (1 - S[a]) X[a-1]
    stay_open = st[..., A] * X[..., -1]
    Y[..., -1] += stay_open
    if deaths is not None:
        deaths[..., -1] += X[..., -1] - stay_open

    # -- births: average of start and end exposure of women (the end stock includes the second
    #    half of the migrants, as in PHG Box 6.2)
    if fertile_ages is None:
        ages, f = slice(first_fertile, None), fert[..., first_fertile:]
    else:
        ages, f = fertile_ages, fert
    women = X[..., FEMALE, ages] + Y[..., FEMALE, ages]
    women += half[..., FEMALE, ages]
    b = (0.5 * n) * np.einsum("...a,...a->...", f, women)
    births = np.empty(P.shape[:-1], dtype=P.dtype)
    births[..., FEMALE] = b * girls_share
    births[..., 1 - FEMALE] = b - births[..., FEMALE]
    newborn = births + newborn_mig
    Y[..., 0] = st[..., 0] * newborn

    if deaths is not None:
        deaths[..., 0] = newborn - Y[..., 0]

    # -- end half of the migrants
    Y += half
    if check and Y.min() < 0.0:
        if Y.min() < -_NEG_TOL:
            _negative("net_migration", Y, step, "at the end of step")
        np.maximum(Y, 0.0, out=Y)
    return Y, births, deaths


def _cohort_base(P: np.ndarray) -> np.ndarray:
    """The start population of each end-of-step cohort (group a-1; age 0 uses group 0)."""
    out = np.empty_like(P)
    out[..., 0] = P[..., 0]
    out[..., 1:] = P[..., :-1]
    out[..., -1] += P[..., -1]
    return out


def _negative(name: str, arr: np.ndarray, step: int, when: str) -> None:
    idx = tuple(int(i) for i in np.argwhere(arr < -_NEG_TOL)[0])
    *lead, s, a = idx
    raise NegativePopulation(
        name,
        f"would make the population negative ({arr[idx]:.1f}) {when} {step}, region index "
        f"{lead[-1] if lead else 0}, sex index {s}, age group {a}: more migrants leave than live there. "
        f"Lower the out-migration or use rates instead of counts.",
        where=(step, lead[-1] if lead else 0, s, a, float(arr[idx])),
    )
