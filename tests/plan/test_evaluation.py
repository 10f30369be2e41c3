"""Does it work? Funnel, moved-in per group, retention, reach and reasons for moving away."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.plan.evaluation import evaluate, funnel, move_out_reasons, moved_in_by_group, reach, reason_group

AS_OF = dt.date(2025, 12, 31)


def households():
    """Twelve households as the newcomer service would export them (no names, no contact details)."""
    rows = []
    for _ in range(4):
        rows.append({"stage": "enquiry", "target_group": "returnees"})
    rows.append({"stage": "in_dialogue", "target_group": "returnees"})
    rows.append({"stage": "visited", "target_group": "job_seeking_families"})
    rows.append({"stage": "decided", "target_group": "job_seeking_families"})
    moved = [
        ("2021-03-01", "2022-06-01", "labour_immigrants", 1, "Fant ikke jobb til samboeren"),
        ("2021-08-15", None, "labour_immigrants", 3, None),
        ("2022-01-10", "2022-11-01", "labour_immigrants", 2, "Fikk ikke leie bolig"),
        ("2023-05-01", None, "job_seeking_families", 4, None),
        ("2024-09-01", "2025-03-01", "labour_immigrants", 1, "Følte meg ensom, ingen venner"),
    ]
    for moved_in, moved_out, group, persons, reason in moved:
        rows.append(
            {
                "stage": "moved_in",
                "target_group": group,
                "persons": persons,
                "moved_in": moved_in,
                "moved_out": moved_out,
                "move_out_reason": reason,
            }
        )
    return rows


def test_the_funnel_counts_households_that_reached_each_stage():
    table = funnel(households()).set_index("stage")
    assert table["households"].tolist() == [12, 8, 7, 6, 5]
    assert table.loc["moved_in", "share_of_enquiries"] == pytest.approx(5 / 12)
    assert table.loc["decided", "conversion"] == pytest.approx(6 / 7)
    assert math.isnan(table.loc["enquiry", "conversion"])


def test_the_funnel_hides_one_or_two_households_and_shares_under_five():
    rows = [{"stage": "moved_in"}, {"stage": "enquiry"}, {"stage": "enquiry"}, {"stage": "visited"}]
    table = funnel(rows).set_index("stage")
    assert table.loc["enquiry", "households"] == 4 and not table.loc["enquiry", "suppressed"]
    assert math.isnan(table.loc["visited", "households"]) and table.loc["visited", "suppressed"]  # 2
    assert math.isnan(table.loc["moved_in", "households"])  # 1: "Flyttet inn 1" is never shown
    assert table["conversion"].isna().all()  # no base reaches five households


def test_unknown_stage_is_refused():
    with pytest.raises(InputError, match="stage: ukjent trinn «thinking about it»; bruk "):  # bokmål
        funnel([{"stage": "thinking about it"}])
    with override("nn"), pytest.raises(InputError, match="stage: post 1 har ikkje noko steg"):
        funnel([{"stage": None}])
    with override("en"), pytest.raises(InputError, match="stage: unknown stage 'thinking about it'; use "):
        funnel([{"stage": "thinking about it"}])


def test_moved_in_per_group_suppresses_small_cells():
    table = moved_in_by_group(households()).set_index("target_group")
    assert math.isnan(table.loc["job_seeking_families", "households"])  # 1 household: suppressed
    assert table.loc["job_seeking_families", "suppressed"]
    # the funnel shows 5 moved in, so 4 labour immigrants beside a hidden cell would give the 1 away:
    # the next cell is hidden too (complementary suppression)
    assert math.isnan(table.loc["labour_immigrants", "households"])
    assert table["suppressed"].all()
    open_table = moved_in_by_group(households(), min_cell=1).set_index("target_group")
    assert open_table.loc["job_seeking_families", "persons"] == 4
    since = moved_in_by_group(households(), since=dt.date(2022, 1, 1), min_cell=1).set_index("target_group")
    assert since.loc["labour_immigrants", "households"] == 2


def test_reasons_for_moving_away_are_grouped():
    assert reason_group("Fant ikke jobb til samboeren") == "partner_work"
    assert reason_group("Fikk ikke leie bolig") == "housing"
    assert reason_group("Følte meg ensom, ingen venner") == "social"
    assert reason_group("moved to be near my parents") == "family"  # not 'rent' in 'parents'
    assert reason_group(None) == "other"
    table = move_out_reasons(households(), min_cell=1, lang="en").set_index("reason")
    assert table["households"].to_dict() == {"partner_work": 1, "housing": 1, "social": 1}
    assert table.loc["social", "label"] == "Social life and belonging"
    assert move_out_reasons(households())["suppressed"].all()


def test_reach_against_fyresdal_in_migration(migration_by_age):
    # Fyresdal had 93 + 71 + 70 = 234 in-migrants 2023-2025 (migration by age); the service moved in 4 + 1 persons
    result = reach(households(), municipality="4032", migration_by_age=migration_by_age, years=[2023, 2024, 2025])
    assert result.total_in_migration == 93 + 71 + 70
    assert result.persons_moved_in_via_service == 5
    assert result.share == pytest.approx(5 / 234)
    # the period as the page and the document both print it (one helper: plan.texts.year_span)
    assert result.period == "2023–2025"
    one_year = reach(households(), municipality="4032", migration_by_age=migration_by_age, years=[2024])
    assert one_year.period == "2024"


def test_evaluate_puts_it_together(migration_by_age):
    ev = evaluate(
        households(),
        as_of=AS_OF,
        municipality="4032",
        migration_by_age=migration_by_age,
        years=[2021, 2022, 2023, 2024, 2025],
        min_group=4,
    )
    assert set(ev.curves) == {"all", "labour_immigrants"}
    ret = ev.retention.set_index("group")
    # labour immigrants: moved away after 1.25, 0.81 and 0.49 years; one censored at 4.38 years
    assert ret.loc["labour_immigrants", "share_1y"] == pytest.approx(0.5)
    assert ret.loc["labour_immigrants", "share_2y"] == pytest.approx(0.25)
    assert ret.loc["all", "households"] == 5
    assert ev.funnel["households"].iloc[0] == 12
    assert ev.reach.persons_moved_in_via_service == 11


def test_no_retention_curve_while_fewer_than_min_group_have_moved_in():
    # 5 households moved in: with min_group=6 even the all-groups curve would show single households' moves
    ev = evaluate(households(), as_of=AS_OF, min_group=6)
    assert ev.curves == {} and ev.retention.empty
    assert ev.funnel["households"].iloc[0] == 12
    assert set(evaluate(households(), as_of=AS_OF).curves) == {"all"}  # 5 moved in, min_group 5
