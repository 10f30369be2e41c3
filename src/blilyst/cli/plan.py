"""``blilyst plan``: the municipality's plan document (PDF or Word) from the command line.

The same plan the web app exports (needs analysis, comparison, outlook), built by
:func:`blilyst.plan.evidence.build_plan` and written by :func:`blilyst.plan.document.write`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from blilyst.cli import app


@app.command("plan")
def plan_command(
    kommune: str = typer.Argument(..., help="Municipality number or name, e.g. 4028 or Kviteseid."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write; .pdf or .docx picks the format."),
    lang: str = typer.Option("nb", "--lang", help="Language of the document: nb (bokmål) or en."),
    outlook: bool = typer.Option(
        True,
        "--outlook/--no-outlook",
        help="Include the 20-year projection, the workforce need and the attractiveness model.",
    ),
) -> None:
    """Write the municipality's plan (needs analysis, comparison, outlook) as PDF or DOCX.

    Example: blilyst plan kviteseid --output kviteseid-plan.pdf
    """
    from blilyst.errors import InputError
    from blilyst.plan.document import write
    from blilyst.plan.evidence import build_plan
    from blilyst.stats.register import get_register

    if lang not in ("nb", "en"):
        raise InputError("--lang", f"'{lang}' is not a language blilyst writes; use nb or en")
    if output.suffix.lower() not in (".pdf", ".docx"):
        raise InputError("--output", f"'{output.name}' must end in .pdf or .docx")
    municipality = get_register().resolve(kommune)
    plan = build_plan(
        municipality.code,
        lang=lang,
        prepared_on=dt.date.today(),
        projection=outlook or None,
        target_seeking=outlook or None,
        attractiveness=outlook or None,
    )
    path = write(plan, output)
    typer.echo(f"Wrote the plan for {municipality.code} {municipality.name} to {path}")
