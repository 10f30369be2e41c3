"""The thin layer between the database and the pure matching engine.

``household_needs`` turns a household (newcomers app) into a ``HouseholdNeeds``; ``listing_index``
reads one municipality's available housing, open vacancies and kindergarten places into a
``ListingIndex``; ``record_gaps`` keeps the ``MatchingGap`` rows in step with a result. The querysets
passed in are already narrowed by the caller through ``blilyst.web.lib.tenancy``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone, translation

from blilyst import matching as m
from blilyst.web.resources.models import Housing, JobVacancy, MatchingGap

#: The household's wish (newcomers.Tenure) → the housing kinds that meet it.
TENURE_KINDS = {
    "buy": frozenset({"sale"}),
    "rent": frozenset({"rent"}),
    "trial": frozenset({"trial"}),
    "any": frozenset({"sale", "rent"}),
    "small_farm": frozenset({"small_farm"}),
    "plot": frozenset({"plot"}),
}
_SPLIT = re.compile(r"[,;/\n]| eller | or ")


def split_wishes(*texts: str) -> tuple[str, ...]:
    """ "Sykepleier, helsefagarbeider / lærer" → ("sykepleier", "helsefagarbeider", "lærer") (unique, in order)."""
    seen: dict[str, None] = {}
    for text in texts:
        for part in _SPLIT.split(text or ""):
            part = part.strip().lower()
            if part and m.tokens(part):
                seen.setdefault(part, None)
    return tuple(seen)


def adult_needs(number: int, adult) -> m.AdultNeeds:
    """One adult's needs: a wish that names a sector ("helse", "skole") counts as that sector,
    every other wish and the present occupation as occupations; working remotely keeps the job."""
    occupations, sectors = [], []
    for wish in split_wishes(adult.job_wishes, adult.occupation):
        sector = JobVacancy.SECTOR_WORDS.get(wish)
        if sector:
            sectors.append(sector)
        else:
            occupations.append(wish)
    return m.AdultNeeds(
        number=number,
        job_wishes=tuple(occupations),
        sectors=tuple(dict.fromkeys(sectors)),
        keeps_remote_job=bool(adult.remote_work),
    )


def household_needs(household) -> m.HouseholdNeeds:
    """The needs of a ``newcomers.Household`` as the engine's dataclass.

    Each adult's job wishes are their wishes followed by their present occupation (see
    ``adult_needs``). Each child with a wanted kindergarten month needs a place of its own, from its
    own month, in its age group then (from its birth year). Adults and children are numbered in the
    household's order (1, 2, ...), counting those without a need too, so "child 2" is the same child
    everywhere.

    A need met by an accepted offer is no longer a need: a household that accepted a dwelling is not
    matched for housing, an adult who accepted a job not for a job, a child who accepted a place not
    for a place (so neither suggestions nor gaps go on naming them).
    """
    accepted = [o for o in household.offers.all() if o.status == "accepted"]
    housed = any(o.kind == "housing" for o in accepted)
    employed = {o.adult_id for o in accepted if o.kind == "job"}
    placed = {o.child_id for o in accepted if o.kind == "kindergarten"}
    adults = tuple(
        adult_needs(i, adult) for i, adult in enumerate(household.adults.all(), start=1) if adult.pk not in employed
    )
    children = tuple(
        m.ChildNeeds(number=i, start=child.kindergarten_from, birth_year=child.birth_year)
        for i, child in enumerate(household.children.all(), start=1)
        if child.kindergarten_from and child.pk not in placed
    )
    return m.HouseholdNeeds(
        ref=household.pk,
        adults=adults,
        housing_kinds=frozenset() if housed else TENURE_KINDS.get(household.housing_tenure or "", frozenset()),
        # a building plot has no bedrooms: a household that wants one is not asked for any
        min_bedrooms=0 if household.housing_tenure == "plot" else household.housing_bedrooms or 0,
        housing_from=household.housing_from,
        children=children,
    )


def listing_index(housing_qs, job_qs, kindergarten_qs, today: dt.date | None = None) -> m.ListingIndex:
    """An index over the available housing, open vacancies and future kindergarten places."""
    today = today or timezone.localdate()
    housing = [
        m.HousingListing(
            id=row["id"],
            kind=row["kind"],
            bedrooms=row["bedrooms"],
            price=row["price"],
            available_from=row["available_from"],
            title=row["title"],
            size_m2=row["size_m2"],
            area=row["area"],
            term_months=row["term_months"],
        )
        for row in housing_qs.filter(status=Housing.Status.AVAILABLE).values(
            "id", "kind", "bedrooms", "price", "available_from", "title", "size_m2", "area", "term_months"
        )
    ]
    jobs = [
        m.JobListing(
            id=row["id"],
            occupation=row["occupation"],
            employer=row["employer"],
            sector=row["sector"],
            remote_possible=row["remote_possible"],
            deadline=row["deadline"],
            positions=row["positions"],
        )
        for row in job_qs.filter(status=JobVacancy.Status.OPEN).values(
            "id", "occupation", "employer", "sector", "remote_possible", "deadline", "positions"
        )
    ]
    kindergartens = [
        m.KindergartenPlaces(
            kindergarten=row["kindergarten"],
            month=row["month"],
            free_places=row["free_places"],
            age_group=row["age_group"],
        )
        for row in kindergarten_qs.filter(month__gte=today.replace(day=1), free_places__gt=0).values(
            "kindergarten", "month", "free_places", "age_group"
        )
    ]
    return m.ListingIndex(housing, jobs, kindergartens, today=today)


LANGUAGE_WORDS = {
    "nb": ("norsk", "norwegian", "bokmål"),
    "nn": ("norsk", "nynorsk", "norwegian"),
    "en": ("engelsk", "english"),
}


def host_suggestions(host_qs, household, limit: int = 3) -> list[tuple[object, list[str]]]:
    """Active hosts for a household that wants one, as (host, shared words) best first: shared
    leisure interests count one each, a shared language one more; hosts with nothing shared come
    last (a host is still better than none)."""
    if not household.wants_host:
        return []
    interests = set(m.tokens(household.leisure_interests or ""))
    languages = {w for adult in household.adults.all() for w in LANGUAGE_WORDS.get(adult.language, ())}
    ranked = []
    for host in host_qs.filter(active=True).order_by("pk"):
        shared = sorted(interests & set(m.tokens(host.interests)))
        speaks = languages & set(m.tokens(host.languages))
        ranked.append((-(len(shared) + bool(speaks)), host.pk, host, shared + sorted(speaks)[:1]))
    ranked.sort(key=lambda r: r[:2])
    return [(host, words) for _score, _pk, host, words in ranked[:limit]]


def upcoming_events(event_qs, household, now=None, limit: int = 3) -> list:
    """The next events for a household that wants a welcome event (welcome days first)."""
    if not household.wants_welcome_event:
        return []
    now = now or timezone.now()
    events = list(event_qs.filter(starts__gte=now).order_by("starts", "pk")[:20])
    events.sort(key=lambda e: (e.kind != "welcome_day", e.starts, e.pk))
    return events[:limit]


def gap_text(gap: m.Gap) -> str:
    """The gap in bokmål, as stored in ``MatchingGap.detail`` (pages re-render it in the reader's language)."""
    from blilyst.web.resources.explain import describe_gap

    with translation.override("nb"):
        return describe_gap(gap)[:300]


#: Gap parameters that repeat what a household wrote in its own words (an adult's job wishes): shown on the
#: household's own match page, never stored, since analysts and administrators read the stored gaps and the
#: gaps outlive an erased household as anonymous counts.
PERSONAL_GAP_PARAMS = ("occupations",)


def without_personal_data(gap: m.Gap) -> m.Gap:
    """``gap`` with the household's free text left out (sectors, kinds, counts and dates stay)."""
    return m.Gap(gap.kind, gap.key, gap.code, {k: v for k, v in gap.params.items() if k not in PERSONAL_GAP_PARAMS})


def gap_from_row(row: MatchingGap) -> m.Gap:
    params = dict(row.params)
    code = params.pop("code")
    return m.Gap(row.kind, row.key, code, params)


@transaction.atomic
def record_gaps(
    gap_qs, municipality_code: str, household_id: int | None, gaps: list[m.Gap], today: dt.date | None = None
) -> list[MatchingGap]:
    """Keep one open ``MatchingGap`` per household and need: new gaps are added, lasting ones get a
    new ``last_seen`` (and the latest detail), gaps no longer found are resolved today.

    ``gap_qs`` is the caller's tenancy-narrowed ``MatchingGap`` queryset. Without a household every
    gap is added as it is.
    """
    today = today or timezone.localdate()
    rows = []
    open_rows = {}
    if household_id is not None:
        open_rows = {
            row.key: row
            for row in gap_qs.filter(
                municipality_id=municipality_code, household_id=household_id, resolved_on__isnull=True
            )
        }
    for gap in gaps:
        gap = without_personal_data(gap)
        params = {"code": gap.code, **gap.params}
        detail = gap_text(gap)
        row = open_rows.pop(gap.key, None)
        if row is not None:
            row.detail, row.params, row.last_seen = detail, params, today
            row.save(update_fields=["detail", "params", "last_seen"])
        elif household_id is None:
            row = MatchingGap.objects.create(
                municipality_id=municipality_code,
                kind=gap.kind,
                key=gap.key,
                detail=detail,
                params=params,
                recorded_on=today,
                last_seen=today,
            )
        else:  # get_or_create: a request beside this one may have just recorded it
            row, _created = MatchingGap.objects.get_or_create(
                municipality_id=municipality_code,
                household_id=household_id,
                key=gap.key,
                resolved_on=None,
                defaults={
                    "kind": gap.kind,
                    "detail": detail,
                    "params": params,
                    "recorded_on": today,
                    "last_seen": today,
                },
            )
        rows.append(row)
    for row in open_rows.values():
        row.resolved_on = today
        row.save(update_fields=["resolved_on"])
    return rows


def gap_counts(gap_qs, since: dt.date | None = None, open_only: bool = False) -> dict[str, int]:
    """Gaps by kind ({"housing": 4, "job": 7, "kindergarten": 1}), every kind present, for the plan's
    bottleneck evidence (blilyst.plan.bottlenecks). ``gap_qs`` is already narrowed to a municipality."""
    qs = gap_qs
    if since is not None:
        qs = qs.filter(last_seen__gte=since)
    if open_only:
        qs = qs.filter(resolved_on__isnull=True)
    counts = dict.fromkeys(MatchingGap.Kind.values, 0)
    for kind in qs.values_list("kind", flat=True):
        counts[kind] += 1
    return counts


#: Households are re-matched after a change of the registers in batches of this many (a few statements per
#: batch, each batch's rows in memory at once): every open household is covered, those with open gaps first
#: (the oldest gaps first), then the other open households, the most recently active first.
REFRESH_BATCH = 300

#: Re-matching after a register change runs inside the request up to this many open households (one batch:
#: 0.3 s measured, bench/bench_rematch.py) and as background work above it (1 500 open households took 1.2-1.8 s
#: and 5 000 about 6 s on PostgreSQL, growing with the households: too long for a page to wait).
REMATCH_IN_REQUEST = REFRESH_BATCH


def open_households(household_qs, municipality_code: str):
    """The households of ``municipality_code`` still in the pipeline (not stayed or moved away)."""
    from blilyst.web.newcomers.models import CLOSED_STATUSES

    return household_qs.filter(municipality_id=municipality_code).exclude(status__in=CLOSED_STATUSES)


def refresh_gaps(
    index: m.ListingIndex,
    household_qs,
    gap_qs,
    municipality_code: str,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Re-match the open households of ``municipality_code`` against ``index`` (the registers as they are
    now) and keep their gap rows in step: a gap a new listing meets is resolved today, a gap still there
    gets a new ``last_seen``, and a need whose listing went (a dwelling reserved by another household, a
    vacancy filled, a month's places taken) becomes a gap. Every open household is re-matched, in batches of
    ``REFRESH_BATCH``, so none keeps stale gaps. Returns how many households were re-matched.

    ``household_qs`` and ``gap_qs`` come from the caller already narrowed by tenancy; ``progress(done, total)``
    is told after each batch."""
    open_gaps = gap_qs.filter(municipality_id=municipality_code, resolved_on__isnull=True, household__isnull=False)
    with_gaps = list(dict.fromkeys(open_gaps.order_by("recorded_on", "pk").values_list("household_id", flat=True)))
    others = list(
        open_households(household_qs, municipality_code)
        .exclude(pk__in=open_gaps.values("household_id"))
        .order_by("-last_activity", "-pk")
        .values_list("pk", flat=True)
    )
    ids = with_gaps + others
    done = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        done += _refresh_batch(index, household_qs, gap_qs, municipality_code, ids[start : start + REFRESH_BATCH])
        if progress is not None:
            progress(min(start + REFRESH_BATCH, len(ids)), len(ids))
    return done


def _refresh_batch(index: m.ListingIndex, household_qs, gap_qs, municipality_code: str, ids: list[int]) -> int:
    """``refresh_gaps`` for the households ``ids``: a few statements, however many they are."""
    households = list(
        household_qs.filter(municipality_id=municipality_code, pk__in=ids).prefetch_related(
            "adults", "children", "offers"
        )
    )
    # the same bookkeeping as record_gaps, for all of them in a few statements instead of several per household
    open_rows: dict[int, dict[str, MatchingGap]] = {}
    for row in gap_qs.filter(
        municipality_id=municipality_code, household_id__in=[h.pk for h in households], resolved_on__isnull=True
    ):
        open_rows.setdefault(row.household_id, {})[row.key] = row
    today = timezone.localdate()
    new: list[MatchingGap] = []
    changed: list[MatchingGap] = []
    seen: list[int] = []
    gone: list[int] = []
    for household in households:
        rows = open_rows.get(household.pk, {})
        for gap in m.match_household(household_needs(household), index).gaps:
            gap = without_personal_data(gap)
            params = {"code": gap.code, **gap.params}
            row = rows.pop(gap.key, None)
            if row is None:
                new.append(
                    MatchingGap(
                        municipality_id=municipality_code,
                        household_id=household.pk,
                        kind=gap.kind,
                        key=gap.key,
                        detail=gap_text(gap),
                        params=params,
                        recorded_on=today,
                        last_seen=today,
                    )
                )
            elif row.params != params:
                row.detail, row.params, row.last_seen = gap_text(gap), params, today
                changed.append(row)
            else:
                seen.append(row.pk)
        gone.extend(row.pk for row in rows.values())
    with transaction.atomic():
        # a request beside this one may have just recorded the same open gap: the one-open-gap rule keeps one
        MatchingGap.objects.bulk_create(new, ignore_conflicts=True)
        MatchingGap.objects.bulk_update(changed, ["detail", "params", "last_seen"])
        gap_qs.filter(pk__in=seen).update(last_seen=today)
        gap_qs.filter(pk__in=gone).update(resolved_on=today)
    return len(households)
