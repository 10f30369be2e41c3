"""``blilyst data refresh``: fetch the snapshot's SSB tables live and write a local snapshot.

Tables (PxWebApi v2, codelists chosen from each table's metadata):

* **07459** population 1 January by region, sex and single-year age (``Alder`` codelist
  ``vs_AlleAldre00B``: 0..105+), municipalities summed to today's borders (``agg_KommSummer``) and the
  whole country (code ``0``), years ``first_year``.. → ``population``, ``national_population`` and
  ``population_flags`` (municipality-years SSB does not publish at today's borders, e.g. the parts of
  municipalities split in 2020 and 2024, which SSB's aggregate shows as 0 before the split).
* **06913** population change by municipality and year (fallback **01223**, quarterly: its flows are
  cumulative within the year, so the K4 row is the year and the other quarters are never added)
  → ``components_2011_2025``: natural increase, net migration and population growth summed over
  2011–2025 with the 1 January 2011 and 2026 populations from 07459, and ``components_annual``: the
  table's registered components per municipality and year (births, deaths, immigration, emigration,
  domestic in- and out-migration, net migration, population change: whichever the table has, recognised
  by label), for every year from ``first_year`` (at the latest 2011) that the table has. 06913's
  ``agg_KommSummerHist`` answers with ``K_4028`` codes (underscore), and its in- and out-migration are all
  moves, domestic and international together, so they are not taken for domestic moves.
* **09588** moves per municipality and year (no age, no sex: an ``Alder`` selection gets a 400) →
  immigration, emigration and domestic in- and out-migration in ``components_annual`` where 06913/01223
  lack them; the by-age migration data set stays the bundled Telemark one.

Sources for the shapes: ``data/raw/PXWEBAPI.md`` (corrected 2026-12-06).

Before anything is written, what was fetched is checked against the overlapping bundled years: the
population of 1 January must be identical (else the refresh is refused), and components summed over
2011–2025 must agree with the bundled registered sums within rounding (else that data set is refused and
the earlier figures stay): a refresh can never write zeros over real figures. An optional table's 4xx
answer is reported and the table skipped.
* **13470** employed persons 4th quarter by place-of-work municipality (``agg_KommSummer``), every year
  the table has, total of all industries, sexes and ages (total codes picked from the metadata: by
  elimination, or by label "I alt"/"Alle"/"Begge kjønn"/``00-99``; content recognised by label) →
  ``jobs``, merged with the bundled job years the table lacks (2005 and 2015 from the old register).
  Each row's ``source`` column says where it came from (``SSB 13470`` or ``bundled``); so do the
  manifest entry's ``years`` and provenance.

Everything is fetched and converted before anything is written; then
:func:`blilyst.stats.snapshot.write_snapshot` replaces the local snapshot atomically. A failure anywhere
(offline, an SSB error, an answer that does not fit) raises and leaves the previous local snapshot, the
bundled data and the cache as they were. 06913/01223, 09588 and 13470 are optional: a table SSB no longer has,
answers with a 4xx, or whose contents cannot be recognised, is skipped with a note (the previous local or
the bundled data set stays in use).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from blilyst.axes import MAX_AGE
from blilyst.errors import SsbResponseError, UnknownTable
from blilyst.i18n import N_
from blilyst.i18n import gettext as _
from blilyst.stats.credit import SSB_CREDIT
from blilyst.stats.jsonstat import JsonStatDataset
from blilyst.stats.pxweb import PxWebClient

log = logging.getLogger(__name__)

LICENCE = "CC BY 4.0"
COMPONENT_YEARS = (2011, 2025)  # the span of the snapshot's components_2011_2025

#: ``progress(step, done, total)``: called as each table (and each part of a split table) arrives.
Progress = Callable[[str, int, int], None]


@dataclass
class RefreshResult:
    """What a refresh did: where it wrote, which data sets and tables, what it skipped and why."""

    dest: Path
    datasets: dict[str, int] = field(default_factory=dict)  # data set -> rows
    tables: dict[str, str | None] = field(default_factory=dict)  # table id -> SSB updated stamp
    skipped: dict[str, str] = field(default_factory=dict)  # table/data set -> reason
    requests: int = 0


@dataclass
class _Fetched:
    frame: pd.DataFrame
    meta: JsonStatDataset


def _pick_codelist(meta: JsonStatDataset, var: str, preferred: Sequence[str]) -> str | None:
    try:
        dim = meta.dimension(var)
    except KeyError:
        return None
    listed = dim.extension.get("codelists") or dim.extension.get("codeLists") or []  # both spellings seen
    available = [c.get("id") for c in listed if isinstance(c, dict)]
    for want in preferred:
        if want in available:
            return want
    return None


def _municipality(code: str) -> str | None:
    """Today's municipality number in a region code: ``K-4028`` (agg_KommSummer), ``K_4028``
    (06913's ``agg_KommSummerHist`` answers with an underscore, PXWEBAPI.md) or plain ``4028``;
    None for counties (``F-40``/``F_40``), the country and anything else."""
    m = re.fullmatch(r"(?:K[-_])?(\d{4})", str(code))
    return m.group(1) if m else None


def _age(code: str) -> int | None:
    m = re.fullmatch(r"(\d{1,3})\+?", str(code).strip())
    if not m:
        return None
    age = int(m.group(1))
    return age if 0 <= age <= MAX_AGE else None


def _year(code: str) -> int:
    return int(str(code)[:4])


_QUARTER = re.compile(r"(\d{4})K([1-4])")


def _whole_years(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows of whole years only. 01223's flows are cumulative within the year (PXWEBAPI.md): the
    ``K4`` row is the whole year and summing quarters would count Q1 four times, Q2 three times ...
    So only ``YYYYK4`` rows are kept, as the year ``YYYY``; a year whose K4 is not yet published is
    left out rather than counted short. Yearly tables pass unchanged."""
    periods = raw["Tid"].astype(str)
    quarter = periods.str.fullmatch(_QUARTER.pattern)
    if not quarter.any():
        return raw
    keep = raw[~quarter | periods.str.endswith("K4")].copy()
    keep["Tid"] = keep["Tid"].astype(str).str[:4]
    return keep


def _map(series: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """``series.map(fn)`` computed once per distinct value (frames have few distinct codes, many rows)."""
    uniques = pd.unique(series)
    return series.map(dict(zip(uniques, (fn(u) for u in uniques), strict=True)))


class _Refresher:
    def __init__(self, client: PxWebClient, progress: Progress | None, first_year: int):
        self.client = client
        self.progress = progress or (lambda step, done, total: None)
        self.first_year = first_year
        self.result_tables: dict[str, str | None] = {}
        self.sources: dict[str, dict[str, Any]] = {}

    def fetch(
        self, step: str, table_id: str, selection: dict[str, Any], codelists: dict[str, str] | None = None
    ) -> pd.DataFrame:
        self.progress(step, 0, 1)
        frame = self.client.data(
            table_id, selection, codelists=codelists, on_part=lambda done, total: self.progress(step, done, total)
        )
        meta = frame.attrs.get("jsonstat", {})
        self.result_tables[table_id] = meta.get("updated")
        self.sources[table_id] = {
            "label": meta.get("label"),
            "updated": meta.get("updated"),
            "url": f"{self.client.base_url}/tables/{table_id}/data",
        }
        return frame

    # -- 07459 ----------------------------------------------------------------------------------
    def population(self, municipalities: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        meta = self.client.metadata("07459")
        region_cl = _pick_codelist(meta, "Region", ("agg_KommSummer",)) or "agg_KommSummer"
        age_cl = _pick_codelist(meta, "Alder", ("vs_AlleAldre00B",))
        years = [c for c in meta.dimension("Tid").codes if _year(c) >= self.first_year]
        if not years:
            raise SsbResponseError(
                _("SSB table 07459 has no years from {first}; its last year is {last}.").format(
                    first=self.first_year, last=meta.dimension("Tid").codes[-1]
                )
            )
        common = {"Kjonn": ["1", "2"], "Alder": ["*"], "ContentsCode": ["Personer1"], "Tid": [f"from({years[0]})"]}
        age_codelist = {"Alder": age_cl} if age_cl else {}
        raw = self.fetch(
            "07459 population by municipality",
            "07459",
            {"Region": ["*"], **common},
            {"Region": region_cl, **age_codelist},
        )
        nation = self.fetch("07459 population of Norway", "07459", {"Region": ["0"], **common}, age_codelist)
        pop = self._tidy_population(raw)
        missing = sorted(set(municipalities) - set(pop["municipality"]))
        if missing:
            raise SsbResponseError(
                _(
                    "SSB's 07459 answer lacks {n} of today's municipalities ({codes}); the snapshot was not changed. "
                    "Try again later."
                ).format(n=len(missing), codes=", ".join(missing[:5]) + ("…" if len(missing) > 5 else ""))
            )
        pop = pop[pop["municipality"].isin(set(municipalities))]
        pop, flags = self._complete(pop)
        flags = _flag_partners(pop, flags)
        national = self._tidy_population(nation.assign(Region="0000")).drop(columns="municipality")
        national["population"] = national["population"].fillna(0).astype("int64")
        return pop, flags, national.sort_values(["year", "sex", "age"]).reset_index(drop=True)

    def population_totals(self, years: Sequence[int]) -> pd.DataFrame:
        """Municipality totals (both sexes, all ages) for a few years: municipality, year, population."""
        meta = self.client.metadata("07459")
        region_cl = _pick_codelist(meta, "Region", ("agg_KommSummer",)) or "agg_KommSummer"
        age_cl = _pick_codelist(meta, "Alder", ("vs_AlleAldre00B",))
        raw = self.fetch(
            "07459 population totals",
            "07459",
            {
                "Region": ["*"],
                "Kjonn": ["1", "2"],
                "Alder": ["*"],
                "ContentsCode": ["Personer1"],
                "Tid": [str(y) for y in years],
            },
            {"Region": region_cl, **({"Alder": age_cl} if age_cl else {})},
        )
        tidy = self._tidy_population(raw)
        return tidy.groupby(["municipality", "year"], as_index=False)[["population"]].sum()

    @staticmethod
    def _tidy_population(raw: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "municipality": _map(raw["Region"], _municipality),
                "year": _map(raw["Tid"], _year),
                "sex": raw["Kjonn"].map({"1": "male", "2": "female"}),
                "age": _map(raw["Alder"], _age),
                "population": raw["value"],
            }
        )
        out = out.dropna(subset=["municipality", "sex", "age"])
        out["age"] = out["age"].astype("int64")
        out["year"] = out["year"].astype("int64")
        return out.reset_index(drop=True)

    @staticmethod
    def _complete(pop: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Every municipality x year x sex x age; cells SSB leaves missing become 0 and every municipality-
        year with a missing cell or a zero total is flagged (SSB's aggregate has no figure for it)."""
        dup = pop.duplicated(["municipality", "year", "sex", "age"])
        if dup.any():
            raise SsbResponseError(
                _("SSB's 07459 answer repeats cells (an age group counted twice?); the snapshot was not changed.")
            )
        full = pd.MultiIndex.from_product(
            [sorted(pop.municipality.unique()), sorted(pop.year.unique()), ["male", "female"], range(MAX_AGE + 1)],
            names=["municipality", "year", "sex", "age"],
        )
        pop = pop.set_index(["municipality", "year", "sex", "age"]).reindex(full).reset_index()
        totals = pop.groupby(["municipality", "year"])["population"].agg(
            total="sum", missing=lambda s: int(s.isna().sum())
        )
        bad = totals[(totals["total"] <= 0) | (totals["missing"] > 0)].reset_index()
        flags = []
        for code, group in bad.groupby("municipality"):
            years = group["year"].tolist()
            start = prev = years[0]
            for y in [*years[1:], None]:
                if y is not None and y == prev + 1:
                    prev = y
                    continue
                flags.append(
                    {
                        "municipality": code,
                        "year_from": int(start),
                        "year_to": int(prev),
                        "note": f"{code} {start}–{prev}: SSB publishes no population for this municipality "
                        "at today's borders in these years (shown as 0; persons were counted "
                        "in the municipality it was part of or under 'unknown').",
                    }
                )
                if y is not None:
                    start = prev = y
        pop["population"] = pop["population"].fillna(0).round().astype("int64")
        flag_frame = pd.DataFrame(flags, columns=["municipality", "year_from", "year_to", "note"])
        return pop, flag_frame

    # -- 06913 / 01223 ----------------------------------------------------------------------------
    def components(self, pop: pd.DataFrame, municipalities: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame, str]:
        """(components_2011_2025, components_annual, table id) from 06913, or 01223 if 06913 is gone."""
        first, last = COMPONENT_YEARS
        if not {first, last + 1} <= set(pop["year"].unique()):
            pop = self.population_totals([first, last + 1])
        errors = []
        for table_id in ("06913", "01223"):
            try:
                meta = self.client.metadata(table_id)
                region_cl = _pick_codelist(meta, "Region", ("agg_KommSummerHist", "agg_KommSummer"))
                contents = _component_codes(meta)
                annual = _annual_codes(meta, contents)
                if not any(first <= _year(c) <= last for c in meta.dimension("Tid").codes):
                    raise SsbResponseError(
                        _("table {table} has no periods {first}–{last}").format(table=table_id, first=first, last=last)
                    )
                start = min(self.first_year, first)
                periods = [c for c in meta.dimension("Tid").codes if _year(c) >= start]
                wanted = list(dict.fromkeys([*contents.values(), *annual.values()]))
                raw = self.fetch(
                    f"{table_id} population change",
                    table_id,
                    {"Region": ["*"], "ContentsCode": wanted, "Tid": periods},
                    {"Region": region_cl} if region_cl else None,
                )
                raw = _whole_years(raw)
                in_span = raw[_map(raw["Tid"], _year).between(first, last)]
                return (
                    _sum_components(in_span, contents, pop, municipalities),
                    _annual_components(raw, annual, municipalities),
                    table_id,
                )
            except UnknownTable as exc:
                errors.append(f"{table_id}: {exc}")
            except _Unrecognised as exc:
                errors.append(f"{table_id}: {exc}")
        raise _Skip("; ".join(errors))

    # -- 09588 ------------------------------------------------------------------------------------
    def migration_flows(self, municipalities: Sequence[str]) -> pd.DataFrame:
        """Registered moves per municipality and year from 09588 as ``components_annual`` rows:
        ``immigration``, ``emigration``, ``domestic_in``, ``domestic_out``.

        09588 is ``Region`` x ``ContentsCode`` x ``Tid`` only (codelist ``agg_KommGjeldende``): no age
        and no sex; asking for ``Alder`` gets a 400 "Non-existent variable" (PXWEBAPI.md). Its contents
        are recognised by label. Whether its in- and out-migration include immigration and emigration is
        read from the figures: domestic in minus domestic out must equal its net domestic migration.
        """
        try:
            meta = self.client.metadata("09588")
        except UnknownTable as exc:
            raise _Skip(str(exc)) from None
        region_cl = _pick_codelist(meta, "Region", ("agg_KommGjeldende", "agg_KommSummer"))
        dim = meta.dimension("ContentsCode")
        codes = _flow_codes(dim.codes, dim.labels)
        if not {"immigration", "emigration", "in", "out"} <= set(codes):
            raise _Skip(
                _(
                    "table 09588's contents ({labels}) have no recognisable in- and out-migration, "
                    "immigration and emigration"
                ).format(labels=", ".join(dim.labels))
            )
        selection: dict[str, list[str]] = {"Region": ["*"], "ContentsCode": list(codes.values()), "Tid": ["*"]}
        for other in meta.dimensions:  # a variable SSB cannot eliminate: its total, or skip the table
            if other.id in selection or other.extension.get("elimination"):
                continue
            total = _total_code(other.codes, other.labels)
            if total is None:
                raise _Skip(_("table 09588's {variable} has no recognisable total").format(variable=other.id))
            selection[other.id] = [total]
        raw = self.fetch("09588 moves", "09588", selection, {"Region": region_cl} if region_cl else None)
        by_code = {v: k for k, v in codes.items()}
        tidy = pd.DataFrame(
            {
                "municipality": _map(raw["Region"], _municipality),
                "year": _map(raw["Tid"], _year),
                "measure": raw["ContentsCode"].map(by_code),
                "persons": raw["value"],
            }
        ).dropna(subset=["municipality", "persons"])
        tidy = tidy[tidy["municipality"].isin(set(municipalities))]
        wide = tidy.pivot_table(index=["municipality", "year"], columns="measure", values="persons", aggfunc="sum")
        wide = wide[(wide.fillna(0) != 0).any(axis=1)]  # SSB's 0 before a split: no figure, not zero moves
        if wide.empty:
            raise _Skip(_("table 09588 answered with no moves for today's municipalities"))
        domestic_in, domestic_out = wide["in"], wide["out"]
        if "net_domestic" in wide:
            as_given = (wide["in"] - wide["out"] - wide["net_domestic"]).abs().mean()
            less_international = (
                ((wide["in"] - wide["immigration"]) - (wide["out"] - wide["emigration"]) - wide["net_domestic"])
                .abs()
                .mean()
            )
            if less_international < as_given:  # in/out count immigrants and emigrants too
                domestic_in = wide["in"] - wide["immigration"]
                domestic_out = wide["out"] - wide["emigration"]
        out = pd.DataFrame(
            {
                "immigration": wide["immigration"],
                "emigration": wide["emigration"],
                "domestic_in": domestic_in,
                "domestic_out": domestic_out,
            }
        )
        long = (
            out.reset_index()
            .melt(id_vars=["municipality", "year"], var_name="component", value_name="persons")
            .dropna(subset=["persons"])
        )
        long["year"] = long["year"].astype("int64")
        long["persons"] = long["persons"].astype("float64")
        return long.sort_values(["municipality", "year", "component"]).reset_index(drop=True)

    # -- 13470 ------------------------------------------------------------------------------------
    def jobs(self, municipalities: Sequence[str]) -> pd.DataFrame:
        """``municipality, year, jobs`` (employed persons, 4th quarter, by place of work) from 13470."""
        try:
            meta = self.client.metadata("13470")
        except UnknownTable as exc:
            raise _Skip(str(exc)) from None
        region_cl = _pick_codelist(meta, "Region", ("agg_KommSummer",))
        contents = meta.dimension("ContentsCode")
        content = next(
            (
                c
                for c, lab in zip(contents.codes, contents.labels, strict=True)
                if any(w in lab.lower() for w in _JOBS_WORDS)
            ),
            None,
        )
        if content is None:
            raise _Skip(
                _("table 13470's contents ({contents}) have no recognisable employed persons").format(
                    contents=", ".join(contents.labels)
                )
            )
        selection: dict[str, list[str]] = {"Region": ["*"], "ContentsCode": [content], "Tid": ["*"]}
        for dim in meta.dimensions:
            if dim.id in selection or dim.extension.get("elimination"):
                continue  # eliminated: SSB gives the total
            total = _total_code(dim.codes, dim.labels)
            if total is None:
                raise _Skip(
                    _("table 13470's {variable} ({labels}…) has no recognisable total").format(
                        variable=dim.id, labels=", ".join(dim.labels[:5])
                    )
                )
            selection[dim.id] = [total]
        raw = self.fetch(
            "13470 jobs by place of work", "13470", selection, {"Region": region_cl} if region_cl else None
        )
        out = pd.DataFrame(
            {"municipality": _map(raw["Region"], _municipality), "year": _map(raw["Tid"], _year), "jobs": raw["value"]}
        ).dropna(subset=["municipality", "jobs"])
        out = out[out["municipality"].isin(set(municipalities))]
        out = out.groupby(["municipality", "year"], as_index=False)[["jobs"]].sum()
        # SSB's aggregate to today's borders shows 0 where it has no figure (before a split)
        out = out[out["jobs"] > 0]
        if out.empty:
            raise _Skip(_("table 13470 answered with no job counts for today's municipalities"))
        out["year"] = out["year"].astype("int64")
        out["jobs"] = out["jobs"].astype("float64")
        return out.sort_values(["year", "municipality"]).reset_index(drop=True)


_JOBS_WORDS = ("sysselsatte", "sysselsette", "employed")
_TOTAL_WORDS = ("i alt", "alle", "begge kjønn", "both sexes", "total", "all ")


def _total_code(codes: Sequence[str], labels: Sequence[str]) -> str | None:
    """The code of a dimension's total: labelled "I alt"/"Alle …"/"Begge kjønn", coded ``00-99``, or the
    only code there is."""
    for code, label in zip(codes, labels, strict=True):
        low = label.lower().strip()
        if code in ("00-99", "0-99") or low.startswith(_TOTAL_WORDS) or low.endswith(" i alt"):
            return code
    return codes[0] if len(codes) == 1 else None


def _merge_jobs(live: pd.DataFrame, bundled: pd.DataFrame) -> pd.DataFrame:
    """Live 13470 rows plus the bundled rows of municipality-years the live table lacks (whole years such
    as 2005 and 2015, and municipalities SSB shows no figure for, e.g. those split in 2020, whose bundled
    counts were apportioned); ``source`` per row."""
    live = live.assign(source="SSB 13470", apportioned=False)
    have = pd.MultiIndex.from_frame(live[["municipality", "year"]])
    old = bundled[~pd.MultiIndex.from_frame(bundled[["municipality", "year"]]).isin(have)].copy()
    old["source"] = "bundled"
    if "apportioned" not in old:
        old["apportioned"] = False
    cols = ["municipality", "year", "jobs", "apportioned", "source"]
    out = pd.concat([old[cols], live[cols]], ignore_index=True)
    out["apportioned"] = out["apportioned"].astype(bool)
    return out.sort_values(["year", "municipality"]).reset_index(drop=True)


def _bundled_jobs() -> pd.DataFrame:
    from blilyst.stats import snapshot as snap

    return pd.read_parquet(snap.BUNDLED_DIR / "jobs.parquet")


def _flow_codes(codes: Sequence[str], labels: Sequence[str]) -> dict[str, str]:
    """09588's ContentsCode per measure, by label: ``immigration``, ``emigration``, ``net_domestic``,
    ``in`` and ``out`` (in- and out-migration, whatever their scope)."""
    out: dict[str, str] = {}
    for code, label in zip(codes, labels, strict=True):
        low = label.lower()
        net = "netto" in low or low.startswith("net ") or "net " in low
        domestic = any(w in low for w in ("innenlandsk", "innanlandsk", "innalandsk", "domestic"))
        if net:
            if domestic:
                out.setdefault("net_domestic", code)
        elif "innvandr" in low or "immigra" in low:
            out.setdefault("immigration", code)
        elif "utvandr" in low or "emigra" in low:
            out.setdefault("emigration", code)
        elif any(w in low for w in ("innflytt", "tilflytt", "in-migration")):
            out.setdefault("in", code)
        elif any(w in low for w in ("utflytt", "fraflytt", "out-migration")):
            out.setdefault("out", code)
    return out


def _merge_annual(annual: pd.DataFrame | None, flows: pd.DataFrame) -> pd.DataFrame:
    """``components_annual`` rows from 06913/01223 plus 09588's moves for the municipality-years and
    components they lack (06913 has no immigration, emigration or domestic moves apart)."""
    if annual is None or annual.empty:
        return flows
    have = pd.MultiIndex.from_frame(annual[["municipality", "year", "component"]])
    extra = flows[~pd.MultiIndex.from_frame(flows[["municipality", "year", "component"]]).isin(have)]
    out = pd.concat([annual, extra], ignore_index=True)
    return out.sort_values(["municipality", "year", "component"]).reset_index(drop=True)


class _Skip(Exception):
    """An optional table could not be used; the reason goes into the result."""


class _Unrecognised(Exception):
    pass


_COMPONENT_WORDS = {
    "natural": ("fødselsoverskudd", "fødselsoverskot", "excess of births", "natural"),
    "net": ("nettoinnflytting", "netto innflytting", "net migration", "nettoflytting"),
    # 01223's bokmål label is "Folkevekst" (PXWEBAPI.md; the Telemark 01223 export has the same column)
    "change": ("folketilvekst", "folkevekst", "befolkningsvekst", "population growth", "population increase"),
}


def _component_codes(meta: JsonStatDataset) -> dict[str, str]:
    """ContentsCode per component, recognised by label. Where several match (06913 has both domestic and
    total net migration), the total is preferred: a label naming domestic moves only comes last."""
    dim = meta.dimension("ContentsCode")
    candidates: dict[str, list[tuple[int, int, str]]] = {}
    for pos, (code, label) in enumerate(zip(dim.codes, dim.labels, strict=True)):
        low = label.lower()
        for key, words in _COMPONENT_WORDS.items():
            if any(w in low for w in words):
                domestic_only = any(w in low for w in ("innenlandsk", "innanlandsk", "domestic", "internal"))
                candidates.setdefault(key, []).append((int(domestic_only), pos, code))
                break
    if set(candidates) != set(_COMPONENT_WORDS):
        raise _Unrecognised(
            _("its contents ({contents}) lack {missing}").format(
                contents="; ".join(dim.labels), missing=", ".join(sorted(set(_COMPONENT_WORDS) - set(candidates)))
            )
        )
    return {key: min(options)[2] for key, options in candidates.items()}


#: Annual components recognised by label (besides net migration and population change, taken from
#: :func:`_component_codes`): the first key whose words occur in the label wins, so the order matters.
_ANNUAL_WORDS = {
    "births": ("levendefødte", "levandefødde", "fødte", "fødde", "live births", "births"),
    "deaths": ("døde", "deaths"),
    "immigration": ("innvandring", "immigration"),
    "emigration": ("utvandring", "emigration"),
    "domestic_in": ("innflytting", "tilflytting", "in-migration"),
    "domestic_out": ("utflytting", "fraflytting", "out-migration"),
}
_NOT_ANNUAL = (
    "netto",
    "net ",
    "overskudd",
    "overskot",
    "excess",
    "folketal",
    "befolkning",
    "population",
    "inkl",
    "includ",
)  # a total of moves and migrations is none of the components


def _annual_codes(meta: JsonStatDataset, contents: dict[str, str]) -> dict[str, str]:
    """ContentsCode per annual component (see :data:`blilyst.stats.snapshot.ANNUAL_COMPONENTS`): the
    ones the table has. Net migration and population change are those :func:`_component_codes` chose.
    In- and out-migration are domestic only where the table also counts immigration and emigration
    apart (01223: "Innflytting, innalandsk"); where it does not (06913: "Innflyttinger" are all moves,
    domestic and international together, PXWEBAPI.md) they are no component of ours and are left out."""
    dim = meta.dimension("ContentsCode")
    out: dict[str, str] = {}
    for code, label in zip(dim.codes, dim.labels, strict=True):
        low = label.lower()
        if code in contents.values() or any(w in low for w in _NOT_ANNUAL):
            continue
        for key, words in _ANNUAL_WORDS.items():
            if any(w in low for w in words):
                out.setdefault(key, code)
                break
    if not {"immigration", "emigration"} <= set(out):
        out.pop("domestic_in", None)
        out.pop("domestic_out", None)
    out["net_migration"] = contents["net"]
    out["population_change"] = contents["change"]
    return out


def _annual_components(raw: pd.DataFrame, annual: dict[str, str], municipalities: Sequence[str]) -> pd.DataFrame:
    """Long ``municipality, year, component, persons`` (quarterly tables already cut to their K4 rows by
    :func:`_whole_years`). Cells SSB
    leaves empty, and municipality-years where every component is 0, are dropped (absent, not zero)."""
    by_code = {v: k for k, v in annual.items()}
    raw = raw[raw["ContentsCode"].isin(set(by_code))]
    out = pd.DataFrame(
        {
            "municipality": _map(raw["Region"], _municipality),
            "year": _map(raw["Tid"], _year),
            "component": raw["ContentsCode"].map(by_code),
            "persons": raw["value"],
        }
    )
    out = out.dropna(subset=["municipality", "persons"])
    out = out[out["municipality"].isin(set(municipalities))]
    out = out.groupby(["municipality", "year", "component"], as_index=False)[["persons"]].sum()
    # SSB's aggregate to today's borders shows 0 for every component where it has no figure (a
    # municipality before it was split off): such municipality-years are absent, not registered zeros
    some = out.groupby(["municipality", "year"])["persons"].transform(lambda s: bool((s != 0).any()))
    out = out[some.astype(bool)]
    out["year"] = out["year"].astype("int64")
    out["persons"] = out["persons"].astype("float64")
    return out.sort_values(["municipality", "year", "component"]).reset_index(drop=True)


def _sum_components(
    raw: pd.DataFrame, contents: dict[str, str], pop: pd.DataFrame, municipalities: Sequence[str]
) -> pd.DataFrame:
    first, last = COMPONENT_YEARS
    raw = raw.assign(municipality=_map(raw["Region"], _municipality)).dropna(subset=["municipality"])
    by_code = {v: k for k, v in contents.items()}
    raw = raw.assign(component=raw["ContentsCode"].map(by_code))
    sums = raw.pivot_table(index="municipality", columns="component", values="value", aggfunc="sum")
    totals = pop.groupby(["municipality", "year"])["population"].sum().unstack("year")
    if first not in totals.columns or last + 1 not in totals.columns:
        raise _Unrecognised(
            _("the population of 1 January {first} and {after} is needed from 07459").format(
                first=first, after=last + 1
            )
        )
    out = pd.DataFrame({"municipality": list(municipalities)}).set_index("municipality")
    out["pop_start"] = totals[first]
    out["pop_end"] = totals[last + 1]
    out["natural_increase_sum"] = sums.get("natural")
    out["net_migration_sum"] = sums.get("net")
    out["population_change_sum"] = sums.get("change")
    out = out.fillna(0).round().astype("int64")
    out["residual_sum"] = out["population_change_sum"] - out["natural_increase_sum"] - out["net_migration_sum"]
    growth = out["pop_end"] - out["pop_start"]
    out["comparable"] = (out["pop_start"] > 0) & (
        (growth - out["population_change_sum"]).abs() <= 0.005 * out["pop_start"]
    )
    return out.reset_index()


_T = TypeVar("_T")


def _optional(step: Callable[[], _T], table: str) -> _T:
    """Run an optional table's step; a 4xx answer (a variable or value the table does not have, as a
    400 "Non-existent variable") is reported and the table skipped, never the whole refresh stopped."""
    try:
        return step()
    except SsbResponseError as exc:
        if exc.status is not None and 400 <= exc.status < 500:
            raise _Skip(_("SSB refused the query for table {table}: {error}").format(table=table, error=exc)) from None
        raise


#: Components summed over 2011-2025 may differ from the bundled sums by one person a year (rounding).
_SUM_TOLERANCE = len(range(COMPONENT_YEARS[0], COMPONENT_YEARS[1] + 1))


def _validate(datasets: dict[str, pd.DataFrame], municipalities: Sequence[str]) -> dict[str, str]:
    """Compare what was fetched with the overlapping years of the bundled snapshot before anything is
    written. The population of 1 January must be identical cell by cell (municipality-years either side
    marks as estimates or unpublished left out): if not, the whole refresh is refused with
    :class:`SsbResponseError`. Components summed over 2011-2025 must agree with the bundled sums within
    rounding for every municipality both have as comparable, and none may be missing or all zero where the
    bundled data have figures; a component data set that fails is returned (name -> reason) and not written,
    so it can never replace real figures with zeros or nothing."""
    from blilyst.stats import snapshot as snap

    refused: dict[str, str] = {}
    pop = datasets["population"]
    bundled = pd.read_parquet(snap.BUNDLED_DIR / "population.parquet")
    keys = ["municipality", "year", "sex", "age"]
    both = pop.merge(bundled, on=keys, suffixes=("", "_bundled"))
    estimated = _flagged_years(pd.read_parquet(snap.BUNDLED_DIR / "population_flags.parquet"))
    estimated |= _flagged_years(datasets.get("population_flags"))
    if estimated:
        both = both[~pd.MultiIndex.from_frame(both[["municipality", "year"]]).isin(list(estimated))]
    differ = both[both["population"] != both["population_bundled"]]
    if len(differ):
        first = differ.iloc[0]
        raise SsbResponseError(
            _(
                "SSB's 07459 answer differs from the bundled registered population in {n} of {cells} overlapping "
                "cells (e.g. {where}: {live} against {bundled}); the refresh was refused and the snapshot not "
                "changed. Report it, or try again when SSB's table is complete."
            ).format(
                n=len(differ),
                cells=len(both),
                where=f"{first.municipality} {first.year} {first.sex} {first.age}",
                live=first.population,
                bundled=first.population_bundled,
            )
        )
    expected = pd.read_parquet(snap.BUNDLED_DIR / "components_2011_2025.parquet").set_index("municipality")
    expected = expected[expected["comparable"] & expected.index.isin(set(municipalities))]
    sums = datasets.get("components_2011_2025")
    if sums is not None:
        live = sums.set_index("municipality").reindex(expected.index)
        for col in ("natural_increase_sum", "net_migration_sum", "population_change_sum"):
            bad = (live[col] - expected[col]).abs() > _SUM_TOLERANCE
            if bad.any():
                code = bad[bad].index[0]
                refused["components_2011_2025"] = _(
                    "refused: {column} over 2011-2025 differs from the bundled registered sums for {n} "
                    "municipalities (e.g. {code}: {live} against {bundled}); the bundled sums stay in use"
                ).format(
                    column=col, n=int(bad.sum()), code=code, live=live.loc[code, col], bundled=expected.loc[code, col]
                )
                break
    annual = datasets.get("components_annual")
    if annual is not None:
        reason = _check_annual(annual, expected)
        if reason:
            refused["components_annual"] = reason
    return refused


def _check_annual(annual: pd.DataFrame, expected: pd.DataFrame) -> str | None:
    """Why ``components_annual`` cannot be trusted, or None: for municipalities with all 15 years of a
    component, its 2011-2025 sum must match the bundled registered sum within rounding (net migration,
    natural increase as births minus deaths, and 09588's moves as domestic plus international net)."""
    first, last = COMPONENT_YEARS
    if annual.empty:
        return _("refused: the answer held no figures for today's municipalities; the earlier figures stay in use")
    span = annual[annual["year"].between(first, last)]
    wide = span.pivot_table(index=["municipality", "year"], columns="component", values="persons", aggfunc="sum")
    n_years = last - first + 1
    checks: dict[str, tuple[str, Callable[[pd.DataFrame], pd.Series]]] = {
        N_("net migration"): ("net_migration_sum", lambda w: w["net_migration"]),
        N_("births and deaths"): ("natural_increase_sum", lambda w: w["births"] - w["deaths"]),
        N_("09588's moves"): (
            "net_migration_sum",
            lambda w: w["domestic_in"] - w["domestic_out"] + w["immigration"] - w["emigration"],
        ),
    }
    needed = {
        "net migration": ["net_migration"],
        "births and deaths": ["births", "deaths"],
        "09588's moves": ["domestic_in", "domestic_out", "immigration", "emigration"],
    }
    for what, (col, value) in checks.items():
        if not set(needed[what]) <= set(wide.columns):
            continue
        per_year = value(wide).dropna()
        counts = per_year.groupby(level="municipality").size()
        full = counts[counts == n_years].index.intersection(expected.index)
        if full.empty:
            continue
        total = per_year.groupby(level="municipality").sum().loc[full]
        bad = (total - expected.loc[full, col]).abs() > _SUM_TOLERANCE + 0.002 * expected.loc[full, col].abs()
        if bad.mean() > 0.05:  # a few municipalities may have border moves counted apart; most must agree
            code = bad[bad].index[0]
            return _(
                "refused: {what} summed over {first}-{last} differ from the bundled registered sums for {n} of "
                "{of} municipalities (e.g. {code}: {live:.0f} against {bundled}); the earlier figures stay in use"
            ).format(
                what=_(what),
                first=first,
                last=last,
                n=int(bad.sum()),
                of=len(full),
                code=code,
                live=total.loc[code],
                bundled=expected.loc[code, col],
            )
    return None


def _flag_partners(pop: pd.DataFrame, flags: pd.DataFrame, tolerance: float = 0.1) -> pd.DataFrame:
    """Flag the other side of a merged-then-split municipality too.

    With ``agg_KommSummer`` SSB shows a municipality that was merged and later split (Haram in Ålesund
    2020-2023) as 0 on its own code and whole on its partner's (PXWEBAPI.md): the partner's figures for
    those years include it and cannot be compared with the years after. The partner is the municipality
    whose population falls, from the last unpublished year to the first published one, by the flagged
    municipality's first published population (within ``tolerance``)."""
    if flags.empty:
        return flags
    totals = pop.groupby(["municipality", "year"])["population"].sum().unstack("year")
    extra = []
    for raw_code, raw_first, raw_last in zip(flags["municipality"], flags["year_from"], flags["year_to"], strict=True):
        code, first, last = str(raw_code), int(raw_first), int(raw_last)
        if last + 1 not in totals.columns or last not in totals.columns:
            continue
        own = float(totals[last + 1].get(code, 0.0))
        if own <= 0:
            continue
        drop = totals[last] - totals[last + 1]
        close = drop[(drop - own).abs() <= tolerance * own].drop(code, errors="ignore")
        if len(close) != 1:
            continue
        partner = str(close.index[0])
        extra.append(
            {
                "municipality": partner,
                "year_from": first,
                "year_to": last,
                "note": f"{partner} {first}–{last}: SSB's figures at today's borders include {code}, which SSB "
                f"shows as 0 in these years (merged, then split off again); not comparable with later years.",
            }
        )
    if not extra:
        return flags
    return pd.concat([flags, pd.DataFrame(extra)], ignore_index=True)


def _flagged_years(flags: pd.DataFrame | None) -> set[tuple[str, int]]:
    """(municipality, year) pairs a ``population_flags`` frame marks."""
    if flags is None or flags.empty:
        return set()
    return {
        (str(code), year)
        for code, first, last in zip(flags["municipality"], flags["year_from"], flags["year_to"], strict=True)
        for year in range(int(first), int(last) + 1)
    }


def _register_codes() -> list[str]:
    from blilyst.stats.register import get_register

    return get_register().codes()


_DESCRIPTIONS = {
    "population": "Population 1 January by municipality (today's borders), sex and single-year age 0-105+",
    "population_flags": "Municipality-years SSB publishes no population for at today's borders",
    "national_population": "Population 1 January of Norway by sex and single-year age",
    "components_2011_2025": "Natural increase, net migration and population growth summed over 2011-2025",
    "components_annual": "Registered births, deaths, immigration, emigration, domestic in- and out-migration, "
    "net migration and population change by municipality and year (as the table has them)",
    "migration_by_age": "Domestic in- and out-migration by municipality, year and single-year age",
    "jobs": "Employed persons 4th quarter by place-of-work municipality (jobs in the municipality), all "
    "industries, sexes and ages: SSB 13470 for the years it has, bundled years it lacks kept",
}


def _manifest_entries(
    tables: dict[str, str], sources: dict[str, dict[str, Any]], base_url: str, fetched_at: str
) -> dict[str, dict[str, Any]]:
    """The manifest entry of each data set fetched: description, SSB table, where and when, licence."""
    entries = {}
    for name, table_id in tables.items():
        src = sources.get(table_id.split("+")[0], {})
        entries[name] = {
            "description": _DESCRIPTIONS[name],
            "ssb_table": table_id,
            "source_file": src.get("url") or f"{base_url}/tables/{table_id}/data",
            "date": (src.get("updated") or fetched_at)[:10],
            "licence": LICENCE,
            "credit": SSB_CREDIT,
            "provenance": f"SSB PxWebApi v2, {src.get('label') or table_id}, updated {src.get('updated')}, "
            f"fetched {fetched_at}",
        }
    return entries


def _note_job_years(entry: dict[str, Any], jobs: pd.DataFrame, municipalities: list[str]) -> None:
    """Which years of the job counts come from 13470 and which were kept from the bundled snapshot."""
    by_source = jobs.groupby("source")["year"].unique()
    years = {k: sorted(int(y) for y in v) for k, v in by_source.items()}
    entry["years"] = years
    old = jobs[jobs["source"] == "bundled"]
    kept = "; ".join(
        f"{y}: {'all' if len(g) == len(municipalities) else ', '.join(sorted(g.municipality))}"
        for y, g in old.groupby("year")
    )
    entry["provenance"] += f"; years {', '.join(map(str, years.get('SSB 13470', [])))} from 13470" + (
        f"; kept from the bundled snapshot where 13470 has no figure ({kept}; 2005 and 2015 are SSB "
        "register-based employment, 'distriktstall' base data, mapped to 2024 codes)"
        if kept
        else ""
    )


def _carry_over_previous(
    dest: Path, datasets: dict[str, pd.DataFrame], entries: dict[str, dict[str, Any]], result: RefreshResult
) -> None:
    """Data sets refreshed earlier but not this time, carried over from the previous local snapshot."""
    previous = _previous_local(dest)
    if previous is not None:
        prev_manifest, prev_frames = previous
        for name in sorted(set(prev_frames) - set(datasets)):
            datasets[name] = prev_frames[name]
            entries[name] = {
                k: v
                for k, v in prev_manifest["datasets"][name].items()
                if k not in ("file", "rows", "columns", "origin")
            }
            why = result.skipped.get(name)
            result.skipped[name] = (
                _("{why}; kept from the previous local snapshot").format(why=why)
                if why
                else _("kept from the previous local snapshot")
            )


def refresh_snapshot(
    dest: Path | str | None = None,
    *,
    client: PxWebClient | None = None,
    progress: Progress | None = None,
    first_year: int = 2006,
    municipalities: Sequence[str] | None = None,
) -> RefreshResult:
    """Fetch the snapshot's SSB tables live and write them as the local snapshot at ``dest``
    (default ``$BLILYST_DATA_DIR`` or ``~/.local/share/blilyst/snapshot``), atomically.

    ``municipalities`` defaults to today's 357 (the register). Raises
    :class:`~blilyst.errors.SsbUnavailable` when offline and :class:`~blilyst.errors.SsbError`
    subclasses for bad answers; in every failure the previous snapshot is left untouched.
    """
    from blilyst.stats import snapshot as snap

    dest = Path(dest) if dest is not None else snap.local_dir()
    own_client = client is None
    if client is None:
        # Live data: table stamps are always checked, and a stale cache is never used for a refresh.
        client = PxWebClient(table_info_ttl=0, offline_cache=False)
    municipalities = sorted(municipalities or _register_codes())
    r = _Refresher(client, progress, first_year)
    result = RefreshResult(dest=dest)
    before = client.requests_made
    try:
        client.table("07459", refresh=True)  # fails fast (offline, SSB down) before any work is done
        snap.make_temp_beside(dest).rmdir()  # so does a destination that cannot be written
        pop, flags, national = r.population(municipalities)
        datasets: dict[str, pd.DataFrame] = {"population": pop, "national_population": national}
        tables = {"population": "07459", "national_population": "07459"}
        if len(flags):
            datasets["population_flags"], tables["population_flags"] = flags, "07459"
        else:  # an empty frame has no column types to store; no flags means none apply
            result.skipped["population_flags"] = _("SSB published every municipality-year; nothing to flag")
        annual: pd.DataFrame | None = None
        try:
            sums, annual, table_id = _optional(lambda: r.components(pop, municipalities), "06913/01223")
            datasets["components_2011_2025"], tables["components_2011_2025"] = sums, table_id
            datasets["components_annual"], tables["components_annual"] = annual, table_id
        except _Skip as exc:
            result.skipped["components_2011_2025"] = str(exc)
            result.skipped["components_annual"] = str(exc)
        try:
            flows = _optional(lambda: r.migration_flows(municipalities), "09588")
            datasets["components_annual"] = _merge_annual(annual, flows)
            tables["components_annual"] = f"{tables['components_annual']}+09588" if annual is not None else "09588"
            result.skipped.pop("components_annual", None)
        except _Skip as exc:
            result.skipped["09588"] = str(exc)
        try:
            live_jobs = _optional(lambda: r.jobs(municipalities), "13470")
            datasets["jobs"], tables["jobs"] = _merge_jobs(live_jobs, _bundled_jobs()), "13470"
        except _Skip as exc:
            result.skipped["jobs"] = _("{reason}; the bundled job counts stay in use").format(reason=exc)
        for name, reason in _validate(datasets, municipalities).items():
            datasets.pop(name, None)
            tables.pop(name, None)
            result.skipped[name] = reason
    finally:
        result.requests = client.requests_made - before
        if own_client:
            client.close()

    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    entries = _manifest_entries(tables, r.sources, client.base_url, fetched_at)
    if "jobs" in tables:
        _note_job_years(entries["jobs"], datasets["jobs"], municipalities)
    _carry_over_previous(dest, datasets, entries, result)
    manifest = {
        "version": f"{fetched_at[:10]}-refresh",
        "built": fetched_at[:10],
        "structure": 2024,
        "credit": SSB_CREDIT,
        "licence": LICENCE,
        "source": "refresh",
        "fetched": fetched_at,
        "tables": dict(r.result_tables),
        "skipped": dict(result.skipped),
        "datasets": entries,
    }
    snap.write_snapshot(datasets, manifest, dest)
    result.datasets = {name: len(frame) for name, frame in datasets.items()}
    result.tables = dict(r.result_tables)
    return result


def _previous_local(dest: Path) -> tuple[dict[str, Any], dict[str, pd.DataFrame]] | None:
    """The manifest and frames of the local snapshot at ``dest``, or ``None`` if there is none or it is
    unreadable (then it is simply replaced)."""
    import json

    from blilyst.stats import snapshot as snap

    try:
        manifest = json.loads((dest / snap.MANIFEST).read_text(encoding="utf-8"))
        frames = {
            name: pd.read_parquet(dest / entry.get("file", f"{name}.parquet"))
            for name, entry in manifest["datasets"].items()
            if name in snap.SCHEMAS
        }
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # a damaged folder (unreadable file, bad JSON or parquet, a manifest without data sets) carries
        # nothing over; pyarrow's read errors are OSError or ValueError
        log.warning("previous local snapshot at %s is unreadable (%s); it will be replaced", dest, exc)
        return None
    return manifest, frames


__all__ = ["RefreshResult", "refresh_snapshot"]
