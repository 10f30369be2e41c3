"""``blilyst data refresh``: fetch the snapshot's SSB tables live and write the local snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer

from blilyst.cli import LANG_HELP, use_language
from blilyst.cli.data import data_app, warnings_as_lines
from blilyst.cli.output import OutputFormat, emit
from blilyst.i18n import N_, ngettext
from blilyst.i18n import gettext as _


@data_app.command(
    "refresh",
    help=N_(
        "Fetch population (07459), components of change (06913/01223), moves per year (09588) and jobs by "
        "place of work (13470) live from SSB and write a local snapshot that then takes precedence over "
        "the bundled data.\n\n"
        "Offline, it says so and changes nothing: blilyst keeps working on the bundled data. Answers are "
        "cached in $BLILYST_CACHE_DIR (default ~/.cache/blilyst), so a second run is fast.\n\n"
        "Example: blilyst data refresh"
    ),
)
def refresh_cmd(
    dest: Path | None = typer.Option(
        None,
        "--dest",
        help=N_("Where to write the local snapshot (default: $BLILYST_DATA_DIR or ~/.local/share/blilyst/snapshot)."),
    ),
    from_year: int = typer.Option(
        2006,
        "--from-year",
        min=2006,
        help=N_("First year of population to fetch (the local snapshot then holds population from this year only)."),
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    from blilyst.stats.snapshot import local_dir
    from blilyst.stats.sources import dataset_name

    with warnings_as_lines():  # a corrupt cache file: one "Warning:" line, and it is fetched again
        result = _refresh(dest or local_dir(), from_year)

    columns = ["dataset", "rows", "ssb_table", "date"]  # csv and json add each data set's key
    manifest = json.loads((result.dest / "manifest.json").read_text(encoding="utf-8"))
    rows = [
        {
            "key": name,
            "dataset": dataset_name(name),
            "rows": n,
            "ssb_table": manifest["datasets"][name].get("ssb_table", ""),
            "date": manifest["datasets"][name].get("date", ""),
        }
        for name, n in result.datasets.items()
    ]
    notes = [f"{dataset_name(name)}: {why}" for name, why in result.skipped.items()]
    notes += [
        ngettext(
            "Local snapshot written to {path}; it now takes precedence over the bundled data ({count} request to SSB).",
            "Local snapshot written to {path}; it now takes precedence over the bundled data ({count} requests to "
            "SSB).",
            result.requests,
        ).format(path=result.dest, count=result.requests),
        _("Source: Statistics Norway (CC BY 4.0)."),
    ]
    emit(
        pd.DataFrame(rows, columns=columns if fmt is OutputFormat.table else ["key", *columns]),
        fmt,
        title=_("Refreshed from SSB"),
        notes=notes,
    )


def _refresh(dest: Path, from_year: int):
    """Run the refresh, with a progress bar when stderr is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from blilyst.stats.refresh import refresh_snapshot

    console = Console(stderr=True)
    if not console.is_terminal:  # in a pipe or a log: no bar (rich would still print a blank line)
        result = refresh_snapshot(dest, first_year=from_year)
    else:
        tasks: dict[str, TaskID] = {}
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:

            def on_progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = progress.add_task(step, total=max(total, 1))
                progress.update(tasks[step], completed=done, total=max(total, 1))

            result = refresh_snapshot(dest, progress=on_progress, first_year=from_year)
    return result
