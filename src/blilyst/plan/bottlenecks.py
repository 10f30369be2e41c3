"""Bottlenecks: the guidance's checklist as a structured, dated, repeatable assessment.

Success factor 2 of *Drømmen om å bli flere* ("clear up the challenges") asks five questions before any
campaign: does the community receive newcomers well; is there enough housing, and of enough kinds; can
families get a kindergarten place at any time of year; are there relevant jobs — for both adults; and do
the municipality and local employers advertise every vacancy. Newcomers need more than a job, and a
bottleneck left in place undoes the best marketing.

Each item gets a rating, notes and a date from the people who know the place, next to the evidence blilyst
has: the newcomer service's matching gaps (needs it could not meet), kindergarten capacity by month,
housing and vacancy listings (:class:`~blilyst.plan.capacity.Capacity`) and the time from moving in to
"feels included" from the follow-ups. blilyst suggests a rating from the evidence with explicit rules; the
people rate. Assessments can be repeated and compared (:func:`compare`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from blilyst.errors import InputError
from blilyst.i18n import (
    N_,
    active,
    format_number,
    gettext,
    in_every_language,
    in_language,
    ngettext,
    override,
    pgettext,
)
from blilyst.plan import smallnumbers
from blilyst.plan.capacity import Capacity, housing_label, month_name
from blilyst.plan.texts import fmt_pct

#: A text rendered in every language (``blilyst.i18n.in_every_language``).
Text = Mapping[str, str]


class Rating(str, enum.Enum):
    """How an item stands. Ordered from best to worst by :attr:`score`."""

    GOOD = "good"
    PARTLY = "partly"
    BOTTLENECK = "bottleneck"
    NOT_ASSESSED = "not_assessed"

    @property
    def score(self) -> int | None:
        return {"good": 2, "partly": 1, "bottleneck": 0}.get(self.value)

    def label(self, lang: str | None = "nb") -> str:
        with override(lang):
            return gettext(RATING_LABELS[self])


# Translated at use time (Rating.label), so each reader gets their own language.
RATING_LABELS: dict[Rating, str] = {
    Rating.GOOD: N_("In place"),
    Rating.PARTLY: N_("Partly"),
    Rating.BOTTLENECK: N_("Bottleneck"),
    Rating.NOT_ASSESSED: N_("Not assessed"),
}


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist question; ``question`` and ``why`` are English message ids, translated at use time."""

    key: str
    question: str
    why: str

    def question_text(self, lang: str | None = None) -> str:
        """The question in ``lang`` (the active language when ``None``)."""
        with override(lang):
            return gettext(self.question)

    def why_text(self, lang: str | None = None) -> str:
        """Why the question matters, in ``lang`` (the active language when ``None``)."""
        with override(lang):
            return gettext(self.why)


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "receiving",
        N_("Is the community good at receiving newcomers, and do residents take part in the work?"),
        N_(
            "Many newcomers say it takes a long time before they feel included. Good hosts are basic to "
            "making people stay."
        ),
    ),
    ChecklistItem(
        "housing",
        N_("Is there enough housing, and is the supply varied enough?"),
        N_(
            "People need different things: renting, buying, a plot, a small farm, a trial home. Without a "
            "home, a job does not help."
        ),
    ),
    ChecklistItem(
        "kindergarten",
        N_("Are there free kindergarten places, and can a family get one at any time of year?"),
        N_("Families move when the job starts, not when the kindergarten year begins."),
    ),
    ChecklistItem(
        "jobs",
        N_("Are there enough relevant jobs — for both adults in a household?"),
        N_("In a couple two people need work; one position alone rarely moves a family."),
    ),
    ChecklistItem(
        "vacancies",
        N_("Do the municipality and local employers advertise every vacancy?"),
        N_("Positions filled through acquaintances are invisible to those who do not live here yet."),
    ),
)
ITEM_KEYS = tuple(item.key for item in CHECKLIST)
# The time to feel included is shown (and rated) only as a median over at least this many households: the
# small-number rule's minimum for medians (blilyst.plan.smallnumbers).
MIN_HOUSEHOLDS = smallnumbers.MIN_BASE


def short_label(key: str, lang: str | None = None) -> str:
    """A checklist item's one-word name in ``lang`` (the active language when ``None``), for tables."""
    with override(lang):
        # a context of their own: "jobs" alone is also the number of jobs in a place
        labels = {
            "receiving": pgettext("checklist item", "welcome"),
            "housing": pgettext("checklist item", "housing"),
            "kindergarten": pgettext("checklist item", "kindergarten"),
            "jobs": pgettext("checklist item", "jobs"),
            "vacancies": pgettext("checklist item", "advertising"),
        }
    return labels[key]


