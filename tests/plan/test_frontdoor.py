"""What the public front door may say, from the registers' counts: never more than they support."""

from __future__ import annotations

import datetime as dt

import pytest

from blilyst.plan.capacity import Capacity
from blilyst.plan.frontdoor import JobAd, public_offer

TODAY = dt.date(2026, 11, 20)


def job(**kw) -> JobAd:
    base = {
        "occupation": "sykepleier",
        "employer": "Kviteseid kommune",
        "sector": "health",
        "positions": 1,
        "advertised": True,
        "open": True,
        "deadline": None,
    }
    return JobAd(**{**base, **kw})


def test_only_housing_kinds_with_an_available_listing_are_named():
    cap = Capacity(housing={"rental": 2, "for_sale": 0, "small_farm": 1, "plot": 0, "trial_housing": 0})
    offer = public_offer(cap, as_of=TODAY)
    assert offer.housing == (("rental", 2), ("small_farm", 1))
    assert offer.housing_known


def test_a_municipality_without_a_housing_register_says_nothing_about_housing():
    offer = public_offer(Capacity(), as_of=TODAY)
    assert offer.housing == ()
    assert not offer.housing_known


def test_kindergarten_months_are_named_in_calendar_order_from_this_month_and_only_with_free_places():
    # November 2026 to October 2027; January has 0, March is unknown (no figure): neither is named.
    free = {11: 2, 12: 1, 1: 0, 2: 3, 4: 1}
    offer = public_offer(Capacity(kindergarten_free=free), as_of=TODAY)
    assert offer.kindergarten_months == (
        (dt.date(2026, 11, 1), 2),
        (dt.date(2026, 12, 1), 1),
        (dt.date(2027, 2, 1), 3),
        (dt.date(2027, 4, 1), 1),
    )


def test_only_advertised_open_jobs_before_their_deadline_are_offered():
    jobs = [
        job(occupation="lærer", deadline=dt.date(2026, 12, 1)),
        job(occupation="kokk", advertised=False),
        job(occupation="snekker", open=False),
        job(occupation="elektriker", deadline=dt.date(2026, 11, 19)),
        job(occupation="sykepleier"),
    ]
    offer = public_offer(Capacity(), jobs, as_of=TODAY)
    assert [j.occupation for j in offer.jobs] == ["lærer", "sykepleier"]


def test_parts_not_published_are_left_out_altogether():
    cap = Capacity(housing={"rental": 2}, kindergarten_free={11: 4})
    offer = public_offer(cap, [job()], parts=["kindergarten"], as_of=TODAY)
    assert offer.housing == () and offer.jobs == ()
    assert not offer.housing_known
    assert offer.kindergarten_months == ((dt.date(2026, 11, 1), 4),)


def test_an_unknown_part_is_a_clear_error():
    with pytest.raises(ValueError, match="ukjent del castles; bruk"):  # bokmål, the default
        public_offer(Capacity(), parts=["castles"], as_of=TODAY)


def test_kindergarten_months_by_age_group_never_exceed_the_register():
    # November: 3 places in all, 1 of them only for children under 3 and 2 for any age; December: 1 place for
    # children 3 and over only; January: none
    cap = Capacity(kindergarten_free={11: 3, 12: 1, 1: 0})
    by_age = {"under_3": {11: 3, 1: 0}, "over_3": {11: 2, 12: 1, 1: 0}}
    offer = public_offer(cap, as_of=TODAY, kindergarten_by_age=by_age)
    assert offer.kindergarten_by_age == (
        ("under_3", ((dt.date(2026, 11, 1), 3),)),
        ("over_3", ((dt.date(2026, 11, 1), 2), (dt.date(2026, 12, 1), 1))),
    )
    # a group's figure above the register's total is cut to the total; a month the register has no place in
    # is never named for a group
    wrong = public_offer(cap, as_of=TODAY, kindergarten_by_age={"under_3": {11: 9, 2: 4}, "over_3": {}})
    assert wrong.kindergarten_by_age == (("under_3", ((dt.date(2026, 11, 1), 3),)), ("over_3", ()))
    # a register that does not split by age, or no free place at all: nothing said per age group
    assert public_offer(cap, as_of=TODAY).kindergarten_by_age == ()
    assert (
        public_offer(Capacity(kindergarten_free={11: 0}), as_of=TODAY, kindergarten_by_age=by_age).kindergarten_by_age
        == ()
    )
    with pytest.raises(ValueError, match="ukjent aldersgruppe toddlers"):
        public_offer(cap, as_of=TODAY, kindergarten_by_age={"toddlers": {11: 1}})
