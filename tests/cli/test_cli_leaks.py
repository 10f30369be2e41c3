"""The command line in bokmål and nynorsk writes no English words and no code keys (issue 12): the same search as
tests/web/test_i18n_leaks.py and the plan document's (tests/cli/test_cli_plan_language.py), on what the commands
really print for Seljord (4022), Trondheim (5001) and old codes that were split or merged.

Left out on purpose: ``--help`` pages (searched by tests/cli/test_cli_help_texts.py, which leaves out option and
command names). ``data sources`` names each data set and words its table and licence columns in the reader's
language (blilyst.stats.sources); its ``--format csv`` keeps the source files' paths, which are file names.
"""

from __future__ import annotations

import re

import pytest
from tests.web.test_i18n_leaks import CODE_KEY, ENGLISH

from blilyst.cli import main

# 2,463,000: English digit grouping. One group alone ("1,057 gutar per jente") is a Norwegian decimal.
ENGLISH_GROUPING = re.compile(r"\b\d{1,3}(?:,\d{3}){2,}\b")

COMMANDS = [
    ["municipality", "find", "Seljord"],
    ["municipality", "find", "Snillfjord"],  # split between three municipalities: a note
    ["municipality", "find", "Bø"],  # Bø (Telemark), merged: a note
    ["municipality", "find", "3818"],  # renumbered: a note
    ["scenarios"],
    ["facts", "4022"],
    ["facts", "5001"],
    ["project", "4022", "--years", "3"],
    ["project", "5001", "--years", "3", "--scenario", "low"],
    ["accounts", "4022"],
    ["attractiveness", "4022"],
    ["data", "show", "5001"],
    ["data", "sources"],
    ["project", "seljord", "--format", "xml"],  # a usage error in Click's words
    ["project"],
]


def leaks(text: str) -> list[str]:
    found = {m.group(0) for pattern in (ENGLISH, CODE_KEY, ENGLISH_GROUPING) for m in pattern.finditer(text)}
    return sorted(found)


def test_the_search_finds_english_words_keys_and_grouping():
    assert leaks("The population of kindergarten_need is 2,550,000; 1,057 gutar per jente") == [
        "2,550,000",
        "The",
        "kindergarten_need",
        "population",
    ]


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_norwegian_command_prints_no_english_or_code_keys(capsys, lang, argv):
    main(["--lang", lang, *argv])
    captured = capsys.readouterr()
    assert leaks(captured.out + captured.err) == []
