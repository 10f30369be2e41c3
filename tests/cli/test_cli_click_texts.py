"""Click's and Typer's own words (the help page's "Usage:", "Options", "Show this message and exit.", the usage
errors' "Missing argument", "No such option", "Invalid value for") speak the command's language (issue 12):
bokmål by default, nynorsk with ``--lang nn``, English with ``--lang en``.

They come from ``src/blilyst/locale/<lang>/LC_MESSAGES/click.po``, whose message ids must be exactly those of
the installed Click and Typer (``make messages`` extracts them again when the lock moves them).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import click
import pytest
import typer
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from blilyst.cli import click_texts, main
from blilyst.i18n import LOCALE_DIR

HELP_WORDS = {
    "nb": ("Bruk: ", "Argumenter", "Valg", "[påkrevd]", "[standard: 20]", "Vis denne hjelpen"),
    "nn": ("Bruk: ", "Argument", "Val", "[påkravd]", "[standard: 20]", "Vis denne hjelpa"),
    "en": ("Usage: ", "Arguments", "Options", "[required]", "[default: 20]", "Show this message"),
}
ENGLISH_HELP_WORDS = ("Usage:", "Options", "[required]", "[default:", "Show this message")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_help_page_is_in_the_asked_language(capsys, lang, where):
    argv = ["--lang", lang, "project", "--help"] if where == "before" else ["project", "--help", "--lang", lang]
    assert main(argv) == 0
    out = capsys.readouterr().out
    missing = [word for word in HELP_WORDS[lang] if word not in out]
    assert not missing, out
    if lang != "en":
        assert not [word for word in ENGLISH_HELP_WORDS if word in out], out


def test_a_help_page_is_in_bokmaal_by_default(capsys):
    assert main(["project", "--help"]) == 0
    out = capsys.readouterr().out
    assert all(word in out for word in HELP_WORDS["nb"]), out


def test_the_top_help_names_its_panels_in_nynorsk(capsys):
    assert main(["--lang", "nn", "--help"]) == 0
    out = capsys.readouterr().out
    assert "─ Val ─" in out and "─ Kommandoar ─" in out and "Options" not in out and "Commands" not in out


@pytest.mark.parametrize(
    ("argv", "lang", "said"),
    [
        (["project"], "nn", "Feil: Manglar argumentet 'KOMMUNE'. (sjå «"),
        (["project"], "nb", "Feil: Mangler argumentet 'KOMMUNE'. (se «"),
        (["project"], "en", "Error: Missing argument 'KOMMUNE'. (see '"),
        (["project", "seljord", "--nope"], "nn", "Feil: Valet '--nope' finst ikkje."),
        (["project", "seljord", "--nope"], "en", "Error: No such option '--nope'."),
        (
            ["project", "seljord", "--format", "xml"],
            "nn",
            "Feil: Ugyldig verdi for '--format': 'xml' er ikkje ein av 'table', 'csv', 'json', 'xlsx'.",
        ),
        (
            ["project", "seljord", "--format", "xml"],
            "nb",
            "Feil: Ugyldig verdi for '--format': 'xml' er ikke en av 'table', 'csv', 'json', 'xlsx'.",
        ),
        (
            ["project", "seljord", "--format", "xml"],
            "en",
            "Error: Invalid value for '--format': 'xml' is not one of 'table', 'csv', 'json', 'xlsx'.",
        ),
        (["project", "seljord", "--years", "many"], "nn", "'many' er ikkje eit gyldig tal (integer)."),
        (["no-such-command"], "nn", "Feil: Kommandoen 'no-such-command' finst ikkje."),
        (["no-such-command"], "en", "Error: No such command 'no-such-command'."),
    ],
)
def test_a_usage_error_says_clicks_words_in_the_asked_language(capsys, argv, lang, said):
    assert main(["--lang", lang, *argv]) == 2
    assert said in capsys.readouterr().err


def test_a_command_leaves_the_standard_librarys_gettext_as_it_found_it(capsys, monkeypatch):
    from typer import rich_utils

    monkeypatch.setenv("LANGUAGE", "de")
    domain = gettext.textdomain()
    assert main(["--lang", "nn", "project", "--help"]) == 0
    assert gettext.textdomain() == domain and os.environ["LANGUAGE"] == "de"
    assert rich_utils.OPTIONS_PANEL_TITLE == "Options"


def test_the_typer_constants_translated_again_exist_and_are_in_the_catalog():
    from typer import rich_utils

    messages = _catalog_ids(LOCALE_DIR / "nn" / "LC_MESSAGES" / "click.po")
    for name, message in click_texts._TYPER_RICH_CONSTANTS.items():
        assert hasattr(rich_utils, name), f"typer.rich_utils has no {name} any more"
        assert message in messages


def _catalog_ids(path: Path) -> set[object]:
    with path.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def _installed_ids() -> set[object]:
    ids: set[object] = set()
    for package in (click, typer):
        for _file, _line, message, _comments, _context in extract_from_dir(Path(package.__file__).parent):
            ids.add(message)
    return ids


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_click_catalog_holds_exactly_the_installed_click_and_typer_texts(lang):
    """After the lock moves Click or Typer, `make messages` (and translating what it adds) brings this back."""
    catalog = _catalog_ids(LOCALE_DIR / lang / "LC_MESSAGES" / "click.po")
    installed = _installed_ids()
    assert not installed - catalog, f"new in Click/Typer, run make messages: {sorted(map(str, installed - catalog))}"
    assert not catalog - installed, f"gone from Click/Typer, run make messages: {sorted(map(str, catalog - installed))}"
