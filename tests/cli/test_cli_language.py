"""Every command speaks the language it is given (``--lang nb|nn|en``, bokmål by default): its own option, its
table headers, its notes, its error line and its numbers (issue 12)."""

from __future__ import annotations

import click
import pandas as pd
import pytest
import typer.main

from blilyst.cli import app, main
from blilyst.i18n import override

# ``web manage`` hands its arguments to Django's manage.py untouched; the global --lang still applies there.
PASS_THROUGH = {"blilyst web manage"}


def _commands(command: click.Command, path: str):
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{path} {name}")
    else:
        yield path, command


def test_every_command_takes_lang():
    from blilyst.cli import _register_commands

    _register_commands()
    missing = [
        path
        for path, command in _commands(typer.main.get_command(app), "blilyst")
        if path not in PASS_THROUGH and not any("--lang" in p.opts for p in command.params)
    ]
    assert missing == []


def test_the_backtest_table_writes_signed_percentages_in_each_language():
    from blilyst.cli.demography import _backtest_for_terminal

    frame = pd.DataFrame(
        {
            "base_year": [2016],
            "horizon": [5],
            "year": [2021],
            "norway_projected": [5_400_000.0],
            "norway_registered": [5_391_369.0],
            "norway_error": [0.023],
            "median_abs_error": [0.0194],
            "p90_abs_error": [0.061],
            "mean_error": [-0.01],
            "largest_error": [0.2],
            "largest_error_municipality": ["1867 Bø"],
        }
    )
    with override("nb"):
        nb = _backtest_for_terminal(frame).iloc[0].to_dict()
    with override("en"):
        en = _backtest_for_terminal(frame).iloc[0].to_dict()
    assert (nb["avvik"], nb["median |a|"], nb["skjevhet"]) == ("+2,3\u00a0%", "1,9\u00a0%", "\u22121,0\u00a0%")
    assert (en["error"], en["median |e|"], en["bias"]) == ("+2.3%", "1.9%", "-1.0%")


@pytest.mark.parametrize(
    ("lang", "title", "header"),
    [
        ("nb", "Kommuner som passer til «Vinje»", "┃ Nummer ┃ Navn"),
        ("nn", "Kommunar som passar til «Vinje»", "┃ Nummer ┃ Namn"),
        ("en", "Municipalities matching 'Vinje'", "┃ Number ┃ Name"),
    ],
)
def test_a_table_title_and_headers_follow_lang(capsys, lang, title, header):
    assert main(["municipality", "find", "Vinje", "--lang", lang, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert title in out and header in out


def test_a_usage_error_before_the_command_runs_is_in_the_asked_language(capsys):
    assert main(["--lang", "nn", "no-such-command"]) == 2
    assert capsys.readouterr().err.startswith("Feil: ")
    assert main(["--lang", "en", "no-such-command"]) == 2
    assert capsys.readouterr().err.startswith("Error: ")
