"""Matching a newcomer household against housing, job vacancies and kindergarten places.

The engine is pure: it works on plain dataclasses (``HouseholdNeeds`` and the ``*Listing``
records) and never touches the database. ``ListingIndex`` is built once per municipality from
its listings; ``match_household`` then ranks combinations of

* one dwelling (kind, bedrooms, budget, available by the wanted date),
* one job vacancy **for each adult** who looks for work (two adults never share a vacancy
  unless it has several positions), and
* a kindergarten place **for each child** who needs one, from the child's own wanted month, among
  the places for the child's age group at that time (two children never share one free place),

and reports each need it cannot meet as a ``Gap`` ("no rental home with at least 3 bedrooms
before August"). Suggestions and gaps carry structured parts; ``blilyst.matchwords`` (core gettext)
turns them into sentences in the active language, and the web app only renders those.

This module is the one place the matching rules live: it imports neither Django nor the database. The
web app builds the inputs from its registers (``blilyst.web.resources.matchinputs``).

Scoring (higher is better), added up over the parts of a combination:

* housing: 3 for a dwelling available in time, minus 0.1 per bedroom beyond the need (at most
  0.5), minus up to 0.5 for the share of the budget it uses; a dwelling available later loses
  0.01 per day late (at most 2) and keeps at least 0.1;
* job: 2 for a vacancy whose occupation matches a wish word for word, 1.6 when the wish is part
  of a compound ("lærer" in "barnehagelærer"), 0.6 when only the sector matches;
* kindergarten, per child: 1 for a place from the child's wanted month, minus 0.2 per month later
  (at least 0.1).

Housing is scanned with NumPy over the index's arrays (one vectorised mask per household), jobs
are found through a token index, kindergartens through per-kindergarten, per-age-group month lists; see
bench/bench_matching.py for the speed against a plain per-household scan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from blilyst.i18n import gettext as _

HOUSING_KINDS = ("sale", "rent", "trial", "small_farm", "plot")
_KIND_CODE = {kind: i for i, kind in enumerate(HOUSING_KINDS)}

HOUSING_IN_TIME = 3.0
JOB_EXACT = 2.0
JOB_COMPOUND = 1.6
JOB_SECTOR = 0.6
KINDERGARTEN_IN_TIME = 1.0

TOP_HOUSING = 3
TOP_JOBS_PER_ADULT = 3
TOP_KINDERGARTENS = 2
MIN_AFFIX = 4  # shortest part of a compound word that counts ("lege" in "fastlege")
_EMPTY: frozenset[int] = frozenset()


# --- Inputs ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class HousingListing:
    id: int
    kind: str  # "sale" | "rent" | "trial" | "small_farm" | "plot"
    bedrooms: int
    price: int  # sale price, or monthly rent for rent, trial housing and a small farm let for a term
    available_from: dt.date
    title: str = ""
    size_m2: int = 0
    area: str = ""
    term_months: int | None = None

    @property
    def for_sale(self) -> bool:
        """Whether ``price`` is a sale price (a dwelling for sale, a building plot, a small farm without a
        term) rather than a monthly rent (rent, trial housing, a small farm let for a term)."""
        return sold(self.kind, self.term_months)


def sold(kind: str, term_months: int | None) -> bool:
    """Whether a listing of ``kind`` (with ``term_months``) is priced as a sale: see ``HousingListing.for_sale``."""
    return kind in ("sale", "plot") or (kind == "small_farm" and term_months is None)


@dataclass(frozen=True, slots=True)
class JobListing:
    id: int
    occupation: str
    employer: str = ""
    sector: str = ""
    remote_possible: bool = False
    deadline: dt.date | None = None
    positions: int = 1


#: Age groups of kindergarten places: "" (any age), "under_3" (småbarnsplass) and "over_3".
AGE_GROUPS = ("", "under_3", "over_3")


@dataclass(frozen=True, slots=True)
class KindergartenPlaces:
    """Free places in one kindergarten in one month, for one age group ("" when the register does not
    split the places by age)."""

    kindergarten: str
    month: dt.date  # first day of the month
    free_places: int
    age_group: str = ""


def kindergarten_age_group(birth_year: int, month: dt.date) -> str:
    """The age group a child born in ``birth_year`` counts in at ``month``: "over_3" from August of the year
    it turns three, "under_3" before (Norwegian kindergartens count age by kindergarten year, August to July:
    barnehageloven § 26 counts a child as over three from August of the year it turns three)."""
    kindergarten_year = month.year if month.month >= 8 else month.year - 1
    return "over_3" if kindergarten_year - birth_year >= 3 else "under_3"


@dataclass(frozen=True)
class AdultNeeds:
    """One adult: the occupations they would take (free text, "sykepleier", "lærer") and sectors.
    An adult who keeps a job done remotely (``keeps_remote_job``), or who has no wish, needs no job."""

    number: int  # 1, 2, ... as shown to the user ("adult 1")
    job_wishes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    keeps_remote_job: bool = False

    @property
    def wants_job(self) -> bool:
        return not self.keeps_remote_job and bool(self.job_wishes or self.sectors)


@dataclass(frozen=True)
class ChildNeeds:
    """One child who needs a kindergarten place from ``start`` (any day of the month). ``number`` is 1, 2, ...
    as shown to the user ("child 2"); without ``birth_year`` a place of any age group fits."""

    number: int
    start: dt.date
    birth_year: int | None = None

    @property
    def age_group(self) -> str | None:
        """ "under_3" or "over_3" at the child's start month, None when the birth year is not known."""
        return None if self.birth_year is None else kindergarten_age_group(self.birth_year, self.start)


