"""Backtests: a projection started from an earlier 1 January, compared with the populations registered since.

A projection from ``base_year`` uses only data up to that 1 January (rates fitted on the ten years
before it); its totals after ``h`` years are compared with the registered 1 January populations of
``base_year + h`` (SSB 07459, bundled). People moved by a border change since the base year
(``Snapshot.boundary_changes``, *grenseendring*) are counted in the registered populations but are no
migrants a projection could foresee: they are added to the projection of the receiving municipality (and
taken from the sending one) before comparing, so a border move is never counted as a projection error
(Stad +533 and Nes +682 from 2020 were before). Errors are ``(projected + moved) / registered - 1``.
Municipalities whose
stocks in the period are estimates (``Snapshot.population_flags``: merged-then-split municipalities whose
figures the source apportions) are left out of the municipal measures and named, since an error against
an estimate measures the estimate, not the projection.

Measures, as in the literature on small-area forecast error (Smith, Tayman & Swanson 2013, *A Practitioner's
Guide to State and Local Population Projections*, ch. 13; Wilson 2012, *Population Research and Policy
Review* 31: 397-421): Norway's total error, the median and 90th percentile of the absolute municipal errors
(MedAPE, robust to a few outliers), the mean signed error (bias) and the largest error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from blilyst.demography.boundaries import boundary_matrix
from blilyst.errors import InputError
from blilyst.i18n import N_, gettext
from blilyst.notes import Note

if TYPE_CHECKING:
    from blilyst.demography.international import NationalLevel
    from blilyst.stats.snapshot import Snapshot

__all__ = ["BacktestResult", "backtest", "backtest_notes"]

#: Which national level a backtest used, and where to find the other (docs/projection.md, the targets table):
#: the targets are about the spread over the municipalities, measured with Norway's figure given.
LEVEL_POINTERS = {
    "registered": N_(
        "Norway's registered net immigration is given, as SSB's regional model takes Norway's from the "
        "national projection: this measures how the immigrants and the domestic moves are spread over the "
        "municipalities. A projection made at the start year could not know it; "
        "--international trend (the default) tests that."
    ),
    "trend": N_(
        "Net immigration to Norway is the default, the mean of the trend window before each start year, as a "
        "projection made then would assume; most of Norway's error from 2016 is that level. "
        "--international registered gives Norway's registered net immigration, as SSB's regional model takes "
        "Norway's from the national projection, and measures the spread over the municipalities."
    ),
}
OTHER_LEVEL_POINTER = N_(
    "Compare with --international trend (the default, what a projection made at the start year assumes) and "
    "--international registered (Norway's registered net immigration given, as SSB's regional model takes "
    "Norway's from the national projection)."
)


@dataclass
class BacktestResult:
    """One backtest from ``base_year``: ``municipal`` has one row per municipality and horizon
    (municipality, name, horizon, year, projected, boundary_change, registered, error, excluded;
    ``boundary_change`` the persons moved in (+) or out (-) by border changes since the base year, added
    to ``projected`` in the error); ``summary`` one row per horizon with Norway's error and the municipal
    error measures; ``level`` the national net immigration the projection assumed (its sentence:
    ``level.describe(lang)``), None for a scenario without a national level."""

    base_year: int
    scenario: str
    international: str
    municipal: pd.DataFrame
    summary: pd.DataFrame
    excluded: list[str]
    level: NationalLevel | None = None


def backtest(
    base_year: int,
    horizons: tuple[int, ...] = (5, 10),
    *,
    scenario: str = "trend",
    international: str | float = "trend",
    snapshot: Snapshot | None = None,
) -> BacktestResult:
    """Project all municipalities from 1 January ``base_year`` and compare after each of ``horizons`` years.

    Horizons that reach past the last registered year are left out; none left is an :class:`InputError`.
    """
    from blilyst.demography.scenario_options import options_for
    from blilyst.demography.scenarios import run_scenario
    from blilyst.stats.snapshot import load_snapshot

    snap = snapshot if snapshot is not None else load_snapshot()
    codes, years, cube = snap.population_cube()
    if base_year not in years:
        raise InputError(
            "--base-year",
            gettext("no registered population for 1 January {year}; data cover {first}–{last}").format(
                year=base_year, first=years[0], last=years[-1]
            ),
        )
    usable = sorted(h for h in set(horizons) if h >= 1 and base_year + h <= years[-1])
    if not usable:
        raise InputError(
            "--base-year",
            gettext("a backtest from {year} needs registered years after it; the data end on 1 January {last}").format(
                year=base_year, last=years[-1]
            ),
        )
    steps = usable[-1]
    res = run_scenario(
        None, scenario, steps, options_for(scenario, base_year=base_year, international=international), snapshot=snap
    )
    projected = res.population.sum(axis=(2, 3))  # (T+1, R)
    pos = {c: i for i, c in enumerate(res.codes)}
    order = [pos[c] for c in codes]
    excluded = _estimated(snap, codes, base_year, base_year + steps)
    # border transfers of event year t take effect on 1 January t+1 (blilyst.demography.boundaries)
    moved_by_year = boundary_matrix(snap.boundary_changes, codes, list(range(base_year, base_year + steps)))
    rows = []
    summary = []
    for h in usable:
        registered = cube[years.index(base_year + h)].sum(axis=(1, 2))
        proj = projected[h, order]
        moved = moved_by_year[:h].sum(axis=0)
        error = np.divide(proj + moved, registered, out=np.full(len(codes), np.nan), where=registered > 0) - 1.0
        keep = np.array([c not in excluded for c in codes]) & np.isfinite(error)
        rows.append(
            pd.DataFrame(
                {
                    "municipality": codes,
                    "name": [res.names[pos[c]] for c in codes],
                    "horizon": h,
                    "year": base_year + h,
                    "projected": proj,
                    "boundary_change": moved,
                    "registered": registered,
                    "error": error,
                    "excluded": ~keep,
                }
            )
        )
        abs_err = np.abs(error[keep])
        worst = int(np.flatnonzero(keep)[np.argmax(abs_err)])
        summary.append(
            {
                "base_year": base_year,
                "horizon": h,
                "year": base_year + h,
                "norway_projected": float(proj.sum()),
                "norway_registered": float(registered.sum()),
                "norway_error": float(proj.sum() / registered.sum() - 1.0),
                "median_abs_error": float(np.median(abs_err)),
                "p90_abs_error": float(np.quantile(abs_err, 0.9)),
                "mean_error": float(error[keep].mean()),
                "largest_error": float(error[worst]),
                "largest_error_municipality": f"{codes[worst]} {res.names[pos[codes[worst]]]}",
                "municipalities": int(keep.sum()),
            }
        )
    choice = international if isinstance(international, str) else "number"
    return BacktestResult(
        base_year,
        scenario,
        choice,
        pd.concat(rows, ignore_index=True),
        pd.DataFrame(summary),
        sorted(excluded),
        res.extra.get("national_level"),
    )


def _estimated(snap: Snapshot, codes: list[str], first: int, last: int) -> set[str]:
    """Municipalities whose 1 January stock is an estimate in some year of ``first..last`` or the
    ten fitting years before ``first`` (``population_flags``; none when the snapshot has no flags)."""
    flags = snap.population_flags
    return {
        code
        for code, year_from, year_to in zip(
            flags["municipality"].astype(str).tolist(),
            flags["year_from"].astype(int).tolist(),
            flags["year_to"].astype(int).tolist(),
            strict=True,
        )
        if year_from <= last and year_to >= first - 10 and code in codes
    }


def backtest_notes(results: list[BacktestResult]) -> list[Note]:
    """The notes under one or more backtests' table, worded when shown (:meth:`Note.word`): how errors are
    measured, border moves, the national level each start year assumed and a pointer to the other level
    (``LEVEL_POINTERS``), and the municipalities left out."""
    notes = [
        Note.of(
            N_(
                "Errors are projected / registered - 1 on 1 January (SSB 07459); the projection from each start "
                "year uses only data up to it."
            )
        ),
        Note.of(
            N_(
                "People moved by a border change since the start year are added to the projection of the "
                "municipality that received them (and taken from the one that lost them), not counted as an error."
            )
        ),
    ]
    notes += [
        Note.of(N_("Net immigration to Norway from {year}: {level}."), year=r.base_year, level=r.level.note())
        for r in results
        if r.level is not None
    ]
    if results:
        notes.append(Note.of(LEVEL_POINTERS.get(results[0].international, OTHER_LEVEL_POINTER)))
    notes += [
        Note.of(
            N_("Left out from {year}: {codes} (their populations in the period are estimates)."),
            year=r.base_year,
            codes=", ".join(r.excluded),
        )
        for r in results
        if r.excluded
    ]
    return notes
