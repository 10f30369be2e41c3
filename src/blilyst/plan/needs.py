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
from dataclasses import dataclass

import altair as alt
import pandas as pd

from blilyst.plan.diskcache import on_disk
from blilyst.plan.document import SSB_CREDIT, ChartSpec, TableSpec
from blilyst.plan.texts import fmt_int, fmt_pct, pick

SCENARIO_CHOICES = ("trend", "trend5", "zero-migration", "no-immigration", "low", "high")
HORIZON = 20
COMPONENT_YEARS = 10


def _nb(lang: str) -> bool:
    return lang != "en"


@functools.lru_cache(maxsize=1)
def snapshot():
    from blilyst.stats.snapshot import load_snapshot

    return load_snapshot()


@functools.lru_cache(maxsize=1)
def register():
    from blilyst.stats.register import get_register

    return get_register()


# ------------------------------------------------------------------------------------ key figures


@functools.lru_cache(maxsize=1)
def _municipality_column():
    """The snapshot's municipality codes as one NumPy array (read once per process)."""
    return snapshot().population["municipality"].to_numpy()


@functools.lru_cache(maxsize=512)
def population_rows(code: str) -> pd.DataFrame:
    """One municipality's population rows (a mask over the codes: ~20 ms, where sorting all 1.6 million
    rows once cost about half a second of the first page)."""
    return snapshot().population.loc[_municipality_column() == code]


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def key_figures(code: str):
    from types import SimpleNamespace

    from blilyst.plan.evidence import key_figures as compute

    snap = snapshot()
    view = SimpleNamespace(
        population=population_rows(code),
        components_2011_2025=snap.components_2011_2025,
        immigrants_by_reason=snap.immigrants_by_reason,
    )
    return compute(code, view)


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def population_by_year(code: str) -> pd.DataFrame:
    return population_rows(code).groupby("year", as_index=False)["population"].sum()


# ---------------------------------------------------------------------------------- projections


@functools.lru_cache(maxsize=1)
def _rates():
    """Rate schedules for all 357 municipalities (10-year window). The core estimates them from all
    municipalities anyway (for the county shrinkage), so one estimate serves every page."""
    from blilyst.demography.rates import estimate_rates

    return estimate_rates(None, window=10, snapshot=snapshot())


@functools.lru_cache(maxsize=4)
@on_disk(lambda: snapshot())
def _projection_all(scenario: str, years: int = HORIZON):
    """``scenario`` for all 357 municipalities at once (about a second, as fast as one municipality: the
    engine is vectorised across regions). The flows are dropped to keep the cache small (~13 MB)."""
    import dataclasses

    from blilyst.demography.scenarios import run_scenario

    kwargs = {} if scenario == "trend5" else {"rates": _rates()}
    result = run_scenario(None, scenario, years, snapshot=snapshot(), **kwargs)
    return dataclasses.replace(result, engine=None)


@functools.lru_cache(maxsize=512)
def projection(code: str, scenario: str, years: int = HORIZON):
    """One municipality's slice of :func:`_projection_all` (a ProjectionResult with one region)."""
    import dataclasses

    full = _projection_all(scenario, years)
    r = full.codes.index(code)
    extra = None if full.extra_migrants is None else full.extra_migrants[:, r : r + 1].copy()
    # copies, so an evicted all-municipality projection is not kept alive by its slices
    return dataclasses.replace(
        full,
        codes=[code],
        names=[full.names[r]],
        population=full.population[:, r : r + 1].copy(),
        extra_migrants=extra,
        intervals=None,
    )


def scenario_label(scenario: str, lang: str) -> str:
    from blilyst.demography.scenarios import SCENARIOS

    return pick(SCENARIOS[scenario].title, lang)