@dataclass(frozen=True)
class HouseholdNeeds:
    """What one household needs. ``housing_kinds`` empty means no housing need; ``max_rent`` caps
    the monthly rent of rent and trial housing, ``max_price`` the price of a dwelling for sale."""

    ref: int | None
    adults: tuple[AdultNeeds, ...] = ()
    housing_kinds: frozenset[str] = frozenset()
    min_bedrooms: int = 0
    max_rent: int | None = None
    max_price: int | None = None
    housing_from: dt.date | None = None
    children: tuple[ChildNeeds, ...] = ()  # the children who need a kindergarten place, each on its own

    def __post_init__(self) -> None:
        unknown = set(self.housing_kinds) - set(HOUSING_KINDS)
        if unknown:
            raise ValueError(
                _("housing_kinds: unknown kind(s) {kinds}; use {known}").format(
                    kinds=", ".join(sorted(unknown)), known=", ".join(HOUSING_KINDS)
                )
            )
        if self.min_bedrooms < 0:
            raise ValueError(_("min_bedrooms: the number of bedrooms must be zero or more"))
        numbers = [c.number for c in self.children]
        if len(set(numbers)) != len(numbers):
            raise ValueError(
                _("children: each child needs its own number, got {numbers}").format(
                    numbers=", ".join(map(str, numbers))
                )
            )


# --- Outputs -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """One piece of a suggestion: ``kind`` is "housing", "job", "remote" or "kindergarten"."""

    kind: str
    score: float
    listing: HousingListing | JobListing | KindergartenPlaces | None = None
    adult: int | None = None
    late_days: int = 0
    child: int | None = None


@dataclass(frozen=True)
class Gap:
    """A need no listing meets. ``code`` picks the sentence, ``params`` fill it (JSON-safe values)."""

    kind: str  # "housing" | "job" | "kindergarten"
    key: str  # which need: "housing", "job:1", "kindergarten:2" (child 2)
    code: str  # "housing_late", "housing_none", "job_none", "kindergarten_late", "kindergarten_none"
    params: dict[str, Any]


@dataclass(frozen=True)
class Suggestion:
    score: float
    parts: tuple[Part, ...]

    @property
    def housing(self) -> HousingListing | None:
        return next((p.listing for p in self.parts if isinstance(p.listing, HousingListing)), None)

    def job_for(self, adult: int) -> JobListing | None:
        return next((p.listing for p in self.parts if isinstance(p.listing, JobListing) and p.adult == adult), None)

    def kindergarten_for(self, child: int) -> KindergartenPlaces | None:
        return next(
            (p.listing for p in self.parts if isinstance(p.listing, KindergartenPlaces) and p.child == child), None
        )


@dataclass
class MatchResult:
    ref: int | None
    suggestions: list[Suggestion] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


# --- Words -------------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+")


def tokens(text: str) -> list[str]:
    """Lower-case words of three letters or more ("Sykepleier 100 %" → ["sykepleier"])."""
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 3]


