"""The honest message: hold a campaign's promises against what the municipality can actually offer.

Success factor 5 of *Drømmen om å bli flere* is to be honest and targeted: a campaign works best when its
message matches what the place really has. If you sell the small-farm idyll, a small farm must be to be
had; if you say artists thrive here, there must be something for artists. The booklet also warns against
clichés and *shadow messages*: selling rural calm and scenery while the jobs and the use of one's
competence are forgotten; fjords and mountains as if they were unique in Norway; the place as a resting
spot for stressed city people; and, under it all, the signal "SOS, we are sinking — come and save us",
which tells the reader the place is in decline.

:func:`check_campaign` reads a campaign text in bokmål or nynorsk (:mod:`blilyst.plan.claims`), holds each
claim against a :class:`~blilyst.plan.capacity.Capacity` — month by month for kindergarten places, kind
and price by kind for housing, occupation by occupation for jobs — and the municipality's own
:class:`Thresholds` ("mange" means more than N; what "rimelig" costs at most), and returns per claim a
verdict (*supported*, *unsupported*, *cannot be checked*) with the figures, and for each unsupported claim
an honest rewrite built from those figures in the language of the text. Clichés and shadow messages are
named with the guidance's reason. It is a checklist aid for a human editor, not a judge; docs/plan.md
describes the rules and the measured recall and precision (bench/bench_honesty.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from blilyst.i18n import N_, active, format_number, month_name, ngettext, override
from blilyst.i18n import gettext as _
from blilyst.plan.capacity import MONTHS, Capacity
from blilyst.plan.claims import OCCUPATIONS, Amount, Claim, Price, Subject, When, find_claims
from blilyst.plan.norwegian import VARIETIES, variety

SUPPORTED, UNSUPPORTED, UNVERIFIABLE = "supported", "unsupported", "unverifiable"
VERDICT_LABELS = {SUPPORTED: N_("Supported"), UNSUPPORTED: N_("Unsupported"), UNVERIFIABLE: N_("Cannot be checked")}
SUBJECT_LABELS = {
    Subject.KINDERGARTEN: N_("Kindergarten places"),
    Subject.RENTAL: N_("Homes to rent"),
    Subject.FOR_SALE: N_("Homes for sale"),
    Subject.HOUSING: N_("Homes"),
    Subject.SMALL_FARM: N_("Small farms"),
    Subject.PLOT: N_("Building plots"),
    Subject.TRIAL_HOUSING: N_("Trial housing"),
    Subject.JOBS: N_("Jobs"),
    Subject.JOBS_FOR_BOTH: N_("Jobs for both adults"),
    Subject.SCHOOL: N_("School places"),
    Subject.OFFERS: N_("Offers"),
    Subject.COMMUTING: N_("Commuting time"),
    Subject.BROADBAND: N_("Broadband and mobile coverage"),
}
SECTOR_LABELS = {
    "health": N_("health and care"),
    "education": N_("education and kindergartens"),
    "construction": N_("building and construction"),
    "industry": N_("industry"),
    "agriculture": N_("farming, forestry and fishing"),
    "tourism": N_("tourism"),
    "retail": N_("shops and services"),
    "technology": N_("IT and technology"),
    "administration": N_("public administration"),
    "transport": N_("transport"),
    "other": N_("other sectors"),
}
OCCUPATION_LABELS = {
    "lærer": N_("teachers"),
    "sykepleier": N_("nurses"),
    "helsefagarbeider": N_("health workers"),
    "lege": N_("doctors"),
    "ingeniør": N_("engineers"),
    "snekker": N_("carpenters"),
    "elektriker": N_("electricians"),
    "kokk": N_("cooks"),
    "utvikler": N_("developers"),
    "prosessoperatør": N_("process operators"),
}
OFFER_LABELS = {
    "artist_studio": N_("studios or other offers for artists"),
    "coworking": N_("coworking places"),
    "host": N_("hosts or mentors for newcomers"),
}
# Which register would check a claim blilyst cannot check.
REGISTERS = {
    Subject.KINDERGARTEN: N_("the kindergarten register (free places by month, under Resources)"),
    Subject.HOUSING: N_("the housing register (available listings, under Resources)"),
    Subject.JOBS: N_("the vacancy register (open positions by occupation and sector, under Resources)"),
    Subject.OFFERS: N_("a register of offers such as studios and coworking places (not in blilyst yet)"),
    Subject.SCHOOL: N_("the schools' capacity by year group (GSI, the primary school information system)"),
    Subject.COMMUTING: N_("travel times by road or public transport (for example Entur's journey planner)"),
    Subject.BROADBAND: N_("Nkom's broadband and mobile coverage map"),
}
HOUSING_KINDS = {
    Subject.RENTAL: ("rental",),
    Subject.FOR_SALE: ("for_sale",),
    Subject.SMALL_FARM: ("small_farm",),
    Subject.PLOT: ("plot",),
    Subject.TRIAL_HOUSING: ("trial_housing",),
    Subject.HOUSING: ("rental", "for_sale", "small_farm", "trial_housing"),
}
RENTED_KINDS = frozenset({"rental", "trial_housing"})


@dataclass(frozen=True)
class Thresholds:
    """What a municipality means by its words: "mange" is more than ``many``; "rimelig"/"billig" is a monthly
    rent of at most ``rent_limit`` or an asking price of at most ``price_limit`` (NOK). Set per municipality
    in its settings; without a limit a price claim cannot be checked."""

    many: int = 10
    rent_limit: int | None = None
    price_limit: int | None = None

    def __post_init__(self) -> None:
        if self.many < 1:
            raise ValueError(_("'{key}' must be at least 1, got {value}").format(key="many", value=self.many))
        for name in ("rent_limit", "price_limit"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(_("'{key}' cannot be negative ({value})").format(key=name, value=value))


Render = Callable[[], str]
# What a judge returns: the verdict, its reason, the honest rewrite (unsupported claims only), the figures.
Judgement = tuple[str, Render, Render | None, dict[str, Any]]


@dataclass(frozen=True)
class Finding:
    """A claim with its verdict; ``reason``/``rewrite`` are written when asked, in the language asked for."""

    claim: Claim
    verdict: str
    _reason: Render
    _rewrite: Render | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.claim.subject.value

    @property
    def excerpt(self) -> str:
        return self.claim.sentence

    @property
    def span(self) -> tuple[int, int]:
        return self.claim.span

    def label(self, lang: str | None = None) -> str:
        with override(lang):
            label = _(SUBJECT_LABELS[self.claim.subject])
            if self.claim.offer:
                label += f" ({_(OFFER_LABELS[self.claim.offer])})"
            return label

    def verdict_label(self, lang: str | None = None) -> str:
        with override(lang):
            return _(VERDICT_LABELS[self.verdict])

    def reason(self, lang: str | None = None) -> str:
        """Why, with the figures, in ``lang`` (the active language when ``None``)."""
        with override(lang):
            return self._reason()

    def rewrite(self) -> str | None:
        """An honest sentence for an unsupported claim, in the written standard of the text checked."""
        if self._rewrite is None:
            return None
        with override(self.claim.lang):
            return self._rewrite()

    def row(self, lang: str | None = None) -> dict[str, str]:
        """The finding as every front end shows it: ``label``, ``excerpt``, ``verdict`` (the key),
        ``verdict_label`` and ``reason`` in ``lang``, and ``rewrite`` in the text's written standard ("" when
        the claim holds or cannot be checked)."""
        return {
            "label": self.label(lang),
            "excerpt": self.excerpt,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label(lang),
            "reason": self.reason(lang),
            "rewrite": self.rewrite() or "",
        }


# ------------------------------------------------------------------------------------------ wording helpers


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def _months(months: Sequence[int]) -> str:
    return _join([month_name(m) for m in months])


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _n(value: float) -> str:
    return format_number(value, 0, active())


def _needed(claim: Claim, th: Thresholds) -> int:
    q = claim.quantity
    if q.amount is Amount.NUMBER and q.number:
        return q.number
    if q.amount is Amount.SEVERAL:
        return 2
    if q.amount in (Amount.MANY, Amount.ALL):
        return th.many + 1
    return 1


def _need_text(claim: Claim, th: Thresholds) -> str:
    amount = claim.quantity.amount
    if amount is Amount.MANY:
        return _("“many” means more than {n} in this municipality's settings").format(n=_n(th.many))
    if amount is Amount.ALL:
        return _("a promise to everyone needs more than {n} (the municipality's “many”)").format(n=_n(th.many))
    return _("the claim needs at least {n}").format(n=_n(_needed(claim, th)))


def _cannot(subject: Subject, extra: str = "", only_extra: bool = False) -> Judgement:
    register = REGISTERS[subject]

    def reason() -> str:
        if only_extra:
            return _(extra)
        text = _("blilyst has no figures for this; {register} would show it.").format(register=_(register))
        return f"{text} {_(extra)}" if extra else text

    return UNVERIFIABLE, reason, None, {}


# ------------------------------------------------------------------------------------------------ verdicts


def _kindergarten(claim: Claim, cap: Capacity, th: Thresholds) -> Judgement:
    free = cap.kindergarten_free
    if not free:
        return _cannot(Subject.KINDERGARTEN)
    if claim.time.when is When.ALL_YEAR or claim.quantity.amount is Amount.ALL:
        months = list(MONTHS)
    elif claim.time.when is When.MONTHS:
        months = list(claim.time.months)
    elif cap.as_of is not None:
        months = [cap.as_of.month]
    else:
        months = sorted(free)
    need = th.many + 1 if claim.quantity.amount is Amount.MANY else _needed(claim, th)
    if claim.quantity.amount is Amount.ALL:
        need = 1
    short = [m for m in months if m in free and free[m] < need]
    unknown = [m for m in months if m not in free]
    figures = {"free_by_month": {m: free.get(m) for m in months}, "needed": need}
    with_place = [m for m in MONTHS if free.get(m, 0) > 0]
    without = [m for m in MONTHS if m in free and free[m] == 0]

    def by_month() -> str:
        return ", ".join(f"{month_name(m)} {_n(free[m])}" for m in months if m in free)

    if short:

        def reason() -> str:
            need_text = _need_text(claim, th) if need > 1 else _("the claim needs a free place in each of these months")
            return _("Free kindergarten places by month: {months}. {need}; {short} falls short.").format(
                months=by_month(), need=_sentence_case(need_text), short=_months(short)
            )

        def rewrite() -> str:
            if without:
                return _(
                    "We have free kindergarten places {k} of 12 months; in {months} there is a waiting list."
                ).format(k=_n(len(with_place)), months=_months(without))
            low, high = min(free.values()), max(free.values())
            return _("We have between {low} and {high} free kindergarten places a month.").format(
                low=_n(low), high=_n(high)
            )

        return UNSUPPORTED, reason, rewrite, figures
    if unknown:
        return _cannot(Subject.KINDERGARTEN, N_("The register has no figures for some of the months the claim covers."))

    def reason_ok() -> str:
        return _("Free kindergarten places by month: {months}.").format(months=by_month())

    return SUPPORTED, reason_ok, None, figures


def _kind_phrase(kind: str, n: int) -> str:
    count = _n(n)
    if kind == "rental":
        return ngettext("{n} home to rent", "{n} homes to rent", n).format(n=count)
    if kind == "for_sale":
        return ngettext("{n} home for sale", "{n} homes for sale", n).format(n=count)
    if kind == "small_farm":
        return ngettext("{n} small farm", "{n} small farms", n).format(n=count)
    if kind == "plot":
        return ngettext("{n} building plot", "{n} building plots", n).format(n=count)
    if kind == "trial_housing":
        return ngettext("{n} trial home", "{n} trial homes", n).format(n=count)
    return ngettext("{n} home", "{n} homes", n).format(n=count)


def _housing(claim: Claim, cap: Capacity, th: Thresholds) -> Judgement:
    kinds = [k for k in HOUSING_KINDS[claim.subject] if k in cap.housing]
    if not kinds:
        return _cannot(Subject.HOUSING)
    label_kind = HOUSING_KINDS[claim.subject][0] if len(HOUSING_KINDS[claim.subject]) == 1 else "housing"
    available = cap.housing_of(*kinds)
    limit_text: Render | None = None
    if claim.price is Price.NONE:
        n = available
    else:
        if claim.price is Price.FREE:
            limits: dict[str, int | None] = dict.fromkeys(kinds, 0)
        else:
            limits = {k: th.rent_limit if k in RENTED_KINDS else th.price_limit for k in kinds}
            if any(v is None for v in limits.values()):
                return _cannot(
                    Subject.HOUSING,
                    N_("Set the municipality's price limits for “affordable” under Settings to check price words."),
                    only_extra=True,
                )
        counts = [cap.housing_under(k, limits[k] or 0) if cap.housing.get(k) else 0 for k in kinds]
        if any(c is None for c in counts):
            return _cannot(Subject.HOUSING, N_("The housing register holds no prices for these listings."))
        n = sum(c or 0 for c in counts)

        def limit_text() -> str:
            if claim.price is Price.FREE:
                return _("free of charge")
            parts = []
            if any(k in RENTED_KINDS for k in kinds):
                parts.append(_("a rent of at most {nok} kr a month").format(nok=_n(th.rent_limit or 0)))
            if any(k not in RENTED_KINDS for k in kinds):
                parts.append(_("a price of at most {nok} kr").format(nok=_n(th.price_limit or 0)))
            return _join(parts)

    need = _needed(claim, th)
    figures = {"available": available, "matching": n, "needed": need, "kinds": kinds}

    def reason() -> str:
        text = _("The housing register has {what} available").format(what=_kind_phrase(label_kind, available))
        if limit_text is not None and available:
            text += _(", {n} of them with {limit}").format(n=_n(n), limit=limit_text())
        return f"{text}; {_need_text(claim, th)}."

    def rewrite() -> str:
        if n == 0 and available == 0:
            return _("Right now we have no {what} available; contact us and we will help you look.").format(
                what=_kind_phrase(label_kind, 0).split(" ", 1)[1]
            )
        text = _("We have {what} available now").format(what=_kind_phrase(label_kind, available))
        if limit_text is not None:
            text += _(", {n} of them with {limit}").format(n=_n(n), limit=limit_text())
        return text + "."

    return (SUPPORTED, reason, None, figures) if n >= need else (UNSUPPORTED, reason, rewrite, figures)


def _jobs(claim: Claim, cap: Capacity, th: Thresholds) -> Judgement:
    if not cap.knows_vacancies():
        return _cannot(Subject.JOBS)
    total = cap.vacancies_total()
    if claim.occupations and cap.occupations:
        n = sum(cap.positions_for(OCCUPATIONS[o]) for o in claim.occupations)
    elif claim.sectors:
        n = sum(cap.vacancies.get(s, 0) for s in claim.sectors)
    else:
        n = total
    need = _needed(claim, th)
    figures = {"matching": n, "total": total, "needed": need, "by_sector": dict(cap.vacancies)}

    def scope() -> str:
        if claim.occupations:
            return _("for {who}").format(who=_join([_(OCCUPATION_LABELS[o]) for o in claim.occupations]))
        if claim.sectors:
            return _("in {sectors}").format(sectors=_join([_(SECTOR_LABELS.get(s, s)) for s in claim.sectors]))
        return ""

    def others() -> str:
        return _join([f"{_(SECTOR_LABELS.get(s, s))} {_n(v)}" for s, v in cap.vacancies.items() if v > 0])

    def reason() -> str:
        text = ngettext(
            "The vacancy register has {n} open position {scope}",
            "The vacancy register has {n} open positions {scope}",
            n,
        ).format(n=_n(n), scope=scope())
        text = text.rstrip() + f"; {_need_text(claim, th)}."
        if n < need and total > n:
            text += " " + _("All open positions by sector: {sectors}.").format(sectors=others())
        return text

    def rewrite() -> str:
        if n == 0 and total > 0:
            return _("Right now there are no open positions {scope}; there are {total} in {sectors}.").format(
                scope=scope(), total=_n(total), sectors=others()
            )
        return (
            ngettext("We have {n} open position {scope} now.", "We have {n} open positions {scope} now.", n)
            .format(n=_n(n), scope=scope())
            .replace("  ", " ")
        )

    return (SUPPORTED, reason, None, figures) if n >= need else (UNSUPPORTED, reason, rewrite, figures)


def _jobs_for_both(claim: Claim, cap: Capacity, th: Thresholds) -> Judgement:
    if not cap.knows_vacancies():
        return _cannot(Subject.JOBS)
    total, sectors = cap.vacancies_total(), cap.vacancy_sectors()
    figures = {"total": total, "sectors": sectors}

    def listing() -> str:
        return _join([f"{_(SECTOR_LABELS.get(s, s))} {_n(cap.vacancies[s])}" for s in sectors])

    if total >= 2 and len(sectors) >= 2:

        def reason_ok() -> str:
            return _("{n} open positions in {k} sectors: {sectors}.").format(
                n=_n(total), k=_n(len(sectors)), sectors=listing()
            )

        return SUPPORTED, reason_ok, None, figures

    def reason() -> str:
        if total < 2:
            return ngettext(
                "Only {n} open position is registered; not enough for two adults.",
                "Only {n} open positions are registered; not enough for two adults.",
                total,
            ).format(n=_n(total))
        return _("{n} open positions, all in {sector}; two adults rarely share a trade.").format(
            n=_n(total), sector=_(SECTOR_LABELS.get(sectors[0], sectors[0]))
        )

    def rewrite() -> str:
        if total == 0:
            return _("We have no open positions registered right now; we will help both of you look for work.")
        return _("We have {n} open positions in {sectors}, and we help the partner look for work.").format(
            n=_n(total), sectors=listing()
        )

    return UNSUPPORTED, reason, rewrite, figures


def _offers(claim: Claim, cap: Capacity, th: Thresholds) -> Judgement:
    key = claim.offer or ""
    if key not in cap.offers:
        return _cannot(Subject.OFFERS)
    n, need = cap.offers[key], _needed(claim, th)
    figures = {"offer": key, "count": n, "needed": need}

    def reason() -> str:
        return _("Registered {what}: {n}; {need}.").format(
            what=_(OFFER_LABELS.get(key, key)), n=_n(n), need=_need_text(claim, th)
        )

    def rewrite() -> str:
        if n == 0:
            return _("We have no {what} to offer right now.").format(what=_(OFFER_LABELS.get(key, key)))
        return _("We have {n} {what}.").format(n=_n(n), what=_(OFFER_LABELS.get(key, key)))

    return (SUPPORTED, reason, None, figures) if n >= need else (UNSUPPORTED, reason, rewrite, figures)


JUDGES = {
    Subject.KINDERGARTEN: _kindergarten,
    Subject.JOBS: _jobs,
    Subject.JOBS_FOR_BOTH: _jobs_for_both,
    Subject.OFFERS: _offers,
    **dict.fromkeys(HOUSING_KINDS, _housing),
}


def judge(claim: Claim, capacity: Capacity | None, thresholds: Thresholds | None = None) -> Finding:
    """The verdict on one claim (cannot be checked without a capacity, or for a subject no register holds)."""
    th = thresholds or Thresholds()
    if capacity is None:
        register = claim.subject if claim.subject in REGISTERS else Subject.HOUSING
        verdict, reason, rewrite, figures = _cannot(register)
    elif claim.subject in JUDGES:
        verdict, reason, rewrite, figures = JUDGES[claim.subject](claim, capacity, th)
    else:
        verdict, reason, rewrite, figures = _cannot(claim.subject)
    return Finding(claim, verdict, reason, rewrite, figures)


# ------------------------------------------------------------------------------------------------ clichés

CLICHES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "rural_idyll": (
        N_("Rural idyll instead of jobs"),
        N_(
            "People move to the countryside for work and for the people they know there, not for the farm idyll. "
            "Say what a newcomer can do here: use their skills and help build something."
        ),
        (
            r"idyll\w*",
            r"fred\s+og\s+ro",
            r"ro\s+og\s+fred",
            r"frisk\s+luft",
            r"det\s+gode\s+liv",
            r"livet\s+på\s+landet",
            r"slaraffen\w*",
            r"stillhet\w*",
            r"stilla\b",
            r"idyllic",
            r"peace\s+and\s+quiet",
            r"fresh\s+air",
            r"tranquil\w*",
        ),
    ),
    "generic_nature": (
        N_("Mountains and fjords as the selling point"),
        N_(
            "Fjords, mountains and valleys are found all over the country. Say what only this place has, "
            "and whom it suits."
        ),
        (
            r"vakker\w*\s+natur",
            r"fjell\w*\s+og\s+fjord\w*",
            r"fjord\w*\s+og\s+fjell\w*",
            r"storslått\w*\s+natur",
            r"urørt\w*\s+natur",
            r"stunning\s+(?:scenery|nature)",
            r"mountains\s+and\s+fjords",
            r"breathtaking\s+(?:scenery|nature|views)",
        ),
    ),
    "relaxation": (
        N_("The village as a resting place"),
        N_(
            "Much of the country's value is created outside the cities. Selling the place as a spot where "
            "stressed city people can rest hides the work and careers it offers."
        ),
        (
            r"stressa?\w*\s+byfolk",
            r"senke\s+skuldrene",
            r"slappe\s+av",
            r"kjas\s+og\s+mas",
            r"escape\s+the\s+rat\s+race",
            r"unwind",
        ),
    ),
    "crisis": (
        N_("Shadow message: “SOS, we are sinking”"),
        N_(
            "Crisis words tell the reader the place is in decline and has no future — the opposite of what a "
            "campaign wants a newcomer to believe."
        ),
        (
            r"\bSOS\b",
            r"vi\s+synk\w*",
            r"redd\s+(?:oss|bygda|kommunen|skolen|skulen)",
            r"bygda\s+(?:dør|døyr)",
            r"(?:dør|døyr)\s+bygda",
            r"mist\w*\s+vi\s+(?:skolen|skulen|butikken|barnehagen|bygda)",
            r"vi\s+mist\w*\s+(?:skolen|skulen|butikken|barnehagen)",
            r"(?:skolen|skulen|butikken)\s+(?:blir|vert|kan\s+bli|må)\s+(?:lagt|lagd)\s+ned",
            r"før\s+det\s+er\s+for\s+seint?",
            r"fraflytting\w*\s+truer",
            r"save\s+(?:our|the)\s+(?:village|town|school|community)",
            r"before\s+it\s+is\s+too\s+late",
        ),
    ),
    "everything_free": (
        N_("“Everything is free”"),
        N_(
            "Promise only what you can keep. Free goods draw people who hunt for benefits more than people "
            "who want to stay, and disappoint once the conditions come to light."
        ),
        (r"alt\s+er\s+gratis", r"everything\s+(?:is\s+)?free", r"gratis\s+\w+\s*,\s*gratis"),
    ),
    "everyone": (
        N_("“Everyone is welcome”"),
        N_("“Everyone” is no target group. Pick a concrete group from the needs analysis and write to it."),
        (
            r"alle\s+er\s+(?:hjarteleg\s+|hjertelig\s+)?velkom(?:men|ne)",
            r"passer\s+for\s+alle",
            r"passar\s+for\s+alle",
            r"everyone\s+(?:is\s+)?welcome",
        ),
    ),
}
SHADOW_MESSAGES = frozenset({"crisis", "everything_free"})
JOB_WORDS = (
    r"\bjobb\w*",
    r"\barbeid\w*",
    r"\bstilling\w*",
    r"\bkompetanse\w*",
    r"\bkarriere\w*",
    r"\bfagmiljø\w*",
    r"\bnæringsliv\w*",
    r"\bbedrift\w*",
    r"\bindustr\w*",
    r"\bjobs?\b",
    r"\bcareer\w*",
    r"\bvacanc\w*",
    r"\bemployer\w*",
)


@dataclass(frozen=True)
class Cliche:
    kind: str
    excerpt: str
    span: tuple[int, int]
    counts: tuple[int, int] | None = None  # (idyll words, job words) for rural_idyll

    def label(self, lang: str | None = None) -> str:
        with override(lang):
            return _(CLICHES[self.kind][0])

    def reason(self, lang: str | None = None) -> str:
        with override(lang):
            text = _(CLICHES[self.kind][1])
            if self.counts is not None:
                text += " " + _("The text has {idyll} idyll words and {jobs} about jobs and skills.").format(
                    idyll=_n(self.counts[0]), jobs=_n(self.counts[1])
                )
            return text

    def row(self, lang: str | None = None) -> dict[str, str]:
        """The cliché as every front end shows it: ``label``, ``excerpt`` and ``reason`` (texts in ``lang``)."""
        return {"label": self.label(lang), "excerpt": self.excerpt, "reason": self.reason(lang)}


def _find(text: str, patterns: Sequence[str]) -> list[tuple[int, int]]:
    return sorted((m.start(), m.end()) for p in patterns for m in re.finditer(p, text, re.IGNORECASE))


def _sentence_at(text: str, start: int) -> tuple[str, int]:
    left = max((m.end() for m in re.finditer(r"[.!?\n]", text[:start])), default=0)
    right = re.search(r"[.!?\n]", text[start:])
    end = start + right.end() if right else len(text)
    return text[left:end].strip(), left


# ------------------------------------------------------------------------------------------------ report


@dataclass(frozen=True)
class HonestyReport:
    text: str
    lang: str  # "nb" or "nn": the written standard of the text, and of the rewrites
    claims: tuple[Finding, ...]
    negated: tuple[Claim, ...]
    cliches: tuple[Cliche, ...]
    job_mentions: int
    idyll_mentions: int
    thresholds: Thresholds = Thresholds()

    def unsupported(self) -> list[Finding]:
        return [c for c in self.claims if c.verdict == UNSUPPORTED]

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.claims) for v in (SUPPORTED, UNSUPPORTED, UNVERIFIABLE)}

    def is_honest(self) -> bool:
        """No unsupported claim and no shadow message (``crisis``, ``everything_free``)."""
        return not self.unsupported() and not any(c.kind in SHADOW_MESSAGES for c in self.cliches)

    def claim_rows(self, lang: str | None = None) -> list[dict[str, str]]:
        """The judged claims as rows (:meth:`Finding.row`), built here once for the page, the document and the frame."""
        return [c.row(lang) for c in self.claims]

    def cliche_rows(self, lang: str | None = None) -> list[dict[str, str]]:
        """The clichés and shadow messages as rows (:meth:`Cliche.row`)."""
        return [c.row(lang) for c in self.cliches]

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        rows = [
            {"type": "claim", "kind": c.kind, **row} for c, row in zip(self.claims, self.claim_rows(lang), strict=True)
        ]
        rows += [
            {"type": "cliche", "kind": c.kind, "verdict": "", "verdict_label": "", "rewrite": "", **row}
            for c, row in zip(self.cliches, self.cliche_rows(lang), strict=True)
        ]
        columns = ["type", "kind", "label", "excerpt", "verdict", "verdict_label", "reason", "rewrite"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain data for the API and JSON output (texts in ``lang``, rewrites in the text's language)."""
        return {
            "lang": self.lang,
            "honest": self.is_honest(),
            "counts": self.counts(),
            "claims": [
                {
                    "subject": c.kind,
                    "label": c.label(lang),
                    "sentence": c.excerpt,
                    "quantity": c.claim.quantity.amount.value,
                    "number": c.claim.quantity.number,
                    "time": c.claim.time.when.value,
                    "months": list(c.claim.time.months),
                    "price": c.claim.price.value,
                    "occupations": list(c.claim.occupations),
                    "sectors": list(c.claim.sectors),
                    "offer": c.claim.offer,
                    "verdict": c.verdict,
                    "verdict_label": c.verdict_label(lang),
                    "reason": c.reason(lang),
                    "rewrite": c.rewrite(),
                }
                for c in self.claims
            ],
            "negated": [{"subject": c.subject.value, "sentence": c.sentence} for c in self.negated],
            "cliches": [
                {"kind": c.kind, "label": c.label(lang), "sentence": c.excerpt, "reason": c.reason(lang)}
                for c in self.cliches
            ],
        }


