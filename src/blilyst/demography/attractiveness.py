"""Attractiveness as a place to live: Telemarksforsking's attractiveness model.

People move to jobs, so a municipality with strong job growth is expected to gain migrants. The
model regresses net migration (domestic and international together) relative to population on job
growth by place of work across all municipalities, by ordinary least squares:

    y_i = a + b * x_i + e_i,   y = 100 * net migration / population,  x = 100 * (jobs_end / jobs_start - 1)

The fitted line is the migration a municipality's job growth "explains"; the residual ``e_i`` is
its attractiveness as a place to live (*bostedsattraktivitet*): positive when more people moved
in than the jobs alone would predict. Telemarksforsking's published fit for 2010–2012 (three-year
period) is ``y = 0.2857 x - 0.1412`` with R² = 0.22.

Data offline: job growth 2005–2015 by place of work (SSB register-based employment, the
"distriktstall" base data, 428 municipalities mapped to 2024 codes with the municipality
register's weights) and, with a change of source, 2015–2017 (SSB table 13470, Q4 2017). Net
migration is population growth minus natural increase; natural increase is *estimated* from the
1 January populations and national mortality (:mod:`blilyst.demography.accounts`), so net
migration here is the residual estimate (median error 1.1 % of the population over 15 years,
see docs/accounts.md). ``blilyst data refresh`` adds every year SSB table 13470 has (kept beside the
bundled 2005 and 2015), and then any pair of job years with the 1 January populations between them is a
period; where the refreshed snapshot has registered net migration (06913/01223) for every year of the
period, that is used instead of the estimate (``net_migration_source``).

Municipalities whose 1 January population is itself an estimate (Ålesund/Haram before 2024) are
left out of the fit; those whose jobs were apportioned from a split old municipality are kept and
flagged.

References
----------
* Vareide, K. & Nygaard, M. S. (2014 ff.). *Regional analyse* (one report per county and
  year), Telemarksforsking: "attraktivitetsmodellen", net migration against job growth.
* Vareide, K. (2018). *Det handler om å bli mer attraktiv*. Telemarksforsking / Kommuneforlaget;
  Telemarksforsking, *Attraktivitetsbarometeret* (annual ranking of municipalities and regions).
* Vareide, K. & Storm, H. N. (2010). *Hvorfor er noen steder mer attraktive enn andre?*
  Telemarksforsking rapport.
* SSB, Standard for sentralitet (Klass 128), for comparing like with like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import format_number, gettext

if TYPE_CHECKING:
    from blilyst.demography.accounts import Accounts
    from blilyst.stats.register import Register
    from blilyst.stats.snapshot import Snapshot

#: Telemarksforsking's published fit for 2010–2012 (net migration % on job growth %).
PUBLISHED_2010_2012 = {"slope": 0.2857, "intercept": -0.1412, "r2": 0.22}


def fit_ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Slope, intercept and R² of the least-squares line ``y = intercept + slope * x``."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise InputError(
            "x, y",
            gettext("need two 1-d arrays of equal length, got {first} and {second}").format(
                first=x.shape, second=y.shape
            ),
        )
    if len(x) < 3:
        raise InputError("x, y", gettext("need at least three municipalities to fit a line"))
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("x, y", gettext("values must be finite (no NaN)"))
    xm, ym = x.mean(), y.mean()
    sxx = np.sum((x - xm) ** 2)
    if sxx == 0:
        raise InputError("x", gettext("job growth is the same everywhere; no line can be fitted"))
    slope = float(np.sum((x - xm) * (y - ym)) / sxx)
    intercept = float(ym - slope * xm)
    resid = y - (intercept + slope * x)
    sst = np.sum((y - ym) ** 2)
    r2 = float(1 - np.sum(resid**2) / sst) if sst > 0 else 0.0
    return slope, intercept, r2


@dataclass
class AttractivenessModel:
    """The fitted model and one row per municipality.

    ``frame`` columns: municipality, name, centrality_class, population_start, net_migration,
    net_migration_pct, jobs_start, jobs_end, job_growth_pct, expected_pct, attractiveness (residual,
    percentage points), rank (1 = most attractive), n, rank_in_class, n_in_class, in_fit,
    apportioned, net_migration_source.
    """

    jobs_from: int
    jobs_to: int
    migration_years: tuple[int, int]
    slope: float
    intercept: float
    r2: float
    n: int
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"{self.jobs_from}-{self.jobs_to}"

    def equation(self) -> str:
        """The fitted line in the active language's number format (``y = 0,3465x + 1,9998`` in Norwegian)."""
        sign = "\u2212" if self.intercept < 0 else "+"
        return (
            f"y = {format_number(self.slope, 4)}x {sign} {format_number(abs(self.intercept), 4)} "
            f"(R² {format_number(self.r2, 2)}, n = {format_number(self.n)})"
        )

    def place(self, code: str) -> pd.DataFrame:
        """The municipality and the others of its centrality class, best first."""
        row = self.frame[self.frame.municipality == code]
        if row.empty:
            raise InputError(
                "municipality",
                gettext("{code} is not in the attractiveness model for {period}").format(code=code, period=self.period),
            )
        cls = int(row.centrality_class.iloc[0])
        peers = self.frame[(self.frame.centrality_class == cls) & self.frame.in_fit]
        return peers.sort_values("rank_in_class").reset_index(drop=True)


