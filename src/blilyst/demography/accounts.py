"""Demographic accounts for every municipality and year, with every figure labelled by source.

For each municipality and calendar year ``t`` the account runs from the population on 1 January
``t`` to the population on 1 January ``t+1``::

    population_end = population_start + births - deaths + net_migration + boundary_change + residual

* ``population_start``/``population_end``: SSB's 1 January stocks (table 07459 on 2024 borders);
  *registered*, except municipality-years the snapshot flags (Ålesund/Haram before 2024, split
  50/50 by the harmonisation), which are *estimated*.
* ``births``: *estimated* from the cohort aged 0 on 1 January ``t+1`` and national infant
  survival, unless registered births are given.
* ``deaths``: *estimated* by applying national mortality (HMD Norway) to the local cohorts.
* ``in_migration``/``out_migration``/``net_migration``: *registered* where the data have all
  moves (the Telemark migration-by-age file offline, which includes international moves),
  otherwise net migration is *estimated* by the residual method
  (:mod:`blilyst.demography.residual`) and gross flows are not available.
* ``domestic_in``/``domestic_out``/``domestic_net``: *registered* where the data have domestic
  moves only (SSB table 09588 after ``blilyst data refresh``); then ``international_net`` =
  estimated net migration − registered domestic net is *estimated*.
* Registered annual components (SSB 06913, or 01223 summed over quarters, in the snapshot's
  ``components_annual`` after ``blilyst data refresh``) replace the estimates wherever the table has
  them: ``births``, ``deaths`` (and so ``natural_increase``), ``net_migration``, ``domestic_in``/
  ``domestic_out``/``domestic_net``, ``international_net`` (immigration − emigration) and the gross
  ``in_migration``/``out_migration`` (domestic plus international). Municipality-years the table does
  not cover (e.g. the last year before SSB publishes it) keep the estimates.
* ``boundary_change``: people moved by a border change (*grenseendring*, effective 1 January
  ``t+1``), never migration: *registered* for Telemark (SSB 01223), elsewhere SSB 06913's 2011-2025
  deviation placed in its largest year (*estimated*); see :mod:`blilyst.demography.boundaries`.
  Estimated net migration excludes it.
* Municipalities merged and split again (Ålesund/Haram, Narvik, Hamarøy, Heim, Hitra, Orkland):
  in years whose stocks are fixed shares of the merged municipality (``population_flags``) net
  migration cannot be estimated; it is left empty (unless registered) and the residual takes
  the difference.
* ``residual``: what closes the account when registered and estimated figures meet (SSB calls
  the same thing *restledd*); zero, by construction, when net migration is estimated.

The ``source`` column says ``registered`` or ``estimated`` for every figure in every output.

Sources: SSB table 07459 (population), 06913 (population change, summed 2011–2025 in the
statman extract), Telemark fylkeskommune's migration-by-age file (SSB moves by age, 17 Telemark
municipalities 2016–2025), Human Mortality Database (Norway ``Mx_1x1``). Method: Preston,
Heuveline & Guillot (2001) ch. 6; Siegel & Swanson (2004) ch. 19.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from blilyst.axes import N_AGES, N_SEXES, SEXES
from blilyst.demography.boundaries import (
    boundary_matrix,
    boundary_sources,
    merged_split_municipalities,
    merged_split_years,
)
from blilyst.demography.residual import ResidualMigration, net_migration_by_age
from blilyst.errors import InputError
from blilyst.i18n import N_, format_signed, ngettext
from blilyst.i18n import gettext as _

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

REGISTERED, ESTIMATED = "registered", "estimated"
#: The registered components of SSB's population change table, in words for the notes.
COMPONENT_WORDS = {
    "births": N_("births"),
    "deaths": N_("deaths"),
    "in_migration": N_("in-migration"),
    "out_migration": N_("out-migration"),
    "net_migration": N_("net migration"),
    "natural_increase": N_("natural increase"),
    "boundary_change": N_("border changes"),
    "immigration": N_("immigration"),
    "emigration": N_("emigration"),
    "domestic_in": N_("domestic in-migration"),
    "domestic_out": N_("domestic out-migration"),
}

#: Components of an account, in display order.
COMPONENTS: tuple[str, ...] = (
    "population_start",
    "births",
    "deaths",
    "natural_increase",
    "in_migration",
    "out_migration",
    "domestic_in",
    "domestic_out",
    "domestic_net",
    "international_net",
    "net_migration",
    "boundary_change",
    "residual",
    "population_end",
)

#: First year whose 1 January stocks are complete in the bundled data (2005 lacks two municipalities).
FIRST_COMPLETE_YEAR = 2006


@dataclass
class Accounts:
    """Demographic accounts for a set of municipalities and event years.

    ``totals`` is a long frame ``municipality, year, component, value, source`` (one row per
    figure); ``residual`` holds the by-sex-and-age estimates behind it; ``notes`` say what is
    estimated and which data were used.
    """

    totals: pd.DataFrame
    residual: ResidualMigration
    registered_by_age: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)

    @property
    def municipalities(self) -> list[str]:
        return self.residual.municipalities

    @property
    def years(self) -> list[int]:
        return self.residual.years

    def wide(self, municipality: str | None = None) -> pd.DataFrame:
        """One row per municipality and year, a column per component and an ``estimated``
        column naming the components that are estimated in that row."""
        t = self.totals if municipality is None else self.totals[self.totals.municipality == municipality]
        values = t.pivot_table(index=["municipality", "year"], columns="component", values="value", aggfunc="first")
        values = values[[c for c in COMPONENTS if c in values.columns]]
        est = (
            t[t.source == ESTIMATED]
            .groupby(["municipality", "year"])
            .component.agg(lambda s: ", ".join(c for c in COMPONENTS if c in set(s)))
        )
        out = values.join(est.rename("estimated")).reset_index()
        out["estimated"] = out["estimated"].fillna("")
        out.columns.name = None
        return out

    def by_age(self, municipality: str | None = None) -> pd.DataFrame:
        """Long frame by sex and age at the end of the year: ``municipality, year, sex, age,
        component, value, source``. Estimated deaths and net migration by sex; registered net,
        in- and out-migration by age (both sexes, ``sex = 'total'``) where the data have them."""
        frame = self.residual_frame(municipality)
        long = frame.melt(
            id_vars=["municipality", "year", "sex", "age", "source"],
            value_vars=["net_migration", "deaths"],
            var_name="component",
            value_name="value",
        )
        long = long[long.value.notna()]
        parts = [long[["municipality", "year", "sex", "age", "component", "value", "source"]]]
        reg = self.registered_by_age
        if reg is not None and len(reg):
            if municipality is not None:
                reg = reg[reg.municipality == municipality]
            reg = reg[reg.year.isin(self.years)]
            rl = reg.melt(
                id_vars=["municipality", "year", "age"],
                value_vars=["in_migration", "out_migration", "net_migration"],
                var_name="component",
                value_name="value",
            )
            rl["sex"] = "total"
            rl["source"] = REGISTERED
            parts.append(rl[["municipality", "year", "sex", "age", "component", "value", "source"]])
        return pd.concat(parts, ignore_index=True)

    def residual_frame(self, municipality: str | None = None) -> pd.DataFrame:
        """The residual estimates by sex and age (:meth:`ResidualMigration.frame`), with net migration empty
        (NaN) in the years the account has none: where a 1 January stock is a fixed share of a merged
        municipality the residual is an artefact of the split, not migration (Haram and Ålesund 2006–2023)."""
        r = self.residual
        frame = r.frame()  # ordered by year, municipality, sex, age
        known = self.totals.loc[self.totals.component == "net_migration", ["municipality", "year"]]
        has = np.zeros((len(r.years), len(r.municipalities)), dtype=bool)
        has[
            pd.Index(r.years).get_indexer(pd.Index(known.year)),
            pd.Index(r.municipalities).get_indexer(pd.Index(known.municipality)),
        ] = True
        if not has.all():
            per_cell = r.net_migration[0, 0].size  # sexes × ages
            frame.loc[np.repeat(~has.ravel(), per_cell), "net_migration"] = np.nan
        if municipality is not None:
            frame = frame[frame.municipality == municipality]
        return frame

    def check_identity(self) -> float:
        """Largest absolute violation of the accounting identity over all rows (0 up to rounding)."""
        w = self.wide()
        moved = w.net_migration.fillna(0.0) + w.boundary_change.fillna(0.0)
        gap = w.population_start + w.births - w.deaths + moved + w.residual - w.population_end
        return float(gap.abs().max())


def population_cube_from_frame(
    population: pd.DataFrame, municipalities: list[str] | None, years: list[int]
) -> tuple[list[str], np.ndarray]:
    """Long 1 January stocks (``municipality, year, sex, age, population``) → ``(Y, R, 2, 106)``."""
    missing = {"municipality", "year", "sex", "age", "population"} - set(population.columns)
    if missing:
        raise InputError("population", _("missing columns {columns}").format(columns=", ".join(sorted(missing))))
    pop = population[population.year.isin(years)]
    codes = sorted(pop.municipality.astype(str).unique()) if municipalities is None else list(municipalities)
    have = set(pop.year.unique())
    lacking = [y for y in years if y not in have]
    if lacking:
        raise InputError("years", _("no 1 January population for {years}").format(years=", ".join(map(str, lacking))))
    unknown = set(codes) - set(pop.municipality.unique())
    if unknown:
        raise InputError("municipalities", _("no population for {codes}").format(codes=", ".join(sorted(unknown))))
    pop = pop[pop.municipality.isin(codes)]
    yi = pd.Index(years).get_indexer(pd.Index(pop.year))
    ri = pd.Index(codes).get_indexer(pd.Index(pop.municipality))
    si = pd.Index(list(SEXES)).get_indexer(pd.Index(pop.sex.astype(str)))
    ai = pop.age.to_numpy()
    if (si < 0).any() or (ai < 0).any() or (ai >= N_AGES).any():
        raise InputError("population", _("sex must be male/female and age 0..105"))
    cube = np.zeros((len(years), len(codes), N_SEXES, N_AGES))
    cube[yi, ri, si, ai] = pop.population.to_numpy(dtype=float)
    return codes, cube


def _event_years(population: pd.DataFrame, years: tuple[int, int] | list[int] | None) -> list[int]:
    have = sorted(int(y) for y in population.year.unique() if y >= FIRST_COMPLETE_YEAR)
    if not have:
        raise InputError("population", _("no 1 January population from {year} on").format(year=FIRST_COMPLETE_YEAR))
    possible = [y for y in have[:-1] if y + 1 in have]
    if years is None:
        return possible
    if isinstance(years, tuple):
        a, b = years
        wanted = list(range(int(a), int(b) + 1))
    else:
        wanted = sorted(int(y) for y in years)
    bad = [y for y in wanted if y not in possible]
    if bad:
        raise InputError(
            "years",
            _(
                "no account possible for {years}: needs 1 January population for the year and the next; "
                "available {first}–{last}"
            ).format(years=", ".join(map(str, bad)), first=possible[0], last=possible[-1]),
        )
    return wanted


def build_accounts(
    population: pd.DataFrame,
    mortality: pd.DataFrame,
    *,
    migration_by_age: pd.DataFrame | None = None,
    population_flags: pd.DataFrame | None = None,
    components_annual: pd.DataFrame | None = None,
    boundary_changes: pd.DataFrame | None = None,
    municipalities: list[str] | None = None,
    years: tuple[int, int] | list[int] | None = None,
    migration_scope: str = "all",
    method: str = "forward",
) -> Accounts:
    """Build demographic accounts from plain frames.

    Parameters
    ----------
    population
        1 January stocks, long: ``municipality, year, sex, age, population`` (snapshot.population).
    mortality
        National death rates ``year, sex, age, mx`` (snapshot.mortality).
    migration_by_age
        Registered moves by age at the end of the year: ``municipality, year, age, in_migration,
        out_migration, net_migration`` (snapshot.migration_by_age; Telemark only offline).
    migration_scope
        ``"all"`` when ``migration_by_age`` counts all moves (domestic and international, as the
        Telemark file does) or ``"domestic"`` when it counts moves within Norway only (SSB 09588).
    population_flags
        ``municipality, year_from, year_to, note`` for stocks that are themselves estimates.
    components_annual
        Registered components ``municipality, year, component, persons`` (snapshot.components_annual:
        SSB 06913/01223 after ``blilyst data refresh``); components ``births, deaths, immigration,
        emigration, domestic_in, domestic_out, net_migration`` are used, each where present, and take
        precedence over both the estimates and ``migration_by_age`` totals.
    boundary_changes
        People moved by border changes ``municipality, year, persons, source``
        (snapshot.boundary_changes); taken out of net migration and shown as ``boundary_change``.
    municipalities, years
        Restrict to these codes and event years (a ``(first, last)`` tuple or a list);
        by default all municipalities and every year with two consecutive stocks from 2006.
    """
    if migration_scope not in ("all", "domestic"):
        raise InputError(
            "migration_scope", _("must be 'all' or 'domestic', got {value}").format(value=repr(migration_scope))
        )
    event_years = _event_years(population, years)
    stock_years = sorted(set(event_years) | {y + 1 for y in event_years})
    # the residual needs consecutive stocks: compute over the full span and select afterwards
    span = list(range(stock_years[0], stock_years[-1] + 1))
    codes, cube = population_cube_from_frame(population, municipalities, span)
    res = _select_years(net_migration_by_age(cube, span, mortality, municipalities=codes, method=method), event_years)
    res = res.without_boundary_changes(boundary_matrix(boundary_changes, codes, event_years))
    est, src = _estimated_totals(res, boundary_changes, population_flags, codes, event_years)

    notes = [
        _("Population 1 January: SSB table 07459 (2024 borders). Source: Statistics Norway."),
        _(
            "Births estimated from the cohort aged 0 on 1 January next year and national infant survival; deaths "
            "estimated from national mortality (Human Mortality Database, Norway) applied to the local population; "
            "net migration estimated by the residual (cohort-survival) method where not registered."
        ),
    ]
    if res.mortality_years:
        extra = sorted({y for y, m in zip(res.years, res.mortality_years, strict=False) if y != m})
        if extra:
            notes.append(
                _("Mortality for {years} uses the last year with rates ({last}).").format(
                    years=", ".join(map(str, extra)), last=max(res.mortality_years)
                )
            )

    reg_by_age = None
    if migration_by_age is not None and len(migration_by_age):
        reg_by_age = migration_by_age[
            migration_by_age.municipality.isin(codes) & migration_by_age.year.isin(event_years)
        ]
        if len(reg_by_age):
            notes.append(_apply_registered_migration(est, src, reg_by_age, migration_scope))

    if components_annual is not None and len(components_annual):
        note = _apply_registered_components(est, src, components_annual)
        if note:
            notes.append(note)

    notes.extend(_boundary_notes(est, population_flags, codes))
    if population_flags is not None and len(population_flags):
        notes.extend(_mark_estimated_stocks(src, population_flags, codes))
    return Accounts(totals=_long_totals(est, src), residual=res, registered_by_age=reg_by_age, notes=notes)


def _select_years(res: ResidualMigration, event_years: list[int]) -> ResidualMigration:
    """``res`` (computed over consecutive years) narrowed to ``event_years``."""
    if res.years == event_years:
        return res
    keep = [res.years.index(y) for y in event_years]
    return ResidualMigration(
        municipalities=res.municipalities,
        years=event_years,
        net_migration=res.net_migration[keep],
        deaths=res.deaths[keep],
        births=res.births[keep],
        pop_start=res.pop_start[keep],
        pop_end=res.pop_end[keep],
        survival=res.survival[keep],
        method=res.method,
        births_source=res.births_source,
        mortality_years=[res.mortality_years[i] for i in keep] if res.mortality_years else [],
    )


def _estimated_totals(
    res: ResidualMigration,
    boundary_changes: pd.DataFrame | None,
    population_flags: pd.DataFrame | None,
    codes: list[str],
    event_years: list[int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The estimated account per (municipality, year) and the source of each of its values (registered
    stocks, estimated components); years whose stocks are fixed shares of a merged municipality get no net
    migration (their residual shows the difference)."""
    est = res.totals().set_index(["municipality", "year"])
    est["natural_increase"] = est.births - est.deaths
    for col in ("in_migration", "out_migration", "domestic_in", "domestic_out", "domestic_net", "international_net"):
        est[col] = np.nan
    est["residual"] = 0.0
    src = pd.DataFrame(ESTIMATED, index=est.index, columns=list(COMPONENTS))
    src["population_start"] = REGISTERED
    src["population_end"] = REGISTERED
    src["boundary_change"] = boundary_sources(boundary_changes, codes, event_years).ravel()
    # stocks that are fixed shares of a merged municipality: the residual there is no migration
    artefact = merged_split_years(population_flags, codes, event_years).ravel()
    if artefact.any():
        est.loc[artefact, "net_migration"] = np.nan
        est.loc[artefact, "residual"] = (
            est.population_end - est.population_start - est.natural_increase - est.boundary_change
        )[artefact]
    return est, src


