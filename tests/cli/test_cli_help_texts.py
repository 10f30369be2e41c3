"""blilyst's own help texts (each command's description and example, each option's and argument's help) speak the
command's language (issue 12): they are English message ids marked with ``N_`` in the code and translated from the
core catalog (``blilyst.po``) for the whole command tree when the command line starts.

Every command's ``--help`` in bokmål and nynorsk is searched for English words. Left out of the search, on
purpose: option names (``--years``, ``-o``), the command names (``project``, ``data show``), the arguments' names
(``kommune``, ``file``: Click writes them as the arguments' placeholders, ``KOMMUNE``, ``FILE``), the example lines
(``Eksempel: blilyst project Fyresdal --scenario target-seeking``: a command to type), and the values an option
takes, which are codes to type (``trend``, ``low``, ``working-age``, ``population``, ``table``: the marker list has
none of them). Click's type names (``TEXT``, ``INTEGER``, ``FLOAT``) are Click's own and not translated; none of
them is a marker either.
"""

from __future__ import annotations

import re

import click
import pytest
import typer.main
from tests.english_words import COMMON_ENGLISH, english_word_pattern

from blilyst.cli import _register_commands, app, main
from blilyst.cli.click_texts import translate_help

# English words of help pages, beside tests.english_words' common ones.
HELP_MARKERS = (
    "of",
    "or",
    "and",
    "from",
    "each",
    "only",
    "without",
    "when",
    "where",
    "what",
    "number",
    "name",
    "year",
    "years",
    "default",
    "example",
    "write",
    "municipalities",
    "households",
    "options",
    "command",
    "commands",
    "arguments",
    "args",
    "usage",
    "required",
    "message",
    "exit",
)
ENGLISH = english_word_pattern(*COMMON_ENGLISH, *HELP_MARKERS)
OPTION_NAME = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*")
EXAMPLE_LINE = re.compile(r"(?:Eksempel|Døme|Example): blilyst[^\n│]*")


