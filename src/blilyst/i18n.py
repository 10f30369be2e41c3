"""One text system for the Django-free core (stats, demography, plan, cli): gettext and Babel.

Messages are written in English in the code and translated through GNU gettext catalogs in
``src/blilyst/locale/<lang>/LC_MESSAGES/blilyst.po`` (compiled to ``.mo``; ``make messages`` extracts and
``make compile-messages`` compiles). The web app has its own Django catalogs for its templates and forms, but
when it calls the core it sets the core's language to the request's (``override``), so a page, a document and
a terminal say the same thing in the same words.

The language is a context variable: ``override("nn")`` holds for the current thread or task only, so two
requests in two languages never mix. Bokmål (``nb``) is the default. A missing nynorsk text falls back to
bokmål, never to English; a missing bokmål text falls back to the English message id.

Numbers, percentages, dates and month names go through Babel with the CLDR data of each language, so
Norwegian output reads ``2 550``, ``0,5 %`` and ``6. desember 2026`` and English output ``2,550``, ``0.5%``
and ``6 December 2026``.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import get_minus_sign_symbol

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"
DOMAIN = "blilyst"
LOCALE_DIR = Path(__file__).with_name("locale")

# Which catalogs a language reads, best first (nynorsk falls back to bokmål, not to the English msgid).
_FALLBACKS = {"nb": ("nb",), "nn": ("nn", "nb"), "en": ("en",)}
# Babel/CLDR locale per language.
_CLDR = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}

_language: ContextVar[str] = ContextVar("blilyst_language", default=DEFAULT_LANGUAGE)


def normalise(lang: str | None) -> str:
    """A supported language code for ``lang`` (``"no"``/``"nb-NO"`` → ``nb``, ``"nn-NO"`` → ``nn``).

    Raises ``ValueError`` naming the supported codes for anything else (in the active language).
    """
    if lang is None:
        return _language.get()
    code = lang.strip().lower().replace("_", "-")
    if code in ("no", "nob") or code.startswith("nb"):
        return "nb"
    if code in ("nno",) or code.startswith("nn"):
        return "nn"
    if code.startswith("en"):
        return "en"
    raise ValueError(
        gettext("unknown language '{lang}'; use one of {languages}").format(lang=lang, languages=", ".join(LANGUAGES))
    )


def active() -> str:
    """The language of the current context (``nb`` unless ``override`` or ``activate`` set another)."""
    return _language.get()


def activate(lang: str) -> None:
    """Set the language for the rest of the current context (the CLI does this once per command)."""
    _language.set(normalise(lang))


@contextmanager
def override(lang: str | None) -> Iterator[str]:
    """Use ``lang`` for the texts made inside the block; ``None`` keeps the current language."""
    token = _language.set(normalise(lang))
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def catalog_languages(lang: str | None = None) -> tuple[str, ...]:
    """The catalogs ``lang`` reads, best first (``nn`` → ``("nn", "nb")``: nynorsk falls back to bokmål)."""
    return _FALLBACKS[normalise(lang)]


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    found: list[_gettext.NullTranslations] = []
    for code in catalog_languages(lang):
        mo = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.is_file():
            with mo.open("rb") as f:
                found.append(_gettext.GNUTranslations(f))
    if not found:
        return chain
    first = found[0]
    for nxt in found[1:]:
        first.add_fallback(nxt)
    return first


def reload_catalogs() -> None:
    """Forget the loaded catalogs (after ``make compile-messages`` in a running process, and in tests)."""
    _translations.cache_clear()


def gettext(message: str) -> str:
    """``message`` (English) in the active language."""
    return _translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the active language (``"{n} husstand"``/``"{n} husstander"``)."""
    return _translations(_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the active language where the same English word has several meanings."""
    return _translations(_language.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations(_language.get()).npgettext(context, singular, plural, n)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (module-level constants)."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural message for extraction as one plural entry (``make messages`` reads it as
    ``ngettext``), to be chosen by a count later (``blilyst.notes.Note.counted``)."""
    return singular, plural


_ = gettext
N_ = gettext_noop


def in_every_language(render: Callable[[], str]) -> dict[str, str]:
    """A text made by ``render`` (gettext and the formatters below) once in each language.

    For a text computed with a result and read later, maybe in another language (an assessment's evidence, a
    target group's notes, a priority warning): each rendering runs under ``override(code)``, so its words come
    from the catalogs and its numbers are in that language's format. Read it back with ``in_language``.
    """
    texts = {}
    for code in LANGUAGES:
        with override(code):
            texts[code] = render()
    return texts


def in_language(texts: Mapping[str, str], lang: str | None = None) -> str:
    """The rendering of ``texts`` (from ``in_every_language``) in ``lang`` (default: the active language)."""
    return texts[normalise(lang)]


# ---------------------------------------------------------------------------------------------------------------
# Formats (Babel/CLDR): the one place numbers, percentages and dates are written for people.


def _locale(lang: str | None) -> str:
    return _CLDR[normalise(lang)]


def minus_sign(lang: str | None = None) -> str:
    """The language's minus sign from CLDR: a true minus (U+2212) in bokmål and nynorsk, a hyphen in English."""
    return str(get_minus_sign_symbol(_locale(lang)))


def format_number(value: float, digits: int = 0, lang: str | None = None) -> str:
    """``value`` rounded to ``digits`` decimals with the language's separators and minus sign (``2 550``, ``0,5``,
    ``−159`` in Norwegian; ``2,550``, ``-159`` in English).

    Babel writes a pattern's negative prefix as an ASCII hyphen whatever the locale (it does not put CLDR's
    ``minusSign`` there), so the language's own minus sign replaces it here.
    """
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    text = _babel_decimal(round(value, digits) + 0.0, format=pattern, locale=_locale(lang))
    return minus_sign(lang) + text[1:] if text.startswith("-") else text


def format_signed(value: float, digits: int = 0, lang: str | None = None) -> str:
    """Like ``format_number`` with an explicit sign (``+672``, ``−159``; a true minus sign in Norwegian)."""
    text = format_number(value, digits, lang)
    if round(value, digits) <= 0:
        return text
    return "+" + text


def format_list(items: Sequence[str], lang: str | None = None) -> str:
    """Items joined the way the language lists them (``Seljord, Tokke og Oslo`` / ``Seljord, Tokke and Oslo``)."""
    from babel.lists import format_list as _babel_list

    return _babel_list(list(items), locale=_locale(lang)) if items else ""


def format_percent(share: float, digits: int = 0, lang: str | None = None, *, signed: bool = False) -> str:
    """A share (0..1) as a percentage (``42 %`` / ``4,2 %`` in Norwegian, ``42%`` in English); ``signed`` writes
    the sign of a change as ``format_signed`` does (``+2,3 %``, ``−3,7 %``)."""
    number = (format_signed if signed else format_number)(100 * share, digits, lang)
    return f"{number}%" if normalise(lang) == "en" else f"{number}\u00a0%"


def format_year(year: int) -> str:
    """A year is never grouped (2006, not 2 006)."""
    return str(int(year))


def format_date(day: dt.date, style: str = "long", lang: str | None = None) -> str:
    """A date in running text (``style="long"``: 6. desember 2026) or in tables (``"short"``: 06.12.2026)."""
    if style == "short":
        pattern = "dd.MM.y" if normalise(lang) in ("nb", "nn") else "d MMM y"
        return _babel_date(day, pattern, locale=_locale(lang))
    if style == "long" and normalise(lang) == "en":
        return _babel_date(day, "d MMMM y", locale=_locale(lang))
    return _babel_date(day, style, locale=_locale(lang))


def month_name(month: int, lang: str | None = None, width: str = "wide") -> str:
    """The name of ``month`` (1–12) as a word in running text (``desember``; ``width="abbreviated"``: ``des.``)."""
    names = Locale.parse(_locale(lang)).months["stand-alone"][width]
    return str(names[month])


def d3_format_locale(lang: str | None = None) -> dict[str, object]:
    """The number format locale for Vega-Lite charts (d3-format has no Norwegian built in), from CLDR.

    Chart axes then read ``2 550`` and ``0,5`` in Norwegian and ``2,550`` in English, like the text around them.
    Years on chart axes are ordinal and never grouped.
    """
    code = normalise(lang)
    symbols = Locale.parse(_locale(code)).number_symbols["latn"]
    return {
        "decimal": symbols["decimal"],
        "thousands": "\u00a0" if code in ("nb", "nn") else symbols["group"],
        "grouping": [3],
        "currency": ["", "\u00a0kr"] if code in ("nb", "nn") else ["£", ""],
        "minus": minus_sign(code),
        "percent": "\u00a0%" if code in ("nb", "nn") else "%",
    }