CHECKLIST_BY_KEY = {item.key: item for item in CHECKLIST}

# matching-gap kinds recorded by the newcomer service, mapped to the checklist item they point at
GAP_ITEM = {
    "housing": "housing",
    "rental": "housing",
    "small_farm": "housing",
    "kindergarten": "kindergarten",
    "job": "jobs",
    "job_partner": "jobs",
    "network": "receiving",
    "social": "receiving",
}


@dataclass(frozen=True)
class BottleneckEvidence:
    """The evidence blilyst can put beside the checklist (all aggregates).

    * ``capacity``: listings, kindergarten places by month, vacancies (:class:`Capacity`).
    * ``matching_gaps``: count of newcomer needs the service could not meet, by kind (see ``GAP_ITEM``).
    * ``months_to_included``: per household followed up, months from moving in until it said it felt
      included (from the follow-ups).
    * ``not_yet_included``: households followed up for a year or more that do not yet feel included.
    """

    capacity: Capacity = field(default_factory=Capacity)
    matching_gaps: Mapping[str, int] = field(default_factory=dict)
    months_to_included: Sequence[float] = ()
    not_yet_included: int = 0


@dataclass(frozen=True)
class Fact:
    """One piece of evidence on an item, already phrased, with the signal it gives."""

    text: Text
    signal: str  # "ok", "warning", "problem" or "info"


@dataclass(frozen=True)
class ItemAssessment:
    key: str
    rating: Rating = Rating.NOT_ASSESSED
    notes: str = ""
    assessed_on: dt.date | None = None
    suggested: Rating = Rating.NOT_ASSESSED
    facts: tuple[Fact, ...] = ()

    @property
    def item(self) -> ChecklistItem:
        return CHECKLIST_BY_KEY[self.key]


def _gaps_for(item: str, gaps: Mapping[str, int]) -> int:
    return sum(n for kind, n in gaps.items() if GAP_ITEM.get(kind) == item)


def _housing_evidence(evidence: BottleneckEvidence, facts: list[Fact], severity: list[Rating]) -> None:
    """Homes listed: none is a bottleneck, one type only is partly."""
    cap = evidence.capacity
    if not cap.knows_housing():
        return
    total = cap.housing_total()
    kinds = cap.housing_types_available()
    if total == 0:
        facts.append(Fact(in_every_language(lambda: gettext("No homes are listed.")), "problem"))
        severity.append(Rating.BOTTLENECK)
    else:
        facts.append(
            Fact(
                in_every_language(
                    lambda: gettext("Available now: {homes}.").format(
                        homes=", ".join(f"{format_number(n)} {housing_label(t)}" for t, n in cap.housing.items())
                    )
                ),
                "ok" if len(kinds) >= 2 else "warning",
            )
        )
        severity.append(Rating.GOOD if len(kinds) >= 2 else Rating.PARTLY)
        if len(kinds) < 2:
            facts.append(
                Fact(
                    in_every_language(lambda: gettext("Only one type of home is available; the supply is not varied.")),
                    "warning",
                )
            )


def _kindergarten_evidence(evidence: BottleneckEvidence, facts: list[Fact], severity: list[Rating]) -> None:
    """Kindergarten places by month: a month without a free place is a bottleneck."""
    cap = evidence.capacity
    if not cap.kindergarten_known():
        return
    empty = cap.months_without_kindergarten_place()
    if empty:
        facts.append(
            Fact(
                in_every_language(
                    lambda: gettext("No free kindergarten place in {months}.").format(
                        months=", ".join(month_name(m, active()) for m in empty)
                    )
                ),
                "problem",
            )
        )
        severity.append(Rating.BOTTLENECK)
    elif not cap.kindergarten_all_year_known():
        facts.append(Fact(in_every_language(lambda: gettext("Capacity is known for some months only.")), "info"))
        severity.append(Rating.PARTLY)
    else:
        facts.append(
            Fact(
                in_every_language(
                    lambda: gettext("Places free all year (at least {places} in any month).").format(
                        places=format_number(least) if (least := cap.kindergarten_min()) is not None else "–"
                    )
                ),
                "ok",
            )
        )
        severity.append(Rating.GOOD)


