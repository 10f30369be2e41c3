"""The needs analysis for one municipality from the bundled snapshot: key figures, charts, comparison.

Success factor 1 of *Drømmen om å bli flere* is a needs analysis — often it is a matter of saying out loud
what one already knows, with the figures in front of everyone. This module turns the snapshot into that
part of the plan: population now and ten years ago, the age structure, who moves in and out by age
(Telemark municipalities, where the bundled data have migration by age), the immigrant population by
reason, and the components of change 2011–2025 (natural increase and net migration). Every chart comes
with its data table, a text alternative and its source.

:func:`build_plan` puts it together with the other parts into a :class:`~blilyst.plan.document.Plan`.
Projections (engineers D/E) can be appended to ``plan.charts`` by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import pandas as pd

from blilyst.axes import age_band_label
from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, format_percent, format_signed, ngettext, override, pgettext
from blilyst.i18n import gettext as _
from blilyst.plan.comparison import choose_peers, comparison_table, municipality_profile
from blilyst.plan.document import ChartSpec, Plan, TableSpec
from blilyst.plan.targetgroups import (
    SOURCE_IMDI,
    apportioned_note,
    group_label,
    immigrants_by_reason_shares,
    migration_age_profile,
    reason_label,
)
from blilyst.plan.texts import data_age_note, fmt_int, fmt_pct
from blilyst.stats.credit import SSB_CREDIT

if TYPE_CHECKING:
    from blilyst.demography.attractiveness import AttractivenessModel
    from blilyst.demography.retention import SurvivalCurve
    from blilyst.demography.scenarios import ProjectionResult
    from blilyst.stats.register import Register
    from blilyst.stats.snapshot import Snapshot

BANDS_5 = [(a, a + 4) for a in range(0, 90, 5)] + [(90, 105)]


@dataclass(frozen=True)
class KeyFigures:
    """The raw numbers behind the key-figure table (for tests, the web page and the CLI)."""

    year: int
    population: int
    population_before: int
    year_before: int
    share_67_plus: float
    share_67_plus_before: float
    share_20_66: float
    natural_increase_2011_2025: int | None
    net_migration_2011_2025: int | None
    immigrants: float | None
    immigrants_before: float | None
    immigrant_years: tuple[int, int] | None
    #: people moved by border changes between the two 1 January stocks (part of ``change``, not migration)
    boundary_change: float = 0.0
    #: the earlier stock is a fixed share of a merged municipality (Haram and Ålesund before 2024): the change
    #: from it is an artefact of the split, not growth
    before_is_estimate: bool = False

    @property
    def change(self) -> int:
        return self.population - self.population_before

    @property
    def immigrant_change(self) -> float | None:
        if self.immigrants is None or self.immigrants_before is None:
            return None
        return self.immigrants - self.immigrants_before


def key_figures(code: str, snapshot: Snapshot, *, years_back: int = 10) -> KeyFigures:
    """Population, age shares and components for ``code`` from the snapshot."""
    pop = snapshot.population
    mine = pop[pop["municipality"] == code]
    if mine.empty:
        raise InputError("municipality", _("no population figures for {municipality}").format(municipality=code))
    year = int(mine["year"].max())
    before = year - years_back

    def totals(y: int) -> tuple[int, int, int]:
        rows = mine[mine["year"] == y]
        total = int(rows["population"].sum())
        old = int(rows.loc[rows["age"] >= 67, "population"].sum())
        work = int(rows.loc[rows["age"].between(20, 66), "population"].sum())
        return total, old, work

    now, old_now, work_now = totals(year)
    then, old_then, _working_age = totals(before)
    comp = snapshot.components_2011_2025
    comp = comp[comp["municipality"] == code]
    nat = int(comp["natural_increase_sum"].iloc[0]) if not comp.empty else None
    net = int(comp["net_migration_sum"].iloc[0]) if not comp.empty else None
    imm = snapshot.immigrants_by_reason
    imm = imm[(imm["municipality"] == code) & (imm["reason"] == "all")]
    immigrants = immigrants_before = None
    imm_years = None
    if not imm.empty:
        last = int(imm["year"].max())
        first = max(int(imm["year"].min()), last - years_back)
        ends = imm[imm["year"].isin([first, last])]
        # immigrants handed out by a fixed split of a merged municipality (half of Ålesund each to Haram and
        # Ålesund) are not the municipality's own figure: left out
        if "apportioned" not in ends or not ends["apportioned"].astype(bool).any():
            immigrants = float(imm.loc[imm["year"] == last, "persons"].sum())
            immigrants_before = float(imm.loc[imm["year"] == first, "persons"].sum())
            imm_years = (first, last)
    flags = snapshot.population_flags
    flagged = flags[(flags["municipality"] == code) & (flags["year_from"] <= before) & (flags["year_to"] >= before)]
    moved = snapshot.boundary_changes
    moved = moved[(moved["municipality"] == code) & moved["year"].between(before, year - 1)]
    return KeyFigures(
        year,
        now,
        then,
        before,
        old_now / now,
        old_then / then,
        work_now / now,
        nat,
        net,
        immigrants,
        immigrants_before,
        imm_years,
        float(moved["persons"].sum()),
        before_is_estimate=not flagged.empty,
    )


def border_change_row(k: KeyFigures, lang: str) -> tuple[str, str] | None:
    """The key-figure row saying how much of the change came with border changes (None if none did)."""
    if abs(k.boundary_change) < 0.5:
        return None
    with override(lang):
        label = _("Of which moved by border changes {first}–{last} (not migration)").format(
            first=k.year_before, last=k.year
        )
        return label, format_signed(k.boundary_change)


def key_figure_rows(
    k: KeyFigures, projected_year: int, projected_population: float, projected_working_age: float, lang: str = "nb"
) -> list[tuple[str, str]]:
    """The headline figures as the evidence page lists them, (label, value) in ``lang``: population, change,
    border changes where any, the shares of 67+ and 20–66, and the projection's population and working age in
    its last year (``projected_*``)."""
    with override(lang):
        change = format_signed(k.change, 0, lang)
        share_then = _("{share} (was {before} in {year})").format(
            share=fmt_pct(k.share_67_plus, lang, 1), before=fmt_pct(k.share_67_plus_before, lang, 1), year=k.year_before
        )
        if k.before_is_estimate:  # the earlier share is one of a fixed-share estimate: not compared
            share_then = fmt_pct(k.share_67_plus, lang, 1)
        return [
            (_("Population 1 January {year}").format(year=k.year), fmt_int(k.population, lang)),
            (_("Change since {year}").format(year=k.year_before), _change_value(k, change, lang)),
            *[row for row in [border_change_row(k, lang)] if row is not None],
            (_("Share aged 67 and over"), share_then),
            (_("Share aged 20–66"), fmt_pct(k.share_20_66, lang, 1)),
            (_("Population in {year} (projected)").format(year=projected_year), fmt_int(projected_population, lang)),
            (_("Aged 20–66 in {year} (projected)").format(year=projected_year), fmt_int(projected_working_age, lang)),
        ]


def _before_value(k: KeyFigures, lang: str) -> str:
    """The earlier population, said to be an estimate where it is a fixed share of a merged municipality."""
    if not k.before_is_estimate:
        return fmt_int(k.population_before, lang)
    return _("{value} (an estimate: a fixed share of the merged municipality)").format(
        value=fmt_int(k.population_before, lang)
    )


def _change_value(k: KeyFigures, change: str, lang: str) -> str:
    """The change with its percentage, or why there is none (a merged-then-split municipality)."""
    if k.before_is_estimate:
        return _("not comparable: the municipality was merged and split again")
    return f"{change} ({format_percent(k.change / k.population_before, 1, lang, signed=True)})"


def key_figures_frame(k: KeyFigures, lang: str = "nb") -> pd.DataFrame:
    with override(lang):
        rows = [
            (_("Population 1 January {year}").format(year=k.year), fmt_int(k.population, lang)),
            (_("Population 1 January {year}").format(year=k.year_before), _before_value(k, lang)),
            (
                _("Change {first}–{last}").format(first=k.year_before, last=k.year),
                _change_value(k, format_signed(k.change, 0, lang), lang),
            ),
            (_("Share aged 67 and over {year}").format(year=k.year), fmt_pct(k.share_67_plus, lang, 1)),
            (
                _("Share aged 67 and over {year}").format(year=k.year_before),
                _("{value} (an estimate)").format(value=fmt_pct(k.share_67_plus_before, lang, 1))
                if k.before_is_estimate
                else fmt_pct(k.share_67_plus_before, lang, 1),
            ),
            (_("Share aged 20–66 {year}").format(year=k.year), fmt_pct(k.share_20_66, lang, 1)),
        ]
        border = border_change_row(k, lang)
        if border is not None:
            rows.insert(3, border)
        if k.natural_increase_2011_2025 is not None:
            rows.append((_("Natural increase 2011–2025"), fmt_int(k.natural_increase_2011_2025, lang)))
            rows.append((_("Net migration 2011–2025"), fmt_int(k.net_migration_2011_2025, lang)))
        if k.immigrant_change is not None and k.immigrant_years:
            a, b = k.immigrant_years
            rows.append((_("Immigrants living here {year}").format(year=b), fmt_int(k.immigrants, lang)))
            rows.append(
                (
                    _("Change in immigrant population {first}–{last}").format(first=a, last=b),
                    fmt_int(k.immigrant_change, lang),
                )
            )
        header = [_("Key figure"), pgettext("table column", "Value")]
    return pd.DataFrame(rows, columns=header)


def growth_message(k: KeyFigures, lang: str = "nb") -> str:
    """Plain-language sentence on where growth came from (the guidance's point on immigration)."""
    if k.natural_increase_2011_2025 is None:
        return ""
    nat, net = k.natural_increase_2011_2025, k.net_migration_2011_2025
    with override(lang):
        if nat >= 0:
            text = _("From 2011 to 2025 there were more births than deaths ({natural}), and net migration was {net}.")
        else:
            text = _("From 2011 to 2025 there were fewer births than deaths ({natural}), and net migration was {net}.")
        text = text.format(natural=fmt_int(nat, lang), net=fmt_int(net, lang))
        if k.immigrant_change is not None and k.immigrant_years:
            a, b = k.immigrant_years
            text += " " + _("The immigrant population changed by {change} from {first} to {last}.").format(
                change=fmt_int(k.immigrant_change, lang), first=a, last=b
            )
            stale = data_age_note(b)  # the immigrants by reason end in 2021
            if stale:
                text += " " + stale
    return text


def pyramid_chart(
    code: str, name: str, population: pd.DataFrame, year: int, lang: str = "nb", *, projected: str | None = None
) -> ChartSpec:
    """Population pyramid in 5-year bands. ``projected`` names the scenario when the figures are a
    projection (the chart is then marked as estimated)."""
    rows = population[(population["municipality"] == code) & (population["year"] == year)]
    table = []
    for lo, hi in BANDS_5:
        sel = rows[rows["age"].between(lo, hi)]
        table.append(
            {
                "age": age_band_label(lo, hi),
                "male": round(float(sel.loc[sel["sex"] == "male", "population"].sum())),
                "female": round(float(sel.loc[sel["sex"] == "female", "population"].sum())),
            }
        )
    frame = pd.DataFrame(table)
    with override(lang):
        men, women = _("Males"), _("Females")
        age, persons = _("Age"), _("Persons")
        title = _("Population by age and sex, {name} 1 January {year}").format(name=name, year=year)
        if projected:
            title = _("{title} (projected: {scenario})").format(title=title, scenario=projected)
        biggest = frame.assign(total=frame["male"] + frame["female"]).sort_values("total").iloc[-1]
        total = int(biggest["total"])
        alt_text = ngettext(
            "Population pyramid for {name} in {year}. The largest age group is {band} with {count} person.",
            "Population pyramid for {name} in {year}. The largest age group is {band} with {count} persons.",
            total,
        ).format(name=name, year=year, band=biggest["age"], count=fmt_int(total, lang))
        projection_source = _("{credit}; projection by blilyst").format(credit=SSB_CREDIT)
    long = pd.concat(
        [
            pd.DataFrame({"age": frame["age"], "sex": men, "persons": -frame["male"], "label": frame["male"]}),
            pd.DataFrame({"age": frame["age"], "sex": women, "persons": frame["female"], "label": frame["female"]}),
        ]
    )
    order = list(frame["age"])[::-1]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("age:N", sort=order, title=age),
            x=alt.X("persons:Q", title=persons, axis=alt.Axis(labelExpr="abs(datum.value)")),
            color=alt.Color("sex:N", title="", scale=alt.Scale(domain=[men, women], range=["#1f5f8b", "#c2553a"])),
        )
        .properties(width=420, height=300, title=title)
    )
    table_out = frame.rename(columns={"age": age, "male": men, "female": women})
    if projected:
        table_out[[men, women]] = table_out[[men, women]].round().astype(int)
        return ChartSpec(title, chart.to_dict(), alt_text, table_out, projection_source, estimated=True)
    return ChartSpec(title, chart.to_dict(), alt_text, table_out, SSB_CREDIT)


