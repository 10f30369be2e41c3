"""The guidance's headline facts, computed from the data instead of quoted.

The guidance ("Drømmen om å bli flere") states, for 2012, that 300 municipalities grew and that
nearly half of them would have shrunk without immigration; it speaks of who moves and at what
age. These functions compute the same kinds of facts for every year and municipality in the
snapshot and return a labelled frame with an explanation in the active language (gettext), saying
which parts are estimated.

* :func:`growth_without_migration`: per year, how many municipalities grew and how many of those
  had more deaths than births (estimated), i.e. grew only because of net migration; and, where
  the immigrant population by reason is available (2006–2021), how many grew by less than their
  immigrant population did, i.e. would have shrunk without the growth in immigrants (proxy for
  "without immigration").
* :func:`change_components`: how births, deaths and migration made up the population change over
  the last ten years, nationally or for chosen municipalities.
* :func:`migration_age_profile`: who arrives and who leaves, by age group (registered moves where
  the data have them, the Telemark file offline; estimated net migration by age otherwise).

Sources: SSB 07459 (population), SSB/IMDi immigrants by reason for immigration (Telemark
fylkeskommune's extract), SSB migration by age (Telemark fylkeskommune), HMD mortality; methods
in :mod:`blilyst.demography.accounts` and :mod:`blilyst.demography.residual`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from blilyst.demography.accounts import Accounts
from blilyst.errors import InputError
from blilyst.i18n import format_number, format_percent, format_signed, ngettext
from blilyst.i18n import gettext as _

#: A sentence built on figures this many years old or older says how old they are (as blilyst.plan.texts).
STALE_AFTER_YEARS = 3

#: Age groups (age at the end of the year) for the migration age profile.
AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 5, "0-5"),
    (6, 15, "6-15"),
    (16, 19, "16-19"),
    (20, 24, "20-24"),
    (25, 29, "25-29"),
    (30, 39, "30-39"),
    (40, 49, "40-49"),
    (50, 66, "50-66"),
    (67, 105, "67+"),
)


@dataclass
class Fact:
    """A computed fact: a labelled frame and its explanation in the language active when it was computed."""

    key: str
    frame: pd.DataFrame
    text: str
    estimated: list[str] = field(default_factory=list)  # which figures are estimated
    sources: list[str] = field(default_factory=list)


def _fmt(n: float) -> str:
    return format_number(n)


def _names(codes: list[str]) -> str:
    """Municipalities as readers know them ("Dyrøy", not "5528"); a code the register lacks stays a code."""
    from blilyst.errors import UnknownMunicipality
    from blilyst.stats.register import get_register

    register = get_register()

    def name(code: str) -> str:
        try:
            return register.get(code).name
        except UnknownMunicipality:
            return code

    return ", ".join(name(c) for c in codes)


def growth_without_migration(accounts: Accounts, immigrants: pd.DataFrame | None = None) -> Fact:
    """Per year: municipalities that grew, and how many of those would have shrunk without migration.

    ``immigrants`` is the stock of immigrants by reason (``municipality, year, reason, persons``,
    snapshot.immigrants_by_reason, 1 January); its ``all`` row gives the immigrant population whose
    change during the year is used as the proxy for net immigration.
    """
    w = accounts.wide()
    w["growth"] = w.population_end - w.population_start
    w["grew"] = w.growth > 0
    w["grew_only_by_migration"] = w.grew & (w.natural_increase < 0)
    per_year = w.groupby("year").agg(
        municipalities=("municipality", "size"),
        grew=("grew", "sum"),
        grew_only_by_migration=("grew_only_by_migration", "sum"),
    )
    sources = [_("SSB 07459 (population 1 January)"), _("HMD Norway (mortality), births and deaths estimated")]
    if immigrants is not None and len(immigrants):
        stock = immigrants[immigrants.reason == "all"].pivot_table(
            index="municipality", columns="year", values="persons", aggfunc="sum"
        )
        years = [int(y) for y in stock.columns if int(y) + 1 in stock.columns]
        rows = []
        for y in years:
            change = (stock[y + 1] - stock[y]).rename("immigrant_change")
            part = w[w.year == y].set_index("municipality").join(change, how="inner")
            if part.empty:
                continue
            grew = part[part.grew]
            rows.append({"year": y, "grew_only_by_immigrants": int((grew.growth - grew.immigrant_change < 0).sum())})
        if rows:
            per_year = per_year.join(pd.DataFrame(rows).set_index("year"))
            per_year["grew_only_by_immigrants"] = per_year.grew_only_by_immigrants.astype("Int64")
        sources.append(_("Immigrants by reason for immigration (SSB/IMDi, Telemark fylkeskommune's extract)"))
    per_year = per_year.reset_index()
    per_year["share_only_by_migration"] = per_year.grew_only_by_migration / per_year.grew.where(per_year.grew > 0)
    last = per_year.iloc[-1]
    y, n, g, m = int(last.year), int(last.municipalities), int(last.grew), int(last.grew_only_by_migration)
    text = _(
        "In {year}, {grew} of {total} municipalities grew. {only} of them had more deaths than births and grew "
        "only because more people moved in than out (births and deaths are estimated, not registered)."
    ).format(year=y, grew=_fmt(g), total=_fmt(n), only=_fmt(m))
    if "grew_only_by_immigrants" in per_year:
        known = per_year.dropna(subset=["grew_only_by_immigrants"])
        if len(known):
            k = known.iloc[-1]
            text += " " + ngettext(
                "In {year}, {grew} municipality grew; {shrunk} of them would have shrunk without the growth of "
                "their immigrant population.",
                "In {year}, {grew} municipalities grew; {shrunk} of them would have shrunk without the growth of "
                "their immigrant population.",
                int(k.grew),
            ).format(year=int(k.year), grew=_fmt(k.grew), shrunk=_fmt(k.grew_only_by_immigrants))
            # the immigrant stock ends years before today (1 January 2021): the sentence says how old it is
            age = dt.date.today().year - (int(k.year) + 1)
            if age >= STALE_AFTER_YEARS:
                text += " " + _(
                    "These figures are from {year}, {age} years ago; the pattern may have changed since."
                ).format(year=int(k.year) + 1, age=age)
                text += " " + _("Later years have no such figure ('–'): the immigrant figures end in {year}.").format(
                    year=int(k.year) + 1
                )
    return Fact(
        "growth_without_migration",
        per_year,
        text,
        estimated=["births", "deaths", "natural_increase", "grew_only_by_migration"],
        sources=sources,
    )


def change_components(
    accounts: Accounts,
    municipalities: list[str] | None = None,
    last_years: int = 10,
    immigrants: pd.DataFrame | None = None,
) -> Fact:
    """How births, deaths and migration made up the population change over the last ``last_years`` years.

    One row per municipality and one ``total`` row: population at the start and end, births,
    deaths, net migration and, where registered, in- and out-migration; each as persons, per 1 000
    residents at the start, and as a share of all flows (births + deaths + |net migration|).
    Domestic and international migration cannot be told apart in the bundled data: nationally,
    domestic moves cancel out, so the national net migration is international; per municipality
    the change of the immigrant population (2006–2021) is given as an indication where available.
    With registered domestic moves (SSB 09588 after a refresh) the frame has ``domestic_net``
    (registered) and ``international_net`` (estimated: net migration minus domestic).
    """
    years = accounts.years[-last_years:]
    if len(years) < last_years:
        raise InputError(
            "last_years",
            ngettext(
                "the accounts cover only {count} year", "the accounts cover only {count} years", len(accounts.years)
            ).format(count=len(accounts.years)),
        )
    w = accounts.wide()
    w = w[w.year.isin(years)]
    if municipalities is not None:
        w = w[w.municipality.isin(municipalities)]
        if w.empty:
            raise InputError(
                "municipalities",
                _("none of {codes} is in the accounts").format(codes=", ".join(map(str, municipalities))),
            )
    agg, not_comparable = _period_sums(w, national=municipalities is None)
    _add_rates(agg)
    if not_comparable and municipalities is not None:
        # the start stock is a fixed share of a merged municipality: the change from it is an artefact too
        agg.loc[[*not_comparable, "total"], ["change", "births_per_1000", "deaths_per_1000"]] = np.nan
    if immigrants is not None and len(immigrants):
        _add_immigrant_change(agg, immigrants, years)
    agg = agg.reset_index()
    first, last = years[0], years[-1]
    t = agg[agg.municipality == "total"].iloc[0]
    cells = accounts.totals[accounts.totals.year.isin(years)]
    if municipalities is not None:
        cells = cells[cells.municipality.isin(municipalities)]
    estimated_anywhere = set(cells.component[cells.source == "estimated"])
    registered_anywhere = set(cells.component[cells.source == "registered"])
    if not_comparable and municipalities is not None:
        text = _components_without_migration(t, first, last, _names(municipalities))
    else:
        text = _components_sentence(t, first, last, municipalities, bool({"births", "deaths"} & estimated_anywhere))
    if municipalities is None:
        text += " " + _("For the country as a whole domestic moves cancel out, so net migration is net immigration.")
    text += _border_and_split_notes(float(t.boundary_change), not_comparable, first, last)
    estimated, sources = _estimated_and_sources(estimated_anywhere, registered_anywhere)
    return Fact("change_components", agg, text, estimated=estimated, sources=sources)


def _period_sums(w: pd.DataFrame, *, national: bool) -> tuple[pd.DataFrame, list[str]]:
    """The accounts ``w`` summed over the period per municipality plus a ``total`` row, and the
    municipalities whose net migration is unknown in some year (``comparable`` False)."""
    # years whose stocks are fixed shares of a merged municipality have no net migration: the period
    # sum is then unknown for that municipality, not the sum of the other years
    unknown = w.net_migration.isna()
    # a year counts as registered only with a registered figure (a year left empty is not registered)
    w = w.assign(registered_net=~w.estimated.str.contains("net_migration") & ~unknown)
    agg = w.groupby("municipality").agg(
        population_start=("population_start", "first"),
        population_end=("population_end", "last"),
        births=("births", "sum"),
        deaths=("deaths", "sum"),
        net_migration=("net_migration", "sum"),
        boundary_change=("boundary_change", "sum"),
        residual=("residual", "sum"),
        registered_years=("registered_net", "sum"),
    )
    not_comparable = sorted(set(w.municipality[unknown]))
    agg["comparable"] = ~agg.index.isin(not_comparable)
    for col in ("domestic_net", "international_net"):
        if col in w.columns and w[col].notna().any():
            # only municipalities with registered domestic moves in every year get the split
            full = w.groupby("municipality")[col].apply(lambda s: s.notna().all())
            agg[col] = w.groupby("municipality")[col].sum().where(full)
    agg.loc["total"] = agg.drop(columns="comparable").sum(numeric_only=True)
    agg.loc["total", "comparable"] = True
    if not_comparable:
        if national:
            # summed over the country the fixed split of a merged municipality cancels out, so the
            # unexplained change of those years is net migration of the whole (Ålesund and Haram together)
            artefact = w.residual[unknown].sum()
            agg.loc["total", "net_migration"] += artefact
            agg.loc["total", "residual"] -= artefact
        else:
            agg.loc["total", ["net_migration", "residual"]] = np.nan
            agg.loc["total", "comparable"] = False
        agg.loc[not_comparable, ["net_migration", "residual"]] = np.nan
    agg["comparable"] = agg["comparable"].astype(bool)
    if "domestic_net" in agg and agg.domestic_net.iloc[:-1].isna().any():
        agg.loc["total", ["domestic_net", "international_net"]] = np.nan
    return agg, not_comparable


def _add_rates(agg: pd.DataFrame) -> None:
    """The change, and births, deaths and net migration per 1 000 at the start and as shares of all flows."""
    agg["change"] = agg.population_end - agg.population_start
    flows = agg.births + agg.deaths + agg.net_migration.abs()
    start = agg.population_start.where(agg.population_start > 0)
    for c in ("births", "deaths", "net_migration"):
        agg[f"{c}_per_1000"] = 1000 * agg[c] / start
        agg[f"{c}_share"] = agg[c].abs() / flows.where(flows > 0)


def _add_immigrant_change(agg: pd.DataFrame, immigrants: pd.DataFrame, years: list[int]) -> None:
    """The change of the immigrant population over the part of ``years`` the immigrant data cover."""
    stock = immigrants[immigrants.reason == "all"].pivot_table(
        index="municipality", columns="year", values="persons", aggfunc="sum"
    )
    inside = [y for y in years if y in stock.columns and y + 1 in stock.columns]
    if inside:
        ch = stock[inside[-1] + 1] - stock[inside[0]]
        if "apportioned" in immigrants:
            # a stock handed out by a fixed split of a merged municipality (Ålesund/Haram 2006–2021: half each) is
            # not the municipality's own figure: no change is given for it
            window = immigrants[immigrants.year.between(inside[0], inside[-1] + 1)]
            split = set(window.municipality[window.apportioned.astype(bool)])
            ch = ch.where(~ch.index.isin(split))
        agg["immigrant_change"] = ch.reindex(agg.index)
        agg.loc["total", "immigrant_change"] = ch.reindex(agg.index[:-1]).sum(min_count=1)
        agg["immigrant_change_years"] = f"{inside[0]}-{inside[-1]}"
        agg.loc[agg["immigrant_change"].isna(), "immigrant_change_years"] = None  # no figure, no years


def _estimated_and_sources(estimated_anywhere: set[str], registered_anywhere: set[str]) -> tuple[list[str], list[str]]:
    """Which components are estimated somewhere, and the sources the figures come from."""
    estimated: list[str] = [c for c in ("births", "deaths") if c in estimated_anywhere]
    if "net_migration" in estimated_anywhere:
        estimated.append("net_migration (where not registered)")
    if "international_net" in estimated_anywhere:
        estimated.append("international_net")
    sources = ["SSB 07459"]
    if {"births", "deaths"} & estimated_anywhere:
        sources.append(_("HMD Norway"))
    if {"births", "deaths"} & registered_anywhere:
        sources.append(_("SSB 01223 (registered components)"))
    if "net_migration" in registered_anywhere:
        sources.append(_("SSB migration by age (Telemark fylkeskommune)"))
    return estimated, sources


def _components_sentence(
    t: pd.Series, first: int, last: int, municipalities: list[str] | None, vital_estimated: bool
) -> str:
    """What made up the change: births, deaths and net migration, saying which figures are estimated."""
    scope = _("the municipalities") if municipalities is None else _names(municipalities)
    text = _(
        "{first}–{last} the population of {scope} changed by {change}: {births} births, {deaths} deaths "
        "and net migration of {net}."
    ).format(
        first=first,
        last=last,
        scope=scope,
        change=format_signed(float(t.change)),
        births=_fmt(float(t.births)),
        deaths=_fmt(float(t.deaths)),
        net=format_signed(float(t.net_migration)),
    )
    if vital_estimated:
        text += " " + _("Births and deaths are estimated where SSB's registered figures are not bundled.")
    else:
        text += " " + _("Births and deaths are registered (SSB 01223).")
    return (
        text
        + " "
        + _(
            "Net migration is estimated as a residual where not registered and includes domestic and "
            "international moves."
        )
    )


def _components_without_migration(t: pd.Series, first: int, last: int, scope: str) -> str:
    """The components sentence where net migration cannot be estimated for the period."""
    return _(
        "{first}–{last} {scope} had {births} births and {deaths} deaths (estimated where not registered). "
        "The population change and net migration for the period cannot be estimated from the population "
        "figures (see below)."
    ).format(
        first=first,
        last=last,
        scope=scope,
        births=_fmt(float(t.births)),
        deaths=_fmt(float(t.deaths)),
    )


def _border_and_split_notes(moved: float, not_comparable: list[str], first: int, last: int) -> str:
    """Sentences on border changes (never migration) and on merged-then-split municipalities."""
    out = ""
    if abs(moved) >= 0.5:
        out += " " + _(
            "Border changes moved {persons} people {first}–{last}; they are shown on their own and not "
            "counted as migration (SSB 01223/06913)."
        ).format(persons=format_signed(moved), first=first, last=last)
    if not_comparable:
        out += " " + _(
            "{codes}: merged with another municipality and split again; in the years whose population is a "
            "fixed share of the merged municipality, net migration cannot be estimated and is left out."
        ).format(codes=_names(not_comparable))
    return out


def _group(age: pd.Series) -> pd.Categorical:
    labels = pd.Series(index=age.index, dtype=object)
    for lo, hi, lab in AGE_GROUPS:
        labels[(age >= lo) & (age <= hi)] = lab
    return pd.Categorical(labels, categories=[g[2] for g in AGE_GROUPS], ordered=True)


def migration_age_profile(
    migration_by_age: pd.DataFrame | None = None,
    *,
    accounts: Accounts | None = None,
    municipalities: list[str] | None = None,
    years: list[int] | None = None,
) -> Fact:
    """Who arrives and who leaves, by age group.

    With registered moves (``migration_by_age``: the Telemark file offline) the frame has in-,
    out- and net migration and each group's share of all in- and out-migrants; otherwise the
    estimated net migration by age from ``accounts`` (residual method).
    """
    if migration_by_age is not None and municipalities is not None:
        have = migration_by_age[migration_by_age.municipality.isin(municipalities)]
        if have.empty:
            migration_by_age = None
    if migration_by_age is not None and len(migration_by_age):
        d = migration_by_age
        if municipalities is not None:
            d = d[d.municipality.isin(municipalities)]
        if years is not None:
            d = d[d.year.isin(years)]
        if d.empty:
            raise InputError("years", _("no registered moves for these municipalities and years"))
        common = int(d.groupby("year").age.max().min())
        d = d[d.age <= common]
        d = d.assign(age_group=_group(d.age))
        prof = d.groupby("age_group", observed=False)[["in_migration", "out_migration", "net_migration"]].sum()
        prof["in_share"] = prof.in_migration / prof.in_migration.sum()
        prof["out_share"] = prof.out_migration / prof.out_migration.sum()
        prof["source"] = "registered"
        prof = prof.reset_index()
        prof["age_group"] = prof.age_group.astype(str)
        y0, y1 = int(d.year.min()), int(d.year.max())
        top_in = prof.loc[prof.in_share.idxmax()]
        net_young = prof[prof.age_group.isin(["16-19", "20-24"])].net_migration.sum()
        text = _(
            "{first}–{last} (ages 0–{oldest}): most in-migrants are aged {ages} ({share} of all). Net migration at "
            "ages 16–24 is {net}. Registered moves (SSB, via Telemark fylkeskommune), including international moves."
        ).format(
            first=y0,
            last=y1,
            oldest=common,
            ages=top_in.age_group,
            share=format_percent(float(top_in["in_share"])),
            net=_fmt(net_young),
        )
        return Fact(
            "migration_age_profile",
            prof,
            text,
            estimated=[],
            sources=[_("SSB migration by age (Telemark fylkeskommune)")],
        )
    if accounts is None:
        raise InputError("accounts", _("give registered moves by age or accounts to estimate them from"))
    # years whose stocks are fixed shares of a merged municipality have no net migration (an artefact): left out
    f = accounts.residual_frame()
    if municipalities is not None:
        f = f[f.municipality.isin(municipalities)]
    if years is not None:
        f = f[f.year.isin(years)]
    left_out = sorted({int(y) for y in f.year[f.net_migration.isna()]})
    f = f[f.net_migration.notna()]
    if f.empty:
        raise InputError("municipalities", _("no estimates for these municipalities and years"))
    f = f.assign(age_group=_group(f.age))
    prof = f.groupby("age_group", observed=False)[["net_migration"]].sum().round(0)
    prof["source"] = "estimated"
    prof = prof.reset_index()
    prof["age_group"] = prof.age_group.astype(str)
    y0, y1 = int(f.year.min()), int(f.year.max())
    worst = prof.loc[prof.net_migration.idxmin()]
    if float(worst["net_migration"]) < 0:
        text = _(
            "{first}–{last}: the largest net out-migration is at ages {ages} ({net}). Estimated net migration "
            "(residual method); gross in- and out-migration are not in the offline data."
        ).format(first=y0, last=y1, ages=worst.age_group, net=format_signed(float(worst["net_migration"])))
    else:
        best = prof.loc[prof.net_migration.idxmax()]
        text = _(
            "{first}–{last}: more moved in than out at every age; the most at ages {ages} ({net}). Estimated net "
            "migration (residual method); gross in- and out-migration are not in the offline data."
        ).format(first=y0, last=y1, ages=best.age_group, net=format_signed(float(best["net_migration"])))
    if left_out:
        text += " " + _(
            "{years} are left out: the 1 January populations of those years are fixed shares of a merged "
            "municipality, so their difference is not migration."
        ).format(years=f"{left_out[0]}–{left_out[-1]}" if len(left_out) > 1 else str(left_out[0]))
    return Fact(
        "migration_age_profile",
        prof,
        text,
        estimated=["net_migration"],
        sources=["SSB 07459", _("HMD Norway")],
    )
