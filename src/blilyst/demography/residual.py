"""Net migration by sex and single-year age by the residual (cohort-survival) method.

Between two consecutive 1 January populations a cohort can change only by death and by
migration. If we know how many of the cohort would have survived the year (national
survival ratios from a life table), whatever is left over is net migration:

    NM(a, t) = P(a, t+1) - S(a, t) * C(a, t)

where ``a`` is the age at the end of year ``t`` (= the age on 1 January ``t+1``), ``C`` is the
cohort at the start of the year and ``S`` the probability of surviving the year for that
cohort:

* ``a = 1..104``: ``C = P(a-1, t)`` and ``S = L(a) / L(a-1)``;
* ``a = 105`` (open interval 105+): ``C = P(104, t) + P(105+, t)`` and ``S = T(105) / T(104)``;
* ``a = 0`` (the newborn cohort): ``C = B(t)``, the births of the year, and ``S = L(0) / l(0)``.

Births are not in the offline data for each municipality, so by default they are estimated
from the cohort aged 0 on 1 January ``t+1`` and infant survival, ``B = P(0, t+1) / S(0)``.
The estimated net migration of the newborn cohort is then zero by construction (it is part of
the estimated births). Registered births can be passed instead.

Expected deaths of the cohort are ``D = (1 - S) * C`` (forward method) so that the accounting
identity ``P(a, t+1) = C(a, t) - D(a, t) + NM(a, t)`` holds exactly for every region, sex and
age. Deaths and migration are therefore counted on Lexis parallelograms (cohort by calendar
year), as SSB counts migration by age at the end of the year.

Survival ratios come from national central death rates m(x) (Human Mortality Database,
Norway, built from SSB data) through a standard period life table: ``a(x) = 0.5`` for x >= 1,
``a(0)`` from Andreev & Kingkade (2015) as in the HMD methods protocol, ``L = l/m`` for the
open interval. National mortality is applied to every municipality; local differences in
mortality end up in the residual.

References
----------
* Preston, S. H., Heuveline, P. & Guillot, M. (2001). *Demography: Measuring and Modeling
  Population Processes*. Blackwell. Ch. 3 (life table, a(x)) and ch. 6 (cohort-component
  method; survival ratios ``L(x+n)/L(x)``, ``T(x+n)/T(x)`` for the open interval).
* Siegel, J. S. & Swanson, D. A. (eds., 2004). *The Methods and Materials of Demography*,
  2nd ed. Elsevier. Ch. 19 "Internal migration": the national/life-table survival-ratio
  residual method, forward and reverse (and average) variants.
* Andreev, E. M. & Kingkade, W. W. (2015). Average age at death in infancy and infant
  mortality level. *Demographic Research* 33(13): 363–390. (HMD Methods Protocol v6, 2017.)
* SSB, "Befolkningsstatistikk: flytting", "Om statistikken": moves are counted by age at the
  end of the year; 1 January population by age (table 07459).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from blilyst.axes import AGES, MAX_AGE, N_AGES, N_SEXES, SEXES
from blilyst.errors import InputError
from blilyst.i18n import gettext

#: Oldest single age in the HMD tables (110 = 110+).
HMD_MAX_AGE = 110

METHODS = ("forward", "reverse", "average")


# --------------------------------------------------------------------------- life table


def _a0(m0: np.ndarray, sex_index: np.ndarray) -> np.ndarray:
    """Average person-years lived in the first year by those dying (Andreev & Kingkade 2015)."""
    male = np.where(m0 < 0.02300, 0.14929 - 1.99545 * m0, np.where(m0 < 0.08307, 0.02832 + 3.26021 * m0, 0.29915))
    female = np.where(m0 < 0.01724, 0.14903 - 2.05527 * m0, np.where(m0 < 0.06891, 0.04667 + 3.88089 * m0, 0.31411))
    return np.where(sex_index == 0, male, female)


def life_table_L(mx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Person-years ``L(x)`` and survivors ``l(x)`` (radix 1) from single-year ``m(x)``.

    ``mx`` is shaped ``(..., sex, age)`` with ages 0..K, K the open interval. Missing rates
    (NaN, HMD's "." where nobody was exposed) at the oldest ages are carried forward from the
    last age with a rate. Returns ``(L, l)`` with the same shape.
    """
    mx = np.asarray(mx, dtype=float)
    if mx.ndim < 2 or mx.shape[-2] != N_SEXES:
        raise InputError(
            "mortality",
            gettext("expected rates shaped (..., {sexes}, ages), got {shape}").format(sexes=N_SEXES, shape=mx.shape),
        )
    if np.any(mx < 0):
        raise InputError("mortality", gettext("death rates m(x) must not be negative"))
    if np.isnan(mx[..., :100]).any():
        raise InputError("mortality", gettext("death rates m(x) are missing below age 100"))
    # carry the last observed rate forward over missing old ages
    filled = pd.DataFrame(mx.reshape(-1, mx.shape[-1])).ffill(axis=1).to_numpy().reshape(mx.shape)
    sex_index = np.broadcast_to(np.arange(N_SEXES)[:, None], mx.shape[-2:])
    sex_index = np.broadcast_to(sex_index, mx.shape)
    ax = np.full(mx.shape, 0.5)
    ax[..., 0] = _a0(filled[..., 0], sex_index[..., 0])
    qx = filled / (1.0 + (1.0 - ax) * filled)
    qx = np.clip(qx, 0.0, 1.0)
    qx[..., -1] = 1.0
    lx = np.ones(mx.shape)
    lx[..., 1:] = np.cumprod(1.0 - qx[..., :-1], axis=-1)
    dx = lx * qx
    Lx = lx - (1.0 - ax) * dx
    with np.errstate(divide="ignore", invalid="ignore"):
        open_L = np.where(filled[..., -1] > 0, lx[..., -1] / filled[..., -1], 0.0)
    Lx[..., -1] = open_L
    return Lx, lx


