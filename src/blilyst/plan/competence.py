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

Counts here are projections of the whole population, not of a household, so the small-number rule of
:mod:`blilyst.plan.smallnumbers` does not apply; they are rounded to whole persons and marked as estimates.
"""

from __future__ import annotations

import pandas as pd

from blilyst.i18n import format_number, format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan.document import Section, TableSpec

PERIODS = (10, 20)  # years ahead


def competence_section(
    name: str,
    summary: pd.DataFrame,
    scenario_label: str,
    *,
    jobs: tuple[int, float] | None = None,
    employed_residents: tuple[int, float] | None = None,
    source: str = "",
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
            paragraphs.append(text)
        paragraphs.append(
            _(
                "Which sectors will lack people cannot be read from blilyst's data: they have the projection by "
                "age, but not the employed by industry and age (SSB table 07984 by industry and age). Ask the "
                "largest employers for their staff's age by occupation, or order the table from SSB; the "
                "employers' recruitment needs below show where positions are open now."
            )
        )
        return Section(_("Competence the municipality will lack"), tuple(paragraphs), (table,))
