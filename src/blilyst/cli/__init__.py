"""The blilyst command line: a thin face over the library.

Each area has its own module (``cli/data.py``, ``cli/demography.py`` ...) that registers
its commands on ``app``. Library errors become one clear line on stderr and a
non-zero exit code here, and only here.
"""

from __future__ import annotations

import contextlib
import importlib
import sys

import click
import typer

from blilyst import i18n
from blilyst.cli import click_texts
from blilyst.errors import BlilystError, InputError
from blilyst.i18n import N_

# Every help text below and in the area modules is an English message id marked with N_; the root command's class
# translates them all into the command's language before the command line is parsed (click_texts.translate_help).
app = typer.Typer(
    name="blilyst",
    cls=click_texts.TranslatedHelpGroup,
    help=N_("Evidence for municipalities that work to attract and keep residents."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


LANG_HELP = N_("Language of texts and number formats: nb (bokmål, the default), nn (nynorsk) or en.")


def use_language(lang: str | None, option: str = "--lang") -> str:
    """Make ``lang`` the language of this command's texts (``None`` keeps the global ``--lang``); the code used.

    An unknown code is a clear one-line error that names the languages blilyst writes.
    """
    if lang is None:
        return i18n.active()
    try:
        i18n.activate(lang)
    except ValueError:
        raise InputError(
            option, i18n.gettext("'{lang}' is not a language blilyst writes; use nb, nn or en").format(lang=lang)
        ) from None
    click_texts.speak(i18n.active())
    return i18n.active()


@app.callback()
def _global_options(
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """The options of every command (``--lang``)."""
    # Without --lang here the language stays the one main() found anywhere on the command line (bokmål if none),
    # so `blilyst project --help --lang en` is not turned back into bokmål before the command's help is written.
    use_language(lang)


def add_group(group: typer.Typer, name: str) -> None:
    """Add a group of commands (``blilyst municipality …``) that also takes ``--lang`` itself, so
    ``blilyst municipality --help --lang nn`` works as ``blilyst municipality find --lang nn`` does."""

    @group.callback()
    def _group_options(lang: str | None = typer.Option(None, "--lang", help=LANG_HELP)) -> None:
        use_language(lang)

    app.add_typer(group, name=name)


COMMAND_MODULES = ("municipality", "data", "refresh", "accounts", "demography", "plan", "honesty", "web")


def _register_commands() -> None:
    """Import every area's module for its side effect of adding commands to ``app`` (all of them exist:
    a missing one is an error, not a command that silently disappears)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"blilyst.cli.{name}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``blilyst`` console script."""
    _register_commands()
    # The command's --lang holds for this call only, its error messages and Click's own texts included.
    with i18n.override(None), click_texts.speaking_click():
        return _run(argv)


def _early_language(argv: list[str]) -> None:
    """The language a ``--lang`` in ``argv`` asks for, set before click parses anything, so that a usage error
    (an unknown command, a bad option) and a help page (``--help`` is answered while parsing) are already said in
    it, Click's words included; a bad code is left for ``use_language`` to refuse."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        else:
            continue
        with contextlib.suppress(ValueError):
            i18n.activate(value)
    click_texts.speak(i18n.active())


def _run(argv: list[str] | None) -> int:
    from blilyst.i18n import gettext as _

    _early_language(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args=argv, standalone_mode=False)
    except BlilystError as exc:
        typer.echo(_("Error: {message}").format(message=exc), err=True)
        return exc.exit_code
    except typer.Abort:
        typer.echo(_("Aborted."), err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo(_("Interrupted."), err=True)
        return 130
    except click.exceptions.UsageError as exc:  # one line, like the library's errors
        message = " ".join(exc.format_message().split())
        if exc.ctx is not None:
            message = _("{message} (see '{command} --help')").format(message=message, command=exc.ctx.command_path)
        typer.echo(_("Error: {message}").format(message=message), err=True)
        return exc.exit_code
    except click.exceptions.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