# --- Scores (shared by the index and by plain scans) --------------------------------------------------
def housing_score(listing: HousingListing, needs: HouseholdNeeds) -> float | None:
    """The listing's score for ``needs``, or None when it does not fit (kind, bedrooms, budget)."""
    if listing.kind not in needs.housing_kinds or listing.bedrooms < needs.min_bedrooms:
        return None
    budget = needs.max_price if listing.for_sale else needs.max_rent
    if budget is not None and listing.price > budget:
        return None
    score = HOUSING_IN_TIME - min(0.1 * (listing.bedrooms - needs.min_bedrooms), 0.5)
    if budget:
        score -= 0.5 * (listing.price / budget)
    late = late_days(listing.available_from, needs.housing_from)
    if late:
        score = max(score - min(0.01 * late, 2.0), 0.1)
    return score


def late_days(available: dt.date, wanted: dt.date | None) -> int:
    return 0 if wanted is None or available <= wanted else (available - wanted).days


def job_score(job: JobListing, adult: AdultNeeds) -> float | None:
    """The vacancy's score for ``adult``, or None when neither an occupation wish nor a sector fits."""
    job_words = tokens(job.occupation)
    best = None
    for wish in adult.job_wishes:
        wish_words = tokens(wish)
        if not wish_words:
            continue
        exact = True
        for w in wish_words:
            if w in job_words:
                continue
            if len(w) >= MIN_AFFIX and any(j.endswith(w) or j.startswith(w) for j in job_words):
                exact = False
                continue
            break
        else:
            score = JOB_EXACT if exact else JOB_COMPOUND
            best = score if best is None else max(best, score)
    if best is None and job.sector and job.sector in adult.sectors:
        best = JOB_SECTOR
    return best


def kindergarten_score(month: dt.date, wanted: dt.date) -> float:
    late = months_between(first_of_month(wanted), month)
    return KINDERGARTEN_IN_TIME if late <= 0 else max(KINDERGARTEN_IN_TIME - 0.2 * late, 0.1)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


