"""The needs analysis (the plan's section 1) for one municipality, computed once per process.

This module only puts together what the core already computes — :mod:`blilyst.plan.evidence` (key
figures, pyramid, who moves in and out, immigrants by reason, similar municipalities),
:mod:`blilyst.demography.accounts` (components of change, estimated where not registered),
:mod:`blilyst.demography.scenarios` (the pyramid in 20 years, workforce, the target-seeking answer) and
:mod:`blilyst.demography.attractiveness` — as :class:`~blilyst.plan.document.ChartSpec` charts, so that the
page and the exported plan show the same figures. No Django and no database here.

Everything is cached per process and per (municipality, scenario, language): the first visit to a
municipality costs about a second (a projection and the accounts), later visits only render HTML.
The attractiveness model is fitted once for all municipalities.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import altair as alt
import numpy as np
import pandas as pd

from blilyst.i18n import format_list, format_number, format_percent, format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan.diskcache import on_disk
from blilyst.plan.document import ChartSpec, Section, TableSpec
from blilyst.plan.texts import data_age_note
from blilyst.stats.credit import SSB_CREDIT
from blilyst.stats.snapshot import per_snapshot

if TYPE_CHECKING:
    from blilyst.demography.accounts import Accounts
    from blilyst.demography.attractiveness import AttractivenessModel
    from blilyst.demography.rates import RateSchedule
    from blilyst.demography.scenarios import ProjectionResult
    from blilyst.plan.competence import EmploymentTable
    from blilyst.plan.evidence import KeyFigures
    from blilyst.stats.register import Register
    from blilyst.stats.snapshot import Snapshot

SCENARIO_CHOICES = ("trend", "trend5", "zero-migration", "no-immigration", "low", "high")
HORIZON = 20
COMPONENT_YEARS = 10
REGISTERED_COMPONENT_YEARS = (2011, 2025)  # the snapshot's components_2011_2025, as in the key figures table
T = TypeVar("T")


def in_language(fn: Callable[..., T]) -> Callable[..., T]:
    """Run ``fn`` with the core's texts in its last argument's language (the cache keys include ``lang``)."""

    @functools.wraps(fn)
    def wrapper(*args: Any) -> T:
        with override(args[-1]):
            return fn(*args)

    return wrapper


def _projection_source() -> str:
    return SSB_CREDIT + "; " + _("projection by blilyst")


def snapshot() -> Snapshot:
    """The snapshot in use; a refresh in any process replaces it (and empties the caches below)."""
    from blilyst.stats.snapshot import load_snapshot

    return load_snapshot()


@functools.cache
def register() -> Register:
    from blilyst.stats.register import get_register

    return get_register()


# ------------------------------------------------------------------------------------ key figures


@per_snapshot(maxsize=1)
def _municipality_column() -> np.ndarray:
    """The snapshot's municipality codes as one NumPy array (read once per process)."""
    codes: np.ndarray = snapshot().population["municipality"].to_numpy()
    return codes


@per_snapshot(maxsize=512)
def population_rows(code: str) -> pd.DataFrame:
    """One municipality's population rows (a mask over the codes: ~20 ms, where sorting all 1.6 million
    rows once cost about half a second of the first page)."""
    rows: pd.DataFrame = snapshot().population.loc[_municipality_column() == code]
    return rows


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
def key_figures(code: str) -> KeyFigures:
    import dataclasses

    from blilyst.plan.evidence import key_figures as compute

    snap = snapshot()
    # the same snapshot with only this municipality's population rows (filtering all of them is the slow part)
    view = dataclasses.replace(snap, frames={**snap.frames, "population": population_rows(code)}, _cube=None)
    return compute(code, view)


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
def population_by_year(code: str) -> pd.DataFrame:
    return population_rows(code).groupby("year", as_index=False)[["population"]].sum()


# ---------------------------------------------------------------------------------- projections


@per_snapshot(maxsize=1)
def _rates() -> RateSchedule:
    """Rate schedules for all 357 municipalities (10-year window). The core estimates them from all
    municipalities anyway (for the county shrinkage), so one estimate serves every page."""
    from blilyst.demography.rates import estimate_rates

    return estimate_rates(None, window=10, snapshot=snapshot())


@per_snapshot(maxsize=4)
@on_disk(lambda: snapshot())
def _projection_all(scenario: str, years: int = HORIZON) -> ProjectionResult:
    """``scenario`` for all 357 municipalities at once (about a second, as fast as one municipality: the
    engine is vectorised across regions). The flows are dropped to keep the cache small (~13 MB)."""
    import dataclasses

    from blilyst.demography.scenarios import run_scenario

    rates = None if scenario == "trend5" else _rates()
    result = run_scenario(None, scenario, years, snapshot=snapshot(), rates=rates)
    return dataclasses.replace(result, engine=None)