def attractiveness_model(
    data: pd.DataFrame, *, jobs_from: int, jobs_to: int, migration_years: tuple[int, int]
) -> AttractivenessModel:
    """Fit the model on a frame with one row per municipality.

    ``data`` columns: municipality, name, centrality_class, population_start, net_migration,
    jobs_start, jobs_end, and optional bool ``exclude`` (left out of the fit, still reported with
    their residual against the fitted line) and ``apportioned``.
    """
    need = {"municipality", "name", "centrality_class", "population_start", "net_migration", "jobs_start", "jobs_end"}
    missing = need - set(data.columns)
    if missing:
        raise InputError("data", gettext("missing columns {columns}").format(columns=", ".join(sorted(missing))))
    d = data.copy()
    if (d.population_start <= 0).any() or (d.jobs_start <= 0).any():
        bad = d[(d.population_start <= 0) | (d.jobs_start <= 0)].municipality.tolist()
        raise InputError(
            "data",
            gettext("population and jobs at the start must be positive (not for {codes})").format(
                codes=", ".join(map(str, bad))
            ),
        )
    d["net_migration_pct"] = 100 * d.net_migration / d.population_start
    d["job_growth_pct"] = 100 * (d.jobs_end / d.jobs_start - 1)
    d["in_fit"] = ~d.get("exclude", pd.Series(False, index=d.index)).astype(bool)
    if "apportioned" not in d:
        d["apportioned"] = False
    fit = d[d.in_fit]
    slope, intercept, r2 = fit_ols(fit.job_growth_pct.to_numpy(), fit.net_migration_pct.to_numpy())
    d["expected_pct"] = intercept + slope * d.job_growth_pct
    d["attractiveness"] = d.net_migration_pct - d.expected_pct
    d["rank"] = pd.NA
    d["rank_in_class"] = pd.NA
    ranked = d[d.in_fit]
    d.loc[ranked.index, "rank"] = ranked.attractiveness.rank(ascending=False, method="min").astype(int)
    d.loc[ranked.index, "rank_in_class"] = (
        ranked.groupby("centrality_class").attractiveness.rank(ascending=False, method="min").astype(int)
    )
    d["n"] = len(ranked)
    d["n_in_class"] = d.centrality_class.map(ranked.centrality_class.value_counts()).fillna(0).astype(int)
    d["rank"] = d["rank"].astype("Int64")
    d["rank_in_class"] = d["rank_in_class"].astype("Int64")
    cols = [
        "municipality",
        "name",
        "centrality_class",
        "population_start",
        "net_migration",
        "net_migration_pct",
        "jobs_start",
        "jobs_end",
        "job_growth_pct",
        "expected_pct",
        "attractiveness",
        "rank",
        "n",
        "rank_in_class",
        "n_in_class",
        "in_fit",
        "apportioned",
    ]
    extra = [c for c in d.columns if c not in cols and c not in ("exclude",)]
    frame = d[cols + extra].sort_values("municipality").reset_index(drop=True)
    return AttractivenessModel(
        jobs_from=jobs_from,
        jobs_to=jobs_to,
        migration_years=migration_years,
        slope=slope,
        intercept=intercept,
        r2=r2,
        n=len(ranked),
        frame=frame,
    )