def cohort_survival(mx: np.ndarray) -> np.ndarray:
    """One-year survival ratios by age at the end of the year, shaped ``(..., sex, 106)``.

    Index ``a`` holds the probability that the cohort that reaches age ``a`` (105 = 105+) on
    1 January next year survives the year: ``L(0)/l(0)`` for the newborn cohort,
    ``L(a)/L(a-1)`` for ``a = 1..104`` and ``T(105)/T(104)`` for the open interval
    (Preston et al. 2001, ch. 6).
    """
    L, l = life_table_L(mx)  # noqa: E741 (l is the life table's survivors, as in the literature)
    T = np.cumsum(L[..., ::-1], axis=-1)[..., ::-1]  # T(x) = sum of L from x up
    S = np.empty((*L.shape[:-1], N_AGES))
    S[..., 0] = L[..., 0] / l[..., 0]
    S[..., 1:MAX_AGE] = L[..., 1:MAX_AGE] / L[..., 0 : MAX_AGE - 1]
    S[..., MAX_AGE] = T[..., MAX_AGE] / T[..., MAX_AGE - 1]
    return S


@dataclass(frozen=True)
class NationalSurvival:
    """Survival ratios per event year, and which mortality year each one used."""

    years: list[int]
    survival: np.ndarray  # (Y, sex, 106)
    mortality_years: list[int]  # the HMD year actually used (the last one when the year is later)

    @property
    def extrapolated_years(self) -> list[int]:
        return [y for y, m in zip(self.years, self.mortality_years, strict=False) if y != m]


def national_survival(mortality: pd.DataFrame, years: list[int] | np.ndarray) -> NationalSurvival:
    """Survival ratios for each calendar year from a long frame of death rates.

    ``mortality`` has columns ``year, sex ('male'|'female'), age (0..110), mx`` (HMD Norway
    ``Mx_1x1``, as in the snapshot). Years after the last year with rates use the last year's
    rates (and say so in ``mortality_years``); years before the first one are an error.
    """
    needed = {"year", "sex", "age", "mx"}
    missing = needed - set(mortality.columns)
    if missing:
        raise InputError("mortality", gettext("missing columns {columns}").format(columns=", ".join(sorted(missing))))
    years = [int(y) for y in years]
    cube = mortality.pivot_table(index=["year", "sex"], columns="age", values="mx", aggfunc="first", dropna=False)
    available = sorted({int(y) for y in cube.index.get_level_values("year")})
    if not available:
        raise InputError("mortality", gettext("no death rates given"))
    used = []
    for y in years:
        if y < available[0]:
            raise InputError(
                "mortality",
                gettext("no death rates for {year}; the first year with rates is {first}").format(
                    year=y, first=available[0]
                ),
            )
        used.append(y if y in available else max(a for a in available if a <= y))
    ages = sorted(int(a) for a in cube.columns)
    if ages[0] != 0 or ages[-1] < MAX_AGE:
        raise InputError(
            "mortality",
            gettext("death rates must cover ages 0..{max_age} or more, got {low}..{high}").format(
                max_age=MAX_AGE, low=ages[0], high=ages[-1]
            ),
        )
    arr = np.empty((len(used), N_SEXES, len(ages)))
    for i, y in enumerate(used):
        for s, sex in enumerate(SEXES):
            arr[i, s] = np.asarray(cube.loc[(y, sex)], dtype=float)
    return NationalSurvival(years=years, survival=cohort_survival(arr), mortality_years=used)


