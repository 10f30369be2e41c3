"""Employers' recruitment needs, and what the newcomer service does not offer, from the registers' counts.

Both sections read the aggregate counts the web app takes from its resource registers when the plan is
exported (:class:`blilyst.plan.capacity.Capacity` and the open matching gaps by kind; see
:func:`blilyst.web.planning.aggregates.capacity`), stored in the saved plan so that ``blilyst plan`` prints
the same document:

* :func:`recruitment_section`: the open positions in the vacancy register by sector and by occupation, and
  how many of them were advertised publicly (the guidance asks whether all are), with the register's date;
* :func:`not_offered_section`: what a newcomer asking today would not get — housing types with no listing
  available, months without a free kindergarten place, no open position, no host — and the needs the
  service recorded and could not meet, by kind. Those needs are households' needs, so their counts follow
  the one small-number rule (:mod:`blilyst.plan.smallnumbers`): 1 and 2 are hidden, and no total is shown
  that would reveal them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from blilyst.i18n import N_, format_date, format_list, format_number, format_percent, month_name, override
from blilyst.i18n import gettext as _
from blilyst.plan import smallnumbers
from blilyst.plan.capacity import MONTHS, Capacity, housing_label
from blilyst.plan.document import Section, TableSpec
from blilyst.plan.honesty import SECTOR_LABELS

REGISTER_SOURCE = N_("The municipality's registers in blilyst")
GAP_LABELS = {
    "housing": N_("housing"),
    "rental": N_("a home to rent"),
    "small_farm": N_("a small farm"),
    "kindergarten": N_("a kindergarten place"),
    "job": N_("a job"),
    "job_partner": N_("a job for a partner"),
    "network": N_("a network"),
    "social": N_("social contact"),
}
TOP_OCCUPATIONS = 10


def capitalised(text: str) -> str:
    """``text`` with a capital first letter, as a table's first column starts."""
    return text[:1].upper() + text[1:]


def sector_label(key: str) -> str:
    """A vacancy sector as readers see it, in the active language (unknown keys as given)."""
    return _(SECTOR_LABELS[key]) if key in SECTOR_LABELS else key


def gap_label(kind: str) -> str:
    return _(GAP_LABELS[kind]) if kind in GAP_LABELS else kind


def _as_of(cap: Capacity) -> str:
    return format_date(cap.as_of, "long") if cap.as_of else "–"


def recruitment_section(cap: Capacity | None, lang: str = "nb") -> Section | None:
    """Open positions by sector and occupation; ``None`` when the vacancy register holds nothing."""
    if cap is None or not cap.knows_vacancies():
        return None
    with override(lang):
        total = cap.vacancies_total()
        text = _("On %(date)s the employers had %(n)s open positions in the vacancy register.") % {
            "date": _as_of(cap),
            "n": format_number(total),
        }
        share = cap.advertised_share()
        if share is not None:
            text += " " + _("%(advertised)s of them (%(share)s) were advertised publicly.") % {
                "advertised": format_number(cap.vacancies_advertised or 0),
                "share": format_percent(share),
            }
        sectors = sorted(cap.vacancies.items(), key=lambda kv: (-kv[1], kv[0]))
        tables = [
            TableSpec(
                _("Open positions by sector"),
                pd.DataFrame(
                    [(capitalised(sector_label(k)), format_number(n)) for k, n in sectors if n > 0],
                    columns=[_("Sector"), _("Open positions")],
                ),
                _(REGISTER_SOURCE),
                widths=(3.0, 1.2),
            )
        ]
        occupations = sorted(((k, n) for k, n in cap.occupations.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))
        if occupations:
            note = ""
            if len(occupations) > TOP_OCCUPATIONS:
                note = _("The %(n)d occupations with most open positions.") % {"n": TOP_OCCUPATIONS}
            tables.append(
                TableSpec(
                    _("Open positions by occupation"),
                    pd.DataFrame(
                        [(capitalised(k), format_number(n)) for k, n in occupations[:TOP_OCCUPATIONS]],
                        columns=[_("Occupation"), _("Open positions")],
                    ),
                    _(REGISTER_SOURCE),
                    note,
                    widths=(3.0, 1.2),
                )
            )
        notes = (
            _(
                "Positions the employers have reported to the vacancy register; vacancies not reported are not "
                "counted. Employers' needs in the years ahead: see the competence the municipality will lack."
            ),
        )
        return Section(_("Employers' recruitment needs"), (text,), tuple(tables), notes)


def not_offered_section(
    cap: Capacity | None, matching_gaps: Mapping[str, int] | None = None, lang: str = "nb"
) -> Section | None:
    """What a newcomer would not get today and the needs the service could not meet; ``None`` when the
    registers hold nothing to say it from."""
    gaps = {k: int(v) for k, v in dict(matching_gaps or {}).items() if int(v) > 0}
    cap = cap or Capacity()
    if not (cap.knows_housing() or cap.kindergarten_known() or cap.knows_vacancies() or cap.offers or gaps):
        return None
    with override(lang):
        rows: list[tuple[str, str]] = []
        if cap.knows_housing():
            none = [housing_label(k) for k, n in cap.housing.items() if n == 0]
            if none:
                rows.append((_("Housing"), _("No %(kinds)s available.") % {"kinds": format_list(none)}))
        if cap.kindergarten_known():
            months = cap.months_without_kindergarten_place()
            if months:
                rows.append(
                    (
                        _("Kindergarten"),
                        _("No free place in %(months)s.") % {"months": format_list([month_name(m) for m in months])},
                    )
                )
            unknown = [m for m in MONTHS if m not in cap.kindergarten_free]
            if unknown:
                rows.append(
                    (
                        _("Kindergarten"),
                        _("Free places not known for %(months)s.")
                        % {"months": format_list([month_name(m) for m in unknown])},
                    )
                )
        if cap.knows_vacancies() and cap.vacancies_total() == 0:
            rows.append((_("Jobs"), _("No open position in the vacancy register.")))
        if "host" in cap.offers and cap.offers["host"] == 0:
            rows.append((_("Hosts"), _("No active host or mentor for newcomers.")))
        paragraphs = [
            _("As registered on %(date)s, a newcomer asking today would not be offered the following.")
            % {"date": _as_of(cap)}
            if rows
            else _("As registered on %(date)s, every kind of offer the registers hold has something available.")
            % {"date": _as_of(cap)}
        ]
        tables = []
        if rows:
            tables.append(
                TableSpec(
                    "",
                    pd.DataFrame(rows, columns=[_("Offer"), _("What is missing")]),
                    _(REGISTER_SOURCE),
                    widths=(1.4, 4.0),
                )
            )
        if gaps:
            kinds = sorted(gaps, key=lambda k: (-gaps[k], k))
            counts = [float(gaps[k]) for k in kinds]
            hidden = smallnumbers.hidden_cells(counts, total_known=False)
            tables.append(
                TableSpec(
                    _("Needs the newcomer service could not meet"),
                    pd.DataFrame(
                        [
                            (capitalised(gap_label(k)), _("hidden (under 3)") if h else format_number(n))
                            for k, n, h in zip(kinds, counts, hidden, strict=True)
                        ],
                        columns=[_("Need"), _("Open needs")],
                    ),
                    _(REGISTER_SOURCE),
                    _("Needs recorded when matching a newcomer and not yet met. Counts under 3 are hidden."),
                    widths=(3.0, 1.4),
                )
            )
        return Section(_("What the newcomer service does not offer"), tuple(paragraphs), tuple(tables))