def check_campaign(
    text: str, capacity: Capacity | None = None, thresholds: Thresholds | None = None, lang: str | None = None
) -> HonestyReport:
    """Find the claims, clichés and shadow messages in a campaign text and judge the claims.

    Notes
    -----
    * ``lang`` is the text's written standard (``nb``/``nn``), detected from marker words when ``None``.
    * A negated claim ("vi kan ikke love barnehageplass i desember") makes no promise: it is listed in
      ``negated`` and not judged. Each subject is judged once per clause.
    * ``rural_idyll`` is reported only when idyll words outnumber words about jobs and competence — the
      guidance objects to idyll *instead of* jobs, not to idyll as such.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if lang is not None and lang not in VARIETIES:
        raise ValueError(
            _("the text's written standard must be one of {standards}, got '{lang}'").format(
                standards=", ".join(VARIETIES), lang=lang
            )
        )
    text_lang = lang or variety(text)
    found = find_claims(text, text_lang)
    seen: set[tuple[Subject, tuple[int, int]]] = set()
    findings, negated = [], []
    for claim in found:
        if (claim.subject, claim.span) in seen:
            continue
        seen.add((claim.subject, claim.span))
        if claim.positive:
            findings.append(judge(claim, capacity, thresholds))
        else:
            negated.append(claim)

    job_mentions = len(_find(text, JOB_WORDS))
    idyll_spans = _find(text, CLICHES["rural_idyll"][2])
    cliches: list[Cliche] = []
    seen_cliche: set[tuple[str, int]] = set()
    for kind, (_label, _reason, patterns) in CLICHES.items():
        if kind == "rural_idyll" and len(idyll_spans) <= job_mentions:
            continue
        for start, end in idyll_spans if kind == "rural_idyll" else _find(text, patterns):
            sentence, left = _sentence_at(text, start)
            if (kind, left) in seen_cliche:
                continue
            seen_cliche.add((kind, left))
            counts = (len(idyll_spans), job_mentions) if kind == "rural_idyll" else None
            cliches.append(Cliche(kind, sentence, (start, end), counts))
    cliches.sort(key=lambda c: c.span)
    return HonestyReport(
        text=text,
        lang=text_lang,
        claims=tuple(findings),
        negated=tuple(negated),
        cliches=tuple(cliches),
        job_mentions=job_mentions,
        idyll_mentions=len(idyll_spans),
        thresholds=thresholds or Thresholds(),
    )


# ------------------------------------------------------------------------------------------------ plan document


@dataclass(frozen=True)
class DocumentSection:
    """What the plan document shows of a check: table headers and rows, already in the document's language."""

    claim_header: tuple[str, ...]
    claim_rows: tuple[tuple[str, ...], ...]
    cliche_header: tuple[str, ...]
    cliche_rows: tuple[tuple[str, ...], ...]
    summary: str


def document_section(report: HonestyReport, lang: str | None = None) -> DocumentSection:
    """The honesty check as the plan document prints it (the one hook :mod:`blilyst.plan.document` calls).

    Each claim row is (claim, excerpt, verdict, reason with figures, honest rewrite or "")."""
    with override(lang):
        counts = report.counts()
        summary = _(
            "{supported} supported, {unsupported} unsupported and {unverifiable} unverifiable claims; "
            "{cliches} clichés or shadow messages."
        ).format(
            supported=_n(counts[SUPPORTED]),
            unsupported=_n(counts[UNSUPPORTED]),
            unverifiable=_n(counts[UNVERIFIABLE]),
            cliches=_n(len(report.cliches)),
        )
        return DocumentSection(
            claim_header=(_("Claim"), _("Excerpt"), _("Verdict"), _("Reason"), _("Honest rewrite")),
            claim_rows=tuple(
                (r["label"], r["excerpt"], r["verdict_label"], r["reason"], r["rewrite"]) for r in report.claim_rows()
            ),
            cliche_header=(_("Cliché or shadow message"), _("Excerpt"), _("Why it matters")),
            cliche_rows=tuple((r["label"], r["excerpt"], r["reason"]) for r in report.cliche_rows()),
            summary=summary,
        )
