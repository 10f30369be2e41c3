"""Suggestions and gaps in words, in bokmål and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from blilyst.matching import (
    AdultNeeds,
    ChildNeeds,
    Gap,
    HouseholdNeeds,
    HousingListing,
    JobListing,
    KindergartenPlaces,
    ListingIndex,
    match_household,
)
from blilyst.web.resources.explain import describe_gap, describe_suggestion

TODAY = dt.date(2027, 1, 10)


@pytest.fixture
def result():
    index = ListingIndex(
        housing=[
            HousingListing(1, "rent", 3, 11_000, dt.date(2027, 8, 15), "Enebolig på Brunkeberg"),
            HousingListing(2, "trial", 3, 7_000, dt.date(2027, 3, 1), "Prøvebolig Fjågesund", term_months=36),
        ],
        jobs=[
            JobListing(10, "sykepleier", "Kviteseid kommune", "health"),
            JobListing(11, "lærer", "Kviteseid skule", "education"),
        ],
        kindergartens=[KindergartenPlaces("Brunkeberg barnehage", dt.date(2027, 3, 1), 2)],
        today=TODAY,
    )
    needs = HouseholdNeeds(
        ref=1,
        adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("lærer",)), AdultNeeds(3, ("veterinær",))),
        housing_kinds=frozenset({"rent"}),
        min_bedrooms=3,
        housing_from=dt.date(2027, 3, 1),
        children=(ChildNeeds(1, dt.date(2027, 3, 1), birth_year=2024),),
    )
    return match_household(needs, index)


def test_the_best_suggestion_reads_as_a_sentence_in_bokmal(result):
    with translation.override("nb"):
        text = describe_suggestion(result.suggestions[0], TODAY)
    assert text == (
        "Enebolig på Brunkeberg: 3 soverom, til leie fra 15. august; "
        "jobb som sykepleier hos Kviteseid kommune for voksen 1; "
        "jobb som lærer hos Kviteseid skule for voksen 2; "
        "barnehageplass fra mars i Brunkeberg barnehage for barn 1"
    )


def test_and_in_english(result):
    with translation.override("en"):
        text = describe_suggestion(result.suggestions[0], TODAY)
    assert text.startswith("Enebolig på Brunkeberg: 3 bedrooms, for rent from 15 August; job as sykepleier at")
    assert text.endswith("kindergarten place from March at Brunkeberg barnehage for child 1")


def test_the_gaps_read_as_the_contact_person_would_say_them(result):
    with translation.override("nb"):
        texts = [describe_gap(g, TODAY) for g in result.gaps]
    assert texts == [
        "ingen utleiebolig med minst 3 soverom før august (ønsket fra mars)",
        "ingen ledig stilling som veterinær for voksen 3",
    ]


@pytest.mark.parametrize(
    ("gap", "nb", "en"),
    [
        (
            Gap("housing", "housing", "housing_none", {"kinds": ["rent", "trial"], "bedrooms": 2, "over_budget": True}),
            "ingen utleiebolig eller prøvebolig med minst 2 soverom innenfor budsjettet",
            "no rental home or trial home with at least 2 bedrooms within the budget",
        ),
        (
            Gap("housing", "housing", "housing_none", {"kinds": ["sale"], "bedrooms": 0}),
            "ingen bolig til salgs",
            "no home for sale",
        ),
        (
            Gap(
                "kindergarten",
                "kindergarten",
                "kindergarten_late",
                {"wanted": "2027-03-01", "children": 1, "month": "2027-08-01", "kindergarten": "Kviteseid barnehage"},
            ),
            "ingen ledig barnehageplass fra mars; første ledige plass er fra august i Kviteseid barnehage",
            "no kindergarten place from March; the first free place is from August at Kviteseid barnehage",
        ),
        (
            Gap("kindergarten", "kindergarten", "kindergarten_none", {"wanted": "2028-01-01", "children": 2}),
            "ingen barnehage med 2 ledige plasser fra januar 2028",
            "no kindergarten with 2 free places from January 2028",
        ),
        (
            Gap(
                "kindergarten",
                "kindergarten:2",
                "kindergarten_late",
                {
                    "child": 2,
                    "wanted": "2027-03-01",
                    "age_group": "under_3",
                    "month": "2027-08-01",
                    "kindergarten": "Kviteseid barnehage",
                },
            ),
            "ingen ledig barnehageplass fra mars for barn 2 (under 3 år); første ledige plass er fra august i "
            "Kviteseid barnehage",
            "no kindergarten place from March for child 2 (under 3 years); the first free place is from August at "
            "Kviteseid barnehage",
        ),
        (
            Gap("kindergarten", "kindergarten:1", "kindergarten_none", {"child": 1, "wanted": "2028-01-01"}),
            "ingen ledig barnehageplass fra januar 2028 for barn 1",
            "no kindergarten place from January 2028 for child 1",
        ),
        (
            Gap("job", "job:2", "job_none", {"adult": 2, "occupations": [], "sectors": ["health", "education"]}),
            "ingen ledig stilling innen helse og omsorg eller skole og barnehage for voksen 2",
            "no vacancy in health and care or education and kindergartens for adult 2",
        ),
    ],
)
def test_each_gap_kind_in_both_languages(gap, nb, en):
    with translation.override("nb"):
        assert describe_gap(gap, TODAY) == nb
    with translation.override("en"):
        assert describe_gap(gap, TODAY) == en


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Hybel: 1 bedroom, trial housing from 1 March (1 month)"),
        ("nb", "Hybel: 1 soverom, prøvebolig fra 1. mars (1 måned)"),
        ("nn", "Hybel: 1 soverom, prøvebustad frå 1. mars (1 månad)"),
    ],
)
def test_one_bedroom_and_one_month_are_singular(lang, text):
    from blilyst.matching import Part
    from blilyst.web.resources.explain import describe_part

    home = HousingListing(3, "trial", 1, 5_000, dt.date(2027, 3, 1), "Hybel", term_months=1)
    with translation.override(lang):
        assert describe_part(Part("housing", 1.0, home), TODAY) == text
