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
from blilyst.i18n import format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan.comparison import choose_peers, comparison_table, municipality_profile
from blilyst.plan.document import ChartSpec, Plan, TableSpec
from blilyst.plan.targetgroups import (
    REASON_LABELS,
    group_label,
    immigrants_by_reason_shares,
    migration_age_profile,
)
from blilyst.plan.texts import fmt_int, fmt_pct, pick
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
        raise InputError("municipality", f"no population figures for {code}")
    year = int(mine["year"].max())
    before = year - years_back

    def totals(y: int) -> tuple[int, int, int]:
        rows = mine[mine["year"] == y]
        total = int(rows["population"].sum())
        old = int(rows.loc[rows["age"] >= 67, "population"].sum())
        work = int(rows.loc[rows["age"].between(20, 66), "population"].sum())
        return total, old, work

    now, old_now, work_now = totals(year)
    then, old_then, _ = totals(before)
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
        immigrants = float(imm.loc[imm["year"] == last, "persons"].sum())
        immigrants_before = float(imm.loc[imm["year"] == first, "persons"].sum())
        imm_years = (first, last)
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


def key_figures_frame(k: KeyFigures, lang: str = "nb") -> pd.DataFrame:
    nb = lang == "nb"
    rows = [
        (f"Folketall 1. januar {k.year}" if nb else f"Population 1 January {k.year}", fmt_int(k.population, lang)),
        (
            f"Folketall 1. januar {k.year_before}" if nb else f"Population 1 January {k.year_before}",
            fmt_int(k.population_before, lang),
        ),
        (
            f"Endring {k.year_before}–{k.year}" if nb else f"Change {k.year_before}–{k.year}",
            f"{k.change:+,}".replace(",", "\u00a0" if nb else ",")
            + f" ({fmt_pct(k.change / k.population_before, lang, 1)})",
        ),
        (
            f"Andel 67 år og eldre {k.year}" if nb else f"Share aged 67 and over {k.year}",
            fmt_pct(k.share_67_plus, lang, 1),
        ),
        (
            f"Andel 67 år og eldre {k.year_before}" if nb else f"Share aged 67 and over {k.year_before}",
            fmt_pct(k.share_67_plus_before, lang, 1),
        ),
        (f"Andel 20–66 år {k.year}" if nb else f"Share aged 20–66 {k.year}", fmt_pct(k.share_20_66, lang, 1)),
    ]
    border = border_change_row(k, lang)
    if border is not None:
        rows.insert(3, border)
    if k.natural_increase_2011_2025 is not None:
        rows.append(
            (
                "Fødselsoverskudd 2011–2025" if nb else "Natural increase 2011–2025",
                fmt_int(k.natural_increase_2011_2025, lang),
            )
        )
        rows.append(
            (
                "Nettoinnflytting 2011–2025" if nb else "Net migration 2011–2025",
                fmt_int(k.net_migration_2011_2025, lang),
            )
        )
    if k.immigrant_change is not None and k.immigrant_years:
        a, b = k.immigrant_years
        rows.append((f"Innvandrere bosatt {b}" if nb else f"Immigrants living here {b}", fmt_int(k.immigrants, lang)))
        rows.append(
            (
                f"Endring i innvandrerbefolkningen {a}–{b}" if nb else f"Change in immigrant population {a}–{b}",
                fmt_int(k.immigrant_change, lang),
            )
        )
    header = ("Nøkkeltall", "Verdi") if nb else ("Key figure", "Value")
    return pd.DataFrame(rows, columns=list(header))