def scenario_text(scenario: str, lang: str) -> str:
    from blilyst.demography.scenarios import SCENARIOS

    return pick(SCENARIOS[scenario].description, lang)


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def population_chart(code: str, scenario: str, lang: str) -> ChartSpec:
    """Population on 1 January: registered years and the scenario's projection (dashed)."""
    nb = _nb(lang)
    name = register().get(code).name
    reg = population_by_year(code)
    proj = projection(code, scenario).summary()
    proj = proj.loc[proj["status"] == "projected", ["year", "population"]]
    kind_reg, kind_proj = ("Registrert", "Framskrevet") if nb else ("Registered", "Projected")
    data = pd.concat([reg.assign(kind=kind_reg), proj.assign(kind=kind_proj)], ignore_index=True)
    data["population"] = data["population"].round().astype(int)
    label = scenario_label(scenario, lang)
    title = (
        f"Folketall 1. januar, {name}: registrert og framskrevet ({label})"
        if nb
        else f"Population on 1 January, {name}: registered and projected ({label})"
    )
    spec = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="År" if nb else "Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("population:Q", title="Personer" if nb else "Persons", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "kind:N", title="", scale=alt.Scale(domain=[kind_reg, kind_proj], range=["#1f5f8b", "#8a5a00"])
            ),
            strokeDash=alt.StrokeDash(
                "kind:N", title="", scale=alt.Scale(domain=[kind_reg, kind_proj], range=[[1, 0], [5, 3]])
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    first, last = reg.iloc[0], reg.iloc[-1]
    end = proj.iloc[-1]
    alt_text = (
        f"Linje for folketallet i {name}. Det var {fmt_int(first.population, lang)} i {int(first.year)} og "
        f"{fmt_int(last.population, lang)} i {int(last.year)}. Med scenarioet «{label}» blir det "
        f"{fmt_int(end.population, lang)} i {int(end.year)}."
        if nb
        else f"Line of the population of {name}. It was {fmt_int(first.population, lang)} in {int(first.year)} "
        f"and {fmt_int(last.population, lang)} in {int(last.year)}. In the scenario '{label}' it becomes "
        f"{fmt_int(end.population, lang)} in {int(end.year)}."
    )
    table = data.rename(
        columns={"year": "År" if nb else "Year", "population": "Folketall" if nb else "Population", "kind": "Status"}
    )
    return ChartSpec(title, spec, alt_text, table, SSB_CREDIT, estimated=True)


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def pyramid_now(code: str, lang: str) -> ChartSpec:
    from blilyst.plan.evidence import pyramid_chart

    k = key_figures(code)
    return pyramid_chart(code, register().get(code).name, population_rows(code), k.year, lang)


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
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
    title = chart.title + (f" (framskrevet, {label})" if _nb(lang) else f" (projected, {label})")
    source = SSB_CREDIT + ("; framskriving med blilyst" if _nb(lang) else "; projection by blilyst")
    return ChartSpec(title, chart.spec, chart.alt_text, chart.table, source, estimated=True)


# --------------------------------------------------------------------------- components of change


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def accounts(code: str):
    from blilyst.demography.accounts import accounts_from_snapshot

    return accounts_from_snapshot([code], snapshot=snapshot())


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def components_chart(code: str, lang: str) -> ChartSpec:
    """Births, deaths and net migration in each of the last ten years; estimated figures marked."""
    nb = _nb(lang)
    name = register().get(code).name
    wide = accounts(code).wide(code).sort_values("year").tail(COMPONENT_YEARS)
    labels = {
        "births": "Fødte" if nb else "Births",
        "deaths": "Døde" if nb else "Deaths",
        "net_migration": "Nettoinnflytting" if nb else "Net migration",
    }
    long = []
    table_rows = []
    for row in wide.itertuples(index=False):
        estimated = set(filter(None, (s.strip() for s in str(row.estimated).split(","))))
        mark = {c: (" *" if c in estimated else "") for c in labels}
        for c, label in labels.items():
            value = -float(getattr(row, c)) if c == "deaths" else float(getattr(row, c))
            long.append(
                {
                    "year": int(row.year),
                    "component": label,
                    "persons": round(value, 1),
                    "estimated": "beregnet" if c in estimated else "registrert",
                }
            )
        table_rows.append(
            {
                ("År" if nb else "Year"): int(row.year),
                labels["births"]: f"{fmt_int(row.births, lang)}{mark['births']}",
                labels["deaths"]: f"{fmt_int(row.deaths, lang)}{mark['deaths']}",
                labels["net_migration"]: f"{fmt_int(row.net_migration, lang)}{mark['net_migration']}",
                ("Endring" if nb else "Change"): fmt_int(row.population_end - row.population_start, lang),
                ("Rest *" if nb else "Residual *"): fmt_int(row.residual, lang),
            }
        )
    data = pd.DataFrame(long)
    first, last = int(wide["year"].iloc[0]), int(wide["year"].iloc[-1])
    title = (
        f"Hvorfor endrer folketallet seg? {name} {first}–{last}"
        if nb
        else f"Why does the population change? {name} {first}–{last}"
    )
    spec = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="År" if nb else "Year", axis=alt.Axis(labelAngle=0)),
            xOffset="component:N",
            y=alt.Y("persons:Q", title="Personer (døde som minus)" if nb else "Persons (deaths as minus)"),
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
    births, deaths, net = wide["births"].sum(), wide["deaths"].sum(), wide["net_migration"].sum()
    change = int(wide["population_end"].iloc[-1] - wide["population_start"].iloc[0])
    alt_text = (
        f"Søyler for fødte, døde og nettoinnflytting hvert år {first}–{last}. Til sammen om lag "
        f"{fmt_int(births, lang)} fødte, {fmt_int(deaths, lang)} døde og {fmt_int(net, lang)} i "
        f"nettoinnflytting; folketallet endret seg med {fmt_int(change, lang)}."
        if nb
        else f"Bars for births, deaths and net migration each year {first}–{last}. In total about "
        f"{fmt_int(births, lang)} births, {fmt_int(deaths, lang)} deaths and net migration of "
        f"{fmt_int(net, lang)}; the population changed by {fmt_int(change, lang)}."
    )
    table = pd.DataFrame(table_rows)
    return ChartSpec(
        title, spec, alt_text, table, SSB_CREDIT + ("; HMD (dødelighet)" if nb else "; HMD (mortality)"), estimated=True
    )


