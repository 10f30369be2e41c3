"""The one small-number rule: hidden counts stay hidden, also from the total; shares and medians from five."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blilyst.plan.smallnumbers import MIN_COUNT, hidden_cells, median, share


def test_the_issue_example_a_refugee_household_beside_the_total():
    # "Flyttet inn 5" in the funnel and by group: labour immigrants 4, refugees 1 -> both hidden
    assert hidden_cells([4, 1]) == [True, True]
    # enough other small cells: the two small ones hide each other (1 + 2 = 3)
    assert hidden_cells([10, 2, 1, 7]) == [False, True, True, False]
    # one small cell among big ones: the smallest other cell goes with it
    assert hidden_cells([10, 1, 7, 0]) == [False, True, True, False]
    # zero is shown, and nothing small means nothing hidden
    assert hidden_cells([0, 5, 9]) == [False, False, False]
    # without a known total only the small cells themselves
    assert hidden_cells([10, 1, 7], total_known=False) == [False, True, False]


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_no_hidden_count_can_be_recovered_from_the_total(counts):
    hide = hidden_cells(counts)
    hidden = [c for c, h in zip(counts, hide, strict=True) if h]
    assert all(h for c, h in zip(counts, hide, strict=True) if 0 < c < MIN_COUNT)  # every small cell
    if hidden:
        # total - shown gives only the sum of the hidden cells: at least two of them, at least MIN_COUNT together
        assert len(hidden) >= 2 or all(h for c, h in zip(counts, hide, strict=True) if c > 0)
        assert sum(hidden) >= MIN_COUNT or all(h for c, h in zip(counts, hide, strict=True) if c > 0)


@pytest.mark.parametrize(("part", "base", "expected"), [(3, 4, None), (3, 5, 0.6), (2, 10, None), (0, 6, 0.0)])
def test_shares_need_five_cases_and_no_hidden_part(part, base, expected):
    assert share(part, base) == expected


def test_medians_need_five_values():
    assert median([1, 2, 3, 4]) is None
    assert median([1, 2, 3, 4, 50]) == 3.0
    assert not math.isnan(median([6, 6, 6, 6, 6]))