def migration_chart(
    code: str, name: str, migration_by_age: pd.DataFrame, years: Sequence[int] | None = None, lang: str = "nb"
) -> ChartSpec | None:
    """In- and out-migration by age band (None where the snapshot has no migration by age)."""
    if migration_by_age[migration_by_age["municipality"] == code].empty:
        return None
    profile = migration_age_profile(migration_by_age, code, years)
    period = f"{min(profile.attrs['years'])}–{max(profile.attrs['years'])}"
    top = profile.sort_values("in_migration").iloc[-1]
    with override(lang):
        inn, out = _("In-migrants"), _("Out-migrants")
        age, persons, net = _("Age"), _("Persons"), _("Net")
        title = _("Who moves in and out? {name} {period}, by age").format(name=name, period=period)
        alt_text = _(
            "Bars for in- and out-migration by age in {name} {period}. Most in-migrants were aged {band} ({share}). "
            "In total {total_in} in-migrants and {total_out} out-migrants."
        ).format(
            name=name,
            period=period,
            band=top["band"],
            share=fmt_pct(top["in_share"], lang),
            total_in=fmt_int(profile.attrs["total_in"], lang),
            total_out=fmt_int(profile.attrs["total_out"], lang),
        )
    long = pd.concat(
        [
            pd.DataFrame({"band": profile["band"], "kind": inn, "persons": profile["in_migration"]}),
            pd.DataFrame({"band": profile["band"], "kind": out, "persons": profile["out_migration"]}),
        ]
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("band:N", sort=list(profile["band"]), title=age, axis=alt.Axis(labelAngle=0)),
            xOffset="kind:N",
            y=alt.Y("persons:Q", title=persons),
            color=alt.Color("kind:N", title="", scale=alt.Scale(domain=[inn, out], range=["#2a7f62", "#b5651d"])),
        )
        .properties(width=420, height=240, title=title)
    )
    table = pd.DataFrame(
        {
            age: profile["band"],
            inn: profile["in_migration"].astype(int),
            out: profile["out_migration"].astype(int),
            net: profile["net_migration"].astype(int),
        }
    )
    return ChartSpec(title, chart.to_dict(), alt_text, table, SSB_CREDIT)