def _apply_registered_migration(
    est: pd.DataFrame, src: pd.DataFrame, reg_by_age: pd.DataFrame, migration_scope: str
) -> str:
    """Put registered migration (by age, summed) into ``est``/``src`` in place and return the note saying so:
    all moves replace the estimated migration (the residual closes the account), domestic moves give the
    domestic components and international net migration as estimated net minus registered domestic net."""
    reg = reg_by_age.groupby(["municipality", "year"])[["in_migration", "out_migration", "net_migration"]].sum()
    idx = reg.index.intersection(est.index)
    max_age = reg_by_age.groupby(["municipality", "year"]).age.max()
    partial = sorted({int(y) for y in max_age[max_age < 99].index.get_level_values("year")})
    gap = ""
    if partial:
        gap = " " + _(
            "For {first}–{last} the data cover ages 0–{age} only, so moves of older people are missing from those "
            "totals."
        ).format(first=partial[0], last=partial[-1], age=int(max_age.min()))
    if migration_scope == "all":
        for col in ["in_migration", "out_migration", "net_migration"]:
            est.loc[idx, col] = reg.loc[idx, col].astype(float)
            src.loc[idx, col] = REGISTERED
        est.loc[idx, "residual"] = (
            est.loc[idx, "population_end"]
            - est.loc[idx, "population_start"]
            - est.loc[idx, "natural_increase"]
            - est.loc[idx, "net_migration"]
            - est.loc[idx, "boundary_change"]
        )
        return (
            _(
                "Registered in-, out- and net migration (all moves, domestic and international) from SSB's "
                "migration-by-age data as prepared by Telemark fylkeskommune."
            )
            + gap
            + " "
            + _("The residual closes the account (registered migration against estimated births and deaths).")
        )
    for reg_col, col in [
        ("in_migration", "domestic_in"),
        ("out_migration", "domestic_out"),
        ("net_migration", "domestic_net"),
    ]:
        est.loc[idx, col] = reg.loc[idx, reg_col].astype(float)
        src.loc[idx, col] = REGISTERED
    est.loc[idx, "international_net"] = est.loc[idx, "net_migration"] - est.loc[idx, "domestic_net"]
    return (
        _("Registered domestic in-, out- and net migration (SSB 09588).")
        + gap
        + " "
        + _("International net migration = estimated net migration minus registered domestic net (estimated).")
    )


