"""``blilyst accounts`` and ``blilyst attractiveness``: demographic accounts and the attractiveness model.

Thin translators over :mod:`blilyst.demography.accounts` and :mod:`blilyst.demography.attractiveness`;
every output says its sources and which figures are estimated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import typer

from blilyst.cli import app
from blilyst.cli.output import OutputFormat, emit
from blilyst.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"2016-2025"`` → ``(2016, 2025)``; ``"2020"`` → ``(2020, 2020)``; None stays None."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–:]\s*(\d{4}))?\s*", text)
    if not m:
        raise InputError("--years", f"'{text}' is not a year or a range like 2016-2025")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise InputError("--years", f"the range {a}-{b} runs backwards")
    return a, b


def accounts_output(kommune: str, years: str | None = None, by_age: bool = False):
    """The frame, title and notes ``blilyst accounts`` prints (also used by the tests)."""
    from blilyst.demography.accounts import accounts_from_snapshot, registered_period
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    muni = get_register().resolve(kommune)
    snap = load_snapshot()
    acc = accounts_from_snapshot([muni.code], parse_years(years), snapshot=snap)
    notes = list(acc.notes)
    reg = registered_period(snap.components_2011_2025, muni.code)
    if reg is not None:
        tot = acc.residual.totals()
        if all(y in acc.years for y in range(2011, 2026)):
            t = tot[tot.year.between(2011, 2025)]
            ni = float((t.births - t.deaths).sum())
            nm = float(t.net_migration.sum())
            notes.append(
                f"Check against SSB 06913 (registered), 2011-2025: natural increase {reg['natural_increase_sum']:.0f} "
                f"(estimated {ni:.0f}), net migration {reg['net_migration_sum']:.0f} (estimated {nm:.0f})"
                + ("" if reg["comparable"] else "; SSB marks this municipality not comparable over the period")
                + "."
            )
    if by_age:
        frame = acc.by_age(muni.code)
        frame["value"] = frame.value.round(2)
        title = f"{muni.code} {muni.name}: components by sex and age at the end of the year"
    else:
        frame = acc.totals.copy()
        frame["value"] = frame.value.round(1)
        span = str(acc.years[0]) if len(acc.years) == 1 else f"{acc.years[0]}-{acc.years[-1]}"
        title = f"{muni.code} {muni.name}: demographic accounts {span}"
    return acc, frame, title, notes


@app.command("accounts")
def accounts_cmd(
    kommune: str = typer.Argument(..., help="Municipality number or name, e.g. 4036 or Vinje."),
    years: str = typer.Option(None, "--years", help="Event years, e.g. 2016-2025 (default: all from 2006)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
    by_age: bool = typer.Option(False, "--by-age", help="Components by sex and single-year age."),
) -> None:
    """Demographic accounts: population 1 January, births, deaths, migration, each registered or estimated.

    Example: blilyst accounts Vinje --years 2016-2025
    """
    acc, frame, title, notes = accounts_output(kommune, years, by_age)
    if fmt is OutputFormat.table and not by_age:
        emit(
            accounts_table(acc),
            fmt,
            title=title,
            notes=[*notes, "* = estimated; figures without * are registered. '–' = not in the data."],
        )
    else:
        emit(frame, fmt, title=title, notes=notes)


_SHORT = {
    "population_start": "pop 1 Jan",
    "births": "births",
    "deaths": "deaths",
    "natural_increase": "nat. incr.",
    "in_migration": "in",
    "out_migration": "out",
    "domestic_in": "dom. in",
    "domestic_out": "dom. out",
    "domestic_net": "dom. net",
    "international_net": "intl net",
    "net_migration": "net mig.",
    "residual": "residual",
    "population_end": "pop 1 Jan next",
}


def accounts_table(acc) -> pd.DataFrame:
    """The accounts as text cells for the terminal, each estimated figure marked with ``*``."""
    import pandas as pd

    from blilyst.i18n import format_number

    t = acc.totals
    cells = t.assign(
        cell=[format_number(v) + ("*" if s == "estimated" else "") for v, s in zip(t.value, t.source, strict=False)]
    )
    wide = cells.pivot_table(index="year", columns="component", values="cell", aggfunc="first")
    wide = wide[[c for c in _SHORT if c in wide.columns]].rename(columns=_SHORT).fillna("–")
    wide.index = wide.index.astype(str)
    out = wide.reset_index()
    out.columns.name = None
    return pd.DataFrame(out)


def attractiveness_output(kommune: str | None = None, period: str | None = None, old_structure: bool = False):
    from blilyst.demography.attractiveness import attractiveness_from_snapshot, attractiveness_old_structure

    if old_structure:
        if period not in (None, "2005-2015"):
            raise InputError("--period", "the 428-municipality data cover 2005-2015 only")
        model = attractiveness_old_structure()
    else:
        model = attractiveness_from_snapshot(parse_years(period))
    cols = [
        "municipality",
        "name",
        "centrality_class",
        "net_migration_pct",
        "job_growth_pct",
        "expected_pct",
        "attractiveness",
        "rank",
        "n",
        "rank_in_class",
        "n_in_class",
        "net_migration_source",
    ]
    notes = [f"Fit {model.period}: {model.equation()}.", *model.notes]
    if kommune is None:
        frame = model.frame[model.frame.in_fit].sort_values("rank")[cols]
        title = f"Attractiveness as a place to live, {model.period} (rank 1 = most attractive)"
    else:
        from blilyst.stats.register import get_register

        muni = get_register().resolve(kommune)
        code = muni.code
        if old_structure:
            olds = model.frame[model.frame.current_code == muni.code]
            if olds.empty:
                raise InputError("KOMMUNE", f"{muni} has no municipality in the 2016 structure")
            by_name = olds[olds.name.str.lower() == muni.name.lower()]
            code = (by_name if len(by_name) else olds).municipality.iloc[0]
        frame = model.place(code)[cols]
        row = model.frame[model.frame.municipality == code].iloc[0]
        if not row.in_fit:
            notes.insert(0, f"{muni.code} {muni.name} is not ranked: its population is an estimate in this period.")
        else:
            notes.insert(
                0,
                (
                    f"{muni.name}: net migration {row.net_migration_pct:+.1f} % against {row.expected_pct:+.1f} % "
                    f"expected from job growth {row.job_growth_pct:+.1f} %: attractiveness "
                    f"{row.attractiveness:+.1f} points; rank {row['rank']} of {row.n}, "
                    f"{row.rank_in_class} of {row.n_in_class} in centrality class {row.centrality_class}."
                ),
            )
        title = f"{muni.code} {muni.name} among centrality class {row.centrality_class}, {model.period}"
    frame = frame.copy()
    for c in ("net_migration_pct", "job_growth_pct", "expected_pct", "attractiveness"):
        frame[c] = frame[c].round(2)
    sources = set(model.frame.net_migration_source)
    if sources == {"estimated"}:
        notes.append("All net migration figures are estimated (residual method); job counts are registered.")
    elif sources == {"registered"}:
        notes.append("All net migration figures are registered (SSB 06913/01223); job counts are registered.")
    else:
        notes.append(
            "Net migration is registered where net_migration_source says so and estimated (residual "
            "method) elsewhere; job counts are registered."
        )
    return model, frame, title, notes


def attractiveness_table(frame) -> pd.DataFrame:
    """Short text cells for the terminal."""
    import pandas as pd

    def f(v: float) -> str:
        return f"{v:+.1f}"

    return pd.DataFrame(
        {
            "code": frame.municipality,
            "name": frame.name,
            "class": frame.centrality_class.astype(str),
            "net mig. %": [
                f(v) + ("" if src == "registered" else "*")
                for v, src in zip(frame.net_migration_pct, frame.net_migration_source, strict=False)
            ],
            "jobs %": frame.job_growth_pct.map(f),
            "expected %": frame.expected_pct.map(f),
            "attractiveness": frame.attractiveness.map(f),
            "rank": [f"{r}/{n}" for r, n in zip(frame["rank"], frame.n, strict=False)],
            "in class": [f"{r}/{n}" for r, n in zip(frame.rank_in_class, frame.n_in_class, strict=False)],
        }
    )


@app.command("attractiveness")
def attractiveness_cmd(
    kommune: str = typer.Argument(None, help="Municipality number or name; leave out for the full ranking."),
    period: str = typer.Option(
        None,
        "--period",
        help="Any two job years in the data, e.g. 2005-2015 "
        "(the default offline) or 2015-2017; after 'blilyst data refresh' also the "
        "years of SSB 13470.",
    ),
    old_structure: bool = typer.Option(
        False, "--old-structure", help="Run on the 428 municipalities of 2016 (2005-2015 only)."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """Attractiveness as a place to live (Telemarksforsking's model): net migration beyond what job growth explains.

    Example: blilyst attractiveness Vinje --period 2005-2015
    """
    _, frame, title, notes = attractiveness_output(kommune, period, old_structure)
    if fmt is OutputFormat.table:
        emit(attractiveness_table(frame), fmt, title=title, notes=[*notes, "* = estimated."])
    else:
        emit(frame, fmt, title=title, notes=notes)
