"""Follow-ups are personal data: exported, erased and retained with their household."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from blilyst.web.newcomers.models import FollowUp, Household, Status
from blilyst.web.privacy.models import AnonymousOutcome
from blilyst.web.privacy.rules import apply_retention, erase_household


def with_follow_up(people, household):
    household.change_status(Status.MOVED_IN, on=dt.date(2025, 3, 10), by=people.alice)
    return FollowUp.objects.create(
        household=household,
        on=dt.date(2025, 6, 12),
        months=3,
        feels_included="partly",
        housing_satisfaction=2,
        considering_moving_away=True,
        note="Trang bolig",
        by=people.alice,
    )


def test_the_export_holds_the_follow_ups(people, client_for, household):
    with_follow_up(people, household)
    data = json.loads(client_for(people.alice).get(reverse("household_export", args=[household.pk])).content)
    assert data["follow_ups"] == [
        {
            "on": "2025-06-12",
            "months": 3,
            "feels_included": "partly",
            "job_satisfaction": None,
            "housing_satisfaction": 2,
            "school_satisfaction": None,
            "social_satisfaction": None,
            "considering_moving_away": True,
            "note": "Trang bolig",
            "by": "alice",
        }
    ]


def test_erasure_removes_the_follow_ups(people, household, other_household):
    with_follow_up(people, household)
    kept = with_follow_up(people, other_household)
    erase_household(household, by=people.alice)
    assert list(FollowUp.objects.all()) == [kept]
    assert AnonymousOutcome.objects.get().moved_in_month == dt.date(2025, 3, 1)


def test_retention_removes_the_follow_ups_of_expired_households(people, household):
    with_follow_up(people, household)
    now = timezone.now()
    Household.objects.filter(pk=household.pk).update(last_activity=now - dt.timedelta(days=731))
    result = apply_retention(now=now)
    assert result.expired == [household.pk]
    assert not FollowUp.objects.exists() and AnonymousOutcome.objects.get().cause == "retention"
