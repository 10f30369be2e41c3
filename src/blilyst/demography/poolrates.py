"""Pool-method migration schedules (:class:`blilyst.demography.projection.PoolMigration`) from the data.

* **Domestic out-migration rates** by region and age: registered out-migrants by single-year age
  (``snapshot.migration_by_age``: SSB 09588-type counts, Telemark in the bundled snapshot, every
  municipality after ``blilyst data refresh``) over the registered 1 January stock of the cohort
  (age is taken as age at the end of the year, SSB's convention, so the exposure of age ``a`` is the
  start group ``a-1``, as the engine's ``"cohort"`` timing uses it; age 0 uses group 0). Numerators and
  exposures are summed over the last ``window`` years, smoothed over age with the 1-2-3-2-1 kernel of
  :func:`blilyst.demography.rates.smooth_ages` and shrunk towards the pooled schedule of all
  municipalities with data, ``r = (O + kappa * r_pool) / (E + kappa)``
  (:func:`blilyst.demography.rates.shrink`, ``kappa = 400`` person-years per age).
* **In-migration shares**: each region's in-migrants by age, smoothed and shrunk the same way as rates
  on its exposure, then divided by their sum over the regions of the system, so that they sum to 1 for
  every sex and age. Within the system domestic in-migration equals out-migration; the system's own
  domestic net migration against the rest of the country is therefore zero by construction.
* **Sex**: the data have no sex. Both sexes get the same age-specific out-migration rate (out-migrants
  split in proportion to each sex's population) and the same in-migration share.
* **The file's top age** (99) is taken as 99 and over; ages 100-105 get the rate of age 99.
* **International migration** needs registered annual immigration and emigration per municipality
  (``snapshot.components_annual``, SSB 06913, after ``blilyst data refresh``). Emigration rates are the
  registered emigrants over the population, spread over age in proportion to the region's domestic
  out-migration rates; immigration counts are the annual mean, spread over age with the region's
  in-migration age pattern and equally over the sexes. Without those data :class:`PoolRates` says so
  (``missing``), and :meth:`PoolRates.pool` raises :class:`InputError` unless ``domestic_only=True``.

Every figure derived here is *estimated* and carries that label in outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from blilyst.axes import N_AGES, N_SEXES, SEXES
from blilyst.demography.rates import KAPPA_MIGRATION, shrink, smooth_ages
from blilyst.errors import InputError
from blilyst.i18n import gettext

if TYPE_CHECKING:
    from blilyst.demography.projection import PoolMigration
    from blilyst.stats.snapshot import Snapshot

__all__ = ["KAPPA_POOL", "PoolRates", "estimate_pool_rates"]

KAPPA_POOL = KAPPA_MIGRATION  # person-years per age behind the credibility weight
_MAX_RATE = 0.5  # annual; no observed cell comes near it, it only guards tiny exposures


@dataclass
class PoolRates:
    """Pool-method schedules for ``codes``, arrays shaped ``(region, sex, 106)`` (``blilyst.axes`` order).

    ``out_rates`` annual domestic out-migration rates by end-of-year cohort; ``in_shares`` shares of the
    system's pool (summing to 1 over regions for every sex and age); ``immigration`` annual counts and
    ``emigration_rates`` annual rates, ``None`` when the snapshot lacks the registered components
    (``missing`` then says what is missing). Use with ``migration_timing="cohort"``.
    """

    codes: list[str]
    years: list[int]
    out_rates: np.ndarray
    in_shares: np.ndarray
    immigration: np.ndarray | None = None
    emigration_rates: np.ndarray | None = None
    missing: str | None = None
    raw_out_rates: np.ndarray | None = None
    pooled_out_rate: np.ndarray | None = None
    sources: list[str] = field(default_factory=list)
    estimated: list[str] = field(default_factory=list)

    def pool(self, *, domestic_only: bool = False) -> PoolMigration:
        """A :class:`PoolMigration` for the engine (``migration_timing="cohort"``).

        Raises :class:`InputError` when international migration is not estimable from the snapshot,
        unless ``domestic_only=True`` (then immigration and emigration are explicitly left out).
        """
        from blilyst.demography.projection import PoolMigration

        if domestic_only:
            return PoolMigration(out_rates=self.out_rates, in_shares=self.in_shares)
        if self.immigration is None or self.emigration_rates is None:
            raise InputError("pool.immigration", self.missing or gettext("no international migration in the snapshot"))
        return PoolMigration(
            out_rates=self.out_rates,
            in_shares=self.in_shares,
            immigration=self.immigration,
            emigration_rates=self.emigration_rates,
        )

    def frame(self) -> pd.DataFrame:
        """Long view: municipality, sex, age, out_rate, in_share, emigration_rate, immigration (NaN if missing)."""
        R = len(self.codes)
        idx = pd.MultiIndex.from_product([self.codes, SEXES, range(N_AGES)], names=["municipality", "sex", "age"])
        nan = np.full((R, N_SEXES, N_AGES), np.nan)
        df = pd.DataFrame(
            {
                "out_rate": self.out_rates.reshape(-1),
                "in_share": self.in_shares.reshape(-1),
                "emigration_rate": (nan if self.emigration_rates is None else self.emigration_rates).reshape(-1),
                "immigration": (nan if self.immigration is None else self.immigration).reshape(-1),
            },
            index=idx,
        )
        return df.reset_index()


def _cohort_exposure(start: np.ndarray) -> np.ndarray:
    """Start stock of each end-of-year cohort (group a-1; age 0 uses group 0; open group gathers two)."""
    out = np.empty_like(start)
    out[..., 0] = start[..., 0]
    out[..., 1:] = start[..., :-1]
    out[..., -1] += start[..., -1]
    return out


def _fold_top(arr: np.ndarray, top: int) -> np.ndarray:
    """Ages ``top..`` summed into ``top`` (last axis cut at ``top``)."""
    out = arr[..., : top + 1].copy()
    out[..., top] += arr[..., top + 1 :].sum(axis=-1)
    return out


def _unfold_top(arr: np.ndarray, top: int) -> np.ndarray:
    out = np.empty((*arr.shape[:-1], N_AGES))
    out[..., : top + 1] = arr
    out[..., top + 1 :] = arr[..., top : top + 1]
    return out


def estimate_pool_rates(
    codes: list[str] | None = None, *, snapshot: Snapshot | None = None, window: int = 10, kappa: float = KAPPA_POOL
) -> PoolRates:
    """Estimate :class:`PoolRates` for ``codes`` (default: every municipality in ``migration_by_age``).

    ``window`` is the number of most recent years of registered migration used. The pooled schedule the
    small municipalities are shrunk towards is that of all municipalities with data.
    """
    if window < 1:
        raise InputError("window", gettext("must be at least one year"))
    snap = snapshot if snapshot is not None else _load_snapshot()
    mig = snap.migration_by_age
    if mig.empty:
        raise InputError(
            "migration_by_age", gettext("the snapshot has no migration by age; run 'blilyst data refresh'")
        )
    pop_codes, pop_years, cube = snap.population_cube()
    have = sorted(set(mig["municipality"].astype(str)) & set(pop_codes))
    chosen = list(have) if codes is None else [str(c) for c in codes]
    missing = [c for c in chosen if c not in have]
    if missing:
        raise InputError(
            "municipalities",
            gettext(
                "no migration by age for {codes} in the snapshot; "
                "'blilyst data refresh' fetches SSB 09588 for all municipalities"
            ).format(codes=", ".join(missing)),
        )
    if len(chosen) < 2:
        raise InputError("municipalities", gettext("the pool method needs at least two municipalities"))
    mig_years = sorted(int(y) for y in mig["year"].unique() if int(y) in pop_years)
    if not mig_years:
        raise InputError("migration_by_age", gettext("no year of migration by age has a 1 January population"))
    years = mig_years[-window:]

    sub = mig[mig["year"].isin(years) & mig["municipality"].isin(have)]
    top = int(sub["age"].max())
    pos = {c: i for i, c in enumerate(have)}
    out_c = np.zeros((len(have), top + 1))
    in_c = np.zeros((len(have), top + 1))
    r = sub["municipality"].map(pos).to_numpy()
    a = sub["age"].to_numpy(dtype=int)
    np.add.at(out_c, (r, a), sub["out_migration"].fillna(0).to_numpy(dtype=float))
    np.add.at(in_c, (r, a), sub["in_migration"].fillna(0).to_numpy(dtype=float))

    pidx = [pop_codes.index(c) for c in have]
    start = cube[[pop_years.index(y) for y in years]][:, pidx].sum(axis=(0, 2))  # (R, 106) both sexes
    expo = _fold_top(_cohort_exposure(start), top)

    out_s, in_s, ex_s = smooth_ages(out_c), smooth_ages(in_c), smooth_ages(expo)
    pooled_out = out_s.sum(axis=0) / np.maximum(ex_s.sum(axis=0), 1e-12)
    pooled_in = in_s.sum(axis=0) / np.maximum(ex_s.sum(axis=0), 1e-12)
    out_rate = np.clip(shrink(out_s, ex_s, pooled_out[None], kappa), 0.0, _MAX_RATE)
    in_rate = np.maximum(shrink(in_s, ex_s, pooled_in[None], kappa), 0.0)

    sel = np.array([pos[c] for c in chosen])
    in_count = in_rate[sel] * ex_s[sel]
    tot = in_count.sum(axis=0)
    ex_sel = ex_s[sel]
    fallback = ex_sel / np.maximum(ex_sel.sum(axis=0), 1e-12)
    shares = np.where(tot > 0, in_count / np.where(tot > 0, tot, 1.0), fallback)

    out_full = np.repeat(_unfold_top(out_rate[sel], top)[:, None], N_SEXES, axis=1)
    shares_full = np.repeat(_unfold_top(shares, top)[:, None], N_SEXES, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(expo[sel] > 0, out_c[sel] / expo[sel], np.nan)

    immigration, emigration, note = _international(
        snap.components_annual,
        chosen,
        years,
        start[sel],
        _unfold_top(out_rate[sel], top),
        _unfold_top(in_rate[sel] * ex_s[sel], top),
    )
    _validate(out_full, shares_full, emigration)
    return PoolRates(
        codes=chosen,
        years=years,
        out_rates=out_full,
        in_shares=shares_full,
        immigration=immigration,
        emigration_rates=emigration,
        missing=note,
        raw_out_rates=raw,
        pooled_out_rate=_unfold_top(pooled_out, top),
        sources=[
            f"Domestic in- and out-migration by age {years[0]}-{years[-1]}: SSB 09588 (snapshot "
            "migration_by_age). Kilde: Statistisk sentralbyrå."
        ],
        estimated=[
            "Pool-method out-migration rates and in-migration shares: estimated, smoothed over age and "
            f"shrunk towards the pooled schedule (kappa = {kappa:g} person-years); same for both sexes."
        ],
    )


def _international(
    comp: pd.DataFrame,
    chosen: list[str],
    years: list[int],
    start: np.ndarray,
    domestic_out: np.ndarray,
    in_pattern: np.ndarray,
) -> tuple[np.ndarray | None, np.ndarray | None, str | None]:
    """Immigration counts and emigration rates (R, 2, 106) from the registered annual components, shaped like
    domestic out-migration and in-migration by age; ``(None, None, note)`` saying why when not estimable.

    ``start`` is the 1 January population (R, 106), ``domestic_out`` the domestic out-migration rates and
    ``in_pattern`` the in-migration counts by age (both R, 106) of ``chosen``."""
    need = {"immigration", "emigration"}
    if comp.empty or not need <= set(comp["component"].unique()):
        return (
            None,
            None,
            "immigration and emigration are not estimable: the snapshot has no registered annual "
            "components (components_annual with 'immigration' and 'emigration', SSB 06913); run "
            "'blilyst data refresh', or use domestic_only=True",
        )
    c = comp[comp["component"].isin(need) & comp["municipality"].isin(chosen) & comp["year"].isin(years)]
    tab = c.pivot_table(index="municipality", columns="component", values="persons", aggfunc="sum")
    nyears = c.groupby("municipality")["year"].nunique().reindex(chosen)
    tab = tab.reindex(chosen)
    if tab.isna().any().any() or nyears.isna().any():
        gaps = sorted(set(tab.index[tab.isna().any(axis=1)]) | set(nyears.index[nyears.isna()]))
        return (
            None,
            None,
            f"immigration and emigration are not estimable for {', '.join(gaps)}: no registered components",
        )
    total_pop = start.sum(axis=1)
    emig_rate = tab["emigration"].to_numpy(dtype=float) / total_pop
    dom_level = (domestic_out * _cohort_exposure(start)).sum(axis=1) / total_pop
    scale = np.where(dom_level > 0, emig_rate / np.maximum(dom_level, 1e-12), 0.0)
    emig = np.clip(domestic_out * scale[:, None], 0.0, _MAX_RATE)
    emigration = np.repeat(emig[:, None], N_SEXES, axis=1)
    pattern = in_pattern / np.maximum(in_pattern.sum(axis=1, keepdims=True), 1e-12)
    imm = tab["immigration"].to_numpy(dtype=float) / nyears.to_numpy(dtype=float)
    immigration = np.repeat((imm[:, None] * pattern)[:, None] / N_SEXES, N_SEXES, axis=1)
    return immigration, emigration, None


def _validate(out_rates: np.ndarray, shares: np.ndarray, emigration: np.ndarray | None) -> None:
    if not np.all(np.isfinite(out_rates)) or out_rates.min() < 0 or out_rates.max() >= 1:
        raise InputError("out_rates", gettext("estimated out-migration rates must lie in [0, 1)"))
    if not np.allclose(shares.sum(axis=0), 1.0, atol=1e-9) or shares.min() < 0:
        raise InputError("in_shares", gettext("estimated in-migration shares must be >= 0 and sum to 1 over regions"))
    if emigration is not None and (emigration.min() < 0 or (emigration + out_rates).max() >= 1):
        raise InputError(
            "emigration_rates", gettext("estimated emigration plus out-migration rates must lie in [0, 1)")
        )


def _load_snapshot() -> Snapshot:
    from blilyst.stats.snapshot import load_snapshot

    return load_snapshot()