# --- The index -----------------------------------------------------------------------------------------
class ListingIndex:
    """One municipality's listings, arranged for fast matching. Jobs closed on ``today`` (deadline
    passed) are left out; housing and kindergarten rows are taken as given (the adapter passes only
    available housing and months with free places)."""

    def __init__(
        self,
        housing: Iterable[HousingListing] = (),
        jobs: Iterable[JobListing] = (),
        kindergartens: Iterable[KindergartenPlaces] = (),
        today: dt.date | None = None,
    ):
        self.today = today or dt.date.today()
        self.housing: list[HousingListing] = list(housing)
        n = len(self.housing)
        self._h_kind = np.fromiter((_KIND_CODE[h.kind] for h in self.housing), dtype=np.int8, count=n)
        self._h_bedrooms = np.fromiter((h.bedrooms for h in self.housing), dtype=np.int32, count=n)
        self._h_price = np.fromiter((h.price for h in self.housing), dtype=np.float64, count=n)
        self._h_available = np.fromiter((h.available_from.toordinal() for h in self.housing), dtype=np.int64, count=n)
        self._h_id = np.fromiter((h.id for h in self.housing), dtype=np.int64, count=n)
        self._h_is = {kind: self._h_kind == code for kind, code in _KIND_CODE.items()}
        self._h_sold = np.fromiter((h.for_sale for h in self.housing), dtype=bool, count=n)

        self.jobs: list[JobListing] = [j for j in jobs if j.deadline is None or j.deadline >= self.today]
        self._job_ids = [j.id for j in self.jobs]
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._affix: dict[str, set[int]] = defaultdict(set)
        self._sector: dict[str, set[int]] = defaultdict(set)
        for i, job in enumerate(self.jobs):
            for word in tokens(job.occupation):
                self._exact[word].add(i)
                for cut in range(MIN_AFFIX, len(word)):
                    self._affix[word[:cut]].add(i)
                    self._affix[word[-cut:]].add(i)
            if job.sector:
                self._sector[job.sector].add(i)
        self._sector_sorted = {
            sector: sorted(ids, key=lambda i: self.jobs[i].id) for sector, ids in self._sector.items()
        }

        # per age group asked for (None: not known), per kindergarten: its rows that fit, by month
        self._kindergartens: dict[str | None, dict[str, list[tuple[dt.date, int, KindergartenPlaces]]]] = {
            group: defaultdict(list) for group in (None, "under_3", "over_3")
        }
        for row in kindergartens:
            if row.age_group not in AGE_GROUPS:
                raise ValueError(
                    _("age_group: unknown group '{group}'; use {known}").format(
                        group=row.age_group, known=", ".join(map(str, AGE_GROUPS))
                    )
                )
            if row.free_places <= 0:
                continue
            place = KindergartenPlaces(row.kindergarten, first_of_month(row.month), row.free_places, row.age_group)
            for group, by_name in self._kindergartens.items():
                if group is None or row.age_group in ("", group):
                    by_name[row.kindergarten].append((place.month, -place.free_places, place))
        for group, by_name in self._kindergartens.items():
            self._kindergartens[group] = {
                name: sorted(rows, key=lambda r: (r[0], r[1], r[2].age_group)) for name, rows in sorted(by_name.items())
            }

    # housing ------------------------------------------------------------------------------------
    def housing_candidates(self, needs: HouseholdNeeds) -> tuple[list[tuple[float, HousingListing]], np.ndarray]:
        """Fitting dwellings as (score, listing), best first (at most TOP_HOUSING), and the mask of
        all that fit regardless of date (for the gap text)."""
        if not needs.housing_kinds or not self.housing:
            return [], np.zeros(len(self.housing), dtype=bool)
        kind_mask = np.zeros(len(self.housing), dtype=bool)
        for kind in needs.housing_kinds:
            kind_mask |= self._h_is[kind]
        fits = kind_mask & (self._h_bedrooms >= needs.min_bedrooms)
        sale = self._h_sold
        if needs.max_price is not None:
            fits &= ~sale | (self._h_price <= needs.max_price)
        if needs.max_rent is not None:
            fits &= sale | (self._h_price <= needs.max_rent)
        idx = np.flatnonzero(fits)
        if idx.size == 0:
            return [], fits
        score = HOUSING_IN_TIME - np.minimum(0.1 * (self._h_bedrooms[idx] - needs.min_bedrooms), 0.5)
        if needs.max_price or needs.max_rent:
            budget = np.where(sale[idx], needs.max_price or np.nan, needs.max_rent or np.nan)
            has_budget = ~np.isnan(budget)
            score[has_budget] -= 0.5 * (self._h_price[idx][has_budget] / budget[has_budget])
        if needs.housing_from is not None:
            late = np.maximum(self._h_available[idx] - needs.housing_from.toordinal(), 0)
            is_late = late > 0
            score[is_late] = np.maximum(score[is_late] - np.minimum(0.01 * late[is_late], 2.0), 0.1)
        if idx.size > 4 * TOP_HOUSING:  # keep the best few (and every tie with them) before sorting
            cut = np.partition(-score, TOP_HOUSING - 1)[TOP_HOUSING - 1]
            keep = np.flatnonzero(-score <= cut)
            idx, score = idx[keep], score[keep]
        # best score first, then the lower id: lexsort sorts by the last key first
        order = np.lexsort((self._h_id[idx], -score))[:TOP_HOUSING]
        return [(float(score[o]), self.housing[idx[o]]) for o in order], fits

    # jobs ---------------------------------------------------------------------------------------
    def job_candidates(self, adult: AdultNeeds) -> list[tuple[float, JobListing]]:
        """Vacancies for ``adult`` as (score, job), best first (at most TOP_JOBS_PER_ADULT).

        The same scores as ``job_score``, found through the word index: a wish matches a vacancy
        when each of its words is a word of the occupation (exact) or a part of a compound
        (affix); the vacancies of the adult's sectors come after, in the order of their ids.
        """
        best: dict[int, float] = {}
        for wish in adult.job_wishes:
            words = tokens(wish)
            if not words:
                continue
            exact: set[int] | frozenset[int] | None = None
            either: set[int] | frozenset[int] | None = None
            for w in words:
                e = self._exact.get(w, _EMPTY)
                a = self._affix.get(w, _EMPTY) if len(w) >= MIN_AFFIX else _EMPTY
                exact = set(e) if exact is None else exact & e
                either = (e | a) if either is None else either & (e | a)
            assert exact is not None and either is not None  # a wish has at least one word
            for i in either:
                score = JOB_EXACT if i in exact else JOB_COMPOUND
                if best.get(i, 0.0) < score:
                    best[i] = score
        ids = self._job_ids
        scored = heapq.nsmallest(TOP_JOBS_PER_ADULT, ((-score, ids[i], i) for i, score in best.items()))
        found = [(-neg, self.jobs[i]) for neg, _id, i in scored]
        if len(found) < TOP_JOBS_PER_ADULT and adult.sectors:
            extra = []
            for sector in adult.sectors:
                taken = 0
                for i in self._sector_sorted.get(sector, ()):
                    if i not in best:
                        extra.append((self.jobs[i].id, i))
                        taken += 1
                        if taken == TOP_JOBS_PER_ADULT:
                            break
            for _id, i in sorted(set(extra))[: TOP_JOBS_PER_ADULT - len(found)]:
                found.append((JOB_SECTOR, self.jobs[i]))
        return found

    # kindergartens --------------------------------------------------------------------------------
    def kindergarten_candidates(
        self, wanted: dt.date, age_group: str | None = None, places: int = 1
    ) -> list[tuple[float, KindergartenPlaces]]:
        """Per kindergarten the first month on or after ``wanted`` with ``places`` free places for
        ``age_group`` (places of any age count for every group; None: any place), as (score, place),
        earliest first (at most TOP_KINDERGARTENS)."""
        start = first_of_month(wanted)
        found = []
        for rows in self._kindergartens[age_group].values():
            i = bisect.bisect_left(rows, (start,))
            for _month, neg_free, place in rows[i:]:
                if -neg_free >= places:
                    found.append((kindergarten_score(place.month, wanted), place))
                    break
        found.sort(key=lambda s: (-s[0], s[1].month, -s[1].free_places, s[1].kindergarten))
        return found[:TOP_KINDERGARTENS]


