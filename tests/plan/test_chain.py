"""The written chain goal → target group → measures → indicators, and its validation."""

from __future__ import annotations

from blilyst.plan.chain import Chain, Indicator, Measure, is_complete, validate_chain
from blilyst.plan.targetgroups import user_group

RETENTION = Indicator(
    "Fortsatt bosatt etter 2 år", "retention_2y", target=0.75, target_year=2028, baseline=0.6, baseline_year=2025
)
MOVED_IN = Indicator("Husholdninger flyttet inn", "moved_in_households", target=15, target_year=2027, baseline=6)

GOOD = Chain(
    goal="20 flere innbyggere i arbeidsfør alder innen 2030",
    target_groups=("labour_immigrants", "over_45"),
    measures=(
        Measure(
            "Norskopplæring på arbeidsplassen",
            target_groups=("labour_immigrants",),
            bottleneck="receiving",
            indicators=(RETENTION,),
        ),
        Measure(
            "Prøveboliger", target_groups=("labour_immigrants", "over_45"), bottleneck="housing", indicators=(MOVED_IN,)
        ),
    ),
    indicators=(Indicator("Nettoinnflytting", "net_migration", target=20, target_year=2030, baseline=-4),),
)


def codes(problems):
    return sorted({p.code for p in problems})


def test_a_complete_chain_has_no_problems():
    assert validate_chain(GOOD) == []
    assert is_complete(GOOD)
    frame = GOOD.to_frame("nb")
    assert frame["measure"].tolist() == ["", "Norskopplæring på arbeidsplassen", "Prøveboliger"]
    assert frame.loc[1, "target"] == "75\xa0% (2028)"
    assert frame.loc[1, "target_group"] == "Arbeidsinnvandrere"
    assert frame.loc[2, "target_group"] == "Arbeidsinnvandrere, Folk over 45 år"
    assert frame.loc[2, "source"] == "Tilflyttertjenesten"


def test_missing_links_are_errors():
    empty = Chain(goal="", target_groups=(), measures=())
    assert codes(validate_chain(empty)) == ["no_goal", "no_indicators", "no_measures", "no_target_group"]
    assert not is_complete(empty)


def test_everyone_is_not_a_target_group():
    chain = Chain(goal="Flere innbyggere", target_groups=("alle",), measures=GOOD.measures[:1])
    found = validate_chain(chain)
    assert "vague_target_group" in codes(found)
    assert "goal_not_quantified" in codes(found)  # a warning
    assert "measure_outside_chain" in codes(found)  # the measure targets labour immigrants


def test_indicators_must_be_measurable():
    chain = Chain(
        goal="10 nye familier innen 2027",
        target_groups=("job_seeking_families",),
        measures=(
            Measure(
                "Velkomstpakke",
                indicators=(
                    Indicator("Trivsel", "happiness"),
                    Indicator("Oppmøte på tilflytterdag", "custom", target=40, target_year=2026),
                    Indicator("Andel som blir", "retention_1y", target=85, target_year=2026, baseline=0.7),
                ),
            ),
        ),
    )
    found = codes(validate_chain(chain))
    assert {"unknown_metric", "no_target", "no_target_year", "no_source", "no_unit", "bad_share", "no_baseline"} <= set(
        found
    )


def test_user_groups_are_known_when_given():
    nurses = user_group("nurses", "Sykepleiere", age_range=(25, 45), competence=("nurse",))
    chain = Chain(
        goal="5 sykepleiere innen 2027",
        target_groups=("nurses",),
        measures=(Measure("Rekrutteringsmesse", target_groups=("nurses",), indicators=(MOVED_IN,)),),
    )
    assert "unknown_target_group" in codes(validate_chain(chain))
    assert validate_chain(chain, groups=[nurses]) == []


def test_a_warning_for_many_groups_and_unmeasured_measures():
    chain = Chain(
        goal="30 nye innbyggere innen 2030",
        target_groups=("returnees", "lifestyle_movers", "job_seeking_families"),
        measures=(Measure("Nettside"),),
        indicators=(MOVED_IN,),
    )
    problems = validate_chain(chain)
    assert codes(problems) == ["measure_without_indicator", "too_many_groups"]
    assert all(p.severity == "warning" for p in problems)
    assert is_complete(chain)


def test_a_chain_survives_a_round_trip_through_json():
    import json

    data = json.loads(json.dumps(GOOD.to_dict()))
    assert Chain.from_dict(data) == GOOD


def test_from_dict_names_unknown_fields():
    import pytest

    from blilyst.errors import InputError

    with pytest.raises(InputError, match="measure"):
        Chain.from_dict({"goal": "x", "target_groups": [], "measures": [{"name": "m", "budget": 5}]})


def test_a_problem_says_where_it_is_in_words_not_code_keys():
    from blilyst.plan.chain import ChainProblem, place_in_words

    assert place_in_words("measure[1: Prøveboliger] / Husholdninger") == (
        "Tiltak 1 (Prøveboliger), indikatoren «Husholdninger»"
    )
    assert place_in_words("goal") == "Målet"
    problem = ChainProblem("x", "error", "target_group", "Choose at least one concrete target group.")
    assert problem.text("nb") == "Målgruppen: Velg minst én konkret målgruppe."
    assert problem.text("en") == "The target group: Choose at least one concrete target group."
    assert "target_group" not in problem.text("nb")
    # a chain without measures says so in words too (the plan document printed "measures: …")
    empty = [
        p.text("nb") for p in validate_chain(Chain(goal="Flere innbyggere", target_groups=("over_45",), measures=()))
    ]
    assert "Tiltakene: Skriv hva dere faktisk skal gjøre (minst ett tiltak)." in empty
    assert not any(t.startswith("measures") for t in empty)


def test_problems_and_metric_names_come_from_the_catalogs_in_each_language():
    from blilyst.plan.chain import metric_label

    chain = Chain(
        goal="20 flere innbyggere innen 2030",
        target_groups=("alle",),
        measures=(Measure(name="Prøveboliger", indicators=(Indicator("Andel", "retention_1y", 1.5, 2030, 0.5),)),),
    )
    texts = {lang: [p.text(lang) for p in validate_chain(chain)] for lang in ("nb", "nn", "en")}
    assert "Målgruppen: «Alle» er ingen målgruppe; velg en konkret gruppe ut fra behovsanalysen." in texts["nb"]
    assert "Målgruppa: «Alle» er inga målgruppe; vel ei konkret gruppe ut frå behovsanalysen." in texts["nn"]
    # the number in a message is written the way the language writes it
    assert any(t.endswith("En andel må ligge mellom 0 og 1, ikke 1,5.") for t in texts["nb"])
    assert any(t.endswith("A share must be between 0 and 1, not 1.5.") for t in texts["en"])
    assert metric_label("retention_1y", "nn") == "Del framleis busett etter 1 år"
    assert Indicator("x", "moved_in_households").resolved_source("nn") == "Tilflyttartenesta"
