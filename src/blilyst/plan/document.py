"""The plan as a document a municipality can attach to a council case: DOCX (python-docx) and PDF (reportlab).

A :class:`Plan` gathers the five steps — needs analysis (key figures, charts, comparison), bottlenecks,
target group with the priority check and the written chain, the honest-message check, and "does it
work?" — and :func:`to_docx` / :func:`to_pdf` lay it out the same way: dated, every chart followed by its
data table and a text alternative, every figure with its source ("Kilde: Statistisk sentralbyrå").

Both renderers work from one list of blocks (heading, paragraph, table, image), so the two files say the
same thing. Charts are Vega-Lite specs (built with altair) rendered to PNG offline by vl-convert. The PDF
uses reportlab's built-in Helvetica, whose WinAnsi encoding covers æ, ø, å and the rest of Norwegian
bokmål; characters outside it (e.g. Sami ŋ, arrows) are transliterated (:func:`winansi`).

:func:`build_plan` fills the needs-analysis part from the bundled snapshot for one municipality.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import N_, format_number, format_percent, in_language, override
from blilyst.i18n import format_date as i18n_format_date
from blilyst.i18n import gettext as _
from blilyst.plan import smallnumbers
from blilyst.plan.actions import ActionItem
from blilyst.plan.bottlenecks import Assessment, Rating, short_label
from blilyst.plan.chain import Chain, validate_chain
from blilyst.plan.evaluation import Evaluation
from blilyst.plan.honesty import HonestyReport
from blilyst.plan.honesty import document_section as honesty_section
from blilyst.plan.targetgroups import GroupEvidence, PriorityWarning, bottlenecks_hitting, group_label
from blilyst.plan.texts import data_age_note
from blilyst.stats.credit import SSB_CREDIT

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

T: dict[str, str] = {
    "title": N_("Plan for attracting and keeping residents"),
    "prepared": N_("Prepared"),
    "municipality": N_("Municipality"),
    "s_needs": N_("1. Needs analysis"),
    "s_key": N_("Key figures"),
    "s_compare": N_("Similar municipalities"),
    "s_bottlenecks": N_("2. Bottlenecks"),
    "s_target": N_("3. Target group"),
    "s_warnings": N_("Priorities that contradict the data"),
    "s_chain": N_("Goal, target group, measures and indicators"),
    "s_honesty": N_("4. Honest message"),
    "s_works": N_("5. Does it work?"),
    "s_sources": N_("Sources"),
    "data_table": N_("The figures behind the chart"),
    "alt": N_("Chart description"),
    "estimated": N_("Estimated figures, not registered statistics."),
    "none": N_("Not filled in yet."),
    "chosen": N_("Chosen"),
    "group": N_("Group"),
    "level": N_("Level"),
    "in_share": N_("Share of in-migrants"),
    "out_share": N_("Share of out-migrants"),
    "imm_share": N_("Share of immigrants"),
    "notes": N_("Note"),
    "question": N_("Question"),
    "rating": N_("Rating"),
    "suggested": N_("The evidence suggests"),
    "evidence": N_("Evidence"),
    "date": N_("Date"),
    "goal": N_("Goal"),
    "target_group": N_("Target group"),
    "measure": N_("Measure"),
    "indicator": N_("Indicator"),
    "target": N_("Target"),
    "source": N_("Source"),
    "chain_problems": N_("Gaps in the chain"),
    "claim": N_("Claim"),
    "verdict": N_("Verdict"),
    "reason": N_("Reason"),
    "excerpt": N_("Excerpt"),
    "cliche": N_("Cliché or shadow message"),
    "stage": N_("Stage"),
    "households": N_("Households"),
    "persons": N_("Persons"),
    "conversion": N_("Share from previous step"),
    "funnel": N_("From enquiry to moving in"),
    "moved_in": N_("Moved in per target group"),
    "retention": N_("Share still resident"),
    "after": N_("after"),
    "years": N_("years"),
    "reach": N_("The service reached {persons} of {total} in-migrants in {period} ({share})."),
    "reasons": N_("Why people moved on"),
    "suppressed": N_("hidden (under 3)"),
    "s_summary": N_("Summary"),
    "s_recommendations": N_("Recommendations"),
    "s_actions": N_("Action plan"),
    "s_goal_check": N_("Does the goal fit the projection?"),
    "responsible": N_("Responsible"),
    "partners": N_("Partners"),
    "period": N_("Period"),
    "cost": N_("Cost"),
    "s_competence": N_("Competence the municipality will lack"),
    "s_survey": N_("Residents' own wish to stay"),
    "s_recruitment": N_("Employers' recruitment needs"),
    "s_not_offered": N_("What the newcomer service does not offer"),
    "s_group_messages": N_("The message for each target group"),
    "no_target": N_(
        "The plan has no target for more in-migrants a year yet, so it cannot be held against the projection."
    ),
}


def document_language(lang: str) -> str:
    """The language tag a document declares (DOCX core properties, PDF /Lang): nb-NO, nn-NO or en-GB, the
    same CLDR locale that formats its numbers and dates."""
    from blilyst import i18n

    return i18n._CLDR[i18n.normalise(lang)].replace("_", "-")


def tr(key: str, lang: str) -> str:
    """The document's fixed text ``key`` in ``lang``."""
    with override(lang):
        return _(T[key])


