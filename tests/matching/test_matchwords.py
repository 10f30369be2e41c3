"""The matching's sentences come from the core (blilyst.matchwords, core gettext): the same words without Django."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from blilyst.i18n import override
from blilyst.matching import Gap, HousingListing, KindergartenPlaces, Part, Suggestion
from blilyst.matchwords import describe_gap, describe_suggestion

TODAY = dt.date(2026, 12, 6)


def test_a_suggestion_and_a_gap_in_each_language():
    suggestion = Suggestion(
        4.0,
        (
            Part("housing", 3.0, HousingListing(1, "rent", 3, 9_000, dt.date(2027, 3, 1), title="Leilighet i sentrum")),
            Part("kindergarten", 1.0, KindergartenPlaces("Brunkeberg barnehage", dt.date(2027, 3, 1), 1), child=2),
        ),
    )
    gap = Gap(
        "housing",
        "housing",
        "housing_late",
        {"kinds": ["rent", "trial"], "bedrooms": 3, "wanted": "2026-12-01", "earliest": "2027-08-01"},
    )
    with override("nb"):
        assert describe_suggestion(suggestion, TODAY) == (
            "Leilighet i sentrum: 3 soverom, til leie fra 1. mars 2027; "
            "barnehageplass fra mars 2027 i Brunkeberg barnehage for barn 2"
        )
        assert describe_gap(gap, TODAY) == (
            "ingen utleiebolig eller prøvebolig med minst 3 soverom før august 2027 (ønsket fra desember)"
        )
    with override("nn"):
        assert "barnehageplass frå mars 2027" in describe_suggestion(suggestion, TODAY)
    with override("en"):
        assert describe_gap(gap, TODAY) == (
            "no rental home or trial home with at least 3 bedrooms before August 2027 (wanted from December)"
        )


def test_the_wording_needs_no_django():
    code = "import sys, blilyst.matchwords; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
