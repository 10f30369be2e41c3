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
offline data do not have: :func:`retirements_by_industry` takes such a table from the user (or a
refreshed snapshot) and says what it needs when called without one, instead of guessing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from blilyst.axes import PENSION_AGE, WORKING_AGE
from blilyst.errors import InputError
from blilyst.i18n import gettext

__all__ = ["retirements_by_industry", "workforce_frame", "workforce_measures"]


def workforce_measures(pop: np.ndarray) -> dict[str, np.ndarray]:
    """Measures over the last two axes (sex, age) of ``pop``; each result has ``pop.shape[:-2]``."""
    pop = np.asarray(pop, dtype=float)
    if pop.ndim < 2 or pop.shape[-1] <= PENSION_AGE:
        raise InputError(
            "population",
            gettext("needs single-year ages up to at least {age}; got shape {shape}").format(
                age=PENSION_AGE, shape=pop.shape
            ),
        )
    lo, hi = WORKING_AGE
    by_age = pop.sum(axis=-2)
    working = by_age[..., lo : hi + 1].sum(axis=-1)
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
        raise InputError(
            "population",
            gettext("shape {shape} does not match {years} years and {codes} codes").format(
                shape=pop.shape[:2], years=len(years), codes=len(codes)
            ),
        )
    m = workforce_measures(pop)
    frame = pd.DataFrame(
        {
            "municipality": np.tile(np.asarray(codes, dtype=object), len(years)),
            "year": np.repeat(np.asarray(years, dtype=int), len(codes)),
        }
    )
    for key, val in m.items():
        frame[key] = val.reshape(-1)
    return frame


def retirements_by_industry(
    employment: pd.DataFrame | None = None,
    *,
    base_year: int | None = None,
    years: int = 20,
    pension_age: int = PENSION_AGE,
) -> pd.DataFrame:
    """Employed persons reaching ``pension_age`` each year, by industry (replacement demand).

    ``employment``: employed residents (or jobs) on 1 January ``base_year`` with columns
    ``industry``, ``age`` (a single age, or a range like ``"60-66"`` spread evenly over its ages)
    and ``employed``. Those aged ``pension_age - 1 - t`` on 1 January ``base_year`` reach the
    pension age during year ``base_year + t`` (the same timing as ``reaching_67``), assuming they
    stay in their industry until then; deaths and moves before that are ignored, so the figures
    are an upper bound of the retirements to replace. Returns ``industry, year, retiring`` for
    ``years`` years, plus ``share`` of the industry's employment in the base year.
    """
    if employment is None:
        raise InputError(
            "employment_by_industry",
            gettext(
                "retirements by industry need employment by industry and single-year age (e.g. SSB table 07984), "
                "which the bundled data do not have; give a table with columns industry, age, employed"
            ),
        )
    missing = [c for c in ("industry", "age", "employed") if c not in employment.columns]
    if missing:
        raise InputError(
            missing[0],
            gettext("the employment table needs the columns industry, age, employed; missing {columns}").format(
                columns=", ".join(missing)
            ),
        )
    if base_year is None:
        raise InputError("base_year", gettext("give the 1 January year the employment figures are for"))
    if not isinstance(years, (int, np.integer)) or not 1 <= years <= 100:
        raise InputError(
            "years", gettext("must be a whole number between 1 and 100; got {value}").format(value=repr(years))
        )
    industries = list(dict.fromkeys(employment["industry"].astype(str)))
    counts = np.zeros((len(industries), pension_age))  # employed by industry and age below the pension age
    for i, row in enumerate(employment.itertuples(index=False), start=1):
        lo, hi = _age_range(row.age, i)
        value = pd.to_numeric(row.employed, errors="coerce")
        if not np.isfinite(value) or value < 0:
            raise InputError(
                "employed",
                gettext("row {row}: must be a number of persons, 0 or more; got {value}").format(
                    row=i, value=repr(row.employed)
                ),
            )
        k = industries.index(str(row.industry))
        ages = np.arange(lo, hi + 1)
        below = ages[ages < pension_age]
        counts[k, below] += value / len(ages)
    totals = (
        employment.assign(employed=pd.to_numeric(employment["employed"]))
        .groupby(employment["industry"].astype(str), sort=False)["employed"]
        .sum()
    )
    t = np.arange(years)
    ages = pension_age - 1 - t
    retiring = np.where(ages[None] >= 0, counts[:, np.clip(ages, 0, None)], 0.0)  # (industry, year)
    frame = pd.DataFrame(
        {
            "industry": np.repeat(np.asarray(industries, dtype=object), years),
            "year": np.tile(base_year + t, len(industries)),
            "retiring": retiring.reshape(-1),
        }
    )
    frame["share"] = frame["retiring"] / frame["industry"].map(totals).replace(0, np.nan)
    return frame


def _age_range(age: object, row: int) -> tuple[int, int]:
    text = str(age).strip()
    parts = text.split("-")
    try:
        lo, hi = int(parts[0]), int(parts[-1])
    except ValueError:
        lo, hi = -1, -1
    if len(parts) > 2 or not 0 <= lo <= hi <= 105:
        raise InputError(
            "age", gettext("row {row}: '{age}' is not an age 0..105 or a range like 60-66").format(row=row, age=age)
        )
    return lo, hi