def available_periods(jobs: pd.DataFrame, population_years: list[int]) -> list[tuple[int, int]]:
    """Every pair of job years ``(a, b)``, ``a < b``, for which net migration can be estimated: the
    1 January populations ``a+1 .. b+1`` are all there. Job years need not be consecutive in the data."""
    years = sorted(int(y) for y in jobs.year.unique())
    have = {int(y) for y in population_years}
    return [(a, b) for i, a in enumerate(years) for b in years[i + 1 :] if all(y in have for y in range(a + 1, b + 2))]


def job_sources(jobs: pd.DataFrame) -> dict[int, str]:
    """The source of each job year: the (most common) ``source`` a refreshed snapshot has in that year
    (``SSB 13470`` or ``bundled``), else ``""`` (the bundled snapshot does not say per row)."""
    if "source" not in jobs:
        return {int(y): "" for y in jobs.year.unique()}
    most = jobs.groupby("year")["source"].agg(lambda s: s.value_counts().index[0])
    return {int(str(y)): str(s) for y, s in most.items()}


def default_period(jobs: pd.DataFrame, periods: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The longest period whose two job years come from the same source (ties: the latest). Where the
    data do not name sources (the bundled snapshot), only periods between consecutive job years count,
    so that a change of source (2015 register → 2017 table 13470) is not the default."""
    if not periods:
        return None
    sources = job_sources(jobs)
    years = sorted(sources)
    if "source" in jobs:
        same = [p for p in periods if sources[p[0]] == sources[p[1]]]
    else:
        same = [p for p in periods if years.index(p[1]) == years.index(p[0]) + 1]
    return max(same or periods, key=lambda p: (p[1] - p[0], p[1]))


def registered_net_migration(components_annual: pd.DataFrame | None, years: range) -> pd.Series:
    """Registered net migration summed over ``years`` per municipality, from the snapshot's
    ``components_annual`` (SSB 06913/01223 after ``blilyst data refresh``): only municipalities with
    a figure for every year; empty when the snapshot has none."""
    if components_annual is None or components_annual.empty:
        return pd.Series(dtype=float)
    c = components_annual[(components_annual.component == "net_migration") & components_annual.year.isin(list(years))]
    g = c.groupby("municipality")
    complete = g.year.nunique() == len(years)
    return g.persons.sum()[complete]


def attractiveness_from_snapshot(
    period: tuple[int, int] | None = None,
    snapshot: Snapshot | None = None,
    register: Register | None = None,
    accounts: Accounts | None = None,
) -> AttractivenessModel:
    """Run the model on the snapshot for jobs ``period = (from, to)`` (default: the longest one).

    Net migration is taken over the calendar years ``from+1 .. to`` (1 January ``from+1`` to
    1 January ``to+1``), matching job counts in the fourth quarter of ``from`` and ``to``.
    """
    if snapshot is None:
        from blilyst.stats.snapshot import load_snapshot

        snapshot = load_snapshot()
    if register is None:
        from blilyst.stats.register import get_register

        register = get_register()
    from blilyst.demography.accounts import accounts_from_snapshot

    jobs = snapshot.jobs
    pop_years = sorted(int(y) for y in snapshot.population.year.unique())
    periods = available_periods(jobs, pop_years)
    if period is None:
        period = default_period(jobs, periods)
    if period is None or tuple(period) not in periods:
        raise InputError(
            "period",
            gettext("no data for jobs {period}; available: {periods}").format(
                period="–".join(map(str, period)) if period else "–", periods=", ".join(f"{a}–{b}" for a, b in periods)
            ),
        )
    a, b = (int(v) for v in period)
    mig_years = (a + 1, b)
    if accounts is None or not all(y in accounts.years for y in range(a + 1, b + 1)):
        accounts = accounts_from_snapshot(years=mig_years, snapshot=snapshot)
    tot = accounts.residual.totals()
    tot = tot[tot.year.between(a + 1, b)]
    mig = tot.groupby("municipality").agg(net_migration=("net_migration", "sum"))
    start = tot[tot.year == a + 1].set_index("municipality").population_start.rename("population_start")
    j0 = jobs[jobs.year == a].set_index("municipality")
    j1 = jobs[jobs.year == b].set_index("municipality")
    reg = register.frame().set_index("code")[["name", "centrality_class"]]
    d = reg.join(start).join(mig).join(j0.jobs.rename("jobs_start")).join(j1.jobs.rename("jobs_end"))
    appo = pd.Series(False, index=d.index)
    for frame in (j0, j1):
        if "apportioned" in frame:
            appo = appo | frame.apportioned.reindex(d.index).fillna(False).astype(bool)
    d["apportioned"] = appo
    flagged: set[str] = set()
    for f in snapshot.population_flags.to_dict("records"):
        if int(f["year_from"]) <= b and int(f["year_to"]) >= a + 1:
            flagged.add(str(f["municipality"]))
    d["exclude"] = d.index.isin(sorted(flagged)) | d[["jobs_start", "jobs_end", "net_migration"]].isna().any(axis=1)
    d = d.dropna(subset=["jobs_start", "jobs_end", "net_migration", "population_start"])
    d["net_migration_source"] = "estimated"
    registered = registered_net_migration(snapshot.components_annual, range(a + 1, b + 1))
    reg_here = d.index.intersection(registered.index)
    d.loc[reg_here, "net_migration"] = registered.reindex(reg_here).astype(float)
    d.loc[reg_here, "net_migration_source"] = "registered"
    d = d.rename_axis("municipality").reset_index()
    model = attractiveness_model(d, jobs_from=a, jobs_to=b, migration_years=mig_years)
    n_reg = int((d.net_migration_source == "registered").sum())
    model.notes = _current_structure_notes(a, b, n_reg, len(d), job_sources(jobs))
    if flagged:
        model.notes.append(
            gettext("Left out of the fit (population estimated before 2024): {codes}.").format(
                codes=", ".join(sorted(flagged))
            )
        )
    if d.apportioned.any():
        model.notes.append(
            gettext("Jobs apportioned from a split old municipality: {codes}.").format(
                codes=", ".join(sorted(d[d.apportioned].municipality))
            )
        )
    return model


def _current_structure_notes(a: int, b: int, registered: int, total: int, sources: dict[int, str]) -> list[str]:
    """The model's notes in the active language: how net migration and jobs were counted, and the method."""
    if registered == total:
        how = gettext("registered (SSB 06913/01223). Source: Statistics Norway.")
    else:
        how = gettext(
            "estimated as population growth minus estimated natural increase (residual method). "
            "Source: Statistics Norway (07459); mortality: Human Mortality Database."
        )
        if registered:
            how += " " + gettext(
                "Registered (SSB 06913/01223) for {n} municipalities with every year published."
            ).format(n=registered)
    return [
        gettext(
            "Net migration {first}–{last} (domestic and international) as a percentage of the population 1 January {first}, {how}"
        ).format(first=a + 1, last=b, how=how),
        gettext("Job growth {first}–{last}: employed persons by place of work, 4th quarter{sources}.").format(
            first=a, last=b, sources=_jobs_source_note(a, b, sources)
        ),
        gettext(
            "Attractiveness = actual minus expected net migration (percentage points); method: Telemarksforsking's "
            "attractiveness model (Vareide). Published fit 2010–2012: y = 0.2857x − 0.1412, R² 0.22."
        ),
    ]


_BUNDLED_JOB_SOURCES = {2005: "distriktstall", 2015: "distriktstall", 2017: "13470"}


def _source_text(kind: str) -> str:
    if kind == "distriktstall":
        return gettext(
            "SSB register-based employment from the 'distriktstall' data, 428 old municipalities mapped to 2024 codes"
        )
    if kind == "13470":
        return gettext("SSB table 13470")
    return gettext("bundled snapshot")


def _jobs_source_note(a: int, b: int, sources: dict[int, str]) -> str:
    """Where the job counts of years ``a`` and ``b`` come from, and whether the source changes."""
    kinds = {}
    for y in (a, b):
        src = sources.get(y, "")
        kinds[y] = "13470" if src.startswith("SSB") else _BUNDLED_JOB_SOURCES.get(y, "bundled")
    text = " (" + "; ".join(f"{y}: {_source_text(k)}" for y, k in kinds.items()) + ")"
    if kinds[a] != kinds[b]:
        text += gettext("; the source changes between the two years")
    return text


def attractiveness_old_structure(
    snapshot: Snapshot | None = None, register: Register | None = None, accounts: Accounts | None = None
) -> AttractivenessModel:
    """The 2005–2015 model on the 428 municipalities of 2016, as Telemarksforsking ran it then.

    Population growth 2006–2016 and job growth 2005–2015 are registered (distriktstall). Natural
    increase is not in those data: the *proxy* used is the estimated natural increase 2006–2015 of
    the 2024 municipality (or municipalities) the old one became part of, shared out by the old
    municipality's 2006 population (exact for the ~300 municipalities that are unchanged; a
    population-share approximation for merged ones). ``municipality`` holds the old code,
    ``current_code`` today's code with the largest weight and ``centrality_class`` its class.
    """
    if snapshot is None:
        from blilyst.stats.snapshot import load_snapshot

        snapshot = load_snapshot()
    if register is None:
        from blilyst.stats.register import get_register

        register = get_register()
    from blilyst.demography.accounts import accounts_from_snapshot

    if accounts is None or not all(y in accounts.years for y in range(2006, 2016)):
        accounts = accounts_from_snapshot(years=(2006, 2015), snapshot=snapshot)
    tot = accounts.residual.totals()
    tot = tot[tot.year.between(2006, 2015)]
    ni_new = (tot.births - tot.deaths).groupby(tot.municipality).sum()
    o = snapshot.jobs_old_structure.copy()
    o["pop_part"] = o.population_2006 * o.weight
    o["share"] = o.pop_part / o.groupby("current_code").pop_part.transform("sum")
    o["ni_part"] = o.share * o.current_code.map(ni_new)
    names = register.frame().set_index("code").name
    o["same_name"] = o.current_code.map(names).str.lower() == o.name.str.lower()
    main = (
        o.sort_values(["weight", "same_name"], ascending=False)
        .drop_duplicates("old_code")
        .set_index("old_code")
        .current_code
    )  # ties (fixed 50/50 splits) go to the namesake
    old = o.groupby("old_code").agg(
        name=("name", "first"),
        population_start=("population_2006", "first"),
        population_2016=("population_2016", "first"),
        jobs_start=("jobs_2005", "first"),
        jobs_end=("jobs_2015", "first"),
        natural_increase=("ni_part", "sum"),
    )
    old["net_migration"] = old.population_2016 - old.population_start - old.natural_increase
    old["current_code"] = main
    classes = register.frame().set_index("code").centrality_class
    old["centrality_class"] = old.current_code.map(classes)
    old["apportioned"] = False
    old["net_migration_source"] = "estimated (population growth registered, natural increase proxy)"
    # an old municipality that is the whole of a new one with registered net migration (SSB 01223 or a
    # refresh's 06913) takes the registered figure, so it reads the same in both structures
    registered = registered_net_migration(snapshot.components_annual, range(2006, 2016))
    sole = o.groupby("current_code").old_code.transform("size").eq(1) & o.weight.eq(1.0)
    whole = o[sole & o.current_code.isin(registered.index)].set_index("old_code").current_code
    old.loc[whole.index, "net_migration"] = registered.reindex(whole.to_numpy()).to_numpy(dtype=float)
    old.loc[whole.index, "net_migration_source"] = "registered"
    d = old.rename_axis("municipality").reset_index()
    model = attractiveness_model(d, jobs_from=2005, jobs_to=2015, migration_years=(2006, 2015))
    model.notes = [
        gettext(
            "428 municipalities of 2016. Population growth 1 January 2006–2016 and jobs by place of work 2005–2015: "
            "distriktstall base data (SSB)."
        ),
        gettext(
            "Net migration = population growth minus a natural-increase proxy: the estimated natural increase "
            "2006–2015 of today's municipality, shared by 2006 population (estimated); registered (SSB 01223/06913) "
            "for {n} unchanged municipalities."
        ).format(n=int((old.net_migration_source == "registered").sum())),
        gettext(
            "Centrality class: SSB Klass 128 of today's municipality. Method: Telemarksforsking's attractiveness model."
        ),
    ]
    return model
