"""Residents' own wish to stay: a survey's counts, checked, and reported by the one small-number rule."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.plan.saved import SavedPlan
from blilyst.plan.survey import SurveyResult, survey_section

DAY = dt.date(2026, 10, 15)
STAY = {"yes": 60, "probably": 30, "unsure": 15, "probably_not": 10, "no": 5}


def _result(**changes) -> SurveyResult:
    values = {
        "title": "Innbyggerundersøkelsen 2026",
        "conducted_on": DAY,
        "respondents": 120,
        "stay": STAY,
        "stay_reasons": {"nature": 70, "family": 55, "job": 40, "community": 2},
        "leave_reasons": {"job": 25, "services": 12, "transport": 1},
    } | changes
    return SurveyResult(**values)


def _rows(table):
    return [tuple(r) for r in table.frame.itertuples(index=False)]


def test_the_answers_and_their_shares():
    section = survey_section(_result(), "nb")
    assert section.title == "Innbyggernes eget ønske om å bli"
    assert section.paragraphs[0] == "Innbyggerundersøkelsen 2026, 15. oktober 2026: 120 innbyggere svarte."
    # 60 + 30 of 120 plan to stay (75 %), 10 + 5 plan to move (12,5 %, rounded half to even)
    assert "90 av de 120 som svarte (75\u00a0%)" in section.paragraphs[1]
    assert "15 (12\u00a0%) planlegger å flytte" in section.paragraphs[1]
    stay = _rows(section.tables[0])
    assert stay[0] == ("Ja", "60", "50\u00a0%") and stay[-1] == ("Nei", "5", "4\u00a0%")
    # reasons: several per person, no total; 1 and 2 hidden, with no percentage beside them
    assert ("Fellesskap og fritid", "skjult (under 3)", "–") in _rows(section.tables[1])
    assert ("Veier og transport", "skjult (under 3)", "–") in _rows(section.tables[2])
    assert _rows(section.tables[1])[0] == ("Natur og friluftsliv", "70", "58\u00a0%")


def test_a_small_answer_is_hidden_with_what_would_reveal_it_and_the_summary_goes():
    section = survey_section(_result(stay={"yes": 60, "probably": 30, "unsure": 26, "probably_not": 2, "no": 0}), "nb")
    stay = {r[0]: r[1] for r in _rows(section.tables[0])}
    # 2 is hidden; 120 answered, so the next smallest shown answer (26) is hidden too; 0 names nobody
    assert stay == {
        "Ja": "60",
        "Sannsynligvis": "30",
        "Vet ikke": "skjult (under 3)",
        "Sannsynligvis ikke": "skjult (under 3)",
        "Nei": "0",
    }
    assert len(section.paragraphs) == 1  # "90 plan to stay" beside 60 and 30 shown would say nothing new, but
    # "28 plan to move or are unsure" would: no grouped sentence while an answer is hidden


def test_few_answers_give_no_percentages_and_under_three_respondents_nothing():
    few = survey_section(_result(respondents=4, stay={"yes": 3, "no": 1}, stay_reasons={}, leave_reasons={}), "nb")
    assert all(r[2] == "–" for r in _rows(few.tables[0]))  # under 5 answers: no share
    tiny = survey_section(_result(respondents=2, stay={"yes": 2}, stay_reasons={}, leave_reasons={}), "nb")
    assert tiny.paragraphs == (
        "Innbyggerundersøkelsen 2026, 15. oktober 2026: færre enn 3 innbyggere svarte, så svarene vises ikke.",
    )
    assert tiny.tables == ()


def test_the_section_in_nynorsk_and_english():
    assert survey_section(_result(), "nn").title == "Innbyggjarane sitt eige ønske om å bli"
    en = survey_section(_result(), "en")
    assert en.tables[0].title == "Do you plan to live in the municipality in five years?"
    assert survey_section(None, "nb") is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stay": STAY | {"no": 6}}, "add up to 121, more than the 120"),
        ({"stay": {"maybe": 3}}, "unknown answer 'maybe'"),
        ({"stay_reasons": {"job": -1}}, "cannot be negative"),
        ({"leave_reasons": {"job": 2.5}}, "must be a whole number"),
        ({"leave_reasons": {"job": 121}}, "more than the 120 who answered"),
        ({"respondents": 0}, "between 1 and"),
        ({"title": "  "}, "give the survey a name"),
    ],
)
def test_counts_that_cannot_be_true_are_refused(changes, message):
    with override("en"), pytest.raises(InputError, match=message):
        _result(**changes)


def test_counts_that_cannot_be_true_are_refused_in_the_active_language():
    with pytest.raises(InputError, match="stay: svarene blir til sammen 121, flere enn de 120 som svarte"):  # bokmål
        _result(stay=STAY | {"no": 6})
    with override("nn"), pytest.raises(InputError, match="title: gje undersøkinga eit namn"):
        _result(title="  ")


def test_the_survey_travels_in_the_plan_file():
    saved = SavedPlan("4028", survey=_result())
    again = SavedPlan.from_json(saved.to_json())
    assert again.survey == saved.survey
    with pytest.raises(InputError, match="conducted_on"):
        SavedPlan.from_json(saved.to_json() | {"survey": {"title": "x", "respondents": 3, "conducted_on": "i går"}})


def test_a_file_of_counts_names_parts_and_answers_in_any_of_the_three_languages():
    from blilyst.plan.survey import counts_from_rows

    rows = [
        (2, ["Planlegger du å bo her om fem år?", "Ja", "60"]),
        (3, ["fem år", "Truleg ikkje", "10"]),
        (4, ["Grunn til å bli", "Natur og friluftsliv", "70"]),
        (5, ["Reason to move", "Work", "25"]),
        (6, ["Kvifor flytte", "Vegar og transport", "1"]),
    ]
    assert counts_from_rows(rows) == {
        "stay": {"yes": 60, "probably_not": 10},
        "stay_reasons": {"nature": 70},
        "leave_reasons": {"job": 25, "transport": 1},
    }
    with pytest.raises(InputError, match="linje 2"):
        counts_from_rows([(2, ["fem år", "Kanskje", "3"])])
    with pytest.raises(InputError, match="linje 3"):
        counts_from_rows([(3, ["fem år", "Ja", "mange"])])