def _boundary_notes(est: pd.DataFrame, population_flags: pd.DataFrame | None, codes: list[str]) -> list[str]:
    """Notes on border changes (the largest named) and on municipalities merged and split again."""
    notes = []
    moved = est.boundary_change[est.boundary_change.abs() >= 0.5]
    if len(moved):
        largest = moved.abs().sort_values(ascending=False, kind="stable").index[:12]
        listed = ", ".join(f"{m} {y} ({format_signed(moved[(m, y)])})" for m, y in largest)
        if len(moved) > len(largest):
            listed = _("{listed} and {count} smaller").format(listed=listed, count=len(moved) - len(largest))
        notes.append(
            _(
                "Border changes (people who changed municipality because the border moved, effective 1 January the "
                "next year) are a component of their own, not migration: {listed}. Registered for Telemark (SSB "
                "01223), elsewhere SSB 06913's 2011–2025 deviation placed in its largest year (estimated)."
            ).format(listed=listed)
        )
    split = [c for c in merged_split_municipalities(population_flags) if c in codes]
    if split:
        notes.append(
            _(
                "{codes}: merged and split again; where the 1 January stocks are fixed shares of the merged "
                "municipality, net migration cannot be estimated and is left out (the residual shows the difference). "
                "Leave these years out of comparisons and rankings."
            ).format(codes=", ".join(split))
        )
    return notes


