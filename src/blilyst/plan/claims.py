"""Claims in a campaign text: what it promises, how much, when, at what price, and whether it says so.

A claim is found per clause (:func:`blilyst.plan.norwegian.clauses`): a *subject* the registers know about
(kindergarten places, homes to rent or buy, small farms, plots, trial housing, jobs — by occupation or
sector —, jobs for both adults, school places, offers such as studios, coworking or hosts, commuting time,
broadband) together with a word that makes it a promise ("ledig", "har plass", "til salgs", "venter",
"garantert" …). Its *quantity* ("alle", "mange", "flere", a number), *time* ("hele året", "når som
helst", "fra august", "nå") and *price* ("rimelig", "billig", "gratis") are read from the same clause.

Negation is scoped to the clause: "vi kan ikke love barnehageplass i desember, men …" makes no promise,
"vi har ledige stillinger, men ingen utleieboliger" promises jobs and not rentals. A double negative
("ikke vanskelig å få", "ikke mangel på", "ingen venteliste") is a positive claim. Questions promise
nothing.

The lexicon below is the whole of what the reader knows; the words are base forms in bokmål and nynorsk
(inflected forms and compounds are reduced to them by :mod:`blilyst.plan.norwegian`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from blilyst.plan import norwegian
from blilyst.plan.norwegian import Word


class Subject(StrEnum):
    KINDERGARTEN = "kindergarten"
    RENTAL = "rental"
    FOR_SALE = "for_sale"
    HOUSING = "housing"
    SMALL_FARM = "small_farm"
    PLOT = "plot"
    TRIAL_HOUSING = "trial_housing"
    JOBS = "jobs"
    JOBS_FOR_BOTH = "jobs_for_both"
    SCHOOL = "school"
    OFFERS = "offers"
    COMMUTING = "commuting"
    BROADBAND = "broadband"


class Amount(StrEnum):
    SOME = "some"  # "ledige boliger": at least one
    SEVERAL = "several"  # "flere": at least two
    MANY = "many"  # "mange": more than the municipality's threshold
    ALL = "all"  # "til alle", "garantert": every month / more than the threshold
    NUMBER = "number"  # "tre ledige stillinger": at least that many


class When(StrEnum):
    UNSPECIFIED = "unspecified"  # read as now
    NOW = "now"
    ALL_YEAR = "all_year"
    MONTHS = "months"


class Price(StrEnum):
    NONE = "none"
    AFFORDABLE = "affordable"
    FREE = "free"


@dataclass(frozen=True)
class Quantity:
    amount: Amount = Amount.SOME
    number: int | None = None


@dataclass(frozen=True)
class Time:
    when: When = When.UNSPECIFIED
    months: tuple[int, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One promise found in a text (not yet judged)."""

    subject: Subject
    sentence: str
    span: tuple[int, int]  # the clause, as offsets in the text
    quantity: Quantity = Quantity()
    time: Time = Time()
    price: Price = Price.NONE
    positive: bool = True
    occupations: tuple[str, ...] = ()  # canonical bokmål occupation words ("lærer")
    sectors: tuple[str, ...] = ()  # vacancy sectors ("education")
    offer: str | None = None  # "artist_studio", "coworking", "host"
    lang: str = norwegian.VARIETIES[0]  # the text's written standard (nb or nn)