def _jobs_evidence(evidence: BottleneckEvidence, facts: list[Fact], severity: list[Rating]) -> None:
    """Vacancies listed and their sectors, and partners who found no relevant job."""
    cap = evidence.capacity
    if not cap.knows_vacancies():
        return
    total, sectors = cap.vacancies_total(), cap.vacancy_sectors()
    if total == 0:
        facts.append(Fact(in_every_language(lambda: gettext("No vacancies are listed.")), "problem"))
        severity.append(Rating.BOTTLENECK)
    else:
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "{vacancies} vacancies in {count} sector.",
                        "{vacancies} vacancies in {count} sectors.",
                        len(sectors),
                    ).format(vacancies=format_number(total), count=format_number(len(sectors)))
                ),
                "ok" if len(sectors) >= 2 else "warning",
            )
        )
        severity.append(Rating.GOOD if len(sectors) >= 2 else Rating.PARTLY)
    partner = evidence.matching_gaps.get("job_partner", 0)
    if partner:
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "{count} partner found no relevant job.",
                        "{count} partners found no relevant job.",
                        partner,
                    ).format(count=format_number(partner))
                ),
                "warning",
            )
        )


def _vacancies_evidence(evidence: BottleneckEvidence, facts: list[Fact], severity: list[Rating]) -> None:
    """The share of known vacancies that were publicly advertised."""
    cap = evidence.capacity
    share = cap.advertised_share()
    if share is not None:
        text = in_every_language(
            lambda: gettext("{share} of known vacancies were publicly advertised.").format(
                share=fmt_pct(share, active())
            )
        )
        if share < 0.5:
            facts.append(Fact(text, "problem"))
            severity.append(Rating.BOTTLENECK)
        elif share < 1.0:
            facts.append(Fact(text, "warning"))
            severity.append(Rating.PARTLY)
        else:
            facts.append(Fact(text, "ok"))
            severity.append(Rating.GOOD)


def _receiving_evidence(evidence: BottleneckEvidence, facts: list[Fact], severity: list[Rating]) -> None:
    """Time from moving in to feeling included, and households not included after a year."""
    if not (evidence.months_to_included or evidence.not_yet_included):
        return
    n = len(evidence.months_to_included)
    if 0 < n < MIN_HOUSEHOLDS:
        # the median of one or two households is their own time to feel included: not shown, not rated
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "Too few households ({count}) to show the time from moving in to feeling included "
                        "(at least {minimum}).",
                        "Too few households ({count}) to show the time from moving in to feeling included "
                        "(at least {minimum}).",
                        n,
                    ).format(count=format_number(n), minimum=format_number(MIN_HOUSEHOLDS))
                ),
                "info",
            )
        )
    elif (median := smallnumbers.median(evidence.months_to_included)) is not None:
        median_months = median
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "Median {months} months from moving in to feeling included ({count} household).",
                        "Median {months} months from moving in to feeling included ({count} households).",
                        n,
                    ).format(months=format_number(median_months), count=format_number(n))
                ),
                "ok" if median <= 6 else ("warning" if median <= 12 else "problem"),
            )
        )
        severity.append(Rating.GOOD if median <= 6 else (Rating.PARTLY if median <= 12 else Rating.BOTTLENECK))
    if evidence.not_yet_included and smallnumbers.is_small(evidence.not_yet_included):
        facts.append(
            Fact(
                in_every_language(lambda: gettext("A few households (under 3) do not feel included after a year.")),
                "warning",
            )
        )
        severity.append(Rating.PARTLY)
    elif evidence.not_yet_included:
        not_included = evidence.not_yet_included
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "{count} household does not feel included after a year.",
                        "{count} households do not feel included after a year.",
                        not_included,
                    ).format(count=format_number(not_included))
                ),
                "warning",
            )
        )
        severity.append(Rating.PARTLY)


_ITEM_RULES: dict[str, Callable[[BottleneckEvidence, list[Fact], list[Rating]], None]] = {
    "housing": _housing_evidence,
    "kindergarten": _kindergarten_evidence,
    "jobs": _jobs_evidence,
    "vacancies": _vacancies_evidence,
    "receiving": _receiving_evidence,
}