def _municipality_name(code: str) -> str:
    from blilyst.errors import UnknownMunicipality
    from blilyst.stats.register import get_register

    try:
        return get_register().get(code).name
    except UnknownMunicipality:
        return code


def _mark_estimated_stocks(src: pd.DataFrame, population_flags: pd.DataFrame, codes: list[str]) -> list[str]:
    """Mark the 1 January stocks that are themselves estimates in ``src`` (in place); a note per municipality."""
    from blilyst.stats.snapshot import population_flag_text

    for f in population_flags.to_dict("records"):
        for y in range(int(f["year_from"]), int(f["year_to"]) + 1):
            if (f["municipality"], y) in src.index:
                src.loc[(f["municipality"], y), "population_start"] = ESTIMATED
            if (f["municipality"], y - 1) in src.index:
                src.loc[(f["municipality"], y - 1), "population_end"] = ESTIMATED
    notes = []
    for key, rows in population_flags.groupby("municipality"):
        code = str(key)
        if code in codes:
            spans = ", ".join(f"{r['year_from']}-{r['year_to']}" for r in rows.to_dict("records"))
            name = _municipality_name(code)
            first = rows.iloc[0]
            flags = population_flag_text(name, int(first["year_from"]), int(first["year_to"]), str(first["note"]))
            notes.append(
                _("{code}: 1 January population {years} is an estimate ({note}).").format(
                    code=code, years=spans, note=flags.rstrip(".")
                )
            )
    return notes


