"""Retention: how long newcomers stay, as Kaplan–Meier survival curves.

"Most moves are onward moves" (60 % of all annual moves are onward moves, according to the
Distriktssenteret booklet *Drømmen om å bli flere*), so whether newcomers *stay* may matter more than
whether they *come*. This module estimates, from records of households that moved in (and perhaps away
again), the share still resident a given time after moving in.

The event is "moved away"; a household that still lives in the municipality on the observation date is
*right-censored* at that date: we know it stayed at least that long, not how long it will stay.

Method
------
Kaplan–Meier product-limit estimator (Kaplan & Meier 1958, *JASA* 53:457–481)::

    S(t) = prod_{t_i <= t} (1 - d_i / n_i)

where ``t_i`` are the distinct times at which at least one household moved away, ``d_i`` the number that
moved away at ``t_i`` and ``n_i`` the number still at risk (resident and not yet censored) just before
``t_i``. Censoring at the same time as an event is treated as happening just after the event (the usual
convention, as in R's ``survival::survfit``).

Variance by Greenwood's formula (Greenwood 1926)::

    Var[S(t)] = S(t)^2 * sum_{t_i <= t} d_i / (n_i (n_i - d_i))

Confidence intervals (Kalbfleisch & Prentice 2002, sec. 1.4; Collett, *Modelling Survival Data in Medical
Research*, 3rd ed., sec. 2.2):

* ``"log-log"`` (default): ``S^exp(±z·σ/log S)`` with ``σ² = sum d/(n(n−d))``; always inside [0, 1].
* ``"log"`` (R's ``survfit`` default): ``S·exp(±z·σ)``, upper bound capped at 1.
* ``"plain"``: ``S ± z·SE``, clipped to [0, 1].

Reproduced published example: the 6-MP arm of Freireich et al. (1963) (remission times in weeks, as printed
in Kleinbaum & Klein, *Survival Analysis*, and in R's ``MASS::gehan``) — see
``tests/demography/test_retention.py``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import format_date, format_number, gettext

DAYS_PER_YEAR = 365.25
DEFAULT_YEARS: tuple[float, ...] = (1.0, 2.0, 5.0)
CONF_TYPES = ("log-log", "log", "plain")


@dataclass(frozen=True)
class SurvivalCurve:
    """A Kaplan–Meier curve: a right-continuous step function starting at S(0) = 1.

    The arrays hold one row per distinct observed time (events or censorings), in increasing order.
    ``survival[i]`` is S(t) for ``time[i] <= t < time[i+1]``.
    """

    time: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    censored: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray  # Greenwood standard error of S(t)
    lower: np.ndarray
    upper: np.ndarray
    n: int
    confidence: float = 0.95
    conf_type: str = "log-log"
    group: str | None = None

    @property
    def n_events(self) -> int:
        return int(self.events.sum())

    @property
    def n_censored(self) -> int:
        return int(self.censored.sum())

    def _index(self, t: float) -> int:
        """Index of the last row with time <= t, or -1 before the first time."""
        return int(np.searchsorted(self.time, t, side="right")) - 1

    def max_time(self) -> float:
        return float(self.time[-1]) if len(self.time) else 0.0

    def at(self, t: float) -> float:
        """S(t). NaN beyond the last observed time when the last observation was censored with S > 0
        (the curve is unknown there)."""
        if t < 0:
            raise InputError(
                "t", gettext("time must be zero or positive, got {value}").format(value=format_number(t, 2))
            )
        i = self._index(t)
        if i < 0:
            return 1.0
        if t > self.max_time() and self.survival[-1] > 0:
            return float("nan")
        return float(self.survival[i])

    def interval_at(self, t: float) -> tuple[float, float]:
        """Confidence interval (lower, upper) of S(t); NaN where ``at(t)`` is NaN."""
        i = self._index(t)
        if i < 0:
            return (1.0, 1.0)
        if t > self.max_time() and self.survival[-1] > 0:
            return (float("nan"), float("nan"))
        return (float(self.lower[i]), float(self.upper[i]))

    def median(self) -> float:
        """Median residence time: the first time S(t) <= 0.5; NaN if the curve never gets there."""
        below = np.nonzero(self.survival <= 0.5)[0]
        return float(self.time[below[0]]) if len(below) else float("nan")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time": self.time,
                "at_risk": self.at_risk,
                "events": self.events,
                "censored": self.censored,
                "survival": self.survival,
                "std_err": self.std_err,
                "lower": self.lower,
                "upper": self.upper,
            }
        )

    def step_frame(self) -> pd.DataFrame:
        """The curve as drawable steps (time, survival, lower, upper), starting at (0, 1)."""
        frame = self.to_frame()[["time", "survival", "lower", "upper"]]
        start = pd.DataFrame({"time": [0.0], "survival": [1.0], "lower": [1.0], "upper": [1.0]})
        if len(frame) and frame["time"].iloc[0] == 0:
            return frame.reset_index(drop=True)
        return pd.concat([start, frame], ignore_index=True)


def kaplan_meier(
    durations: Sequence[float] | np.ndarray,
    moved_away: Sequence[bool] | np.ndarray,
    *,
    confidence: float = 0.95,
    conf_type: str = "log-log",
    group: str | None = None,
) -> SurvivalCurve:
    """Kaplan–Meier estimate of the share still resident after each time.

    Parameters
    ----------
    durations : times from moving in to moving away (``moved_away`` true) or to the observation date
        (censored, ``moved_away`` false). Any unit (blilyst uses years).
    moved_away : whether the household moved away (the event) at ``durations``.
    confidence : level of the pointwise confidence interval, in (0, 1).
    conf_type : ``"log-log"`` (default), ``"log"`` or ``"plain"`` (see module docstring).

    Notes
    -----
    * An empty input gives an empty curve (``at(t)`` is 1 before any time and NaN after).
    * Where S(t) = 0 the standard error is 0 and the interval collapses to [0, 0].
    * Where S(t) = 1 (no events yet) the interval is [1, 1].
    * Censoring tied with events at the same time: events first.
    """
    t = np.asarray(durations, dtype=float)
    d = np.asarray(moved_away, dtype=bool)
    if t.ndim != 1 or d.shape != t.shape:
        raise InputError(
            "moved_away",
            gettext("needs one flag per duration ({durations} durations, {flags} flags)").format(
                durations=t.shape, flags=d.shape
            ),
        )
    if np.isnan(t).any():
        raise InputError("durations", gettext("contains missing values; give the time from moving in for every record"))
    if (t < 0).any():
        raise InputError("durations", gettext("contains negative times (moved away before moving in?)"))
    if not 0 < confidence < 1:
        raise InputError(
            "confidence", gettext("must be between 0 and 1, got {value}").format(value=format_number(confidence, 3))
        )
    if conf_type not in CONF_TYPES:
        raise InputError(
            "conf_type",
            gettext("must be one of {choices}; got {value}").format(
                choices=", ".join(CONF_TYPES), value=repr(conf_type)
            ),
        )

    times, inverse = np.unique(t, return_inverse=True)
    events = np.bincount(inverse, weights=d, minlength=len(times)).astype(np.int64)
    total = np.bincount(inverse, minlength=len(times)).astype(np.int64)
    censored = total - events
    at_risk = len(t) - np.concatenate([[0], np.cumsum(total)[:-1]]).astype(np.int64)

    survival, lower, upper = _product_limit(t, d, times, confidence, conf_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(events > 0, events / (at_risk * (at_risk - events)), 0.0)
        # once every remaining household has moved away, S = 0 and the term is infinite: stop the sum there
        terms = np.where(at_risk == events, 0.0, terms)
        sigma2 = np.cumsum(terms)  # Greenwood: Var[S] = S^2 * sum d/(n(n-d))
        std_err = survival * np.sqrt(sigma2)
        if conf_type == "log":  # R survfit's default, which scipy does not offer
            from scipy.stats import norm

            z = norm.ppf(0.5 + confidence / 2)
            lower = survival * np.exp(-z * np.sqrt(sigma2))
            upper = np.minimum(survival * np.exp(z * np.sqrt(sigma2)), 1.0)
    # edge cases: S = 1 (no events yet) -> [1, 1]; S = 0 -> [0, 0]
    one = survival >= 1.0
    zero = survival <= 0.0
    lower = np.where(one, 1.0, np.where(zero, 0.0, lower))
    upper = np.where(one, 1.0, np.where(zero, 0.0, upper))

    return SurvivalCurve(
        time=times,
        at_risk=at_risk,
        events=events,
        censored=censored,
        survival=survival,
        std_err=std_err,
        lower=lower,
        upper=upper,
        n=len(t),
        confidence=confidence,
        conf_type=conf_type,
        group=group,
    )


def _to_date(value: object, field: str) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError as exc:
            raise InputError(
                field, gettext("{value} is not a date (use YYYY-MM-DD)").format(value=repr(value))
            ) from exc
    raise InputError(field, gettext("{value} is not a date (use YYYY-MM-DD)").format(value=repr(value)))


def residence_durations(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    as_of: dt.date,
    moved_in: str = "moved_in",
    moved_out: str = "moved_out",
    group: str | None = None,
) -> pd.DataFrame:
    """Turn records (one per household) into durations in years and a moved-away flag.

    ``records`` are dicts or a frame with a move-in date and an optional move-out date. A household with
    no move-out date (or one after ``as_of``) is censored at ``as_of``. Records that moved in after
    ``as_of`` are left out (they were not yet at risk). Returns columns ``duration_years``, ``moved_away``
    and, if ``group`` is given, ``group``.
    """
    rows: list[Mapping[str, Any]] = (
        [{str(k): v for k, v in r.items()} for r in records.to_dict("records")]
        if isinstance(records, pd.DataFrame)
        else list(records)
    )
    out: list[dict[str, Any]] = []
    for k, row in enumerate(rows):
        start = _to_date(row.get(moved_in), gettext("{field} (record {number})").format(field=moved_in, number=k + 1))
        if start is None:
            raise InputError(
                moved_in, gettext("record {number} has no move-in date; every household needs one").format(number=k + 1)
            )
        if start > as_of:
            continue
        end = _to_date(row.get(moved_out), gettext("{field} (record {number})").format(field=moved_out, number=k + 1))
        if end is not None and end < start:
            raise InputError(
                moved_out,
                gettext("record {number} moved away ({end}) before moving in ({start})").format(
                    number=k + 1, end=format_date(end), start=format_date(start)
                ),
            )
        away = end is not None and end <= as_of
        stop = end if end is not None and away else as_of
        item: dict[str, Any] = {"duration_years": (stop - start).days / DAYS_PER_YEAR, "moved_away": away}
        if group is not None:
            value = row.get(group)
            item["group"] = "" if value is None else str(value)
        out.append(item)
    columns = ["duration_years", "moved_away"] + (["group"] if group is not None else [])
    return pd.DataFrame(out, columns=columns)


def survival_by_group(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    as_of: dt.date,
    group: str | None = None,
    moved_in: str = "moved_in",
    moved_out: str = "moved_out",
    confidence: float = 0.95,
    conf_type: str = "log-log",
) -> dict[str, SurvivalCurve]:
    """One Kaplan–Meier curve per group (key ``"all"`` for everyone, always present)."""
    frame = residence_durations(records, as_of=as_of, moved_in=moved_in, moved_out=moved_out, group=group)
    curves = {
        "all": kaplan_meier(
            frame["duration_years"].to_numpy(),
            frame["moved_away"].to_numpy(),
            confidence=confidence,
            conf_type=conf_type,
            group="all",
        )
    }
    if group is not None:
        for key, part in frame.groupby("group", sort=True):
            curves[str(key)] = kaplan_meier(
                part["duration_years"].to_numpy(),
                part["moved_away"].to_numpy(),
                confidence=confidence,
                conf_type=conf_type,
                group=str(key),
            )
    return curves


def retention_table(curves: Mapping[str, SurvivalCurve], years: Sequence[float] = DEFAULT_YEARS) -> pd.DataFrame:
    """Share still resident after each of ``years``, with its confidence interval, one row per group.

    Columns: ``group, households, moved_away, still_resident``, then for each year ``y``:
    ``share_{y}y, lower_{y}y, upper_{y}y`` (NaN where follow-up is too short to say), and ``median_years``.
    """
    rows = []
    for key, curve in curves.items():
        row = {
            "group": key,
            "households": curve.n,
            "moved_away": curve.n_events,
            "still_resident": curve.n_censored,
        }
        for y in years:
            label = f"{y:g}y"
            row[f"share_{label}"] = curve.at(y)
            lo, hi = curve.interval_at(y)
            row[f"lower_{label}"] = lo
            row[f"upper_{label}"] = hi
        row["median_years"] = curve.median()
        rows.append(row)
    return pd.DataFrame(rows)


def _product_limit(
    t: np.ndarray, moved: np.ndarray, times: np.ndarray, confidence: float, conf_type: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S(t) at each distinct time with scipy's Kaplan–Meier (``scipy.stats.ecdf`` of right-censored data)
    and, for "log-log" and "plain", scipy's Greenwood interval ("plain" is scipy's "linear")."""
    if len(t) == 0:
        empty = np.zeros(0)
        return empty, empty, empty
    # here, not at import: scipy.stats costs ~0.5 s in a fresh process
    from scipy.stats import CensoredData, ecdf

    sf = ecdf(CensoredData(uncensored=t[moved], right=t[~moved])).sf
    survival = np.asarray(sf.probabilities, dtype=float)
    if not np.array_equal(np.asarray(sf.quantiles, dtype=float), times):
        raise AssertionError("scipy's Kaplan–Meier grid differs from the distinct observed times")
    if conf_type == "log":
        return survival, survival.copy(), survival.copy()  # the caller computes this interval
    method = "log-log" if conf_type == "log-log" else "linear"
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # S = 0 or 1: the interval is set by the caller
        ci = sf.confidence_interval(confidence, method=method)
    return survival, np.asarray(ci.low.probabilities, dtype=float), np.asarray(ci.high.probabilities, dtype=float)
