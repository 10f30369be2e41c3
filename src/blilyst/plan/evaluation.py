"""Does it work? Aggregates from the newcomer service set beside the municipality's own statistics.

Takes plain household records (a list of dicts or a DataFrame exported from the newcomer service) and
returns **aggregates only**: the pipeline funnel, households and persons that moved in per target group,
retention (Kaplan–Meier, :mod:`blilyst.demography.retention`), the share of the municipality's total
in-migration the service reached, and reasons for moving away, grouped. Every table follows the one
small-number rule of :mod:`blilyst.plan.smallnumbers` (counts of 1 and 2 hidden with the cells that would
reveal them, shares only from 5 households), so that no single household can be recognised in what
analysts see.

The booklet's point that most moves are onward moves (60 % of annual moves) is why retention is here:
"stay here" may matter more than "move here".

Record fields (all optional except where noted):

* ``stage``: the furthest pipeline stage reached (:data:`FUNNEL_STAGES`), required for the funnel;
* ``target_group``: a group key; ``persons``: household size (default 1);
* ``moved_in`` / ``moved_out``: dates (ISO strings or dates); ``move_out_reason``: free text or a key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from blilyst.demography.retention import (
    DEFAULT_YEARS,
    SurvivalCurve,
    retention_table,
    survival_by_group,
)
from blilyst.errors import InputError
from blilyst.i18n import N_, gettext, override
from blilyst.plan import smallnumbers
from blilyst.plan.texts import year_span

FUNNEL_STAGES = ("enquiry", "in_dialogue", "visited", "decided", "moved_in")
# Labels are translated at use time (stage_label, reason_label), so each reader gets their own language.
STAGE_LABELS: dict[str, str] = {
    "enquiry": N_("Enquiry"),
    "in_dialogue": N_("In dialogue"),
    "visited": N_("Visited"),
    "decided": N_("Decided"),
    "moved_in": N_("Moved in"),
}
STAGE_ALIASES = {
    "henvendelse": "enquiry",
    "enquiry": "enquiry",
    "lead": "enquiry",
    "dialog": "in_dialogue",
    "i_dialog": "in_dialogue",
    "in_dialogue": "in_dialogue",
    "contact": "in_dialogue",
    "besøk": "visited",
    "visited": "visited",
    "visit": "visited",
    "bestemt": "decided",
    "decided": "decided",
    "flyttet_inn": "moved_in",
    "moved_in": "moved_in",
    "moved": "moved_in",
    # stages beyond moving in still count as having moved in
    "settled": "moved_in",
    "moved_out": "moved_in",
    "flyttet_ut": "moved_in",
}

REASON_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "work": (
        N_("Work"),
        ("jobb", "arbeid", "stilling", "work", "job", "career", "karriere", "employ"),
    ),
    "partner_work": (N_("Partner's work"), ("partner", "ektefelle", "samboer", "spouse")),
    "housing": (N_("Housing"), ("bolig", "hus", "leilighet", "housing", "house", "flat", "rent")),
    "services": (
        N_("Kindergarten, school and services"),
        ("barnehage", "skole", "helse", "lege", "kindergarten", "school", "daycare", "health", "doctor"),
    ),
    "social": (
        N_("Social life and belonging"),
        (
            "sosial",
            "venn",
            "ensom",
            "inkluder",
            "miljø",
            "fritid",
            "social",
            "friend",
            "lonely",
            "included",
            "belong",
            "leisure",
        ),
    ),
    "family": (N_("Family"), ("familie", "foreldre", "family", "parents", "grandchildren")),
    "education": (
        N_("Education"),
        ("studier", "utdanning", "studies", "education", "university"),
    ),
    "other": (N_("Other"), ()),
}
# 'partner' is checked before 'work' so "no job for my partner" lands in partner_work
REASON_ORDER = ("partner_work", "work", "housing", "services", "social", "family", "education")


def stage_label(stage: str, lang: str | None = None) -> str:
    """A funnel stage's name in ``lang`` (the active language when ``None``)."""
    with override(lang):
        return gettext(STAGE_LABELS[stage])


def reason_label(group: str, lang: str | None = None) -> str:
    """A move-out reason group's name in ``lang`` (the active language when ``None``)."""
    with override(lang):
        return gettext(REASON_GROUPS[group][0])


def _records(records: Iterable[Mapping[str, Any]] | pd.DataFrame) -> list[dict[str, Any]]:
    if isinstance(records, pd.DataFrame):
        return [{str(k): v for k, v in r.items()} for r in records.to_dict("records")]
    return [dict(r) for r in records]