def _long_totals(est: pd.DataFrame, src: pd.DataFrame) -> pd.DataFrame:
    """The account long (municipality, year, component, value, source), components in their fixed order."""
    cols = list(COMPONENTS)
    long = cast(pd.Series, est[cols].stack(future_stack=True)).rename("value").reset_index()
    long = long.rename(columns={"level_2": "component"})
    long["source"] = src[cols].stack(future_stack=True).to_numpy()
    long = long.dropna(subset=["value"]).reset_index(drop=True)
    long["component"] = pd.Categorical(long.component, categories=cols, ordered=True)
    long = long.sort_values(["municipality", "year", "component"], kind="stable").reset_index(drop=True)
    long["component"] = long.component.astype(str)
    return long


def _apply_registered_components(est: pd.DataFrame, src: pd.DataFrame, components: pd.DataFrame) -> str | None:
    """Put registered annual components into ``est``/``src`` (indexed by municipality, year) in place,
    re-close those rows with the residual and return a note (``None`` if none of the rows is covered)."""
    missing = {"municipality", "year", "component", "persons"} - set(components.columns)
    if missing:
        raise InputError("components_annual", _("missing columns {columns}").format(columns=", ".join(sorted(missing))))
    reg = components.assign(year=components.year.astype(int)).pivot_table(
        index=["municipality", "year"], columns="component", values="persons", aggfunc="sum"
    )
    reg = reg.loc[reg.index.intersection(est.index)]
    reg = reg.reindex(
        columns=["births", "deaths", "immigration", "emigration", "domestic_in", "domestic_out", "net_migration"]
    )
    reg = reg.dropna(how="all")
    if reg.empty:
        return None

    def put(col: str, values: pd.Series) -> None:
        values = values.dropna()
        est.loc[values.index, col] = values.astype(float)
        src.loc[values.index, col] = REGISTERED

    for col in ("births", "deaths", "net_migration", "domestic_in", "domestic_out"):
        put(col, reg[col])
    put("domestic_net", reg.domestic_in - reg.domestic_out)
    put("international_net", reg.immigration - reg.emigration)
    put("in_migration", reg.domestic_in + reg.immigration)
    put("out_migration", reg.domestic_out + reg.emigration)
    idx = reg.index
    # net migration registered, the split not: international = net - domestic (registered if both are)
    split = est.loc[idx, "net_migration"] - est.loc[idx, "domestic_net"]
    split = split[reg.immigration.isna() | reg.emigration.isna()].dropna()
    est.loc[split.index, "international_net"] = split
    both = (src.loc[split.index, "net_migration"] == REGISTERED) & (src.loc[split.index, "domestic_net"] == REGISTERED)
    src.loc[split.index, "international_net"] = np.where(both, REGISTERED, ESTIMATED)
    est.loc[idx, "natural_increase"] = est.loc[idx, "births"] - est.loc[idx, "deaths"]
    src.loc[idx, "natural_increase"] = np.where(
        (src.loc[idx, "births"] == REGISTERED) & (src.loc[idx, "deaths"] == REGISTERED), REGISTERED, ESTIMATED
    )
    est.loc[idx, "residual"] = (
        est.loc[idx, "population_end"]
        - est.loc[idx, "population_start"]
        - est.loc[idx, "natural_increase"]
        - est.loc[idx, "net_migration"].fillna(0.0)
        - est.loc[idx, "boundary_change"]
    )
    # from registered figures only (SSB's own restledd) when every term is registered
    parts = src.loc[idx, ["population_start", "population_end", "natural_increase", "net_migration"]]
    src.loc[idx, "residual"] = np.where((parts == REGISTERED).all(axis=1), REGISTERED, ESTIMATED)
    have = [c for c in reg.columns if reg[c].notna().any()]
    years = sorted({y for _, y in idx})
    return ngettext(
        "Registered {components} from SSB's population change table (06913/01223) for {count} municipality-year "
        "({first}–{last}); other municipality-years are estimated. The residual closes those accounts (registered "
        "components against the 1 January stocks; SSB's restledd).",
        "Registered {components} from SSB's population change table (06913/01223) for {count} municipality-years "
        "({first}–{last}); other municipality-years are estimated. The residual closes those accounts (registered "
        "components against the 1 January stocks; SSB's restledd).",
        len(idx),
    ).format(
        components=", ".join(_(COMPONENT_WORDS[c]) if c in COMPONENT_WORDS else c for c in have),
        count=len(idx),
        first=years[0],
        last=years[-1],
    )