def evidence_for(item: str, evidence: BottleneckEvidence) -> tuple[Rating, list[Fact]]:
    """blilyst's suggested rating for one checklist item and the facts behind it.

    Rules (documented in docs/plan.md): an item with no evidence is ``NOT_ASSESSED``; hard zeros (no
    housing listed, a month with no kindergarten place, no vacancies, fewer than half the vacancies
    advertised, a median of more than 12 months to feel included) make a ``BOTTLENECK``; partial signals
    (one housing type only, unmet needs recorded, some vacancies unadvertised, 6–12 months) make ``PARTLY``.
    """
    if item not in ITEM_KEYS:
        raise InputError(
            "item",
            gettext("unknown checklist item '{item}'; use one of {choices}").format(
                item=item, choices=", ".join(ITEM_KEYS)
            ),
        )
    gaps = _gaps_for(item, evidence.matching_gaps)
    facts: list[Fact] = []
    severity: list[Rating] = []

    if gaps:
        facts.append(
            Fact(
                in_every_language(
                    lambda: ngettext(
                        "The newcomer service recorded {count} need it could not meet.",
                        "The newcomer service recorded {count} needs it could not meet.",
                        gaps,
                    ).format(count=format_number(gaps))
                ),
                "warning",
            )
        )
        severity.append(Rating.PARTLY)

    rule = _ITEM_RULES.get(item)
    if rule is not None:
        rule(evidence, facts, severity)
    if not severity:
        return Rating.NOT_ASSESSED, facts
    worst = min(severity, key=lambda r: -1 if r.score is None else r.score)
    return worst, facts


