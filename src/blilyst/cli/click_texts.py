"""Click's and Typer's own texts ("Usage:", "Options", "Missing option", "No such command" ...) in the
command's language.

Click and Typer mark their texts for the standard library's ``gettext`` (``from gettext import gettext as _``),
which reads the process's current text domain in the languages named by the ``LANGUAGE`` environment variable.
blilyst ships those message ids in a catalog of its own, ``src/blilyst/locale/<lang>/LC_MESSAGES/click.po``
(extracted from the installed Click and Typer by ``make messages``), and for the length of one command
(``speaking_click``) makes that catalog the standard library's domain and the command's language (``speak``)
its language; both are put back afterwards.

Typer's rich help reads a few of its texts (the panel titles "Options", "Arguments", "Commands" and the
``[default: …]`` marks) once, into module constants of ``typer.rich_utils``, when that module is first
imported; ``speak`` translates those constants again, so a second command in the same process (a test) gets
its own language there too.

blilyst's own help texts (each command's and parameter's ``help=``) are marked with ``N_`` for the core catalog
(``blilyst.po``) and stay English message ids in the code; ``TranslatedHelpGroup``, the class of the root
command, translates every help text of the Click command tree into the active language when the command line
starts (``translate_help``), keeping each text's message id so a second run in another language translates from
it again.
"""

from __future__ import annotations

import gettext
import inspect
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from typer.core import TyperGroup
from typer.models import ArgumentInfo

from blilyst import i18n
from blilyst.i18n import N_

CLICK_DOMAIN = "click"

# typer.rich_utils' module constants and the message id each holds (typer 0.20).
_TYPER_RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


@contextmanager
def speaking_click() -> Iterator[None]:
    """Within the block, Click and Typer read their texts from blilyst's ``click`` catalog (in the language
    ``speak`` sets; bokmål until then); the standard library's domain and ``LANGUAGE`` are restored after."""
    saved_domain = gettext.textdomain()
    saved_language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(CLICK_DOMAIN, str(i18n.LOCALE_DIR))
    gettext.textdomain(CLICK_DOMAIN)
    speak(i18n.active())
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_language
        _translate_typer_constants()


def speak(lang: str) -> None:
    """Click's and Typer's texts in ``lang`` from now on (nynorsk falls back to bokmål, as blilyst's own do);
    nothing outside ``speaking_click``, so the process's environment is not changed behind its back."""
    if gettext.textdomain() != CLICK_DOMAIN:
        return
    os.environ["LANGUAGE"] = ":".join(i18n.catalog_languages(lang))
    _translate_typer_constants()


def _translate_typer_constants() -> None:
    from typer import rich_utils  # rich is a dependency of blilyst (and of Typer): always there

    for name, message in _TYPER_RICH_CONSTANTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, gettext.gettext(message))


# Each command's and parameter's English help texts (the message ids), by attribute name, kept the first time the
# object is translated.
_HELP_MSGIDS: weakref.WeakKeyDictionary[object, dict[str, str | None]] = weakref.WeakKeyDictionary()
_COMMAND_ATTRIBUTES = ("help", "short_help", "epilog", "options_metavar")
_GROUP_ATTRIBUTES = (*_COMMAND_ATTRIBUTES, "subcommand_metavar")
_PARAMETER_ATTRIBUTES = ("help",)
# The usage line's placeholders, which Click sets as plain English defaults (not marked for gettext): "Usage:
# blilyst project [OPTIONS] KOMMUNE". The type names (TEXT, INTEGER, FLOAT) stay as Click writes them.
_USAGE_PLACEHOLDERS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def translate_help(command: click.Command) -> None:
    """Translate the help texts of ``command``, its parameters and (for a group) every command below it into the
    active language of blilyst's catalog (message ids marked with ``N_`` where the commands are declared), and the
    usage line's ``[OPTIONS]`` and ``COMMAND [ARGS]...``."""
    is_group = isinstance(command, click.Group)
    _translate_attributes(command, _GROUP_ATTRIBUTES if is_group else _COMMAND_ATTRIBUTES)
    for param in command.params:
        if isinstance(param, click.Argument) and param.help is None:
            param.help = _declared_argument_help(command, param)
        _translate_attributes(param, _PARAMETER_ATTRIBUTES)
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            translate_help(subcommand)


def _declared_argument_help(command: click.Command, argument: click.Argument) -> str | None:
    """The ``help=`` an argument was declared with (``typer.Argument(..., help=N_("..."))``).

    Typer 0.20 sets an argument's help and then calls ``click.Argument.__init__``, which in Click 8.5 sets it again
    to ``None``; the declaration is still the default of the command function's parameter (Typer's wrapper keeps
    the function as ``__wrapped__``), so it is read from there.
    """
    if command.callback is None or argument.name is None:
        return None
    parameter = inspect.signature(command.callback).parameters.get(argument.name)
    declared = parameter.default if parameter is not None else None
    return declared.help if isinstance(declared, ArgumentInfo) else None


def _translate_attributes(obj: object, attributes: tuple[str, ...]) -> None:
    msgids = _HELP_MSGIDS.setdefault(obj, {name: getattr(obj, name, None) for name in attributes})
    for name, msgid in msgids.items():
        if msgid:
            setattr(obj, name, i18n.gettext(msgid))


class TranslatedHelpGroup(TyperGroup):
    """The root command's class: its help texts and those of every command below it are translated into the
    active language (set from ``--lang`` before parsing) just before the command line is parsed, so a help page
    and a usage error speak it."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        translate_help(self)
        return super().main(*args, **kwargs)
