"""Named projection scenarios for a municipality (or all 357), explained in plain words (gettext: nb, nn, en).

Every scenario starts from the latest 1 January population in the snapshot and uses the rate
schedules of :mod:`blilyst.demography.rates` (national mortality with continued improvement,
national fertility scaled to the municipality's own level, residual net migration rates by sex
and age). They differ in how migration (and for low/high, fertility and mortality) is set:

``trend``, ``trend5``
    Net migration rates by sex and age of the last 10 (5) years continued.
``zero-migration``
    No migration at all: the population's own births and deaths only.
``no-immigration``
    Domestic moves as in the trend, but net international migration set to zero (the trend rates
    minus the national net migration rates, which are all international).
``low``, ``high``
    Fertility -/+10 %, mortality improvement x0.5/x1.5, and net migration one standard deviation
    of the municipality's annual net migration below/above the trend.
``housing-led``
    A dwelling plan (new dwellings a year) and household headship rates give the households the
    municipality can house; migration adjusts each year so that households match dwellings.
``employment-led``
    A jobs path, participation rates, commuting and unemployment give the labour force needed;
    migration adjusts each year so that the resident labour force matches it.
``target-seeking``
    Solves for the extra net in-migration each year, by age (the age profile of in-movers), that
    keeps the population aged 20-66 at its base-year level (or reaches a target population).
``stochastic``
    Monte Carlo intervals (80 % and 95 %) around the trend; see :mod:`blilyst.demography.stochastic`.

The solvers (housing, employment, target) use that the engine is affine in extra migrants: one
step with ``k`` extra migrants distributed by the profile ``g`` gives ``P(k) = P(0) + k (P(1) - P(0))``,
so ``k`` solving a linear constraint ``c . P(k) = target`` is found exactly from two steps.
This is the "constrained" (dwelling-led, employment-led) projection of local-authority tools such
as POPGROUP, where migration is the component that adjusts to a planning constraint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from blilyst.arrays import ArrayLike
from blilyst.axes import AGES, MAX_AGE, N_AGES, SEXES, WORKING_AGE
from blilyst.demography.commuting import local_shares
from blilyst.demography.inmigrants import (
    ALL_REGISTERED,
    CENTRALITY,
    COUNTY,
    MODEL,
    OWN,
    InMigrantProfile,
    in_migrant_profile,
    in_migrant_profiles,
)
from blilyst.demography.international import (
    GROWTH_FLAG_LIMIT,
    NationalLevel,
    growth_flags,
    international_counts,
    national_history,
    national_level,
)
from blilyst.demography.projection import EngineResult, advance, project
from blilyst.demography.rates import RateSchedule, estimate_rates
from blilyst.demography.scenario_options import (
    EmploymentOptions,
    HousingOptions,
    ScenarioOptions,
    StochasticOptions,
    TargetOptions,
    TrendOptions,
    check_options,
)
from blilyst.demography.workforce import workforce_measures
from blilyst.errors import InputError, NegativePopulation
from blilyst.i18n import N_, format_number, format_percent, ngettext_noop, normalise, override
from blilyst.i18n import gettext as _
from blilyst.notes import Listing, Note, Number, Percent, Series, Value

if TYPE_CHECKING:
    from blilyst.demography.assumptions import AssumptionSet
    from blilyst.stats.snapshot import Snapshot

__all__ = [
    "AGE_GROUPS",
    "SCENARIOS",
    "ProjectionResult",
    "Scenario",
    "default_headship",
    "default_participation",
    "run_scenario",
    "scenario_table",
]


@dataclass(frozen=True)
class Scenario:
    """A named scenario; its title and description are English message ids, read in the active language."""

    name: str
    title_id: str
    description_id: str

    @property
    def title(self) -> str:
        return _(self.title_id)

    @property
    def description(self) -> str:
        return _(self.description_id)

    def text(self, lang: str | None = None) -> str:
        with override(lang):
            return _("{title}: {description}").format(title=self.title, description=self.description)


def _s(name: str, title: str, description: str) -> Scenario:
    return Scenario(name, title, description)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        _s(
            "trend",
            N_("Trend (10 years)"),
            N_(
                "Migration as in the last ten years continues: the same share moves in and out at each age as "
                "before. Fertility stays at the municipality's own level and life expectancy keeps rising as in the "
                "last 20 years."
            ),
        ),
        _s(
            "trend5",
            N_("Trend (5 years)"),
            N_("As trend, but the migration pattern is taken from the last five years only."),
        ),
        _s(
            "zero-migration",
            N_("Zero migration"),
            N_("Nobody moves in or out. Shows what births and deaths alone do to the population."),
        ),
        _s(
            "no-immigration",
            N_("No net immigration"),
            N_(
                "Moves within Norway as in the trend, but immigration and emigration cancel out. Shows how much the "
                "municipality depends on immigration."
            ),
        ),
        _s(
            "low",
            N_("Low"),
            N_(
                "Lower fertility (10 % below), slower gains in life expectancy and net migration as in the weakest "
                "five years in a row in the period."
            ),
        ),
        _s(
            "high",
            N_("High"),
            N_(
                "Higher fertility (10 % above), faster gains in life expectancy and net migration as in the "
                "strongest five years in a row in the period."
            ),
        ),
        _s(
            "housing-led",
            N_("Housing-led"),
            N_(
                "The dwelling plan decides: each year's new dwellings make room for as many households, and "
                "migration adjusts so that households fill the dwellings."
            ),
        ),
        _s(
            "employment-led",
            N_("Employment-led"),
            N_(
                "The jobs target decides: given participation, commuting and unemployment a certain labour force is "
                "needed, and migration adjusts so that it lives in the municipality."
            ),
        ),
        _s(
            "target-seeking",
            N_("Target-seeking"),
            N_(
                "Works out how many more in-migrants the municipality needs each year, and at what ages, to keep the "
                "number aged 20–66 stable (or to reach a population target)."
            ),
        ),
        _s(
            "stochastic",
            N_("Uncertainty (stochastic)"),
            N_(
                "The trend is run many times with random variation in fertility, mortality and migration as they "
                "have varied before, including lasting local and national shifts in migration. Gives intervals the "
                "population falls in with 80 % and 95 % probability; checked against what actually happened "
                "2016–2026."
            ),
        ),
    ]
}

# The names of the assumptions in a result's notes (the keys of ``ProjectionResult.assumptions``), marked for
# translation here and translated when the notes are shown (``assumption_label``).
ASSUMPTION_NAMES = (
    N_("mortality"),
    N_("fertility"),
    N_("sex ratio at birth"),
    N_("migration"),
    N_("extra migrants"),
    N_("target not reached"),
    N_("headship"),
    N_("dwellings"),
    N_("jobs"),
    N_("labour force"),
    N_("target"),
    N_("stochastic fertility"),
    N_("stochastic mortality"),
    N_("stochastic migration"),
    N_("simulations"),
)
# How a result for several municipalities says where each one's in-migrant ages come from (a count per scope).
PROFILE_SCOPES = {
    OWN: ngettext_noop("{n} from its own in-migrants", "{n} from their own in-migrants"),
    COUNTY: ngettext_noop("{n} from its county", "{n} from their counties"),
    CENTRALITY: ngettext_noop("{n} from its centrality class", "{n} from their centrality classes"),
    ALL_REGISTERED: ngettext_noop("{n} from all registered in-migrants", "{n} from all registered in-migrants"),
    MODEL: ngettext_noop("{n} from a model schedule", "{n} from a model schedule"),
}
# An assumptions file's lines are keyed "user file 1", "user file 2", ...
USER_FILE_KEY = "user file "


def assumption_label(key: str, lang: str | None = None) -> str:
    """The name of the assumption ``key`` (a key of ``ProjectionResult.assumptions``) in ``lang``."""
    with override(lang):
        if key.startswith(USER_FILE_KEY):
            return _("user file {number}").format(number=key.removeprefix(USER_FILE_KEY))
        return _(key)


def _and_then(assumption: Note, addition: Value) -> Note:
    """``assumption`` with a clause added (a low/high shift, net immigration taken out)."""
    return Note.of(N_("{assumption}, {addition}"), assumption=assumption, addition=addition)


AGE_GROUPS: list[tuple[str, int, int]] = [
    ("0-19", 0, 19),
    ("20-24", 20, 24),
    ("25-39", 25, 39),
    ("40-54", 40, 54),
    ("55-66", 55, 66),
    ("67+", 67, MAX_AGE),
]

# Participation in the labour force by age (approximate levels of SSB's Labour Force Survey, AKU,
# table 13618, 2023; an assumption users should replace with their own).
_PARTICIPATION = [
    (15, 19, 0.38),
    (20, 24, 0.72),
    (25, 29, 0.84),
    (30, 54, 0.88),
    (55, 61, 0.80),
    (62, 66, 0.56),
    (67, 69, 0.25),
    (70, 74, 0.10),
]
# Household headship shape by age (probability of being the reference person of a private household);
# scaled so that Norway has 2.1 persons per private household (SSB, household statistics 06070, 2023).
_HEADSHIP_SHAPE = [(18, 19, 0.10), (20, 24, 0.40), (25, 29, 0.52), (30, 66, 0.55), (67, 79, 0.62), (80, MAX_AGE, 0.72)]
PERSONS_PER_HOUSEHOLD = 2.1


def _by_age(spec: list[tuple[int, int, float]]) -> np.ndarray:
    out = np.zeros(N_AGES)
    for lo, hi, v in spec:
        out[lo : hi + 1] = v
    return out


def default_participation() -> np.ndarray:
    """Labour force participation by single age (0..105), both sexes."""
    return _by_age(_PARTICIPATION)


def default_headship(national_population: np.ndarray | None = None) -> np.ndarray:
    """Headship rates by single age, scaled to 2.1 persons per household for ``national_population`` (2, 106)."""
    shape = _by_age(_HEADSHIP_SHAPE)
    if national_population is None:
        return shape
    by_age = np.asarray(national_population).sum(axis=0)
    scale = by_age.sum() / PERSONS_PER_HOUSEHOLD / (shape @ by_age)
    scaled: np.ndarray = shape * scale
    return scaled


def scenario_table(lang: str | None = None) -> pd.DataFrame:
    """All scenarios with their title and plain-language explanation in ``lang`` (default: the active language)."""
    try:
        code = normalise(lang)  # override() checks only when entered, outside this try
    except ValueError:
        raise InputError(
            "lang", _("'{lang}' is not a language blilyst writes; use nb, nn or en").format(lang=lang)
        ) from None
    with override(code):
        return pd.DataFrame(
            [{"scenario": s.name, "title": s.title, "description": s.description} for s in SCENARIOS.values()]
        )


@dataclass
class ProjectionResult:
    """A scenario's projection with its labels and provenance.

    ``population`` (T+1, R, 2, 106) on 1 January of ``years``; ``engine`` holds the flows;
    ``extra_migrants`` (T, R) the migrants a constrained scenario solved for (else None).
    ``assumptions`` (by key, see ``assumption_label``), ``sources`` and ``estimated`` are notes worded when
    they are shown (a result is cached and read in any language): ``notes(lang)``, ``assumption_texts(lang)``.
    """

    scenario: Scenario
    codes: list[str]
    names: list[str]
    years: list[int]
    population: np.ndarray
    engine: EngineResult | None
    assumptions: dict[str, Note]
    sources: list[Note]
    estimated: list[Note]
    extra_migrants: np.ndarray | None = None
    profile: np.ndarray | None = None
    intervals: pd.DataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_year(self) -> int:
        return self.years[0]

    @property
    def base_status(self) -> str:
        """``registered``, or ``user file`` when an assumptions file gave the base population."""
        return str(self.extra.get("base_status", "registered"))

    def frame(self) -> pd.DataFrame:
        """Long frame: municipality, name, year, sex, age, population, status (registered/projected)."""
        R = len(self.codes)
        idx = pd.MultiIndex.from_product(
            [self.years, range(R), SEXES, AGES.tolist()], names=["year", "r", "sex", "age"]
        )
        out = pd.DataFrame({"population": self.population.reshape(-1)}, index=idx).reset_index()
        out.insert(0, "municipality", np.asarray(self.codes, dtype=object)[out.pop("r").to_numpy()])
        out.insert(1, "name", out["municipality"].map(dict(zip(self.codes, self.names, strict=False))))
        out["status"] = np.where(out["year"] == self.base_year, self.base_status, "projected")
        return out

    def age_groups(self, width: int = 5, top: int = 90) -> pd.DataFrame:
        """Population by municipality, year and age group (``width``-year groups, ``top``+ open), both
        sexes and each: columns municipality, name, year, age_group, male, female, total."""
        if width < 1 or top % width or not 0 < top <= MAX_AGE:
            raise InputError("width", _("give a group width that divides {top}").format(top=top))
        edges = [*list(range(0, top, width)), top]
        labels = [f"{a}-{a + width - 1}" for a in edges[:-1]] + [f"{top}+"]
        Y, R = len(self.years), len(self.codes)
        groups = np.stack(
            [self.population[..., lo : lo + width].sum(axis=-1) for lo in edges[:-1]]
            + [self.population[..., top:].sum(axis=-1)],
            axis=-1,
        )  # (Y, R, 2, G)
        G = len(labels)
        out = pd.DataFrame(
            {
                "municipality": np.tile(np.repeat(np.asarray(self.codes, dtype=object), G), Y),
                "name": np.tile(np.repeat(np.asarray(self.names, dtype=object), G), Y),
                "year": np.repeat(np.asarray(self.years), R * G),
                "age_group": np.tile(np.asarray(labels, dtype=object), Y * R),
                "male": groups[:, :, 0, :].reshape(-1),
                "female": groups[:, :, 1, :].reshape(-1),
            }
        )
        out["total"] = out["male"] + out["female"]
        return out

    def summary(self) -> pd.DataFrame:
        """One row per municipality and year: totals, age groups, old-age dependency, those reaching
        20 and 67, and the flows of the year that starts on that 1 January (births, deaths, net migration)."""
        Y, R = len(self.years), len(self.codes)
        m = workforce_measures(self.population)
        out = pd.DataFrame(
            {
                "municipality": np.tile(np.asarray(self.codes, dtype=object), Y),
                "name": np.tile(np.asarray(self.names, dtype=object), Y),
                "year": np.repeat(np.asarray(self.years), R),
            }
        )
        for key in (
            "population",
            "age_0_19",
            "working_age",
            "age_67_plus",
            "age_80_plus",
            "old_age_dependency",
            "reaching_20",
            "reaching_67",
        ):
            out[key] = m[key].reshape(-1)
        if self.engine is not None:
            for key, arr in (
                ("births", self.engine.births.sum(axis=2)),
                ("deaths", self.engine.deaths.sum(axis=(2, 3))),
                ("net_migration", self.engine.net_migration.sum(axis=(2, 3))),
            ):
                full = np.full((Y, R), np.nan)
                full[:-1] = arr
                out[key] = full.reshape(-1)
        if self.extra_migrants is not None:
            full = np.full((Y, R), np.nan)
            full[:-1] = self.extra_migrants
            out["extra_migrants"] = full.reshape(-1)
        out["status"] = np.where(out["year"] == self.base_year, self.base_status, "projected")
        return out

    def extra_by_age_group(self) -> pd.DataFrame | None:
        """Average extra migrants a year by age group (constrained scenarios), per municipality."""
        if self.extra_migrants is None or self.profile is None:
            return None
        profiles = np.broadcast_to(self.profile, (len(self.codes), *self.profile.shape[-2:]))
        rows = []
        for r, code in enumerate(self.codes):
            by_age = profiles[r].sum(axis=0)
            mean = float(self.extra_migrants[:, r].mean())
            for label, lo, hi in AGE_GROUPS:
                rows.append(
                    {
                        "municipality": code,
                        "name": self.names[r],
                        "age_group": label,
                        "extra_migrants_per_year": mean * by_age[lo : hi + 1].sum(),
                    }
                )
        return pd.DataFrame(rows)

    def headline(self, lang: str | None = None) -> list[str]:
        """The plain sentences a planner quotes (target-seeking, housing-led, employment-led)."""
        groups = self.extra_by_age_group()
        if self.extra_migrants is None or groups is None:
            return []
        lines = []
        with override(lang):
            for r, code in enumerate(self.codes):
                mean = float(self.extra_migrants[:, r].mean())
                g = groups[groups["municipality"] == code].set_index("age_group")["extra_migrants_per_year"]
                top = g.drop("0-19").idxmax() if mean >= 0 else g.drop("0-19").idxmin()
                share = g[top] / mean if mean else 0.0
                n = abs(round(mean))
                goal = _(self.extra["goal"]).format(**self.extra.get("goal_values", {})) if "goal" in self.extra else ""
                fields = {"name": self.names[r], "n": n, "goal": goal, "ages": top, "share": format_percent(share)}
                if mean >= 0:
                    line = _(
                        "{name}: you need about {n} more in-migrants a year than the trend gives {goal}, mostly "
                        "aged {ages} ({share}), with the children they bring."
                    ).format(**fields)
                else:
                    line = _(
                        "{name}: you need about {n} fewer in-migrants a year than the trend gives {goal}, mostly "
                        "aged {ages} ({share}), with the children they bring."
                    ).format(**fields)
                if code in self.extra.get("missed", {}):
                    line += " " + _("Even so, the target is not reached.")
                infos = self.extra.get("profile_infos")
                info = infos[r] if isinstance(infos, list) and len(infos) == len(self.codes) else None
                info = info if info is not None else self.extra.get("profile_info")
                if isinstance(info, InMigrantProfile):
                    line += " " + _("The ages are those of {source}.").format(source=info.describe())
                lines.append(line)
        return lines

    def national_notes(self, lang: str | None = None) -> list[str]:
        """The national immigration assumption and the municipalities whose trend grows fast enough to
        flag, as sentences in ``lang``."""
        from blilyst.i18n import format_percent, gettext, override

        lines = []
        with override(lang):
            level = self.extra.get("national_level")
            if level is not None:
                lines.append(gettext("Net immigration to Norway: {level}.").format(level=level.describe(lang)))
            totals = self.population.sum(axis=(2, 3))
            horizon = min(20, len(self.years) - 1)
            for code in self.extra.get("growth_flags", []):
                r = self.codes.index(code)
                growth = totals[horizon, r] / max(totals[0, r], 1.0) - 1.0
                lines.append(
                    gettext(
                        "Flag: {name} grows {growth} in {years} years in this projection, more than {limit}. "
                        "It carries the growth of {first}-{last} on at full speed; check it against "
                        "housing plans and land before using it."
                    ).format(
                        name=self.names[r],
                        growth=format_percent(growth, 0, lang),
                        years=horizon,
                        limit=format_percent(GROWTH_FLAG_LIMIT, 0, lang),
                        first=self.extra.get("history_first", self.base_year - 10),
                        last=self.extra.get("history_last", self.base_year - 1),
                    )
                )
        return lines

    def assumption_texts(self, lang: str | None = None) -> dict[str, str]:
        """Each assumption's name and sentence in ``lang`` (default: the active language)."""
        with override(lang):
            return {assumption_label(key): note.word() for key, note in self.assumptions.items()}

    def source_texts(self, lang: str | None = None) -> list[str]:
        """The sources of the figures in ``lang``."""
        return [note.word(lang) for note in self.sources]

    def estimated_texts(self, lang: str | None = None) -> list[str]:
        """What is estimated, in ``lang``."""
        return [note.word(lang) for note in self.estimated]

    def notes(self, lang: str | None = None) -> list[str]:
        """Base year, scenario and its assumptions, sources and what is estimated: for every output."""
        with override(lang):
            if self.base_status == "registered":
                base = _("registered population")
            else:
                base = _("population from {source}").format(source=self.extra.get("base_source", _("the user file")))
            first = _("Base year: 1 January {base_year} ({base}); projected to 1 January {last_year}.").format(
                base_year=self.base_year, base=base, last_year=self.years[-1]
            )
            scenario = _("Scenario “{title}”: {description}").format(
                title=self.scenario.title, description=self.scenario.description
            )
            lines = [first, scenario]
            lines += [
                _("Assumption: {what}: {value}").format(what=label, value=text)
                for label, text in self.assumption_texts().items()
            ]
            lines += self.national_notes()
            lines += [_("Source: {source}").format(source=text) for text in self.source_texts()]
            lines += [_("Estimated: {what}").format(what=text) for text in self.estimated_texts()]
            lines += self.headline()
        return lines


