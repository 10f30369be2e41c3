"""Residents' own wish to stay: the aggregated answers of a short survey, and how the plan reports them.

The guidance asks a plan to hear the residents themselves, not only the statistics: do they plan to live here
in five years, and why would they stay or move? blilyst keeps no answer of any one person. Staff enter the
*counts* a survey gave (from a paper form, a web survey tool or a meeting) as a :class:`SurveyResult`:

* how many answered (``respondents``);
* the answers to "Do you plan to live in the municipality in five years?" on a five-point scale
  (:data:`STAY_ANSWERS`);
* how many gave each reason to stay and each reason they might move (:data:`REASONS`; several reasons per
  person are allowed, so these do not add up to the respondents).

:func:`survey_section` reports them by the one small-number rule (:mod:`blilyst.plan.smallnumbers`): counts 1
and 2 are hidden, with as many more of the five answers as it takes for the hidden ones not to be computable
from the number who answered; percentages only from 5 answers up. The summary sentence groups the answers
(stay: yes or probably; move: probably not or no) only when no answer is hidden, since a group's sum beside
the shown answers would give a hidden one away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import N_, format_date, format_number, format_percent, override
from blilyst.i18n import gettext as _
from blilyst.plan import smallnumbers
from blilyst.plan.document import Section, TableSpec

STAY_ANSWERS = ("yes", "probably", "unsure", "probably_not", "no")
STAY_LABELS = {
    "yes": N_("Yes"),
    "probably": N_("Probably"),
    "unsure": N_("Do not know"),
    "probably_not": N_("Probably not"),
    "no": N_("No"),
}
REASONS = ("job", "family", "housing", "nature", "community", "services", "schools", "transport", "other")
REASON_LABELS = {
    "job": N_("Work"),
    "family": N_("Family and friends"),
    "housing": N_("Housing"),
    "nature": N_("Nature and outdoor life"),
    "community": N_("Community and leisure"),
    "services": N_("Shops and services"),
    "schools": N_("Kindergarten and school"),
    "transport": N_("Roads and transport"),
    "other": N_("Other"),
}
QUESTION = N_("Do you plan to live in the municipality in five years?")
MAX_RESPONDENTS = 1_000_000


def stay_label(key: str) -> str:
    return _(STAY_LABELS[key])


def reason_label(key: str) -> str:
    return _(REASON_LABELS[key])


def _counts(values: Mapping[str, Any] | None, known: tuple[str, ...], name: str, most: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in dict(values or {}).items():
        if key not in known:
            raise InputError(name, _("unknown answer '{key}'; use {choices}").format(key=key, choices=", ".join(known)))
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or float(value) != int(value):
            raise InputError(name, _("'{key}' must be a whole number, got {value}").format(key=key, value=repr(value)))
        number = int(value)
        if number < 0:
            raise InputError(name, _("'{key}' cannot be negative ({value})").format(key=key, value=number))
        if number > most:
            raise InputError(
                name,
                _("'{key}' is {number}, more than the {most} who answered").format(
                    key=key, number=format_number(number), most=format_number(most)
                ),
            )
        out[key] = number
    return out


@dataclass(frozen=True)
class SurveyResult:
    """The counts one survey of the residents gave (no person's answer)."""

    title: str
    conducted_on: dt.date
    respondents: int
    stay: Mapping[str, int] = field(default_factory=dict)
    stay_reasons: Mapping[str, int] = field(default_factory=dict)
    leave_reasons: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not str(self.title).strip():
            raise InputError("title", _("give the survey a name, e.g. 'Innbyggerundersøkelsen 2026'"))
        if isinstance(self.respondents, bool) or not isinstance(self.respondents, int):
            raise InputError(
                "respondents", _("must be a whole number, not {value}").format(value=repr(self.respondents))
            )
        if not 1 <= self.respondents <= MAX_RESPONDENTS:
            raise InputError(
                "respondents",
                _("must be between 1 and {most}, not {value}").format(
                    most=format_number(MAX_RESPONDENTS), value=format_number(self.respondents)
                ),
            )
        if not isinstance(self.conducted_on, dt.date):
            raise InputError("conducted_on", _("must be a date, not {value}").format(value=repr(self.conducted_on)))
        stay = _counts(self.stay, STAY_ANSWERS, "stay", self.respondents)
        if sum(stay.values()) > self.respondents:
            raise InputError(
                "stay",
                _("the answers add up to {total}, more than the {most} who answered").format(
                    total=format_number(sum(stay.values())), most=format_number(self.respondents)
                ),
            )
        object.__setattr__(self, "stay", stay)
        object.__setattr__(self, "stay_reasons", _counts(self.stay_reasons, REASONS, "stay_reasons", self.respondents))
        object.__setattr__(
            self, "leave_reasons", _counts(self.leave_reasons, REASONS, "leave_reasons", self.respondents)
        )

    @property
    def answered_stay(self) -> int:
        """How many answered the five-year question."""
        return sum(self.stay.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "conducted_on": self.conducted_on.isoformat(),
            "respondents": self.respondents,
            "stay": dict(self.stay),
            "stay_reasons": dict(self.stay_reasons),
            "leave_reasons": dict(self.leave_reasons),
        }

    @classmethod
    def from_json(cls, data: Any) -> SurveyResult:
        if not isinstance(data, Mapping):
            raise InputError("survey", _("must be an object with title, conducted_on, respondents and the counts"))
        try:
            day = dt.date.fromisoformat(str(data.get("conducted_on")))
        except ValueError as exc:
            raise InputError(
                "survey.conducted_on", _("is not a date: {value}").format(value=repr(data.get("conducted_on")))
            ) from exc
        return cls(
            title=str(data.get("title") or ""),
            conducted_on=day,
            respondents=data.get("respondents"),  # type: ignore[arg-type]  # checked in __post_init__
            stay=data.get("stay") or {},
            stay_reasons=data.get("stay_reasons") or {},
            leave_reasons=data.get("leave_reasons") or {},
        )


def _count_cell(count: int, hidden: bool) -> str:
    return _("hidden (under 3)") if hidden else format_number(count)


def _share_cell(count: int, base: int, hidden: bool) -> str:
    value = None if hidden else smallnumbers.share(count, base)
    return "–" if value is None else format_percent(value)


def _reason_table(title: str, counts: Mapping[str, int], base: int) -> TableSpec | None:
    keys = [k for k in REASONS if counts.get(k, 0) > 0]
    if not keys:
        return None
    keys.sort(key=lambda k: -counts[k])
    values = [float(counts[k]) for k in keys]
    hidden = smallnumbers.hidden_cells(values, total_known=False)  # several reasons each: no known total
    frame = pd.DataFrame(
        [
            (reason_label(k), _count_cell(counts[k], h), _share_cell(counts[k], base, h))
            for k, h in zip(keys, hidden, strict=True)
        ],
        columns=[_("Reason"), _("Answers"), _("Share of those who answered")],
    )
    return TableSpec(title, frame, "", "", widths=(3.0, 1.2, 1.6))


def survey_section(result: SurveyResult | None, lang: str = "nb") -> Section | None:
    """The residents' answers as a plan section; ``None`` when no survey is entered."""
    if result is None:
        return None
    with override(lang):
        if smallnumbers.is_small(result.respondents):
            text = _("%(title)s, %(date)s: fewer than 3 residents answered, so the answers are not shown.") % {
                "title": result.title,
                "date": format_date(result.conducted_on, "long"),
            }
            return Section(_("Residents' own wish to stay"), (text,))
        base = result.answered_stay
        intro = _("%(title)s, %(date)s: %(n)s residents answered.") % {
            "title": result.title,
            "date": format_date(result.conducted_on, "long"),
            "n": format_number(result.respondents),
        }
        paragraphs = [intro]
        tables: list[TableSpec] = []
        if base:
            counts = [float(result.stay.get(k, 0)) for k in STAY_ANSWERS]
            hidden = smallnumbers.hidden_cells(counts, total_known=True)
            if not any(hidden):
                stay = result.stay.get("yes", 0) + result.stay.get("probably", 0)
                move = result.stay.get("probably_not", 0) + result.stay.get("no", 0)
                stay_share, move_share = smallnumbers.share(stay, base), smallnumbers.share(move, base)
                if stay_share is not None and move_share is not None:
                    paragraphs.append(
                        _(
                            "%(stay)s of the %(base)s who answered (%(stay_share)s) plan to live here in five "
                            "years (yes or probably); %(move)s (%(move_share)s) plan to move (probably not or no)."
                        )
                        % {
                            "stay": format_number(stay),
                            "base": format_number(base),
                            "stay_share": format_percent(stay_share),
                            "move": format_number(move),
                            "move_share": format_percent(move_share),
                        }
                    )
            frame = pd.DataFrame(
                [
                    (stay_label(k), _count_cell(int(c), h), _share_cell(int(c), base, h))
                    for k, c, h in zip(STAY_ANSWERS, counts, hidden, strict=True)
                ],
                columns=[_("Answer"), _("Answers"), _("Share of those who answered")],
            )
            tables.append(TableSpec(_(QUESTION), frame, "", "", widths=(3.0, 1.2, 1.6)))
        for title, counts_by_reason in (
            (_("Why residents stay"), result.stay_reasons),
            (_("Why residents might move"), result.leave_reasons),
        ):
            table = _reason_table(title, counts_by_reason, result.respondents)
            if table is not None:
                tables.append(table)
        notes = (
            _(
                "Counts the municipality entered from its own survey; blilyst keeps no one's answers. Counts under "
                "3 are hidden, with what would reveal them; percentages only from 5 answers. Several reasons could "
                "be given, so they do not add up."
            ),
        )
        return Section(_("Residents' own wish to stay"), tuple(paragraphs), tuple(tables), notes)


# ------------------------------------------------------------------------------------ a file of counts

#: The parts of a survey file (first column), by the words a sheet may use for them.
FILE_PARTS = {
    "stay": ("five years", "fem år", "bo her", "bu her", "stay", "bli"),
    "stay_reasons": ("reason to stay", "grunn til å bli", "hvorfor bli", "kvifor bli", "blir"),
    "leave_reasons": ("reason to move", "grunn til å flytte", "hvorfor flytte", "kvifor flytte", "flytte"),
}


def _names(keys: tuple[str, ...], labels: Mapping[str, str]) -> dict[str, str]:
    """Every way a file may name an answer: its key and its label in bokmål, nynorsk and English."""
    out = {k: k for k in keys}
    for lang in ("nb", "nn", "en"):
        with override(lang):
            out.update({_(labels[k]).strip().lower(): k for k in keys})
    return out


def counts_from_rows(rows: list[tuple[int, list[str]]]) -> dict[str, dict[str, int]]:
    """The counts of a survey file: three columns, the part (the five-year question, reasons to stay, reasons to
    move, in bokmål, nynorsk or English), the answer or reason (its name as the form shows it, in any of the
    three languages) and the number. A row blilyst cannot place raises :class:`InputError` naming the line."""
    answers = {"stay": _names(STAY_ANSWERS, STAY_LABELS)}
    answers["stay_reasons"] = answers["leave_reasons"] = _names(REASONS, REASON_LABELS)
    out: dict[str, dict[str, int]] = {"stay": {}, "stay_reasons": {}, "leave_reasons": {}}
    for line, values in rows:
        if len(values) < 3:
            raise InputError("survey", _("line %(line)d has too few columns") % {"line": line})
        part_text, answer_text, number = (v.strip() for v in values[:3])
        # reasons are named before the five-year question, whose words ('bli', 'flytte') they contain
        part = next(
            (
                p
                for p in ("stay_reasons", "leave_reasons", "stay")
                if any(w in part_text.lower() for w in FILE_PARTS[p])
            ),
            None,
        )
        key = answers[part].get(answer_text.lower()) if part else None
        if part is None or key is None:
            raise InputError(
                "survey",
                _("line %(line)d: '%(part)s' / '%(answer)s' is not a part and answer of the survey")
                % {"line": line, "part": part_text, "answer": answer_text},
            )
        try:
            count = int(number.replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            raise InputError(
                "survey", _("line %(line)d: '%(value)s' is not a number of persons") % {"line": line, "value": number}
            ) from None
        out[part][key] = out[part].get(key, 0) + count
    return out
