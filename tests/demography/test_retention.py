"""Kaplan–Meier retention: hand-computed cases, a published example, and invariants."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blilyst.demography.retention import (
    kaplan_meier,
    residence_durations,
    retention_table,
    survival_by_group,
)
from blilyst.errors import InputError
from blilyst.i18n import override

# Freireich et al. (1963), 6-MP arm: weeks in remission; False = censored (still in remission).
FREIREICH_6MP = [
    (6, True),
    (6, True),
    (6, True),
    (6, False),
    (7, True),
    (9, False),
    (10, True),
    (10, False),
    (11, False),
    (13, True),
    (16, True),
    (17, False),
    (19, False),
    (20, False),
    (22, True),
    (23, True),
    (25, False),
    (32, False),
    (32, False),
    (34, False),
    (35, False),
]
# The widely printed KM table (Kleinbaum & Klein; R: survfit(Surv(time, cens) ~ 1, MASS::gehan, subset 6-MP)):
# time, n at risk, events, S(t), Greenwood SE, lower and upper 95 % ("log" type)
FREIREICH_TABLE = [
    (6, 21, 3, 0.857, 0.0764, 0.720, 1.000),
    (7, 17, 1, 0.807, 0.0869, 0.653, 0.996),
    (10, 15, 1, 0.753, 0.0963, 0.586, 0.968),
    (13, 12, 1, 0.690, 0.1068, 0.510, 0.935),
    (16, 11, 1, 0.627, 0.1141, 0.439, 0.896),
    (22, 7, 1, 0.538, 0.1282, 0.337, 0.858),
    (23, 6, 1, 0.448, 0.1346, 0.249, 0.807),
]


def test_it_reproduces_the_freireich_6mp_table():
    t, e = zip(*FREIREICH_6MP, strict=False)
    curve = kaplan_meier(t, e, conf_type="log")
    for time, n, d, s, se, lo, hi in FREIREICH_TABLE:
        i = int(np.nonzero(curve.time == time)[0][0])
        assert curve.at_risk[i] == n
        assert curve.events[i] == d
        assert curve.survival[i] == pytest.approx(s, abs=5e-4)
        assert curve.std_err[i] == pytest.approx(se, abs=5e-5)
        assert curve.lower[i] == pytest.approx(lo, abs=5e-4)
        assert curve.upper[i] == pytest.approx(hi, abs=5e-4)
    assert curve.median() == 23
    assert curve.n == 21 and curve.n_events == 9 and curve.n_censored == 12
    # beyond the last (censored) time the curve is unknown
    assert math.isnan(curve.at(36))
    assert curve.at(34.9) == pytest.approx(0.448, abs=5e-4)


def test_it_matches_a_hand_computed_example_with_exact_fractions():
    # 5 households: moved away at 1, censored at 2, moved away at 3, 3, censored at 4
    curve = kaplan_meier([1, 2, 3, 3, 4], [True, False, True, True, False], conf_type="plain")
    # S(1) = 4/5; S(3) = 4/5 * (1 - 2/3) = 4/15
    assert curve.at(0.5) == 1.0
    assert curve.at(1) == pytest.approx(4 / 5)
    assert curve.at(2.5) == pytest.approx(4 / 5)
    assert curve.at(3) == pytest.approx(4 / 15)
    # Greenwood: Var S(3) = S^2 (1/(5*4) + 2/(3*1))
    var = (4 / 15) ** 2 * (1 / 20 + 2 / 3)
    assert curve.std_err[curve.time.tolist().index(3)] == pytest.approx(math.sqrt(var))
    lo, hi = curve.interval_at(3)
    assert lo == pytest.approx(max(0, 4 / 15 - 1.959964 * math.sqrt(var)), abs=1e-6)
    assert hi == pytest.approx(4 / 15 + 1.959964 * math.sqrt(var), abs=1e-6)


def test_log_log_interval_has_the_closed_form():
    curve = kaplan_meier([1, 2, 3, 4], [True, False, False, False])
    s = 0.75
    sigma = math.sqrt(1 / (4 * 3))
    z = 1.959964
    lo, hi = curve.interval_at(1)
    assert lo == pytest.approx(s ** math.exp(-z * sigma / math.log(s)), abs=1e-6)
    assert hi == pytest.approx(s ** math.exp(z * sigma / math.log(s)), abs=1e-6)
    assert 0 < lo < s < hi < 1


def test_no_censoring_gives_the_empirical_survival_function():
    durations = [0.5, 1.5, 2.5, 3.5]
    curve = kaplan_meier(durations, [True] * 4)
    assert [curve.at(t) for t in (0.4, 0.5, 1.5, 2.5, 3.5)] == pytest.approx([1, 0.75, 0.5, 0.25, 0])
    assert curve.interval_at(3.5) == (0.0, 0.0)
    assert curve.median() == 1.5


def test_everyone_still_resident_keeps_the_curve_at_one():
    curve = kaplan_meier([0.2, 1.0, 3.0], [False, False, False])
    assert curve.at(2.9) == 1.0
    assert curve.interval_at(2.9) == (1.0, 1.0)
    assert math.isnan(curve.median())


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match="durations"):
        kaplan_meier([-1, 2], [True, False])
    with pytest.raises(InputError, match="moved_away"):
        kaplan_meier([1, 2], [True])
    with pytest.raises(InputError, match="conf_type"):
        kaplan_meier([1], [True], conf_type="arcsine")


def test_bad_input_is_worded_in_the_active_language():
    as_of = dt.date(2025, 1, 1)
    backwards = [{"moved_in": "2022-03-01", "moved_out": "2021-05-01"}]
    with pytest.raises(
        InputError, match=r"moved_out: post 1 flyttet ut \(1\. mai 2021\) før innflytting \(1\. mars 2022\)"
    ):
        residence_durations(backwards, as_of=as_of)  # bokmål, the default
    with override("nn"), pytest.raises(InputError, match="confidence: må vere mellom 0 og 1, fekk 1,500"):
        kaplan_meier([1, 2], [True, False], confidence=1.5)
    with override("en"), pytest.raises(InputError, match=r"moved_in \(record 1\): 'spring' is not a date"):
        residence_durations([{"moved_in": "spring"}], as_of=as_of)


def test_records_become_censored_durations_and_groups():
    as_of = dt.date(2025, 1, 1)
    records = [
        {"moved_in": "2020-01-01", "moved_out": "2021-01-01", "target_group": "returnees"},
        {"moved_in": "2020-01-01", "moved_out": None, "target_group": "returnees"},
        {"moved_in": dt.date(2023, 1, 1), "moved_out": "", "target_group": "labour immigrants"},
        {"moved_in": "2022-07-01", "moved_out": "2026-01-01", "target_group": "labour immigrants"},  # after as_of
        {"moved_in": "2026-01-01", "moved_out": None, "target_group": "returnees"},  # not yet moved in
    ]
    frame = residence_durations(records, as_of=as_of, group="target_group")
    assert len(frame) == 4
    assert frame["moved_away"].tolist() == [True, False, False, False]
    assert frame["duration_years"].iloc[0] == pytest.approx(366 / 365.25)
    assert frame["duration_years"].iloc[1] == pytest.approx(1827 / 365.25)
    curves = survival_by_group(records, as_of=as_of, group="target_group")
    assert set(curves) == {"all", "returnees", "labour immigrants"}
    table = retention_table(curves).set_index("group")
    assert table.loc["returnees", "share_1y"] == 1.0  # moved away after 366 days
    assert table.loc["returnees", "share_2y"] == pytest.approx(0.5)
    assert table.loc["all", "households"] == 4
    assert table.loc["all", "share_2y"] == pytest.approx(0.75)
    assert math.isnan(table.loc["labour immigrants", "share_5y"])  # followed for < 5 years


def test_move_out_before_move_in_is_refused():
    with override("en"), pytest.raises(InputError, match="before moving in"):
        residence_durations([{"moved_in": "2022-01-01", "moved_out": "2021-01-01"}], as_of=dt.date(2025, 1, 1))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=20, allow_nan=False), st.booleans()),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["log-log", "log", "plain"]),
)
def test_survival_is_non_increasing_and_inside_the_unit_interval(data, conf_type):
    t, e = zip(*data, strict=False)
    curve = kaplan_meier(t, e, conf_type=conf_type)
    s = curve.survival
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.diff(s) <= 1e-12)
    assert np.all(curve.lower <= s + 1e-12) and np.all(s <= curve.upper + 1e-12)
    assert np.all((curve.lower >= 0) & (curve.upper <= 1))
    assert curve.at_risk[0] == len(t)
    assert curve.events.sum() + curve.censored.sum() == len(t)
