"""Demography commands: ``blilyst project`` (and, from :mod:`blilyst.cli.accounts`, ``accounts`` and
``attractiveness``).

Thin translators over :mod:`blilyst.demography`: one library call, then output. Every output states
the base year, the data sources, which figures are estimated and the scenario's assumptions.
"""

from __future__ import annotations

import enum
from pathlib import Path

import pandas as pd
import typer

from blilyst.cli import app
from blilyst.cli.output import emit
from blilyst.errors import InputError

try:  # accounts and attractiveness live in their own module; register them with the demography commands
    import blilyst.cli.accounts  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - while that module is being built
    if exc.name != "blilyst.cli.accounts":
        raise


class ProjectFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


SUMMARY_COLUMNS = ["year", "population", "age_0_19", "working_age", "age_67_plus", "age_80_plus",
                   "old_age_dependency", "reaching_67", "births", "deaths", "net_migration", "extra_migrants", "status"]


def project_output(kommune: str, scenario: str = "trend", years: int = 20, *, input_file: Path | None = None,
                   by_age: bool = False, by_age_group: bool = False, lang: str = "en", **options):
    """Run the projection and return ``(result, frame, title, notes)`` as the command prints them."""
    from blilyst.demography.scenarios import SCENARIOS, run_scenario
    from blilyst.stats.register import get_register

    if scenario not in SCENARIOS:
        raise InputError("--scenario", f"unknown scenario '{scenario}'; choose one of {', '.join(SCENARIOS)}")
    if lang not in ("nb", "en"):
        raise InputError("--lang", "must be nb or en")
    reg = get_register()
    if kommune.strip().lower() in ("all", "alle"):
        codes, label = None, "All 357 municipalities" if lang == "en" else "Alle 357 kommuner"
    else:
        munis = [reg.resolve(part) for part in kommune.split(",") if part.strip()]
        if not munis:
            raise InputError("KOMMUNE", "give a municipality number or name, a comma-separated list, or 'all'")
        codes = list(dict.fromkeys(m.code for m in munis))
        label = ", ".join(f"{m.code} {m.name}" for m in munis)
    res = run_scenario(codes, scenario, years, assumptions=input_file, **options)
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
        frame = frame[frame["measure"] == "population"].drop(columns=["measure"] + drop).round(0)
        trend = res.summary().set_index(["municipality", "year"])["population"]
        keys = list(zip(res.intervals.loc[frame.index, "municipality"], frame["year"]))
        frame.insert(frame.columns.get_loc("median"), "trend", trend.loc[keys].round(0).to_numpy())
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
    title = f"{label}: {res.scenario.title[lang]}, {res.years[0]}-{res.years[-1]}"
    return res, frame, title, res.notes(lang)


