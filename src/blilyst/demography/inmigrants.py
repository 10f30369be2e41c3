"""Who moves in: each municipality's in-migrant age profile from the nearest data that exist.

Registered in-migration by single-year age (SSB, in the snapshot's ``migration_by_age``) covers only some
municipalities offline (the 17 Telemark municipalities, 2016-2025). A municipality's profile is taken
from the first of these that has registered moves, and says which it used:

1. the municipality's own registered in-migrants;
2. the registered in-migrants of the other municipalities in its county;
3. those of the municipalities in its SSB centrality class (Klass 128), wherever they are;
4. all registered in-migrants in the data;
5. a Rogers-Castro model migration schedule (Rogers & Castro 1981, *Model Migration Schedules*,
   IIASA RR-81-30) with parameters typical of Nordic data.

The profile is by age at the end of the year, split evenly by sex, and sums to 1. The last ``years`` years
with data are used (ten by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from blilyst.axes import AGES, N_AGES
from blilyst.i18n import N_
from blilyst.notes import Listing, Note, Value

if TYPE_CHECKING:
    from blilyst.stats.register import Register

#: Scopes, nearest first.
OWN, COUNTY, CENTRALITY, ALL_REGISTERED, MODEL = "municipality", "county", "centrality", "all", "model"


@dataclass(frozen=True)
class InMigrantProfile:
    """An in-migrant age profile ``(2, 106)`` and where it comes from."""

    by_age: np.ndarray
    scope: str  # one of OWN, COUNTY, CENTRALITY, ALL_REGISTERED, MODEL
    municipalities: tuple[str, ...]  # whose registered moves were used (empty for the model)
    years: tuple[int, ...]
    place: str = ""  # the municipality, county or class named in the sentence
    counties: tuple[str, ...] = ()  # the counties the municipalities used lie in

    def describe(self) -> str:
        """Which data the profile comes from, in the active language (a clause for a sentence)."""
        return self.note().word()

    def note(self) -> Note:
        """Which data the profile comes from, as a note worded when it is shown (a clause for a sentence)."""
        if self.scope == MODEL:
            return Note.of(
                N_("a model migration schedule (Rogers–Castro), as no registered moves by age are available")
            )
        fields: dict[str, Value] = {
            "place": self.place,
            "first": min(self.years),
            "last": max(self.years),
            "n": len(self.municipalities),
            "counties": Listing(self.counties),
        }
        if self.scope == OWN:
            return Note.of(N_("registered in-migrants to {place} {first}–{last}"), **fields)
        if self.scope == COUNTY:
            return Note.of(
                N_("registered in-migrants to the {n} municipalities with data in {place} {first}–{last}"), **fields
            )
        if self.scope == CENTRALITY:
            return Note.of(
                N_(
                    "registered in-migrants to the {n} municipalities of centrality class {place} with data, all in "
                    "{counties}, {first}–{last} (there are none in the municipality's own county)"
                ),
                **fields,
            )
        return Note.of(
            N_("registered in-migrants to the {n} municipalities with data, all in {counties}, {first}–{last}"),
            **fields,
        )

    def source(self) -> str:
        """The same in English, for logs."""
        return self.note().word("en")


def model_schedule() -> np.ndarray:
    """Rogers-Castro model schedule by age 0..105 (sums to 1)."""
    x = AGES.astype(float)
    by_age = 0.02 * np.exp(-0.1 * x) + 0.06 * np.exp(-0.1 * (x - 20) - np.exp(-0.4 * (x - 20))) + 0.003
    by_age[80:] *= 0.3
    return np.asarray(by_age / by_age.sum(), dtype=float)


def _by_age(rows: pd.DataFrame) -> np.ndarray:
    counts = rows.groupby("age")["in_migration"].sum().reindex(range(N_AGES), fill_value=0)
    return np.asarray(counts.to_numpy(dtype=float), dtype=float)


def in_migrant_profile(
    migration_by_age: pd.DataFrame,
    municipality: str | None,
    register: Register,
    *,
    years: int = 10,
    minimum: float = 100.0,
) -> InMigrantProfile:
    """The in-migrant age profile of ``municipality`` from the nearest registered data (see module doc).

    ``None`` gives the profile of all registered in-migrants. A scope is used only if it has at least
    ``minimum`` in-migrants over the years, so a handful of moves does not make a profile.
    """
    have = migration_by_age if migration_by_age is not None else pd.DataFrame()
    if have.empty or "in_migration" not in have.columns:
        return InMigrantProfile(_split(model_schedule()), MODEL, (), ())
    recent = sorted(int(y) for y in have["year"].unique())[-years:]
    have = have[have["year"].isin(recent)]
    frame = register.frame().set_index("code")
    codes_with_data = sorted(str(c) for c in have["municipality"].unique())
    candidates: list[tuple[str, list[str], str]] = []
    if municipality is not None:
        me = frame.loc[municipality]
        candidates.append((OWN, [municipality], str(me["name"])))
        county = [c for c in codes_with_data if c in frame.index and frame.loc[c, "county_code"] == me["county_code"]]
        candidates.append((COUNTY, county, str(me["county_name"])))
        same_class = [
            c
            for c in codes_with_data
            if c in frame.index and frame.loc[c, "centrality_class"] == me["centrality_class"]
        ]
        candidates.append((CENTRALITY, same_class, str(int(me["centrality_class"]))))
    candidates.append((ALL_REGISTERED, codes_with_data, ""))
    for scope, codes, place in candidates:
        if not codes:
            continue
        rows = have[have["municipality"].isin(codes)]
        counts = _by_age(rows)
        if counts.sum() >= minimum:
            used = tuple(sorted(codes))
            span = tuple(sorted(int(y) for y in rows["year"].unique()))
            counties = tuple(sorted({str(frame.loc[c, "county_name"]) for c in used if c in frame.index}))
            return InMigrantProfile(_split(counts / counts.sum()), scope, used, span, place, counties)
    return InMigrantProfile(_split(model_schedule()), MODEL, (), ())


def in_migrant_profiles(
    migration_by_age: pd.DataFrame, municipalities: Sequence[str], register: Register, *, years: int = 10
) -> list[InMigrantProfile]:
    """:func:`in_migrant_profile` for each of ``municipalities``, each from its own nearest data (a run of
    several municipalities no longer shares one pooled profile). Municipalities whose nearest scope is the
    same share one computation, so all 357 take a fraction of a second."""
    cache: dict[tuple[str, ...], InMigrantProfile] = {}
    have = migration_by_age if migration_by_age is not None else pd.DataFrame()
    with_data = set() if have.empty or "municipality" not in have.columns else set(have["municipality"].astype(str))
    frame = register.frame().set_index("code")
    out = []
    for code in municipalities:
        # the scope's key: the municipality itself when it has data, else its county's and class's data
        if code in with_data:
            key: tuple[str, ...] = ("own", code)
        else:
            me = frame.loc[code]
            key = ("near", str(me["county_code"]), str(int(me["centrality_class"])))
        if key not in cache:
            cache[key] = in_migrant_profile(migration_by_age, code, register, years=years)
        out.append(cache[key])
    return out


def _split(by_age: np.ndarray) -> np.ndarray:
    """Evenly by sex: ``(2, 106)``."""
    return np.stack([by_age / 2, by_age / 2])


def top_band(profile: InMigrantProfile, bands: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], float]:
    """The age band with the largest share of in-migrants and that share."""
    total = profile.by_age.sum(axis=0)
    shares = [float(total[lo : hi + 1].sum()) for lo, hi in bands]
    best = int(np.argmax(shares))
    return bands[best], shares[best]