def format_date(day: dt.date, lang: str = "nb") -> str:
    """A date in running text (6. desember 2026 / 6 December 2026)."""
    return i18n_format_date(day, "long", lang)


# ---------------------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class ChartSpec:
    """A chart with everything the document needs to show it accessibly."""

    title: str
    spec: Mapping[str, Any]  # Vega-Lite JSON (e.g. ``altair.Chart.to_dict()``)
    alt_text: str
    table: pd.DataFrame
    source: str = SSB_CREDIT
    estimated: bool = False


@dataclass(frozen=True)
class TableSpec:
    title: str
    frame: pd.DataFrame
    source: str = ""
    note: str = ""
    widths: tuple[float, ...] | None = None  # relative column widths in the PDF


@dataclass(frozen=True)
class Section:
    """A titled part of the plan that a core module words and computes (competence, survey, recruitment
    needs ...): paragraphs, then tables, then small print. The renderers only lay it out."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class Plan:
    """Everything the plan document shows. Only ``municipality``, ``name`` and ``prepared_on`` are required;
    empty parts are printed as "not filled in yet" so the reader sees what is missing."""

    municipality: str
    name: str
    prepared_on: dt.date
    lang: str = "nb"
    title: str = ""
    summary: str = ""
    key_figures: pd.DataFrame | None = None  # columns: label, value, (note)
    charts: list[ChartSpec] = field(default_factory=list)
    tables: list[TableSpec] = field(default_factory=list)
    comparison: TableSpec | None = None
    target_groups: list[GroupEvidence] = field(default_factory=list)
    chosen_groups: tuple[str, ...] = ()
    priority_warnings: list[PriorityWarning] = field(default_factory=list)
    chain: Chain | None = None
    bottlenecks: Assessment | None = None
    honesty: HonestyReport | None = None
    evaluation: Evaluation | None = None
    evaluation_charts: list[ChartSpec] = field(default_factory=list)
    sources: list[str] = field(default_factory=lambda: [SSB_CREDIT])
    version_text: str = ""  # "Versjon 2, vedtatt i kommunestyret …" or "Versjon 3, utkast …"
    recommendations: list[str] = field(default_factory=list)
    changes_title: str = ""
    changes: list[str] = field(default_factory=list)  # what changed since the adopted version
    actions: list[ActionItem] = field(default_factory=list)
    action_gaps: list[str] = field(default_factory=list)
    goal_check: str = ""  # the plan's target for in-migrants against the projection; "" without a target
    # parts built by their own core modules; None prints "not filled in yet" under the section's heading
    competence: Section | None = None
    survey: Section | None = None
    recruitment: Section | None = None
    not_offered: Section | None = None
    group_messages: Section | None = None

    def full_title(self) -> str:
        return self.title or f"{tr('title', self.lang)} – {self.name}"


# ------------------------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"  # "body", "small", "note", "warning"


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] | None = None  # relative column widths


@dataclass(frozen=True)
class PageBreak:
    """The first page (summary and recommendations) ends here."""


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str = ""
    alt: str = ""  # the text alternative (PDF /Alt, DOCX descr, HTML alt)


def is_year_column(name: object) -> bool:
    """A column of years (``year``, ``År``, ``Year``): its numbers are never grouped (2006, not 2 006)."""
    words = str(name).lower().replace("(", " ").replace(")", " ").split()
    return bool(words) and words[0] in ("year", "år", "years")


def _cell(value: object, lang: str, *, share: bool = False, year: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if year and isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, bool):
        with override(lang):
            return _("yes") if value else _("no")
    if share and isinstance(value, (int, float)):
        return format_percent(float(value), 1 if abs(value) < 0.1 else 0, lang)
    if isinstance(value, (int,)) or (isinstance(value, float) and float(value).is_integer() and abs(value) >= 1):
        return format_number(float(value), 0, lang)
    if isinstance(value, float):
        return format_number(value, 2, lang)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return format_date(value if isinstance(value, dt.date) else value.date(), lang)
    return str(value)


def frame_grid(
    frame: pd.DataFrame,
    lang: str,
    *,
    share_columns: Sequence[str] = (),
    caption: str = "",
    headers: Mapping[str, str] | None = None,
) -> Grid:
    """A DataFrame as a table block: numbers formatted for the language, shares as percentages."""
    headers = headers or {}
    header = tuple(str(headers.get(c, c)) for c in frame.columns)
    years = [is_year_column(c) for c in frame.columns]
    rows = tuple(
        tuple(
            _cell(v, lang, share=c in share_columns, year=y) for c, v, y in zip(frame.columns, row, years, strict=False)
        )
        for row in frame.itertuples(index=False, name=None)
    )
    return Grid(header, rows, caption)


def render_chart_png(spec: Mapping[str, Any], scale: float = 2.0, lang: str | None = None) -> bytes:
    """Vega-Lite spec to PNG with vl-convert (offline), axis numbers in ``lang``'s format (default: the active
    language). The same spec is rendered once per process."""
    from blilyst.i18n import normalise

    return _render_cached(json.dumps(spec, sort_keys=True, default=str), scale, normalise(lang))


@functools.lru_cache(maxsize=64)
def _render_cached(spec_json: str, scale: float, lang: str) -> bytes:
    import vl_convert as vlc

    from blilyst.i18n import d3_format_locale
    from blilyst.plan.rendered import cached

    locale = d3_format_locale(lang)
    version = importlib.metadata.version("vl-convert-python")
    return cached(
        f"png|{version}|{scale!r}|{json.dumps(locale, sort_keys=True)}|{spec_json}",
        "png",
        lambda: vlc.vegalite_to_png(json.loads(spec_json), scale=scale, format_locale=locale),
    )


def _chart_blocks(chart: ChartSpec, lang: str) -> list[Any]:
    blocks: list[Any] = [
        Heading(chart.title, 3),
        Picture(render_chart_png(chart.spec, lang=lang), f"{chart.source}", chart.alt_text),
    ]
    blocks.append(Para(f"{tr('alt', lang)}: {chart.alt_text}", "small"))
    if chart.estimated:
        blocks.append(Para(tr("estimated", lang), "note"))
    blocks.append(frame_grid(chart.table, lang, caption=f"{tr('data_table', lang)}. {chart.source}"))
    return blocks


def plan_blocks(plan: Plan) -> list[Any]:
    """The document as a list of blocks, in order; both renderers draw exactly these."""
    lang = plan.lang
    b: list[Any] = [
        Heading(plan.full_title(), 0),
        Para(
            f"{tr('municipality', lang)}: {plan.municipality} {plan.name}. "
            f"{tr('prepared', lang)} {format_date(plan.prepared_on, lang)}."
        ),
    ]
    if plan.version_text:
        b.append(Para(plan.version_text))
    # first page: what the evidence says and what follows from it
    b.append(Heading(tr("s_summary", lang), 1))
    b.append(Para(plan.summary) if plan.summary else Para(tr("none", lang), "note"))
    if plan.recommendations:
        b.append(Heading(tr("s_recommendations", lang), 2))
        for i, text in enumerate(plan.recommendations, start=1):
            b.append(Para(f"{i}. {text}"))
    if plan.changes_title:
        b.append(Heading(plan.changes_title, 2))
        for text in plan.changes:
            b.append(Para(text))
    b.append(PageBreak())
    b += _needs_blocks(plan, lang)
    b += _bottleneck_blocks(plan, lang)
    b += _target_group_blocks(plan, lang)
    b += _honesty_blocks(plan, lang)
    b += _evaluation_blocks(plan, lang)

    b.append(Heading(tr("s_sources", lang), 1))
    for s in dict.fromkeys(plan.sources):
        b.append(Para(s, "small"))
    return b


def _needs_blocks(plan: Plan, lang: str) -> list[Any]:
    """Step 1: the needs analysis."""
    b: list[Any] = []
    b.append(Heading(tr("s_needs", lang), 1))
    if plan.key_figures is not None and not plan.key_figures.empty:
        b.append(Heading(tr("s_key", lang), 2))
        b.append(
            Grid(
                tuple(plan.key_figures.columns),
                tuple(tuple(str(v) for v in row) for row in plan.key_figures.itertuples(index=False)),
                SSB_CREDIT,
            )
        )
    for chart in plan.charts:
        b.extend(_chart_blocks(chart, lang))
    for table in plan.tables:
        b.append(Heading(table.title, 3))
        b.append(
            Grid(
                tuple(table.frame.columns),
                tuple(tuple(str(v) for v in r) for r in table.frame.itertuples(index=False)),
                table.source,
                table.widths,
            )
        )
        if table.note:
            b.append(Para(table.note, "small"))
    if plan.comparison is not None:
        b.append(Heading(tr("s_compare", lang), 2))
        b.append(
            Grid(
                tuple(plan.comparison.frame.columns),
                tuple(tuple(str(v) for v in r) for r in plan.comparison.frame.itertuples(index=False)),
                plan.comparison.source,
                plan.comparison.widths,
            )
        )
        if plan.comparison.note:
            b.append(Para(plan.comparison.note, "small"))
    b += section_blocks(plan.competence, tr("s_competence", lang), lang)
    b += section_blocks(plan.recruitment, tr("s_recruitment", lang), lang)
    b += section_blocks(plan.survey, tr("s_survey", lang), lang)
    return b


def table_blocks(table: TableSpec, level: int = 3) -> list[Any]:
    """A table with its heading, source and note."""
    b: list[Any] = [Heading(table.title, level)] if table.title else []
    b.append(
        Grid(
            tuple(str(c) for c in table.frame.columns),
            tuple(tuple(str(v) for v in r) for r in table.frame.itertuples(index=False)),
            table.source,
            table.widths,
        )
    )
    if table.note:
        b.append(Para(table.note, "small"))
    return b


def section_blocks(section: Section | None, fallback_title: str, lang: str, level: int = 2) -> list[Any]:
    """A :class:`Section` under its heading, or the heading and "not filled in yet" when there is none."""
    if section is None:
        return [Heading(fallback_title, level), Para(tr("none", lang), "note")]
    b: list[Any] = [Heading(section.title or fallback_title, level)]
    b += [Para(text) for text in section.paragraphs]
    for table in section.tables:
        b += table_blocks(table, level + 1)
    b += [Para(text, "small") for text in section.notes]
    return b


def _bottleneck_blocks(plan: Plan, lang: str) -> list[Any]:
    """Step 2: the bottlenecks checklist."""
    b: list[Any] = []
    b.append(Heading(tr("s_bottlenecks", lang), 1))
    if plan.bottlenecks is None:
        b.append(Para(tr("none", lang), "note"))
    else:
        frame = plan.bottlenecks.to_frame(lang)
        rows = tuple(
            (
                str(r["question"]),
                str(r["rating_label"]),
                str(r["suggested_label"]),
                str(r["notes"] or "–"),
                str(r["evidence"] or "–"),
                _cell(r["assessed_on"], lang),
            )
            for r in frame.to_dict("records")
        )
        b.append(
            Grid(
                (
                    tr("question", lang),
                    tr("rating", lang),
                    tr("suggested", lang),
                    tr("notes", lang),
                    tr("evidence", lang),
                    tr("date", lang),
                ),
                rows,
                widths=(3, 1.2, 1.2, 2, 3, 1.3),
            )
        )
    b += section_blocks(plan.not_offered, tr("s_not_offered", lang), lang)
    return b


def _target_group_blocks(plan: Plan, lang: str) -> list[Any]:
    """Step 3: the target groups, the chain from goal to measure and the actions."""
    b: list[Any] = []
    b.append(Heading(tr("s_target", lang), 1))
    if plan.target_groups:
        rows = []
        for ev in plan.target_groups:
            chosen = "✓ " if ev.group.key in plan.chosen_groups else ""
            note = " ".join(in_language(n, lang) for n in ev.notes[:1])
            row: tuple[str, ...] = (
                chosen + ev.group.label(lang),
                str(ev.group.level or "–"),
                _cell(ev.in_share, lang, share=True),
                _cell(ev.out_share, lang, share=True),
                _cell(ev.immigrant_share, lang, share=True),
            )
            if plan.bottlenecks is not None:
                hits = bottlenecks_hitting(ev.group, plan.bottlenecks)
                row += (", ".join(short_label(k, lang) for k, _rating in hits) or "–",)
            rows.append((*row, note or "–"))
        period = next((ev.period for ev in plan.target_groups if ev.period), "")
        imm_year = next((ev.immigrant_year for ev in plan.target_groups if ev.immigrant_year), None)
        header: tuple[str, ...] = (
            tr("group", lang),
            tr("level", lang),
            tr("in_share", lang),
            tr("out_share", lang),
            tr("imm_share", lang) + (f" {imm_year}" if imm_year else ""),
        )
        if imm_year and data_age_note(imm_year, plan.prepared_on):
            # the immigrants by reason end years before the plan: the caption says how old the shares are
            with override(lang):
                period = f"{period}. " + _(
                    "The shares of immigrants are from {year}, {age} years ago; the pattern may have changed since."
                ).format(year=imm_year, age=plan.prepared_on.year - imm_year)
        widths: tuple[float, ...] = (2.4, 0.8, 1.3, 1.3, 1.3)
        if plan.bottlenecks is not None:
            header += (tr("s_bottlenecks", lang).split(". ", 1)[-1],)
            widths += (1.6,)
        b.append(Grid((*header, tr("notes", lang)), tuple(rows), f"{period}. {SSB_CREDIT}; IMDi", widths=(*widths, 4)))
    else:
        b.append(Para(tr("none", lang), "note"))
    if plan.priority_warnings:
        b.append(Heading(tr("s_warnings", lang), 2))
        for w in plan.priority_warnings:
            b.append(Para(w.text(lang), "warning"))
    b.append(Heading(tr("s_chain", lang), 2))
    if plan.chain is None:
        b.append(Para(tr("none", lang), "note"))
    else:
        frame = plan.chain.to_frame(lang, [e.group for e in plan.target_groups])
        b.append(
            Grid(
                (
                    tr("goal", lang),
                    tr("target_group", lang),
                    tr("measure", lang),
                    tr("indicator", lang),
                    tr("target", lang),
                    tr("source", lang),
                ),
                tuple(tuple(str(v) for v in r) for r in frame.itertuples(index=False)),
                widths=(2.2, 1.8, 2.2, 2.2, 1.2, 1.6),
            )
        )
        problems = validate_chain(plan.chain, [e.group for e in plan.target_groups])
        if problems:
            b.append(Para(tr("chain_problems", lang) + ":", "body"))
            for p in problems:
                b.append(Para(p.text(lang), "warning" if p.severity == "error" else "small"))

    b.append(Heading(tr("s_actions", lang), 2))
    if plan.actions:
        b.append(
            Grid(
                (
                    tr("measure", lang),
                    tr("responsible", lang),
                    tr("partners", lang),
                    tr("period", lang),
                    tr("cost", lang),
                    tr("indicator", lang),
                    tr("target", lang),
                ),
                tuple(
                    (
                        a.measure,
                        a.responsible or "–",
                        "; ".join(p.text() for p in a.partners) or "–",
                        a.period_text(),
                        a.cost_text(),
                        a.indicator or "–",
                        a.target_text(),
                    )
                    for a in plan.actions
                ),
                widths=(2.2, 1.5, 2.4, 1.0, 1.2, 1.8, 1.2),
            )
        )
        for gap in plan.action_gaps:
            b.append(Para(gap, "small"))
    else:
        b.append(Para(tr("none", lang), "note"))
    b.append(Heading(tr("s_goal_check", lang), 2))
    b.append(Para(plan.goal_check or tr("no_target", lang), "body" if plan.goal_check else "note"))
    return b


def _honesty_blocks(plan: Plan, lang: str) -> list[Any]:
    """Step 4: the honest message."""
    b: list[Any] = []
    b.append(Heading(tr("s_honesty", lang), 1))
    if plan.honesty is None:
        b.append(Para(tr("none", lang), "note"))
    else:
        section = honesty_section(plan.honesty, lang)
        b.append(Para(section.summary, "body"))
        if section.claim_rows:
            b.append(Grid(section.claim_header, section.claim_rows, widths=(1.4, 2.4, 1.1, 2.6, 2.4)))
        if section.cliche_rows:
            b.append(Grid(section.cliche_header, section.cliche_rows, widths=(1.8, 3, 4.5)))
    b += section_blocks(plan.group_messages, tr("s_group_messages", lang), lang)
    return b


def _evaluation_blocks(plan: Plan, lang: str) -> list[Any]:
    """Step 5: does it work?"""
    b: list[Any] = []
    b.append(Heading(tr("s_works", lang), 1))
    ev = plan.evaluation
    if ev is None:
        b.append(Para(tr("none", lang), "note"))
    else:
        from blilyst.plan.evaluation import stage_label

        b.append(Heading(tr("funnel", lang), 3))
        b.append(
            Grid(
                (tr("stage", lang), tr("households", lang), tr("conversion", lang)),
                tuple(
                    (
                        stage_label(r["stage"], lang),
                        tr("suppressed", lang) if r.get("suppressed") else _cell(r["households"], lang),
                        _cell(r["conversion"], lang, share=True),
                    )
                    for _i, r in ev.funnel.iterrows()
                ),
            )
        )
        if not ev.moved_in.empty:
            b.append(Heading(tr("moved_in", lang), 3))
            b.append(
                Grid(
                    (tr("target_group", lang), tr("households", lang), tr("persons", lang)),
                    tuple(
                        (
                            _group_label(r["target_group"], plan, lang),
                            tr("suppressed", lang) if r["suppressed"] else _cell(r["households"], lang),
                            tr("suppressed", lang) if r["suppressed"] else _cell(r["persons"], lang),
                        )
                        for _i, r in ev.moved_in.iterrows()
                    ),
                )
            )
        if ev.reach is not None:
            r = ev.reach
            period = r.period
            b.append(
                Para(
                    tr("reach", lang).format(
                        persons=tr("suppressed", lang)
                        if smallnumbers.is_small(r.persons_moved_in_via_service)
                        else format_number(r.persons_moved_in_via_service, 0, lang),
                        total=format_number(r.total_in_migration, 0, lang),
                        period=period,
                        share="–"
                        if smallnumbers.is_small(r.persons_moved_in_via_service)
                        else format_percent(r.share, 1, lang),
                    )
                )
            )
        if not ev.retention.empty:
            b.append(Heading(tr("retention", lang), 3))
            cols = [c for c in ev.retention.columns if c.startswith("share_")]
            header = (
                tr("group", lang),
                tr("households", lang),
                *tuple(
                    f"{tr('after', lang)} {c.removeprefix('share_').removesuffix('y')} {tr('years', lang)}"
                    for c in cols
                ),
            )
            b.append(
                Grid(
                    header,
                    tuple(
                        (
                            _group_label(str(r["group"]), plan, lang),
                            _cell(r["households"], lang),
                            *tuple(_cell(r[c], lang, share=True) for c in cols),
                        )
                        for _i, r in ev.retention.iterrows()
                    ),
                )
            )
        for chart in plan.evaluation_charts:
            b.extend(_chart_blocks(chart, lang))
        if not ev.reasons.empty:
            b.append(Heading(tr("reasons", lang), 3))
            b.append(
                Grid(
                    (tr("reason", lang), tr("households", lang)),
                    tuple(
                        (r["label"], tr("suppressed", lang) if r["suppressed"] else _cell(r["households"], lang))
                        for _i, r in ev.reasons.iterrows()
                    ),
                )
            )
    return b


def _group_label(key: str, plan: Plan, lang: str) -> str:
    return group_label(key, lang, [e.group for e in plan.target_groups])


def _rating_label(value: str, lang: str) -> str:
    return Rating(value).label(lang)


# ---------------------------------------------------------------------------------------------- DOCX


# Characters XML 1.0 (and so Word's files) cannot hold: C0 controls but tab, line feed and carriage return,
# and the non-characters U+FFFE/U+FFFF. Vertical tab and form feed are what Word's Shift+Enter and page break
# paste as: they become line breaks, everything else is dropped.
_XML_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` as an XML document (DOCX) can hold it: Word's line and page breaks as new lines, other
    control characters removed."""
    return _NOT_XML.sub("", str(text).translate(_XML_LINE_BREAKS))