def growth_message(k: KeyFigures, lang: str = "nb") -> str:
    """Plain-language sentence on where growth came from (the guidance's point on immigration)."""
    if k.natural_increase_2011_2025 is None:
        return ""
    nat, net = k.natural_increase_2011_2025, k.net_migration_2011_2025
    if lang == "nb":
        text = (
            f"Fra 2011 til 2025 ble det {'født flere enn det døde' if nat >= 0 else 'født færre enn det døde'} "
            f"({fmt_int(nat, lang)}), og nettoinnflyttingen var {fmt_int(net, lang)}."
        )
        if k.immigrant_change is not None and k.immigrant_years:
            a, b = k.immigrant_years
            text += f" Innvandrerbefolkningen endret seg med {fmt_int(k.immigrant_change, lang)} fra {a} til {b}."
        return text
    text = (
        f"From 2011 to 2025 there were {'more births than deaths' if nat >= 0 else 'fewer births than deaths'} "
        f"({fmt_int(nat, lang)}), and net migration was {fmt_int(net, lang)}."
    )
    if k.immigrant_change is not None and k.immigrant_years:
        a, b = k.immigrant_years
        text += f" The immigrant population changed by {fmt_int(k.immigrant_change, lang)} from {a} to {b}."
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
    nb = lang == "nb"
    men, women = ("Menn", "Kvinner") if nb else ("Males", "Females")
    long = pd.concat(
        [
            pd.DataFrame({"age": frame["age"], "sex": men, "persons": -frame["male"], "label": frame["male"]}),
            pd.DataFrame({"age": frame["age"], "sex": women, "persons": frame["female"], "label": frame["female"]}),
        ]
    )
    order = list(frame["age"])[::-1]
    title = (
        f"Befolkning etter alder og kjønn, {name} 1. januar {year}"
        if nb
        else f"Population by age and sex, {name} 1 January {year}"
    )
    if projected:
        title += f" ({'framskrevet' if nb else 'projected'}: {projected})"
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("age:N", sort=order, title="Alder" if nb else "Age"),
            x=alt.X("persons:Q", title="Personer" if nb else "Persons", axis=alt.Axis(labelExpr="abs(datum.value)")),
            color=alt.Color("sex:N", title="", scale=alt.Scale(domain=[men, women], range=["#1f5f8b", "#c2553a"])),
        )
        .properties(width=420, height=300, title=title)
    )
    biggest = frame.assign(total=frame["male"] + frame["female"]).sort_values("total").iloc[-1]
    alt_text = (
        f"Befolkningspyramide for {name} i {year}. Den største aldersgruppen er {biggest['age']} år med "
        f"{fmt_int(biggest['total'], lang)} personer."
        if nb
        else f"Population pyramid for {name} in {year}. The largest age group is {biggest['age']} with "
        f"{fmt_int(biggest['total'], lang)} persons."
    )
    table_out = frame.rename(columns={"age": "Alder" if nb else "Age", "male": men, "female": women})
    if projected:
        table_out[[men, women]] = table_out[[men, women]].round().astype(int)
        source = f"{SSB_CREDIT}; framskrivning med blilyst" if nb else f"{SSB_CREDIT}; projection by blilyst"
        return ChartSpec(title, chart.to_dict(), alt_text, table_out, source, estimated=True)
    return ChartSpec(title, chart.to_dict(), alt_text, table_out, SSB_CREDIT)


def migration_chart(
    code: str, name: str, migration_by_age: pd.DataFrame, years: Sequence[int] | None = None, lang: str = "nb"
) -> ChartSpec | None:
    """In- and out-migration by age band (None where the snapshot has no migration by age)."""
    if migration_by_age[migration_by_age["municipality"] == code].empty:
        return None
    profile = migration_age_profile(migration_by_age, code, years)
    nb = lang == "nb"
    period = f"{min(profile.attrs['years'])}–{max(profile.attrs['years'])}"
    inn, out = ("Innflyttere", "Utflyttere") if nb else ("In-migrants", "Out-migrants")
    long = pd.concat(
        [
            pd.DataFrame({"band": profile["band"], "kind": inn, "persons": profile["in_migration"]}),
            pd.DataFrame({"band": profile["band"], "kind": out, "persons": profile["out_migration"]}),
        ]
    )
    title = (
        f"Hvem flytter inn og ut? {name} {period}, etter alder"
        if nb
        else f"Who moves in and out? {name} {period}, by age"
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("band:N", sort=list(profile["band"]), title="Alder" if nb else "Age", axis=alt.Axis(labelAngle=0)),
            xOffset="kind:N",
            y=alt.Y("persons:Q", title="Personer" if nb else "Persons"),
            color=alt.Color("kind:N", title="", scale=alt.Scale(domain=[inn, out], range=["#2a7f62", "#b5651d"])),
        )
        .properties(width=420, height=240, title=title)
    )
    top = profile.sort_values("in_migration").iloc[-1]
    alt_text = (
        f"Søyler for inn- og utflytting etter alder i {name} {period}. Flest innflyttere var "
        f"{top['band']} år ({fmt_pct(top['in_share'], lang)}). Totalt {fmt_int(profile.attrs['total_in'], lang)}"
        f" innflyttere og {fmt_int(profile.attrs['total_out'], lang)} utflyttere."
        if nb
        else f"Bars for in- and out-migration by age in {name} {period}. Most in-migrants were aged {top['band']} "
        f"({fmt_pct(top['in_share'], lang)}). In total {fmt_int(profile.attrs['total_in'], lang)} in-migrants "
        f"and {fmt_int(profile.attrs['total_out'], lang)} out-migrants."
    )
    table = pd.DataFrame(
        {
            ("Alder" if nb else "Age"): profile["band"],
            inn: profile["in_migration"].astype(int),
            out: profile["out_migration"].astype(int),
            ("Netto" if nb else "Net"): profile["net_migration"].astype(int),
        }
    )
    return ChartSpec(title, chart.to_dict(), alt_text, table, SSB_CREDIT)


