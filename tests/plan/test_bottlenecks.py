"""The bottleneck checklist: ratings, evidence-based suggestions and comparison over time."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.plan.bottlenecks import (
    CHECKLIST,
    BottleneckEvidence,
    Rating,
    assess,
    compare,
    evidence_for,
    history_frame,
    update_item,
)
from blilyst.plan.capacity import Capacity

SPRING, AUTUMN = dt.date(2025, 3, 1), dt.date(2025, 10, 1)

TIGHT = BottleneckEvidence(
    capacity=Capacity(
        housing={"rental": 0, "for_sale": 3, "small_farm": 0},
        kindergarten_free={m: (0 if m in (1, 2, 3, 4, 5, 6) else 4) for m in range(1, 13)},
        vacancies={"health": 6},
        vacancies_advertised=4,
        vacancies_known=10,
    ),
    matching_gaps={"housing": 3, "job_partner": 2},
    months_to_included=[4, 9, 14, 18, 20],
)


def test_the_checklist_has_the_guidance_five_questions():
    assert [i.key for i in CHECKLIST] == ["receiving", "housing", "kindergarten", "jobs", "vacancies"]
    assert "når som helst" in CHECKLIST[2].question_text("nb")
    assert "both adults" in CHECKLIST[3].question_text("en")
    assert "barnehageplassar" in CHECKLIST[2].question_text("nn")  # nynorsk, not bokmål
    assert "hushald" in CHECKLIST[3].question_text("nn")


def test_evidence_suggests_a_rating_per_item():
    assert evidence_for("kindergarten", TIGHT)[0] is Rating.BOTTLENECK
    _rating, facts = evidence_for("kindergarten", TIGHT)
    assert "januar, februar, mars, april, mai, juni" in facts[0].text["nb"]
    assert evidence_for("housing", TIGHT)[0] is Rating.PARTLY  # one type only, and 3 unmet housing needs
    assert evidence_for("jobs", TIGHT)[0] is Rating.PARTLY  # one sector, partners without jobs
    vac, vac_facts = evidence_for("vacancies", TIGHT)
    assert vac is Rating.BOTTLENECK  # 40 % advertised
    assert "40\xa0% av kjente ledige stillinger" in vac_facts[0].text["nb"]
    rec, rec_facts = evidence_for("receiving", TIGHT)
    assert rec is Rating.BOTTLENECK  # median 14 months
    assert "Median 14 months" in rec_facts[0].text["en"]
    # every fact is built in nynorsk too, with its own words and the Norwegian percentage format
    assert "40\xa0% av kjende ledige stillingar" in vac_facts[0].text["nn"]
    assert "40% of known vacancies" in vac_facts[0].text["en"]
    assert "Median 14 månader" in rec_facts[0].text["nn"]
    assert "januar, februar, mars" in facts[0].text["nn"]


def test_without_evidence_nothing_is_suggested():
    for item in CHECKLIST:
        assert evidence_for(item.key, BottleneckEvidence()) == (Rating.NOT_ASSESSED, [])


def test_good_supply_is_good():
    ev = BottleneckEvidence(
        capacity=Capacity(
            housing={"rental": 4, "plot": 12},
            kindergarten_free=dict.fromkeys(range(1, 13), 2),
            vacancies={"health": 3, "industry": 5},
            vacancies_advertised=8,
            vacancies_known=8,
        ),
        months_to_included=[3, 5, 6, 4, 2],
    )
    assert {i.key: evidence_for(i.key, ev)[0] for i in CHECKLIST} == dict.fromkeys(
        ("receiving", "housing", "kindergarten", "jobs", "vacancies"), Rating.GOOD
    )


def test_an_assessment_keeps_ratings_notes_and_flags_optimism():
    a = assess(
        "4032",
        SPRING,
        {"housing": "good", "kindergarten": "partly", "vacancies": Rating.BOTTLENECK},
        {"housing": "Få utleieboliger, men noen til salgs."},
        TIGHT,
        assessed_by="Kontaktperson",
    )
    assert a.item("housing").notes.startswith("Få utleieboliger")
    assert a.item("receiving").rating is Rating.NOT_ASSESSED
    assert a.bottlenecks() == ["vacancies"]
    assert a.score() == pytest.approx((2 + 1 + 0) / 3)
    assert a.disagreements() == ["housing", "kindergarten"]  # rated better than the evidence says
    frame = a.to_frame("en")
    assert frame.loc[frame.item == "kindergarten", "rating_label"].item() == "Partly"
    assert "No free kindergarten place in January" in frame.loc[frame.item == "kindergarten", "evidence"].item()


def test_assessments_are_compared_over_time():
    before = assess("4032", SPRING, {"housing": "bottleneck", "kindergarten": "bottleneck", "jobs": "partly"})
    after = assess(
        "4032", AUTUMN, {"housing": "partly", "kindergarten": "bottleneck", "jobs": "bottleneck", "receiving": "good"}
    )
    changes = {c.key: c.direction for c in compare(after, before)}  # order does not matter
    assert changes == {
        "receiving": "newly_assessed",
        "housing": "better",
        "kindergarten": "same",
        "jobs": "worse",
        "vacancies": "same",
    }
    history = history_frame([after, before])
    assert history["assessed_on"].tolist() == [SPRING, AUTUMN]
    assert history["housing"].tolist() == ["bottleneck", "partly"]


def test_update_item_moves_only_that_item():
    a = assess("4032", SPRING, {"housing": "bottleneck"})
    b = update_item(a, "housing", rating="good", notes="Ti nye utleieboliger", on=AUTUMN)
    assert b.item("housing").rating is Rating.GOOD and b.item("housing").assessed_on == AUTUMN
    assert a.item("housing").rating is Rating.BOTTLENECK  # the original is untouched


def test_bad_input_is_refused():
    with pytest.raises(InputError, match="item: ukjente punkter i sjekklisten: weather; bruk "):  # bokmål
        assess("4032", SPRING, {"weather": "good"})
    with override("nn"), pytest.raises(InputError, match="rating\\[housing\\]: «excellent» er ikkje ein av "):
        assess("4032", SPRING, {"housing": "excellent"})
    with override("en"), pytest.raises(InputError, match="compares 4032 with 4036; compare .* same municipality"):
        compare(assess("4032", SPRING), assess("4036", AUTUMN))
    with pytest.raises(InputError, match="månedene må være 1–12, fikk 13"):  # bokmål, the default
        Capacity(kindergarten_free={13: 2})
    with pytest.raises(InputError, match="«rental» kan ikke være negativ"):
        Capacity(housing={"rental": -1})


def test_an_assessment_survives_a_round_trip_through_json():
    import json

    from blilyst.plan.bottlenecks import Assessment

    a = update_item(
        assess(
            "4032", SPRING, {"housing": "partly", "kindergarten": "bottleneck"}, {"housing": "Få utleieboliger"}, TIGHT
        ),
        "jobs",
        rating="good",
        on=AUTUMN,
    )
    back = Assessment.from_dict(json.loads(json.dumps(a.to_dict())), TIGHT)
    assert back == a
    with pytest.raises(InputError, match="assessment"):
        Assessment.from_dict({"municipality": "4032"})


def test_time_to_feel_included_needs_five_households():
    # the small-number rule: a median only from five cases (four households' median is nearly their own times)
    rating, facts = evidence_for("receiving", BottleneckEvidence(months_to_included=[2, 20, 25, 30]))
    assert rating is Rating.NOT_ASSESSED
    assert [f.signal for f in facts] == ["info"] and "For få husstander (4)" in facts[0].text["nb"]
    assert not any("Median" in f.text["nb"] for f in facts)
    rating, facts = evidence_for("receiving", BottleneckEvidence(months_to_included=[2, 20, 30, 14, 22]))
    assert rating is Rating.BOTTLENECK and "Median 20 måneder" in facts[0].text["nb"]


def test_one_or_two_households_not_feeling_included_are_not_counted_out():
    rating, facts = evidence_for("receiving", BottleneckEvidence(not_yet_included=2))
    assert rating is Rating.PARTLY
    assert facts[0].text["nb"] == "Noen få husstander (under 3) føler seg ikke inkludert etter ett år."


def test_a_suggested_in_place_says_what_it_rests_on():
    from blilyst.plan.bottlenecks import suggested_label

    a = assess("4032", SPRING, evidence=BottleneckEvidence(capacity=Capacity(housing={"rental": 2, "plot": 2})))
    assert a.item("housing").suggested is Rating.GOOD
    assert suggested_label(a.item("housing"), "nb") == (
        "I orden, bare ut fra det som er registrert: Ledige nå: 2 utleieboliger, 2 tomter."
    )


def test_plan_percentages_and_counts_use_the_one_formatter_in_every_language() -> None:
    """Nynorsk writes percentages like bokmål (no-break space before %), not the English way."""
    from blilyst.plan.texts import fmt_int, fmt_pct

    assert fmt_pct(0.42, "nn") == "42\xa0%"
    assert fmt_pct(0.042, "nb", digits=1) == "4,2\xa0%"
    assert fmt_pct(0.42, "en") == "42%"
    assert fmt_int(2550, "nn") == "2\xa0550"
    assert fmt_int(2550, "en") == "2,550"
    assert fmt_int(None, "nn") == "–"