# ------------------------------------------------------------------------------------------------ lexicon


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KINDERGARTEN = _words("barnehage bhg barnehageplass")
KINDERGARTEN_PLACE = _words("barnehageplass")
PLACE = _words("plass kapasitet")
HOUSING = _words("bolig bustad hus enebolig leilighet leilegheit hybel rekkehus tomannsbolig husvære heim hjem sted")
RENT_MODIFIERS = _words("utleie utleige leie leige")
SALE_MODIFIERS = _words("salg sal")
TRIAL = _words("prøvebolig prøvebustad")
TRIAL_MODIFIERS = _words("prøve")
SMALL_FARM = _words("småbruk gardsbruk gårdsbruk småbruket")
PLOT = _words("tomt byggetomt boligtomt bustadtomt")
JOB = _words("jobb stilling arbeidsplass jobbmulighet jobbmoglegheit arbeidsmulighet arbeidsmoglegheit stillingar")
SCHOOL = _words("skole skule")
BROADBAND = _words("fiber bredbånd breiband mobildekning internett nettdekning fiberkabel")
COMMUTING = _words("pendleavstand pendlaravstand reisetid kjøretid køyretid pendle pendla")
DURATION = _words("minutt time halvtime kvarter")
TRAVEL_VERBS = _words("kjøre køyre reise nå ta pendle komme kome")
PARTNER = _words("begge båe partner partnar ektefelle samboer sambuar")
OFFERS = {
    "artist_studio": _words("kunstner kunstnar atelier studio kunstnarbustad kunstnerbolig"),
    "coworking": _words("kontorfellesskap kontorplass coworking gründerhus kontorfellesskapet kontorlokale"),
    "host": _words("fadder vertsfamilie vertskap los inkluderingslos"),
}
OCCUPATIONS = {
    "lærer": _words("lærer lærar lektor adjunkt barnehagelærer barnehagelærar"),
    "sykepleier": _words("sykepleier sjukepleiar spesialsykepleier"),
    "helsefagarbeider": _words("helsefagarbeider helsefagarbeidar"),
    "lege": _words("lege fastlege"),
    "ingeniør": _words("ingeniør sivilingeniør"),
    "snekker": _words("snekker snikkar tømrer tømrar"),
    "elektriker": _words("elektriker elektrikar"),
    "kokk": _words("kokk"),
    "utvikler": _words("utvikler utviklar programmerer programmerar"),
    "prosessoperatør": _words("prosessoperatør operatør"),
}
OCCUPATION_SECTOR = {
    "lærer": "education",
    "sykepleier": "health",
    "helsefagarbeider": "health",
    "lege": "health",
    "ingeniør": "industry",
    "snekker": "construction",
    "elektriker": "construction",
    "kokk": "tourism",
    "utvikler": "technology",
    "prosessoperatør": "industry",
}
SECTORS = {
    "health": _words("helse omsorg pleie helsetun sykehjem sjukeheim sykehus sjukehus legekontor helsesektor"),
    "education": _words("skole skule undervisning oppvekst"),
    "industry": _words("industri fabrikk industribedrift"),
    "construction": _words("bygg byggebransje anlegg byggfag"),
    "agriculture": _words("landbruk jordbruk skogbruk"),
    "tourism": _words("reiseliv turisme hotell restaurant"),
    "technology": _words("it teknologi it-bedrift programvare"),
    "retail": _words("handel butikk varehandel"),
    "transport": _words("transport"),
}
# Words that make a mention a promise.
TRIGGERS = _words(
    "ledig ledug ha finnes finst venter vente venta klar står tilgjengelig tilgjengeleg få tilby tilbys "
    "garantere garantert sikre sikret sikra tilgang ønske ønskja ønskes søke søkje treng trenge trenger lett "
    "enkel enkelt selge sel selger leie leige imot rom plass kjøpe kjøpa mulighet moglegheit mangel"
)
UNIVERSAL_WORDS = _words("garantere garantert sikre sikret sikra garanti")
MANY = _words("mange mang masse flust mengder rikelig rikeleg hauger mengd")
SEVERAL = _words("flere fleire")
NEGATION = _words("ikke ikkje ingen inga ingenting inkje aldri intet")
DOUBLE_NEGATIVE = _words("vanskelig vanskeleg umulig umogleg problem mangel uten utan")
NO_WAIT = _words("venteliste ventetid kø")
PRICE_AFFORDABLE = _words("rimelig rimeleg billig billeg overkommelig overkommeleg gunstig lav låg")
PRICE_FREE = _words("gratis")
QUESTION_STARTERS = _words("drømmer draumer lurer vil kan har er")
VERB_BEFORE = _words("å som vil kan skal må du vi dere de eg jeg dei dykk")
NUMBER_WORDS = {
    "en": 1,
    "ein": 1,
    "ei": 1,
    "ett": 1,
    "eitt": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "sju": 7,
    "syv": 7,
    "åtte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "femten": 15,
    "tjue": 20,
    "tretti": 30,
}
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        )
    )
    for name in (names,)
}
SEASON_MONTH = {"jul": 12, "sommar": 6, "sommer": 6, "høst": 8, "haust": 8, "skolestart": 8, "skulestart": 8}
ALL_YEAR_PHRASES = ("hele året", "heile året", "året rundt", "når som helst", "alltid", "hele tiden", "heile tida")
NOW_PHRASES = ("med en gang", "med ein gong", "straks", "umiddelbart", "fra første dag", "frå første dag", "nå", "no")

_ALL_SUBJECT_WORDS = (
    KINDERGARTEN
    | HOUSING
    | TRIAL
    | SMALL_FARM
    | PLOT
    | JOB
    | SCHOOL
    | BROADBAND
    | COMMUTING
    | frozenset().union(*OFFERS.values())
    | frozenset().union(*OCCUPATIONS.values())
)
HEADS = _ALL_SUBJECT_WORDS | PLACE | _words("kontor bedrift bransje liv")
MODIFIERS = (
    RENT_MODIFIERS
    | SALE_MODIFIERS
    | TRIAL_MODIFIERS
    | frozenset().union(*SECTORS.values())
    | _words("barne barn bygge bolig bustad kontor kunstner kunstnar lege arbeid")
)


