"""blilyst.i18n: one language per context, nynorsk falling back to bokmål, and Norwegian formats from CLDR."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from blilyst import i18n
from blilyst.i18n import (
    d3_format_locale,
    format_date,
    format_number,
    format_percent,
    format_signed,
    format_year,
    month_name,
    override,
)


@pytest.mark.parametrize(
    ("lang", "number", "decimal", "percent"),
    [
        ("nb", "2\u00a0550", "0,5", "4,2\u00a0%"),
        ("nn", "2\u00a0550", "0,5", "4,2\u00a0%"),
        ("en", "2,550", "0.5", "4.2%"),
    ],
)
def test_numbers_and_percentages_follow_the_language(lang, number, decimal, percent):
    assert format_number(2550, 0, lang) == number
    assert format_number(0.5, 1, lang) == decimal
    assert format_percent(0.042, 1, lang) == percent


def test_signs_use_a_true_minus_in_norwegian_and_years_are_never_grouped():
    assert format_signed(-159, 0, "nb") == "\u2212159" and format_signed(672, 0, "nn") == "+672"
    assert format_signed(-159, 0, "en") == "-159" and format_signed(0.04, 0, "nb") == "0"
    assert format_year(2006) == "2006"


@pytest.mark.parametrize(("lang", "minus"), [("nb", "\u2212"), ("nn", "\u2212"), ("en", "-")])
def test_every_formatter_writes_a_negative_number_with_the_languages_one_minus_sign(lang, minus):
    """CLDR's minus sign (U+2212 in bokmål and nynorsk); Babel alone would write an ASCII hyphen in
    ``format_decimal``, so a table of changes would mix two signs (issue 12)."""
    other = "-" if minus == "\u2212" else "\u2212"
    texts = [
        format_number(-2550, 0, lang),
        format_number(-0.5, 1, lang),
        format_signed(-2550, 0, lang),
        format_signed(-0.5, 1, lang),
        format_percent(-0.037, 1, lang),
        format_percent(-0.037, 1, lang, signed=True),
    ]
    assert all(text.startswith(minus) and other not in text for text in texts), texts
    assert format_number(-2550, 0, lang) == format_signed(-2550, 0, lang)
    assert format_percent(-0.037, 1, lang) == format_percent(-0.037, 1, lang, signed=True)
    assert d3_format_locale(lang)["minus"] == minus == i18n.minus_sign(lang)


def test_a_negative_number_that_rounds_to_zero_has_no_sign():
    assert format_number(-0.4, 0, "nb") == "0" and format_signed(-0.04, 1, "nn") == "0,0"


def test_dates_and_months_in_each_language():
    day = dt.date(2026, 12, 6)
    assert format_date(day, "long", "nb") == "6. desember 2026"
    assert format_date(day, "long", "nn") == "6. desember 2026"
    assert format_date(day, "long", "en") == "6 December 2026"
    assert format_date(day, "short", "nb") == "06.12.2026"
    assert month_name(1, "nn") == "januar" and month_name(1, "en") == "January"


def test_the_active_language_is_the_default_of_every_formatter():
    with override("en"):
        assert format_number(2550) == "2,550"
    with override("nn"):
        assert format_number(2550) == "2\u00a0550"


def test_override_holds_for_its_block_and_its_thread_only():
    seen: list[str] = []
    with override("nn"):
        worker = threading.Thread(target=lambda: seen.append(i18n.active()))
        worker.start()
        worker.join()
        assert i18n.active() == "nn"
    assert seen == ["nb"]  # a new thread starts in bokmål
    assert i18n.active() == "nb"


def test_unknown_languages_are_refused_with_the_known_ones_named():
    with pytest.raises(ValueError, match="use one of nb, nn, en"), override("en"):
        i18n.normalise("de")
    with pytest.raises(ValueError, match="bruk eitt av nb, nn, en"), override("nn"):
        i18n.normalise("de")
    assert i18n.normalise("nb-NO") == "nb" and i18n.normalise("nn_NO") == "nn" and i18n.normalise("no") == "nb"


def test_a_core_text_is_translated_and_nynorsk_never_falls_back_to_english():
    message = "Projection scenarios"
    with override("nb"):
        assert i18n.gettext(message) == "Framskrivingsalternativer"
    with override("nn"):
        assert i18n.gettext(message) == "Framskrivingsalternativ"
    with override("en"):
        assert i18n.gettext(message) == message


def test_plural_forms_choose_by_count():
    singular = "In {year}, {grew} municipality grew; {shrunk} of them would have shrunk without the growth of their immigrant population."
    plural = singular.replace("municipality grew", "municipalities grew")
    with override("nn"):
        assert "kommune;" in i18n.ngettext(singular, plural, 1)
        assert "kommunar;" in i18n.ngettext(singular, plural, 2)


def test_chart_number_locale_matches_the_text_formats():
    nb = d3_format_locale("nb")
    assert (nb["decimal"], nb["thousands"], nb["minus"], nb["percent"]) == (",", "\u00a0", "\u2212", "\u00a0%")
    assert d3_format_locale("nn") == nb
    en = d3_format_locale("en")
    assert (en["decimal"], en["thousands"], en["percent"]) == (".", ",", "%")