argument_names: set[str] = set()


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group below ``blilyst`` (and ``blilyst`` itself) that answers ``--help``."""
    _register_commands()
    paths: list[tuple[str, ...]] = []
    argument_names.clear()

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        # `web manage` hands --help to Django's manage.py (its help is Django's); its own line is in `web --help`.
        if command.get_help_option(click.Context(command, **command.context_settings)) is not None:
            paths.append(path)
        argument_names.update(
            param.name for param in command.params if isinstance(param, click.Argument) and param.name
        )
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


COMMAND_PATHS = _command_paths()
COMMAND_NAMES = {name for path in COMMAND_PATHS for name in path} | argument_names
COMMAND_NAME = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(COMMAND_NAMES, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
)


def english_words(help_page: str) -> list[str]:
    text = EXAMPLE_LINE.sub(" ", help_page)
    text = OPTION_NAME.sub(" ", text)
    text = COMMAND_NAME.sub(" ", text)
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


def help_page(capsys, lang: str, path: tuple[str, ...]) -> str:
    assert main(["--lang", lang, *path, "--help"]) == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # example lines stay on one line


def test_the_search_finds_english_words_but_not_option_or_command_names():
    assert english_words("Skriv til denne filen (the default); --output, data show, Eksempel: blilyst plan x") == [
        "default",
        "the",
    ]
    assert english_words("Folketall etter år, --years-to-project, blilyst data show kviteseid") == []


def test_the_tree_has_every_command():
    assert {("project",), ("plan",), ("municipality", "find"), ("data", "refresh"), ("web", "token")} <= set(
        COMMAND_PATHS
    )
    assert ("web", "manage") not in COMMAND_PATHS


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "blilyst")
def test_every_help_page_is_norwegian(capsys, lang, path):
    page = help_page(capsys, lang, path)
    assert english_words(page) == [], page


@pytest.mark.parametrize("path", [("project",), ("plan",), ("data", "refresh"), ()], ids=" ".join)
def test_the_english_help_is_english(capsys, path):
    """The search finds the English words when the help really is English (so the test above can fail)."""
    page = help_page(capsys, "en", path)
    assert english_words(page), page


@pytest.mark.parametrize(
    ("lang", "path", "said"),
    [
        (
            "nn",
            ("project",),
            (
                "Framskriv folketalet i ein kommune etter eit namngjeve scenario.",
                "Døme: blilyst project Fyresdal --scenario target-seeking --years 20",
                "Talet på år som skal framskrivast (1-100).",
                "Skriv til denne fila i staden for til terminalen.",
                "Folketal etter år og femårig aldersgruppe.",
                "Språk for tekstar og talformat",
                "project [VAL] KOMMUNE",
                "Kommunenummer eller -namn (4032, Fyresdal), ei kommaseparert liste (Fyresdal,Vinje,Tokke) eller «all».",
            ),
        ),
        (
            "nb",
            ("plan",),
            (
                "Skriv kommunens plan (behovsanalyse, sammenligning, utsikter og den lagrede planen) som PDF eller DOCX.",
                "Eksempel: blilyst plan kviteseid --saved plan-4028.json --output kviteseid-plan.pdf",
                "Filen som skal skrives; .pdf eller .docx velger formatet.",
                "Planen som er lagret fra eksportsiden i nettappen (JSON)",
                "plan [VALG] KOMMUNE",
                "Kommunenummer eller -navn, f.eks. 4028 eller Kviteseid.",
            ),
        ),
        (
            "nn",
            ("municipality", "find"),
            (
                "Finn kommunar etter nummer eller namn, beste treff først, med ein merknad om gamle kodar.",
                "Høgst så mange kandidatar.",
                "table (tabell), csv eller json.",
            ),
        ),
        (
            "nb",
            ("data", "refresh"),
            (
                "Uten nett sier den fra og endrer ingenting",
                "Første år med folketall som hentes",
                "Hvor det lokale øyeblikksbildet skal skrives",
            ),
        ),
        (
            "nn",
            (),
            (
                "Kunnskapsgrunnlag for kommunar som arbeider for å trekkje til seg og halde på innbyggjarar.",
                "Slå opp kommunar: kodar, namn, fylke, gamle kodar.",
                "[VAL] KOMMANDO [ARGUMENT]...",
            ),
        ),
        (
            "en",
            ("project",),
            (
                "Project a municipality's population under a named scenario.",
                "Example: blilyst project Fyresdal --scenario target-seeking --years 20",
                "Years to project (1-100).",
                "project [OPTIONS] KOMMUNE",
                "Municipality number or name (4032, Fyresdal), a comma-separated list (Fyresdal,Vinje,Tokke) or 'all'.",
            ),
        ),
    ],
)
def test_a_help_page_says_its_texts_in_the_asked_language(capsys, lang, path, said):
    page = help_page(capsys, lang, path)
    missing = [text for text in said if text not in page]
    assert not missing, page


def test_an_argument_says_its_help(capsys):
    """Typer 0.20 under Click 8.5 loses an argument's help; blilyst reads it back from the declaration."""
    page = help_page(capsys, "nn", ("honesty",))
    assert "Kampanjeteksten, ei UTF-8-tekstfil på bokmål eller nynorsk." in page, page


def test_switching_languages_in_one_process(capsys):
    """Each run translates from the English message ids again, so nynorsk, English and bokmål follow each other."""
    for lang, said in [
        ("nn", "Fila som skal skrivast"),
        ("en", "File to write"),
        ("nb", "Filen som skal skrives"),
        ("nn", "Fila som skal skrivast"),
    ]:
        page = help_page(capsys, lang, ("plan",))
        assert said in page, (lang, page)


def test_translating_one_tree_twice_starts_from_the_message_ids():
    from blilyst import i18n

    _register_commands()
    command = typer.main.get_command(app)
    plan = command.commands["plan"]  # type: ignore[attr-defined]
    output = next(param for param in plan.params if param.name == "output")
    with i18n.override("nn"):
        translate_help(command)
    assert output.help == "Fila som skal skrivast; .pdf eller .docx vel formatet."
    with i18n.override("en"):
        translate_help(command)
    assert output.help == "File to write; .pdf or .docx picks the format."
    assert plan.options_metavar == "[OPTIONS]"


@pytest.mark.parametrize("group", ["municipality", "data", "web"])
def test_a_command_group_takes_lang_after_its_name(capsys, group):
    """``--lang`` works on a group as on its commands (it was refused: "Valet '--lang' finst ikkje"). The usage
    line starts with the program's name, which is "python -m pytest" under CI."""
    code = main([group, "--help", "--lang", "nn"])
    out = capsys.readouterr().out
    assert code == 0 and re.search(rf"Bruk: [^\n]*\b{group} \[VAL\]", out) and "--lang" in out
    code = main([group, "--lang", "en", "--help"])
    assert code == 0 and re.search(rf"Usage: [^\n]*\b{group} \[OPTIONS\]", capsys.readouterr().out)
