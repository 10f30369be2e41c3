"""Write a pandas frame to the terminal as a table, CSV or JSON (the ``--format`` option)."""

from __future__ import annotations

import enum
import json
import sys

import pandas as pd


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
