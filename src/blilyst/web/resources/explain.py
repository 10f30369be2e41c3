"""Matching results in words for the web app: the core's sentences (:mod:`blilyst.matchwords`) in the
language Django has active (a request's, or one a caller chose with ``translation.override``).

The wording lives in the core; this module only hands the core the web's active language.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from blilyst import i18n, matchwords
from blilyst.matching import Gap, Part, Suggestion


def _language() -> str:
    return i18n.normalise(translation.get_language() or i18n.DEFAULT_LANGUAGE)


def day(value: dt.date, today: dt.date | None = None) -> str:
    with i18n.override(_language()):
        return matchwords.day(value, today)


def month(value: dt.date, today: dt.date | None = None) -> str:
    with i18n.override(_language()):
        return matchwords.month(value, today)


def describe_part(part: Part, today: dt.date | None = None) -> str:
    with i18n.override(_language()):
        return matchwords.describe_part(part, today)


def describe_suggestion(suggestion: Suggestion, today: dt.date | None = None) -> str:
    with i18n.override(_language()):
        return matchwords.describe_suggestion(suggestion, today)


def describe_gap(gap: Gap, today: dt.date | None = None) -> str:
    with i18n.override(_language()):
        return matchwords.describe_gap(gap, today)
