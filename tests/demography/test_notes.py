"""A projection's notes are data worded when shown (issue 12): the same result, computed once (and cached), reads
in bokmål, nynorsk and English, with no English words and numbers in the reader's format."""

from __future__ import annotations

import pickle
import re

import pytest
from tests.english_words import COMMON_ENGLISH, english_word_pattern

from blilyst.demography.rates import estimate_rates
from blilyst.demography.scenario_options import options_for
from blilyst.demography.scenarios import run_scenario
from blilyst.i18n import N_, ngettext_noop, override
from blilyst.notes import Listing, Note, Number, Percent, Series
from blilyst.stats.snapshot import load_snapshot

FYRESDAL, DYROY = "4032", "5528"

# English words that would show a note left unworded (none of them is also a Norwegian word).
ENGLISH_WORDS = (
    "the",
    "of",
    "with",
    "by",
    "from",
    "rates",
    "migration",
    "births",
    "deaths",
    "national",
    "level",
    "year",
    "years",
    "average",
    "estimated",
    "shift",
    "seed",
    "target",
    "jobs",
    "straight",
    "line",
    "boys",
    "girl",
    "none",
    "population",
    "municipality",
    "household",
    "households",
    "source",
    "against",
    "mortality",
    "fertility",
    "improvement",
    "domestic",
    "share",
    "profile",
    "window",
    "solved",
    "dwellings",
    "vacancy",
    "participation",
    "unemployment",
    "commuting",
    "residents",
    "reach",
    "inhabitants",
    "default",
    "sd",
    "times",
    "each",
    "extra",
)
ENGLISH = english_word_pattern(*COMMON_ENGLISH, *ENGLISH_WORDS)
# The databases' own names are English and stay so.
NAMES = re.compile(r"Human (Mortality|Fertility) Database")
# English decimals and percentages (1.45, 10%); Norwegian thousands (1 500) are checked where they occur, as
# "1,057" is a Norwegian decimal
ENGLISH_NUMBER = re.compile(r"\d\.\d|\d%")


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def runs(snap):
    """A trend, a low and a high, the three constrained scenarios and a stochastic run."""
    rs = estimate_rates([FYRESDAL], snapshot=snap)
    both = estimate_rates([FYRESDAL, DYROY], snapshot=snap)
    return {
        "trend": run_scenario(FYRESDAL, "trend", 10, snapshot=snap, rates=rs),
        "low": run_scenario(FYRESDAL, "low", 10, snapshot=snap, rates=rs),
        "high": run_scenario(FYRESDAL, "high", 10, snapshot=snap, rates=rs),
        "housing-led": run_scenario(
            FYRESDAL, "housing-led", 10, options_for("housing-led", dwellings_per_year=1500), snapshot=snap, rates=rs
        ),
        "employment-led": run_scenario(
            [FYRESDAL, DYROY],
            "employment-led",
            10,
            options_for("employment-led", jobs_growth=0.012),
            snapshot=snap,
            rates=both,
        ),
        "target-seeking": run_scenario(
            FYRESDAL,
            "target-seeking",
            20,
            options_for("target-seeking", target="population", target_population=1),
            snapshot=snap,
            rates=rs,
        ),
        "stochastic": run_scenario(
            FYRESDAL, "stochastic", 5, options_for("stochastic", simulations=50), snapshot=snap, rates=rs
        ),
    }


def _shown(result, lang: str) -> str:
    return "\n".join(result.notes(lang))


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize(
    "scenario", ["trend", "low", "high", "housing-led", "employment-led", "target-seeking", "stochastic"]
)
def test_norwegian_notes_have_no_english_words_and_norwegian_numbers(runs, scenario, lang):
    text = _shown(runs[scenario], lang)
    assert sorted({m.group(0) for m in ENGLISH.finditer(NAMES.sub("", text))}) == []
    assert ENGLISH_NUMBER.findall(text) == []
    english = _shown(runs[scenario], "en")
    assert ENGLISH.search(english)  # the search finds English where there is some


