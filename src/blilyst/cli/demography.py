"""Demography commands: ``blilyst project``, ``blilyst scenarios``, ``blilyst facts`` (and, from
:mod:`blilyst.cli.accounts`, ``accounts`` and
``attractiveness``).

Thin translators over :mod:`blilyst.demography`: one library call, then output. Every output states
the base year, the data sources, which figures are estimated and the scenario's assumptions.
"""

from __future__ import annotations

import enum
from pathlib import Path

import pandas as pd
import typer

import blilyst.cli.accounts  # noqa: F401  (accounts and attractiveness register with the demography commands)
from blilyst.cli import LANG_HELP, app, use_language
from blilyst.cli.output import OutputFormat, emit
from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, format_percent, pgettext
from blilyst.i18n import gettext as _


class ProjectFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUMMARY_COLUMNS = [
    "year",
    "population",
    "age_0_19",
    "working_age",
    "age_67_plus",
    "age_80_plus",
    "old_age_dependency",
    "reaching_67",
    "births",
    "deaths",
    "net_migration",
    "extra_migrants",
    "status",
]


def project_output(
    kommune: str,
    scenario: str = "trend",
    years: int = 20,
    *,
    input_file: Path | None = None,
    by_age: bool = False,
    by_age_group: bool = False,
    lang: str | None = None,
    **options,
):
    """Run the projection and return ``(result, frame, title, notes)`` as the command prints them."""
    from blilyst.demography.scenario_options import OPTIONS_BY_SCENARIO, TrendOptions, options_for
    from blilyst.demography.scenarios import SCENARIOS, run_scenario
    from blilyst.stats.register import get_register

    use_language(lang)
    if scenario not in SCENARIOS:
        raise InputError(
            "--scenario",
            _("unknown scenario '{scenario}'; choose one of {choices}").format(
                scenario=scenario, choices=", ".join(SCENARIOS)
            ),
        )
    reg = get_register()
    if kommune.strip().lower() in ("all", "alle"):
        codes, label = None, _("All 357 municipalities")
    else:
        munis = [reg.resolve(part) for part in kommune.split(",") if part.strip()]
        if not munis:
            raise InputError("KOMMUNE", _("give a municipality number or name, a comma-separated list, or 'all'"))
        codes = list(dict.fromkeys(m.code for m in munis))
        label = ", ".join(f"{m.code} {m.name}" for m in munis)
    if input_file is not None and OPTIONS_BY_SCENARIO[scenario] is not TrendOptions:
        raise InputError(
            "--input",
            _("an assumptions file works with the trend-type scenarios, not '{scenario}'").format(scenario=scenario),
        )
    if input_file is not None:
        options["assumptions"] = input_file
    res = run_scenario(codes, scenario, years, options_for(scenario, **options))
    several = len(res.codes) > 1
    drop = [] if several else ["municipality", "name"]
    if by_age:
        frame = res.frame().drop(columns=drop)
        frame["population"] = frame["population"].round(1)
    elif by_age_group:
        frame = res.age_groups().drop(columns=drop)
        frame[["male", "female", "total"]] = frame[["male", "female", "total"]].round(0)
    elif res.intervals is not None:
        frame = res.intervals
        frame = frame[frame["measure"] == "population"].drop(columns=["measure", *drop]).round(0)
        trend = res.summary().set_index(["municipality", "year"])["population"]
        keys = list(zip(res.intervals.loc[frame.index, "municipality"], frame["year"], strict=False))
        frame.insert(list(frame.columns).index("median"), "trend", trend.loc[keys].round(0).to_numpy())
    else:
        summ = res.summary()
        cols = (["municipality", "name"] if several else []) + [c for c in SUMMARY_COLUMNS if c in summ.columns]
        frame = summ[cols].copy()
        for col in frame.columns:
            if col == "old_age_dependency":
                frame[col] = frame[col].round(3)
            elif col not in ("municipality", "name", "year", "status"):
                frame[col] = frame[col].round(0)
        if several:
            frame = frame.sort_values(["municipality", "year"], kind="stable").reset_index(drop=True)
    title = f"{label}: {res.scenario.title}, {res.years[0]}-{res.years[-1]}"
    return res, frame, title, res.notes()