def reasons_table(code: str, immigrants_by_reason: pd.DataFrame, lang: str = "nb") -> TableSpec | None:
    try:
        shares = immigrants_by_reason_shares(immigrants_by_reason, code)
    except InputError:
        return None
    split = bool(shares.attrs.get("apportioned"))
    with override(lang):
        frame = pd.DataFrame(
            {
                _("Reason for immigration"): [reason_label(r) for r in shares["reason"]],
                _("Persons"): ["–" if split else fmt_int(v, lang) for v in shares["persons"]],
                pgettext("proportion", "Share"): [fmt_pct(v, lang) for v in shares["share"]],
            }
        )
        title = _("Immigrants living in the municipality by reason for immigration, {year}").format(
            year=shares.attrs["year"]
        )
        note = apportioned_note(int(shares.attrs["year"])) if split else ""
    return TableSpec(title, frame, SSB_CREDIT, note)


def comparison_spec(
    code: str, snapshot: Snapshot, register_frame: pd.DataFrame, lang: str = "nb", peers: Sequence[str] | None = None
) -> TableSpec:
    profile = municipality_profile(register_frame, snapshot.population)
    chosen = choose_peers(code, register_frame, snapshot.population, profile=profile)
    if peers is not None:
        for c in list(chosen.codes()):
            if c not in peers:
                chosen = chosen.without(c)
        for c in peers:
            if c not in chosen.codes():
                chosen = chosen.with_added(c, str(profile.loc[c, "name"]) if c in profile.index else c)
    table = comparison_table(chosen, profile, snapshot.components_2011_2025)
    year = profile.attrs["year"]
    with override(lang):
        reasons = {p.code: p.reason_label(lang) for p in chosen.peers}
        frame = pd.DataFrame(
            {
                _("Municipality"): [f"{c} {n}" for c, n in zip(table["code"], table["name"], strict=False)],
                _("Centrality"): table["centrality_class"].astype(str),
                _("Population"): [fmt_int(v, lang) for v in table["population"]],
                "67+": [fmt_pct(v, lang, 1) for v in table["share_67_plus"]],
                _("Growth 2011–2025"): ["–" if pd.isna(v) else fmt_pct(v, lang, 1) for v in table["growth_2011_2025"]],
                _("Net migration per 1,000"): [
                    "–" if pd.isna(v) else format_number(v, 0, lang) for v in table["net_migration_per_1000"]
                ],
                _("Why included"): ["–"] + [reasons.get(c, "") for c in table["code"][1:]],
            }
        )
        title = _("Similar municipalities")
        note = _(
            "Population 1 January {year}. Chosen automatically: same centrality class and nearest in population and "
            "share 67+, plus municipalities in the same labour-market region. The list can be edited."
        ).format(year=year)
        note += " " + _(
            "Growth 2011–2025 counts births, deaths and migration; people moved by border changes are left out."
        )
        missing = table[table["growth_2011_2025"].isna()]
        if len(missing):
            note += " " + _(
                "{names}: no population of their own in 2011 (merged, then split again in 2020), so no growth "
                "to compare and no rank."
            ).format(names=", ".join(missing["name"]))
    return TableSpec(title, frame, SSB_CREDIT, note, widths=(2.2, 1.1, 1.1, 0.9, 1.2, 1.3, 2.6))


