"""Rules the resource models carry themselves: trial housing's term, kindergarten months, hosts' contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from blilyst.web.resources.models import Event, Host, Housing, KindergartenCapacity


def trial_home(municipality, **overrides):
    values = dict(
        municipality=municipality,
        kind="trial",
        title="Prøvebolig Fjågesund",
        bedrooms=3,
        size_m2=90,
        price=7_000,
        available_from=dt.date(2027, 3, 1),
        term_months=36,
    )
    values.update(overrides)
    return Housing(**values)


def messages_of(exc: ValidationError, field: str) -> list[str]:
    return exc.value.message_dict[field]


def test_trial_housing_for_three_years_is_valid(people):
    trial_home(people.a).full_clean()


@pytest.mark.parametrize("months", [37, 48, 0])
def test_trial_housing_longer_than_three_years_is_refused(people, months):
    with translation.override("nb"):
        with pytest.raises(ValidationError) as exc:
            trial_home(people.a, term_months=months).full_clean()
        assert messages_of(exc, "term_months") == [
            "En prøvebolig leies ut i høyst tre år (36 måneder); oppgi 1 til 36."
        ]


def test_trial_housing_needs_a_term(people):
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            trial_home(people.a, term_months=None).full_clean()
        assert messages_of(exc, "term_months") == [
            "Trial housing needs a term: give the number of months (at most 36)."
        ]


def test_a_dwelling_for_sale_has_no_term(people):
    with pytest.raises(ValidationError) as exc:
        trial_home(people.a, kind="sale", term_months=12, price=2_000_000).full_clean()
    assert "term_months" in exc.value.message_dict
    trial_home(people.a, kind="rent", term_months=12).full_clean()  # an ordinary lease may have a term


def test_a_kindergarten_month_is_stored_as_its_first_day(people):
    row = KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Kviteseid barnehage", month=dt.date(2027, 3, 17), free_places=2
    )
    row.refresh_from_db()
    assert row.month == dt.date(2027, 3, 1)


def test_a_place_from_march_is_found_in_march_or_later(people):
    for month, free in [(2, 3), (3, 0), (4, 0), (5, 2)]:
        KindergartenCapacity.objects.create(
            municipality=people.a, kindergarten="Kviteseid barnehage", month=dt.date(2027, month, 1), free_places=free
        )
    rows = KindergartenCapacity.objects.filter(municipality=people.a)
    first = KindergartenCapacity.first_place_from(rows, dt.date(2027, 3, 10))
    assert (first.kindergarten, first.month) == ("Kviteseid barnehage", dt.date(2027, 5, 1))
    assert KindergartenCapacity.first_place_from(rows, dt.date(2027, 3, 1), places=3) is None
    assert KindergartenCapacity.first_place_from(rows, dt.date(2027, 2, 1), places=3).month == dt.date(2027, 2, 1)


def test_a_host_must_be_reachable(people):
    with pytest.raises(ValidationError):
        Host(municipality=people.a, name="Anne Lia").full_clean()
    Host(municipality=people.a, name="Anne Lia", phone="90000000").full_clean()


def test_an_event_cannot_end_before_it_starts(people):
    start = dt.datetime(2027, 5, 1, 12, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc:
        Event(
            municipality=people.a,
            title="Velkomstdag",
            kind="welcome_day",
            starts=start,
            ends=start - dt.timedelta(hours=1),
        ).full_clean()
    assert "ends" in exc.value.message_dict


def test_personal_data_fields_are_declared():
    assert Housing.PERSONAL_DATA_FIELDS == ("owner_name", "owner_phone", "owner_email")
    assert "name" in Host.PERSONAL_DATA_FIELDS and "email" in Host.PERSONAL_DATA_FIELDS