def _suppress(frame: pd.DataFrame, columns: Sequence[str], min_cell: int) -> pd.DataFrame:
    """Hide rows by :mod:`blilyst.plan.smallnumbers` (small counts and the cells that would reveal them,
    judged on the first column); ``min_cell=1`` shows everything (a household's own data only)."""
    frame = frame.copy()
    if min_cell > 1 and not frame.empty:
        small = pd.Series(
            smallnumbers.hidden_cells([float(v) for v in frame[columns[0]]], total_known=True), index=frame.index
        )
        for col in columns:
            frame[col] = frame[col].astype("float").where(~small)
        frame["suppressed"] = small
    else:
        frame["suppressed"] = False
    return frame


def normalise_stage(stage: object) -> str:
    key = str(stage).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in STAGE_ALIASES:
        raise InputError(
            "stage",
            gettext("unknown stage '{stage}'; use {choices}").format(stage=stage, choices=", ".join(FUNNEL_STAGES)),
        )
    return STAGE_ALIASES[key]


def funnel(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    stage_field: str = "stage",
    min_cell: int = smallnumbers.MIN_COUNT,
    lang: str | None = None,
) -> pd.DataFrame:
    """Households that reached at least each stage, with the share of all enquiries and the conversion
    from the previous stage. Columns: ``stage, label, households, share_of_enquiries, conversion,
    suppressed``; ``label`` in ``lang`` (the active language when ``None``). By the small-number rule a
    stage reached by one or two households shows no count (NaN, ``suppressed``), and a share needs at least
    five households beneath it."""
    rows = _records(records)
    reached = [0] * len(FUNNEL_STAGES)
    for k, row in enumerate(rows):
        if row.get(stage_field) in (None, ""):
            raise InputError(stage_field, gettext("record {number} has no stage").format(number=k + 1))
        idx = FUNNEL_STAGES.index(normalise_stage(row[stage_field]))
        for i in range(idx + 1):
            reached[i] += 1
    frame = pd.DataFrame(
        {
            "stage": FUNNEL_STAGES,
            "label": [stage_label(s, lang) for s in FUNNEL_STAGES],
            "households": reached,
        }
    )
    first = reached[0]
    if min_cell <= 1:
        frame["share_of_enquiries"] = [n / first if first else float("nan") for n in reached]
        frame["conversion"] = [float("nan")] + [
            (reached[i] / reached[i - 1] if reached[i - 1] else float("nan")) for i in range(1, len(reached))
        ]
        frame["suppressed"] = False
        return frame

    def nan_if_none(value: float | None) -> float:
        return float("nan") if value is None else value

    frame["share_of_enquiries"] = [nan_if_none(smallnumbers.share(n, first)) for n in reached]
    frame["conversion"] = [float("nan")] + [
        nan_if_none(smallnumbers.share(reached[i], reached[i - 1])) for i in range(1, len(reached))
    ]
    small = frame["households"].map(lambda n: smallnumbers.is_small(float(n)))
    frame["households"] = frame["households"].astype("float").where(~small)
    frame["suppressed"] = small
    return frame


def _moved_in_rows(rows: list[dict[str, Any]], since: dt.date | None, until: dt.date | None) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        value = row.get("moved_in")
        if value in (None, "") or (isinstance(value, float) and pd.isna(value)):
            continue
        date = pd.Timestamp(value).date()
        if (since and date < since) or (until and date > until):
            continue
        out.append({**row, "_moved_in": date})
    return out


def moved_in_by_group(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    min_cell: int = smallnumbers.MIN_COUNT,
    group_field: str = "target_group",
) -> pd.DataFrame:
    """Households and persons that moved in, per target group (``"unspecified"`` when none is recorded),
    between ``since`` and ``until`` inclusive. Groups with 1 to ``min_cell - 1`` households are suppressed
    (NaN, ``suppressed`` true)."""
    rows = _moved_in_rows(_records(records), since, until)
    data = pd.DataFrame(
        {
            "target_group": [str(r.get(group_field) or "unspecified") for r in rows],
            "persons": [int(r.get("persons") or 1) for r in rows],
        }
    )
    if data.empty:
        return pd.DataFrame(columns=["target_group", "households", "persons", "suppressed"])
    table = data.groupby("target_group").agg(households=("persons", "size"), persons=("persons", "sum"))
    table = table.reset_index().sort_values("households", ascending=False, kind="stable")
    return _suppress(table, ["households", "persons"], min_cell).reset_index(drop=True)


@dataclass(frozen=True)
class Reach:
    """How much of the municipality's in-migration the service touched."""

    persons_moved_in_via_service: int
    total_in_migration: float
    years: tuple[int, ...]

    @property
    def share(self) -> float:
        return self.persons_moved_in_via_service / self.total_in_migration if self.total_in_migration else float("nan")

    @property
    def period(self) -> str:
        """The years covered as readers see them ("2019–2024", or the one year)."""
        return year_span(self.years)