def build_plan(
    code: str,
    *,
    snapshot: Snapshot | None = None,
    register: Register | None = None,
    lang: str = "nb",
    prepared_on: dt.date | None = None,
    peers: Sequence[str] | None = None,
    projection: ProjectionResult | Literal[True] | None = None,  # True: run the trend here
    target_seeking: ProjectionResult | Literal[True] | None = None,
    attractiveness: AttractivenessModel | Literal[True] | None = None,
    **parts: Any,
) -> Plan:
    """A :class:`Plan` for ``code`` with the needs analysis filled in from the snapshot.

    ``parts`` are passed on to :class:`Plan` (``target_groups``, ``chain``, ``bottlenecks``, ``honesty``,
    ``evaluation`` ...). ``peers`` replaces the automatic comparison set. ``projection`` and
    ``target_seeking`` are ``ProjectionResult`` objects of ``run_scenario`` for this municipality (e.g. the
    trend and the target-seeking scenario), ``attractiveness`` an ``AttractivenessModel``; each adds its
    part (the pyramid in 20 years and the workforce table; the "you need about N more in-migrants a year"
    sentence; the place in the attractiveness model). Pass ``True`` to compute one with its defaults.
    """
    if snapshot is None:
        from blilyst.stats.snapshot import load_snapshot

        snapshot = load_snapshot()
    if register is None:
        from blilyst.stats.register import get_register

        register = get_register()
    municipality = register.resolve(code) if hasattr(register, "resolve") else None
    code = municipality.code if municipality else code
    name = municipality.name if municipality else code
    k = key_figures(code, snapshot)
    charts = [pyramid_chart(code, name, snapshot.population, k.year, lang)]
    mig = migration_chart(code, name, snapshot.migration_by_age, lang=lang)
    if mig is not None:
        charts.append(mig)
    tables = [t for t in [reasons_table(code, snapshot.immigrants_by_reason, lang)] if t is not None]
    sources = [SSB_CREDIT]
    with override(lang):
        if any("IMDi" in str(s) for s in snapshot.sources()["credit"]) and parts.get("target_groups"):
            sources.append(_(SOURCE_IMDI))
        sources.append(_("Distriktssenteret: Drømmen om å bli flere (booklet on in-migration work)."))
    summary = parts.pop("summary", "") or growth_message(k, lang)
    if projection is True:
        from blilyst.demography.scenarios import run_scenario

        projection = run_scenario(code, "trend", 20, snapshot=snapshot)
    if projection is not None:
        charts.append(future_pyramid_chart(projection, lang))
        tables.insert(0, workforce_table(projection, lang))
        sources.extend(s for s in projection.source_texts(lang) if s not in sources)
        # the projection's national immigration assumption, and a flag if it grows more than half again
        sources.extend(projection.national_notes(lang))
    if target_seeking is True:
        from blilyst.demography.scenarios import run_scenario

        target_seeking = run_scenario(code, "target-seeking", 20, snapshot=snapshot)
    if target_seeking is not None:
        summary = " ".join([summary, *target_seeking.headline(lang)])
    if attractiveness is True:
        from blilyst.demography.attractiveness import attractiveness_from_snapshot

        attractiveness = attractiveness_from_snapshot(snapshot=snapshot)
    if attractiveness is not None:
        sentence = attractiveness_sentence(attractiveness, code, lang)
        summary = " ".join([summary, sentence]) if sentence else summary
    return Plan(
        municipality=code,
        name=name,
        prepared_on=prepared_on or dt.date.today(),
        lang=lang,
        summary=summary,
        key_figures=key_figures_frame(k, lang),
        charts=charts,
        tables=tables,
        comparison=comparison_spec(code, snapshot, register.frame(), lang, peers),
        sources=sources,
        **parts,
    )


