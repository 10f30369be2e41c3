"""Re-matching after a register change: every open household, gap rows kept in step, in a few statements."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blilyst.web.resources import matchinputs
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, MatchingGap

from .test_household_matches import YEAR


def refresh(code="4028"):
    from blilyst.web.newcomers.models import Household

    index = matchinputs.listing_index(
        Housing.objects.filter(municipality_id=code),
        JobVacancy.objects.filter(municipality_id=code),
        KindergartenCapacity.objects.filter(municipality_id=code),
    )
    return matchinputs.refresh_gaps(index, Household.objects.all(), MatchingGap.objects.all(), code)


def households(people, n, **needs):
    from blilyst.web.newcomers.models import Household

    return [Household.objects.create(municipality=people.a, label=f"Husstand {i}", **needs) for i in range(n)]


def test_gaps_are_added_kept_changed_and_resolved(people):
    from blilyst.web.newcomers.models import Household

    wants = dict(housing_tenure="rent", housing_bedrooms=3, housing_from=dt.date(YEAR, 3, 1))
    first, second = households(people, 2, **wants)
    closed = Household.objects.create(municipality=people.a, label="Flyttet", status="moved_out", **wants)
    assert refresh() == 2  # the household that moved away is not re-matched
    rows = {g.household_id: g for g in MatchingGap.objects.all()}
    assert set(rows) == {first.pk, second.pk} and closed.pk not in rows
    assert rows[first.pk].params["code"] == "housing_none"
    old = timezone.localdate() - dt.timedelta(days=9)
    MatchingGap.objects.update(last_seen=old)
    house = Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Sent ledig",
        bedrooms=3,
        size_m2=90,
        price=9_000,
        available_from=dt.date(YEAR, 9, 1),
    )
    Household.objects.filter(pk=second.pk).update(housing_bedrooms=2, housing_from=dt.date(YEAR, 10, 1))
    refresh()
    one = MatchingGap.objects.get(household=first, resolved_on__isnull=True)
    assert one.pk == rows[first.pk].pk  # the same need: the same row, changed
    assert one.params["code"] == "housing_late" and one.last_seen == timezone.localdate()
    assert "september" in one.detail
    assert MatchingGap.objects.get(pk=rows[second.pk].pk).resolved_on == timezone.localdate()  # met in time now
    house.delete()
    refresh()
    again = MatchingGap.objects.get(household=second, resolved_on__isnull=True)
    assert again.pk != rows[second.pk].pk and again.params["code"] == "housing_none"  # a new gap, a new row


def test_the_statements_do_not_grow_with_the_households(people):
    households(people, 5, housing_tenure="rent", housing_bedrooms=3)
    with CaptureQueriesContext(connection) as few:
        refresh()
    households(people, 40, housing_tenure="rent", housing_bedrooms=3)
    with CaptureQueriesContext(connection) as many:
        assert refresh() == 45
    assert len(many.captured_queries) <= len(few.captured_queries) + 1
    assert MatchingGap.objects.filter(resolved_on__isnull=True).count() == 45


def test_every_open_household_is_re_matched_in_batches(people, monkeypatch):
    """More open households than one batch: the ones past the first batch are re-matched too, not left with
    stale gaps (the batch size is made small here; it is 300 in use)."""
    monkeypatch.setattr(matchinputs, "REFRESH_BATCH", 3)
    many = households(people, 8, housing_tenure="rent", housing_bedrooms=3)
    with CaptureQueriesContext(connection) as first:
        assert refresh() == 8
    assert MatchingGap.objects.filter(resolved_on__isnull=True).count() == 8
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Ledig nå",
        bedrooms=3,
        size_m2=90,
        price=9_000,
        available_from=timezone.localdate(),
    )
    assert refresh() == 8
    # the dwelling meets every household's need: each gap, in the last batch as in the first, is resolved
    assert not MatchingGap.objects.filter(resolved_on__isnull=True).exists()
    assert MatchingGap.objects.filter(household__in=many, resolved_on=timezone.localdate()).count() == 8
    # three batches: the statements grow with the batches, not with the households
    monkeypatch.setattr(matchinputs, "REFRESH_BATCH", 300)
    MatchingGap.objects.all().delete()
    with CaptureQueriesContext(connection) as one_batch:
        refresh()
    assert len(first.captured_queries) > len(one_batch.captured_queries)
