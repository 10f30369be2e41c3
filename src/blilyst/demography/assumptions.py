"""User-supplied assumptions: a planner's own numbers in a CSV or JSON file (POPGROUP-style).

A file is a list of rows; each row sets one value, or one value for a range of ages, years or
both sexes. Anything the file does not set comes from the trend scenario's rate schedules
(:mod:`blilyst.demography.rates`), so a file may be as small as one line ("40 net in-migrants a
year from 2027").

CSV (UTF-8, comma or semicolon separated, header required)::

    kind,region,year,sex,age,value
    population,4032,2026,female,0-4,120
    fertility,4032,2027-2046,,20-24,0.06
    mortality,4032,,male,80,0.05
    net_migration_total,4032,2027-2030,,,40
    net_migration,4032,2027,female,25-29,3

JSON: ``{"rows": [{"kind": ..., "region": ..., "year": ..., "sex": ..., "age": ..., "value": ...}]}``
or the list of rows alone.

Columns
-------
kind
    ``population`` (1 January stock of the base year, persons), ``fertility`` (ASFR, births per
    woman per year), ``mortality`` (central death rate m(x)), ``net_migration`` (net migrants in the
    year, by age at the end of the year), ``net_migration_rate`` (annual net migration rate), or
    ``net_migration_total`` (net migrants in the year over all ages, spread over sex and age with
    the in-migrant age profile); or gross flows: ``in_migration`` and ``immigration`` (persons a
    year; with age and sex empty spread by the in-migrant age profile), ``out_migration_rate`` and
    ``emigration_rate`` (share of the start cohort leaving in a year). Gross flows replace the
    trend's net migration for that region and year, so give all four (or all you have: a flow left
    out counts as zero).
region
    Four-digit municipality number (2024 structure).
year
    A year or range ``2027-2030``; empty = every projection year (for ``population``: the base
    year). Event years: the year from 1 January ``year`` to 1 January ``year+1``.
sex
    ``male``, ``female`` (also ``m``/``f``, ``menn``/``kvinner``) or empty for both.
age
    A single age 0..105 (105 = 105+), a range ``20-24``, ``105+``, or empty for all ages.
value
    A number >= 0 (net migration may be negative). Migration counts are per year (a year range
    repeats them each year); a count given for a range of ages or both sexes is spread evenly over
    those cells (a population count: like the registered base population of those cells, evenly
    where it has nobody); rates apply to every cell.

Rows apply in order, so a later row overrides an earlier one (set all ages, then one age group).
Every row is checked; an error names the file, the row and the field, and says what to do.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from blilyst.axes import MAX_AGE, N_AGES, SEXES
from blilyst.errors import ImportFileError
from blilyst.i18n import N_, ngettext_noop
from blilyst.i18n import gettext as _
from blilyst.notes import Listing, Note

if TYPE_CHECKING:
    from blilyst.demography.rates import RateSchedule

__all__ = ["KINDS", "Assumption", "AssumptionsFileError", "parse_rows", "read_assumptions"]

KINDS = (
    "population",
    "fertility",
    "mortality",
    "net_migration",
    "net_migration_rate",
    "net_migration_total",
    "in_migration",
    "out_migration_rate",
    "immigration",
    "emigration_rate",
)
# What each kind sets, in words for the notes (the file's own keys are not shown to the reader).
KIND_LABELS = {
    "population": N_("base population"),
    "fertility": N_("fertility rates"),
    "mortality": N_("death rates"),
    "net_migration": N_("net migrants a year by age"),
    "net_migration_rate": N_("net migration rates"),
    "net_migration_total": N_("net migrants a year in all"),
    "in_migration": N_("in-migrants a year"),
    "out_migration_rate": N_("out-migration rates"),
    "immigration": N_("immigrants a year"),
    "emigration_rate": N_("emigration rates"),
}
GROSS_KINDS = ("in_migration", "out_migration_rate", "immigration", "emigration_rate")
MIGRATION_KINDS = ("net_migration", "net_migration_rate", "net_migration_total", *GROSS_KINDS)
COUNT_KINDS = ("population", "net_migration", "net_migration_total")
COLUMNS = ("kind", "region", "year", "sex", "age", "value")
_SEX_ALIASES = {
    "male": "male",
    "m": "male",
    "menn": "male",
    "mann": "male",
    "males": "male",
    "female": "female",
    "f": "female",
    "k": "female",
    "kvinner": "female",
    "kvinne": "female",
    "females": "female",
    "": None,
    "both": None,
    "begge": None,
    "all": None,
}


class AssumptionsFileError(ImportFileError):
    """A row of an assumptions file is wrong: says which file, row and field."""

    def __init__(self, source: str, row: int | None, field: str, problem: str):
        self.source, self.row, self.field, self.problem = source, row, field, problem
        if row is None:
            message = _("{source}, field '{field}': {problem}").format(source=source, field=field, problem=problem)
        else:
            message = _("{source}, row {row}, field '{field}': {problem}").format(
                source=source, row=row, field=field, problem=problem
            )
        super().__init__(message)


@dataclass(frozen=True)
class Assumption:
    """One checked row: ``years`` None = all projection years; ``sexes`` indices; ``ages`` range."""

    row: int
    kind: str
    region: str
    years: tuple[int, int] | None
    sexes: tuple[int, ...]
    ages: tuple[int, int]
    value: float


@dataclass
class AssumptionSet:
    source: str
    rows: list[Assumption] = field(default_factory=list)

    @property
    def regions(self) -> list[str]:
        return sorted({a.region for a in self.rows})

    def of_kind(self, kind: str) -> list[Assumption]:
        return [a for a in self.rows if a.kind == kind]

    def describe(self) -> list[Note]:
        """One note per kind: what the file sets (for the output's assumption notes)."""
        out = []
        for kind in KINDS:
            rows = self.of_kind(kind)
            if rows:
                regions = sorted({a.region for a in rows})
                out.append(
                    Note.counted(
                        ngettext_noop(
                            "{kind}: {n} row from {source} for {regions}",
                            "{kind}: {n} rows from {source} for {regions}",
                        ),
                        len(rows),
                        kind=Note.of(KIND_LABELS[kind]),
                        source=self.source,
                        regions=Listing(tuple(regions)),
                    )
                )
        return out


def read_assumptions(path: str | Path) -> AssumptionSet:
    """Read and check an assumptions file (``.csv`` or ``.json``)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise AssumptionsFileError(name, None, "file", _("'{path}' does not exist").format(path=path))
    if not path.is_file():
        raise AssumptionsFileError(
            name, None, "file", _("'{path}' is not a file; give a .csv or .json file").format(path=path)
        )
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise AssumptionsFileError(
            name, None, "file", _("cannot read '{path}' ({error})").format(path=path, error=exc.strerror)
        ) from None
    try:
        decoded = text.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = text.decode("latin-1")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(decoded)
        except json.JSONDecodeError as exc:
            raise AssumptionsFileError(
                name, None, "json", _("not valid JSON ({error} at line {line})").format(error=exc.msg, line=exc.lineno)
            ) from None
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise AssumptionsFileError(
                name, None, "rows", _("expected a list of rows or {example}").format(example='{"rows": [...]}')
            )
        records = []
        for i, r in enumerate(rows, start=1):
            if not isinstance(r, dict):
                raise AssumptionsFileError(name, i, "row", _("each row must be an object with kind, region, ... value"))
            records.append(
                {k: ("" if r.get(k) is None else str(r.get(k))) for k in COLUMNS} | {"_extra": set(r) - set(COLUMNS)}
            )
        return parse_rows(records, name, first_row=1)
    if suffix in (".csv", ".txt"):
        sample = decoded[:2000]
        delim = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(io.StringIO(decoded), delimiter=delim)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise AssumptionsFileError(
                name,
                1,
                missing[0],
                _("the header must have the columns {columns}; missing {missing}").format(
                    columns=", ".join(COLUMNS), missing=", ".join(missing)
                ),
            )
        records = []
        for r in reader:
            clean = {(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}
            records.append({k: clean.get(k, "") for k in COLUMNS} | {"_extra": set()})
        return parse_rows(records, name, first_row=2)
    raise AssumptionsFileError(name, None, "file", _("give a .csv or .json file"))


def parse_rows(records: list[dict[str, Any]], source: str = "assumptions", first_row: int = 1) -> AssumptionSet:
    """Check rows given as dicts of strings (``kind, region, year, sex, age, value``)."""
    out = AssumptionSet(source)
    for i, rec in enumerate(records):
        row = first_row + i
        if rec.get("_extra"):
            raise AssumptionsFileError(
                source,
                row,
                sorted(rec["_extra"])[0],
                _("unknown field; use {columns}").format(columns=", ".join(COLUMNS)),
            )
        kind = rec.get("kind", "").strip().lower()
        if kind not in KINDS:
            raise AssumptionsFileError(
                source, row, "kind", _("'{kind}' is not one of {kinds}").format(kind=kind, kinds=", ".join(KINDS))
            )
        region = rec.get("region", "").strip()
        if not re.fullmatch(r"\d{4}", region):
            raise AssumptionsFileError(
                source, row, "region", _("'{region}' is not a four-digit municipality number").format(region=region)
            )
        years = _range(rec.get("year", ""), source, row, "year", 1900, 2200)
        sex_text = rec.get("sex", "").strip().lower()
        if sex_text not in _SEX_ALIASES:
            raise AssumptionsFileError(
                source, row, "sex", _("'{sex}' is not male, female or empty (both)").format(sex=sex_text)
            )
        sex = _SEX_ALIASES[sex_text]
        sexes = tuple(range(len(SEXES))) if sex is None else (SEXES.index(sex),)
        age_text = rec.get("age", "").strip().replace("+", "")
        ages = _range(age_text, source, row, "age", 0, MAX_AGE) or (0, MAX_AGE)
        if kind == "net_migration_total" and rec.get("age", "").strip() not in ("",):
            raise AssumptionsFileError(
                source, row, "age", _("net_migration_total is over all ages; leave age empty or use kind net_migration")
            )
        try:
            value = float(rec.get("value", "").replace(",", ".").replace(" ", ""))
        except ValueError:
            raise AssumptionsFileError(
                source, row, "value", _("'{value}' is not a number").format(value=rec.get("value", ""))
            ) from None
        if not np.isfinite(value):
            raise AssumptionsFileError(source, row, "value", _("must be a finite number"))
        if value < 0 and kind not in ("net_migration", "net_migration_rate", "net_migration_total"):
            raise AssumptionsFileError(
                source, row, "value", _("{kind} must not be negative (got {value})").format(kind=kind, value=value)
            )
        if kind == "mortality" and value > 5:
            raise AssumptionsFileError(
                source, row, "value", _("a death rate m(x) above 5 is not plausible (got {value})").format(value=value)
            )
        if kind == "fertility" and value > 0.5:
            raise AssumptionsFileError(
                source,
                row,
                "value",
                _(
                    "a fertility rate above 0.5 births per woman a year is not plausible (got {value}); "
                    "give rates, not counts"
                ).format(value=value),
            )
        if kind == "net_migration_rate" and not -1 <= value <= 1:
            raise AssumptionsFileError(source, row, "value", _("a net migration rate must be between -1 and 1"))
        if kind in ("out_migration_rate", "emigration_rate") and value > 1:
            raise AssumptionsFileError(
                source, row, "value", _("{kind} is a share of the population a year (0-1)").format(kind=kind)
            )
        out.rows.append(Assumption(row, kind, region, years, sexes, ages, value))
    if not out.rows:
        raise AssumptionsFileError(source, None, "rows", _("the file has no rows"))
    return out


def _range(text: str, source: str, row: int, field: str, lo: int, hi: int) -> tuple[int, int] | None:
    text = (text or "").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d+)(?:\.0)?\s*(?:[-–]\s*(\d+)(?:\.0)?)?", text)
    if not m:
        raise AssumptionsFileError(
            source, row, field, _("'{text}' is not a number or a range like 20-24").format(text=text)
        )
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise AssumptionsFileError(
            source, row, field, _("the range {first}-{last} runs backwards").format(first=a, last=b)
        )
    if a < lo or b > hi:
        raise AssumptionsFileError(
            source, row, field, _("{text} is outside {low}..{high}").format(text=text, low=lo, high=hi)
        )
    return a, b


def apply_assumptions(
    aset: AssumptionSet,
    rs: RateSchedule,
    steps: int,
    profile: np.ndarray,
    surv: np.ndarray,
    fert: np.ndarray,
    *,
    base_rates: np.ndarray | None = None,
    base_counts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Note]]:
    """Turn checked rows into engine inputs for the regions of ``rs`` (a :class:`RateSchedule`).

    ``base_rates`` (R, 2, 106) and ``base_counts`` (T, R, 2, 106) are the scenario's migration (default
    the trend's net rates, no counts); a region-year with migration rows in the file replaces both.

    Returns ``(base, survival (T,R,2,107), fertility (T,R,106), rates (T,R,2,106), counts (T,R,2,106),
    notes)``. Rows for regions not in ``rs`` are an error naming the row.
    """
    from blilyst.demography.rates import engine_survival, future_mortality, local_mx

    R = len(rs.codes)
    pos = {c: i for i, c in enumerate(rs.codes)}
    years = np.arange(rs.base_year, rs.base_year + steps)
    mort_rows = aset.of_kind("mortality")
    mx = None
    if mort_rows:  # mortality: rebuild m(x) per year and region where the file sets it
        h = years - rs.mx_year
        k = np.ones(R) if rs.mortality_factor is None else rs.mortality_factor
        mx = local_mx(future_mortality(rs.mx_base, rs.improvement, h), k)  # (T, R, 2, 111)
    inp = _EngineInputs(
        base=rs.base.copy(),
        surv=np.broadcast_to(surv, (steps, R, 2, N_AGES + 1)).copy(),
        fert=np.broadcast_to(fert, (steps, R, N_AGES)).copy(),
        rates=np.broadcast_to(rs.migration_rate if base_rates is None else base_rates, (steps, R, 2, N_AGES)).copy(),
        counts=np.zeros((steps, R, 2, N_AGES)) if base_counts is None else np.array(base_counts, dtype=float),
        mx=mx,
        own_migration=np.zeros((steps, R), dtype=bool),
        gross_in=np.zeros((steps, R, 2, N_AGES)),
        gross_out_rate=np.zeros((steps, R, 2, N_AGES)),
        gross=np.zeros((steps, R), dtype=bool),
    )
    replaced_pop: set[str] = set()
    for a in aset.rows:
        if a.region not in pos:
            raise AssumptionsFileError(
                aset.source,
                a.row,
                "region",
                _("{region} is not among the projected municipalities ({codes})").format(
                    region=a.region, codes=", ".join(rs.codes)
                ),
            )
        if a.kind == "population":
            _add_population(aset, a, rs, pos[a.region], inp.base, replaced_pop)
        else:
            t_idx = _year_index(a, years, aset.source)
            _apply_row(a, pos[a.region], t_idx, inp, profile, keeps_counts=base_counts is not None)
    if inp.gross.any():
        _apply_gross_flows(aset, inp)
    if mx is not None:
        regions = sorted({pos[a.region] for a in mort_rows})
        inp.surv[:, regions] = engine_survival(mx[:, regions])
    notes = aset.describe()
    if aset.of_kind("population"):
        notes.append(
            Note.of(
                N_("base population 1 January {year} from {source} for {regions}"),
                year=rs.base_year,
                source=aset.source,
                regions=Listing(tuple(sorted(replaced_pop))),
            )
        )
    return inp.base, inp.surv, inp.fert, inp.rates, inp.counts, notes


@dataclass
class _EngineInputs:
    """What :func:`apply_assumptions` fills in row by row (``T`` years, ``R`` regions)."""

    base: np.ndarray  # (R, 2, 106)
    surv: np.ndarray  # (T, R, 2, 107)
    fert: np.ndarray  # (T, R, 106)
    rates: np.ndarray  # (T, R, 2, 106)
    counts: np.ndarray  # (T, R, 2, 106)
    mx: np.ndarray | None  # (T, R, 2, 111) when the file sets mortality
    own_migration: np.ndarray  # (T, R) region-years whose migration the file sets
    gross_in: np.ndarray  # (T, R, 2, 106)
    gross_out_rate: np.ndarray  # (T, R, 2, 106)
    gross: np.ndarray  # (T, R) region-years whose migration the file gives as gross flows


def _add_population(
    aset: AssumptionSet, a: Assumption, rs: RateSchedule, r: int, base: np.ndarray, replaced: set[str]
) -> None:
    """Add a population row to ``base`` (the first row of a region clears its registered population)."""
    if a.years is not None and a.years != (rs.base_year, rs.base_year):
        raise AssumptionsFileError(
            aset.source,
            a.row,
            "year",
            _("the base population is for 1 January {year}; leave year empty or give {year}").format(year=rs.base_year),
        )
    if a.region not in replaced:
        base[r] = 0.0  # a file that gives a population gives all of it
        replaced.add(a.region)
    # spread like the registered population of those cells (evenly where it has nobody), so
    # "population,4032,,,,1000" keeps the municipality's age structure
    s = list(a.sexes)
    lo, hi = a.ages
    cells = rs.base[r][np.ix_(s, range(lo, hi + 1))]
    share = cells / cells.sum() if cells.sum() > 0 else np.full(cells.shape, 1.0 / cells.size)
    base[np.ix_([r], s, range(lo, hi + 1))] += a.value * share[None]


def _apply_row(
    a: Assumption, r: int, t_idx: list[int], inp: _EngineInputs, profile: np.ndarray, *, keeps_counts: bool
) -> None:
    """Put one row of a rate or flow into ``inp`` for region ``r`` in the years ``t_idx``. With
    ``keeps_counts`` (the scenario has migration counts of its own) the first migration row of a
    region-year clears that region-year's counts."""
    s = list(a.sexes)
    lo, hi = a.ages
    if a.kind in MIGRATION_KINDS and keeps_counts and not inp.own_migration[t_idx, r].all():
        inp.counts[t_idx, r] = np.where(inp.own_migration[t_idx, r][:, None, None], inp.counts[t_idx, r], 0.0)
        inp.own_migration[t_idx, r] = True
    if a.kind == "fertility":
        inp.fert[np.ix_(t_idx, [r], range(lo, hi + 1))] = a.value
    elif a.kind == "mortality":
        assert inp.mx is not None  # made whenever the file has mortality rows
        inp.mx[np.ix_(t_idx, [r], s, range(lo, min(hi, 110) + 1))] = a.value
        if hi == MAX_AGE:
            inp.mx[np.ix_(t_idx, [r], s, range(MAX_AGE, 111))] = a.value
    elif a.kind == "net_migration_rate":
        inp.rates[np.ix_(t_idx, [r], s, range(lo, hi + 1))] = a.value
    elif a.kind == "net_migration":
        block = np.ix_(t_idx, [r], s, range(lo, hi + 1))
        inp.rates[block] = 0.0  # counts replace the trend rates of those cells
        inp.counts[block] += a.value / (len(s) * (hi - lo + 1))  # per year, spread over sexes and ages
    elif a.kind == "net_migration_total":
        inp.rates[t_idx, r] = 0.0
        inp.counts[t_idx, r] += a.value * (profile[r] if profile.ndim == 3 else profile)
    elif a.kind in ("in_migration", "immigration"):
        inp.gross[t_idx, r] = True
        if a.ages == (0, MAX_AGE) and len(s) == 2:  # a total: spread like registered in-migrants
            inp.gross_in[t_idx, r] += a.value * (profile[r] if profile.ndim == 3 else profile)
        else:
            inp.gross_in[np.ix_(t_idx, [r], s, range(lo, hi + 1))] += a.value / (len(s) * (hi - lo + 1))
    elif a.kind in ("out_migration_rate", "emigration_rate"):
        inp.gross[t_idx, r] = True
        inp.gross_out_rate[np.ix_(t_idx, [r], s, range(lo, hi + 1))] += a.value


def _apply_gross_flows(aset: AssumptionSet, inp: _EngineInputs) -> None:
    """Gross flows replace the trend's net migration of their region-years: in-migrants and immigrants
    as counts, out-migration and emigration as rates on the start cohort."""
    if np.any(inp.gross_out_rate > 1):
        raise AssumptionsFileError(
            aset.source,
            None,
            "out_migration_rate",
            _("out-migration and emigration rates add up to more than 1 for some age"),
        )
    inp.rates[inp.gross] = -inp.gross_out_rate[inp.gross]
    inp.counts[inp.gross] += inp.gross_in[inp.gross]


def _year_index(a: Assumption, years: np.ndarray, source: str) -> list[int]:
    if a.years is None:
        return list(range(len(years)))
    y0, y1 = a.years
    idx = [i for i, y in enumerate(years) if y0 <= y <= y1]
    if not idx:
        raise AssumptionsFileError(
            source,
            a.row,
            "year",
            _("{first}-{last} is outside the projection years {start}-{end}").format(
                first=y0, last=y1, start=years[0], end=years[-1]
            ),
        )
    return idx