def reasons_table(code: str, immigrants_by_reason: pd.DataFrame, lang: str = "nb") -> TableSpec | None:
    try:
        shares = immigrants_by_reason_shares(immigrants_by_reason, code)
    except InputError:
        return None
    nb = lang == "nb"
    frame = pd.DataFrame(
        {
            ("Innvandringsgrunn" if nb else "Reason for immigration"): [
                pick(REASON_LABELS[r], lang) for r in shares["reason"]
            ],
            ("Personer" if nb else "Persons"): [fmt_int(v, lang) for v in shares["persons"]],
            ("Andel" if nb else "Share"): [fmt_pct(v, lang) for v in shares["share"]],
        }
    )
    year = shares.attrs["year"]
    title = (
        f"Innvandrere bosatt i kommunen etter innvandringsgrunn, {year}"
        if nb
        else f"Immigrants living in the municipality by reason for immigration, {year}"
    )
    return TableSpec(title, frame, SSB_CREDIT)


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
    nb = lang == "nb"
    reasons = {p.code: p.reason_label(lang) for p in chosen.peers}
    frame = pd.DataFrame(
        {
            ("Kommune" if nb else "Municipality"): [
                f"{c} {n}" for c, n in zip(table["code"], table["name"], strict=False)
            ],
            ("Sentralitet" if nb else "Centrality"): table["centrality_class"].astype(str),
            ("Folketall" if nb else "Population"): [fmt_int(v, lang) for v in table["population"]],
            "67+": [fmt_pct(v, lang, 1) for v in table["share_67_plus"]],
            ("Vekst 2011–2025" if nb else "Growth 2011–2025"): [
                "–" if pd.isna(v) else fmt_pct(v, lang, 1) for v in table["growth_2011_2025"]
            ],
            ("Nettoinnflytting per 1000" if nb else "Net migration per 1,000"): [
                "–" if pd.isna(v) else f"{v:.0f}" for v in table["net_migration_per_1000"]
            ],
            ("Hvorfor med" if nb else "Why included"): ["–"] + [reasons.get(c, "") for c in table["code"][1:]],
        }
    )
    year = profile.attrs["year"]
    title = "Sammenlignbare kommuner" if nb else "Similar municipalities"
    note = (
        f"Folketall 1. januar {year}. Valgt automatisk: samme sentralitetsklasse og nærmest i folketall og andel "
        "67+, pluss kommuner i samme bo- og arbeidsmarkedsregion. Listen kan endres."
        if nb
        else f"Population 1 January {year}. Chosen automatically: same centrality class and nearest in population and "
        "share 67+, plus municipalities in the same labour-market region. The list can be edited."
    )
    with override(lang):
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
    if any("IMDi" in str(s) for s in snapshot.sources()["credit"]) and parts.get("target_groups"):
        sources.append("Kilde: IMDi (bosetting av flyktninger)")
    sources.append(
        "Distriktssenteret: Drømmen om å bli flere. Temahefte om tilflytting."
        if lang == "nb"
        else "Distriktssenteret: Drømmen om å bli flere (booklet on in-migration work)."
    )
    summary = parts.pop("summary", "") or growth_message(k, lang)
    if projection is True:
        from blilyst.demography.scenarios import run_scenario

        projection = run_scenario(code, "trend", 20, snapshot=snapshot)
    if projection is not None:
        charts.append(future_pyramid_chart(projection, lang))
        tables.insert(0, workforce_table(projection, lang))
        sources.extend(s for s in projection.sources if s not in sources)
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
    nb = lang == "nb"
    title = "Andel fortsatt bosatt etter innflytting" if nb else "Share still resident after moving in"
    chart = (
        alt.Chart(data)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("time:Q", title="År siden innflytting" if nb else "Years since moving in"),
            y=alt.Y(
                "survival:Q",
                title="Andel" if nb else "Share",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("group:N", title=""),
        )
        .properties(width=420, height=240, title=title)
    )
    table_rows = []
    for key, curve in curves.items():
        table_rows.append(
            {
                ("Gruppe" if nb else "Group"): group_label(key, lang),
                **{
                    f"{y} {'år' if nb else 'yr'}": fmt_pct(curve.at(y), lang) if curve.at(y) == curve.at(y) else "–"
                    for y in (1, 2, 5)
                },
            }
        )
    all_curve = curves.get("all") or next(iter(curves.values()))
    one = all_curve.at(1.0)
    alt_text = (
        (
            f"Trappekurver (Kaplan–Meier) for hvor stor andel av husholdningene som fortsatt bor i kommunen. "
            f"Etter ett år bor {fmt_pct(one, lang)} fortsatt her."
            if nb
            else f"Step curves (Kaplan–Meier) of the share of households still living in the municipality. After one "
            f"year {fmt_pct(one, lang)} still live here."
        )
        if one == one
        else (
            "Kaplan–Meier-kurver for andel fortsatt bosatt."
            if nb
            else "Kaplan–Meier curves of the share still resident."
        )
    )
    source = "Kilde: tilflyttertjenesten (egne registreringer)" if nb else "Source: the newcomer service (own records)"
    return ChartSpec(title, chart.to_dict(), alt_text, pd.DataFrame(table_rows), source, estimated=True)