def accounts_from_snapshot(
    municipalities: list[str] | None = None,
    years: tuple[int, int] | list[int] | None = None,
    snapshot: Snapshot | None = None,
    method: str = "forward",
) -> Accounts:
    """:func:`build_accounts` on the loaded snapshot (bundled, or local after ``blilyst data refresh``)."""
    if snapshot is None:
        from blilyst.stats.snapshot import load_snapshot

        snapshot = load_snapshot()
    return build_accounts(
        snapshot.population,
        snapshot.mortality,
        migration_by_age=snapshot.migration_by_age,
        population_flags=snapshot.population_flags,
        components_annual=snapshot.components_annual,
        boundary_changes=snapshot.boundary_changes,
        municipalities=municipalities,
        years=years,
        method=method,
        migration_scope=migration_scope_of(snapshot),
    )


def migration_scope_of(snapshot: Snapshot) -> str:
    """``"all"`` for the Telemark file (it includes international moves, see docs/accounts.md),
    ``"domestic"`` for SSB 09588 fetched by ``blilyst data refresh``."""
    src = snapshot.sources()
    row = src[src.dataset == "migration_by_age"]
    if row.empty:
        return "all"
    text = f"{row.source_file.iloc[0]} {row.ssb_table.iloc[0]}".lower()
    return "all" if "telemark" in text or "type" in text else "domestic"