# ------------------------------------------------------------------------------------------------ reading


def find_claims(text: str, lang: str | None = None) -> list[Claim]:
    """Every claim in ``text`` in reading order; ``lang`` (``nb``/``nn``) is detected when not given.

    Negated claims are returned too (``positive=False``) so a caller can show what was *not* promised.
    """
    lang = lang or norwegian.variety(text)
    found: list[Claim] = []
    for sentence, s_start, _s_end in norwegian.sentences(text):
        if sentence.endswith("?"):
            continue
        for clause, c_start, c_end in norwegian.clauses(sentence, s_start):
            ws = norwegian.words(clause, c_start, HEADS, MODIFIERS, lang)
            found.extend(_claims_in_clause(clause.lower(), ws, sentence, (c_start, c_end), lang))
    return found


def _claims_in_clause(
    clause: str, ws: tuple[Word, ...], sentence: str, span: tuple[int, int], lang: str
) -> list[Claim]:
    positive, no_wait = _polarity(ws)
    triggered = (
        no_wait
        or any(w.is_(TRIGGERS) or w.has(PLACE) or w.is_(KINDERGARTEN_PLACE) for w in ws)
        or _has_quantity(ws)
        or _universal(clause, ws)
        or re_jobbe_som(ws)
        or _asks_for_people(ws)
    )
    subjects = sorted(_subjects(clause, ws), key=lambda found: found[1])  # reading order
    claims: list[Claim] = []
    for subject, anchor, extra in subjects:
        if subject in (Subject.COMMUTING, Subject.BROADBAND, Subject.OFFERS, Subject.JOBS_FOR_BOTH) or subject in (
            Subject.SMALL_FARM,
            Subject.PLOT,
            Subject.TRIAL_HOUSING,
            Subject.RENTAL,
            Subject.FOR_SALE,
        ):
            needs_trigger = False
        else:
            needs_trigger = True
        if needs_trigger and not triggered:
            continue
        if subject is Subject.KINDERGARTEN and not (
            no_wait or any(w.has(PLACE) or w.is_(KINDERGARTEN_PLACE) or w.is_(_words("ledig imot ta")) for w in ws)
        ):
            continue
        if subject is Subject.SCHOOL and not any(w.has(PLACE) or w.is_(_words("ledig imot")) for w in ws):
            continue
        time = Time(When.ALL_YEAR) if no_wait else _time(clause, ws)
        claims.append(
            Claim(
                subject=subject,
                quantity=_quantity(ws, anchor, clause),
                time=time,
                price=_price(ws),
                sentence=sentence,
                span=span,
                positive=positive,
                lang=lang,
                **extra,
            )
        )
    return claims


def _polarity(ws: tuple[Word, ...]) -> tuple[bool, bool]:
    """``(positive, no_wait)``: a negation in the clause makes it negative, unless it negates a difficulty."""
    positive, no_wait = True, False
    for i, w in enumerate(ws):
        if not w.is_(NEGATION):
            continue
        following = ws[i + 1 : i + 5]
        if any(f.is_(NO_WAIT) or f.has(NO_WAIT) for f in following[:2]):
            no_wait = True
            continue
        if any(f.is_(DOUBLE_NEGATIVE) for f in following):
            continue
        positive = False
    if any(w.lower in ("uten", "utan") and i + 1 < len(ws) and ws[i + 1].has(NO_WAIT) for i, w in enumerate(ws)):
        no_wait = True
    return positive, no_wait


def _is_verb(ws: tuple[Word, ...], i: int) -> bool:
    """ "jobbe", "jobber" after "å", "som", a modal or a pronoun is the verb, not the noun "jobb"."""
    return ws[i].lower in ("jobbe", "jobber", "jobbar", "arbeide", "arbeider", "arbeidar", "jobba") and (
        i > 0 and ws[i - 1].lower in VERB_BEFORE
    )