@app.command(
    "project",
    help=N_(
        "Project a municipality's population under a named scenario.\n\n"
        "Example: blilyst project Fyresdal --scenario target-seeking --years 20"
    ),
)
def project_cmd(
    kommune: str = typer.Argument(
        ...,
        help=N_(
            "Municipality number or name (4032, Fyresdal), a comma-separated list (Fyresdal,Vinje,Tokke) or 'all'."
        ),
    ),
    scenario: str = typer.Option(
        "trend",
        "--scenario",
        "-s",
        help=N_(
            "trend, trend5, zero-migration, no-immigration, low, high, housing-led, "
            "employment-led, target-seeking, stochastic."
        ),
    ),
    years: int = typer.Option(20, "--years", help=N_("Years to project (1-100).")),
    input_file: Path = typer.Option(
        None, "--input", help=N_("Your own assumptions, CSV or JSON (see docs/scenarios.md).")
    ),
    fmt: ProjectFormat = typer.Option(ProjectFormat.table, "--format", help=N_("table, csv, json or xlsx.")),
    output: Path = typer.Option(None, "--output", "-o", help=N_("Write to this file instead of the terminal.")),
    by_age: bool = typer.Option(False, "--by-age", help=N_("Population by year, sex and single-year age.")),
    by_age_group: bool = typer.Option(False, "--by-age-group", help=N_("Population by year and 5-year age group.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
    window: int = typer.Option(None, "--window", help=N_("Trend years (default 10; 5 for trend5).")),
    dwellings: float = typer.Option(None, "--dwellings", help=N_("housing-led: new dwellings a year.")),
    jobs_growth: float = typer.Option(None, "--jobs-growth", help=N_("employment-led: jobs growth a year, e.g. 0.01.")),
    jobs_target: float = typer.Option(None, "--jobs-target", help=N_("employment-led: jobs in the final year.")),
    target: str = typer.Option(None, "--target", help=N_("target-seeking: working-age (the default) or population.")),
    target_population: float = typer.Option(
        None, "--target-population", help=N_("target-seeking: population to reach.")
    ),
    simulations: int = typer.Option(None, "--simulations", help=N_("stochastic: number of simulations (1000).")),
    seed: int = typer.Option(None, "--seed", help=N_("stochastic: random seed (2024).")),
    base_year: int = typer.Option(
        None, "--base-year", help=N_("Start from 1 January of this year (default the latest); earlier years backtest.")
    ),
    international: str = typer.Option(
        None,
        "--international",
        help=N_(
            "Net immigration to Norway a year (trend-type scenarios): trend (window mean, the default), low, "
            "high, registered, zero, or a number."
        ),
    ),
) -> None:
    use_language(lang)
    if by_age and by_age_group:
        raise InputError("--by-age", _("choose --by-age or --by-age-group, not both"))
    for flag, value, needs in (
        ("--dwellings", dwellings, "housing-led"),
        ("--jobs-growth", jobs_growth, "employment-led"),
        ("--jobs-target", jobs_target, "employment-led"),
        ("--target", target, "target-seeking"),
        ("--target-population", target_population, "target-seeking"),
        ("--simulations", simulations, "stochastic"),
        ("--seed", seed, "stochastic"),
    ):
        if value is not None and scenario != needs:
            raise InputError(
                flag, _("applies to --scenario {needed} only, not '{scenario}'").format(needed=needs, scenario=scenario)
            )
    if output is not None and not output.parent.is_dir():
        raise InputError("--output", _("the folder '{path}' does not exist").format(path=output.parent))
    options = dict(
        window=window,
        dwellings_per_year=dwellings,
        jobs_growth=jobs_growth,
        jobs_target=jobs_target,
        target=target,
        target_population=target_population,
        simulations=simulations,
        seed=seed,
        base_year=base_year,
        international=international,
    )
    try:
        res, frame, title, notes = project_output(
            kommune,
            scenario,
            years,
            input_file=input_file,
            by_age=by_age,
            by_age_group=by_age_group,
            lang=lang,
            **options,
        )
    except InputError as exc:
        if type(exc) is InputError and exc.field in PROJECT_OPTIONS:  # the option the user typed, not the parameter
            raise InputError(PROJECT_OPTIONS[exc.field], exc.problem) from None
        raise
    if fmt is ProjectFormat.table:
        frame = _for_terminal(frame)
    write_frame(frame, fmt, title=title, notes=notes, output=output, extra_sheets=_sheets(res))


#: The library's parameter names and the ``blilyst project`` options that set them, so an error names the option.
PROJECT_OPTIONS = {
    "scenario": "--scenario",
    "years": "--years",
    "window": "--window",
    "dwellings_per_year": "--dwellings",
    "jobs_growth": "--jobs-growth",
    "jobs_target": "--jobs-target",
    "target": "--target",
    "target_population": "--target-population",
    "simulations": "--simulations",
    "seed": "--seed",
    "base_year": "--base-year",
    "international": "--international",
}

_SHORT = {
    "population": N_("pop."),
    "age_0_19": "0–19",
    "working_age": "20–66",
    "age_67_plus": "67+",
    "age_80_plus": "80+",
    "old_age_dependency": "67+/20–66",
    "reaching_67": N_("turn 67"),
    "births": N_("births"),
    "deaths": N_("deaths"),
    "net_migration": N_("net mig."),
    "extra_migrants": N_("extra mig."),
}


def _for_terminal(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole persons as integers and short column names in the command's language, so a 20-year table fits a
    terminal."""
    out = frame.drop(columns=["name", "status"], errors="ignore").copy()
    if "year" in out.columns:
        out["year"] = out["year"].astype(str)  # 2026, not "2 026"
    for col in out.columns:
        if col in ("old_age_dependency", "status", "sex", "measure") or not pd.api.types.is_float_dtype(out[col]):
            continue
        out[col] = pd.Series([None if pd.isna(v) else round(v) for v in out[col]], index=out.index, dtype=object)
    return out.rename(columns={key: _(label) for key, label in _SHORT.items()})


#: Rows an Excel sheet holds (1 048 576 with the header).
EXCEL_ROWS = 1_048_575


def _sheets(res) -> dict[str, pd.DataFrame]:
    """The xlsx sheets; a sheet too long for Excel (all 357 municipalities by single-year age) is
    written wide, one column per age (:func:`_fit_excel`)."""
    sheets = {"summary": res.summary(), "age_groups": res.age_groups(), "population": res.frame()}
    groups = res.extra_by_age_group()
    if groups is not None:
        sheets["extra_migrants"] = groups
    if res.intervals is not None:
        sheets["intervals"] = res.intervals
    return sheets


def _fit_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """A long population frame too long for a sheet, written wide: one column per age."""
    if len(frame) <= EXCEL_ROWS or not {"age", "population"} <= set(frame.columns):
        return frame
    keys = [c for c in frame.columns if c not in ("age", "population")]
    wide = frame.set_index([*keys, "age"])["population"].unstack("age").reset_index()
    wide.columns = [c if isinstance(c, str) else f"age {c}" for c in wide.columns]
    return wide


def write_frame(
    frame: pd.DataFrame,
    fmt: ProjectFormat,
    *,
    title: str,
    notes: list[str],
    output: Path | None,
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Print or save ``frame``: table/csv/json through :func:`blilyst.cli.output.emit`, xlsx with
    a sheet per frame and a ``notes`` sheet (base year, sources, estimates, assumptions)."""
    fmt = ProjectFormat(fmt)
    if fmt is ProjectFormat.xlsx:
        if output is None:
            raise InputError("--output", _("xlsx needs a file name, e.g. --output fyresdal.xlsx"))
        sheets = {name: _fit_excel(df) for name, df in ({"result": frame} | dict(extra_sheets or {})).items()}
        too_long = [name for name, df in sheets.items() if len(df) > EXCEL_ROWS]
        if too_long:
            raise InputError(
                "--format",
                _(
                    "the sheet '{sheet}' has {rows} rows, more than Excel holds; use --format csv for this output"
                ).format(sheet=too_long[0], rows=len(sheets[too_long[0]])),
            )
        try:
            with pd.ExcelWriter(output, engine="openpyxl") as xl:
                for name, df in sheets.items():
                    df.to_excel(xl, sheet_name=name[:31], index=False)
                pd.DataFrame({"notes": [title, *notes]}).to_excel(xl, sheet_name="notes", index=False)
        except OSError as exc:
            raise InputError(
                "--output", _("cannot write '{path}' ({problem})").format(path=output, problem=exc.strerror or exc)
            ) from None
        typer.echo(_("Wrote {path}").format(path=output), err=True)
        return
    if output is None:
        emit(frame, fmt.value, title=title, notes=notes)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            emit(frame, fmt.value, title=title, notes=notes, stream=fh)
    except OSError as exc:
        raise InputError(
            "--output", _("cannot write '{path}' ({problem})").format(path=output, problem=exc.strerror or exc)
        ) from None
    typer.echo(_("Wrote {path}").format(path=output), err=True)


@app.command(
    "scenarios",
    help=N_(
        "The projection scenarios, each explained in plain words (bokmål, nynorsk or English).\n\n"
        "Example: blilyst scenarios --lang nb"
    ),
)
def scenarios_cmd(
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
    fmt: ProjectFormat = typer.Option(ProjectFormat.table, "--format", help=N_("table, csv or json.")),
) -> None:
    from blilyst.demography.scenarios import scenario_table

    use_language(lang)
    if fmt is ProjectFormat.xlsx:
        raise InputError("--format", _("use table, csv or json for the list of scenarios"))
    emit(scenario_table(), fmt.value, title=_("Projection scenarios"))


FACTS = ("growth", "components", "ages")


def facts_output(kommune: str | None = None, fact: str = "all", last_years: int = 10, lang: str | None = None):
    """The guidance's headline facts computed from the data: a list of ``(key, frame, title, notes)``.

    ``growth``: per year, municipalities that grew and how many of them would have shrunk without
    migration (and without the growth of their immigrant population); ``components``: births,
    deaths and net migration over the last ``last_years`` years (the country, or ``kommune``);
    ``ages``: who arrives and who leaves by age group (registered moves where the data have them,
    else estimated net migration).
    """
    from blilyst.demography.accounts import accounts_from_snapshot
    from blilyst.demography.facts import change_components, growth_without_migration, migration_age_profile
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    use_language(lang)
    if fact != "all" and fact not in FACTS:
        raise InputError(
            "--fact",
            _("unknown fact '{fact}'; choose one of all, {choices}").format(fact=fact, choices=", ".join(FACTS)),
        )
    if last_years < 1:
        raise InputError("--last-years", _("must be at least 1; got {value}").format(value=last_years))
    muni = get_register().resolve(kommune) if kommune else None
    codes = [muni.code] if muni else None
    snap = load_snapshot()
    acc = accounts_from_snapshot(snapshot=snap)
    if last_years > len(acc.years):
        raise InputError(
            "--last-years",
            _("the accounts cover {count} years ({first}–{last}); got {value}").format(
                count=len(acc.years), first=acc.years[0], last=acc.years[-1], value=last_years
            ),
        )
    wanted = FACTS if fact == "all" else (fact,)
    facts = []
    if "growth" in wanted:
        facts.append(growth_without_migration(acc, snap.immigrants_by_reason))
    if "components" in wanted:
        facts.append(change_components(acc, codes, last_years=last_years, immigrants=snap.immigrants_by_reason))
    if "ages" in wanted:
        years = acc.years[-last_years:]
        facts.append(migration_age_profile(snap.migration_by_age, accounts=acc, municipalities=codes, years=years))
    where = f"{muni.code} {muni.name}" if muni else _("all municipalities")
    where_ages = where
    if muni is None and snap.migration_by_age is not None and len(snap.migration_by_age):
        n = snap.migration_by_age.municipality.nunique()
        where_ages = _("the {n} municipalities with registered moves by age").format(n=n)
    titles = {
        "growth_without_migration": _("Growth and migration by year (all municipalities)"),
        "change_components": _("Components of population change, last {years} years ({where})").format(
            years=last_years, where=where
        ),
        "migration_age_profile": _("Who arrives and who leaves, by age ({where})").format(where=where_ages),
    }
    out = []
    for f in facts:
        title = titles[f.key]
        notes = [f.text]
        if f.estimated:
            notes.append(_("Estimated: {what}").format(what=", ".join(_estimated_label(e) for e in f.estimated)))
        notes += [_("Source: {source}").format(source=s) for s in f.sources]
        out.append((f.key, f.frame, title, notes, list(f.estimated)))
    return out


#: The keys a fact marks as estimated (kept as keys in JSON's "estimated") and how a note names them.
ESTIMATED_LABELS = {
    "births": N_("births"),
    "deaths": N_("deaths"),
    "natural_increase": N_("natural increase"),
    "grew_only_by_migration": N_("grew only by migration"),
    "net_migration": N_("net migration"),
    "net_migration (where not registered)": N_("net migration (where not registered)"),
    "international_net": N_("international net migration"),
}


def _estimated_label(key: str) -> str:
    return _(ESTIMATED_LABELS[key]) if key in ESTIMATED_LABELS else key


@app.command(
    "facts",
    help=N_(
        "The guidance's headline facts computed from the data: growth with and without migration, "
        "components of change, and the ages of those who arrive and leave.\n\n"
        "Example: blilyst facts Vinje --fact components"
    ),
)
def facts_cmd(
    kommune: str = typer.Argument(
        None,
        help=N_("Municipality number or name for the components and the age profile; leave out for the whole country."),
    ),
    fact: str = typer.Option("all", "--fact", help=N_("growth, components, ages or all.")),
    last_years: int = typer.Option(10, "--last-years", help=N_("Years the components and age profile cover.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    import json
    import sys

    use_language(lang)
    if fmt is OutputFormat.csv and fact == "all":
        raise InputError("--fact", _("CSV holds one table: choose --fact growth, components or ages"))
    facts = facts_output(kommune, fact, last_years, lang)
    if fmt is OutputFormat.json:
        payload = {
            "facts": [
                {
                    "fact": key,
                    "title": title,
                    "rows": json.loads(frame.to_json(orient="records", force_ascii=False)),
                    "estimated": est,
                    "notes": notes,
                }
                for key, frame, title, notes, est in facts
            ]
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    for key, frame, title, notes, est in facts:
        if fmt is OutputFormat.table:
            frame = facts_table(key, frame, est, last_years)
            if any("*" in c for c in frame.columns) or frame.iloc[:, 0].astype(str).str.endswith("*").any():
                notes = [*notes, _("* = estimated.")]
        emit(frame, fmt.value, title=title, notes=notes)


def facts_table(key: str, frame: pd.DataFrame, estimated: list[str], last_years: int = 10) -> pd.DataFrame:
    """A fact's frame as a terminal table; estimated figures are marked with ``*``."""
    est = {e.split(" ")[0] for e in estimated}
    if key == "growth_without_migration":
        out = pd.DataFrame(
            {
                _("Year"): frame.year.astype(str),
                _("municipalities"): frame.municipalities,
                _("grew"): frame.grew,
                _("only by migration") + "*": frame.grew_only_by_migration,
                pgettext("proportion", "Share") + "*": frame.share_only_by_migration.map(
                    lambda v: "–" if pd.isna(v) else format_percent(v)
                ),
            }
        )
        if "grew_only_by_immigrants" in frame:
            out[_("less than immigrant growth")] = pd.Series(
                ["–" if pd.isna(v) else format_number(v) for v in frame.grew_only_by_immigrants], index=frame.index
            )
        return out
    if key == "change_components":
        row = frame[frame.municipality == "total"].iloc[0]
        munis = frame[frame.municipality != "total"]
        registered = "registered_years" in frame and bool((munis.registered_years == last_years).all())
        parts = [
            # a start stock that is a fixed share of a merged municipality is itself an estimate
            ("population_start", _("population 1 January, start") + ("" if row.get("comparable", True) else "*")),
            ("births", _("births") + ("*" if "births" in est else "")),
            ("deaths", _("deaths") + ("*" if "deaths" in est else "")),
            ("net_migration", _("net migration") + ("" if registered else "*")),
            ("domestic_net", _("domestic net migration")),
            ("international_net", _("international net migration") + ("*" if "international_net" in est else "")),
            ("boundary_change", _("border changes (not migration)")),
            ("residual", _("residual (rounding, flagged years)")),
            ("change", _("change")),
            ("population_end", _("population 1 January, end")),
            (
                "immigrant_change",
                _("immigrant population change {years}").format(years=row.get("immigrant_change_years", "")),
            ),
        ]
        rows = []
        for col, label in parts:
            if col not in frame or pd.isna(row.get(col)) or (col == "boundary_change" and abs(row[col]) < 0.5):
                continue
            share = row.get(f"{col}_share")
            per = row.get(f"{col}_per_1000")
            rows.append(
                {
                    _("component"): label,
                    _("Persons"): round(float(row[col])),
                    _("per 1,000"): "" if per is None or pd.isna(per) else format_number(per, 1),
                    _("share of flows"): "" if share is None or pd.isna(share) else format_percent(share),
                }
            )
        return pd.DataFrame(rows)
    out = frame.copy()
    for c in ("in_share", "out_share"):
        if c in out:
            out[c] = out[c].map(lambda v: format_percent(v))
    for c in ("in_migration", "out_migration", "net_migration"):
        if c in out:  # persons, in the language's format (estimates have decimals that mean nothing)
            out[c] = out[c].map(lambda v: "–" if pd.isna(v) else format_number(v))
    return out.rename(columns={c: f"{c}*" for c in out.columns if c in est})


@app.command(
    "backtest",
    help=N_(
        "Project all municipalities from an earlier year and compare with the populations registered "
        "since.\n\n"
        "Example: blilyst backtest --base-year 2016 --base-year 2021 --international registered"
    ),
)
def backtest_cmd(
    base_year: list[int] = typer.Option(
        [2016, 2021], "--base-year", help=N_("Start years to test (repeat the option); default 2016 and 2021.")
    ),
    horizon: list[int] = typer.Option([5, 10], "--horizon", help=N_("Years after the start to compare (repeatable).")),
    scenario: str = typer.Option("trend", "--scenario", "-s", help=N_("trend, trend5, low or high.")),
    international: str = typer.Option(
        "trend",
        "--international",
        help=N_("Net immigration to Norway: trend, low, high, registered, zero, or a number."),
    ),
    municipalities: bool = typer.Option(False, "--municipalities", help=N_("One row per municipality and horizon.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    _backtest(base_year, horizon, scenario, international, municipalities, fmt)


def _backtest(
    base_year: list[int],
    horizon: list[int],
    scenario: str,
    international: str,
    municipalities: bool,
    fmt: OutputFormat,
) -> None:
    from blilyst.demography.backtest import backtest, backtest_notes

    if scenario not in ("trend", "trend5", "low", "high"):
        raise InputError(
            "--scenario", _("a backtest runs trend, trend5, low or high, not '{scenario}'").format(scenario=scenario)
        )
    results = [backtest(y, tuple(horizon), scenario=scenario, international=international) for y in base_year]
    if municipalities:
        frame = pd.concat([r.municipal.assign(base_year=r.base_year) for r in results], ignore_index=True)
        frame["error"] = frame["error"].round(4)
        frame[["projected", "registered"]] = frame[["projected", "registered"]].round(0)
    else:
        frame = pd.concat([r.summary for r in results], ignore_index=True)
        for col in ("norway_error", "median_abs_error", "p90_abs_error", "mean_error", "largest_error"):
            frame[col] = frame[col].round(4)
        frame[["norway_projected", "norway_registered"]] = frame[["norway_projected", "norway_registered"]].round(0)
    notes = [note.word() for note in backtest_notes(results)]
    if fmt is OutputFormat.table and not municipalities:
        frame = _backtest_for_terminal(frame)
    title = _("Backtest, scenario {scenario}, net immigration {international}").format(
        scenario=scenario, international=international
    )
    emit(frame, fmt, title=title, notes=notes)


def _backtest_for_terminal(frame: pd.DataFrame) -> pd.DataFrame:
    """Short headers, years as years and errors as signed percentages, so the summary fits a terminal."""
    out = pd.DataFrame(
        {
            _("from"): frame["base_year"].astype(str),
            _("h"): frame["horizon"],
            _("Year"): frame["year"].astype(str),
            _("Norway"): frame["norway_projected"].round(0).astype(int),
            _("registered"): frame["norway_registered"].round(0).astype(int),
        }
    )
    for col, label, signed in (
        ("norway_error", N_("error"), True),
        ("median_abs_error", N_("median |e|"), False),
        ("p90_abs_error", N_("p90 |e|"), False),
        ("mean_error", N_("bias"), True),
        ("largest_error", N_("largest"), True),
    ):
        out[_(label)] = [format_percent(v, 1, signed=signed) for v in frame[col]]
    out[_("where")] = frame["largest_error_municipality"]
    return out
