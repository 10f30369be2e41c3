"""Small helpers the plan's texts share: percentages and counts in the reader's format, and how old figures are.

The texts themselves go through gettext (``blilyst.i18n``); a text stored with a result is rendered in every
language with ``blilyst.i18n.in_every_language`` and read back with ``in_language``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from blilyst.i18n import format_number, format_percent
from blilyst.i18n import gettext as _


def fmt_pct(share: float, lang: str | None = None, digits: int = 0) -> str:
    """A share (0..1) as a percentage the way each language writes it (``42 %`` in bokmål and nynorsk,
    ``42%`` in English; default: the active language); one formatter for the whole core
    (``blilyst.i18n.format_percent``)."""
    return format_percent(share, digits, lang)


def fmt_int(value: float | None, lang: str | None = None) -> str:
    """A whole number with a thousands separator (no-break space in Norwegian, comma in English; default: the
    active language); "–" for a figure the data do not have."""
    if value is None:
        return "–"
    return format_number(round(value), 0, lang)


def year_span(years: Sequence[int]) -> str:
    """The years a figure covers as readers see them: "2019–2024" (an en dash), or the one year."""
    return f"{min(years)}–{max(years)}" if len(years) > 1 else str(years[0])


#: Evidence this many years old or older says how old it is in the sentence that uses it.
STALE_AFTER_YEARS = 3


def data_age_note(year: int, today: dt.date | None = None) -> str:
    """A sentence saying how old figures from ``year`` are, or "" when they are less than three years old
    (figures from 2023 in a plan dated 2026 say so; from 2024 they do not)."""
    age = (today or dt.date.today()).year - int(year)
    if age < STALE_AFTER_YEARS:
        return ""
    return _("These figures are from {year}, {age} years ago; the pattern may have changed since.").format(
        year=year, age=age
    )