def components_note(lang: str) -> str:
    return (
        "* = beregnet, ikke registrert. Fødte og døde er anslått fra ettåringene og nasjonal dødelighet; "
        "nettoinnflytting er beregnet som restledd (kohort-overlevelsesmetoden) der den ikke er registrert. "
        "Rest = endring − (fødte − døde + nettoinnflytting): det anslagene og registeret ikke forklarer "
        "(feil i anslagene, korreksjoner i folkeregisteret)."
        if _nb(lang)
        else "* = estimated, not registered. Births and deaths are estimated from the youngest cohort and national "
        "mortality; net migration is estimated as a residual (cohort-survival method) where not registered. "
        "Residual = change − (births − deaths + net migration): what the estimates and the register do not "
        "explain (errors in the estimates, corrections in the population register)."
    )


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def migration_by_age_chart(code: str, lang: str) -> ChartSpec:
    """Who arrives and who leaves, by age: registered in- and out-migration where the snapshot has it
    (Telemark), otherwise net migration by age and sex over ten years, estimated by the residual method."""
    from blilyst.plan.evidence import migration_chart

    name = register().get(code).name
    registered = migration_chart(code, name, snapshot().migration_by_age, lang=lang)
    if registered is not None:
        return registered
    return net_migration_by_sex_chart(code, lang)


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def migration_by_sex_chart(code: str, lang: str) -> ChartSpec | None:
    """Where :func:`migration_by_age_chart` shows registered in- and out-migration by age (the Telemark file
    has no sex), the sex split as well: net migration by age and sex, estimated. ``None`` elsewhere (the
    first chart is then already by age and sex)."""
    mig = snapshot().migration_by_age
    if mig.loc[mig["municipality"] == code].empty:
        return None
    return net_migration_by_sex_chart(code, lang)


