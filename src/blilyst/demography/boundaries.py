"""Border changes: people who changed municipality because a border moved, not because they moved.

A border transfer in event year ``t`` takes effect between 31 December ``t`` and 1 January ``t+1``
(SSB counts the 1 January stock on the new borders, the year's events on the old). The residual
method sees it as migration unless it is taken out, so every estimate of net migration subtracts
it and every account shows it as a component of its own (*grenseendring*):

    population_end = population_start + births - deaths + net_migration + boundary_change + residual

Sources (``Snapshot.boundary_changes``): registered for the Telemark municipalities (SSB 01223, the
end-of-year population against the next 1 January), elsewhere SSB 06913's 2011-2025 deviation
(``grenseavvik``, statman extract; estimated): the largest year's deviation in that year, the rest of the
sum in the year where it balances other municipalities' transfers (``build_snapshot._place_remainders``). The
age and sex of the people moved are not published; they are spread over ages 1-105+ in proportion
to the receiving (or, for a loss, the sending) municipality's population at the end of the year.

Municipalities that were merged and then split again (Ålesund/Haram, Narvik, Hamarøy, Heim, Hitra,
Orkland) are not border changes: their populations before the split are fixed shares of the merged
municipality (``Snapshot.population_flags``), so any "migration" read from those years is an
artefact. :func:`merged_split_years` says which municipality-years to leave out of fits and
rankings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import gettext

REGISTERED, ESTIMATED = "registered", "estimated"


def boundary_matrix(
    boundary_changes: pd.DataFrame | None, municipalities: Sequence[str], years: Sequence[int]
) -> np.ndarray:
    """Persons moved by border changes shaped ``(len(years), len(municipalities))`` (0 where none)."""
    out = np.zeros((len(years), len(municipalities)))
    if boundary_changes is None or boundary_changes.empty:
        return out
    missing = {"municipality", "year", "persons"} - set(boundary_changes.columns)
    if missing:
        raise InputError(
            "boundary_changes", gettext("missing columns {columns}").format(columns=", ".join(sorted(missing)))
        )
    rows = pd.Index(list(municipalities)).get_indexer(pd.Index(boundary_changes.municipality.astype(str)))
    cols = pd.Index([int(y) for y in years]).get_indexer(pd.Index(boundary_changes.year.astype(int)))
    keep = (rows >= 0) & (cols >= 0)
    np.add.at(out, (cols[keep], rows[keep]), boundary_changes.persons.to_numpy(dtype=float)[keep])
    return out


def boundary_sources(
    boundary_changes: pd.DataFrame | None, municipalities: Sequence[str], years: Sequence[int]
) -> np.ndarray:
    """``registered`` or ``estimated`` for each ``(year, municipality)`` of :func:`boundary_matrix`.

    A year with a listed transfer takes the row's source. A year without one is registered as zero
    where a registered source covers it (SSB 01223 for municipalities with registered rows, SSB
    06913 for 2011-2025) and estimated (assumed zero) before 2011 elsewhere.
    """
    codes = list(municipalities)
    yrs = [int(y) for y in years]
    src = np.full((len(yrs), len(codes)), REGISTERED, dtype=object)
    registered_codes: set[str] = set()
    if boundary_changes is not None and not boundary_changes.empty:
        registered_codes = set(boundary_changes.loc[boundary_changes.source == REGISTERED, "municipality"].astype(str))
    early = np.array([y < 2011 for y in yrs])
    for r, code in enumerate(codes):
        if code not in registered_codes:
            src[early, r] = ESTIMATED
    if boundary_changes is not None and not boundary_changes.empty:
        rows = pd.Index(codes).get_indexer(pd.Index(boundary_changes.municipality.astype(str)))
        cols = pd.Index(yrs).get_indexer(pd.Index(boundary_changes.year.astype(int)))
        for r, c, source in zip(rows.tolist(), cols.tolist(), boundary_changes.source.astype(str), strict=True):
            if r >= 0 and c >= 0:
                src[c, r] = source
    return src


def spread_by_age(persons: np.ndarray, pop_end: np.ndarray) -> np.ndarray:
    """Spread ``persons`` ``(..., R)`` over sex and ages 1-105+ like ``pop_end`` ``(..., R, 2, 106)``.

    Age 0 is left out: with estimated births the newborn cohort has no migration of its own, and a
    border change cannot move someone born after the change took effect.
    """
    weights = np.asarray(pop_end, dtype=float).copy()
    weights[..., 0] = 0.0
    total = weights.sum(axis=(-2, -1), keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0)
    return np.asarray(persons, dtype=float)[..., None, None] * share


def merged_split_years(
    population_flags: pd.DataFrame | None, municipalities: Sequence[str], event_years: Sequence[int]
) -> np.ndarray:
    """True for each ``(event year, municipality)`` whose start or end stock is a fixed share of a
    merged municipality (``population_flags``): net migration read from it is an artefact."""
    flagged = np.zeros((len(event_years), len(municipalities)), dtype=bool)
    if population_flags is None or population_flags.empty:
        return flagged
    pos = {c: i for i, c in enumerate(municipalities)}
    spans = zip(
        population_flags.municipality.astype(str),
        population_flags.year_from.astype(int).tolist(),
        population_flags.year_to.astype(int).tolist(),
        strict=True,
    )
    for code, first, last in spans:
        r = pos.get(code)
        if r is None:
            continue
        for t, y in enumerate(event_years):
            # the account of year y runs from 1 January y to 1 January y+1: either stock may be the estimate
            if first <= y <= last or first <= y + 1 <= last:
                flagged[t, r] = True
    return flagged


def merged_split_municipalities(population_flags: pd.DataFrame | None) -> list[str]:
    """Codes of the municipalities that were merged and split again (some stocks are estimates)."""
    if population_flags is None or population_flags.empty:
        return []
    return sorted(set(population_flags.municipality.astype(str)))