def retention_chart(curves: Mapping[str, SurvivalCurve], lang: str = "nb", max_years: float = 5.0) -> ChartSpec | None:
    """Kaplan–Meier curves (share still resident by years since moving in), one line per group."""
    frames = []
    for key, curve in curves.items():
        steps = curve.step_frame()
        steps = steps[steps["time"] <= max_years]
        frames.append(steps.assign(group=group_label(key, lang)))
    if not frames:
        return None
    data = pd.concat(frames, ignore_index=True)
    all_curve = curves.get("all") or next(iter(curves.values()))
    one = all_curve.at(1.0)
    with override(lang):
        title = _("Share still resident after moving in")
        group = _("Group")
        table_rows = [
            {
                group: group_label(key, lang),
                **{
                    ngettext("{years} year", "{years} years", y).format(years=y): fmt_pct(curve.at(y), lang)
                    if curve.at(y) == curve.at(y)
                    else "–"
                    for y in (1, 2, 5)
                },
            }
            for key, curve in curves.items()
        ]
        if one == one:
            alt_text = _(
                "Step curves (Kaplan–Meier) of the share of households still living in the municipality. After one "
                "year {share} still live here."
            ).format(share=fmt_pct(one, lang))
        else:
            alt_text = _("Kaplan–Meier curves of the share still resident.")
        source = _("Source: the newcomer service (own records)")
        chart = (
            alt.Chart(data)
            .mark_line(interpolate="step-after")
            .encode(
                x=alt.X("time:Q", title=_("Years since moving in")),
                y=alt.Y(
                    "survival:Q",
                    title=pgettext("proportion", "Share"),
                    scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format="%"),
                ),
                color=alt.Color("group:N", title=""),
            )
            .properties(width=420, height=240, title=title)
        )
    return ChartSpec(title, chart.to_dict(), alt_text, pd.DataFrame(table_rows), source, estimated=True)