# --------------------------------------------------------------------------- validation


def compare_with_period_sums(
    accounts: Accounts, components: pd.DataFrame, first: int = 2011, last: int = 2025, exclude: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Estimated natural increase and net migration summed over ``first..last`` against SSB's sums.

    ``components`` is the statman extract of SSB table 06913 (snapshot.components_2011_2025).
    Rows flagged not comparable by SSB's boundary changes, and the ``exclude`` codes, are dropped.
    Returns one row per municipality with the estimated and registered sums, the errors in
    persons and in per cent of the population on 1 January ``first``.
    """
    years = list(range(first, last + 1))
    missing = [y for y in years if y not in accounts.years]
    if missing:
        raise InputError(
            "years",
            _("the accounts lack {years}; build them for {first}–{last}").format(
                years=", ".join(map(str, missing)), first=first, last=last
            ),
        )
    w = accounts.wide()
    w = w[w.year.isin(years)]
    # use the estimated residual figures, not registered migration, so every municipality is treated alike
    tot = accounts.residual.totals()
    tot = tot[tot.year.isin(years)]
    est = tot.groupby("municipality").agg(
        births=("births", "sum"), deaths=("deaths", "sum"), net_migration_est=("net_migration", "sum")
    )
    est["natural_increase_est"] = est.births - est.deaths
    start = w[w.year == first].set_index("municipality").population_start.rename("population_start")
    reg = components.set_index("municipality")
    out = est.join(start).join(reg[["natural_increase_sum", "net_migration_sum", "comparable"]], how="inner")
    out = out[out.comparable.astype(bool) & ~out.index.isin(list(exclude))]
    out["natural_increase_error"] = out.natural_increase_est - out.natural_increase_sum
    out["net_migration_error"] = out.net_migration_est - out.net_migration_sum
    out["natural_increase_error_pct"] = 100 * out.natural_increase_error / out.population_start
    out["net_migration_error_pct"] = 100 * out.net_migration_error / out.population_start
    return out.reset_index()


def registered_period(components: pd.DataFrame, municipality: str) -> dict[str, Any] | None:
    """SSB's registered 2011–2025 sums for one municipality (statman extract of 06913), or None."""
    row = components[components.municipality == municipality]
    if row.empty:
        return None
    r = row.iloc[0]
    return {
        "natural_increase_sum": float(r.natural_increase_sum),
        "net_migration_sum": float(r.net_migration_sum),
        "comparable": bool(r.comparable),
    }
