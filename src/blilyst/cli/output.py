"""Write a pandas frame to the terminal as a table, CSV or JSON (the ``--format`` option).

CSV and JSON keep the frame's column keys and plain machine values, so scripts can read them in any language. A
terminal table is for people: its headers, and the words in a few categorical columns, are written in the
command's language (``--lang``) through gettext.
"""

from __future__ import annotations

import enum
import json
import sys

import pandas as pd

from blilyst.i18n import N_
from blilyst.i18n import gettext as _

#: Column keys of the library's frames and how a terminal table heads them.
TERMINAL_HEADERS: dict[str, str] = {
    "code": N_("Number"),
    "municipality": N_("Municipality"),
    "name": N_("Name"),
    "county": N_("County"),
    "county_code": N_("County number"),
    "county_name": N_("County"),
    "ba_region_code": N_("Region number"),
    "ba_region_name": N_("Labour-market region"),
    "centrality": N_("Centrality"),
    "centrality_class": N_("Centrality"),
    "centrality_index": N_("Centrality index"),
    "score": N_("Match"),
    "note": N_("Note"),
    "year": N_("Year"),
    "age": N_("Age"),
    "age_group": N_("Age group"),
    "sex": N_("Sex"),
    "male": N_("Males"),
    "female": N_("Females"),
    "total": N_("Total"),
    "population": N_("Population"),
    "status": N_("Status"),
    "dataset": N_("Data set"),
    "description": N_("Description"),
    "scenario": N_("Scenario"),
    "title": N_("Title"),
    "ssb_table": N_("SSB table"),
    "source_file": N_("File"),
    "date": N_("Date"),
    "licence": N_("Licence"),
    "credit": N_("Credit"),
    "rows": N_("Rows"),
    "in_migration": N_("In-migration"),
    "out_migration": N_("Out-migration"),
    "net_migration": N_("Net migration"),
    "in_share": N_("Share of in-migrants"),
    "out_share": N_("Share of out-migrants"),
    "source": N_("Source"),
}

#: Values of categorical columns that a terminal table writes in words.
TERMINAL_VALUES: dict[str, str] = {
    "male": N_("male"),
    "female": N_("female"),
    "registered": N_("registered"),
    "estimated": N_("estimated"),
    "projected": N_("projected"),
}
CATEGORICAL = ("sex", "status", "source")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its known column keys and categorical values in the active language (a trailing ``*``,
    the mark of an estimated column, is kept)."""
    out = frame.copy()
    for col in CATEGORICAL:
        if col in out.columns:
            out[col] = [_(TERMINAL_VALUES[v]) if v in TERMINAL_VALUES else v for v in out[col]]

    def header(col: object) -> str:
        key = str(col)
        star = "*" if key.endswith("*") else ""
        base = key.rstrip("*")
        return _(TERMINAL_HEADERS[base]) + star if base in TERMINAL_HEADERS else key

    return out.rename(columns={c: header(c) for c in out.columns})


class OutputFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


def emit(
    frame: pd.DataFrame,
    fmt: OutputFormat | str = OutputFormat.table,
    *,
    title: str | None = None,
    notes: list[str] | None = None,
    stream=None,
) -> None:
    """Print ``frame`` in the chosen format. ``notes`` (sources, estimates) go below a table,
    into a ``notes`` key in JSON, and as ``#`` comment lines after the CSV header is not disturbed."""
    stream = stream or sys.stdout
    fmt = OutputFormat(fmt)
    notes = notes or []
    if fmt is OutputFormat.csv:
        frame.to_csv(stream, index=False)
        for note in notes:
            stream.write(f"# {note}\n")
    elif fmt is OutputFormat.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        payload = {"title": title, "rows": records, "notes": notes} if (title or notes) else records
        stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        frame = for_people(frame)
        table = Table(title=title, show_lines=False)
        for col in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[col])
            table.add_column(str(col), justify="right" if numeric else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*[_fmt_cell(v) for v in row])
        console = Console(file=stream, width=max(100, Console().width))
        console.print(table)
        for note in notes:
            console.print(note, style="dim", highlight=False)


def _fmt_cell(value) -> str:
    """A terminal table cell in the language of the command (``--lang``): 2 550,25 in Norwegian, 2,550.25 in English."""
    from blilyst.i18n import format_number

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value, 2 if abs(value) < 1e6 else 0)
    if isinstance(value, int):
        return format_number(value)
    return str(value)