# ---------------------------------------------------------------- outlook (projection, attractiveness)


def future_pyramid_chart(result: ProjectionResult, lang: str = "nb") -> ChartSpec:
    """The population pyramid in the projection's last year (a ``ProjectionResult`` of
    ``blilyst.demography.scenarios.run_scenario`` for one municipality)."""
    frame = result.frame()
    last = result.years[-1]
    code, name = result.codes[0], result.names[0]
    with override(lang):
        scenario = result.scenario.title
    return pyramid_chart(code, name, frame, last, lang, projected=scenario)


def workforce_table(result: ProjectionResult, lang: str = "nb") -> TableSpec:
    """Population, age groups and old-age dependency now and at the end of the projection."""
    summary = result.summary()
    first, last = summary.iloc[0], summary.iloc[-1]
    labels = [
        ("population", N_("Population")),
        ("age_0_19", N_("Aged 0–19")),
        ("working_age", N_("Aged 20–66")),
        ("age_67_plus", N_("Aged 67+")),
        ("age_80_plus", N_("Aged 80+")),
    ]
    y0, y1 = result.years[0], result.years[-1]
    with override(lang):
        rows = []
        for key, label in labels:
            a, b = float(first[key]), float(last[key])
            rows.append((_(label), fmt_int(a, lang), fmt_int(b, lang), format_signed(b - a, 0, lang)))
        a, b = float(first["old_age_dependency"]), float(last["old_age_dependency"])
        rows.append(
            (
                _("Older people (67+) per person aged 20–66"),
                format_number(a, 2, lang),
                format_number(b, 2, lang),
                format_signed(b - a, 2, lang),
            )
        )
        frame = pd.DataFrame(rows, columns=["", str(y0), f"{y1}*", _("Change")])
        title = _("Workforce outlook ({scenario})").format(scenario=result.scenario.title)
        note = _("* Projected, not registered. {year}: registered population on 1 January.").format(year=y0)
    return TableSpec(title, frame, SSB_CREDIT, note)


def attractiveness_sentence(model: AttractivenessModel, code: str, lang: str = "nb") -> str:
    """Where the municipality stands in Telemarksforsking's attractiveness model (net migration beyond what
    job growth predicts), from a ``blilyst.demography.attractiveness.AttractivenessModel``."""
    row = model.frame[model.frame["municipality"] == code]
    if row.empty:
        return ""
    r = row.iloc[0]
    value = float(r["attractiveness"])
    with override(lang):
        if value >= 0:
            text = _(
                "Attractiveness model ({period}): net migration was {points} percentage points above what job growth "
                "predicts, rank {rank} of {count} in centrality class {centrality}."
            )
        else:
            text = _(
                "Attractiveness model ({period}): net migration was {points} percentage points below what job growth "
                "predicts, rank {rank} of {count} in centrality class {centrality}."
            )
        return text.format(
            period=model.period,
            points=format_number(abs(value), 1, lang),
            rank=int(r["rank_in_class"]),
            count=int(r["n_in_class"]),
            centrality=int(r["centrality_class"]),
        )