def _subjects(clause: str, ws: tuple[Word, ...]) -> list[tuple[Subject, int, dict[str, Any]]]:
    """``(subject, index of the word it hangs on, extra claim fields)`` for each subject in the clause."""
    out: list[tuple[Subject, int, dict[str, Any]]] = []
    job_index = _job_index(ws)
    if job_index is not None:
        out.append(_job_subject(clause, ws, job_index))
    for i, w in enumerate(ws):
        subject = _housing_subject(w, clause)
        if subject is None:
            continue
        for s in subject:
            if all(s is not o[0] for o in out):
                out.append((s, i, {}))
    for i, w in enumerate(ws):
        if (
            w.has(KINDERGARTEN)
            and not w.has(frozenset().union(*OCCUPATIONS.values()))
            and (job_index is None or w.is_(KINDERGARTEN_PLACE))
        ):
            out.append((Subject.KINDERGARTEN, i, {}))
            break
    if job_index is None:
        for i, w in enumerate(ws):
            if w.is_(SCHOOL) or w.head in SCHOOL:
                out.append((Subject.SCHOOL, i, {}))
                break
    out.extend(_place_subjects(clause, ws))
    return out


def _job_index(ws: tuple[Word, ...]) -> int | None:
    """The word a promise of jobs hangs on (a job noun, an occupation asked for, "jobbe som"), if any."""
    job_index = next(
        (i for i, w in enumerate(ws) if (w.is_(JOB) or w.head in JOB) and not _is_verb(ws, i)),
        None,
    )
    if job_index is None and _asks_for_people(ws):
        job_index = next(i for i, w in enumerate(ws) if w.has(frozenset().union(*OCCUPATIONS.values())))
    if job_index is None and re_jobbe_som(ws):
        job_index = 0
    return job_index


def _job_subject(clause: str, ws: tuple[Word, ...], job_index: int) -> tuple[Subject, int, dict[str, Any]]:
    """Jobs for both partners, or jobs (with the occupations and sectors named)."""
    partner = any(w.is_(PARTNER) for w in ws) or "både du og" in clause or "to vaksne" in clause
    if partner:
        return (Subject.JOBS_FOR_BOTH, job_index, {})
    occupations = _occupations(ws)
    sectors = tuple(
        dict.fromkeys(
            s for w in ws for s, names in SECTORS.items() if w.is_(names) or (w.parts and w.parts[0] in names)
        )
    )
    if occupations:
        sectors = tuple(dict.fromkeys(OCCUPATION_SECTOR[o] for o in occupations))
    return (Subject.JOBS, job_index, {"occupations": occupations, "sectors": sectors})


def _place_subjects(clause: str, ws: tuple[Word, ...]) -> list[tuple[Subject, int, dict[str, Any]]]:
    """Offers (the first one named), broadband and commuting."""
    out: list[tuple[Subject, int, dict[str, Any]]] = []
    for offer, names in OFFERS.items():
        index = next((i for i, w in enumerate(ws) if w.is_(names) or w.head in names), None)
        if index is not None:
            out.append((Subject.OFFERS, index, {"offer": offer}))
            break
    if any(w.is_(BROADBAND) or w.head in BROADBAND for w in ws):
        out.append((Subject.BROADBAND, 0, {}))
    if (
        any(w.is_(COMMUTING) or w.head in COMMUTING for w in ws)
        or "kort vei" in clause
        or "kort veg" in clause
        or (any(w.is_(DURATION) for w in ws) and any(w.is_(TRAVEL_VERBS) for w in ws))
    ):
        out.append((Subject.COMMUTING, 0, {}))
    return out


NEED_VERBS = _words("søke søkje trenge treng trenger mangle manglar mangler")


def _asks_for_people(ws: tuple[Word, ...]) -> bool:
    """ "Vi søker/trenger/mangler sykepleiere": an occupation asked for is a vacancy claim."""
    return bool(_occupations(ws)) and any(w.is_(NEED_VERBS) for w in ws)


def re_jobbe_som(ws: tuple[Word, ...]) -> bool:
    """ "jobbe som sykepleier": a job promised by its occupation."""
    return any(
        w.lower in ("jobbe", "arbeide", "jobba") and i + 1 < len(ws) and ws[i + 1].lower == "som"
        for i, w in enumerate(ws)
    )


def _occupations(ws: tuple[Word, ...]) -> tuple[str, ...]:
    found = []
    for w in ws:
        for canonical, names in OCCUPATIONS.items():
            if w.is_(names) or w.head in names or (w.parts and w.parts[0] in names and w.head in JOB):
                found.append(canonical)
    return tuple(dict.fromkeys(found))


