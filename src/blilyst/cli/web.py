"""``blilyst web``: run the web application and create its demo data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import typer

from blilyst.cli import LANG_HELP, add_group, use_language
from blilyst.i18n import N_
from blilyst.i18n import gettext as _

web_app = typer.Typer(help=N_("The web application (Django)."), no_args_is_help=True)
add_group(web_app, "web")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
    import django

    django.setup()


def _migrate_and_demo() -> list:
    from django.core.management import call_command

    from blilyst.web.accounts.demo import DEMO_MUNICIPALITY, ensure_demo
    from blilyst.web.accounts.models import User
    from blilyst.web.newcomers.demo import ensure_demo_households
    from blilyst.web.resources.demo import ensure_demo_resources

    call_command("migrate", interactive=False, verbosity=0)
    logins = ensure_demo()
    # Made-up listings and households, so the lists and "Find matches" have something to show;
    # each is created only where the municipality has none yet, so real data is never touched.
    ensure_demo_resources(DEMO_MUNICIPALITY)
    ensure_demo_households(DEMO_MUNICIPALITY, User.objects.filter(username="kontaktperson").first())
    return logins


def _print_logins(logins: list, url: str | None) -> None:
    from django.conf import settings

    typer.echo("")
    typer.echo(_("Data directory: {path}").format(path=settings.BLILYST_HOME))
    if url:
        typer.echo(_("Open {url} and log in as one of the demo users:").format(url=url))
    else:
        typer.echo(_("Demo users:"))
    from django.utils import translation

    from blilyst.i18n import active
    from blilyst.web.accounts.roles import Role

    with translation.override(active()):  # the role's name in the command's language, not its code
        for login in logins:
            role = str(Role(login.role).label)
            typer.echo(f"  {login.username:<15} {login.password:<20} {role} – {login.municipality}")
    typer.echo(_("(The passwords are kept in demo-logins.json in the data directory.)"))
    typer.echo("")


@web_app.command(
    "demo",
    help=N_(
        "Create the demo municipality (Kviteseid) and one demo user per role, and print their logins.\n\n"
        "Example: blilyst web demo"
    ),
)
def demo(lang: str = typer.Option(None, "--lang", help=LANG_HELP)) -> None:
    use_language(lang)
    _setup_django()
    _print_logins(_migrate_and_demo(), None)


@web_app.command(
    "serve",
    help=N_(
        "Migrate the database, create the demo data, print the demo logins and serve the web app.\n\n"
        "Uses Django's development server, which is fine on your own machine; for a server see "
        "docs/production.md (gunicorn behind a proxy).\n\n"
        "Example: blilyst web serve --port 8080"
    ),
)
def serve(
    host: str = typer.Option("127.0.0.1", help=N_("Address to listen on.")),
    port: int = typer.Option(8000, min=1, max=65535, help=N_("Port to listen on.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    _setup_django()
    logins = _migrate_and_demo()
    from django.conf import settings

    shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS:
        typer.echo(
            _("Note: to reach it by another name than localhost, set BLILYST_ALLOWED_HOSTS (now {hosts}).").format(
                hosts=",".join(settings.ALLOWED_HOSTS)
            ),
            err=True,
        )
    _print_logins(logins, f"http://{shown_host}:{port}/")
    from django.core.management import call_command

    worker = _start_worker(settings)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))  # stopped by a service manager: stop the worker too
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=False)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)


def _start_worker(settings) -> subprocess.Popen[bytes] | None:
    """On the database queue (the default), a worker beside the development server, so background work (the
    plan's documents, a data refresh, the front door's notices) gets done without a second command; a server
    installation runs its workers as services (docs/production.md)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    typer.echo(_("Background work (plan documents, data refresh, e-mail) runs in a worker started beside the server."))
    return subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--no-startup-delay"], env=dict(os.environ))


@web_app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    help=N_(
        "Run a Django management command with blilyst's settings (migrate, shell, the retention job ...).\n\n"
        "Example: blilyst web manage migrate"
    ),
)
def manage(ctx: typer.Context) -> None:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["blilyst web manage", *ctx.args])


@web_app.command(
    "retention",
    help=N_(
        "Erase households inactive longer than the retention period or without consent; keep anonymous "
        "counts.\n\n"
        "Run it daily from cron or a scheduler (see docs/privacy.md).\n\n"
        "Example: blilyst web retention --dry-run"
    ),
)
def retention(
    days: int = typer.Option(0, min=0, help=N_("Retention period in days (0: the BLILYST_RETENTION_DAYS setting).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=N_("Only say what would be erased.")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    _setup_django()
    from django.core.management import call_command

    args = ["--dry-run"] if dry_run else []
    if days:
        args += ["--days", str(days)]
    call_command("blilyst_retention", *args)


@web_app.command(
    "token",
    help=N_(
        "Create a token for the JSON API and print it once (Authorization: Bearer <token>).\n\n"
        "Example: blilyst web token kontaktperson --name sync --days 90"
    ),
)
def token(
    username: str = typer.Argument(..., help=N_("The user the token acts as (same municipalities and roles).")),
    name: str = typer.Option("api", help=N_("What the token is for.")),
    days: int = typer.Option(0, min=0, help=N_("Expire after this many days (0: the default, 90 days).")),
    lang: str = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    use_language(lang)
    _setup_django()
    from django.core.management import call_command

    call_command("blilyst_api_token", username, "--name", name, "--days", str(days))