# ------------------------------------------------------------------------------------------ runner


# SSB's long-run ratio of boys to girls at birth, used where the data have no births by sex.
DEFAULT_SRB = 1.055


def sex_ratio_at_birth(snapshot: Snapshot) -> tuple[float, Note]:
    """Boys per girl born over the last ten years of births in the data, and where that came from.

    Without births of both sexes (a local snapshot may have none) SSB's long-run ratio is used and the
    returned source says so."""
    b = snapshot.births
    if len(b):
        recent = b[b["year"] >= b["year"].max() - 9]
        tot = recent.groupby("sex")["births"].sum()
        if tot.get("male", 0) > 0 and tot.get("female", 0) > 0:
            y0, y1 = int(recent["year"].min()), int(recent["year"].max())
            return float(tot["male"] / tot["female"]), Note.of(
                N_("registered births {first}–{last}"), first=y0, last=y1
            )
    return DEFAULT_SRB, Note.of(N_("SSB's long-run ratio (the data have no births by sex)"))


def migrant_profile(snapshot: Snapshot, codes: Sequence[str] | None = None) -> tuple[np.ndarray, str]:
    """Age profile of in-migrants, (2, 106) summing to 1, by age at the end of the year, and its source.

    For one municipality its own registered in-migrants, else its county's, else its centrality class's,
    else all registered ones (:func:`blilyst.demography.inmigrants.in_migrant_profile`); for several, all
    registered in-migrants in the data (a scenario run of several gives each municipality its own nearest
    profile instead, :func:`blilyst.demography.inmigrants.in_migrant_profiles`); without any, a Rogers-Castro
    model schedule.
    """
    info = migrant_profile_info(snapshot, codes)
    return info.by_age, info.source()


