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
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager

from blilyst import i18n

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
