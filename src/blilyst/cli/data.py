"""``blilyst data``: the data behind blilyst — its sources, a municipality's population, and the snapshot.

``data_app`` is the ``blilyst data`` group; ``cli/refresh.py`` adds ``data refresh`` to it.
"""

from __future__ import annotations

import contextlib
import enum
import warnings
from pathlib import Path

import pandas as pd
import typer

from blilyst.cli import LANG_HELP, add_group, use_language
from blilyst.cli.output import OutputFormat, emit
from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, ngettext
from blilyst.i18n import gettext as _

data_app = typer.Typer(
    help=N_(
        "The data: sources, population figures, the bundled and local snapshot.\n\n"
        "Example: blilyst data show Vinje --by sex"
    ),
    no_args_is_help=True,
)
add_group(data_app, "data")


@contextlib.contextmanager
def warnings_as_lines():
    """Print the library's warnings (a corrupt local snapshot, a stale cache) as one line each on
    stderr, "Warning: ...", instead of Python's file-and-line format."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        warnings.simplefilter("always", UserWarning)
        try:
            yield
        finally:
            seen = set()
            for w in caught:
                text = " ".join(str(w.message).split())
                if issubclass(w.category, (RuntimeWarning, UserWarning)) and text not in seen:
                    seen.add(text)
                    typer.echo(_("Warning: {message}").format(message=text), err=True)


def snapshot_origin(origin: str) -> str:
    """Which snapshot the data come from ("bundled" or "local") in the command's language."""
    words = {"bundled": N_("bundled"), "local": N_("local")}
    return _(words[origin]) if origin in words else origin


class By(str, enum.Enum):
    age = "age"
    sex = "sex"


@data_app.command(
    "sources",
    help=N_(
        "List every data set in the snapshot with its source table, file, date, licence and credit.\n\n"
        "Example: blilyst data sources --format csv"
    ),
)
def sources_cmd(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    from blilyst.stats.snapshot import load_snapshot
    from blilyst.stats.sources import sources_in_words

    with warnings_as_lines():
        snap = load_snapshot()
    frame = sources_in_words(snap)
    if fmt is OutputFormat.table:
        frame = frame[["dataset", "ssb_table", "date", "licence", "credit"]]
    emit(
        frame,
        fmt,
        title=_("Data sources ({origin} snapshot, version {version})").format(
            origin=snapshot_origin(snap.origin), version=snap.version
        ),
        notes=[
            _("Snapshot: {path}").format(path=snap.path),
            _(
                'Data: Statistics Norway (SSB), CC BY 4.0 — "Kilde: Statistisk sentralbyrå". Run with --format csv '
                "for descriptions and source files."
            ),
        ],
    )


def population_table(kommune: str, year: int | None = None, by: By | str | None = None):
    """The frame, title and notes ``blilyst data show`` prints (also used by the web and the tests)."""
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot, population_flag_text

    register = get_register()
    muni = register.resolve(kommune)
    snap = load_snapshot()
    pop = snap.population
    years = sorted(int(y) for y in pop.year.unique())
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise InputError(
            "--year",
            _("{year} is not in the data (population 1 January {first}–{last})").format(
                year=year, first=years[0], last=years[-1]
            ),
        )
    rows = pop[(pop.municipality == muni.code) & (pop.year == year)]
    total = int(rows.population.sum())
    by = By(by) if by else None
    if by is By.sex:
        frame = rows.groupby("sex", sort=False).population.sum().reindex(["male", "female"]).reset_index()
    elif by is By.age:
        frame = rows.groupby("age").population.sum().reset_index()
    else:
        frame = rows.pivot_table(index="age", columns="sex", values="population", aggfunc="sum")
        frame = frame[["male", "female"]].assign(total=lambda f: f.male + f.female).reset_index()
        frame.columns.name = None
    frame = frame.astype({c: "int64" for c in frame.columns if c != "sex"})
    persons = format_number(total)
    title = ngettext(
        "{code} {name}: population 1 January {year}, {persons} person",
        "{code} {name}: population 1 January {year}, {persons} persons",
        total,
    ).format(code=muni.code, name=muni.name, year=year, persons=persons)
    notes = [
        _("{credit} — {origin} snapshot {version}. Age 105 = 105 or older.").format(
            credit=snap.credit("population"), origin=snapshot_origin(snap.origin), version=snap.version
        )
    ]
    found = [m.note for m in register.find(kommune, limit=1) if m.municipality == muni and m.note]
    notes += found  # an old code or name: what happened to it ("3825 Vinje ... is today 4036 Vinje")
    flags = snap.population_flags
    mine = flags.loc[(flags.municipality == muni.code) & (flags.year_from <= year) & (flags.year_to >= year)]
    for row in mine.to_dict("records"):
        notes.append(population_flag_text(muni.name, int(row["year_from"]), int(row["year_to"]), str(row["note"])))
    return frame, title, notes


@data_app.command(
    "show",
    help=N_(
        "Show a municipality's population on 1 January by single-year age and sex, with its source.\n\n"
        "Example: blilyst data show kviteseid --year 2026"
    ),
)
def show_cmd(
    kommune: str = typer.Argument(..., help=N_("Municipality number or name, e.g. 4028 or Kviteseid.")),
    year: int = typer.Option(None, "--year", help=N_("Year (population on 1 January); default the latest.")),
    by: By = typer.Option(None, "--by", help=N_("age or sex; default a table by age and sex.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    with warnings_as_lines():
        frame, title, notes = population_table(kommune, year, by)
    if fmt is OutputFormat.table:  # a narrow table would wrap its title: print it on its own line
        typer.echo(title)
        emit(frame, fmt, notes=notes)
    else:
        emit(frame, fmt, title=title, notes=notes)


@data_app.command(
    "build-snapshot",
    help=N_(
        "Rebuild the bundled register and snapshot from data/raw (for maintainers; commit the result).\n\n"
        "Example: blilyst data build-snapshot --raw data/raw"
    ),
)
def build_snapshot_cmd(
    raw: Path = typer.Option(None, "--raw", help=N_("The raw data directory (default: data/raw of this checkout).")),
    dest: Path = typer.Option(
        None,
        "--dest",
        help=N_(
            "Write the snapshot here instead of the bundled src/blilyst/data/snapshot (the register goes beside it)."
        ),
    ),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    from blilyst.stats import build_snapshot as bs

    if raw is not None and not raw.is_dir():
        raise InputError("--raw", _("{path} is not a directory").format(path=raw))
    kwargs = {}
    if dest is not None:
        kwargs = {"snapshot_dir": dest, "register_file": dest.parent / "register.json"}
    typer.echo(
        _("Building the register and the snapshot from {path} ...").format(path=raw or bs.default_raw_dir()), err=True
    )
    manifest = bs.build(raw, **kwargs)
    out = Path(kwargs.get("snapshot_dir", bs.BUNDLED_SNAPSHOT))
    frame = pd.DataFrame(
        [
            {"dataset": name, "rows": e["rows"], "kB": round((out / e["file"]).stat().st_size / 1024)}
            for name, e in manifest["datasets"].items()
        ]
    )
    emit(
        frame,
        OutputFormat.table,
        title=_("Snapshot {version} written to {path}").format(version=manifest["version"], path=out),
        notes=[_("Register written to {path}").format(path=kwargs.get("register_file", bs.REGISTER_FILE))],
    )