def reach(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    municipality: str,
    migration_by_age: pd.DataFrame | None = None,
    total_in_migration: float | None = None,
    years: Sequence[int],
) -> Reach:
    """Persons who moved in via the service in ``years`` against all in-migrants in those years.

    The total comes from ``total_in_migration`` if given, otherwise from ``migration_by_age`` (the snapshot
    frame; summed over ages). Note that the snapshot's migration by age counts moves, and in-migration from
    abroad may be counted differently from domestic moves; see docs/plan.md.
    """
    years = tuple(int(y) for y in years)
    if not years:
        raise InputError("years", gettext("give at least one year"))
    rows = _moved_in_rows(_records(records), dt.date(min(years), 1, 1), dt.date(max(years), 12, 31))
    persons = sum(int(r.get("persons") or 1) for r in rows if r["_moved_in"].year in years)
    if total_in_migration is None:
        if migration_by_age is None:
            raise InputError(
                "total_in_migration", gettext("give the total, or the migration_by_age frame to sum it from")
            )
        sel = migration_by_age[
            (migration_by_age["municipality"].astype(str) == str(municipality)) & migration_by_age["year"].isin(years)
        ]
        if sel.empty:
            raise InputError(
                "municipality",
                gettext("no in-migration figures for {municipality} in {years}").format(
                    municipality=municipality, years=", ".join(map(str, years))
                ),
            )
        total_in_migration = float(sel["in_migration"].fillna(0).sum())
    return Reach(persons, float(total_in_migration), years)


def reason_group(text: str | None) -> str:
    """The group (:data:`REASON_GROUPS`) a free-text or keyed reason for moving away belongs to."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return "other"
    value = str(text).strip().lower()
    if value in REASON_GROUPS:
        return value
    for key in REASON_ORDER:
        if any(re.search(r"\b" + re.escape(word), value) for word in REASON_GROUPS[key][1]):
            return key
    return "other"


def move_out_reasons(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    reason_field: str = "move_out_reason",
    min_cell: int = smallnumbers.MIN_COUNT,
    lang: str = "nb",
) -> pd.DataFrame:
    """Households that moved away, by grouped reason: ``reason, label, households, share, suppressed``."""
    rows = [
        r
        for r in _records(records)
        if r.get("moved_out") not in (None, "")
        and not (isinstance(r.get("moved_out"), float) and pd.isna(r.get("moved_out")))
    ]
    groups = [reason_group(r.get(reason_field)) for r in rows]
    counts = pd.Series(groups, dtype="object").value_counts()
    table = pd.DataFrame({"reason": counts.index.astype(str), "households": counts.values.astype(int)})
    total = int(table["households"].sum())
    table["label"] = [reason_label(k, lang) for k in table["reason"]]
    if min_cell > 1:
        table["share"] = [
            float("nan") if (v := smallnumbers.share(float(n), float(total))) is None else v
            for n in table["households"]
        ]
    else:
        table["share"] = table["households"] / total if total else float("nan")
    table = _suppress(table, ["households"], min_cell)
    table.loc[table["suppressed"], "share"] = float("nan")
    return table[["reason", "label", "households", "share", "suppressed"]].reset_index(drop=True)


@dataclass(frozen=True)
class Evaluation:
    as_of: dt.date
    funnel: pd.DataFrame
    moved_in: pd.DataFrame
    retention: pd.DataFrame
    curves: Mapping[str, SurvivalCurve]
    reasons: pd.DataFrame
    reach: Reach | None


def evaluate(
    records: Iterable[Mapping[str, Any]] | pd.DataFrame,
    *,
    as_of: dt.date,
    municipality: str | None = None,
    migration_by_age: pd.DataFrame | None = None,
    years: Sequence[int] | None = None,
    min_cell: int = smallnumbers.MIN_COUNT,
    min_group: int = 5,
    retention_years: Sequence[float] = DEFAULT_YEARS,
    lang: str = "nb",
) -> Evaluation:
    """Everything in "does it work?" at once. Retention curves are kept per target group only for groups
    with at least ``min_group`` households that moved in (smaller groups are only in ``"all"``), and not at
    all while fewer than ``min_group`` households have moved in: each step of a curve over a handful of
    households is one household's move away."""
    rows = _records(records)
    moved = [r for r in rows if r.get("moved_in") not in (None, "")]
    curves = survival_by_group(moved, as_of=as_of, group="target_group") if moved else {}
    curves = {k: c for k, c in curves.items() if c.n >= min_group}
    reach_result = None
    if municipality is not None and migration_by_age is not None and years:
        reach_result = reach(moved, municipality=municipality, migration_by_age=migration_by_age, years=years)
    return Evaluation(
        as_of=as_of,
        funnel=funnel(rows, min_cell=min_cell, lang=lang)
        if rows and all("stage" in r for r in rows)
        else funnel([], lang=lang),
        moved_in=moved_in_by_group(moved, min_cell=min_cell),
        retention=retention_table(curves, retention_years) if curves else pd.DataFrame(),
        curves=curves,
        reasons=move_out_reasons(moved, min_cell=min_cell, lang=lang),
        reach=reach_result,
    )