def migrant_profile_info(snapshot: Snapshot, codes: Sequence[str] | None = None) -> InMigrantProfile:
    """:func:`migrant_profile` with where the profile comes from (scope, municipalities, years)."""
    from blilyst.stats.register import get_register

    one = codes[0] if codes is not None and len(codes) == 1 else None
    return in_migrant_profile(snapshot.migration_by_age, one, get_register())


def _trend_inputs(
    rs: RateSchedule, steps: int, *, fert_level: float = 1.0, improve: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    return rs.survival(steps, improve=improve), rs.fertility(steps, level=fert_level)


def _migration_range(rs: RateSchedule, span: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest ``span``-year mean of the annual net migration rate (per person) in the
    window, minus the window mean: how far a sustained low or high period has been from the trend."""
    pop = rs.extra["pop_history"][:-1].sum(axis=(2, 3))
    rates = rs.migration_history / np.maximum(pop, 1.0)
    mean = np.nanmean(rates, axis=0)
    rates = np.where(np.isnan(rates), mean[None], rates)  # flagged (estimated) years count as average
    if rates.shape[0] < span:
        return np.zeros_like(mean), np.zeros_like(mean)
    kernel = np.ones(span) / span
    rolling = np.apply_along_axis(lambda x: np.convolve(x, kernel, mode="valid"), 0, rates)
    return rolling.min(axis=0) - mean, rolling.max(axis=0) - mean


def _solve_constrained(
    rs: RateSchedule,
    steps: int,
    surv: np.ndarray,
    fert: np.ndarray,
    srb: float,
    base_rates: np.ndarray,
    profile: np.ndarray,
    weights: np.ndarray,
    targets: np.ndarray,
    base_counts: np.ndarray | None = None,
) -> tuple[EngineResult, np.ndarray]:
    """Year by year, the extra migrants ``k[t, r]`` (distributed by ``profile``, ``(2, A)`` or one per
    region ``(R, 2, A)``) so that
    ``sum(weights * P(t+1)) == targets[t, r]``, on top of ``base_rates`` (on the start cohorts) and
    ``base_counts`` ``(T, R, 2, A)`` (the national immigration handed out, if any)."""
    R = len(rs.codes)
    pop = np.empty((steps + 1, R, 2, N_AGES))
    pop[0] = rs.base
    births = np.empty((steps, R, 2))
    deaths = np.empty((steps, R, 2, N_AGES))
    inflow = np.zeros((steps, R, 2, N_AGES))
    outflow = np.zeros((steps, R, 2, N_AGES))
    k_all = np.empty((steps, R))
    girls = np.full(R, 1.0 / (1.0 + srb))
    from blilyst.demography.projection import _cohort_base

    prof = np.broadcast_to(profile, (R, 2, N_AGES))
    for t in range(steps):
        P = pop[t]
        trend_net = base_rates * _cohort_base(P)
        if base_counts is not None:
            trend_net = trend_net + base_counts[t]
        st = surv[t]
        p0, _births0, _deaths0 = advance(P, trend_net, st, fert[t], girls, timing="cohort", with_deaths=False, step=t)
        p1, _births1, _deaths1 = advance(
            P, trend_net + prof, st, fert[t], girls, timing="cohort", with_deaths=False, step=t
        )
        c0 = np.einsum("rsa,sa->r", p0, weights)
        c1 = np.einsum("rsa,sa->r", p1, weights)
        k = (targets[t] - c0) / np.where(np.abs(c1 - c0) > 1e-12, c1 - c0, np.nan)
        k = np.nan_to_num(k)
        # never let a cohort lose more than a quarter of its members by migration in one year (the
        # floor of the trend rates too); in extreme cases the target is then missed slightly
        cohort = _cohort_base(P)
        net = np.maximum(trend_net + k[:, None, None] * prof, -0.25 * cohort)
        end, b, d = advance(P, net, st, fert[t], girls, timing="cohort", step=t)
        pop[t + 1], births[t], k_all[t] = end, b, k
        if d is not None:
            deaths[t] = d
        inflow[t] = np.maximum(net, 0)
        outflow[t] = np.maximum(-net, 0)
    return EngineResult(pop, births, deaths, inflow, outflow), k_all


def run_scenario(
    municipalities: str | list[str] | None,
    scenario: str = "trend",
    years: int = 20,
    options: ScenarioOptions | None = None,
    *,
    snapshot: Snapshot | None = None,
    rates: RateSchedule | None = None,
) -> ProjectionResult:
    """Project ``municipalities`` (codes; None = all 357) ``years`` years ahead under ``scenario``.

    ``options`` is the options object of the scenario's kind (see
    :mod:`blilyst.demography.scenario_options`; :func:`~blilyst.demography.scenario_options.options_for`
    builds it from keyword arguments); the defaults when it is left out. ``rates`` reuses a
    :class:`RateSchedule` already estimated for the same window.
    """
    if scenario not in SCENARIOS:
        raise InputError(
            "scenario",
            _("unknown scenario '{scenario}'; choose one of {choices}").format(
                scenario=scenario, choices=", ".join(SCENARIOS)
            ),
        )
    if not isinstance(years, (int, np.integer)) or not 1 <= years <= 100:
        raise InputError(
            "years", _("must be a whole number of years between 1 and 100; got {value}").format(value=repr(years))
        )
    opts = check_options(scenario, options)
    aset = _assumption_set(opts)
    if aset is not None and municipalities is None:
        municipalities = aset.regions
    if snapshot is None:
        from blilyst.stats.snapshot import load_snapshot

        snapshot = load_snapshot()
    codes = [municipalities] if isinstance(municipalities, str) else municipalities
    window = opts.window if opts.window is not None else (5 if scenario == "trend5" else 10)
    if scenario == "stochastic" and isinstance(window, (int, np.integer)) and window < 3:
        raise InputError(
            "window",
            _(
                "the stochastic scenario measures the year-to-year spread of migration and needs at least 3 trend "
                "years; got {value}"
            ).format(value=window),
        )
    rs = (
        rates
        if rates is not None
        else estimate_rates(codes, window=window, snapshot=snapshot, base_year=opts.base_year)
    )
    run = _Run(scenario, rs, int(years), snapshot)
    if isinstance(opts, StochasticOptions):
        return run.stochastic(opts)
    if isinstance(opts, (HousingOptions, EmploymentOptions, TargetOptions)):
        return run.constrained(opts)
    return run.trend(cast(TrendOptions, opts), aset)


def _mortality_levels(rs: RateSchedule) -> np.ndarray:
    """Each region's mortality level relative to the national rates (1 where none was estimated)."""
    return np.ones(len(rs.codes)) if rs.mortality_factor is None else rs.mortality_factor


def _assumption_set(options: ScenarioOptions) -> AssumptionSet | None:
    """The user's assumptions file of a trend-type run, read and checked (None without one)."""
    if not isinstance(options, TrendOptions) or options.assumptions is None:
        return None
    from blilyst.demography.assumptions import AssumptionSet, read_assumptions

    given = options.assumptions
    return given if isinstance(given, AssumptionSet) else read_assumptions(given)


class _Run:
    """One scenario run's shared inputs: the rates, the sex ratio at birth, the in-migrant profile and
    the plain-language assumptions every result carries."""

    def __init__(self, scenario: str, rs: RateSchedule, steps: int, snapshot: Snapshot):
        self.scenario = SCENARIOS[scenario]
        self.rs = rs
        self.steps = steps
        self.snapshot = snapshot
        self.srb, srb_source = sex_ratio_at_birth(snapshot)
        self.profile_info = migrant_profile_info(snapshot, rs.codes)
        self.profile, self.profile_note = self.profile_info.by_age, self.profile_info.note()
        self.profile_infos = [self.profile_info]
        if len(rs.codes) > 1:
            # several municipalities: each its own nearest in-migrant ages, not one pooled profile
            from blilyst.stats.register import get_register

            self.profile_infos = in_migrant_profiles(snapshot.migration_by_age, rs.codes, get_register())
            self.profile = np.stack([info.by_age for info in self.profile_infos])
            scopes = sorted({info.scope for info in self.profile_infos})
            self.profile_note = Note.of(
                N_("each municipality's nearest registered in-migrants ({counts})"),
                counts=Listing(
                    tuple(
                        Note.counted(PROFILE_SCOPES[scope], sum(i.scope == scope for i in self.profile_infos))
                        for scope in scopes
                    )
                ),
            )
        self.years = list(range(rs.base_year, rs.base_year + steps + 1))
        self.history = {"first": rs.history_years[0], "last": rs.history_years[-1]}
        self.assumptions: dict[str, Note] = {
            "mortality": self._mortality_note(),
            "fertility": self._fertility_note(),
            "sex ratio at birth": Note.of(
                N_("{ratio} boys per girl ({source})"), ratio=Number(self.srb, 3), source=srb_source
            ),
            "migration": Note.of(N_("net migration rates by sex and age, {first}–{last}"), **self.history),
        }
        self.estimated = list(rs.estimated)

    def _mortality_note(self) -> Note:
        return Note.of(
            N_(
                "national death rates {year} (HMD), falling at each age's 20-year average rate, times the "
                "municipality's own level ({levels})"
            ),
            year=self.rs.mx_year,
            levels=Series.of(_mortality_levels(self.rs), lambda k: Number(k, 2)),
        )

    def _fertility_note(self) -> Note:
        return Note.of(
            N_("national age pattern, the municipality's own level (TFR {tfr})"),
            tfr=Series.of(self.rs.tfr(), lambda t: Number(t, 2)),
        )

    def result(self, population: np.ndarray, engine: EngineResult | None, **more: Any) -> ProjectionResult:
        rs = self.rs
        return ProjectionResult(
            scenario=self.scenario,
            codes=rs.codes,
            names=rs.names,
            years=self.years,
            population=population,
            engine=engine,
            assumptions=self.assumptions,
            sources=list(rs.sources),
            estimated=self.estimated,
            **more,
        )

    def stochastic(self, opts: StochasticOptions) -> ProjectionResult:
        from blilyst.demography.stochastic import simulate

        rs, steps = self.rs, self.steps
        mig, intl_counts = rs.migration_rate, None
        extra: dict[str, Any] = {}
        domestic, share, intl_profile = rs.domestic_rate, rs.international_share, rs.international_profile
        if domestic is not None and share is not None and intl_profile is not None:
            # centred on the trend: domestic rates plus the national immigration assumption (its default level)
            level = _national_level(rs, self.snapshot, steps, "trend")
            mig, intl_counts = domestic, international_counts(level, share, intl_profile)
            extra["national_level"] = level
        sim = simulate(
            rs,
            steps,
            simulations=opts.simulations,
            seed=opts.seed,
            srb=self.srb,
            profile=self.profile,
            net_rates=mig,
            international=intl_counts,
        )
        det = project(
            rs.base,
            *_trend_inputs(rs, steps),
            steps,
            srb=self.srb,
            net_migration=intl_counts,
            net_migration_rates=mig,
            migration_timing="cohort",
        )
        self.assumptions.update(sim.assumptions)
        return self.result(det.population, det, intervals=sim.frame(rs.codes, rs.names, self.years), extra=extra)

    def constrained(self, opts: HousingOptions | EmploymentOptions | TargetOptions) -> ProjectionResult:
        rs, steps = self.rs, self.steps
        surv, fert = _trend_inputs(rs, steps)
        if isinstance(opts, HousingOptions):
            weights, targets, goal = _housing_constraint(opts, rs, steps, self.snapshot, self.assumptions)
        elif isinstance(opts, EmploymentOptions):
            weights, targets, goal = _employment_constraint(opts, rs, steps, self.snapshot, self.assumptions)
        else:
            weights, targets, goal = _target_constraint(opts, rs, steps, self.assumptions)
        base_rates, base_counts, level = rs.migration_rate, None, None
        domestic, share, intl_profile = rs.domestic_rate, rs.international_share, rs.international_profile
        if domestic is not None and share is not None and intl_profile is not None:
            # the same starting point as the trend: domestic moves from the municipality's history,
            # immigration a national assumption (its default level) handed out by population share
            level = _national_level(rs, self.snapshot, steps, "trend")
            base_rates, base_counts = domestic, international_counts(level, share, intl_profile)
            self.assumptions["migration"] = Note.of(
                N_(
                    "domestic net migration rates by sex and age, {first}–{last}, balanced to zero over Norway; net "
                    "immigration a national assumption handed out by population share ({level}); then the extra "
                    "migrants below"
                ),
                level=level.note(),
                **self.history,
            )
        eng, k = _solve_constrained(
            rs, steps, surv, fert, self.srb, base_rates, self.profile, weights, targets, base_counts
        )
        self.assumptions["extra migrants"] = Note.of(
            N_("solved each year; age profile: {profile}"), profile=self.profile_note
        )
        missed = _missed_targets(eng.population, weights, targets, rs.codes)
        if missed:
            misses = [
                Note.of(
                    N_("{name} {year}: {got} against {want}"),
                    name=rs.names[rs.codes.index(c)],
                    year=rs.base_year + y,
                    got=Number(got),
                    want=Number(want),
                )
                for c, (y, got, want) in missed.items()
            ]
            self.assumptions["target not reached"] = Note.of(
                N_(
                    "{misses} (out-migration is capped at a quarter of each cohort a year, so the target is out of "
                    "reach)"
                ),
                misses=Series(tuple(misses[:5]), more=len(misses) > 5),
            )
        return self.result(
            eng.population,
            eng,
            extra_migrants=k,
            profile=self.profile,
            extra={
                "goal": goal[0],
                "goal_values": goal[1],
                "missed": missed,
                "profile_info": self.profile_info,
                "profile_infos": self.profile_infos,
                **({"national_level": level} if level is not None else {}),
            },
        )

    def trend(self, opts: TrendOptions, aset: AssumptionSet | None) -> ProjectionResult:
        rs, steps, name = self.rs, self.steps, self.scenario.name
        fert_level, improve, mig = 1.0, 1.0, rs.migration_rate
        intl_counts: np.ndarray | None = None
        level: NationalLevel | None = None
        domestic, share, intl_profile = rs.domestic_rate, rs.international_share, rs.international_profile
        if name in _NATIONAL_IMMIGRATION and domestic is not None and share is not None and intl_profile is not None:
            choice = "zero" if name == "no-immigration" else opts.international
            level = _national_level(rs, self.snapshot, steps, choice)
            mig = domestic
            intl_counts = international_counts(level, share, intl_profile)
            self.assumptions["migration"] = Note.of(
                N_(
                    "domestic net migration rates by sex and age, {first}–{last}, balanced to zero over Norway; net "
                    "immigration a national assumption handed out by population share"
                ),
                **self.history,
            )
        if name == "zero-migration":
            mig = np.zeros_like(rs.migration_rate)
            self.assumptions["migration"] = Note.of(N_("no migration"))
        elif name == "no-immigration" and level is None:
            nat = _national_rate_schedule(rs, self.snapshot)
            mig = rs.migration_rate - nat[None]
            self.assumptions["migration"] = _and_then(
                self.assumptions["migration"],
                Note.of(N_("minus the national net migration rates (net immigration set to zero)")),
            )
        elif name in ("low", "high"):
            fert_level, improve, mig = self._low_high(name == "low", mig)
        surv, fert = _trend_inputs(rs, steps, fert_level=fert_level, improve=improve)
        if aset is None:
            extra: dict[str, Any] = {}
            eng = project(
                rs.base,
                surv,
                fert,
                steps,
                srb=self.srb,
                net_migration_rates=mig,
                net_migration=intl_counts,
                migration_timing="cohort",
            )
        else:
            eng, extra = self._with_assumptions(aset, surv, fert, mig, intl_counts)
        if level is not None:
            extra["national_level"] = level
        extra["growth_flags"] = [rs.codes[r] for r in np.flatnonzero(growth_flags(eng.population))]
        extra["history_first"], extra["history_last"] = rs.history_years[0], rs.history_years[-1]
        return self.result(eng.population, eng, extra=extra)

    def _low_high(self, low: bool, mig: np.ndarray) -> tuple[float, float, np.ndarray]:
        rs, sign = self.rs, -1.0 if low else 1.0
        fert_level, improve = 1.0 + 0.1 * sign, 1.0 + 0.5 * sign
        low_shift, high_shift = _migration_range(rs)
        delta = low_shift if low else high_shift
        mig = mig + _profile_rates(self.profile, rs.base, delta)
        self.assumptions["fertility"] = _and_then(self.assumptions["fertility"], Percent(fert_level - 1.0, signed=True))
        self.assumptions["mortality"] = _and_then(
            self.assumptions["mortality"], Note.of(N_("improvement ×{factor}"), factor=Number(improve, 1))
        )
        shifts = Series.of(delta, lambda v: Percent(v, 2, signed=True))
        shifted = (
            N_("shifted to the lowest five-year average in the window ({shifts} a year) by the in-migrant age profile")
            if low
            else N_(
                "shifted to the highest five-year average in the window ({shifts} a year) by the in-migrant age profile"
            )
        )
        self.assumptions["migration"] = _and_then(self.assumptions["migration"], Note.of(shifted, shifts=shifts))
        return fert_level, improve, mig

    def _with_assumptions(
        self,
        aset: AssumptionSet,
        surv: np.ndarray,
        fert: np.ndarray,
        base_rates: np.ndarray,
        base_counts: np.ndarray | None,
    ) -> tuple[EngineResult, dict[str, Any]]:
        from blilyst.demography.assumptions import apply_assumptions

        rs, steps = self.rs, self.steps
        base, surv, fert, mig, counts, lines = apply_assumptions(
            aset, rs, steps, self.profile, surv, fert, base_rates=base_rates, base_counts=base_counts
        )
        for i, line in enumerate(lines):
            self.assumptions[f"{USER_FILE_KEY}{i + 1}"] = line
        self.estimated.append(Note.of(N_("Figures from {source} are the user's own assumptions."), source=aset.source))
        extra: dict[str, Any] = (
            {"base_status": "user file", "base_source": aset.source} if aset.of_kind("population") else {}
        )
        try:
            eng = project(
                base,
                surv,
                fert,
                steps,
                srb=self.srb,
                net_migration_rates=mig,
                net_migration=counts,
                migration_timing="cohort",
            )
        except NegativePopulation as exc:
            step, r, s, a, value = exc.where
            raise InputError(
                f"{aset.source}: {exc.field}",
                (
                    _(
                        "would make the population of {code} {name} negative ({value}): males aged {age} at the end "
                        "of {year}; more migrants leave than live there. Lower the out-migration or use rates instead "
                        "of counts."
                    )
                    if SEXES[s] == "male"
                    else _(
                        "would make the population of {code} {name} negative ({value}): females aged {age} at the "
                        "end of {year}; more migrants leave than live there. Lower the out-migration or use rates "
                        "instead of counts."
                    )
                ).format(
                    code=rs.codes[r],
                    name=rs.names[r],
                    value=format_number(value, 1),
                    age=a,
                    year=rs.base_year + step,
                ),
            ) from None
        return eng, extra


# scenarios whose international migration is a national assumption rather than a local trend
_NATIONAL_IMMIGRATION = ("trend", "trend5", "low", "high", "no-immigration")


def _national_level(rs: RateSchedule, snapshot: Snapshot, steps: int, choice: str | float) -> NationalLevel:
    """Norway's net immigration for each projection year from the user's ``choice``: the named levels
    read the whole bundled history before the base year (``registered``: after it too)."""
    _codes, years, cube = snapshot.population_cube()
    history = national_history(cube, years, snapshot.mortality)
    return national_level(choice, years[:-1], history, rs.base_year, steps, window_years=rs.history_years)


def _missed_targets(
    population: np.ndarray, weights: np.ndarray, targets: np.ndarray, codes: list[str]
) -> dict[str, tuple[int, float, float]]:
    """Regions whose constrained figure misses its target by more than 1 % (and one person) in
    some year: code -> (the last such year as years after the base year, figure, target)."""
    got = np.einsum("trsa,sa->tr", population[1:], weights)
    bad = np.abs(got - targets) > np.maximum(1.0, 0.01 * np.abs(targets))
    out = {}
    for r in np.flatnonzero(bad.any(axis=0)):
        t = int(np.flatnonzero(bad[:, r])[-1])
        out[codes[r]] = (t + 1, float(got[t, r]), float(targets[t, r]))
    return out


def _profile_rates(profile: np.ndarray, base: np.ndarray, total_rate: np.ndarray) -> np.ndarray:
    """Rates by sex and age that add ``total_rate`` (per person, per region) distributed by ``profile``."""
    counts = total_rate[:, None, None] * base.sum(axis=(1, 2))[:, None, None] * np.broadcast_to(profile, base.shape)
    from blilyst.demography.projection import _cohort_base

    expo = _cohort_base(base)
    return np.where(expo > 0, counts / np.maximum(expo, 1e-9), 0.0)


def _national_rate_schedule(rs: RateSchedule, snapshot: Snapshot) -> np.ndarray:
    """National net migration rates by sex and age over the same window: all of it is international."""
    if "national_rate" in rs.extra:
        cached: np.ndarray = rs.extra["national_rate"]
        return cached
    from blilyst.demography.rates import net_migration_rates
    from blilyst.demography.residual import net_migration_by_age

    hist = rs.extra.get("national_history")
    if hist is None:
        _codes, years, cube = snapshot.population_cube()
        sel = [years.index(y) for y in range(rs.history_years[0], rs.history_years[-1] + 2)]
        hist = cube[sel].sum(axis=1, keepdims=True)
    years = list(range(rs.history_years[0], rs.history_years[-1] + 2))
    res = net_migration_by_age(hist, years, snapshot.mortality)
    out: np.ndarray = net_migration_rates(res.net_migration, res.pop_start, np.zeros(1, dtype=int), kappa=0.0)["rate"][
        0
    ]
    rs.extra["national_rate"] = out
    return out


# weights (2, 106), targets (T, R), and the goal as a message id (N_) with its values
Constraint = tuple[np.ndarray, np.ndarray, tuple[str, dict[str, int]]]


def _housing_constraint(
    opts: HousingOptions, rs: RateSchedule, steps: int, snapshot: Snapshot, assumptions: dict[str, Note]
) -> Constraint:
    """Households (headship-weighted population) grow with the new dwellings that are lived in."""
    base = rs.base
    if opts.dwellings_per_year is None:
        raise InputError(
            "dwellings_per_year",
            _("the housing-led scenario needs the number of new dwellings a year (e.g. --dwellings 25)"),
        )
    plan = (
        np.broadcast_to(np.asarray(opts.dwellings_per_year, dtype=float), (steps,))
        if np.ndim(opts.dwellings_per_year) == 0
        else np.asarray(opts.dwellings_per_year, dtype=float)
    )
    if plan.shape != (steps,):
        raise InputError(
            "dwellings_per_year",
            _("give one number or one per projection year ({steps}); got {count}").format(steps=steps, count=plan.size),
        )
    if not np.all(np.isfinite(plan)) or np.any(plan < 0):
        raise InputError("dwellings_per_year", _("new dwellings a year must be numbers of 0 or more"))
    if not 0 <= opts.vacancy < 1:
        raise InputError("vacancy", _("must be a share between 0 and 1"))
    if opts.headship is None:
        *_rest, cube = snapshot.population_cube(years=[rs.base_year])
        h = default_headship(cube[0].sum(axis=0))
        assumptions["headship"] = Note.of(
            N_(
                "default headship rates by age, scaled to {persons} persons per household nationally (SSB household "
                "statistics)"
            ),
            persons=Number(PERSONS_PER_HOUSEHOLD, 1),
        )
    else:
        h = _check_age_vector("headship", opts.headship)
        assumptions["headship"] = Note.of(N_("headship rates given by the user"))
    weights = np.stack([h, h])
    h0 = np.einsum("rsa,sa->r", base, weights)
    targets = h0[None] + np.cumsum(plan * (1 - opts.vacancy))[:, None]
    assumptions["dwellings"] = Note.counted(
        ngettext_noop(
            "{n} new dwelling a year on average, vacancy {vacancy}",
            "{n} new dwellings a year on average, vacancy {vacancy}",
        ),
        round(float(plan.mean())),
        vacancy=Percent(opts.vacancy),
    )
    return weights, targets, (N_("to fill the new dwellings"), {})


def _employment_constraint(
    opts: EmploymentOptions, rs: RateSchedule, steps: int, snapshot: Snapshot, assumptions: dict[str, Note]
) -> Constraint:
    """The employed residents grow with the jobs."""
    R = len(rs.codes)
    base = rs.base
    part = (
        default_participation()
        if opts.participation is None
        else _check_age_vector("participation", opts.participation)
    )
    if not 0 <= opts.unemployment < 1:
        raise InputError("unemployment", _("must be a share between 0 and 1"))
    weights = np.stack([part, part]) * (1 - opts.unemployment)
    lf0 = np.einsum("rsa,sa->r", base, weights)
    t = np.arange(1, steps + 1)[:, None]
    jobs_target, jobs_growth = opts.jobs_target, opts.jobs_growth
    if jobs_target is not None:
        if not (np.isfinite(jobs_target) and jobs_target > 0):
            raise InputError(
                "jobs_target", _("must be a number of jobs above 0; got {value}").format(value=jobs_target)
            )
        jobs0 = _base_jobs(rs, snapshot)
        if jobs0 is None:
            raise InputError("jobs_target", _("no jobs count for this municipality in the data; give --jobs-growth"))
        growth_path = 1 + (jobs_target / jobs0 - 1) * t / steps
        assumptions["jobs"] = Note.of(
            N_("from {start} to {target} jobs in {year}, straight line"),
            start=Number(jobs0[0]),
            target=Number(jobs_target),
            year=rs.base_year + steps,
        )
    elif jobs_growth is not None:
        if not (np.isfinite(jobs_growth) and -0.5 < jobs_growth < 0.5):
            raise InputError(
                "jobs_growth",
                _("give the yearly growth as a share between -0.5 and 0.5 (0.01 = 1 %); got {value}").format(
                    value=jobs_growth
                ),
            )
        growth_path = np.broadcast_to((1 + jobs_growth) ** t, (steps, R))
        assumptions["jobs"] = Note.of(N_("{growth} a year"), growth=Percent(jobs_growth, 1, signed=True))
    else:
        raise InputError(
            "jobs_growth",
            _(
                "the employment-led scenario needs a jobs growth rate a year (e.g. --jobs-growth 0.01) or a jobs "
                "target for the final year"
            ),
        )
    # new jobs go to residents and in-commuters in the shares they hold today (SSB 03321): the employed
    # residents grow by the share of them who work at home times the jobs growth; out-commuters stay as many
    share, commuting_year = local_shares(snapshot.commuting, rs.codes)
    known = np.isfinite(share)
    factor = np.where(known, share, 1.0)
    targets = lf0[None] * (1 + factor[None] * (growth_path - 1))
    participation = Note.of(
        N_("participation by age (AKU levels, default) × (1 − unemployment {unemployment})"),
        unemployment=Percent(opts.unemployment),
    )
    commuting = (
        Note.of(
            N_(
                "new jobs taken by residents and in-commuters in the shares of SSB 03321 {year} (residents working "
                "at home: {shares})"
            ),
            year=commuting_year,
            shares=Series.of(share[known], Percent),
        )
        if known.any() and commuting_year is not None
        else Note.of(N_("commuting held at the base-year ratio of jobs to employed residents"))
    )
    assumptions["labour force"] = Note.of(
        N_("{participation}; {commuting}"), participation=participation, commuting=commuting
    )
    return weights, targets, (N_("to fill the jobs"), {})


def _target_constraint(opts: TargetOptions, rs: RateSchedule, steps: int, assumptions: dict[str, Note]) -> Constraint:
    """The working-age population held at its base level, or the population on a straight line to a target."""
    R = len(rs.codes)
    base = rs.base
    if opts.target == "working-age":
        lo, hi = WORKING_AGE
        w = np.zeros(N_AGES)
        w[lo : hi + 1] = 1
        weights = np.stack([w, w])
        targets = np.broadcast_to(np.einsum("rsa,sa->r", base, weights), (steps, R))
        assumptions["target"] = Note.of(
            N_("keep the population aged {lo}–{hi} at its {year} level"), lo=lo, hi=hi, year=rs.base_year
        )
        return weights, targets, (N_("to keep the number aged {lo}–{hi} stable"), {"lo": lo, "hi": hi})
    if opts.target == "population":
        if opts.target_population is None or not (np.isfinite(opts.target_population) and opts.target_population > 0):
            raise InputError("target_population", _("give the population to reach in the final year"))
        weights = np.ones((2, N_AGES))
        p0 = base.sum(axis=(1, 2))
        t = np.arange(1, steps + 1)[:, None]
        targets = p0[None] + (opts.target_population - p0[None]) * t / steps
        assumptions["target"] = Note.of(
            N_("reach {population} inhabitants by {year}, straight line"),
            population=Number(opts.target_population),
            year=rs.base_year + steps,
        )
        return (
            weights,
            targets,
            (N_("to reach {population} inhabitants"), {"population": round(opts.target_population)}),
        )
    raise InputError("target", _("must be 'working-age' or 'population'"))


def _check_age_vector(name: str, values: ArrayLike) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.shape != (N_AGES,):
        raise InputError(
            name,
            _("give one rate for each age 0..{oldest} ({count} values); got shape {shape}").format(
                oldest=MAX_AGE, count=N_AGES, shape=arr.shape
            ),
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise InputError(name, _("rates must be numbers between 0 and 1"))
    return arr


def _base_jobs(rs: RateSchedule, snapshot: Snapshot) -> np.ndarray | None:
    """Jobs in the latest year with data for every region of ``rs``; None where the data have no
    count for one of them (then only a growth rate can be used)."""
    jobs = snapshot.jobs
    if jobs.empty:
        return None
    last = jobs[jobs["year"] == jobs["year"].max()].set_index("municipality")["jobs"]
    counts: np.ndarray = last.reindex(rs.codes).to_numpy(dtype=float)
    return None if np.isnan(counts).any() else counts