@app.command("project")
def project_cmd(
    kommune: str = typer.Argument(..., help="Municipality number or name (4032, Fyresdal), a comma-separated "
                                            "list (Fyresdal,Vinje,Tokke) or 'all'."),
    scenario: str = typer.Option("trend", "--scenario", "-s",
                                 help="trend, trend5, zero-migration, no-immigration, low, high, housing-led, "
                                      "employment-led, target-seeking, stochastic."),
    years: int = typer.Option(20, "--years", help="Years to project (1-100)."),
    input_file: Path = typer.Option(None, "--input", help="Your own assumptions, CSV or JSON (see docs/scenarios.md)."),
    fmt: ProjectFormat = typer.Option(ProjectFormat.table, "--format", help="table, csv, json or xlsx."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of the terminal."),
    by_age: bool = typer.Option(False, "--by-age", help="Population by year, sex and single-year age."),
    by_age_group: bool = typer.Option(False, "--by-age-group", help="Population by year and 5-year age group."),
    lang: str = typer.Option("en", "--lang", help="Language of the notes: nb or en."),
    window: int = typer.Option(None, "--window", help="Trend years (default 10; 5 for trend5)."),
    dwellings: float = typer.Option(None, "--dwellings", help="housing-led: new dwellings a year."),
    jobs_growth: float = typer.Option(None, "--jobs-growth", help="employment-led: jobs growth a year, e.g. 0.01."),
    jobs_target: float = typer.Option(None, "--jobs-target", help="employment-led: jobs in the final year."),
    target: str = typer.Option("working-age", "--target", help="target-seeking: working-age or population."),
    target_population: float = typer.Option(None, "--target-population", help="target-seeking: population to reach."),
    simulations: int = typer.Option(1000, "--simulations", help="stochastic: number of simulations."),
    seed: int = typer.Option(2024, "--seed", help="stochastic: random seed."),
) -> None:
    """Project a municipality's population under a named scenario.

    Example: blilyst project Fyresdal --scenario target-seeking --years 20
    """
    if by_age and by_age_group:
        raise InputError("--by-age", "choose --by-age or --by-age-group, not both")
    for flag, value, needs in (("--dwellings", dwellings, "housing-led"), ("--jobs-growth", jobs_growth, "employment-led"),
                               ("--jobs-target", jobs_target, "employment-led"),
                               ("--target-population", target_population, "target-seeking")):
        if value is not None and scenario != needs:
            raise InputError(flag, f"applies to --scenario {needs} only, not '{scenario}'")
    if output is not None and not output.parent.is_dir():
        raise InputError("--output", f"the folder '{output.parent}' does not exist")
    options = dict(window=window, dwellings_per_year=dwellings, jobs_growth=jobs_growth, jobs_target=jobs_target,
                   target=target, target_population=target_population, simulations=simulations, seed=seed)
    res, frame, title, notes = project_output(kommune, scenario, years, input_file=input_file, by_age=by_age,
                                              by_age_group=by_age_group, lang=lang, **options)
    if fmt is ProjectFormat.table:
        frame = _for_terminal(frame)
    write_frame(frame, fmt, title=title, notes=notes, output=output, extra_sheets=_sheets(res))


_SHORT = {"population": "pop", "age_0_19": "0-19", "working_age": "20-66", "age_67_plus": "67+", "age_80_plus": "80+",
          "old_age_dependency": "67+/20-66", "reaching_67": "turn 67", "net_migration": "net mig",
          "extra_migrants": "extra mig"}


def _for_terminal(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole persons as integers and short column names, so a 20-year table fits a terminal."""
    out = frame.rename(columns=_SHORT).drop(columns=["name", "status"], errors="ignore").copy()
    if "year" in out.columns:
        out["year"] = out["year"].astype(str)  # 2026, not "2 026"
    for col in out.columns:
        if col in ("67+/20-66", "status", "sex", "measure") or not pd.api.types.is_float_dtype(out[col]):
            continue
        out[col] = pd.Series([None if pd.isna(v) else int(round(v)) for v in out[col]], index=out.index, dtype=object)
    return out


def _sheets(res) -> dict[str, pd.DataFrame]:
    sheets = {"summary": res.summary(), "age_groups": res.age_groups(), "population": res.frame()}
    groups = res.extra_by_age_group()
    if groups is not None:
        sheets["extra_migrants"] = groups
    if res.intervals is not None:
        sheets["intervals"] = res.intervals
    return sheets


def write_frame(frame: pd.DataFrame, fmt: ProjectFormat, *, title: str, notes: list[str], output: Path | None,
                extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """Print or save ``frame``: table/csv/json through :func:`blilyst.cli.output.emit`, xlsx with
    a sheet per frame and a ``notes`` sheet (base year, sources, estimates, assumptions)."""
    fmt = ProjectFormat(fmt)
    if fmt is ProjectFormat.xlsx:
        if output is None:
            raise InputError("--output", "xlsx needs a file name, e.g. --output fyresdal.xlsx")
        sheets = {"result": frame} | dict(extra_sheets or {})
        try:
            with pd.ExcelWriter(output, engine="openpyxl") as xl:
                for name, df in sheets.items():
                    df.to_excel(xl, sheet_name=name[:31], index=False)
                pd.DataFrame({"notes": [title] + notes}).to_excel(xl, sheet_name="notes", index=False)
        except OSError as exc:
            raise InputError("--output", f"cannot write '{output}' ({exc.strerror or exc})") from None
        typer.echo(f"Wrote {output}", err=True)
        return
    if output is None:
        emit(frame, fmt.value, title=title, notes=notes)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            emit(frame, fmt.value, title=title, notes=notes, stream=fh)
    except OSError as exc:
        raise InputError("--output", f"cannot write '{output}' ({exc.strerror or exc})") from None
    typer.echo(f"Wrote {output}", err=True)


@app.command("scenarios")
def scenarios_cmd(
    lang: str = typer.Option("en", "--lang", help="nb (bokmål) or en."),
    fmt: ProjectFormat = typer.Option(ProjectFormat.table, "--format", help="table, csv or json."),
) -> None:
    """The projection scenarios, each explained in plain bokmål or English.

    Example: blilyst scenarios --lang nb
    """
    from blilyst.demography.scenarios import scenario_table

    if fmt is ProjectFormat.xlsx:
        raise InputError("--format", "use table, csv or json for the list of scenarios")
    title = "Framskrivingsalternativer" if lang == "nb" else "Projection scenarios"
    emit(scenario_table(lang), fmt.value, title=title)
