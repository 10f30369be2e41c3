"""The honest message: hold a campaign's promises against what the municipality can actually offer.

Success factor 5 of *Drømmen om å bli flere* is to be honest and targeted: a campaign works best when its
message matches what the place really has. If you sell the small-farm idyll, a small farm must be to be
had; if you say artists thrive here, there must be something for artists. The booklet also warns against
clichés and *shadow messages*: selling rural calm and scenery while the jobs and the use of one's
competence are forgotten; fjords and mountains as if they were unique in Norway; the place as a resting
spot for stressed city people; and, under it all, the signal "SOS, we are sinking — come and save us",
which tells the reader the place is in decline.

:func:`check_campaign` finds claims in a campaign text (bokmål or English) with explicit patterns, holds
each against a :class:`~blilyst.plan.capacity.Capacity` and returns a verdict per claim —
``supported``, ``unsupported`` or ``unverifiable`` — with the reason, plus the clichés and shadow messages
it found, each with the guidance's reason. It is a checklist aid for a human editor, not a judge: the
patterns are listed in :data:`CLAIM_PATTERNS` and :data:`CLICHE_PATTERNS` and documented in docs/plan.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from blilyst.plan.capacity import Capacity, month_name
from blilyst.plan.texts import fmt_pct, pick

Text = Mapping[str, str]

SUPPORTED, UNSUPPORTED, UNVERIFIABLE = "supported", "unsupported", "unverifiable"
VERDICT_LABELS: dict[str, Text] = {
    SUPPORTED: {"nb": "Dekket", "en": "Supported"},
    UNSUPPORTED: {"nb": "Ikke dekket", "en": "Unsupported"},
    UNVERIFIABLE: {"nb": "Kan ikke etterprøves", "en": "Cannot be verified"},
}

# A claim kind -> (label, patterns). Patterns are case-insensitive regular expressions.
CLAIM_PATTERNS: dict[str, tuple[Text, tuple[str, ...]]] = {
    "small_farm": (
        {"nb": "Småbruk til salgs/ledig", "en": "Small farms available"},
        (
            r"småbruk\w*\s+(?:\w+\s+){0,3}(?:ledig|til\s+salgs|å\s+få|venter|klar|tilgjengelig)",
            r"(?:ledige|mange|flere)\s+småbruk",
            r"small\s*(?:-\s*)?(?:farms?|holdings?)\s+(?:\w+\s+){0,3}(?:available|for\s+sale|waiting)",
            r"(?:available|affordable)\s+small\s*(?:farms?|holdings?)",
        ),
    ),
    "kindergarten_guaranteed": (
        {"nb": "Barnehageplass garantert", "en": "Kindergarten place guaranteed"},
        (
            r"barnehageplass\w*\s+(?:\w+\s+){0,3}(?:garantert|med\s+en\s+gang|på\s+dagen|når\s+som\s+helst|til\s+alle)",
            r"garant\w*\s+(?:\w+\s+){0,2}barnehageplass",
            r"(?:full|100\s*%)\s+barnehagedekning",
            r"(?:guaranteed?|immediate)\s+(?:\w+\s+){0,2}(?:kindergarten|daycare|nursery)\s+places?",
            r"(?:kindergarten|daycare|nursery)\s+places?\s+(?:\w+\s+){0,3}(?:guaranteed|immediately|all\s+year)",
        ),
    ),
    "jobs_for_both": (
        {"nb": "Jobb til begge voksne", "en": "Jobs for both adults"},
        (
            r"(?:jobb|arbeid)\w*\s+(?:til|for)\s+(?:dere\s+)?(?:begge|to|både\s+deg\s+og)",
            r"(?:begge|dere\s+to)\s+(?:\w+\s+){0,3}(?:jobb|arbeid)",
            r"(?:jobs?|work)\s+for\s+(?:both|two|the\s+two)",
            r"(?:both\s+of\s+you|your\s+partner)\s+(?:\w+\s+){0,4}(?:jobs?|work)",
        ),
    ),
    "jobs_available": (
        {"nb": "Ledige jobber", "en": "Jobs available"},
        (
            r"(?:mange|flere|masse)\s+ledige\s+(?:stillinger|jobber)",
            r"ledige\s+(?:stillinger|jobber)\s+(?:venter|nå)",
            r"jobbene\s+venter",
            r"(?:plenty\s+of|many|lots\s+of)\s+(?:vacancies|jobs|open\s+positions)",
            r"jobs?\s+(?:are\s+)?waiting",
        ),
    ),
    "artists": (
        {"nb": "Gode vilkår for kunstnere", "en": "Good conditions for artists"},
        (
            r"(?:gode|fine|unike)\s+(?:vilkår|forhold|muligheter)\s+for\s+kunstnere",
            r"kunstner(?:kommune|bygd|miljø|verksted|atelier)\w*",
            r"(?:good|great|excellent)\s+(?:conditions|opportunities)\s+for\s+artists",
            r"artists?['’]?\s+(?:haven|paradise|community|studios?)",
        ),
    ),
    "housing_available": (
        {"nb": "Ledige boliger", "en": "Housing available"},
        (
            r"(?:ledige|mange|rimelige|billige)\s+boliger",
            r"(?:lett|enkelt)\s+å\s+(?:finne|få)\s+(?:bolig|hus|et\s+sted\s+å\s+bo)",
            r"god\s+tilgang\s+på\s+(?:bolig|hus)",
            r"(?:plenty\s+of|affordable|available)\s+(?:housing|homes|houses)",
            r"easy\s+to\s+find\s+(?:a\s+)?(?:home|house|housing)",
        ),
    ),
    "rental": (
        {"nb": "Boliger til leie", "en": "Homes to rent"},
        (
            r"(?:ledige|mange)\s+(?:utleieboliger|leieboliger|leiligheter\s+til\s+leie)",
            r"(?:utleie|leie)bolig\w*\s+(?:\w+\s+){0,2}(?:ledig|tilgjengelig|venter)",
            r"(?:rental\s+(?:homes|flats|apartments|housing)|homes\s+to\s+rent)\s+(?:\w+\s+){0,2}(?:available|waiting)?",
        ),
    ),
    "plots": (
        {"nb": "Ledige tomter", "en": "Building plots available"},
        (
            r"(?:ledige|billige|rimelige|gratis)\s+(?:bolig)?tomter?",
            r"(?:free|cheap|affordable|available)\s+(?:building\s+)?plots?",
        ),
    ),
    "trial_housing": (
        {"nb": "Prøvebolig", "en": "Trial housing"},
        (r"prøvebolig\w*", r"trial\s+(?:homes?|housing)"),
    ),
}

# A cliché kind -> (label, reason, patterns)
CLICHE_PATTERNS: dict[str, tuple[Text, Text, tuple[str, ...]]] = {
    "rural_idyll": (
        {"nb": "Landlig idyll", "en": "Rural idyll"},
        {
            "nb": "Forskningen viser at jobb og tilknytning, ikke bondeidyllen, får folk til å flytte til bygda. "
            "Selg muligheten til å bruke kompetansen sin og være med på verdiskapingen.",
            "en": "Research shows that jobs and personal ties, not the farm idyll, make people move to the "
            "countryside. Sell the chance to use one's competence and take part in creating value.",
        },
        (
            r"idyll\w*",
            r"fred\s+og\s+ro",
            r"ro\s+og\s+fred",
            r"frisk\s+luft",
            r"det\s+gode\s+liv",
            r"livet\s+på\s+landet",
            r"slaraffen\w*",
            r"stillhet\w*",
            r"idyllic",
            r"peace\s+and\s+quiet",
            r"fresh\s+air",
            r"the\s+good\s+life",
            r"country\s+life",
            r"tranquil\w*",
        ),
    ),
    "generic_nature": (
        {"nb": "Fjell og fjord som salgsargument", "en": "Mountains and fjords as the selling point"},
        {
            "nb": "Fjord, fjell og daler finnes over hele landet. Finn det som er særegent for akkurat dere, og "
            "hvem det passer for.",
            "en": "Fjords, mountains and valleys are found all over Norway. Find what is particular to your "
            "place, and whom it suits.",
        },
        (
            r"vakker\w*\s+natur",
            r"fjell\w*\s+og\s+fjord\w*",
            r"fjord\w*\s+og\s+fjell\w*",
            r"storslått\w*\s+natur",
            r"urørt\w*\s+natur",
            r"stunning\s+(?:scenery|nature)",
            r"mountains\s+and\s+fjords",
            r"fjords\s+and\s+mountains",
            r"unspoil(?:t|ed)\s+nature",
            r"breathtaking\s+(?:scenery|nature|views)",
        ),
    ),
    "relaxation": (
        {"nb": "Bygda som hvilested", "en": "The village as a resting place"},
        {
            "nb": "Mye av verdiskapingen skjer i distriktene; å selge stedet bare som et sted å slappe av for "
            "stressede byfolk skyver jobbene i skyggen.",
            "en": "Much of Norway's value creation happens outside the cities; selling the place only as a spot "
            "for stressed city people to relax pushes the jobs into the shadow.",
        },
        (
            r"stressa?\w*\s+byfolk",
            r"senke\s+skuldrene",
            r"slappe\s+av",
            r"kjas\s+og\s+mas",
            r"escape\s+the\s+rat\s+race",
            r"slow\s+down",
            r"unwind",
            r"leave\s+the\s+stress",
        ),
    ),
    "crisis": (
        {"nb": "Skyggebudskap: «SOS, vi synker»", "en": "Shadow message: “SOS, we are sinking”"},
        {
            "nb": "Krisespråk sier at stedet er i nedgang og ikke et sted for framtida — det motsatte av det "
            "kampanjen vil si.",
            "en": "Crisis language says the place is in decline and not a place for the future — the opposite of "
            "what the campaign wants to say.",
        },
        (
            r"\bSOS\b",
            r"vi\s+synker",
            r"redd\s+(?:oss|bygda|kommunen|skolen)",
            r"bygda\s+dør",
            r"(?:kommunen|bygda|skolen)\s+(?:er\s+)?(?:i\s+ferd\s+med\s+å\s+)?(?:dø|legges\s+ned)",
            r"før\s+det\s+er\s+for\s+sent",
            r"fraflytting\w*\s+truer",
            r"we\s+are\s+sinking",
            r"save\s+(?:our|the)\s+(?:village|town|school|community)",
            r"dying\s+(?:village|town|community)",
            r"before\s+it\s+is\s+too\s+late",
            r"help\s+us\s+survive",
        ),
    ),
    "everything_free": (
        {"nb": "«Alt er gratis»", "en": "“Everything is free”"},
        {
            "nb": "Lover dere gull og grønne skoger, må det kunne innfris. Gratis-tilbud tiltrekker dem som jakter "
            "goder, ikke dem som vil bli, og skaper skuffelse når vilkårene kommer fram.",
            "en": "Promise gold and green forests only if you can deliver. Free offers attract bargain hunters "
            "rather than people who want to stay, and disappoint once the conditions show.",
        },
        (r"alt\s+er\s+gratis", r"everything\s+(?:is\s+)?free", r"gratis\s+\w+\s*,\s*gratis", r"free\s+\w+\s*,\s*free"),
    ),
    "everyone": (
        {"nb": "«Alle er velkommen»", "en": "“Everyone is welcome”"},
        {
            "nb": "«Alle» er ingen målgruppe. Velg en konkret gruppe ut fra behovsanalysen og skriv til den.",
            "en": "“Everyone” is not a target group. Choose a concrete group from the needs analysis and write to it.",
        },
        (
            r"alle\s+er\s+(?:hjertelig\s+)?velkom(?:men|ne)",
            r"passer\s+for\s+alle",
            r"everyone\s+(?:is\s+)?welcome",
            r"something\s+for\s+everyone",
            r"noe\s+for\s+enhver",
        ),
    ),
}

JOB_WORDS = (
    r"\bjobb\w*",
    r"\barbeid\w*",
    r"\bstilling\w*",
    r"\bkompetanse\w*",
    r"\bkarriere\w*",
    r"\bfagmiljø\w*",
    r"\bnæringsliv\w*",
    r"\bbedrift\w*",
    r"\bjobs?\b",
    r"\bwork\w*",
    r"\bcareer\w*",
    r"\bcompetence\b",
    r"\bskills?\b",
    r"\bemployer\w*",
    r"\bvacanc\w*",
    r"\bindustr\w*",
)
NEGATION = re.compile(
    r"(?:\bikke\b|\bingen\b|\bnot\b|\bno\b|\bnever\b|\baldri\b|\bcannot\b|n['’]t\b)[^.!?]{0,25}$", re.IGNORECASE
)
SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True)
class Claim:
    kind: str
    excerpt: str  # the sentence the claim was found in
    span: tuple[int, int]
    verdict: str
    reason: Text

    def label(self, lang: str = "nb") -> str:
        return pick(CLAIM_PATTERNS[self.kind][0], lang)


@dataclass(frozen=True)
class Cliche:
    kind: str
    excerpt: str
    span: tuple[int, int]
    reason: Text

    def label(self, lang: str = "nb") -> str:
        return pick(CLICHE_PATTERNS[self.kind][0], lang)


@dataclass(frozen=True)
class HonestyReport:
    text: str
    claims: tuple[Claim, ...]
    cliches: tuple[Cliche, ...]
    job_mentions: int
    idyll_mentions: int

    def unsupported(self) -> list[Claim]:
        return [c for c in self.claims if c.verdict == UNSUPPORTED]

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.claims) for v in (SUPPORTED, UNSUPPORTED, UNVERIFIABLE)}

    def is_honest(self) -> bool:
        """No unsupported claims and no shadow message (clichés of kind ``crisis``/``everything_free``)."""
        return not self.unsupported() and not any(c.kind in ("crisis", "everything_free") for c in self.cliches)

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        rows = [
            {
                "type": "claim",
                "kind": c.kind,
                "label": c.label(lang),
                "excerpt": c.excerpt,
                "verdict": c.verdict,
                "verdict_label": pick(VERDICT_LABELS[c.verdict], lang),
                "reason": pick(c.reason, lang),
            }
            for c in self.claims
        ]
        rows += [
            {
                "type": "cliche",
                "kind": c.kind,
                "label": c.label(lang),
                "excerpt": c.excerpt,
                "verdict": "",
                "verdict_label": "",
                "reason": pick(c.reason, lang),
            }
            for c in self.cliches
        ]
        return pd.DataFrame(rows, columns=["type", "kind", "label", "excerpt", "verdict", "verdict_label", "reason"])


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip(), left


def _find(text: str, patterns: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            spans.append((m.start(), m.end()))
    return sorted(spans)


# ------------------------------------------------------------------------------------------ verdicts

NO_CAPACITY: Text = {
    "nb": "blilyst har ingen tall for dette. Registrer ledige boliger, barnehageplasser og stillinger i "
    "tilflyttertjenesten, så kan påstanden sjekkes.",
    "en": "blilyst has no figures for this. Record available homes, kindergarten places and vacancies in the "
    "newcomer service so the claim can be checked.",
}


def _housing_verdict(cap: Capacity, types: tuple[str, ...], label: Text) -> tuple[str, Text]:
    if not any(t in cap.housing for t in types):
        return UNVERIFIABLE, NO_CAPACITY
    n = cap.housing_of(*types)
    if n == 0:
        return UNSUPPORTED, {
            "nb": f"Ingen {label['nb']} er registrert som ledige nå.",
            "en": f"No {label['en']} are listed as available now.",
        }
    return SUPPORTED, {
        "nb": f"{n} {label['nb']} er registrert som ledige.",
        "en": f"{n} {label['en']} are listed as available.",
    }


def _verdict_small_farm(cap: Capacity) -> tuple[str, Text]:
    return _housing_verdict(cap, ("small_farm",), {"nb": "småbruk", "en": "small farms"})


def _verdict_rental(cap: Capacity) -> tuple[str, Text]:
    return _housing_verdict(cap, ("rental",), {"nb": "utleieboliger", "en": "rental homes"})


def _verdict_plots(cap: Capacity) -> tuple[str, Text]:
    return _housing_verdict(cap, ("plot",), {"nb": "tomter", "en": "building plots"})


def _verdict_trial(cap: Capacity) -> tuple[str, Text]:
    return _housing_verdict(cap, ("trial_housing",), {"nb": "prøveboliger", "en": "trial homes"})


def _verdict_housing(cap: Capacity) -> tuple[str, Text]:
    if not cap.knows_housing():
        return UNVERIFIABLE, NO_CAPACITY
    total, kinds = cap.housing_total(), cap.housing_types_available()
    if total == 0:
        return UNSUPPORTED, {"nb": "Ingen boliger er registrert som ledige nå.", "en": "No homes are listed now."}
    return SUPPORTED, {
        "nb": f"{total} boliger av {len(kinds)} typer er registrert som ledige.",
        "en": f"{total} homes of {len(kinds)} types are listed as available.",
    }


def _verdict_kindergarten(cap: Capacity) -> tuple[str, Text]:
    if not cap.kindergarten_known():
        return UNVERIFIABLE, NO_CAPACITY
    empty = cap.months_without_kindergarten_place()
    if empty:
        return UNSUPPORTED, {
            "nb": "Ingen ledig plass i " + ", ".join(month_name(m, "nb") for m in empty) + ".",
            "en": "No free place in " + ", ".join(month_name(m, "en") for m in empty) + ".",
        }
    if not cap.kindergarten_all_year_known():
        return UNVERIFIABLE, {
            "nb": "Kapasiteten er bare kjent for noen måneder; en garanti gjelder hele året.",
            "en": "Capacity is known for some months only; a guarantee covers the whole year.",
        }
    return SUPPORTED, {
        "nb": f"Ledig plass i alle måneder (minst {cap.kindergarten_min()}).",
        "en": f"Free places in every month (at least {cap.kindergarten_min()}).",
    }


def _verdict_jobs_for_both(cap: Capacity) -> tuple[str, Text]:
    if not cap.knows_vacancies():
        return UNVERIFIABLE, NO_CAPACITY
    total, sectors = cap.vacancies_total(), cap.vacancy_sectors()
    if total < 2:
        return UNSUPPORTED, {
            "nb": f"Bare {total} ledig stilling er registrert; det holder ikke til to voksne.",
            "en": f"Only {total} vacancy is listed; not enough for two adults.",
        }
    if len(sectors) < 2:
        return UNSUPPORTED, {
            "nb": f"{total} ledige stillinger, men alle innen {sectors[0]}; to voksne har sjelden samme fag.",
            "en": f"{total} vacancies, all in {sectors[0]}; two adults rarely share a trade.",
        }
    return SUPPORTED, {
        "nb": f"{total} ledige stillinger i {len(sectors)} sektorer ({', '.join(sectors)}).",
        "en": f"{total} vacancies in {len(sectors)} sectors ({', '.join(sectors)}).",
    }


def _verdict_jobs(cap: Capacity) -> tuple[str, Text]:
    if not cap.knows_vacancies():
        return UNVERIFIABLE, NO_CAPACITY
    total = cap.vacancies_total()
    if total == 0:
        return UNSUPPORTED, {"nb": "Ingen ledige stillinger er registrert.", "en": "No vacancies are listed."}
    share = cap.advertised_share()
    extra_nb = f" {fmt_pct(share, 'nb')} av dem er lyst ut." if share is not None else ""
    extra_en = f" {fmt_pct(share, 'en')} of them were advertised." if share is not None else ""
    return SUPPORTED, {
        "nb": f"{total} ledige stillinger er registrert.{extra_nb}",
        "en": f"{total} vacancies are listed.{extra_en}",
    }


def _verdict_artists(cap: Capacity) -> tuple[str, Text]:
    keys = ("artist_studio", "artist_grant", "artist_residency", "culture_officer")
    known = [k for k in keys if k in cap.offers] + (["culture"] if "culture" in cap.vacancies else [])
    if not known:
        return UNVERIFIABLE, {
            "nb": "Ingen tilbud til kunstnere er registrert (atelier, stipend, kulturkontakt). "
            "Sier dere at kommunen er god for kunstnere, bør den ha noe konkret.",
            "en": "No offers for artists are recorded (studio, grant, culture contact). If you "
            "say artists thrive here, there should be something concrete.",
        }
    n = sum(cap.offers.get(k, 0) for k in keys) + cap.vacancies.get("culture", 0)
    if n == 0:
        return UNSUPPORTED, {
            "nb": "Registrert: ingen atelier, stipend eller kulturtilbud for kunstnere nå.",
            "en": "Recorded: no studio, grant or cultural offer for artists now.",
        }
    return SUPPORTED, {
        "nb": f"{n} konkrete tilbud til kunstnere er registrert.",
        "en": f"{n} concrete offers for artists are recorded.",
    }


VERDICTS: dict[str, Callable[[Capacity], tuple[str, Text]]] = {
    "small_farm": _verdict_small_farm,
    "kindergarten_guaranteed": _verdict_kindergarten,
    "jobs_for_both": _verdict_jobs_for_both,
    "jobs_available": _verdict_jobs,
    "artists": _verdict_artists,
    "housing_available": _verdict_housing,
    "rental": _verdict_rental,
    "plots": _verdict_plots,
    "trial_housing": _verdict_trial,
}


def check_claim(kind: str, capacity: Capacity | None) -> tuple[str, Text]:
    """The verdict and reason for one claim kind against ``capacity`` (unverifiable without one)."""
    if capacity is None:
        return UNVERIFIABLE, NO_CAPACITY
    return VERDICTS[kind](capacity)


def check_campaign(text: str, capacity: Capacity | None = None) -> HonestyReport:
    """Find claims, clichés and shadow messages in a campaign text and judge the claims.

    Notes
    -----
    * Matching is case-insensitive; each claim kind is reported once per sentence.
    * A claim preceded in its sentence by a negation ("ikke", "ingen", "not", "no", "never", "aldri", "cannot", "…n't")
      within 25 characters is skipped ("we cannot guarantee a kindergarten place" is no claim).
    * ``rural_idyll`` is reported only when idyll words outnumber words about jobs and competence — the
      guidance's complaint is idyll *instead of* jobs, not idyll as such.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    claims: list[Claim] = []
    seen: set[tuple[str, int]] = set()
    for kind, (_label, patterns) in CLAIM_PATTERNS.items():
        for start, end in _find(text, patterns):
            sentence, left = _sentence(text, start, end)
            if (kind, left) in seen:
                continue
            if NEGATION.search(text[left:start]):
                continue
            seen.add((kind, left))
            verdict, reason = check_claim(kind, capacity)
            claims.append(Claim(kind, sentence, (start, end), verdict, reason))
    claims.sort(key=lambda c: c.span)

    job_mentions = len(_find(text, JOB_WORDS))
    idyll_spans = _find(text, CLICHE_PATTERNS["rural_idyll"][2])
    cliches: list[Cliche] = []
    seen = set()
    for kind, (_label, reason, patterns) in CLICHE_PATTERNS.items():
        spans = idyll_spans if kind == "rural_idyll" else _find(text, patterns)
        if kind == "rural_idyll" and len(idyll_spans) <= job_mentions:
            continue
        for start, end in spans:
            sentence, left = _sentence(text, start, end)
            if (kind, left) in seen:
                continue
            seen.add((kind, left))
            why = reason
            if kind == "rural_idyll":
                why = {
                    "nb": reason["nb"] + f" Teksten har {len(idyll_spans)} idyllord og {job_mentions} ord om jobb "
                    "og kompetanse.",
                    "en": reason["en"] + f" The text has {len(idyll_spans)} idyll words and {job_mentions} about "
                    "jobs and competence.",
                }
            cliches.append(Cliche(kind, sentence, (start, end), why))
    cliches.sort(key=lambda c: c.span)
    return HonestyReport(
        text=text,
        claims=tuple(claims),
        cliches=tuple(cliches),
        job_mentions=job_mentions,
        idyll_mentions=len(idyll_spans),
    )
