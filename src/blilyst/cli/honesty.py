"""``blilyst honesty``: check a campaign text's promises from the command line.

The same check as the planning page's "Honest message" (:func:`blilyst.plan.honesty.check_campaign`). The
capacity comes from a JSON file (``--capacity``, the shape of :meth:`Capacity.to_dict`) or, without one, from
the web app's database: the municipality's registers as they are today and its thresholds from its settings.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from blilyst.cli import app, use_language
from blilyst.i18n import N_
from blilyst.i18n import gettext as _


def _read_text(path: Path) -> str:
    from blilyst.errors import InputError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(
            "FILE", _("'{path}' does not exist; give the path of a text file with the campaign").format(path=path)
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            "FILE", _("'{path}' is not UTF-8 text; save it as plain UTF-8 text and try again").format(path=path)
        ) from exc
    except OSError as exc:
        raise InputError(
            "FILE", _("'{path}' cannot be read ({problem})").format(path=path, problem=exc.strerror)
        ) from exc
    if len(text.strip()) < 20:
        raise InputError(
            "FILE", _("'{path}' is too short to check; it should hold the whole campaign text").format(path=path)
        )
    return text


def _from_file(path: Path):
    from blilyst.errors import InputError
    from blilyst.plan.capacity import Capacity

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("--capacity", _("'{path}' does not exist").format(path=path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            "--capacity",
            _("'{path}' is not valid JSON (line {line}: {problem})").format(
                path=path, line=exc.lineno, problem=exc.msg
            ),
        ) from exc
    return Capacity.from_dict(data, source=str(path))


def _from_database(code: str):
    """The municipality's capacity and thresholds from the web app's registers (``None`` if it has none)."""
    from blilyst.cli.web import _setup_django

    _setup_django()
    from django.core.management import call_command

    from blilyst.web.accounts.models import Municipality
    from blilyst.web.planning import aggregates
    from blilyst.web.resources.models import Host, Housing, JobVacancy, KindergartenCapacity

    call_command("migrate", interactive=False, verbosity=0)
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        return None, None
    cap = aggregates.capacity(
        Housing.objects.all(),
        JobVacancy.objects.all(),
        KindergartenCapacity.objects.all(),
        code,
        hosts=Host.objects.all(),
    )
    return cap, municipality.honesty_thresholds()


@app.command(
    "honesty",
    help=N_(
        "Check a campaign text's promises against what the municipality can offer.\n\n"
        "Example: blilyst honesty kampanje.txt --kommune kviteseid"
    ),
)
def honesty_command(
    file: Path = typer.Argument(..., help=N_("The campaign text, a UTF-8 text file in bokmål or nynorsk.")),
    kommune: str = typer.Option(
        ..., "--kommune", "-k", help=N_("Municipality number or name, e.g. 4028 or Kviteseid.")
    ),
    capacity: Path | None = typer.Option(
        None, "--capacity", help=N_("A JSON file with the capacity; without it the web app's registers are used.")
    ),
    many: int | None = typer.Option(
        None, "--many", help=N_("“Mange” means more than this (default: the settings, 10).")
    ),
    rent_limit: int | None = typer.Option(None, "--rent-limit", help=N_("“Rimelig” rent at most this, NOK a month.")),
    price_limit: int | None = typer.Option(None, "--price-limit", help=N_("“Rimelig” price at most this, NOK.")),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help=N_(
            "Language of texts and number formats: nb (bokmål, the default), nn (nynorsk) or en. Rewrites follow "
            "the text's own standard."
        ),
    ),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the report as JSON.")),
) -> None:
    from dataclasses import replace

    from blilyst.errors import InputError
    from blilyst.plan.honesty import Thresholds, check_campaign
    from blilyst.stats.register import get_register

    lang = use_language(lang)
    municipality = get_register().resolve(kommune)
    text = _read_text(file)
    if capacity is not None:
        cap, thresholds = _from_file(capacity), Thresholds()
    else:
        cap, thresholds = _from_database(municipality.code)
        thresholds = thresholds or Thresholds()
    try:
        overrides = {
            k: v for k, v in (("many", many), ("rent_limit", rent_limit), ("price_limit", price_limit)) if v is not None
        }
        thresholds = replace(thresholds, **overrides)
    except ValueError as exc:
        raise InputError("--many/--rent-limit/--price-limit", str(exc)) from exc
    report = check_campaign(text, cap, thresholds)
    if as_json:
        typer.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{municipality.code} {municipality.name}")
    if cap is None:
        typer.echo(
            _(
                "No registers for this municipality in the database, so no claim can be checked; "
                "give --capacity FILE or record resources in the web app."
            )
        )
    for finding in report.claims:
        typer.echo(f"\n[{finding.verdict_label()}] {finding.label()}: «{finding.excerpt}»")
        typer.echo(f"  {finding.reason()}")
        rewrite = finding.rewrite()
        if rewrite:
            typer.echo("  " + _("Honest rewrite: {text}").format(text=rewrite))
    for cliche in report.cliches:
        typer.echo(f"\n[{cliche.label()}] «{cliche.excerpt}»")
        typer.echo(f"  {cliche.reason()}")
    if not report.claims and not report.cliches:
        typer.echo(_("No concrete claims, clichés or shadow messages were found."))
