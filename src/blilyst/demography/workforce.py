"""Workforce and replacement measures from population stocks.

The guidance's question "if we look twenty years ahead, whom do we need?" is answered in a few
numbers per municipality and year, all computed from 1 January stocks ``(..., sex, age)``:

* ``working_age``: persons aged 20-66 (``blilyst.axes.WORKING_AGE``, SSB's and the guidance's 20-66);
* ``old_age_dependency``: persons 67+ per person aged 20-66 (SSB's "forsørgerbrøk for eldre");
* ``reaching_67``: persons who turn 67 during the year, i.e. aged 66 on 1 January (those who
  leave the working age by age; before death and migration during the year);
* ``reaching_20``: persons aged 19 on 1 January, who enter the working age during the year;
* ``replacement_ratio``: ``reaching_20 / reaching_67``; below 1 the working age loses more by age
  than it gains, before migration.

Retirements by industry need employment by industry and age (SSB table 07984 or similar), which the
offline data do not have; the function says so instead of guessing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from blilyst.axes import PENSION_AGE, WORKING_AGE
from blilyst.errors import InputError

__all__ = ["workforce_measures", "workforce_frame", "retirements_by_industry"]


def workforce_measures(pop: np.ndarray) -> dict[str, np.ndarray]:
    """Measures over the last two axes (sex, age) of ``pop``; each result has ``pop.shape[:-2]``."""
    pop = np.asarray(pop, dtype=float)
    if pop.ndim < 2 or pop.shape[-1] <= PENSION_AGE:
        raise InputError("population", f"needs single-year ages up to at least {PENSION_AGE}; got shape {pop.shape}")
    lo, hi = WORKING_AGE
    by_age = pop.sum(axis=-2)
    working = by_age[..., lo:hi + 1].sum(axis=-1)
    old = by_age[..., PENSION_AGE:].sum(axis=-1)
    young = by_age[..., :lo].sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dependency = np.where(working > 0, old / working, np.nan)
        reach67 = by_age[..., PENSION_AGE - 1]
        reach20 = by_age[..., lo - 1]
        replacement = np.where(reach67 > 0, reach20 / reach67, np.nan)
    return {
        "population": by_age.sum(axis=-1),
        "age_0_19": young,
        "working_age": working,
        "age_67_plus": old,
        "age_80_plus": by_age[..., 80:].sum(axis=-1),
        "old_age_dependency": dependency,
        "reaching_20": reach20,
        "reaching_67": reach67,
        "replacement_ratio": replacement,
    }


def workforce_frame(pop: np.ndarray, codes: list[str], years: list[int]) -> pd.DataFrame:
    """Labelled frame, one row per municipality and 1 January year, from ``pop`` (year, region, sex, age)."""
    pop = np.asarray(pop, dtype=float)
    if pop.shape[:2] != (len(years), len(codes)):
        raise InputError("population", f"shape {pop.shape[:2]} does not match {len(years)} years and {len(codes)} codes")
    m = workforce_measures(pop)
    frame = pd.DataFrame({
        "municipality": np.tile(np.asarray(codes, dtype=object), len(years)),
        "year": np.repeat(np.asarray(years, dtype=int), len(codes)),
    })
    for key, val in m.items():
        frame[key] = val.reshape(-1)
    return frame


def retirements_by_industry(*_args, **_kwargs) -> pd.DataFrame:
    """Not available offline: needs employment by industry and age for the municipality."""
    raise InputError(
        "employment_by_industry",
        "retirements by industry need employment by industry and single-year age (e.g. SSB table 07984), "
        "which the bundled data do not have; run 'blilyst data refresh' when that table is supported",
    )