@dataclass(frozen=True)
class Assessment:
    """One run through the checklist for one municipality on one date."""

    municipality: str
    assessed_on: dt.date
    items: Mapping[str, ItemAssessment]
    assessed_by: str = ""

    def item(self, key: str) -> ItemAssessment:
        return self.items[key]

    def bottlenecks(self) -> list[str]:
        return [k for k in ITEM_KEYS if self.items[k].rating is Rating.BOTTLENECK]

    def score(self) -> float | None:
        """Mean score over assessed items (bottleneck 0, partly 1, good 2); None when nothing is assessed."""
        scores = [s for k in ITEM_KEYS if (s := self.items[k].rating.score) is not None]
        return sum(scores) / len(scores) if scores else None

    def disagreements(self) -> list[str]:
        """Items where the people's rating is better than what the evidence suggests (worth a second look)."""
        out = []
        for k in ITEM_KEYS:
            it = self.items[k]
            if it.rating.score is not None and it.suggested.score is not None and it.rating.score > it.suggested.score:
                out.append(k)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The people's part of the assessment as plain JSON-able values (ratings, notes, dates). The
        evidence is not stored: it is recomputed from current figures by :func:`from_dict`."""
        return {
            "municipality": self.municipality,
            "assessed_on": self.assessed_on.isoformat(),
            "assessed_by": self.assessed_by,
            "items": {
                k: {
                    "rating": it.rating.value,
                    "notes": it.notes,
                    "assessed_on": it.assessed_on.isoformat() if it.assessed_on else None,
                }
                for k, it in self.items.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], evidence: BottleneckEvidence | None = None) -> Assessment:
        """Rebuild an assessment stored with :meth:`to_dict`, with suggestions from ``evidence``."""
        try:
            day = dt.date.fromisoformat(data["assessed_on"])
            items = data.get("items", {})
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError("assessment", gettext("not a stored assessment ({error})").format(error=exc)) from exc
        a = assess(
            data["municipality"],
            day,
            {k: v.get("rating", "not_assessed") for k, v in items.items()},
            {k: v.get("notes", "") for k, v in items.items()},
            evidence,
            assessed_by=data.get("assessed_by", ""),
        )
        for k, v in items.items():
            if v.get("assessed_on"):
                a = update_item(a, k, on=dt.date.fromisoformat(v["assessed_on"]))
        return a

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        """One row per item; ``suggested_label`` says what a suggested rating rests on."""
        rows = []
        for k in ITEM_KEYS:
            it = self.items[k]
            rows.append(
                {
                    "item": k,
                    "question": it.item.question_text(lang),
                    "rating": it.rating.value,
                    "rating_label": it.rating.label(lang),
                    "suggested": it.suggested.value,
                    "suggested_label": suggested_label(it, lang),
                    "notes": it.notes,
                    "assessed_on": it.assessed_on,
                    "evidence": " ".join(in_language(f.text, lang) for f in it.facts),
                }
            )
        return pd.DataFrame(rows)


def assess(
    municipality: str,
    assessed_on: dt.date,
    ratings: Mapping[str, Rating | str] | None = None,
    notes: Mapping[str, str] | None = None,
    evidence: BottleneckEvidence | None = None,
    *,
    assessed_by: str = "",
) -> Assessment:
    """Build an assessment: the people's ratings and notes beside blilyst's suggestion from the evidence.

    Items not rated are ``NOT_ASSESSED``. Unknown item keys or ratings raise :class:`InputError`.
    """
    ratings = dict(ratings or {})
    notes = dict(notes or {})
    evidence = evidence or BottleneckEvidence()
    unknown = [k for k in list(ratings) + list(notes) if k not in ITEM_KEYS]
    if unknown:
        raise InputError(
            "item",
            gettext("unknown checklist item(s) {items}; use {choices}").format(
                items=", ".join(sorted(set(unknown))), choices=", ".join(ITEM_KEYS)
            ),
        )
    items = {}
    for key in ITEM_KEYS:
        raw = ratings.get(key, Rating.NOT_ASSESSED)
        try:
            rating = Rating(raw)
        except ValueError as exc:
            raise InputError(
                f"rating[{key}]",
                gettext("'{value}' is not one of {choices}").format(
                    value=raw, choices=", ".join(r.value for r in Rating)
                ),
            ) from exc
        suggested, facts = evidence_for(key, evidence)
        items[key] = ItemAssessment(
            key=key,
            rating=rating,
            notes=notes.get(key, ""),
            assessed_on=assessed_on,
            suggested=suggested,
            facts=tuple(facts),
        )
    return Assessment(municipality=str(municipality), assessed_on=assessed_on, items=items, assessed_by=assessed_by)


def update_item(
    assessment: Assessment,
    key: str,
    *,
    rating: Rating | str | None = None,
    notes: str | None = None,
    on: dt.date | None = None,
) -> Assessment:
    """A copy of the assessment with one item re-rated (the item's date moves to ``on``)."""
    if key not in ITEM_KEYS:
        raise InputError("item", gettext("unknown checklist item '{item}'").format(item=key))
    old = assessment.items[key]
    new = replace(
        old,
        rating=Rating(rating) if rating is not None else old.rating,
        notes=notes if notes is not None else old.notes,
        assessed_on=on or old.assessed_on,
    )
    items = dict(assessment.items)
    items[key] = new
    return replace(assessment, items=items)


@dataclass(frozen=True)
class ItemChange:
    key: str
    before: Rating
    after: Rating
    direction: str  # "better", "worse", "same", "newly_assessed", "no_longer_assessed"

    def text(self, lang: str = "nb") -> str:
        q = CHECKLIST_BY_KEY[self.key].question_text(lang)
        return f"{q} {self.before.label(lang)} → {self.after.label(lang)}"


def compare(earlier: Assessment, later: Assessment) -> list[ItemChange]:
    """How each item moved between two assessments of the same municipality (earlier first)."""
    if earlier.municipality != later.municipality:
        raise InputError(
            "later",
            gettext("compares {first} with {second}; compare two assessments of the same municipality").format(
                first=earlier.municipality, second=later.municipality
            ),
        )
    if later.assessed_on < earlier.assessed_on:
        earlier, later = later, earlier
    changes = []
    for key in ITEM_KEYS:
        a, b = earlier.items[key].rating, later.items[key].rating
        if (a.score is None and b.score is None) or a == b:
            direction = "same"
        elif a.score is None:
            direction = "newly_assessed"
        elif b.score is None:
            direction = "no_longer_assessed"
        else:
            direction = "better" if b.score > a.score else "worse"
        changes.append(ItemChange(key, a, b, direction))
    return changes


def history_frame(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """Ratings over time: one row per assessment date, one column per checklist item (rating values)."""
    rows = []
    for a in sorted(assessments, key=lambda a: a.assessed_on):
        row: dict[str, Any] = {"assessed_on": a.assessed_on}
        row.update({k: a.items[k].rating.value for k in ITEM_KEYS})
        row["score"] = a.score()
        rows.append(row)
    return pd.DataFrame(rows)


def suggested_label(item: ItemAssessment, lang: str = "nb") -> str:
    """The suggested rating with what it rests on: blilyst only sees what is registered, so "in place"
    always names the counts it was read from ("I orden ut fra: Ledige nå: 2 utleieboliger, 1 prøveboliger.")."""
    from blilyst.i18n import gettext, override

    label = item.suggested.label(lang)
    if item.suggested is not Rating.GOOD:
        return label
    basis = " ".join(in_language(f.text, lang) for f in item.facts if f.signal == "ok")
    with override(lang):
        return gettext("%(rating)s, judged only from what is registered: %(basis)s") % {"rating": label, "basis": basis}
