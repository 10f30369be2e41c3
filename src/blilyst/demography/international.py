"""International migration as a national assumption, distributed to municipalities.

SSB's regional projection model (BEFREG; Leknes & Løkken 2020, *Befolkningsframskrivinger 2020-2100:
Flytting*, SSB Rapporter 2020/27; Syse et al. 2020, SSB Rapporter 2020/24) does not extrapolate each
municipality's immigration: immigration and emigration are set for Norway as a whole and handed out to
the regions by their shares, while domestic moves come from each region's own history. Extrapolating a
municipality's *total* net migration instead carries a national event (the refugee arrivals of
2015-2016 and 2022-2023) as a local trend: Norway's 2046 total came out 3.7 % above SSB's main
alternative, and a backtest from 2016 overshot Norway's registered 2026 population by 5 %.

Here, with the net flows the offline data hold (1 January stocks by sex and age, national survival):

* **National net international migration** ``N(t, s, a)`` is Norway's residual net migration, the sum
  of all municipalities' residuals (domestic moves cancel nationally, so what is left is immigration
  minus emigration, estimated).
* **Distribution key** ``w_r``: each municipality's share of Norway's population on 1 January of the
  base year. Chosen by backtest: shares of the immigrant population (07113-type stock, 2021) and a mix
  with IMDi's refugee settlement gave larger median errors from 2016 and 2021 (docs/projection.md).
* **Domestic net migration** of a municipality in the fitting window is its residual minus its share
  of the national flow, ``D(t, r) = NM(t, r) - w_r N(t)``, turned into rates like the trend's and
  shifted so that, weighted by exposure, they add up to zero over Norway for every sex and age (a move
  within Norway is a loss in one place and a gain in another).
* **Projection**: domestic rates on the start cohort plus ``level(t) * w_r * profile(s, a)`` net
  immigrants, where ``profile`` is the age-sex pattern of Norway's net immigration in the window
  (negative ages set to zero) and ``level`` is the user's national assumption (:func:`national_level`).

Every figure here is estimated from registered stocks and national mortality, and is labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, gettext
from blilyst.notes import Note, Number

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GROWTH_FLAG_LIMIT",
    "LEVEL_CHOICES",
    "NationalLevel",
    "balance_domestic_rates",
    "domestic_net_migration",
    "growth_flags",
    "international_counts",
    "national_history",
    "national_level",
    "national_profile",
    "population_shares",
]

#: Named national levels; a number (net immigrants a year) is also accepted.
LEVEL_CHOICES = ("trend", "low", "high", "registered", "zero")
#: A 20-year projection growing more than this share gets a visible flag.
GROWTH_FLAG_LIMIT = 0.5
_SPAN = 5  # years in the rolling means that define low and high

LEVEL_TEXTS = {
    "trend": N_("the mean of Norway's net immigration over the {first}-{last} window ({value} a year)"),
    "low": N_("the lowest five-year mean of Norway's net immigration in {first}-{last} ({value} a year)"),
    "high": N_("the highest five-year mean of Norway's net immigration in {first}-{last} ({value} a year)"),
    "registered": N_("Norway's net immigration as registered in {first}-{last}, then the window mean ({value} a year)"),
    "zero": N_("no net immigration to Norway"),
    "number": N_("{value} net immigrants a year to Norway, the user's own figure"),
}


@dataclass(frozen=True)
class NationalLevel:
    """The national net immigration assumed for each projection year, and how it was chosen.

    ``per_year`` (T,) net immigrants to Norway in each projection year; ``choice`` the name (or
    ``"number"``); ``first``/``last`` the history years it was taken from and ``value`` the figure
    that names it (a year's level), which fill :data:`LEVEL_TEXTS` when it is described.
    """

    per_year: np.ndarray
    choice: str
    value: float = 0.0
    first: int = 0
    last: int = 0

    def describe(self, lang: str | None = None) -> str:
        """The assumption in a sentence, in ``lang`` (the active language by default)."""
        return self.note().word(lang)

    def note(self) -> Note:
        """The assumption as a note worded when it is shown."""
        return Note.of(LEVEL_TEXTS[self.choice], first=self.first, last=self.last, value=Number(self.value))


def national_level(
    choice: str | float,
    history_years: list[int],
    history: np.ndarray,
    base_year: int,
    steps: int,
    *,
    window_years: list[int] | None = None,
) -> NationalLevel:
    """Net immigrants to Norway for each of ``steps`` years from ``base_year``.

    ``history`` (Y,) is Norway's estimated net immigration for the event years ``history_years``
    (any years, before and after the base year; only years before ``base_year`` inform the named
    levels except ``registered``, which uses the years after it where they exist, for backtests).
    ``window_years`` are the trend's fitting years (default: every history year before the base year).

    ``choice``: ``trend`` (the window mean, the default), ``low``/``high`` (the lowest/highest
    five-year mean before the base year), ``registered``, ``zero``, or a number of net immigrants a year.
    """
    years = np.asarray(history_years, dtype=int)
    hist = np.asarray(history, dtype=float)
    if years.shape != hist.shape:
        raise InputError("history", gettext("needs one figure per history year"))
    before = years < base_year
    window = np.isin(years, window_years) & before if window_years is not None else before
    if not window.any():
        raise InputError(
            "international",
            gettext("no national migration history before {year} to set a level from").format(year=base_year),
        )
    mean = float(hist[window].mean())
    first, last = int(years[window].min()), int(years[window].max())
    if isinstance(choice, str):
        name = choice.strip().lower()
        try:
            number: float | None = float(name.replace(",", ".").replace(" ", ""))
        except ValueError:
            number = None
    else:
        name, number = "number", float(choice)
    if number is not None:
        if not np.isfinite(number) or abs(number) > 1_000_000:
            raise InputError(
                "international",
                gettext(
                    "give net immigrants to Norway a year as a number between {low} and {high}; got {value}"
                ).format(low=format_number(-1_000_000), high=format_number(1_000_000), value=choice),
            )
        return NationalLevel(np.full(steps, number), "number", number)
    if name not in LEVEL_CHOICES:
        raise InputError(
            "international",
            gettext("'{value}' is not a national level; choose {choices} or give a number a year").format(
                value=choice, choices=", ".join(LEVEL_CHOICES)
            ),
        )
    if name == "zero":
        return NationalLevel(np.zeros(steps), "zero")
    if name in ("low", "high"):
        past = hist[before]
        if past.size < _SPAN:
            raise InputError(
                "international",
                gettext("{level} needs at least {span} years of national history before {year}").format(
                    level=name, span=_SPAN, year=base_year
                ),
            )
        rolling = np.convolve(past, np.ones(_SPAN) / _SPAN, mode="valid")
        value = float(rolling.min() if name == "low" else rolling.max())
        return NationalLevel(np.full(steps, value), name, value, int(years[before].min()), int(years[before].max()))
    if name == "registered":
        after = {int(y): float(v) for y, v in zip(years, hist, strict=True) if y >= base_year}
        known = [base_year + t for t in range(steps) if base_year + t in after]
        if not known:
            raise InputError(
                "international",
                gettext("no registered national migration after {year}; choose trend, low or high").format(
                    year=base_year
                ),
            )
        per_year = np.array([after.get(base_year + t, mean) for t in range(steps)])
        return NationalLevel(per_year, "registered", mean, known[0], known[-1])
    return NationalLevel(np.full(steps, mean), "trend", mean, first, last)


def population_shares(population: np.ndarray) -> np.ndarray:
    """Each region's share of the total, ``(R,)`` from stocks ``(R, sex, age)``; equal shares if empty."""
    totals = np.asarray(population, dtype=float).sum(axis=(1, 2))
    whole = totals.sum()
    if whole <= 0:
        return np.full(totals.shape, 1.0 / max(totals.size, 1))
    return np.asarray(totals / whole, dtype=float)


def national_profile(national_net: np.ndarray) -> np.ndarray:
    """Age-sex pattern ``(sex, age)`` summing to 1 of Norway's net immigration ``(year, sex, age)``.

    Ages where the window's net is negative (the oldest, where the residual also holds mortality
    differences) get none, so the profile never takes people out of an age group.
    """
    total = np.maximum(np.asarray(national_net, dtype=float).sum(axis=0), 0.0)
    if total.sum() <= 0:
        raise InputError("international", gettext("Norway's net immigration in the window is not positive at any age"))
    return np.asarray(total / total.sum(), dtype=float)


def domestic_net_migration(net: np.ndarray, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split residual net migration ``(year, R, sex, age)`` of *all* municipalities into domestic
    ``NM - w N`` and Norway's international ``N`` (year, sex, age)."""
    net = np.asarray(net, dtype=float)
    national = net.sum(axis=1)
    domestic = net - np.asarray(shares, dtype=float)[None, :, None, None] * national[:, None]
    return domestic, national


def balance_domestic_rates(rates: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Shift domestic rates ``(R, sex, age)`` so that, weighted by ``exposure``, they sum to zero
    over regions for every sex and age: moves within Norway neither add nor remove people."""
    rates = np.asarray(rates, dtype=float)
    expo = np.asarray(exposure, dtype=float)
    weight = expo.sum(axis=0)
    mean = np.where(weight > 0, (rates * expo).sum(axis=0) / np.maximum(weight, 1e-12), 0.0)
    return rates - mean[None]


def international_counts(level: NationalLevel, shares: np.ndarray, profile: np.ndarray) -> np.ndarray:
    """Net immigrants ``(T, R, sex, age)``: the national level each year times share times profile."""
    counts = (
        level.per_year[:, None, None, None]
        * np.asarray(shares, dtype=float)[None, :, None, None]
        * np.asarray(profile, dtype=float)[None, None]
    )
    return np.asarray(counts, dtype=float)


def growth_flags(population: np.ndarray, years: int = 20, limit: float = GROWTH_FLAG_LIMIT) -> np.ndarray:
    """Regions whose total grows more than ``limit`` within the first ``years`` years of a projection
    ``(T+1, R, sex, age)``: a boolean ``(R,)``. Such a trend continues a local building or commuting
    boom at full speed for decades and deserves a second look (housing plans, land)."""
    totals = np.asarray(population, dtype=float).sum(axis=(2, 3))
    horizon = min(years, totals.shape[0] - 1)
    start = np.maximum(totals[0], 1.0)
    return np.asarray(totals[horizon] / start - 1.0 > limit, dtype=bool)


def national_history(population_cube: np.ndarray, years: list[int], mortality: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Norway's estimated net immigration ``(Y-1,)`` for the event years ``years[:-1]``: the residual
    of the national stocks (municipalities summed) with national survival. Moves within Norway cancel
    in the sum, so the residual is immigration minus emigration (and the error of the survival ratios)."""
    from blilyst.demography.residual import net_migration_by_age

    national = np.asarray(population_cube, dtype=float).sum(axis=1, keepdims=True)
    res = net_migration_by_age(national, years, mortality)
    return np.asarray(res.net_migration.sum(axis=(1, 2, 3)), dtype=float)