@per_snapshot(maxsize=512)
def projection(code: str, scenario: str, years: int = HORIZON) -> ProjectionResult:
    """One municipality's slice of :func:`_projection_all` (a ProjectionResult with one region)."""
    import dataclasses

    full = _projection_all(scenario, years)
    r = full.codes.index(code)
    extra = None if full.extra_migrants is None else full.extra_migrants[:, r : r + 1].copy()
    # each municipality's own in-migrant ages (and where they come from) travel with its slice
    profile = full.profile
    if profile is not None and profile.ndim == 3:
        profile = profile[r].copy()
    more = dict(full.extra)
    infos = more.get("profile_infos")
    if isinstance(infos, list) and len(infos) == len(full.codes):
        more["profile_info"], more["profile_infos"] = infos[r], [infos[r]]
    # copies, so an evicted all-municipality projection is not kept alive by its slices
    return dataclasses.replace(
        full,
        codes=[code],
        names=[full.names[r]],
        population=full.population[:, r : r + 1].copy(),
        extra_migrants=extra,
        profile=profile,
        extra=more,
        intervals=None,
    )


def scenario_label(scenario: str, lang: str) -> str:
    from blilyst.demography.scenarios import SCENARIOS

    with override(lang):
        return SCENARIOS[scenario].title


