"""Erased and retained households still count in the plan's evaluation: funnel, retention and the inclusion
figure read their anonymous outcomes, so erasing households does not shrink the results."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from blilyst.web.newcomers.models import FollowUp, Household
from blilyst.web.planning import aggregates
from blilyst.web.privacy.rules import erase_household


def _figures() -> tuple:
    households = Household.objects.all()
    records = aggregates.evaluation_records(households, "4028")
    stages = Counter(r["stage"] for r in records)
    moved_in = sum(1 for r in records if r["moved_in"])
    moved_out = sum(1 for r in records if r["moved_out"])
    months, waiting = aggregates.inclusion(households, "4028", today=dt.date(2026, 12, 1))
    return stages, moved_in, moved_out, len(months), waiting


def test_erasing_every_household_keeps_funnel_retention_and_inclusion(households):
    first = Household.objects.filter(municipality="4028", moved_in_on__isnull=False).order_by("pk").first()
    FollowUp.objects.create(
        household=first, on=first.moved_in_on + dt.timedelta(days=95), months=3, feels_included="yes"
    )
    before = _figures()
    assert sum(before[0].values()) == 12 and before[1] == 8 and before[2] == 2
    for household in Household.objects.filter(municipality="4028"):
        erase_household(household, cause="retention")
    assert not Household.objects.filter(municipality="4028").exists()
    assert _figures() == before