def test_the_numbers_in_the_notes_are_in_the_readers_format(runs):
    low = runs["low"].assumption_texts("nn")
    assert low["fruktbarheit"].endswith("), \u221210\u00a0%")  # a true minus and a space before the per cent sign
    assert "betring ×0,5" in low["dødelegheit"]
    assert runs["low"].assumption_texts("en")["fertility"].endswith("), -10%")
    housing = runs["housing-led"].assumption_texts("nb")
    assert housing["boliger"] == "1\u00a0500 nye boliger i året i snitt, andel ledige 0\u00a0%"
    assert runs["housing-led"].assumption_texts("en")["dwellings"].startswith("1,500 new dwellings a year")
    jobs = runs["employment-led"].assumption_texts("nn")
    assert jobs["arbeidsplassar"] == "+1,2\u00a0% i året"
    assert "(1 frå sentralitetsklassen sin og 1 frå eigne innflyttarar)" in jobs["ekstra innflyttarar"]
    missed = runs["target-seeking"].assumption_texts("nb")["målet nås ikke"]
    assert missed.startswith("Fyresdal 2046: 222 mot 1 (utflyttingen er begrenset")
    stochastic = runs["stochastic"].assumption_texts("nn")
    assert stochastic["simuleringar"] == "50, startverdi 2024"
    assert "(0,75 standardavvik)" in stochastic["stokastisk flytting"]


def test_one_cached_result_reads_in_two_languages_in_one_process(snap):
    """Computed under English (as a request in English would), kept as a pickle (as the disk cache keeps it) and
    read back in bokmål and nynorsk in the same process."""
    with override("en"):
        result = run_scenario(
            FYRESDAL, "housing-led", 5, options_for("housing-led", dwellings_per_year=6, vacancy=0.05), snapshot=snap
        )
    cached = pickle.loads(pickle.dumps(result))
    assert cached.assumptions == result.assumptions and cached.estimated == result.estimated
    nb, nn, en = (cached.notes(lang) for lang in ("nb", "nn", "en"))
    assert "Forutsetning: boliger: 6 nye boliger i året i snitt, andel ledige 5\u00a0%" in nb
    assert "Føresetnad: bustader: 6 nye bustader i året i snitt, del ledige 5\u00a0%" in nn
    assert "Assumption: dwellings: 6 new dwellings a year on average, vacancy 5%" in en
    assert any(line.startswith("Anslått: Nettoinnflytting etter kjønn og alder 2016–2025") for line in nb)
    assert any(line.startswith("Kjelde: Folketal 1. januar 2016–2026") for line in nn)
    # the active language is the default
    with override("nn"):
        assert cached.notes() == nn
        assert str(cached.assumptions["dwellings"]) == "6 nye bustader i året i snitt, del ledige 5\u00a0%"


def test_a_note_is_worded_in_the_language_asked_for():
    note = Note.of(
        N_("{name} {year}: {got} against {want}"), name="Seljord", year=2046, got=Number(2550), want=Number(1234.5, 1)
    )
    assert note.word("en") == "Seljord 2046: 2,550 against 1,234.5"
    assert note.word("nb") == "Seljord 2046: 2\u00a0550 mot 1\u00a0234,5"  # the year is never grouped
    counted = Note.counted(
        ngettext_noop(
            "{n} new dwelling a year on average, vacancy {vacancy}",
            "{n} new dwellings a year on average, vacancy {vacancy}",
        ),
        1,
        vacancy=Percent(0.05),
    )
    assert counted.word("nn") == "1 ny bustad i året i snitt, del ledige 5\u00a0%"
    assert Series.of([1.02, 0.981, 1.2], lambda v: Number(v, 2), first=2).word() == "1,02; 0,98; …"
    assert Listing(("Seljord", "Tokke", "Vinje")).word() == "Seljord, Tokke og Vinje"


def test_every_plural_marked_for_later_is_in_the_catalogs():
    """``ngettext_noop`` plurals are extracted only with ``-k ngettext_noop:1,2`` (``make messages``); an extraction
    without it drops them from the catalogs and the notes fall back to English."""
    import ast
    from pathlib import Path

    from babel.messages.pofile import read_po

    import blilyst

    root = Path(blilyst.__file__).parent
    marked = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ngettext_noop":
                marked.add(tuple(arg.value for arg in node.args))
    assert len(marked) >= 7
    for lang in ("nb", "nn", "en"):
        with open(root / "locale" / lang / "LC_MESSAGES" / "blilyst.po", "rb") as f:
            plurals = {m.id for m in read_po(f) if isinstance(m.id, tuple) and all(m.string)}
        assert sorted(marked - plurals) == [], lang
