"""``blilyst plan``: the municipality's plan document (PDF or Word) from the command line.

The same document the web app exports: :func:`blilyst.plan.assembly.build_document` builds it from a saved
plan (the file the web app's export page saves, ``--saved``) or from an empty plan (the needs analysis,
comparison and outlook, with the plan's own parts marked "not filled in yet"), and
:func:`blilyst.plan.document.write` writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from blilyst.cli import LANG_HELP, app, use_language
from blilyst.i18n import N_
from blilyst.i18n import gettext as _


@app.command(
    "plan",
    help=N_(
        "Write the municipality's plan (needs analysis, comparison, outlook and the saved plan) as PDF or "
        "DOCX.\n\n"
        "Example: blilyst plan kviteseid --saved plan-4028.json --output kviteseid-plan.pdf"
    ),
)
def plan_command(
    kommune: str = typer.Argument(..., help=N_("Municipality number or name, e.g. 4028 or Kviteseid.")),
    output: Path = typer.Option(..., "--output", "-o", help=N_("File to write; .pdf or .docx picks the format.")),
    saved: Path | None = typer.Option(
        None,
        "--saved",
        help=N_("The plan saved from the web app's export page (JSON): target groups, chain, assessment, campaign."),
    ),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    from blilyst.errors import InputError
    from blilyst.plan.assembly import build_document
    from blilyst.plan.document import write
    from blilyst.plan.saved import SavedPlan
    from blilyst.stats.register import get_register

    lang = use_language(lang)
    if output.suffix.lower() not in (".pdf", ".docx"):
        raise InputError("--output", _("'{name}' must end in .pdf or .docx").format(name=output.name))
    municipality = get_register().resolve(kommune)
    plan = SavedPlan(municipality=municipality.code)
    if saved is not None:
        plan = SavedPlan.load(saved)
        if plan.municipality != municipality.code:
            raise InputError(
                "--saved",
                _(
                    "'{file}' is the plan of municipality {plan}, not {code} {name}; give the matching municipality "
                    "or file"
                ).format(file=saved.name, plan=plan.municipality, code=municipality.code, name=municipality.name),
            )
    document = build_document(plan, lang=lang, prepared_on=dt.date.today())
    path = write(document, output)
    typer.echo(
        _("Wrote the plan for {code} {name} to {path}").format(
            code=municipality.code, name=municipality.name, path=path
        )
    )
