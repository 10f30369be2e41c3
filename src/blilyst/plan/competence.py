"""Competence the municipality will lack: who leaves the working age and who enters it, from the projection.

The guidance asks which competence the municipality will lack, by sector, from the age structure of the
employed and the projection. The bundled data have the projection by single year of age, the jobs in the
municipality (SSB 13470, place of work) and where the employed residents work (SSB 03321), but **not the
employed by industry and age** (SSB table 07984 by industry *and* age is not among them; the industry
figures found in public repositories give industry without age). So :func:`competence_section` says what
the data do say, and says plainly what they cannot:

* from the plan's projection, the residents who reach 67 (leave the working age 20–66) and those who reach 20
  (enter it) over the next 10 and 20 years, the difference before migration, and the number aged 20–66 at
  the end of each period;
* the jobs in the municipality and the employed residents in the latest year the snapshot has;
* that the sector cannot be read from the data, and where to look instead (the employers' recruitment needs
  from the vacancy register; :func:`blilyst.demography.workforce.retirements_by_industry` for a table of
  employment by industry and age the municipality obtains itself).

When the municipality has obtained the employed by industry and age itself (SSB's Statbank export of 07984
for the municipality, or its largest employers' figures) and entered it (:class:`EmploymentTable`, the web
app's competence page, or ``employment`` in the saved plan), :func:`sector_table` adds per industry how many
reach 67 in the next 10 and 20 years if they stay (an upper bound), with counts under 3 hidden.

The projection's counts are of the whole population, not of a household, so the small-number rule of
:mod:`blilyst.plan.smallnumbers` does not apply to them; they are rounded to whole persons and marked as
estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from blilyst.demography.workforce import retirements_by_industry
from blilyst.errors import InputError
from blilyst.i18n import format_number, format_percent, format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan import smallnumbers
from blilyst.plan.document import Section, TableSpec
from blilyst.plan.texts import data_age_note

PERIODS = (10, 20)  # years ahead


def competence_section(
    name: str,
    summary: pd.DataFrame,
    scenario_label: str,
    *,
    jobs: tuple[int, float] | None = None,
    employed_residents: tuple[int, float] | None = None,
    source: str = "",
    employment: EmploymentTable | None = None,
    lang: str = "nb",
) -> Section:
    """The section for the municipality ``name``.

    ``summary`` is the projection's :meth:`ProjectionResult.summary` (one row per 1 January year with
    ``working_age``, ``reaching_67`` and ``reaching_20``); ``jobs`` and ``employed_residents`` are
    ``(year, count)`` or ``None``; ``source`` names the projection.
    """
    summary = summary.sort_values("year").reset_index(drop=True)
    base_year = int(summary["year"].iloc[0])
    with override(lang):
        columns: list[str] = [_("Next %(n)d years") % {"n": n} + f" ({base_year}–{base_year + n - 1})" for n in PERIODS]
        figures = []
        for n in PERIODS:
            window = summary.iloc[: min(n, len(summary))]
            end = summary.iloc[min(n, len(summary) - 1)]
            leave = float(window["reaching_67"].sum())
            enter = float(window["reaching_20"].sum())
            figures.append(
                {
                    "leave": leave,
                    "enter": enter,
                    "difference": enter - leave,
                    "end_year": int(end["year"]),
                    "working_end": float(end["working_age"]),
                    "working_change": float(end["working_age"] - summary["working_age"].iloc[0]),
                }
            )
        rows = [
            (_("Residents who reach 67 and leave the working age"), [format_number(f["leave"]) for f in figures]),
            (_("Residents who reach 20 and enter the working age"), [format_number(f["enter"]) for f in figures]),
            (_("Difference before migration"), [format_signed(round(f["difference"])) for f in figures]),
            (
                _("Aged 20–66 at the end of the period"),
                [f"{format_number(f['working_end'])} ({f['end_year']})" for f in figures],
            ),
            (
                _("Change in the number aged 20–66 from %(year)d") % {"year": base_year},
                [format_signed(round(f["working_change"])) for f in figures],
            ),
        ]
        frame = pd.DataFrame([[label, *values] for label, values in rows], columns=[_("Projection"), *columns])
        table = TableSpec(
            _("Who leaves and who enters the working age, %(scenario)s") % {"scenario": scenario_label},
            frame,
            source,
            _("Estimated (projection); the projection includes deaths and migration at the scenario's rates."),
            widths=(3.2, 2.0, 2.0),
        )
        ten = figures[0]
        paragraphs = [
            _(
                "In the next %(n)d years about %(leave)s residents of %(name)s reach 67 and about %(enter)s reach 20 "
                "(%(scenario)s). The number aged 20–66 goes from %(now)s to %(then)s in %(year)d."
            )
            % {
                "n": PERIODS[0],
                "leave": format_number(ten["leave"]),
                "enter": format_number(ten["enter"]),
                "name": name,
                "scenario": scenario_label,
                "now": format_number(float(summary["working_age"].iloc[0])),
                "then": format_number(ten["working_end"]),
                "year": ten["end_year"],
            }
        ]
        if jobs is not None:
            text = _("In %(year)d there were %(jobs)s jobs in %(name)s (SSB 13470, by place of work).") % {
                "year": jobs[0],
                "jobs": format_number(jobs[1]),
                "name": name,
            }
            if employed_residents is not None:
                text += " " + _("%(employed)s residents had a job, here or elsewhere (SSB 03321, %(year)d).") % {
                    "employed": format_number(employed_residents[1]),
                    "year": employed_residents[0],
                }
            # the jobs and commuting figures end in 2017: the sentence says how old they are
            stale = data_age_note(max(int(jobs[0]), int(employed_residents[0]) if employed_residents else 0))
            if stale:
                text += " " + stale
            paragraphs.append(text)
        tables = [table]
        if employment is None:
            paragraphs.append(
                _(
                    "Which sectors will lack people cannot be read from blilyst's data: they have the projection "
                    "by age, but not the employed by industry and age (SSB table 07984 by industry and age). Ask the "
                    "largest employers for their staff's age by occupation, or order the table from SSB; the "
                    "employers' recruitment needs below show where positions are open now."
                )
            )
        else:
            paragraphs.append(
                _(
                    "By industry, from the table of employed persons by industry and age the municipality entered "
                    "(%(source)s, %(year)d): how many reach 67 in the next 10 and 20 years if they stay."
                )
                % {"source": employment.source or "–", "year": employment.year}
            )
            tables.append(sector_table(employment, lang))
        return Section(_("Competence the municipality will lack"), tuple(paragraphs), tuple(tables))


# ------------------------------------------------------------------- employment by industry and age (optional)

INDUSTRY_WORDS = ("industry", "næring", "naering", "sector", "sektor")
AGE_WORDS = ("age", "alder")
EMPLOYED_WORDS = ("employed", "sysselsatte", "persons", "personer", "antall", "verdi", "value")
TOTAL_INDUSTRY = ("00-99", "alle næringer", "all industries", "i alt", "total")


def _column(header: Sequence[str], words: Sequence[str]) -> int | None:
    for i, name in enumerate(header):
        low = name.strip().lower()
        if any(w in low for w in words):
            return i
    return None


def _age_text(value: str) -> str:
    text = value.strip().lower()
    for unit in ("år eller eldre", "years or older", "år", "years", "year"):
        text = text.replace(unit, "")
    return text.replace("–", "-").replace(" ", "")


def employment_rows(header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]]) -> list[dict[str, Any]]:
    """The rows of a table of employed persons by industry and age (for example SSB's Statbank export of
    table 07984 for one municipality and one year, or a file of the same three columns) as
    ``{"industry", "age", "employed"}``: columns found by name in bokmål or English (industry/næring, age/alder,
    employed/sysselsatte or the last column), ages like ``55-66 år``; the all-industries total and the 15–74
    total (when age groups are given) are left out so nobody is counted twice. A problem raises
    :class:`InputError` naming the line."""
    industry, age = _column(header, INDUSTRY_WORDS), _column(header, AGE_WORDS)
    if industry is None or age is None:
        raise InputError(
            "employment",
            _("the file needs a column for the industry (næring) and one for the age (alder); found: %(columns)s")
            % {"columns": ", ".join(header) or "–"},
        )
    employed = _column(header, EMPLOYED_WORDS)
    if employed is None or employed in (industry, age):
        employed = len(header) - 1
    out: list[dict[str, Any]] = []
    for line, values in rows:
        if len(values) <= max(industry, age, employed):
            raise InputError("employment", _("line %(line)d has too few columns") % {"line": line})
        name = values[industry].strip()
        if not name or name.lower().startswith(TOTAL_INDUSTRY):
            continue
        raw = values[employed].strip().replace("\u00a0", "").replace(" ", "")
        if raw in ("", ".", "..", ":", "-"):  # SSB's marks for a missing or suppressed figure
            continue
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise InputError(
                "employment", _("line %(line)d: '%(value)s' is not a number of persons") % {"line": line, "value": raw}
            ) from None
        out.append({"industry": name, "age": _age_text(values[age]), "employed": number})
    ages = {r["age"] for r in out}
    if len(ages) > 1:
        out = [r for r in out if r["age"] != "15-74"]
    if not out:
        raise InputError("employment", _("the file has no employed persons by industry and age"))
    return out


@dataclass(frozen=True)
class EmploymentTable:
    """Employed persons by industry and age that the municipality obtained itself (SSB 07984 or its largest
    employers), for the year ``year`` (4th quarter), with where it came from."""

    year: int
    source: str
    rows: tuple[Mapping[str, Any], ...]

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not 2000 <= self.year <= 2100:
            raise InputError(
                "employment.year", _("must be a year such as 2025, not {value}").format(value=repr(self.year))
            )
        if not self.rows:
            raise InputError("employment.rows", _("the table has no rows"))
        retirements_by_industry(self.frame(), base_year=self.year + 1)  # checks every row

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([dict(r) for r in self.rows], columns=["industry", "age", "employed"])

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "source": self.source, "rows": [dict(r) for r in self.rows]}

    @classmethod
    def from_json(cls, data: Any) -> EmploymentTable:
        if not isinstance(data, Mapping) or not isinstance(data.get("rows"), list):
            raise InputError("employment", _("must be an object with year, source and rows"))
        return cls(int(data.get("year") or 0), str(data.get("source") or ""), tuple(data["rows"]))


def sector_table(table: EmploymentTable, lang: str = "nb") -> TableSpec:
    """Per industry: employed persons, and how many of them reach 67 in the next 10 and 20 years if they stay
    in the industry (an upper bound: deaths and moves are not taken off)."""
    base = table.year + 1  # employment in the 4th quarter, counted from 1 January of the next year
    retiring = retirements_by_industry(table.frame(), base_year=base, years=max(PERIODS))
    employed = table.frame().groupby("industry", sort=False)["employed"].sum()
    with override(lang):
        rows = []
        for name, total in employed.items():
            mine = retiring[retiring["industry"] == str(name)]
            cells: list[str] = [str(name), format_number(total)]
            for n in PERIODS:
                count = float(mine.loc[mine["year"] < base + n, "retiring"].sum())
                small = smallnumbers.is_small(round(count))
                share = None if small else smallnumbers.share(count, total)
                cells.append(_("under 3") if small else format_number(count))
                cells.append("–" if share is None else format_percent(share))
            rows.append(cells)
        rows.sort(key=lambda r: -float(employed[r[0]]))
        columns = [_("Industry"), _("Employed %(year)d") % {"year": table.year}]
        for n in PERIODS:
            columns += [
                _("Reach 67 by %(year)d") % {"year": base + n - 1},
                _("Share by %(year)d") % {"year": base + n - 1},
            ]
        return TableSpec(
            _("Employed by industry who reach 67, if they stay in the industry"),
            pd.DataFrame(rows, columns=columns),
            table.source,
            _(
                "Upper bound: those who die, move or retire early are not taken off. Ages given in groups are "
                "spread evenly over the group's years."
            ),
            widths=(2.6, 1.0, 1.0, 0.8, 1.0, 0.8),
        )
