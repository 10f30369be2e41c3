"""``blilyst municipality``: look up municipalities in the register (codes, names, old codes)."""

from __future__ import annotations

import pandas as pd
import typer

from blilyst.cli import LANG_HELP, add_group, use_language
from blilyst.cli.output import OutputFormat, emit
from blilyst.errors import UnknownMunicipality
from blilyst.i18n import N_
from blilyst.i18n import gettext as _

municipality_app = typer.Typer(
    help=N_(
        "Look up municipalities: codes, names, counties, old codes.\n\nExample: blilyst municipality find Aalesund"
    ),
    no_args_is_help=True,
)
add_group(municipality_app, "municipality")


def find_frame(text: str, limit: int = 5) -> pd.DataFrame:
    """The rows ``blilyst municipality find`` prints (raises UnknownMunicipality if none match)."""
    from blilyst.stats.register import get_register

    matches = get_register().find(text, limit=limit)
    if not matches:
        raise UnknownMunicipality(text)
    return pd.DataFrame(
        [
            {
                "code": m.municipality.code,
                "name": m.municipality.name,
                "county": m.municipality.county_name,
                "centrality": m.municipality.centrality_class,
                "score": float(m.score),
                "note": m.note,
            }
            for m in matches
        ]
    )


@municipality_app.command(
    "find",
    help=N_(
        "Find municipalities by number or name, best match first, with a note on old codes.\n\n"
        "Example: blilyst municipality find 3825"
    ),
)
def find_cmd(
    text: str = typer.Argument(
        ...,
        help=N_(
            "A municipality number (today's or an old one) or a name; case, accents and small typos do not matter."
        ),
    ),
    limit: int = typer.Option(5, "--limit", min=1, max=50, help=N_("At most this many candidates.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    frame = find_frame(text, limit)
    emit(
        frame,
        fmt,
        title=_("Municipalities matching '{text}'").format(text=text),
        notes=[_("Codes and names of the 2024 structure (357 municipalities). Source: Statistics Norway (Klass).")],
    )


@municipality_app.command(
    "list",
    help=N_(
        "List the municipalities with county, labour-market region and centrality (SSB Klass 128).\n\n"
        "Example: blilyst municipality list --county Telemark"
    ),
)
def list_cmd(
    county: str = typer.Option(None, "--county", help=N_("Only this county (number or name), e.g. 40 or Telemark.")),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help=N_("table, csv or json.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    from blilyst.errors import InputError
    from blilyst.stats.register import get_register

    frame = get_register().frame()
    if county:
        c = county.strip().lower()
        keep = (frame.county_code == c.zfill(2)) | frame.county_name.str.lower().str.startswith(c)
        if not keep.any():
            raise InputError(
                "--county",
                _("no county matches '{county}'; counties: {counties}").format(
                    county=county, counties=", ".join(sorted(set(frame.county_code + " " + frame.county_name)))
                ),
            )
        frame = frame[keep]
    emit(
        frame.reset_index(drop=True),
        fmt,
        title=_("Municipalities (2024 structure)"),
        notes=[_("Source: Statistics Norway (Klass 131, 128; labour-market regions 2024).")],
    )
