"""Every command has help that ends with an example, and is described in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer.main

from blilyst.cli import _register_commands, app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _commands() -> list[tuple[str, click.Command]]:
    _register_commands()
    root = typer.main.get_command(app)
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", root)
    return found


COMMANDS = _commands()


def test_the_whole_command_line_is_registered():
    names = {name for name, _ in COMMANDS}
    for expected in (
        "municipality find",
        "data sources",
        "data show",
        "data refresh",
        "accounts",
        "attractiveness",
        "project",
        "plan",
        "web serve",
    ):
        assert expected in names


@pytest.mark.parametrize("name,command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_each_command_has_help_ending_with_an_example(name, command):
    text = (command.help or "").strip()
    assert text, f"blilyst {name} has no help"
    assert "Example:" in text.splitlines()[-1], f"blilyst {name}: the help should end with an example"
    assert f"blilyst {name}" in text.splitlines()[-1]


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_each_command_is_documented(name):
    assert f"blilyst {name}" in DOCS.read_text(encoding="utf-8"), f"docs/cli.md does not describe blilyst {name}"


@pytest.mark.parametrize(
    "argv",
    [
        ["data", "show", "kviteseid", "--by", "foo"],
        ["data", "show", "kviteseid", "--format", "xml"],
        ["data", "show"],
        ["municipality", "find", "vinje", "--limit", "0"],
        ["no-such-command"],
    ],
)
@pytest.mark.parametrize(("lang", "prefix"), [("nb", "Feil: "), ("nn", "Feil: "), ("en", "Error: ")])
def test_a_wrong_option_is_one_line_and_exit_code_2(argv, lang, prefix, capsys):
    from blilyst.cli import main

    assert main(["--lang", lang, *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(prefix) and "\n" not in err