def _docx_language(doc: DocxDocument, tag: str) -> None:
    """Set the language of all text (the default run properties in styles.xml), so spelling and screen
    readers use Norwegian: ``<w:lang w:val="nb-NO"/>``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _docx_para(doc: DocxDocument, block: Para) -> None:
    """A paragraph: small print and notes in 8.5 pt (notes in italics), warnings in bold dark red."""
    from docx.shared import Pt, RGBColor

    run = doc.add_paragraph().add_run(xml_safe(block.text))
    if block.style in ("small", "note"):
        run.font.size = Pt(8.5)
        run.italic = block.style == "note"
    elif block.style == "warning":
        run.bold = True
        run.font.color.rgb = RGBColor(0x9C, 0x2B, 0x00)


def _docx_caption(doc: DocxDocument, caption: str) -> None:
    from docx.shared import Pt

    r = doc.add_paragraph().add_run(xml_safe(caption))
    r.italic = True
    r.font.size = Pt(8)


def _docx_grid(doc: DocxDocument, block: Grid) -> None:
    """A table with a bold header row, all in 8.5 pt, and its caption."""
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=False):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(text)).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = xml_safe(text)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8.5)
    if block.caption:
        _docx_caption(doc, block.caption)


def _docx_picture(doc: DocxDocument, block: Picture) -> None:
    """A chart 16 cm wide with its text alternative, and its caption."""
    from docx.shared import Cm

    shape = doc.add_picture(io.BytesIO(block.png), width=Cm(16))
    # the text alternative screen readers read (Word: "Alt Text"), on the drawing's properties
    shape._inline.docPr.set("descr", xml_safe(block.alt or block.caption))
    shape._inline.docPr.set("title", xml_safe(block.caption))
    if block.caption:
        _docx_caption(doc, block.caption)


def to_docx(plan: Plan) -> bytes:
    """The plan as a Word document (bytes); text typed in other programs is made XML-safe (:func:`xml_safe`)."""
    from docx import Document
    from docx.shared import Cm, Mm

    doc = Document()
    props = doc.core_properties
    props.title = xml_safe(plan.full_title())
    props.subject = xml_safe(f"{plan.municipality} {plan.name}")
    props.author = "blilyst"
    props.created = dt.datetime.combine(plan.prepared_on, dt.time(12, 0))
    props.language = document_language(plan.lang)
    _docx_language(doc, document_language(plan.lang))
    section = doc.sections[0]
    # A4 (python-docx's template is US Letter) with 2 cm margins
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    footer = section.footer.paragraphs[0]
    footer.text = xml_safe(f"{plan.full_title()} · {format_date(plan.prepared_on, plan.lang)} · {SSB_CREDIT}")
    for block in plan_blocks(plan):
        if isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Heading):
            doc.add_heading(xml_safe(block.text), level=min(block.level, 9))
        elif isinstance(block, Para):
            _docx_para(doc, block)
        elif isinstance(block, Grid):
            _docx_grid(doc, block)
        elif isinstance(block, Picture):
            _docx_picture(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- PDF


def to_pdf(plan: Plan) -> bytes:
    """The plan as a tagged, accessible PDF (PDF/UA-1, A4, DejaVu Sans): see :mod:`blilyst.plan.pdf`."""
    from blilyst.plan.pdf import render

    footer = f"{plan.full_title()} · {format_date(plan.prepared_on, plan.lang)} · {SSB_CREDIT}"
    return render(plan_blocks(plan), title=plan.full_title(), language=document_language(plan.lang), footer=footer)


def write(plan: Plan, path: str | Path) -> Path:
    """Write the plan to ``path``; the suffix (.docx or .pdf) picks the format."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        path.write_bytes(to_docx(plan))
    elif path.suffix.lower() == ".pdf":
        path.write_bytes(to_pdf(plan))
    else:
        raise InputError("path", _("'{name}' must end in .docx or .pdf").format(name=path.name))
    return path


def extract_pdf_text(data: bytes) -> str:
    """The text of a PDF, page by page (pypdf reads the fonts' ToUnicode maps), for tests and checks."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