def _housing_subject(w: Word, clause: str) -> tuple[Subject, ...] | None:
    if w.is_(TRIAL) or (w.head in HOUSING and w.parts and w.parts[0] in TRIAL_MODIFIERS):
        return (Subject.TRIAL_HOUSING,)
    if w.is_(SMALL_FARM) or w.head in SMALL_FARM:
        return (Subject.SMALL_FARM,)
    if w.is_(PLOT) or w.head == "tomt":
        return (Subject.PLOT,)
    if not (w.is_(HOUSING) or w.head in HOUSING):
        return None
    if w.lower in ("sted", "stad", "hjem", "heim") and "sted å bo" not in clause and "stad å bu" not in clause:
        return None
    if w.parts and w.parts[0] in RENT_MODIFIERS:
        return (Subject.RENTAL,)
    rent = _has_phrase(
        clause, ("til leie", "til leige", "å leie", "å leige", "leier ut", "leiger ut", "få leid", "få leigd")
    )
    sale = _has_phrase(clause, ("til salgs", "til sals", "til sal", "kjøpe", "kjøpa", "for salg"))
    kinds = tuple(s for s, on in ((Subject.FOR_SALE, sale), (Subject.RENTAL, rent)) if on)
    return kinds or (Subject.HOUSING,)


def _has_phrase(clause: str, phrases: tuple[str, ...]) -> bool:
    """Whether a phrase stands as whole words in the clause ("kjøpe", not "førstegangskjøpere")."""
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", clause) for p in phrases)


def _has_quantity(ws: tuple[Word, ...]) -> bool:
    return any(w.is_(MANY) or w.is_(SEVERAL) for w in ws)


def _universal(clause: str, ws: tuple[Word, ...]) -> bool:
    """A promise to everyone: "til alle", "alle barn", "garantert", "ikke mangel på", "ingen … uten"."""
    return (
        any(p in clause for p in ("til alle", "for alle", "alle barn", "alle born", "alle som", "alle familiar"))
        or any(w.is_(UNIVERSAL_WORDS) for w in ws)
        or "ikke mangel" in clause
        or "ikkje mangel" in clause
        or ("ingen" in clause and ("uten" in clause or "utan" in clause))
    )


def _quantity(ws: tuple[Word, ...], anchor: int, clause: str) -> Quantity:
    """How much is promised, read from the words just before the subject (and "til alle", "garantert")."""
    before = ws[max(0, anchor - 3) : anchor]
    for w in reversed(before):
        if w.lower in SEVERAL:  # before MANY: the nynorsk lemmatiser reads "fleire" as "mange"
            return Quantity(Amount.SEVERAL)
        if w.is_(MANY):
            return Quantity(Amount.MANY)
        number = _number(w.lower)
        if number is not None and number > 1:
            return Quantity(Amount.NUMBER, number)
    after = ws[anchor + 1 : anchor + 3]
    if any(w.lower == "er" for w in after) and any(w.is_(MANY) for w in ws[anchor + 1 : anchor + 4]):
        return Quantity(Amount.MANY)
    if _universal(clause, ws):
        return Quantity(Amount.ALL)
    return Quantity()


def _number(token: str) -> int | None:
    digits = token.replace(" ", "").replace("\u00a0", "").replace(".", "")
    if digits.isdigit():
        return int(digits)
    return NUMBER_WORDS.get(token)


def _time(clause: str, ws: tuple[Word, ...]) -> Time:
    padded = " " + re.sub(r"[.!?,;:]", " ", clause) + " "
    if any(f" {p} " in padded or f" {p}." in padded for p in ALL_YEAR_PHRASES):
        return Time(When.ALL_YEAR)
    if any(w.is_(UNIVERSAL_WORDS) for w in ws) or any(p in clause for p in ("alle barn", "alle born")):
        return Time(When.ALL_YEAR)
    months = []
    for i, w in enumerate(ws):
        if i and ws[i - 1].lower in ("fra", "frå", "i", "til", "innen", "innan", "før", "etter") and w.lower in MONTHS:
            months.append(MONTHS[w.lower])
        elif i and ws[i - 1].lower in ("til", "i", "fra", "frå", "etter") and w.forms[-1] in SEASON_MONTH:
            months.append(SEASON_MONTH[w.forms[-1]])
        elif i and ws[i - 1].lower in ("til", "i", "fra", "frå") and any(f in SEASON_MONTH for f in w.forms):
            months.append(next(SEASON_MONTH[f] for f in w.forms if f in SEASON_MONTH))
    if months:
        return Time(When.MONTHS, tuple(dict.fromkeys(months)))
    if any(f" {p} " in padded or f" {p}." in padded for p in NOW_PHRASES):
        return Time(When.NOW)
    return Time()


def _price(ws: tuple[Word, ...]) -> Price:
    if any(w.is_(PRICE_FREE) for w in ws):
        return Price.FREE
    if any(w.is_(PRICE_AFFORDABLE) for w in ws):
        return Price.AFFORDABLE
    return Price.NONE