# --- Matching -----------------------------------------------------------------------------------------
def match_household(needs: HouseholdNeeds, index: ListingIndex, limit: int = 5) -> MatchResult:
    """Rank combinations of housing, a job for each adult who needs one and a kindergarten place for
    each child who needs one.

    Returns at most ``limit`` suggestions, best first, and one ``Gap`` for every need that no
    listing meets in time (a need met only later gives both a suggestion and a gap).
    """
    result = MatchResult(ref=needs.ref)

    # housing
    housing_options: list[Part | None] = [None]
    if needs.housing_kinds:
        found, fits = index.housing_candidates(needs)
        if found:
            housing_options = [
                Part("housing", score, listing, late_days=late_days(listing.available_from, needs.housing_from))
                for score, listing in found
            ]
        in_time = needs.housing_from is None or bool(
            np.any(fits & (index._h_available <= needs.housing_from.toordinal()))
        )
        if not in_time or not found:
            result.gaps.append(_housing_gap(needs, index, fits))

    # jobs, one per adult who needs one
    per_adult: list[list[Part | None]] = []
    for adult in needs.adults:
        if adult.keeps_remote_job:
            per_adult.append([Part("remote", 0.0, None, adult=adult.number)])
            continue
        if not adult.wants_job:
            continue
        found_jobs = index.job_candidates(adult)
        if not found_jobs:
            result.gaps.append(
                Gap(
                    "job",
                    f"job:{adult.number}",
                    "job_none",
                    {"adult": adult.number, "occupations": list(adult.job_wishes), "sectors": list(adult.sectors)},
                )
            )
            per_adult.append([None])
        else:
            per_adult.append([Part("job", score, job, adult=adult.number) for score, job in found_jobs])

    # kindergarten, one place per child who needs one, each from its own month and for its own age group
    per_child: list[list[Part | None]] = []
    for child in needs.children:
        found_kg = index.kindergarten_candidates(child.start, child.age_group)
        # a child may also go without a place in a combination: siblings may compete for one free place
        per_child.append([Part("kindergarten", score, place, child=child.number) for score, place in found_kg] + [None])

    # combinations: the best job assignments (no vacancy used beyond its positions) x housing x the best
    # kindergarten assignments (no month's free places used twice); each option list is ordered best first,
    # so its position breaks ties between equal totals
    job_sets = _assignments(per_adult, limit)
    kg_sets = _assignments(per_child, limit)
    result.gaps.extend(_kindergarten_gaps(needs.children, kg_sets[0]))
    h_scores = [p.score if p else 0.0 for p in housing_options]
    j_scores = [sum(p.score for p in jobs if p is not None) for jobs in job_sets]
    k_scores = [sum(p.score for p in places if p is not None) for places in kg_sets]
    ranked = sorted(
        (-round(hs + js + ks, 6), hi, ji, ki)
        for hi, hs in enumerate(h_scores)
        for ji, js in enumerate(j_scores)
        for ki, ks in enumerate(k_scores)
    )
    for neg_score, hi, ji, ki in ranked:
        parts = tuple(p for p in (housing_options[hi], *job_sets[ji], *kg_sets[ki]) if p is not None)
        if parts:
            result.suggestions.append(Suggestion(-neg_score, parts))
            if len(result.suggestions) == limit:
                break
    return result