# --------------------------------------------------------------------------- residual


def start_cohorts(pop_start: np.ndarray) -> np.ndarray:
    """Rearrange 1 January stocks (..., 106) into cohorts by age at the END of the year.

    Index 0 is left at zero (the newborn cohort is births); index ``a`` holds ``P(a-1)`` and
    the open interval gathers ``P(104) + P(105+)``.
    """
    C = np.zeros_like(pop_start, dtype=float)
    C[..., 1:] = pop_start[..., :-1]
    C[..., MAX_AGE] += pop_start[..., MAX_AGE]
    return C


@dataclass
class ResidualMigration:
    """Estimated components for every event year ``t`` (between 1 Jan ``t`` and 1 Jan ``t+1``).

    Arrays are shaped ``(year, region, sex, age)`` with ``age`` the age at the end of the year
    (0 = born during the year, 105 = 105+); ``births`` is ``(year, region, sex)``.
    """

    municipalities: list[str]
    years: list[int]  # event years t
    net_migration: np.ndarray
    deaths: np.ndarray
    births: np.ndarray
    pop_start: np.ndarray  # (year, region, sex, age) on 1 Jan t
    pop_end: np.ndarray  # (year, region, sex, age) on 1 Jan t+1
    survival: np.ndarray  # (year, sex, age)
    method: str
    births_source: str  # "estimated" or "registered"
    mortality_years: list[int] = field(default_factory=list)
    #: people moved by border changes (year, region, sex, age); not part of ``net_migration``
    boundary_change: np.ndarray | None = None

    def without_boundary_changes(self, persons: np.ndarray) -> ResidualMigration:
        """The same estimates with border transfers ``persons`` (year, region) taken out of net
        migration and kept as ``boundary_change`` (spread over sex and age like the end stock, see
        :mod:`blilyst.demography.boundaries`), so ``P1 = C - D + NM + BC`` still holds."""
        from blilyst.demography.boundaries import spread_by_age

        persons = np.asarray(persons, dtype=float)
        if persons.shape != self.net_migration.shape[:2]:
            raise InputError(
                "boundary_changes",
                gettext("expected shape {expected}, got {shape}").format(
                    expected=self.net_migration.shape[:2], shape=persons.shape
                ),
            )
        bc = spread_by_age(persons, self.pop_end)
        if self.boundary_change is not None:
            bc = bc + self.boundary_change
            net = self.net_migration + self.boundary_change - bc
        else:
            net = self.net_migration - bc
        return replace(self, net_migration=net, boundary_change=bc)

    def boundary_totals(self) -> np.ndarray:
        """Border transfers per (year, region); zeros when none were given."""
        if self.boundary_change is None:
            return np.zeros(self.net_migration.shape[:2])
        return np.asarray(self.boundary_change.sum(axis=(2, 3)), dtype=float)

    def rates(self) -> np.ndarray:
        """Net migration rates by age at the end of the year: ``NM / exposure`` with the cohort's
        exposure approximated by the mean of its size at the start (``C``) and the end of the year
        (Preston et al. 2001, ch. 6 — person-years on a Lexis parallelogram). Zero where nobody is at risk."""
        C = start_cohorts(self.pop_start)
        C[..., 0] = self.births
        exposure = 0.5 * (C + self.pop_end)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(exposure > 0, self.net_migration / exposure, 0.0)

    def totals(self) -> pd.DataFrame:
        """One row per municipality and event year: stocks and components summed over sex and age."""
        Y, R = len(self.years), len(self.municipalities)
        frame = pd.DataFrame(
            {
                "municipality": np.tile(np.asarray(self.municipalities, dtype=object), Y),
                "year": np.repeat(np.asarray(self.years), R),
                "population_start": self.pop_start.sum(axis=(2, 3)).ravel(),
                "births": self.births.sum(axis=2).ravel(),
                "deaths": self.deaths.sum(axis=(2, 3)).ravel(),
                "net_migration": self.net_migration.sum(axis=(2, 3)).ravel(),
                "boundary_change": self.boundary_totals().ravel(),
                "population_end": self.pop_end.sum(axis=(2, 3)).ravel(),
            }
        )
        return frame

    def frame(self) -> pd.DataFrame:
        """Long labelled frame: municipality, year, sex, age (at end of year), net_migration, deaths.

        ``age`` is the age on 1 January of the following year. Every figure is estimated.
        """
        idx = pd.MultiIndex.from_product(
            [self.years, self.municipalities, list(SEXES), AGES.tolist()],
            names=["year", "municipality", "sex", "age"],
        )
        frame = pd.DataFrame(
            {
                "net_migration": self.net_migration.reshape(-1),
                "deaths": self.deaths.reshape(-1),
            },
            index=idx,
        ).reset_index()
        frame["source"] = "estimated"
        return frame[["municipality", "year", "sex", "age", "net_migration", "deaths", "source"]]


