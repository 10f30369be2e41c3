"""Time from moving in to feeling included: from the follow-ups, falling back to "settled"."""

from __future__ import annotations

import datetime as dt

from blilyst.plan.bottlenecks import BottleneckEvidence, evidence_for


def _inclusion():
    from blilyst.web.newcomers.models import Household
    from blilyst.web.planning import aggregates

    return aggregates.inclusion(Household.objects.all(), "4028", today=dt.date(2026, 1, 1))


def _follow_up(label, on, months, feels):
    from blilyst.web.newcomers.models import FollowUp, Household

    FollowUp.objects.create(household=Household.objects.get(label=label), on=on, months=months, feels_included=feels)


def test_without_follow_ups_settled_is_used_and_said(households):
    result = _inclusion()
    months, waiting = result
    assert sorted(months) == [6.0, 6.0, 12.0] and waiting == 2
    assert (result.source, result.from_follow_ups, result.from_settled) == ("settled", 0, 3)


def test_the_first_yes_of_the_follow_ups_wins_over_settled(households):
    d = dt.date
    _follow_up("L1", d(2022, 6, 1), 3, "partly")
    _follow_up("L1", d(2023, 3, 1), 12, "yes")  # 12 months; settled said 6
    _follow_up("L1", d(2024, 3, 1), 24, "yes")
    _follow_up("L3", d(2023, 4, 15), 3, "no")  # followed up, never yes: waiting
    _follow_up("L5", d(2024, 11, 1), 3, "yes")  # 3 months; was waiting
    result = _inclusion()
    assert sorted(result.months) == [3.0, 6.0, 12.0, 12.0]  # L5 3, F1 6 (settled), L2 12 (settled), L1 12
    assert result.waiting == 1  # L3 only
    assert (result.source, result.from_follow_ups, result.from_settled) == ("mixed", 2, 2)


def test_only_follow_ups_and_small_cells_are_suppressed(households):
    from blilyst.web.newcomers.models import FollowUp, Household

    d = dt.date
    settled = Household.objects.filter(municipality="4028", label__in=["L1", "L2", "F1"])
    for h in settled:  # every settled household says "no": they count as waiting, not from settled
        FollowUp.objects.create(household=h, on=h.moved_in_on + dt.timedelta(days=90), months=3, feels_included="no")
    _follow_up("L5", d(2024, 11, 1), 3, "yes")
    _follow_up("F3", d(2025, 9, 1), 6, "yes")
    result = _inclusion()
    assert sorted(result.months) == [3.0, 6.0] and result.source == "follow_ups"
    assert result.waiting == 4  # L1, L2, F1 (followed, no yes) and L3 (no follow-up, not settled)
    rating, facts = evidence_for(
        "receiving", BottleneckEvidence(months_to_included=tuple(result.months), not_yet_included=result.waiting)
    )
    texts = [f.text["en"] for f in facts]
    assert "Too few households (2) to show the time from moving in to feeling included (at least 5)." in texts
    assert not any("Median" in t for t in texts)
    # a third household answering yes is still too few for a median (the small-number rule: five)
    _follow_up("L3", d(2023, 10, 15), 9, "yes")
    result = _inclusion()
    assert sorted(result.months) == [3.0, 6.0, 9.0] and result.waiting == 3
    _rating, facts = evidence_for("receiving", BottleneckEvidence(months_to_included=tuple(result.months)))
    assert [f.text["en"] for f in facts] == [
        "Too few households (3) to show the time from moving in to feeling included (at least 5)."
    ]


def test_other_municipalities_follow_ups_do_not_count(households):
    from blilyst.web.newcomers.models import Household
    from blilyst.web.planning import aggregates

    _follow_up("Vinje1", dt.date(2022, 4, 1), 3, "yes")
    assert _inclusion().from_follow_ups == 0
    vinje = aggregates.inclusion(Household.objects.all(), "4036", today=dt.date(2026, 1, 1))
    assert (vinje.months, vinje.waiting, vinje.source) == ([3.0], 0, "follow_ups")
