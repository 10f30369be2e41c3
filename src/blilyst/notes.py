"""Notes stored with a result and worded when they are shown, in the language asked for then.

A projection's assumptions, its sources and the list of what is estimated are made when the result is computed
and read later: a result is cached (in the process, on disk, in the web app's shared cache) and the same
result is shown on a bokmål page, in a nynorsk plan document and in an English CSV. A sentence written at
compute time would be in whatever language was active then. A :class:`Note` is instead the sentence's English
message id (marked for extraction with ``N_``, or ``ngettext_noop`` for a plural) and its values; it is worded
with :meth:`Note.word` through gettext and :mod:`blilyst.i18n`'s formatters in the language of the reader.

Values are kept as data too: :class:`Number`, :class:`Signed`, :class:`Percent` (formatted in the reader's
language), :class:`Listing` (names joined the language's way), :class:`Series` (numbers joined by semicolons,
as a comma is the decimal separator in Norwegian), a nested :class:`Note`, or a plain ``str``/``int``
(names, codes, years and ages, written as they are). Everything is a frozen dataclass of plain values, so a
note pickles with its result and two readers in two languages get their own wording of the same note.

Example::

    note = Note.of(N_("{n} new dwellings a year, vacancy {vacancy}"), n=Number(25), vacancy=Percent(0.05))
    note.word("nn")  # '25 nye bustader i året, ledige 5 %'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from blilyst.i18n import (
    format_list,
    format_number,
    format_percent,
    format_signed,
    gettext,
    ngettext,
    override,
)

__all__ = ["Listing", "Note", "Number", "Percent", "Series", "Signed", "Value", "word_all"]


@dataclass(frozen=True)
class Number:
    """A number written in the reader's format (``2 550``, ``0,98``; ``2,550``, ``0.98``)."""

    value: float
    digits: int = 0

    def word(self) -> str:
        return format_number(self.value, self.digits)


@dataclass(frozen=True)
class Signed:
    """A change with its sign (``+672``, ``−159``)."""

    value: float
    digits: int = 0

    def word(self) -> str:
        return format_signed(self.value, self.digits)


@dataclass(frozen=True)
class Percent:
    """A share (0..1) as a percentage (``5 %``, ``+0,25 %``; ``5%``)."""

    share: float
    digits: int = 0
    signed: bool = False

    def word(self) -> str:
        return format_percent(self.share, self.digits, signed=self.signed)


@dataclass(frozen=True)
class Listing:
    """Names or phrases joined the language's way (``Seljord, Tokke og Vinje``); ``more`` marks a list cut
    short (``…``)."""

    items: tuple[Value, ...]
    more: bool = False

    def word(self) -> str:
        text = format_list([_word_value(v) for v in self.items])
        return f"{text} …" if self.more else text


@dataclass(frozen=True)
class Series:
    """Numbers in a row, joined by semicolons (a comma is the Norwegian decimal separator: ``1,02; 0,98``);
    ``more`` marks a row cut short (``…``)."""

    items: tuple[Value, ...]
    more: bool = False

    def word(self) -> str:
        text = "; ".join(_word_value(v) for v in self.items)
        return f"{text}; …" if self.more else text

    @classmethod
    def of(cls, values: Iterable[float], make: Callable[[float], Value], *, first: int = 5) -> Series:
        """The first ``first`` of ``values``, each made a value by ``make`` (``lambda v: Number(v, 2)``,
        ``Percent``), ``more`` when there are more."""
        values = list(values)
        return cls(tuple(make(float(v)) for v in values[:first]), more=len(values) > first)


@dataclass(frozen=True)
class Note:
    """A sentence (or clause) kept as its English message id and values, worded when it is shown.

    ``message`` is the msgid (``N_``-marked where it is written); with ``plural`` (both marked with
    ``ngettext_noop``) the form is chosen by ``count``, which the text reads as ``{n}``."""

    message: str
    values: tuple[tuple[str, Value], ...] = ()
    plural: str | None = None
    count: int | None = None

    @classmethod
    def of(cls, message: str, /, **values: Value) -> Note:
        return cls(message, tuple(values.items()))

    @classmethod
    def counted(cls, forms: tuple[str, str], count: int, /, **values: Value) -> Note:
        """A note whose wording depends on ``count`` (``forms`` from ``ngettext_noop``); ``{n}`` is the count."""
        singular, plural = forms
        return cls(singular, tuple(values.items()), plural, int(count))

    def word(self, lang: str | None = None) -> str:
        """The note in ``lang`` (default: the active language), numbers in that language's format."""
        with override(lang):
            if self.plural is not None and self.count is not None:
                text = ngettext(self.message, self.plural, self.count)
                fields = {"n": format_number(self.count)}
            else:
                text = gettext(self.message)
                fields = {}
            fields.update({key: _word_value(value) for key, value in self.values})
            return text.format(**fields) if fields else text

    def __str__(self) -> str:
        return self.word()


Value = Note | Number | Signed | Percent | Listing | Series | str | int


def _word_value(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)  # years, ages, codes: never grouped
    return value.word()


def word_all(notes: Iterable[Note | str], lang: str | None = None) -> list[str]:
    """Each note worded in ``lang`` (a plain string, already worded or fixed, is kept)."""
    return [n if isinstance(n, str) else n.word(lang) for n in notes]
