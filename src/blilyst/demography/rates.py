"""Rate schedules for projections, estimated from the bundled data.

* **Mortality**: national central death rates m(x) by sex and single age (Human Mortality
  Database, Norway, built from SSB data), through the same life table as the residual method
  (:func:`blilyst.demography.residual.cohort_survival`), so that a projection with zero
  migration and the residual estimates agree. Future mortality falls at each age's average
  annual rate of improvement over the last 20 years with data (log-linear fit, clipped to
  0-3 % a year), the simplest form of the Lee-Carter drift (Lee & Carter 1992, *JASA* 87: 659-671).
  Both start from the last year before the base year, so a projection from an earlier year does
  not see later death rates.
* **Fertility**: national age-specific fertility rates (Human Fertility Database, Norway).
  Years after the last HFD year keep its age pattern, scaled so that national births equal the
  births estimated from the national cohort aged 0 (``P(0, t+1) / S(0)``). A projection keeps
  the age pattern of the last five event years at the last year's level (TFR), as SSB starts its
  assumptions from the latest observed level (:func:`base_period_fertility`).
* **Local fertility**: a municipality's level relative to the nation, ``k = O / E`` with ``O`` the
  births estimated from its cohort aged 0 and ``E`` the births national rates would give its
  women, over the last ``window`` years. Small municipalities are shrunk towards their county:
  ``k = (O + kappa * k_county) / (E + kappa)`` (Poisson-gamma empirical Bayes / credibility
  weighting; Clayton & Kaldor 1987, *Biometrics* 43: 671-681; Bühlmann & Gisler 2005, *A Course
  in Credibility Theory*, ch. 4), with ``kappa = 50`` expected births.
* **Local mortality**: deaths over SSB's registered period 2011-2025 (births estimated from the
  cohorts aged 0 minus the registered natural increase, table 06913) against the deaths national
  rates give the municipality's cohorts; shrunk towards the county like fertility (``kappa = 100``
  expected deaths), clipped to 0.5-2, and applied as a factor on the death rates below age 100.
* **Net migration**: the residual (cohort-survival) net migration by sex and age of
  :func:`blilyst.demography.residual.net_migration_by_age`, turned into rates on the start
  cohort, summed over the last ``window`` years (numerator and exposure separately), smoothed
  over age with a 5-year triangular kernel (weights 1-2-3-2-1) and shrunk with the same credibility
  weight, ``r = (N + kappa_m * r_prior) / (C + kappa_m)``, ``kappa_m = 800`` person-years per sex and
  age, towards a prior that is the mean of the county's schedule and the schedule of the municipalities
  in the same centrality class (SSB), so a rural municipality does not take on its county town's. Net rates are what the offline data allow (no
  gross flows for all municipalities); see docs/projection.md for their known weakness and the
  pool method used when gross flows are available.

Every figure derived here is *estimated* and carries that label in outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from blilyst.axes import FEMALE, MAX_AGE, N_AGES, N_SEXES, SEXES
from blilyst.demography.boundaries import boundary_matrix, spread_by_age
from blilyst.errors import InputError
from blilyst.i18n import N_, gettext, ngettext
from blilyst.notes import Listing, Note, Number

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

__all__ = [
    "RateSchedule",
    "base_period_fertility",
    "engine_survival",
    "estimate_rates",
    "fertility_array",
    "future_mortality",
    "improvement_rates",
    "local_fertility_factors",
    "local_mortality_factors",
    "local_mx",
    "mortality_array",
    "national_fertility_by_year",
    "net_migration_rates",
    "shrink",
    "smooth_ages",
]

HMD_AGES = 111  # 0..110+
KAPPA_BIRTHS = 50.0
KAPPA_MIGRATION = 400.0
#: Credibility weight of the residual net migration rates (person-years per sex and age), whose prior is
#: the mean of the county's and the centrality class's schedules (docs/projection.md, backtest section).
KAPPA_NET_MIGRATION = 800.0
KAPPA_DEATHS = 100.0
REGISTERED_PERIOD = (2011, 2025)  # SSB 06913 sums in the snapshot (components_2011_2025)
_KERNEL = np.array([1.0, 2.0, 3.0, 2.0, 1.0]) / 9.0


def engine_survival(mx: np.ndarray) -> np.ndarray:
    """Survival ratios in the engine's layout ``(..., sex, 107)`` from m(x) ``(..., sex, 0..110+)``.

    Index 0: births to age 0 (``L0/l0``); ``a`` = 1..104: ``L(a)/L(a-1)``; 105 and 106 (the two
    groups feeding the open interval 105+): ``T(105)/T(104)``, the residual method's ratio.
    """
    from blilyst.demography.residual import cohort_survival

    s = cohort_survival(mx)  # (..., sex, 106) by age at the end of the year
    return np.concatenate([s, s[..., -1:]], axis=-1)


def mortality_array(mortality: pd.DataFrame, years: Sequence[int]) -> tuple[np.ndarray, list[int]]:
    """Death rates shaped ``(year, sex, 111)`` for ``years`` (later years use the last year with data)."""
    for col in ("year", "sex", "age", "mx"):
        if col not in mortality.columns:
            raise InputError("mortality", gettext("missing column '{column}'").format(column=col))
    cube = mortality.pivot_table(index=["year", "sex"], columns="age", values="mx", aggfunc="first", dropna=False)
    available = sorted({int(y) for y in cube.index.get_level_values("year")})
    out = np.empty((len(years), N_SEXES, cube.shape[1]))
    used = []
    for i, y in enumerate(years):
        if y < available[0]:
            raise InputError(
                "mortality",
                gettext("no death rates for {year}; the first year with rates is {first}").format(
                    year=y, first=available[0]
                ),
            )
        u = y if y in available else max(a for a in available if a <= y)
        used.append(u)
        for s, sex in enumerate(SEXES):
            out[i, s] = np.asarray(cube.loc[(u, sex)], dtype=float)
    # carry the last observed rate forward over missing very old ages (HMD '.')
    flat = pd.DataFrame(out.reshape(-1, out.shape[-1])).ffill(axis=1).to_numpy()
    return flat.reshape(out.shape), used


def improvement_rates(
    mortality: pd.DataFrame, last_year: int | None = None, span: int = 20, cap: float = 0.03
) -> np.ndarray:
    """Average annual rate of mortality decline by sex and age over ``span`` years, shape (sex, 111).

    Slope of a least-squares line through log m(x) for ages 0..99 (above 99 the decline of age 99
    is used, since the oldest rates are noisy), clipped to ``[0, cap]``.
    """
    last = int(mortality["year"].max()) if last_year is None else last_year
    years = list(range(last - span + 1, last + 1))
    mx, _ = mortality_array(mortality, years)
    with np.errstate(divide="ignore"):
        logm = np.log(np.maximum(mx, 1e-8))
    t = np.arange(span) - (span - 1) / 2
    slope = np.tensordot(t, logm, axes=(0, 0)) / (t @ t)  # (sex, age)
    rate = np.clip(-slope, 0.0, cap)
    rate[:, 100:] = rate[:, 99:100]
    return rate


def future_mortality(mx_last: np.ndarray, improvement: np.ndarray, years_ahead: np.ndarray) -> np.ndarray:
    """``m(x) * (1 - improvement)^h`` for each horizon ``h`` in ``years_ahead``: shape (len, sex, 111)."""
    h = np.asarray(years_ahead, dtype=float)[:, None, None]
    future: np.ndarray = mx_last[None] * (1.0 - improvement[None]) ** h
    return future


def fertility_array(fertility: pd.DataFrame, year: int) -> np.ndarray:
    """ASFR for one HFD year on the single-year age axis 0..105 (12- counted at 12, 55+ at 55)."""
    sub = fertility[fertility["year"] == year]
    if sub.empty:
        raise InputError("fertility", gettext("no fertility rates for {year}").format(year=year))
    out = np.zeros(N_AGES)
    ages = sub["age"].to_numpy(dtype=int)
    if ages.min() < 0 or ages.max() > MAX_AGE:
        raise InputError(
            "fertility",
            gettext("ages must be within 0..{max_age}; got {low}..{high}").format(
                max_age=MAX_AGE, low=ages.min(), high=ages.max()
            ),
        )
    out[ages] = sub["asfr"].to_numpy(dtype=float)
    if np.any(out < 0) or not np.all(np.isfinite(out)):
        raise InputError("fertility", gettext("rates for {year} must be non-negative numbers").format(year=year))
    return out


def national_fertility_by_year(
    fertility: pd.DataFrame, national_cube: np.ndarray, years: list[int], survival0: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """ASFR ``(len(years)-1, 106)`` for the event years ``years[:-1]``.

    HFD years are taken as they are; later years scale the last HFD schedule so that the births
    it gives national women equal the births estimated from the national cohort aged 0.
    ``national_cube`` is ``(year, sex, age)`` for ``years``; ``survival0`` ``(year-1, sex)``.
    Returns the rates and a source mark per year: ``"HFD"``, or ``"HFD <year> scaled"`` (the last HFD year's
    pattern scaled to the estimated births).
    """
    hfd_years = sorted(int(y) for y in fertility["year"].unique())
    out = np.empty((len(years) - 1, N_AGES))
    notes = []
    last = fertility_array(fertility, hfd_years[-1])
    for i, y in enumerate(years[:-1]):
        if y in hfd_years:
            out[i] = fertility_array(fertility, y)
            notes.append("HFD")
            continue
        if y < hfd_years[0]:
            raise InputError("fertility", gettext("no fertility rates for {year}").format(year=y))
        women = 0.5 * (national_cube[i, FEMALE] + national_cube[i + 1, FEMALE])
        births_est = (national_cube[i + 1, :, 0] / survival0[i]).sum()
        expected = last @ women
        out[i] = last * (births_est / expected)
        notes.append(f"HFD {hfd_years[-1]} scaled")
    return out, notes


def base_period_fertility(asfr_hist: np.ndarray, span: int = 5) -> np.ndarray:
    """National fertility schedule ``(106,)`` for a projection, from the event years' schedules ``(Y, 106)``:
    the age pattern of the last ``span`` years at the last year's level (TFR).

    Starting from the latest observed level, as SSB's assumptions do, rather than a mean over the last
    years: when fertility is falling, a mean lags behind (2011-2015: 1.80 against 1.73 in 2015).
    """
    shape = asfr_hist[-span:].mean(axis=0)
    out: np.ndarray = shape * (asfr_hist[-1].sum() / shape.sum())
    return out


def shrink(observed: np.ndarray, expected: np.ndarray, prior: np.ndarray, kappa: float) -> np.ndarray:
    """Credibility-weighted ratio ``(O + kappa * prior) / (E + kappa)``; ``prior`` when ``E + kappa = 0``."""
    observed, expected, prior = (np.asarray(v, dtype=float) for v in (observed, expected, prior))
    den = expected + kappa
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, (observed + kappa * prior) / safe, prior)


def smooth_ages(arr: np.ndarray) -> np.ndarray:
    """Triangular 5-year moving sum over the last axis (1-2-3-2-1), renormalised at the edges."""
    pad = np.pad(arr, [(0, 0)] * (arr.ndim - 1) + [(2, 2)], mode="constant")
    ones = np.pad(np.ones(arr.shape[-1]), (2, 2))
    num = sum(_KERNEL[k] * pad[..., k : k + arr.shape[-1]] for k in range(5))
    den = sum(_KERNEL[k] * ones[k : k + arr.shape[-1]] for k in range(5))
    smoothed: np.ndarray = num / den
    return smoothed


def _group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum ``values`` (region first) within groups; returns (n_groups, ...)."""
    out = np.zeros((n_groups, *values.shape[1:]))
    np.add.at(out, groups, values)
    return out