@functools.lru_cache(maxsize=512)
def net_migration_by_sex_chart(code: str, lang: str) -> ChartSpec:
    """Net migration by ten-year age group and sex over the last ten years, estimated by the residual
    method (:meth:`blilyst.demography.accounts.Accounts.by_age`)."""
    name = register().get(code).name
    nb = _nb(lang)
    acc = accounts(code)
    years = acc.years[-COMPONENT_YEARS:]
    by_age = acc.by_age(code)
    net = by_age.loc[
        (by_age["component"] == "net_migration") & by_age["sex"].isin(["male", "female"]) & by_age["year"].isin(years)
    ].copy()
    net["band"] = (net["age"].clip(upper=80) // 10) * 10
    grouped = net.groupby(["band", "sex"], as_index=False)["value"].sum()
    men, women = ("Menn", "Kvinner") if nb else ("Males", "Females")
    grouped["sex_label"] = grouped["sex"].map({"male": men, "female": women})
    grouped["age"] = grouped["band"].map(lambda b: "80+" if b >= 80 else f"{b}–{b + 9}")
    order = list(dict.fromkeys(grouped.sort_values("band")["age"]))
    first, last = years[0], years[-1]
    title = (
        f"Nettoinnflytting etter alder og kjønn, {name} {first}–{last} (beregnet)"
        if nb
        else f"Net migration by age and sex, {name} {first}–{last} (estimated)"
    )
    spec = (
        alt.Chart(grouped.round({"value": 1}))
        .mark_bar()
        .encode(
            x=alt.X(
                "age:N",
                sort=order,
                title="Alder ved utgangen av året" if nb else "Age at the end of the year",
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset="sex_label:N",
            y=alt.Y("value:Q", title="Personer" if nb else "Persons"),
            color=alt.Color(
                "sex_label:N", title="", scale=alt.Scale(domain=[men, women], range=["#1f5f8b", "#c2553a"])
            ),
        )
        .properties(width=480, height=240, title=title)
        .to_dict()
    )
    pivot = grouped.pivot_table(index="band", columns="sex", values="value", aggfunc="sum").sort_index()
    top = pivot.sum(axis=1).idxmax()
    bottom = pivot.sum(axis=1).idxmin()
    lab = lambda b: "80+" if b >= 80 else f"{b}–{b + 9}"  # noqa: E731
    alt_text = (
        f"Søyler for beregnet nettoinnflytting etter alder og kjønn {first}–{last}. Størst netto tilflytting "
        f"i alderen {lab(top)} år ({fmt_int(pivot.loc[top].sum(), lang)}), størst netto fraflytting i "
        f"alderen {lab(bottom)} år ({fmt_int(pivot.loc[bottom].sum(), lang)})."
        if nb
        else f"Bars of estimated net migration by age and sex {first}–{last}. Most net in-migration at ages "
        f"{lab(top)} ({fmt_int(pivot.loc[top].sum(), lang)}), most net out-migration at ages {lab(bottom)} "
        f"({fmt_int(pivot.loc[bottom].sum(), lang)})."
    )
    table = pd.DataFrame(
        {
            ("Alder" if nb else "Age"): [lab(b) for b in pivot.index],
            men: [fmt_int(v, lang) for v in pivot.get("male", 0)],
            women: [fmt_int(v, lang) for v in pivot.get("female", 0)],
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

    @property
    def share(self) -> float | None:
        """The growth of the immigrant population as a share of the population change over the same years
        (None without data or when the population did not grow then)."""
        if self.immigrant_change is None or not self.change_same_period or self.change_same_period <= 0:
            return None
        return self.immigrant_change / self.change_same_period


@functools.lru_cache(maxsize=512)
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
    if known:
        # the immigrant stock changed from 1 January of the first year to 1 January after the last: compare
        # with the population change over exactly the same years
        first, last = (int(y) for y in years.split("-"))
        totals = population_by_year(code).set_index("year")["population"]
        if first in totals.index and last + 1 in totals.index:
            change_same_period = float(totals[last + 1] - totals[first])
    return ImmigrationShare(
        change=float(row["change"]),
        immigrant_change=float(imm) if known else None,
        years=years.replace("-", "–") if years else None,
        net_migration=float(row["net_migration"]),
        natural_increase=float(row["births"] - row["deaths"]),
        change_same_period=change_same_period,
    )


def immigration_text(code: str, lang: str) -> str:
    s = immigration_share(code)
    nb = _nb(lang)
    text = (
        f"De siste ti årene ble det {'født flere enn det døde' if s.natural_increase >= 0 else 'født færre enn det døde'}"
        f" (om lag {fmt_int(s.natural_increase, lang)}), og nettoinnflyttingen var om lag "
        f"{fmt_int(s.net_migration, lang)} (beregnet der den ikke er registrert)."
        if nb
        else f"Over the last ten years there were {'more births than deaths' if s.natural_increase >= 0 else 'fewer births than deaths'}"
        f" (about {fmt_int(s.natural_increase, lang)}), and net migration was about {fmt_int(s.net_migration, lang)} "
        f"(estimated where not registered)."
    )
    if s.immigrant_change is not None:
        text += (
            f" Innvandrerbefolkningen endret seg med {fmt_int(s.immigrant_change, lang)} i {s.years}."
            if nb
            else f" The immigrant population changed by {fmt_int(s.immigrant_change, lang)} in {s.years}."
        )
        if s.share is not None:
            text += (
                f" Folketallet vokste med {fmt_int(s.change_same_period, lang)} i de samme årene, så veksten i "
                f"innvandrerbefolkningen tilsvarer {fmt_pct(s.share, lang)} av veksten."
                if nb
                else f" The population grew by {fmt_int(s.change_same_period, lang)} in the same years, so the growth "
                f"of the immigrant population equals {fmt_pct(s.share, lang)} of the growth."
            )
        elif s.change_same_period is not None and s.change_same_period <= 0 < s.immigrant_change:
            text += (
                " Uten flere innvandrere ville nedgangen vært større."
                if nb
                else " Without more immigrants the decline would have been larger."
            )
    return text


# ------------------------------------------------------------------------------ workforce outlook


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def workforce_chart(code: str, scenario: str, lang: str) -> ChartSpec:
    nb = _nb(lang)
    name = register().get(code).name
    labels = {
        "working_age": "20–66 år" if nb else "Aged 20–66",
        "age_67_plus": "67 år og eldre" if nb else "Aged 67+",
        "age_0_19": "0–19 år" if nb else "Aged 0–19",
    }
    summary = projection(code, scenario).summary()
    long = summary.melt(id_vars=["year"], value_vars=list(labels), var_name="group", value_name="persons")
    long["group"] = long["group"].map(labels)
    long["persons"] = long["persons"].round().astype(int)
    label = scenario_label(scenario, lang)
    title = f"Arbeidsstyrken framover: {name}, {label}" if nb else f"The workforce ahead: {name}, {label}"
    spec = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="År" if nb else "Year", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("persons:Q", title="Personer" if nb else "Persons"),
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
            ("År" if nb else "Year"): rows["year"].astype(int),
            labels["age_0_19"]: [fmt_int(v, lang) for v in rows["age_0_19"]],
            labels["working_age"]: [fmt_int(v, lang) for v in rows["working_age"]],
            labels["age_67_plus"]: [fmt_int(v, lang) for v in rows["age_67_plus"]],
            ("Eldre per 100 i arbeidsalder" if nb else "Older people per 100 of working age"): [
                f"{100 * v:.0f}" for v in rows["old_age_dependency"]
            ],
        }
    )
    change = end.working_age - base.working_age
    alt_text = (
        f"Linjer for antall 0–19 år, 20–66 år og 67 år og eldre i {name} fram til {int(end.year)}. "
        f"Antallet i arbeidsalder går fra {fmt_int(base.working_age, lang)} til {fmt_int(end.working_age, lang)}"
        f" ({'+' if change >= 0 else ''}{fmt_int(change, lang)}), og antallet 67 år og eldre fra "
        f"{fmt_int(base.age_67_plus, lang)} til {fmt_int(end.age_67_plus, lang)}."
        if nb
        else f"Lines for the number aged 0–19, 20–66 and 67+ in {name} up to {int(end.year)}. The working-age "
        f"population goes from {fmt_int(base.working_age, lang)} to {fmt_int(end.working_age, lang)} "
        f"({'+' if change >= 0 else ''}{fmt_int(change, lang)}), and those aged 67+ from "
        f"{fmt_int(base.age_67_plus, lang)} to {fmt_int(end.age_67_plus, lang)}."
    )
    source = SSB_CREDIT + ("; framskriving med blilyst" if nb else "; projection by blilyst")
    return ChartSpec(title, spec, alt_text, table, source, estimated=True)


@dataclass(frozen=True)
class TargetAnswer:
    per_year: float
    headline: str
    by_age: tuple[tuple[str, float], ...]
    top_age_group: str


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def target_seeking(code: str, lang: str) -> TargetAnswer:
    """ "To keep the workforce stable you need about N more in-migrants a year, mostly aged …" (D's solver)."""
    result = projection(code, "target-seeking")
    groups = result.extra_by_age_group()
    per_year = float(result.extra_migrants[:, 0].mean())
    by_age = tuple((str(r.age_group), float(r.extra_migrants_per_year)) for r in groups.itertuples())
    adults = [(g, v) for g, v in by_age if g != "0-19"]
    top = (max if per_year >= 0 else min)(adults, key=lambda gv: gv[1])[0]
    return TargetAnswer(per_year, result.headline(lang)[0], by_age, top)


def target_table(answer: TargetAnswer, lang: str) -> TableSpec:
    nb = _nb(lang)
    frame = pd.DataFrame(
        {
            ("Alder" if nb else "Age"): [g.replace("-", "–") for g, _ in answer.by_age],
            ("Flere innflyttere per år" if nb else "More in-migrants a year"): [
                f"{v:.1f}".replace(".", "," if nb else ".") for _, v in answer.by_age
            ],
        }
    )
    title = (
        "Ekstra netto innflytting per år som holder antallet 20–66 år stabilt"
        if nb
        else "Extra net in-migration a year that keeps the number aged 20–66 stable"
    )
    return TableSpec(
        title,
        frame,
        SSB_CREDIT + ("; framskriving med blilyst" if nb else "; projection by blilyst"),
        "Beregnet (målsøkende framskriving)." if nb else "Estimated (target-seeking projection).",
    )


# ------------------------------------------------------------------------- similar municipalities


@functools.lru_cache(maxsize=1)
@on_disk(lambda: snapshot())
def attractiveness():
    from blilyst.demography.attractiveness import attractiveness_from_snapshot

    return attractiveness_from_snapshot(snapshot=snapshot(), register=register())


@functools.lru_cache(maxsize=1024)
@on_disk(lambda: snapshot())
def comparison(code: str, peers: tuple[str, ...] | None, lang: str) -> TableSpec:
    """Similar municipalities (chosen automatically, or ``peers``) with their place in the attractiveness
    model (net migration beyond what job growth predicts, percentage points; estimated)."""
    from blilyst.plan.evidence import comparison_spec

    spec = comparison_spec(code, snapshot(), register().frame(), lang, list(peers) if peers is not None else None)
    model = attractiveness()
    frame = spec.frame.copy()
    codes = [cell.split(" ", 1)[0] for cell in frame.iloc[:, 0]]
    by_code = model.frame.set_index("municipality")
    nb = _nb(lang)
    values = []
    for c in codes:
        if c in by_code.index and bool(by_code.loc[c, "in_fit"]):
            r = by_code.loc[c]
            values.append(
                f"{r.attractiveness:+.1f} ({int(r.rank_in_class)}/{int(r.n_in_class)})".replace(".", "," if nb else ".")
            )
        else:
            values.append("–")
    column = (
        f"Attraktivitet {model.period} (plass i klassen)" if nb else f"Attractiveness {model.period} (place in class)"
    )
    frame.insert(len(frame.columns) - 1, column, values)
    note = spec.note + (
        " Attraktivitet: nettoinnflytting utover det jobbveksten forklarer, i prosentpoeng "
        f"(Telemarksforskings modell, {model.equation()}); beregnet."
        if nb
        else " Attractiveness: net migration beyond what job growth explains, in percentage points "
        f"(Telemarksforsking's model, {model.equation()}); estimated."
    )
    return TableSpec(spec.title, frame, spec.source, note)


def peer_codes(code: str, peers: tuple[str, ...] | None) -> list[str]:
    table = comparison(code, peers, "nb")
    return [cell.split(" ", 1)[0] for cell in table.frame.iloc[1:, 0]]


@functools.lru_cache(maxsize=512)
@on_disk(lambda: snapshot())
def attractiveness_place(code: str) -> dict | None:
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


def attractiveness_text(code: str, lang: str) -> str:
    place = attractiveness_place(code)
    if place is None:
        return ""
    nb = _nb(lang)
    better = place["value"] >= 0
    v = f"{abs(place['value']):.1f}".replace(".", "," if nb else ".")
    if nb:
        return (
            f"I perioden {place['period']} hadde kommunen en nettoinnflytting som lå {v} prosentpoeng "
            f"{'over' if better else 'under'} det jobbveksten skulle tilsi. Det gir plass "
            f"{place['rank_in_class']} av {place['n_in_class']} i sentralitetsklasse {place['centrality_class']} "
            f"(og {place['rank']} av {place['n']} i landet)."
            + (" Nettoinnflyttingen er beregnet." if place["estimated"] else "")
        )
    return (
        f"In {place['period']} the municipality's net migration was {v} percentage points "
        f"{'above' if better else 'below'} what job growth would predict. That is place {place['rank_in_class']} "
        f"of {place['n_in_class']} in centrality class {place['centrality_class']} (and {place['rank']} of "
        f"{place['n']} nationally)." + (" Net migration is estimated." if place["estimated"] else "")
    )


def reasons_table(code: str, lang: str) -> TableSpec | None:
    from blilyst.plan.evidence import reasons_table as compute

    return compute(code, snapshot().immigrants_by_reason, lang)


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
