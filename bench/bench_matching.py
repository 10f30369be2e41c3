"""Matching 1 000 households against 5 000 listings: the indexed engine against a plain full scan.

Run: ``.venv/bin/python -m pytest bench/bench_matching.py --benchmark-only -p no:randomly``.
Both variants use the same scores and the same combination step (``match_household``); they differ
only in how candidates are found: the engine masks NumPy arrays for housing and looks vacancies up
in a word index, the baseline loops over every listing for every household and adult in pure
Python. The baseline is checked to give the same suggestions and gaps first. The engine's timing
includes building its index (what a page does once per request); the target is under one second.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from blilyst.matching import (
    AdultNeeds,
    ChildNeeds,
    HouseholdNeeds,
    HousingListing,
    JobListing,
    KindergartenPlaces,
    ListingIndex,
    housing_score,
    job_score,
    kindergarten_score,
    match_household,
)

TODAY = dt.date(2026, 12, 1)
OCCUPATIONS = [
    "sykepleier",
    "helsefagarbeider",
    "lege",
    "fastlege",
    "lærer",
    "lektor",
    "barnehagelærer",
    "assistent",
    "snekker",
    "elektriker",
    "rørlegger",
    "ingeniør",
    "sivilingeniør",
    "kokk",
    "servitør",
    "resepsjonist",
    "butikkmedarbeider",
    "daglig leder",
    "regnskapsfører",
    "konsulent",
    "saksbehandler",
    "rådgiver",
    "sjåfør",
    "lastebilsjåfør",
    "mekaniker",
    "bilmekaniker",
    "gårdsarbeider",
    "skogsarbeider",
    "økonom",
    "utvikler",
    "systemutvikler",
    "fysioterapeut",
    "vernepleier",
    "sosionom",
    "renholder",
    "vaktmester",
    "prest",
    "bibliotekar",
    "arkitekt",
    "frisør",
]
SECTORS = [
    "health",
    "education",
    "construction",
    "industry",
    "agriculture",
    "tourism",
    "retail",
    "technology",
    "administration",
    "transport",
    "other",
]
KINDERGARTENS = [f"Barnehage {i}" for i in range(1, 11)]


def make_listings(seed: int = 1, housing: int = 3000, jobs: int = 1500, kindergarten_rows: int = 500):
    rng = random.Random(seed)
    homes = []
    for i in range(housing):
        kind = rng.choice(["sale", "rent", "rent", "trial"])
        price = rng.randrange(1_000_000, 6_000_000, 10_000) if kind == "sale" else rng.randrange(5_000, 20_000, 100)
        homes.append(
            HousingListing(
                i + 1, kind, rng.randint(1, 6), price, TODAY + dt.timedelta(days=rng.randint(0, 400)), f"Bolig {i + 1}"
            )
        )
    vacancies = []
    for i in range(jobs):
        occupation = rng.choice(OCCUPATIONS)
        deadline = TODAY + dt.timedelta(days=rng.randint(-30, 120)) if rng.random() < 0.7 else None
        vacancies.append(
            JobListing(
                100_000 + i,
                occupation,
                f"Arbeidsgiver {i % 200}",
                rng.choice(SECTORS),
                rng.random() < 0.2,
                deadline,
                rng.choice([1, 1, 1, 2]),
            )
        )
    places = []
    months = [dt.date(2027 + (m // 12), m % 12 + 1, 1) for m in range(24)]
    for i in range(kindergarten_rows):
        places.append(
            KindergartenPlaces(
                KINDERGARTENS[i % len(KINDERGARTENS)],
                months[(i // len(KINDERGARTENS)) % 24],
                rng.randint(0, 4),
                rng.choice(["", "under_3", "over_3"]),
            )
        )
    return homes, vacancies, places


def make_households(n: int = 1000, seed: int = 2) -> list[HouseholdNeeds]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        adults = tuple(
            AdultNeeds(
                a + 1,
                tuple(rng.sample(OCCUPATIONS, rng.randint(1, 2))),
                (rng.choice(SECTORS),) if rng.random() < 0.3 else (),
                rng.random() < 0.1,
            )
            for a in range(rng.choice([1, 2, 2, 2]))
        )
        children = tuple(
            ChildNeeds(c + 1, dt.date(2027, rng.randint(1, 12), 1), rng.randint(2021, 2026))
            for c in range(rng.choice([0, 0, 1, 1, 2]))
        )
        kinds = rng.choice([{"rent"}, {"sale"}, {"rent", "trial"}, {"sale", "rent"}, {"trial"}])
        out.append(
            HouseholdNeeds(
                ref=i,
                adults=adults,
                housing_kinds=frozenset(kinds),
                min_bedrooms=rng.randint(1, 4),
                max_rent=rng.choice([None, 12_000, 15_000]),
                max_price=rng.choice([None, 3_000_000, 4_500_000]),
                housing_from=TODAY + dt.timedelta(days=rng.randint(30, 300)),
                children=children,
            )
        )
    return out


class FullScan(ListingIndex):
    """The naive baseline: every candidate search loops over every listing in pure Python."""

    def housing_candidates(self, needs):
        fits = []
        scored = []
        for listing in self.housing:
            score = housing_score(listing, needs)
            fits.append(score is not None)
            if score is not None:
                scored.append((score, listing))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        return scored[:3], np.array(fits, dtype=bool)

    def job_candidates(self, adult):
        scored = []
        for job in self.jobs:
            score = job_score(job, adult)
            if score is not None:
                scored.append((score, job))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        return scored[:3]

    def __init__(self, housing, jobs, kindergartens, today):
        super().__init__(housing, jobs, kindergartens, today=today)
        self.places = list(kindergartens)

    def kindergarten_candidates(self, wanted, age_group=None, places=1):
        start = wanted.replace(day=1)
        best: dict[str, KindergartenPlaces] = {}
        for place in self.places:
            if place.month < start or place.free_places < places or place.free_places <= 0:
                continue
            if age_group is not None and place.age_group not in ("", age_group):
                continue
            seen = best.get(place.kindergarten)
            if seen is None or (place.month, -place.free_places, place.age_group) < (
                seen.month,
                -seen.free_places,
                seen.age_group,
            ):
                best[place.kindergarten] = place
        found = [(kindergarten_score(p.month, wanted), p) for p in best.values()]
        found.sort(key=lambda s: (-s[0], s[1].month, -s[1].free_places, s[1].kindergarten))
        return found[:2]


@pytest.fixture(scope="module")
def data():
    homes, vacancies, places = make_listings()
    assert len(homes) + len(vacancies) + len(places) == 5000
    return homes, vacancies, places, make_households()


def indexed(data):
    homes, vacancies, places, households = data
    index = ListingIndex(homes, vacancies, places, today=TODAY)
    return [match_household(h, index) for h in households]


def full_scan(data, index):
    return [match_household(h, index) for h in data[3]]


def summary(results):
    return [
        (
            [(p.kind, getattr(p.listing, "id", p.listing)) for s in r.suggestions for p in s.parts],
            [(g.code, g.params) for g in r.gaps],
        )
        for r in results
    ]


def test_the_baseline_agrees(data):
    homes, vacancies, places, _households = data
    scan = FullScan(homes, vacancies, places, today=TODAY)
    assert summary(full_scan(data, scan)[:200]) == summary(indexed(data)[:200])


def test_indexed_engine(benchmark, data):
    results = benchmark.pedantic(indexed, args=(data,), rounds=5, iterations=1, warmup_rounds=1)
    assert len(results) == 1000
    assert sum(bool(r.suggestions) for r in results) > 900


def test_full_scan_baseline(benchmark, data):
    homes, vacancies, places, _households = data
    scan = FullScan(homes, vacancies, places, today=TODAY)
    results = benchmark.pedantic(full_scan, args=(data, scan), rounds=1, iterations=1)
    assert len(results) == 1000