def residual_components(
    pop_start: np.ndarray,
    pop_end: np.ndarray,
    survival: np.ndarray,
    births: np.ndarray | None = None,
    method: str = "forward",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vectorised core: ``(net_migration, deaths, births)`` for one or many years/regions.

    ``pop_start`` and ``pop_end`` are shaped ``(..., region, sex, 106)``; ``survival`` is
    broadcastable to ``(..., 1, sex, 106)`` (see :func:`cohort_survival`); ``births`` is
    ``(..., region, sex)`` or None to estimate it from the cohort aged 0 at the end.

    ``method``: ``forward`` assumes migrants arrive at the end of the year (NM = P1 - S C);
    ``reverse`` that they arrive at the start (NM = P1/S - C); ``average`` the mean of the two
    (Siegel & Swanson 2004, ch. 19). Deaths are whatever closes the account, so
    ``P1 = C - D + NM`` holds exactly with every method.
    """
    if method not in METHODS:
        raise InputError(
            "method",
            gettext("must be one of {choices}; got {value}").format(choices=", ".join(METHODS), value=repr(method)),
        )
    P0 = np.asarray(pop_start, dtype=float)
    P1 = np.asarray(pop_end, dtype=float)
    if P0.shape != P1.shape or P0.shape[-1] != N_AGES or P0.shape[-2] != N_SEXES:
        raise InputError(
            "population",
            gettext("start and end stocks must both be shaped (..., {sexes}, {ages}); got {start} and {end}").format(
                sexes=N_SEXES, ages=N_AGES, start=P0.shape, end=P1.shape
            ),
        )
    S = np.asarray(survival, dtype=float)
    if S.shape[-1] != N_AGES or np.any((S <= 0) | (S > 1)):
        raise InputError("survival", gettext("ratios must be in (0, 1] over {ages} ages").format(ages=N_AGES))
    S = np.expand_dims(S, -3) if S.ndim == P0.ndim - 1 else S
    C = start_cohorts(P0)
    if births is None:
        B = P1[..., 0] / S[..., 0]
    else:
        B = np.asarray(births, dtype=float)
        if B.shape != P0.shape[:-1]:
            raise InputError(
                "births",
                gettext("expected shape {expected}, got {shape}").format(expected=P0.shape[:-1], shape=B.shape),
            )
        if np.any(B < 0):
            raise InputError("births", gettext("births must not be negative"))
    C[..., 0] = B
    forward = P1 - S * C
    if method == "forward":
        nm = forward
    else:
        reverse = P1 / S - C
        nm = reverse if method == "reverse" else 0.5 * (forward + reverse)
    if births is None:
        nm[..., 0] = 0.0  # the newborn cohort's migration is inside the estimated births
    deaths = C - P1 + nm
    return nm, deaths, B


def net_migration_by_age(
    population_cube: np.ndarray,
    years: list[int] | np.ndarray,
    mortality: pd.DataFrame | np.ndarray,
    *,
    municipalities: list[str] | None = None,
    births: np.ndarray | None = None,
    method: str = "forward",
) -> ResidualMigration:
    """Residual net migration by sex and single-year age for all regions and years at once.

    Parameters
    ----------
    population_cube
        1 January stocks shaped ``(year, region, sex, age)`` = ``(Y, R, 2, 106)`` for consecutive
        years (``Snapshot.population_cube()``).
    years
        The ``Y`` calendar years of the stocks; they must be consecutive.
    mortality
        Either a long frame ``year, sex, age, mx`` (HMD Norway, ``Snapshot.mortality``) or an
        array of survival ratios shaped ``(Y-1, 2, 106)`` or ``(2, 106)`` (:func:`cohort_survival`).
    municipalities
        The ``R`` region codes (labels only).
    births
        Registered births shaped ``(Y-1, R, 2)``; by default estimated from the cohort aged 0.
    method
        ``forward`` (default), ``reverse`` or ``average``; see :func:`residual_components`.

    Returns
    -------
    ResidualMigration
        ``net_migration``, ``deaths`` shaped ``(Y-1, R, 2, 106)`` by age at the end of the
        event year, ``births`` ``(Y-1, R, 2)``; ``.frame()`` and ``.totals()`` give labelled frames.

    Notes
    -----
    The residual contains everything the survival ratios do not explain: domestic and
    international migration, local mortality differing from the national level, and errors
    in the population counts (including boundary changes). See the module docstring for
    formulas and sources.
    """
    cube = np.asarray(population_cube, dtype=float)
    if cube.ndim != 4 or cube.shape[2:] != (N_SEXES, N_AGES):
        raise InputError(
            "population_cube",
            gettext("expected shape (year, region, {sexes}, {ages}), got {shape}").format(
                sexes=N_SEXES, ages=N_AGES, shape=cube.shape
            ),
        )
    years = [int(y) for y in years]
    if len(years) != cube.shape[0]:
        raise InputError(
            "years", gettext("{years} years given for {stocks} stocks").format(years=len(years), stocks=cube.shape[0])
        )
    if len(years) < 2:
        raise InputError("years", gettext("need at least two consecutive 1 January stocks"))
    if any(b - a != 1 for a, b in itertools.pairwise(years)):
        raise InputError(
            "years", gettext("years must be consecutive, got {years}").format(years=", ".join(map(str, years)))
        )
    if np.isnan(cube).any() or (cube < 0).any():
        raise InputError("population_cube", gettext("stocks must be non-negative numbers (no NaN)"))
    if municipalities is None:
        municipalities = [str(i) for i in range(cube.shape[1])]
    if len(municipalities) != cube.shape[1]:
        raise InputError(
            "municipalities",
            gettext("{codes} codes for {regions} regions").format(codes=len(municipalities), regions=cube.shape[1]),
        )
    event_years = years[:-1]
    if isinstance(mortality, pd.DataFrame):
        ns = national_survival(mortality, event_years)
        S, mort_years = ns.survival, ns.mortality_years
    else:
        S = np.asarray(mortality, dtype=float)
        if S.shape == (N_SEXES, N_AGES):
            S = np.broadcast_to(S, (len(event_years), N_SEXES, N_AGES))
        if S.shape != (len(event_years), N_SEXES, N_AGES):
            raise InputError(
                "mortality",
                gettext(
                    "survival ratios must be shaped ({years}, {sexes}, {ages}) or ({sexes}, {ages}), got {shape}"
                ).format(years=len(event_years), sexes=N_SEXES, ages=N_AGES, shape=S.shape),
            )
        mort_years = []
    nm, deaths, B = residual_components(cube[:-1], cube[1:], S[:, None, :, :], births=births, method=method)
    return ResidualMigration(
        municipalities=list(municipalities),
        years=event_years,
        net_migration=nm,
        deaths=deaths,
        births=B,
        pop_start=cube[:-1],
        pop_end=cube[1:],
        survival=np.asarray(S),
        method=method,
        births_source="estimated" if births is None else "registered",
        mortality_years=mort_years,
    )


def net_migration_loop(population_cube: np.ndarray, survival: np.ndarray) -> np.ndarray:
    """Reference implementation, one municipality, year, sex and age at a time.

    Slow on purpose: used by the tests and the benchmark to check the vectorised
    :func:`net_migration_by_age`. ``survival`` is ``(Y-1, 2, 106)``; births are estimated.
    """
    cube = np.asarray(population_cube, dtype=float)
    Y, R = cube.shape[:2]
    out = np.zeros((Y - 1, R, N_SEXES, N_AGES))
    for t in range(Y - 1):
        for r in range(R):
            for s in range(N_SEXES):
                p0, p1, S = cube[t, r, s], cube[t + 1, r, s], survival[t, s]
                for a in range(1, N_AGES):
                    cohort = p0[a - 1] + (p0[a] if a == MAX_AGE else 0.0)
                    out[t, r, s, a] = p1[a] - S[a] * cohort
    return out