def match_many(households: Sequence[HouseholdNeeds], index: ListingIndex, limit: int = 5) -> list[MatchResult]:
    """``match_household`` for each household, against the same index."""
    return [match_household(needs, index, limit) for needs in households]


def _capacity(part: Part) -> tuple[object, int]:
    """What a part uses up and how many of it there are: a vacancy's positions, a month's free places."""
    listing = part.listing
    if isinstance(listing, JobListing):
        return ("job", listing.id), listing.positions
    if isinstance(listing, KindergartenPlaces):
        return ("kindergarten", listing.kindergarten, listing.month, listing.age_group), listing.free_places
    return ("other", id(part)), 1


def _fits(combo: tuple[Part | None, ...]) -> bool:
    """Whether one choice per person uses no vacancy beyond its positions and no kindergarten place twice."""
    used: dict[object, int] = defaultdict(int)
    places: list[KindergartenPlaces] = []
    for part in combo:
        if part is None or part.kind not in ("job", "kindergarten"):
            continue
        if isinstance(part.listing, KindergartenPlaces):
            places.append(part.listing)
            continue
        key, capacity = _capacity(part)
        used[key] += 1
        if used[key] > capacity:
            return False
    for place in places:
        # A sibling who starts earlier in the same kindergarten and age group still holds a place this month:
        # the month's registered free places are shared by every child starting then or before.
        holding = sum(
            1
            for other in places
            if (other.kindergarten, other.age_group) == (place.kindergarten, place.age_group)
            and other.month <= place.month
        )
        if holding > place.free_places:
            return False
    return True


def _assignments(per_person: list[list[Part | None]], limit: int) -> list[tuple[Part | None, ...]]:
    """The best choices of one option per person (adult or child), no listing used beyond its capacity."""
    if not per_person:
        return [()]
    assignments = [combo for combo in itertools.product(*per_person) if _fits(combo)]
    if not assignments:  # every adult wants the one vacancy: give it to one at a time
        assignments = [tuple(None for _person in per_person)]
    assignments.sort(key=lambda c: -sum(p.score for p in c if p is not None))  # stable: ties keep their order
    return assignments[: max(limit, 1)]


def _kindergarten_gaps(children: Sequence[ChildNeeds], best: tuple[Part | None, ...]) -> list[Gap]:
    """A gap for each child whose place in the best assignment comes later than wanted, or who has none.
    The child is named by number and age group only (the gap rows are read by roles that see no names)."""
    gaps = []
    for child, part in zip(children, best, strict=True):
        wanted = first_of_month(child.start)
        place = part.listing if part is not None and isinstance(part.listing, KindergartenPlaces) else None
        if place is not None and place.month <= wanted:
            continue
        params: dict[str, Any] = {
            "child": child.number,
            "wanted": wanted.isoformat(),
            "age_group": child.age_group or "",
        }
        key = f"kindergarten:{child.number}"
        if place is not None:
            params.update({"month": place.month.isoformat(), "kindergarten": place.kindergarten})
            gaps.append(Gap("kindergarten", key, "kindergarten_late", params))
        else:
            gaps.append(Gap("kindergarten", key, "kindergarten_none", params))
    return gaps


def _housing_gap(needs: HouseholdNeeds, index: ListingIndex, fits: np.ndarray) -> Gap:
    kinds = sorted(needs.housing_kinds, key=HOUSING_KINDS.index)
    params: dict[str, Any] = {"kinds": kinds, "bedrooms": needs.min_bedrooms}
    if needs.housing_from is not None:
        params["wanted"] = needs.housing_from.isoformat()
    if fits.any():
        earliest = dt.date.fromordinal(int(index._h_available[fits].min()))
        params["earliest"] = earliest.isoformat()
        return Gap("housing", "housing", "housing_late", params)
    # a small farm may be for sale (max_price) or let for a term (max_rent): either budget applies to it
    budget_kinds = [
        k
        for k in kinds
        if (k in ("sale", "plot", "small_farm") and needs.max_price is not None)
        or (k in ("rent", "trial", "small_farm") and needs.max_rent is not None)
    ]
    if budget_kinds:
        relaxed = HouseholdNeeds(None, housing_kinds=needs.housing_kinds, min_bedrooms=needs.min_bedrooms)
        _found, relaxed_fits = index.housing_candidates(relaxed)
        params["over_budget"] = bool(relaxed_fits.any())
    return Gap("housing", "housing", "housing_none", params)