def scenario_text(scenario: str, lang: str) -> str:
    from blilyst.demography.scenarios import SCENARIOS

    with override(lang):
        return SCENARIOS[scenario].description


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def population_chart(code: str, scenario: str, lang: str) -> ChartSpec:
    """Population on 1 January: registered years and the scenario's projection (dashed)."""
    name = register().get(code).name
    reg = population_by_year(code)
    proj = projection(code, scenario).summary()
    proj = proj.loc[proj["status"] == "projected", ["year", "population"]]
    kind_reg, kind_proj = _("Registered"), _("Projected")
    # stocks that are fixed shares of a merged municipality (Haram and Ålesund 2006–2023) are no registered figure
    kind_est = _("Estimated (fixed share of a merged municipality)")
    flags = snapshot().population_flags
    flags = flags[flags["municipality"] == code]
    estimated = reg["year"].map(lambda y: bool(((flags["year_from"] <= y) & (flags["year_to"] >= y)).any()))
    data = pd.concat(
        [reg.assign(kind=[kind_est if e else kind_reg for e in estimated]), proj.assign(kind=kind_proj)],
        ignore_index=True,
    )
    data["population"] = data["population"].round().astype(int)
    kinds = [kind_reg, kind_proj, *([kind_est] if estimated.any() else [])]
    label = scenario_label(scenario, lang)
    title = _("Population on 1 January, %(name)s: registered and projected (%(scenario)s)") % {
        "name": name,
        "scenario": label,
    }
    spec = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("population:Q", title=_("Persons"), scale=alt.Scale(zero=False)),
            color=alt.Color(
                "kind:N", title="", scale=alt.Scale(domain=kinds, range=["#1f5f8b", "#8a5a00", "#6b6b6b"][: len(kinds)])
            ),
            strokeDash=alt.StrokeDash(
                "kind:N", title="", scale=alt.Scale(domain=kinds, range=[[1, 0], [5, 3], [2, 2]][: len(kinds)])
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    first, last = reg[~estimated].iloc[0], reg.iloc[-1]  # the first registered year, not a fixed-share estimate
    end = proj.iloc[-1]
    alt_text = _(
        "Line of the population of %(name)s. It was %(first)s in %(first_year)d and %(last)s in %(last_year)d. "
        "In the scenario “%(scenario)s” it becomes %(end)s in %(end_year)d."
    ) % {
        "name": name,
        "first": format_number(first.population),
        "first_year": int(first.year),
        "last": format_number(last.population),
        "last_year": int(last.year),
        "scenario": label,
        "end": format_number(end.population),
        "end_year": int(end.year),
    }
    table = data.rename(columns={"year": _("Year"), "population": _("Population"), "kind": _("Status")})
    return ChartSpec(title, spec, alt_text, table, SSB_CREDIT, estimated=True)


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def pyramid_now(code: str, lang: str) -> ChartSpec:
    from blilyst.plan.evidence import pyramid_chart

    k = key_figures(code)
    return pyramid_chart(code, register().get(code).name, population_rows(code), k.year, lang)


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def pyramid_future(code: str, scenario: str, lang: str) -> ChartSpec:
    """The population pyramid at the end of the projection (estimated: it is a projection)."""
    from blilyst.axes import AGES, SEXES
    from blilyst.plan.evidence import pyramid_chart

    result = projection(code, scenario)
    year = int(result.years[-1])
    last = result.population[-1, 0]  # (sex, age)
    frame = pd.DataFrame(
        {
            "municipality": code,
            "year": year,
            "sex": [sex for sex in SEXES for _age in AGES],
            "age": [int(age) for _sex in SEXES for age in AGES],
            "population": last.reshape(-1).round(),
        }
    )
    chart = pyramid_chart(code, register().get(code).name, frame, year, lang)
    label = scenario_label(scenario, lang)
    title = chart.title + " " + _("(projected, %(scenario)s)") % {"scenario": label}
    return ChartSpec(title, chart.spec, chart.alt_text, chart.table, _projection_source(), estimated=True)


# --------------------------------------------------------------------------- components of change


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
def accounts(code: str) -> Accounts:
    from blilyst.demography.accounts import accounts_from_snapshot

    return accounts_from_snapshot([code], snapshot=snapshot())


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def components_chart(code: str, lang: str) -> ChartSpec:
    """Births, deaths and net migration in each of the last ten years; estimated figures marked."""
    name = register().get(code).name
    wide = accounts(code).wide(code).sort_values("year").tail(COMPONENT_YEARS)
    labels = {"births": _("Births"), "deaths": _("Deaths"), "net_migration": _("Net migration")}
    # people moved by a border change are neither births, deaths nor migration: a column of their own
    moved = wide["boundary_change"].fillna(0.0) if "boundary_change" in wide else pd.Series(0.0, index=wide.index)
    show_moved = bool((moved.abs() >= 0.5).any())
    long = []
    table_rows = []
    for row in wide.to_dict("records"):
        estimated = set(filter(None, (s.strip() for s in str(row["estimated"]).split(","))))
        mark = {c: (" *" if c in estimated else "") for c in [*labels, "boundary_change"]}
        for c, label in labels.items():
            value = -float(row[c]) if c == "deaths" else float(row[c])
            if math.isnan(value):  # no net migration in years whose stocks are fixed shares of a merged one
                continue
            long.append(
                {
                    "year": int(row["year"]),
                    "component": label,
                    "persons": round(value, 1),
                    "estimated": "beregnet" if c in estimated else "registrert",
                }
            )
        net_migration = float(row["net_migration"])
        cells = {
            _("Year"): int(row["year"]),
            labels["births"]: f"{format_number(float(row['births']))}{mark['births']}",
            labels["deaths"]: f"{format_number(float(row['deaths']))}{mark['deaths']}",
            labels["net_migration"]: "–"
            if math.isnan(net_migration)
            else f"{format_signed(net_migration)}{mark['net_migration']}",
        }
        if show_moved:
            by_border = float(row.get("boundary_change", 0.0) or 0.0)
            cells[_("Border change")] = f"{format_signed(by_border)}{mark['boundary_change']}"
        # a year whose stocks are fixed shares of a merged municipality has no real change either
        cells[_("Change")] = (
            "–"
            if math.isnan(net_migration)
            else format_signed(float(row["population_end"]) - float(row["population_start"]))
        )
        cells[_("Residual") + " *"] = format_signed(float(row["residual"]))
        table_rows.append(cells)
    data = pd.DataFrame(long)
    first, last = int(wide["year"].iloc[0]), int(wide["year"].iloc[-1])
    title = _("Why does the population change? %(name)s %(first)d–%(last)d") % {
        "name": name,
        "first": first,
        "last": last,
    }
    spec = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
            xOffset="component:N",
            y=alt.Y("persons:Q", title=_("Persons (deaths as minus)")),
            color=alt.Color(
                "component:N",
                title="",
                scale=alt.Scale(domain=list(labels.values()), range=["#2a7f62", "#6b6b6b", "#1f5f8b"]),
            ),
            opacity=alt.Opacity(
                "estimated:N",
                title="",
                scale=alt.Scale(domain=["registrert", "beregnet"], range=[1.0, 0.55]),
                legend=None,
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    births, deaths = wide["births"].sum(), wide["deaths"].sum()
    net = float(wide["net_migration"].sum(min_count=len(wide)))  # unknown if any year is
    change = int(wide["population_end"].iloc[-1] - wide["population_start"].iloc[0])
    alt_text = _(
        "Bars for births, deaths and net migration each year %(first)d–%(last)d. In total about %(births)s "
        "births, %(deaths)s deaths and net migration of %(net)s; the population changed by %(change)s."
    ) % {
        "first": first,
        "last": last,
        "births": format_number(births),
        "deaths": format_number(deaths),
        "net": "–" if math.isnan(net) else format_signed(net),
        "change": "–" if math.isnan(net) else format_signed(change),
    }
    if show_moved:
        alt_text += " " + _("Border changes moved %(moved)s people; they are not migration.") % {
            "moved": format_signed(float(moved.sum()))
        }
    table = pd.DataFrame(table_rows)
    return ChartSpec(title, spec, alt_text, table, SSB_CREDIT + "; " + _("HMD (mortality)"), estimated=True)


@in_language
def components_note(lang: str) -> str:
    return _(
        "* = estimated, not registered. Births and deaths are estimated from the youngest cohort and national "
        "mortality; net migration is estimated as a residual (cohort-survival method) where not registered. "
        "Residual = change − (births − deaths + net migration): what the estimates and the register do not "
        "explain (errors in the estimates, corrections in the population register)."
    )


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def migration_by_age_chart(code: str, lang: str) -> ChartSpec:
    """Who arrives and who leaves, by age: registered in- and out-migration where the snapshot has it
    (Telemark), otherwise net migration by age and sex over ten years, estimated by the residual method."""
    from blilyst.plan.evidence import migration_chart

    name = register().get(code).name
    registered = migration_chart(code, name, snapshot().migration_by_age, lang=lang)
    if registered is not None:
        return registered
    return net_migration_by_sex_chart(code, lang)


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def migration_by_sex_chart(code: str, lang: str) -> ChartSpec | None:
    """Where :func:`migration_by_age_chart` shows registered in- and out-migration by age (the Telemark file
    has no sex), the sex split as well: net migration by age and sex, estimated. ``None`` elsewhere (the
    first chart is then already by age and sex)."""
    mig = snapshot().migration_by_age
    if mig.loc[mig["municipality"] == code].empty:
        return None
    return net_migration_by_sex_chart(code, lang)


@per_snapshot(maxsize=512)
@in_language
def net_migration_by_sex_chart(code: str, lang: str) -> ChartSpec:
    """Net migration by ten-year age group and sex over the last ten years, estimated by the residual
    method (:meth:`blilyst.demography.accounts.Accounts.by_age`)."""
    name = register().get(code).name
    acc = accounts(code)
    years = acc.years[-COMPONENT_YEARS:]
    by_age = acc.by_age(code)
    net = by_age.loc[
        (by_age["component"] == "net_migration") & by_age["sex"].isin(["male", "female"]) & by_age["year"].isin(years)
    ].copy()
    # years whose stocks are fixed shares of a merged municipality have no net migration: the title names
    # the years the figures cover (Haram: 2024–2025)
    years = sorted(int(y) for y in net["year"].unique()) or years
    net["band"] = (net["age"].clip(upper=80) // 10) * 10
    grouped = net.groupby(["band", "sex"], as_index=False)[["value"]].sum()
    men, women = _("Males"), _("Females")
    grouped["sex_label"] = grouped["sex"].map({"male": men, "female": women})
    grouped["age"] = grouped["band"].map(lambda b: "80+" if b >= 80 else f"{b}–{b + 9}")
    order = list(dict.fromkeys(grouped.sort_values("band")["age"]))
    first, last = years[0], years[-1]
    title = _("Net migration by age and sex, %(name)s %(first)d–%(last)d (estimated)") % {
        "name": name,
        "first": first,
        "last": last,
    }
    spec = (
        alt.Chart(grouped.round({"value": 1}))
        .mark_bar()
        .encode(
            x=alt.X(
                "age:N",
                sort=order,
                title=_("Age at the end of the year"),
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset="sex_label:N",
            y=alt.Y("value:Q", title=_("Persons")),
            color=alt.Color(
                "sex_label:N", title="", scale=alt.Scale(domain=[men, women], range=["#1f5f8b", "#c2553a"])
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    pivot = grouped.pivot_table(index="band", columns="sex", values="value", aggfunc="sum").sort_index()
    by_band = pivot.sum(axis=1)
    top, bottom = int(by_band.idxmax()), int(by_band.idxmin())

    def lab(b: int) -> str:
        return "80+" if b >= 80 else f"{b}–{b + 9}"

    if by_band[top] <= 0:  # out-migration at every age (Vardø): never "most net in-migration" of a minus
        sentence = _(
            "Bars of estimated net migration by age and sex %(first)d–%(last)d. Net out-migration at every age: "
            "the least at ages %(top)s (%(top_n)s), the most at ages %(bottom)s (%(bottom_n)s)."
        )
    elif by_band[bottom] >= 0:
        sentence = _(
            "Bars of estimated net migration by age and sex %(first)d–%(last)d. Net in-migration at every age: "
            "the most at ages %(top)s (%(top_n)s), the least at ages %(bottom)s (%(bottom_n)s)."
        )
    else:
        sentence = _(
            "Bars of estimated net migration by age and sex %(first)d–%(last)d. Most net in-migration at ages "
            "%(top)s (%(top_n)s), most net out-migration at ages %(bottom)s (%(bottom_n)s)."
        )
    alt_text = sentence % {
        "first": first,
        "last": last,
        "top": lab(top),
        "top_n": format_signed(float(by_band[top])),
        "bottom": lab(bottom),
        "bottom_n": format_signed(float(by_band[bottom])),
    }
    table = pd.DataFrame(
        {
            _("Age"): [lab(int(b)) for b in pivot.index],
            men: [format_signed(v) for v in _column(pivot, "male")],
            women: [format_signed(v) for v in _column(pivot, "female")],
        }
    )
    return ChartSpec(title, spec, alt_text, table, SSB_CREDIT, estimated=True)


@dataclass(frozen=True)
class ImmigrationShare:
    change: float
    immigrant_change: float | None
    years: str | None
    net_migration: float
    natural_increase: float
    change_same_period: float | None = None  # population change over the immigrant figures' years
    moved_same_period: float = 0.0  # of which people moved by border changes (not migration)
    first_year: int = 0  # the years the components cover (stated in every sentence that uses them)
    last_year: int = 0
    registered: bool = False  # SSB's registered components (else the accounts, estimated where not registered)

    @property
    def share(self) -> float | None:
        """The growth of the immigrant population as a share of the population change over the same years
        (None without data or when the population did not grow then)."""
        if self.immigrant_change is None or not self.change_same_period or self.change_same_period <= 0:
            return None
        return self.immigrant_change / self.change_same_period


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
def immigration_share(code: str) -> ImmigrationShare:
    """Components over the last ten years and the change in the immigrant population (E's facts)."""
    from blilyst.demography.facts import change_components

    fact = change_components(
        accounts(code), [code], last_years=COMPONENT_YEARS, immigrants=snapshot().immigrants_by_reason
    )
    row = fact.frame.loc[fact.frame["municipality"] == code].iloc[0]
    imm = row.get("immigrant_change")
    known = imm is not None and not pd.isna(imm)
    years = str(row["immigrant_change_years"]) if known else None
    change_same_period = None
    moved_same_period = 0.0
    if known:
        # the immigrant stock changed from 1 January of the first year to 1 January after the last: compare
        # with the population change over exactly the same years
        first, last = (int(y) for y in str(years).split("-"))
        totals = population_by_year(code).set_index("year")["population"]
        if first in totals.index and last + 1 in totals.index:
            change_same_period = float(totals[last + 1] - totals[first])
            moved = snapshot().boundary_changes
            moved_same_period = float(
                moved.loc[(moved["municipality"] == code) & moved["year"].between(first, last), "persons"].sum()
            )
    years_covered = accounts(code).years[-COMPONENT_YEARS:]
    first_year, last_year = int(years_covered[0]), int(years_covered[-1])
    natural, net, registered = float(row["births"] - row["deaths"]), float(row["net_migration"]), False
    # one period for one figure: where SSB's registered components 2011–2025 exist (the key figures table
    # shows them), the sentence uses the same sums and years instead of an estimate over other years
    comp = snapshot().components_2011_2025
    mine = comp.loc[(comp["municipality"] == code) & comp["comparable"].astype(bool)]
    if not mine.empty:
        first_year, last_year = REGISTERED_COMPONENT_YEARS
        natural = float(mine["natural_increase_sum"].iloc[0])
        net = float(mine["net_migration_sum"].iloc[0])
        registered = True
    return ImmigrationShare(
        first_year=first_year,
        last_year=last_year,
        change=float(row["change"]),
        immigrant_change=float(imm) if known and imm is not None else None,
        years=years.replace("-", "–") if years else None,
        net_migration=net,
        natural_increase=natural,
        change_same_period=change_same_period,
        moved_same_period=moved_same_period,
        registered=registered,
    )


@in_language
def immigration_text(code: str, lang: str) -> str:
    """Births, deaths and migration over the last ten years, and the immigrant population's share of the
    growth, each with the years it covers."""
    s = immigration_share(code)
    period = {"first": s.first_year, "last": s.last_year}
    if s.natural_increase >= 0:
        text = _("In %(first)d–%(last)d there were more births than deaths (about %(natural)s),") % {
            **period,
            "natural": format_signed(s.natural_increase),
        }
    else:
        text = _("In %(first)d–%(last)d there were fewer births than deaths (about %(natural)s),") % {
            **period,
            "natural": format_signed(s.natural_increase),
        }
    if math.isnan(s.net_migration):
        text += " " + _(
            "and net migration cannot be estimated for those years: the population figures are fixed shares of "
            "a merged municipality."
        )
    elif s.registered:
        text += " " + _("and net migration was %(net)s (registered by Statistics Norway).") % {
            "net": format_signed(s.net_migration)
        }
    else:
        text += " " + _("and net migration was about %(net)s (estimated where not registered).") % {
            "net": format_signed(s.net_migration)
        }
    if s.immigrant_change is not None:
        text += " " + _("The immigrant population changed by %(change)s in %(years)s.") % {
            "change": format_signed(s.immigrant_change),
            "years": s.years,
        }
        # the stock is counted on 1 January after the last year of change
        stale = data_age_note(int(str(s.years).split("–")[-1]) + 1)
        if stale:
            text += " " + stale
        if s.share is not None and abs(s.moved_same_period) >= 0.5:
            # a border change is part of the growth but not migration: the sentence says how much (Tønsberg 2016)
            text += " " + _(
                "The population grew by %(growth)s in the same years (%(moved)s of them moved by border changes, "
                "not migration), so the growth of the immigrant population equals %(share)s of the growth."
            ) % {
                "growth": format_number(s.change_same_period or 0),
                "moved": format_signed(s.moved_same_period),
                "share": format_percent(s.share),
            }
        elif s.share is not None:
            text += " " + _(
                "The population grew by %(growth)s in the same years, so the growth of the immigrant population "
                "equals %(share)s of the growth."
            ) % {"growth": format_number(s.change_same_period or 0), "share": format_percent(s.share)}
        elif s.change_same_period is not None and s.change_same_period <= 0 < s.immigrant_change:
            text += " " + _("Without more immigrants the decline would have been larger.")
    return text


# ------------------------------------------------------------------------------ workforce outlook


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def workforce_chart(code: str, scenario: str, lang: str) -> ChartSpec:
    name = register().get(code).name
    labels = {"working_age": _("Aged 20–66"), "age_67_plus": _("Aged 67+"), "age_0_19": _("Aged 0–19")}
    summary = projection(code, scenario).summary()
    long = summary.melt(id_vars=["year"], value_vars=list(labels), var_name="group", value_name="persons")
    long["group"] = long["group"].map(labels)
    long["persons"] = long["persons"].round().astype(int)
    label = scenario_label(scenario, lang)
    title = _("The workforce ahead: %(name)s, %(scenario)s") % {"name": name, "scenario": label}
    spec = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("persons:Q", title=_("Persons")),
            color=alt.Color(
                "group:N",
                title="",
                scale=alt.Scale(domain=list(labels.values()), range=["#1f5f8b", "#c2553a", "#2a7f62"]),
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    base, end = summary.iloc[0], summary.iloc[-1]
    pick_years = [int(base.year), int(base.year) + 10, int(end.year)]
    rows = summary.loc[summary["year"].isin(pick_years)]
    table = pd.DataFrame(
        {
            _("Year"): rows["year"].astype(int),
            labels["age_0_19"]: [format_number(v) for v in rows["age_0_19"]],
            labels["working_age"]: [format_number(v) for v in rows["working_age"]],
            labels["age_67_plus"]: [format_number(v) for v in rows["age_67_plus"]],
            _("Older people per 100 of working age"): [format_number(100 * v) for v in rows["old_age_dependency"]],
        }
    )
    change = end.working_age - base.working_age
    alt_text = _(
        "Lines for the number aged 0–19, 20–66 and 67+ in %(name)s up to %(end_year)d. The working-age "
        "population goes from %(work_from)s to %(work_to)s (%(work_change)s), and those aged 67+ from "
        "%(old_from)s to %(old_to)s."
    ) % {
        "name": name,
        "end_year": int(end.year),
        "work_from": format_number(base.working_age),
        "work_to": format_number(end.working_age),
        "work_change": format_signed(change),
        "old_from": format_number(base.age_67_plus),
        "old_to": format_number(end.age_67_plus),
    }
    return ChartSpec(title, spec, alt_text, table, _projection_source(), estimated=True)


@per_snapshot(maxsize=512)
@in_language
def regional(code: str, lang: str) -> TableSpec:
    """Every key figure beside the neighbours, the labour-market region, the county and Norway
    (:func:`blilyst.plan.regions.regional_comparison`), once per municipality and language."""
    from blilyst.plan.regions import regional_comparison

    return regional_comparison(code, snapshot(), register(), lang)


def competence(code: str, scenario: str, lang: str, employment: EmploymentTable | None = None) -> Section:
    """Who leaves and who enters the working age (:mod:`blilyst.plan.competence`), with the latest jobs and
    employed residents the snapshot has, and by industry when the municipality entered ``employment``."""
    from blilyst.demography.commuting import commuting_for
    from blilyst.plan.competence import competence_section

    jobs = snapshot().jobs
    mine = jobs[jobs["municipality"] == code]
    latest = (
        (int(mine["year"].max()), float(mine.loc[mine["year"] == mine["year"].max(), "jobs"].sum()))
        if len(mine)
        else None
    )
    c = commuting_for(snapshot().commuting, code)
    employed = (c.year, c.employed_residents) if c is not None and c.employed_residents else None
    return competence_section(
        register().get(code).name,
        projection(code, scenario).summary(),
        scenario_label(scenario, lang),
        jobs=latest,
        employed_residents=employed,
        source=_projection_source(),
        employment=employment,
        lang=lang,
    )


@dataclass(frozen=True)
class TargetAnswer:
    per_year: float
    headline: str
    by_age: tuple[tuple[str, float], ...]
    top_age_group: str


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
@in_language
def target_seeking(code: str, lang: str) -> TargetAnswer:
    """ "To keep the workforce stable you need about N more in-migrants a year, mostly aged …" (D's solver)."""
    result = projection(code, "target-seeking")
    groups = result.extra_by_age_group()
    if result.extra_migrants is None or groups is None:
        raise ValueError("the target-seeking projection has no extra migrants")  # run_scenario always sets them
    per_year = float(result.extra_migrants[:, 0].mean())
    by_age = tuple((str(r["age_group"]), float(r["extra_migrants_per_year"])) for r in groups.to_dict("records"))
    adults = [(g, v) for g, v in by_age if g != "0-19"]
    top = (max if per_year >= 0 else min)(adults, key=lambda gv: gv[1])[0]
    return TargetAnswer(per_year, result.headline(lang)[0], by_age, top)


@in_language
def target_table(answer: TargetAnswer, lang: str) -> TableSpec:
    frame = pd.DataFrame(
        {
            _("Age"): [g.replace("-", "–") for g, _v in answer.by_age],
            _("More in-migrants a year"): [format_number(v, 1) for _g, v in answer.by_age],
        }
    )
    return TableSpec(
        _("Extra net in-migration a year that keeps the number aged 20–66 stable"),
        frame,
        _projection_source(),
        _("Estimated (target-seeking projection)."),
    )


# ------------------------------------------------------------------------- similar municipalities


@per_snapshot(maxsize=1)
@on_disk(lambda: snapshot())
def attractiveness() -> AttractivenessModel:
    from blilyst.demography.attractiveness import attractiveness_from_snapshot

    return attractiveness_from_snapshot(snapshot=snapshot(), register=register())


@per_snapshot(maxsize=1024)
@on_disk(lambda: snapshot())
@in_language
def comparison(code: str, peers: tuple[str, ...] | None, lang: str) -> TableSpec:
    """Similar municipalities (chosen automatically, or ``peers``) with their place in the attractiveness
    model (net migration beyond what job growth predicts, percentage points; estimated)."""
    from blilyst.plan.evidence import comparison_spec

    spec = comparison_spec(code, snapshot(), register().frame(), lang, list(peers) if peers is not None else None)
    model = attractiveness()
    frame = spec.frame.copy()
    codes = [cell.split(" ", 1)[0] for cell in frame.iloc[:, 0]]
    by_code = model.frame.set_index("municipality")
    values = []
    for c in codes:
        if c in by_code.index and bool(by_code.loc[c, "in_fit"]):
            r = by_code.loc[c]
            values.append(f"{format_signed(r.attractiveness, 1)} ({int(r.rank_in_class)}/{int(r.n_in_class)})")
        else:
            values.append("–")
    column = _("Attractiveness %(period)s (place in class)") % {"period": model.period}
    frame.insert(len(frame.columns) - 1, column, values)
    note = (
        spec.note
        + " "
        + _(
            "Attractiveness: net migration beyond what job growth explains, in percentage points "
            "(Telemarksforsking's model, %(equation)s); estimated."
        )
        % {"equation": model.equation()}
    )
    # a '–' in the column says why: the merged-then-split municipalities are left out of the model's fit
    names = [cell.split(" ", 1)[1] for cell, v in zip(frame.iloc[:, 0], values, strict=True) if v == "–"]
    if names:
        note += " " + _(
            "%(names)s: left out of the attractiveness model, since their populations before 2020 or 2024 are "
            "fixed shares of a merged municipality."
        ) % {"names": format_list(names)}
    return TableSpec(spec.title, frame, spec.source, note)


def peer_codes(code: str, peers: tuple[str, ...] | None) -> list[str]:
    table = comparison(code, peers, "nb")
    return [cell.split(" ", 1)[0] for cell in table.frame.iloc[1:, 0]]


@per_snapshot(maxsize=512)
@on_disk(lambda: snapshot())
def attractiveness_place(code: str) -> dict[str, Any] | None:
    model = attractiveness()
    row = model.frame.loc[model.frame["municipality"] == code]
    if row.empty or not bool(row["in_fit"].iloc[0]):
        return None
    r = row.iloc[0]
    return {
        "value": float(r["attractiveness"]),
        "rank": int(r["rank"]),
        "n": int(r["n"]),
        "rank_in_class": int(r["rank_in_class"]),
        "n_in_class": int(r["n_in_class"]),
        "centrality_class": int(r["centrality_class"]),
        "period": model.period,
        "estimated": str(r["net_migration_source"]) != "registered",
    }


@in_language
def attractiveness_text(code: str, lang: str) -> str:
    place = attractiveness_place(code)
    if place is None:
        return ""
    values = {
        "period": place["period"],
        "points": format_number(abs(place["value"]), 1),
        "rank_in_class": place["rank_in_class"],
        "n_in_class": place["n_in_class"],
        "centrality": place["centrality_class"],
        "rank": place["rank"],
        "n": place["n"],
    }
    if place["value"] >= 0:
        text = _(
            "In %(period)s the municipality's net migration was %(points)s percentage points above what job "
            "growth would predict. That is place %(rank_in_class)d of %(n_in_class)d in centrality class "
            "%(centrality)d (and %(rank)d of %(n)d nationally)."
        )
    else:
        text = _(
            "In %(period)s the municipality's net migration was %(points)s percentage points below what job "
            "growth would predict. That is place %(rank_in_class)d of %(n_in_class)d in centrality class "
            "%(centrality)d (and %(rank)d of %(n)d nationally)."
        )
    text %= values
    if place["estimated"]:
        text += " " + _("Net migration is estimated.")
    # the model's period ends years before the plan (jobs 2005–2015): the sentence says how old it is
    last = int(str(place["period"]).replace("–", "-").split("-")[-1])
    stale = data_age_note(last)
    if stale:
        text += " " + stale
    return text


@in_language
def reasons_table(code: str, lang: str) -> TableSpec | None:
    from dataclasses import replace

    from blilyst.plan.evidence import reasons_table as compute

    spec = compute(code, snapshot().immigrants_by_reason, lang)
    if spec is None:
        return None
    year = int(snapshot().immigrants_by_reason["year"].max())
    return replace(spec, note=" ".join(filter(None, [spec.note, data_age_note(year)])))


def all_charts(code: str, scenario: str, lang: str) -> list[ChartSpec]:
    """Every needs-analysis chart for the plan document, in page order."""
    return [
        c
        for c in (
            population_chart(code, scenario, lang),
            pyramid_now(code, lang),
            pyramid_future(code, scenario, lang),
            components_chart(code, lang),
            migration_by_age_chart(code, lang),
            migration_by_sex_chart(code, lang),
            workforce_chart(code, scenario, lang),
        )
        if c is not None
    ]


def _column(frame: pd.DataFrame, name: str) -> list[float]:
    """A column's values, zeros where the frame has no such column (no one of that sex moved)."""
    return [float(v) for v in frame[name]] if name in frame.columns else [0.0] * len(frame)


# ------------------------------------------------------------------------------ commuting


def _places(pairs: tuple[tuple[str, float], ...]) -> str:
    return format_list([f"{register().get(code).name} ({format_number(n)})" for code, n in pairs])


@functools.lru_cache(maxsize=512)
@in_language
def commuting_text(code: str, lang: str) -> str:
    """Where the employed residents work and who holds the municipality's jobs (SSB 03321), with the year."""
    from blilyst.demography.commuting import commuting_for

    c = commuting_for(snapshot().commuting, code)
    if c is None or not c.employed_residents or not c.jobs:
        return ""
    name = register().get(code).name
    text = _(
        "In {year} {employed} people living in {name} had a job; {local} of them ({share}) worked in the "
        "municipality, and most of the others in {places}."
    ).format(
        year=c.year,
        employed=format_number(c.employed_residents),
        name=name,
        local=format_number(c.work_locally),
        share=format_percent(c.local_share),
        places=_places(c.out_to),
    )
    text += " " + _(
        "Of the {jobs} jobs in the municipality, {share} were held by people living elsewhere, most of them in "
        "{places} (SSB 03321)."
    ).format(jobs=format_number(c.jobs), share=format_percent(c.in_commuter_share), places=_places(c.in_from))
    note = data_age_note(c.year)
    return f"{text} {note}" if note else text
