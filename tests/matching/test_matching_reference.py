"""The indexed engine against a slow reference that scans every listing, on random municipalities."""

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
WORDS = [
    "sykepleier",
    "intensivsykepleier",
    "lærer",
    "barnehagelærer",
    "lege",
    "fastlege",
    "kokk",
    "snekker",
    "daglig leder",
    "leder",
    "ingeniør",
    "sivilingeniør",
]
SECTORS = ["health", "education", "tourism", "construction"]


class Reference(ListingIndex):
    """Every candidate search is a loop over every listing, using the engine's scalar scores."""

    def housing_candidates(self, needs):
        fits, scored = [], []
        for listing in self.housing:
            score = housing_score(listing, needs)
            fits.append(score is not None)
            if score is not None:
                scored.append((score, listing))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        return scored[:3], np.array(fits, dtype=bool)

    def job_candidates(self, adult):
        scored = [(s, j) for j in self.jobs if (s := job_score(j, adult)) is not None]
        scored.sort(key=lambda s: (-s[0], s[1].id))
        return scored[:3]

    def __init__(self, housing, jobs, kindergartens, today):
        super().__init__(housing, jobs, kindergartens, today=today)
        self.places = [p for p in kindergartens if p.free_places > 0]

    def kindergarten_candidates(self, wanted, age_group=None, places=1):
        first: dict[str, KindergartenPlaces] = {}
        for place in self.places:
            fits = age_group is None or place.age_group in ("", age_group)
            if fits and place.month >= wanted.replace(day=1) and place.free_places >= places:
                seen = first.get(place.kindergarten)
                # the earliest month; in one month the most free places, then the row of any age first
                if seen is None or (place.month, -place.free_places, place.age_group) < (
                    seen.month,
                    -seen.free_places,
                    seen.age_group,
                ):
                    first[place.kindergarten] = place
        found = [(kindergarten_score(p.month, wanted), p) for p in first.values()]
        found.sort(key=lambda s: (-s[0], s[1].month, -s[1].free_places, s[1].kindergarten))
        return found[:2]


def random_case(seed: int):
    rng = random.Random(seed)
    housing = [
        HousingListing(
            i,
            rng.choice(["sale", "rent", "trial"]),
            rng.randint(1, 5),
            rng.choice([7_000, 9_000, 12_000, 2_000_000, 3_500_000]),
            TODAY + dt.timedelta(days=rng.randint(0, 300)),
        )
        for i in range(rng.randint(0, 40))
    ]
    jobs = [
        JobListing(
            100 + i,
            rng.choice(WORDS),
            f"Arbeidsgiver {i}",
            rng.choice(SECTORS),
            deadline=TODAY + dt.timedelta(days=rng.randint(-20, 60)) if rng.random() < 0.5 else None,
            positions=rng.choice([1, 2]),
        )
        for i in range(rng.randint(0, 30))
    ]
    places = [
        KindergartenPlaces(
            f"Barnehage {rng.randint(1, 4)}",
            dt.date(2027, m, 1),
            rng.randint(0, 3),
            rng.choice(["", "under_3", "over_3"]),
        )
        for m in rng.sample(range(1, 13), rng.randint(0, 8))
    ]
    households = [
        HouseholdNeeds(
            ref=h,
            adults=tuple(
                AdultNeeds(
                    a + 1,
                    tuple(rng.sample(WORDS, rng.randint(0, 2))),
                    tuple(rng.sample(SECTORS, rng.randint(0, 1))),
                    rng.random() < 0.15,
                )
                for a in range(rng.randint(0, 3))
            ),
            housing_kinds=frozenset(rng.sample(["sale", "rent", "trial"], rng.randint(0, 2))),
            min_bedrooms=rng.randint(0, 4),
            max_rent=rng.choice([None, 10_000]),
            max_price=rng.choice([None, 2_500_000]),
            housing_from=rng.choice([None, TODAY + dt.timedelta(days=rng.randint(0, 200))]),
            children=tuple(
                ChildNeeds(c + 1, dt.date(2027, rng.randint(1, 12), 1), rng.choice([None, 2023, 2025]))
                for c in range(rng.randint(0, 3))
            ),
        )
        for h in range(20)
    ]
    return housing, jobs, places, households


def summary(result):
    return (
        [
            (s.score, [(p.kind, p.adult, p.child, getattr(p.listing, "id", p.listing)) for p in s.parts])
            for s in result.suggestions
        ],
        [(g.key, g.code, g.params) for g in result.gaps],
    )


@pytest.mark.parametrize("seed", range(25))
def test_the_index_finds_what_a_full_scan_finds(seed):
    housing, jobs, places, households = random_case(seed)
    fast = ListingIndex(housing, jobs, places, today=TODAY)
    slow = Reference(housing, jobs, places, today=TODAY)
    for needs in households:
        assert summary(match_household(needs, fast)) == summary(match_household(needs, slow))
