"""The pure matching engine on realistic cases: a couple needing two jobs, housing and a kindergarten place."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.web.resources.matching import (
    AdultNeeds,
    HouseholdNeeds,
    HousingListing,
    JobListing,
    KindergartenPlaces,
    ListingIndex,
    job_score,
    match_household,
    tokens,
)

TODAY = dt.date(2026, 12, 1)
MARCH = dt.date(2027, 3, 1)


def listings(**overrides):
    housing = [
        HousingListing(1, "rent", 3, 11_000, dt.date(2027, 8, 15), "Enebolig på Brunkeberg"),
        HousingListing(2, "rent", 2, 8_500, dt.date(2027, 2, 1), "Leilighet i sentrum"),
        HousingListing(3, "sale", 4, 2_900_000, dt.date(2027, 1, 1), "Gardsbruk"),
        HousingListing(4, "trial", 3, 7_000, dt.date(2027, 3, 1), "Prøvebolig Fjågesund", term_months=36),
    ]
    jobs = [
        JobListing(10, "sykepleier", "Kviteseid kommune", "health", deadline=dt.date(2027, 1, 15)),
        JobListing(11, "lærer", "Kviteseid skole", "education"),
        JobListing(12, "barnehagelærer", "Brunkeberg barnehage", "education"),
        JobListing(13, "intensivsykepleier", "Sykehuset Telemark", "health"),
        JobListing(14, "sykepleier", "Vrådal sykeheim", "health", deadline=dt.date(2026, 11, 1)),  # closed
        JobListing(15, "snekker", "Byggmester Haugen", "construction"),
    ]
    kindergartens = [
        KindergartenPlaces("Brunkeberg barnehage", dt.date(2027, 3, 1), 1),
        KindergartenPlaces("Kviteseid barnehage", dt.date(2027, 5, 1), 3),
        KindergartenPlaces("Vrådal barnehage", dt.date(2027, 3, 1), 0),
    ]
    values = {"housing": housing, "jobs": jobs, "kindergartens": kindergartens, **overrides}
    return ListingIndex(values["housing"], values["jobs"], values["kindergartens"], today=TODAY)


def couple(**overrides):
    values = dict(
        ref=7,
        adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("lærer",))),
        housing_kinds=frozenset({"rent"}),
        min_bedrooms=3,
        housing_from=MARCH,
        kindergarten_children=1,
        kindergarten_from=MARCH,
    )
    values.update(overrides)
    return HouseholdNeeds(**values)


def test_tokens_are_lower_case_words():
    assert tokens("Sykepleier 100 % – natt") == ["sykepleier", "natt"]


def test_a_word_for_word_match_beats_a_compound():
    adult = AdultNeeds(1, ("sykepleier",))
    assert job_score(JobListing(1, "Sykepleier"), adult) == 2.0
    assert job_score(JobListing(2, "Intensivsykepleier"), adult) == 1.6
    assert job_score(JobListing(3, "Snekker", sector="construction"), adult) is None
    assert job_score(JobListing(3, "Snekker", sector="construction"), AdultNeeds(1, (), ("construction",))) == 0.6


def test_the_best_suggestion_gives_each_adult_their_own_job():
    result = match_household(couple(), listings())
    best = result.suggestions[0]
    assert best.job_for(1).id == 10  # the nurse job for adult 1
    assert best.job_for(2).id == 11  # the teacher job (not the kindergarten teacher) for adult 2
    assert best.housing.id == 1  # the only rental home with 3 bedrooms, late
    assert best.kindergarten == ("Brunkeberg barnehage", MARCH, 1)
    # 3 - 0.5 * 11000/inf (no budget) - 0.01 * 167 days late, + 2 + 2 + 1
    assert best.score == pytest.approx(3 - 1.67 + 2 + 2 + 1)
    assert [s.score for s in result.suggestions] == sorted((s.score for s in result.suggestions), reverse=True)
    assert len(result.suggestions) == 5


def test_closed_vacancies_are_left_out():
    index = listings()
    assert 14 not in {job.id for job in index.jobs}


def test_the_late_rental_home_and_nothing_else_is_a_gap():
    result = match_household(couple(), listings())
    assert [(g.kind, g.code) for g in result.gaps] == [("housing", "housing_late")]
    assert result.gaps[0].params == {"kinds": ["rent"], "bedrooms": 3, "wanted": "2027-03-01", "earliest": "2027-08-15"}


def test_two_nurses_do_not_share_one_nurse_vacancy():
    needs = couple(adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("sykepleier",))))
    for suggestion in match_household(needs, listings()).suggestions:
        assert suggestion.job_for(1) != suggestion.job_for(2)
    best = match_household(needs, listings()).suggestions[0]
    assert {best.job_for(1).id, best.job_for(2).id} == {10, 13}


def test_a_vacancy_with_two_positions_may_go_to_both():
    jobs = [JobListing(10, "sykepleier", "Kviteseid kommune", "health", positions=2)]
    needs = couple(adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("sykepleier",))))
    best = match_household(needs, listings(jobs=jobs)).suggestions[0]
    assert best.job_for(1).id == best.job_for(2).id == 10


def test_an_adult_without_a_fitting_vacancy_is_a_gap():
    needs = couple(adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("veterinær",))))
    result = match_household(needs, listings())
    gaps = [g for g in result.gaps if g.kind == "job"]
    assert [(g.key, g.params["occupations"]) for g in gaps] == [("job:2", ["veterinær"])]
    assert result.suggestions[0].job_for(2) is None and result.suggestions[0].job_for(1).id == 10


def test_an_adult_with_a_remote_job_needs_none():
    needs = couple(adults=(AdultNeeds(1, ("sykepleier",)), AdultNeeds(2, ("utvikler",), keeps_remote_job=True)))
    result = match_household(needs, listings())
    assert not [g for g in result.gaps if g.kind == "job"]
    assert [p.kind for p in result.suggestions[0].parts] == ["housing", "job", "remote", "kindergarten"]


def test_a_kindergarten_place_later_than_wanted_is_offered_and_a_gap():
    needs = couple(kindergarten_children=2)  # two children: Brunkeberg has one place in March
    result = match_household(needs, listings())
    assert result.suggestions[0].kindergarten == ("Kviteseid barnehage", dt.date(2027, 5, 1), 3)
    gap = next(g for g in result.gaps if g.kind == "kindergarten")
    assert gap.code == "kindergarten_late"
    assert gap.params == {
        "wanted": "2027-03-01",
        "children": 2,
        "month": "2027-05-01",
        "kindergarten": "Kviteseid barnehage",
    }


def test_no_kindergarten_place_at_all_is_a_gap():
    result = match_household(couple(kindergarten_from=dt.date(2027, 6, 1), kindergarten_children=4), listings())
    gap = next(g for g in result.gaps if g.kind == "kindergarten")
    assert gap.code == "kindergarten_none"


def test_housing_in_time_makes_no_gap_and_ranks_first():
    needs = couple(housing_kinds=frozenset({"rent", "trial"}))
    result = match_household(needs, listings())
    assert not [g for g in result.gaps if g.kind == "housing"]
    assert result.suggestions[0].housing.id == 4  # trial home from 1 March beats the late rental home


def test_a_budget_too_small_is_named_in_the_gap():
    result = match_household(couple(max_rent=5_000), listings())
    gap = next(g for g in result.gaps if g.kind == "housing")
    assert gap.code == "housing_none" and gap.params["over_budget"] is True


def test_no_dwelling_of_the_kind_at_all():
    result = match_household(couple(min_bedrooms=6), listings())
    gap = next(g for g in result.gaps if g.kind == "housing")
    assert gap.code == "housing_none" and "over_budget" not in gap.params


def test_the_budget_favours_the_cheaper_home():
    housing = [
        HousingListing(1, "rent", 3, 12_000, dt.date(2027, 1, 1)),
        HousingListing(2, "rent", 3, 9_000, dt.date(2027, 1, 1)),
    ]
    result = match_household(couple(max_rent=12_000), listings(housing=housing))
    assert [s.housing.id for s in result.suggestions[:1]] == [2]


def test_an_unknown_housing_kind_is_refused():
    with pytest.raises(ValueError, match="housing_kinds"):
        HouseholdNeeds(1, housing_kinds=frozenset({"castle"}))


def test_a_household_with_no_needs_gets_nothing():
    result = match_household(HouseholdNeeds(1), listings())
    assert result.suggestions == [] and result.gaps == []
