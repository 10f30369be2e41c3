"""Bilingual texts for the plan's domain core: bokmål (``"nb"``, the default) and English (``"en"``).

The plan modules keep their user-facing texts as small ``{"nb": ..., "en": ...}`` dicts next to the
logic they describe; this module holds the one helper that picks a language, so every module falls back
the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from blilyst.i18n import format_number, format_percent
from blilyst.i18n import gettext as _

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"


def pick(text: Mapping[str, str] | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text in ``lang``; bokmål when that language is missing; a plain string is returned as is."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")


def fmt_pct(share: float, lang: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A share (0..1) as a percentage the way each language writes it (``42 %`` in bokmål and nynorsk,
    ``42%`` in English); one formatter for the whole core (``blilyst.i18n.format_percent``)."""
    return format_percent(share, digits, lang)


def fmt_int(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A whole number with a thousands separator (no-break space in Norwegian, comma in English); "–" for
    a figure the data do not have."""
    if value is None:
        return "–"
    return format_number(round(value), 0, lang)


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