# ---------------------------------------------------------------- outlook (projection, attractiveness)


def future_pyramid_chart(result: ProjectionResult, lang: str = "nb") -> ChartSpec:
    """The population pyramid in the projection's last year (a ``ProjectionResult`` of
    ``blilyst.demography.scenarios.run_scenario`` for one municipality)."""
    frame = result.frame()
    last = result.years[-1]
    code, name = result.codes[0], result.names[0]
    return pyramid_chart(code, name, frame, last, lang, projected=pick(result.scenario.title, lang))


def workforce_table(result: ProjectionResult, lang: str = "nb") -> TableSpec:
    """Population, age groups and old-age dependency now and at the end of the projection."""
    summary = result.summary()
    first, last = summary.iloc[0], summary.iloc[-1]
    nb = lang == "nb"
    labels = [
        ("population", "Folketall", "Population"),
        ("age_0_19", "0–19 år", "Aged 0–19"),
        ("working_age", "20–66 år", "Aged 20–66"),
        ("age_67_plus", "67 år og eldre", "Aged 67+"),
        ("age_80_plus", "80 år og eldre", "Aged 80+"),
    ]
    rows = []
    for key, label_nb, label_en in labels:
        a, b = float(first[key]), float(last[key])
        rows.append((label_nb if nb else label_en, fmt_int(a, lang), fmt_int(b, lang), f"{b - a:+.0f}"))
    a, b = float(first["old_age_dependency"]), float(last["old_age_dependency"])
    dep = "Eldre (67+) per person 20–66 år" if nb else "Older people (67+) per person aged 20–66"
    rows.append(
        (
            dep,
            f"{a:.2f}".replace(".", "," if nb else "."),
            f"{b:.2f}".replace(".", "," if nb else "."),
            f"{b - a:+.2f}".replace(".", "," if nb else "."),
        )
    )
    y0, y1 = result.years[0], result.years[-1]
    frame = pd.DataFrame(rows, columns=["", str(y0), f"{y1}*", "Endring" if nb else "Change"])
    title = (
        f"Arbeidskraft framover ({pick(result.scenario.title, lang)})"
        if nb
        else f"Workforce outlook ({pick(result.scenario.title, lang)})"
    )
    note = (
        f"* Framskrevet, ikke registrert. {y0}: registrert folketall 1. januar."
        if nb
        else f"* Projected, not registered. {y0}: registered population on 1 January."
    )
    return TableSpec(title, frame, SSB_CREDIT, note)


def attractiveness_sentence(model: AttractivenessModel, code: str, lang: str = "nb") -> str:
    """Where the municipality stands in Telemarksforsking's attractiveness model (net migration beyond what
    job growth predicts), from a ``blilyst.demography.attractiveness.AttractivenessModel``."""
    row = model.frame[model.frame["municipality"] == code]
    if row.empty:
        return ""
    r = row.iloc[0]
    value = float(r["attractiveness"])
    if lang == "nb":
        sign = "høyere" if value >= 0 else "lavere"
        points = f"{abs(value):.1f}".replace(".", ",")
        return (
            f"Attraktivitetsmodellen ({model.period}): nettoinnflyttingen var {points} prosentpoeng "
            f"{sign} enn jobbveksten tilsier, nummer {int(r['rank_in_class'])} av {int(r['n_in_class'])} i "
            f"sentralitetsklasse {int(r['centrality_class'])}."
        )
    sign = "above" if value >= 0 else "below"
    return (
        f"Attractiveness model ({model.period}): net migration was {abs(value):.1f} percentage points {sign} "
        f"what job growth predicts, rank {int(r['rank_in_class'])} of {int(r['n_in_class'])} in centrality "
        f"class {int(r['centrality_class'])}."
    )
