"""Commuting: where a municipality's employed residents work, and who holds its jobs.

From SSB table 03321 (employed persons in the 4th quarter by municipality of residence and of work; the
snapshot's ``commuting``, 2017, mapped to 2024 codes). Used by the evidence (where residents work, who
commutes in) and by the employment-led scenario, where new jobs go to residents and in-commuters in the
shares they hold today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Commuting:
    """One municipality's commuting in one year (persons employed in the 4th quarter)."""

    municipality: str
    year: int
    employed_residents: float
    jobs: float
    work_locally: float  # residents who work in the municipality
    out_to: tuple[tuple[str, float], ...]  # largest destinations of out-commuting residents
    in_from: tuple[tuple[str, float], ...]  # largest origins of in-commuters

    @property
    def local_share(self) -> float:
        """Share of the employed residents who work in the municipality."""
        return self.work_locally / self.employed_residents if self.employed_residents else float("nan")

    @property
    def in_commuter_share(self) -> float:
        """Share of the municipality's jobs held by people living elsewhere."""
        return 1 - self.work_locally / self.jobs if self.jobs else float("nan")


def commuting_for(commuting: pd.DataFrame, municipality: str, top: int = 3) -> Commuting | None:
    """The commuting of ``municipality`` in the latest year of ``commuting``; ``None`` without data."""
    if commuting is None or commuting.empty:
        return None
    year = int(commuting["year"].max())
    c = commuting[commuting["year"] == year]
    lives = c[c["residence"] == municipality]
    works = c[c["workplace"] == municipality]
    if lives.empty and works.empty:
        return None
    local = float(lives.loc[lives["workplace"] == municipality, "persons"].sum())
    away = lives[lives["workplace"] != municipality].sort_values("persons", ascending=False).head(top)
    came = works[works["residence"] != municipality].sort_values("persons", ascending=False).head(top)
    return Commuting(
        municipality=municipality,
        year=year,
        employed_residents=float(lives["persons"].sum()),
        jobs=float(works["persons"].sum()),
        work_locally=local,
        out_to=tuple(zip(away["workplace"].astype(str), away["persons"].astype(float).tolist(), strict=True)),
        in_from=tuple(zip(came["residence"].astype(str), came["persons"].astype(float).tolist(), strict=True)),
    )


def local_shares(commuting: pd.DataFrame | None, municipalities: Sequence[str]) -> tuple[np.ndarray, int | None]:
    """Share of each municipality's employed residents who work in it (NaN where unknown), and the year."""
    out = np.full(len(municipalities), np.nan)
    if commuting is None or commuting.empty:
        return out, None
    year = int(commuting["year"].max())
    c = commuting[commuting["year"] == year]
    employed = c.groupby("residence")["persons"].sum()
    local = c[c["residence"] == c["workplace"]].set_index("residence")["persons"]
    share = (local / employed).reindex(list(municipalities))
    out[:] = share.to_numpy(dtype=float)
    return out, year
