"""The pure matching engine on realistic cases: a couple needing two jobs, housing and a kindergarten place
for each child."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.matching import (
    AdultNeeds,
    ChildNeeds,
    HouseholdNeeds,
    HousingListing,
    JobListing,
    KindergartenPlaces,
    ListingIndex,
    job_score,
    kindergarten_age_group,
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
        children=(ChildNeeds(1, MARCH),),
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
    assert best.kindergarten_for(1) == KindergartenPlaces("Brunkeberg barnehage", MARCH, 1)
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


def test_two_children_do_not_share_one_free_place_and_the_later_one_is_a_gap():
    needs = couple(children=(ChildNeeds(1, MARCH), ChildNeeds(2, MARCH)))  # Brunkeberg has one place in March
    result = match_household(needs, listings())
    best = result.suggestions[0]
    assert best.kindergarten_for(1) == KindergartenPlaces("Brunkeberg barnehage", MARCH, 1)
    assert best.kindergarten_for(2) == KindergartenPlaces("Kviteseid barnehage", dt.date(2027, 5, 1), 3)
    for suggestion in result.suggestions:
        one, two = suggestion.kindergarten_for(1), suggestion.kindergarten_for(2)
        assert one is None or two is None or one != two or one.free_places > 1
    gaps = [g for g in result.gaps if g.kind == "kindergarten"]
    assert [(g.key, g.code) for g in gaps] == [("kindergarten:2", "kindergarten_late")]
    assert gaps[0].params == {
        "child": 2,
        "wanted": "2027-03-01",
        "age_group": "",
        "month": "2027-05-01",
        "kindergarten": "Kviteseid barnehage",
    }


def test_each_child_is_matched_from_its_own_month():
    may = dt.date(2027, 5, 1)
    needs = couple(children=(ChildNeeds(1, MARCH), ChildNeeds(2, may)))
    result = match_household(needs, listings())
    best = result.suggestions[0]
    assert best.kindergarten_for(1).kindergarten == "Brunkeberg barnehage"
    assert best.kindergarten_for(2) == KindergartenPlaces("Kviteseid barnehage", may, 3)
    assert not [g for g in result.gaps if g.kind == "kindergarten"]  # both in time, each from its own month


def test_no_kindergarten_place_at_all_is_a_gap_for_each_child():
    june = dt.date(2027, 6, 1)
    result = match_household(couple(children=(ChildNeeds(1, june), ChildNeeds(3, june))), listings())
    gaps = [g for g in result.gaps if g.kind == "kindergarten"]
    assert [(g.key, g.code, g.params["child"]) for g in gaps] == [
        ("kindergarten:1", "kindergarten_none", 1),
        ("kindergarten:3", "kindergarten_none", 3),
    ]


def test_a_child_counts_as_over_three_from_august_of_the_year_it_turns_three():
    assert kindergarten_age_group(2024, dt.date(2027, 7, 1)) == "under_3"
    assert kindergarten_age_group(2024, dt.date(2027, 8, 1)) == "over_3"
    assert kindergarten_age_group(2025, dt.date(2027, 12, 1)) == "under_3"
    assert kindergarten_age_group(2022, dt.date(2025, 1, 1)) == "under_3"
    assert ChildNeeds(1, dt.date(2027, 8, 1), birth_year=2024).age_group == "over_3"
    assert ChildNeeds(1, dt.date(2027, 8, 1)).age_group is None


def test_a_child_gets_a_place_of_its_own_age_group():
    august = dt.date(2027, 8, 1)
    kindergartens = [
        KindergartenPlaces("Brunkeberg barnehage", august, 2, "over_3"),
        KindergartenPlaces("Kviteseid barnehage", august, 1, "under_3"),
        KindergartenPlaces("Vrådal barnehage", dt.date(2027, 10, 1), 1, ""),
    ]
    index = listings(kindergartens=kindergartens)
    toddler, older = ChildNeeds(1, august, birth_year=2026), ChildNeeds(2, august, birth_year=2024)
    best = match_household(couple(children=(toddler, older)), index).suggestions[0]
    assert best.kindergarten_for(1).kindergarten == "Kviteseid barnehage"  # the place for children under 3
    assert best.kindergarten_for(2).kindergarten == "Brunkeberg barnehage"  # turns three in 2027: over 3
    # two toddlers: the second has no place for its age in August, and the place of any age comes in October
    twins = (ChildNeeds(1, august, birth_year=2026), ChildNeeds(2, august, birth_year=2026))
    result = match_household(couple(children=twins), index)
    best = result.suggestions[0]
    assert best.kindergarten_for(1).kindergarten == "Kviteseid barnehage"
    assert best.kindergarten_for(2) == KindergartenPlaces("Vrådal barnehage", dt.date(2027, 10, 1), 1)
    gap = next(g for g in result.gaps if g.kind == "kindergarten")
    assert (gap.key, gap.code, gap.params["age_group"], gap.params["month"]) == (
        "kindergarten:2",
        "kindergarten_late",
        "under_3",
        "2027-10-01",
    )


def test_a_place_of_an_unknown_age_group_is_refused():
    with pytest.raises(ValueError, match="age_group"):
        listings(kindergartens=[KindergartenPlaces("K", MARCH, 1, "teen")])


def test_two_children_with_one_number_are_refused():
    with pytest.raises(ValueError, match="sitt eget nummer"):  # in the active language, bokmål by default
        HouseholdNeeds(1, children=(ChildNeeds(1, MARCH), ChildNeeds(1, MARCH)))


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


def test_a_sibling_starting_earlier_still_holds_the_place_a_month_later():
    """One free place in March and one in April at Brunkeberg (the same place, still free): a child starting in
    March takes it, so a sibling starting in April cannot be given it too."""
    april = dt.date(2027, 4, 1)
    kindergartens = [
        KindergartenPlaces("Brunkeberg barnehage", MARCH, 1),
        KindergartenPlaces("Brunkeberg barnehage", april, 1),
        KindergartenPlaces("Kviteseid barnehage", dt.date(2027, 6, 1), 2),
    ]
    needs = couple(children=(ChildNeeds(1, MARCH), ChildNeeds(2, april)))
    result = match_household(needs, listings(kindergartens=kindergartens))
    for suggestion in result.suggestions:
        one, two = suggestion.kindergarten_for(1), suggestion.kindergarten_for(2)
        assert not (one and two and one.kindergarten == two.kindergarten == "Brunkeberg barnehage")
    best = result.suggestions[0]
    assert best.kindergarten_for(1) == KindergartenPlaces("Brunkeberg barnehage", MARCH, 1)
    assert best.kindergarten_for(2) == KindergartenPlaces("Kviteseid barnehage", dt.date(2027, 6, 1), 2)
    # with two places in April, the April child fits beside the March child
    kindergartens[1] = KindergartenPlaces("Brunkeberg barnehage", april, 2)
    best = match_household(needs, listings(kindergartens=kindergartens)).suggestions[0]
    assert best.kindergarten_for(2) == KindergartenPlaces("Brunkeberg barnehage", april, 2)