def local_fertility_factors(
    cube: np.ndarray,
    asfr: np.ndarray,
    survival0: np.ndarray,
    groups: np.ndarray,
    kappa: float = KAPPA_BIRTHS,
    registered_births: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Fertility level of each region relative to the national rates, shrunk towards its group.

    ``cube`` (year, region, sex, age) for consecutive years; ``asfr`` (year-1, age); ``survival0``
    (year-1, sex); ``groups`` integer group (county) of each region; ``registered_births`` (year-1, region),
    NaN where a year's births are not registered: registered births are used where there are any, births
    estimated from the cohort aged 0 elsewhere. Returns observed and expected births and the raw, group and
    shrunk factors per region.
    """
    women = 0.5 * (cube[:-1, :, FEMALE] + cube[1:, :, FEMALE])  # (Y-1, R, A)
    expected = np.einsum("ya,yra->r", asfr, women)
    estimated = (cube[1:, :, :, 0] / survival0[:, None, :]).sum(axis=2)  # (Y-1, R)
    if registered_births is not None:
        estimated = np.where(np.isfinite(registered_births), registered_births, estimated)
    observed = estimated.sum(axis=0)
    n_groups = int(groups.max()) + 1
    o_g, e_g = _group_sum(observed, groups, n_groups), _group_sum(expected, groups, n_groups)
    group_factor = np.where(e_g > 0, o_g / np.maximum(e_g, 1e-12), 1.0)[groups]
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(expected > 0, observed / expected, np.nan)
    return {
        "observed": observed,
        "expected": expected,
        "raw": raw,
        "group": group_factor,
        "factor": shrink(observed, expected, group_factor, kappa),
    }


def local_mx(mx: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """National death rates ``(..., sex, 111)`` times each region's level ``factor`` (R,), shaped
    ``(..., R, sex, 111)``. Ages 100+ keep the national rates (the level is estimated where the deaths
    are, and the oldest rates are near their ceiling)."""
    k = np.asarray(factor, dtype=float)[:, None, None]
    out = np.broadcast_to(mx[..., None, :, :], (*mx.shape[:-2], len(factor), *mx.shape[-2:])).copy()
    out[..., :100] *= k
    return out


def local_mortality_factors(
    cube: np.ndarray,
    years: list[int],
    mortality: pd.DataFrame,
    components: pd.DataFrame,
    codes: list[str],
    groups: np.ndarray,
    usable: np.ndarray | None = None,
    kappa: float = KAPPA_DEATHS,
    registered_deaths: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Mortality level of each region relative to national death rates, shrunk towards its group.

    Observed deaths over SSB's registered period (``components``: natural increase summed over
    2011-2025, table 06913) are ``births - natural increase``, with births estimated from the cohorts
    aged 0 (:func:`blilyst.demography.residual.residual_components`); expected deaths are those national
    death rates give the municipality's cohorts, ``(1 - S) C``. ``k = (O + kappa * k_group) / (E + kappa)``,
    ``kappa = 100`` expected deaths, clipped to 0.5-2. Municipalities SSB marks not comparable over the
    period, or whose stocks are estimates in it (``usable`` False), get their group's level.
    ``registered_deaths`` (the period's years, region; NaN where not registered): a region with every year
    registered (SSB 01223) uses those deaths instead of the estimate.
    """
    from blilyst.demography.residual import cohort_survival, residual_components

    period = list(range(REGISTERED_PERIOD[0], REGISTERED_PERIOD[1] + 2))
    missing = [y for y in period if y not in years]
    if missing:
        raise InputError(
            "population",
            gettext("local mortality needs 1 January stocks {first}–{last}").format(first=period[0], last=period[-1]),
        )
    c = cube[[years.index(y) for y in period]]
    mx, _ = mortality_array(mortality, period[:-1])
    S = cohort_survival(mx)[:, None]  # (Y-1, 1, 2, 106)
    _, deaths, births = residual_components(c[:-1], c[1:], S)
    expected = deaths.sum(axis=(0, 2, 3))
    comp = components.set_index("municipality").reindex(codes)
    ni = comp["natural_increase_sum"].to_numpy(dtype=float)
    comparable = comp["comparable"].fillna(False).to_numpy(dtype=bool)
    observed = births.sum(axis=(0, 2)) - ni
    if registered_deaths is not None:
        complete = np.isfinite(registered_deaths).all(axis=0)
        observed = np.where(complete, np.nan_to_num(registered_deaths).sum(axis=0), observed)
    ok = comparable & np.isfinite(observed) & (observed > 0) & (expected > 0)
    if usable is not None:
        ok &= usable
    n_groups = int(groups.max()) + 1
    o_g = _group_sum(np.where(ok, observed, 0.0), groups, n_groups)
    e_g = _group_sum(np.where(ok, expected, 0.0), groups, n_groups)
    group = np.where(e_g > 0, o_g / np.maximum(e_g, 1e-12), 1.0)[groups]
    factor = np.where(ok, shrink(np.where(ok, observed, 0.0), expected, group, kappa), group)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(ok, observed / expected, np.nan)
    return {
        "observed": np.where(ok, observed, np.nan),
        "expected": expected,
        "raw": raw,
        "group": group,
        "factor": np.clip(factor, 0.5, 2.0),
        "usable": ok,
    }


def net_migration_rates(
    net_migration: np.ndarray,
    pop_start: np.ndarray,
    groups: np.ndarray | Sequence[np.ndarray],
    kappa: float = KAPPA_MIGRATION,
) -> dict[str, np.ndarray]:
    """Annual net migration rates by region, sex and age at the end of the year, shape (R, 2, 106).

    ``net_migration`` (year, R, 2, 106) by end-of-year cohort (residual method); ``pop_start``
    (year, R, 2, 106) the 1 January stocks the cohorts start from. Exposure of end-age ``a`` is
    the start group ``a-1`` (the open group gathers 104 and 105+; age 0 has no rate, its migration
    is inside the estimated births). Numerators and exposures are summed over years, smoothed over
    age and shrunk towards the group schedule. ``groups`` is one integer grouping of the regions
    (e.g. county) or several (county and centrality class): the prior is then the mean of the
    groups' schedules.
    """
    nm = np.asarray(net_migration, dtype=float).sum(axis=0)
    start = np.asarray(pop_start, dtype=float)
    expo = np.zeros_like(start)
    expo[..., 1:] = start[..., :-1]
    expo[..., -1] += start[..., -1]
    expo = expo.sum(axis=0)
    nm_s, ex_s = smooth_ages(nm), smooth_ages(expo)
    keys = [groups] if isinstance(groups, np.ndarray) else list(groups)
    if not keys:
        raise InputError("groups", gettext("needs at least one grouping of the regions"))
    schedules = []
    for key in keys:
        g = np.asarray(key, dtype=int)
        n_groups = int(g.max()) + 1
        nm_g, ex_g = _group_sum(nm_s, g, n_groups), _group_sum(ex_s, g, n_groups)
        schedules.append(np.where(ex_g > 0, nm_g / np.maximum(ex_g, 1e-12), 0.0)[g])
    group_rate = np.mean(schedules, axis=0)
    rate = shrink(nm_s, ex_s, group_rate, kappa)
    rate[..., 0] = 0.0
    # a net loss above a quarter of a cohort in one year is noise in tiny cells; the floor also keeps
    # S (1 + r/2) + r/2 >= 0, so no cohort can go negative with survival ratios above 0.15
    return {"rate": np.maximum(rate, -0.25), "group": group_rate, "exposure": expo, "net": nm}


@dataclass
class RateSchedule:
    """Everything a projection of ``codes`` from 1 January ``base_year`` needs, with provenance.

    Arrays: ``base`` (R, 2, 106); ``mx_base`` (2, 111) national death rates of the last HMD year;
    ``improvement`` (2, 111); ``asfr`` (106,) national rates of the base period; ``fertility_factor``
    (R,); ``migration_rate`` (R, 2, 106) annual net rates by end-of-year cohort; ``migration_history``
    (years, R) total net migration per year (residual) for the stochastic model;
    ``mortality_factor`` (R,) each region's death rates relative to the national ones;
    ``domestic_rate`` (R, 2, 106) annual domestic net rates (international migration taken out, summing
    to zero over Norway); ``international_share`` (R,) each region's share of Norway's net immigration;
    ``international_profile`` (2, 106) its age-sex pattern; ``international_history`` (years,) Norway's
    estimated net immigration in the ``history_years`` (see :mod:`blilyst.demography.international`).
    """

    codes: list[str]
    names: list[str]
    base_year: int
    base: np.ndarray
    mx_base: np.ndarray
    mx_year: int
    improvement: np.ndarray
    asfr: np.ndarray
    fertility_factor: np.ndarray
    migration_rate: np.ndarray
    migration_history: np.ndarray
    history_years: list[int]
    window: int
    mortality_factor: np.ndarray | None = None
    domestic_rate: np.ndarray | None = None
    international_share: np.ndarray | None = None
    international_profile: np.ndarray | None = None
    international_history: np.ndarray | None = None
    sources: list[Note] = field(default_factory=list)
    estimated: list[Note] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def survival(self, steps: int, improve: float = 1.0) -> np.ndarray:
        """Engine survival ratios ``(steps, R, 2, 107)`` for the projection years: national death rates
        falling at ``improve`` times the estimated speed, times each region's mortality level."""
        h = np.arange(self.base_year, self.base_year + steps) - self.mx_year
        mx = future_mortality(self.mx_base, self.improvement * improve, h)  # (T, 2, 111)
        k = np.ones(len(self.codes)) if self.mortality_factor is None else self.mortality_factor
        return engine_survival(local_mx(mx, k))

    def fertility(self, steps: int, level: float = 1.0) -> np.ndarray:
        """ASFR ``(steps, R, 106)``: national schedule times each region's factor times ``level``."""
        f = self.asfr[None, None, :] * self.fertility_factor[None, :, None] * level
        return np.broadcast_to(f, (steps, len(self.codes), N_AGES))

    def tfr(self) -> np.ndarray:
        """Total fertility rate per region implied by the schedule."""
        tfr: np.ndarray = self.asfr.sum() * self.fertility_factor
        return tfr


def _chosen(all_codes: list[str], codes: list[str] | None) -> tuple[np.ndarray, list[str]]:
    """Positions in ``all_codes`` and the codes of the municipalities asked for (all by default)."""
    if codes is None:
        return np.arange(len(all_codes)), list(all_codes)
    pos = {c: i for i, c in enumerate(all_codes)}
    missing = [c for c in codes if c not in pos]
    if missing:
        raise InputError("municipalities", gettext("no population data for {codes}").format(codes=", ".join(missing)))
    return np.array([pos[c] for c in codes]), list(codes)


def registered_component(snap: Snapshot, codes: list[str], years: list[int], component: str) -> np.ndarray:
    """Registered counts of ``component`` (``births``, ``deaths``, ...) shaped ``(len(years), len(codes))`` from
    ``Snapshot.components_annual`` (SSB 01223 for the Telemark municipalities; all of them after a refresh
    with 06913), NaN where a municipality-year is not registered."""
    out = np.full((len(years), len(codes)), np.nan)
    frame = snap.components_annual
    if frame.empty:
        return out
    rows = frame[frame["component"] == component]
    pos, ypos = {c: i for i, c in enumerate(codes)}, {y: t for t, y in enumerate(years)}
    for code, year, persons in rows[["municipality", "year", "persons"]].itertuples(index=False):
        r, t = pos.get(str(code)), ypos.get(int(year))
        if r is not None and t is not None:
            out[t, r] = float(persons)
    return out


@dataclass(frozen=True)
class _RegisteredVitalEvents:
    """Which of the chosen municipalities have registered births (every window year) and deaths (every year of
    SSB's registered period), for the notes."""

    births: list[str]
    deaths: list[str]
    total: int


def _registered_vital_events(
    births: np.ndarray, deaths: np.ndarray, own_mortality_level: np.ndarray, names: list[str]
) -> _RegisteredVitalEvents:
    """Registered deaths count only where the mortality level is the municipality's own, not its county's (a
    municipality not comparable over the period, see :func:`local_mortality_factors`)."""
    with_births = [n for n, ok in zip(names, np.isfinite(births).all(axis=0), strict=True) if ok]
    complete_deaths = np.isfinite(deaths).all(axis=0) & own_mortality_level
    with_deaths = [n for n, ok in zip(names, complete_deaths, strict=True) if ok]
    return _RegisteredVitalEvents(with_births, with_deaths, len(names))


def _names_value(names: list[str], first: int = 5) -> Listing:
    return Listing(tuple(names[:first]), more=len(names) > first)


def _births_note(registered: _RegisteredVitalEvents) -> Note:
    """What the estimated list says of births (:func:`_rate_sources` lists them as a source where every chosen
    municipality has them registered)."""
    if not registered.births:
        return Note.of(N_("Births by municipality: estimated from the cohort aged 0 and national infant survival."))
    return Note.of(
        N_(
            "Births by municipality: registered (SSB 01223) for {names}; elsewhere estimated from the cohort aged 0 "
            "and national infant survival."
        ),
        names=_names_value(registered.births),
    )


def _mortality_note(registered: _RegisteredVitalEvents) -> Note:
    kappa = Number(KAPPA_DEATHS)
    if len(registered.deaths) == registered.total:
        return Note.of(
            N_(
                "Local mortality level: registered deaths 2011–2025 (SSB 01223) against national death rates; "
                "shrunk towards the county (kappa = {kappa} expected deaths)."
            ),
            kappa=kappa,
        )
    if registered.deaths:
        return Note.of(
            N_(
                "Local mortality level: registered deaths 2011–2025 (SSB 01223) for {names}; elsewhere deaths "
                "estimated as estimated births minus SSB's registered natural increase (06913); against national "
                "death rates, shrunk towards the county (kappa = {kappa} expected deaths)."
            ),
            names=_names_value(registered.deaths),
            kappa=kappa,
        )
    return Note.of(
        N_(
            "Local mortality level: deaths 2011–2025 estimated as estimated births minus SSB's registered natural "
            "increase (06913), against national death rates; shrunk towards the county (kappa = {kappa} expected "
            "deaths)."
        ),
        kappa=kappa,
    )


def _rate_sources(
    sel_years: list[int],
    last: int,
    mx_used: list[int],
    mx_year: int,
    fert_notes: list[str],
    registered: _RegisteredVitalEvents,
) -> tuple[list[Note], list[Note]]:
    """Where a rate schedule's figures come from, and which of them are estimated (notes worded when shown)."""
    from blilyst.stats.credit import SSB_CREDIT

    scaled = sorted({int(n.split()[1]) for n in fert_notes if n != "HFD"})
    sources = [
        Note.of(
            N_(
                "Population 1 January {first}–{last} by sex and age: SSB table 07459 (2024 municipal borders). {credit}."
            ),
            first=sel_years[0],
            last=last,
            credit=SSB_CREDIT,
        ),
        Note.of(
            N_("Mortality: Human Mortality Database, Norway, death rates {first}–{last} (built from SSB data)."),
            first=mx_used[0],
            last=mx_year,
        ),
        Note.of(
            N_(
                "Fertility: Human Fertility Database, Norway, age-specific fertility rates; the HFD {year} pattern "
                "scaled to estimated births for years after HFD."
            ),
            year=scaled[-1],
        )
        if scaled
        else Note.of(N_("Fertility: Human Fertility Database, Norway, age-specific fertility rates.")),
    ]
    all_births = len(registered.births) == registered.total
    if all_births:
        sources.append(
            Note.of(
                N_("Births by municipality {first}–{last}: SSB table 01223, registered."),
                first=sel_years[0],
                last=sel_years[-2],
            )
        )
    estimated = [
        Note.of(
            N_(
                "Net migration by sex and age {first}–{last}: residual (cohort-survival) method, estimated; people "
                "moved by border changes are taken out (SSB 01223/06913)."
            ),
            first=sel_years[0],
            last=sel_years[-2],
        ),
        *([] if all_births else [_births_note(registered)]),
        Note.of(
            N_("Local fertility level: estimated, shrunk towards the county level (kappa = {kappa} expected births)."),
            kappa=Number(KAPPA_BIRTHS),
        ),
        _mortality_note(registered),
        Note.of(N_("Migration rates: estimated, smoothed over age and shrunk towards the county schedule.")),
        Note.of(
            N_(
                "International migration: Norway's net immigration {first}–{last} estimated as the national "
                "residual, handed out by population share; domestic rates are the rest, balanced to zero over Norway."
            ),
            first=sel_years[0],
            last=sel_years[-2],
        ),
    ]
    return sources, estimated


def estimate_rates(
    codes: list[str] | None = None, *, window: int = 10, snapshot: Snapshot | None = None, base_year: int | None = None
) -> RateSchedule:
    """Estimate a :class:`RateSchedule` for ``codes`` (all 357 municipalities by default).

    Rates are estimated from *all* municipalities (so counties are complete for the shrinkage)
    and then selected. ``window`` is the number of most recent event years used (5 or 10 for the
    trend scenarios). ``base_year`` defaults to the latest 1 January stock in the snapshot.
    """
    from blilyst.stats.register import get_register

    if window < 1:
        raise InputError("window", gettext("must be at least one year"))
    snap = snapshot if snapshot is not None else _load_snapshot()
    all_codes, years, full_cube = snap.population_cube()
    cube = full_cube
    last = years[-1] if base_year is None else int(base_year)
    if last not in years:
        raise InputError(
            "base_year",
            gettext("no population for 1 January {year}; data cover {first}–{last}").format(
                year=last, first=years[0], last=years[-1]
            ),
        )
    first = last - window
    if first < years[0]:
        raise InputError(
            "window",
            ngettext(
                "{count} year before {year} reaches {first}; data start in {start}",
                "{count} years before {year} reaches {first}; data start in {start}",
                window,
            ).format(count=window, year=last, first=first, start=years[0]),
        )
    sel_years = list(range(first, last + 1))
    gaps = [y for y in sel_years if y not in years]
    if gaps:  # a refreshed snapshot can lack years in the middle
        raise InputError(
            "population",
            gettext("no population for 1 January {years}; the rates need every year {first}–{last}").format(
                years=", ".join(map(str, gaps)), first=first, last=last
            ),
        )
    cube = cube[[years.index(y) for y in sel_years]]

    reg = get_register()
    frame = reg.frame().set_index("code")
    counties = frame.loc[all_codes, "county_code"].to_numpy()
    _, groups = np.unique(counties, return_inverse=True)
    # migration rates borrow strength from the county (the regional labour and housing market) and from
    # the municipalities of the same centrality class (SSB's index): a small rural municipality shrunk
    # towards its county alone takes on the county town's in-migration
    _, central = np.unique(frame.loc[all_codes, "centrality_class"].to_numpy(), return_inverse=True)
    mig_groups = (groups, central)

    mort = snap.mortality
    mx_hist, mx_used = mortality_array(mort, sel_years[:-1])
    surv_hist = engine_survival(mx_hist)  # (Y-1, 2, 107)
    survival0 = surv_hist[..., 0]

    nat = cube.sum(axis=1)  # municipalities add up to the nation to within a few dozen people
    asfr_hist, fert_notes = national_fertility_by_year(snap.fertility, nat, sel_years, survival0)
    reg_births = registered_component(snap, all_codes, sel_years[:-1], "births")
    fert = local_fertility_factors(cube, asfr_hist, survival0, groups, registered_births=reg_births)
    asfr = base_period_fertility(asfr_hist)

    # local mortality level over SSB's registered 2011-2025 sums, where the stocks are registered
    period_years = list(range(REGISTERED_PERIOD[0], REGISTERED_PERIOD[1] + 1))
    usable = np.asarray(_unflagged(snap, all_codes, period_years).all(axis=0))
    reg_deaths = registered_component(snap, all_codes, period_years, "deaths")
    mort_local = local_mortality_factors(
        full_cube, years, mort, snap.components_2011_2025, all_codes, groups, usable, registered_deaths=reg_deaths
    )
    k_mort = mort_local["factor"]

    # residual net migration with each municipality's own mortality level, so that its excess (or
    # lower) deaths are not counted as migration
    from blilyst.demography.residual import cohort_survival, residual_components

    s_local = cohort_survival(local_mx(mx_hist, k_mort))  # (Y-1, R, 2, 106)
    net, _, _ = residual_components(cube[:-1], cube[1:], s_local)
    event_years = sel_years[:-1]
    # people moved by a border change are not migrants: take them out before fitting rates
    moved = boundary_matrix(snap.boundary_changes, all_codes, event_years)
    net = net - spread_by_age(moved, cube[1:])
    # event years whose start stock is an estimate (csdata's split of merged municipalities, see
    # Snapshot.population_flags) would turn the estimate into migration: leave them out, so those
    # municipalities lean on their county schedule
    keep = _unflagged(snap, all_codes, event_years)  # (Y-1, R) bool
    mig = net_migration_rates(
        net * keep[..., None, None], cube[:-1] * keep[..., None, None], mig_groups, KAPPA_NET_MIGRATION
    )
    # domestic moves from each municipality's history, international migration as a national
    # assumption (blilyst.demography.international): Norway's net immigration in the window is
    # taken out of every municipality's residual by its population share
    from blilyst.demography.international import (
        balance_domestic_rates,
        domestic_net_migration,
        national_profile,
        population_shares,
    )

    shares = population_shares(cube[-1])
    domestic, national_net = domestic_net_migration(net, shares)
    dom = net_migration_rates(
        domestic * keep[..., None, None], cube[:-1] * keep[..., None, None], mig_groups, KAPPA_NET_MIGRATION
    )
    domestic_rate = balance_domestic_rates(dom["rate"], dom["exposure"])
    domestic_rate[..., 0] = 0.0
    # the residual at 105+ mostly measures error in the oldest death rates, not moves; with the death
    # rates of an earlier base year its out-migration could exceed the few survivors of the open group
    domestic_rate[..., -1] = 0.0

    mx_year = min(int(mort["year"].max()), last - 1)  # no death rates from after the base year
    mx_base, _ = mortality_array(mort, [mx_year])
    improvement = improvement_rates(mort, mx_year)

    idx, chosen = _chosen(all_codes, codes)
    names = frame.loc[chosen, "name"].tolist()
    registered = _registered_vital_events(reg_births[:, idx], reg_deaths[:, idx], mort_local["usable"][idx], names)
    sources, estimated = _rate_sources(sel_years, last, mx_used, mx_year, fert_notes, registered)
    return RateSchedule(
        codes=chosen,
        names=names,
        base_year=last,
        base=cube[-1][idx].copy(),
        mx_base=mx_base[0],
        mx_year=mx_year,
        improvement=improvement,
        asfr=asfr,
        fertility_factor=fert["factor"][idx],
        migration_rate=mig["rate"][idx],
        domestic_rate=domestic_rate[idx],
        international_share=shares[idx],
        international_profile=national_profile(national_net),
        international_history=national_net.sum(axis=(1, 2)),
        migration_history=np.where(keep, net.sum(axis=(2, 3)), np.nan)[:, idx],
        history_years=event_years,
        window=window,
        mortality_factor=k_mort[idx],
        sources=sources,
        estimated=estimated,
        extra={
            "fertility": {k: v[idx] for k, v in fert.items()},
            "migration_group_rate": mig["group"][idx],
            "migration_exposure": mig["exposure"][idx],
            "pop_history": cube[:, idx],
            "counties": counties[idx],
            "sigma_fertility": _tfr_volatility(snap.fertility),
            "mortality": {k: v[idx] for k, v in mort_local.items()},
        },
    )


def _unflagged(snap: Snapshot, codes: list[str], event_years: list[int]) -> np.ndarray:
    """True where the start stock of the event year is registered, not an estimate (population_flags)."""
    keep = np.ones((len(event_years), len(codes)), dtype=bool)
    pos = {c: i for i, c in enumerate(codes)}
    for row in snap.population_flags.to_dict("records"):
        r = pos.get(str(row["municipality"]))
        if r is None:
            continue
        for t, y in enumerate(event_years):
            if int(row["year_from"]) <= y <= int(row["year_to"]):
                keep[t, r] = False
    return keep


def _tfr_volatility(fertility: pd.DataFrame, span: int = 30) -> float:
    """Standard deviation of year-to-year changes in log TFR over the last ``span`` HFD years."""
    tfr = fertility.groupby("year")["asfr"].sum().sort_index().iloc[-(span + 1) :]
    return float(np.diff(np.log(tfr.to_numpy())).std(ddof=1))


def _load_snapshot() -> Snapshot:
    from blilyst.stats.snapshot import load_snapshot

    return load_snapshot()
