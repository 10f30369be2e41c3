"""The labelled honesty corpus (honesty_corpus.txt), the fixed capacity it is labelled against, and its scores.

Shared by tests/plan/test_honesty_corpus.py (asserts the goals on the tuning part) and
bench/bench_honesty.py (reports every figure, the held-out part separately).

Scores, counted per (sentence, subject):

* claim detection: recall and precision of the subjects found (a negated claim counts as not found);
* verdicts: of the claims found and labelled, the share with the labelled verdict;
* unsupported recall: of the labelled unsupported promises, the share the checker flags as unsupported;
* false alarms: of the claims the checker flags as unsupported, the share not labelled unsupported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from blilyst.plan.capacity import Capacity
from blilyst.plan.honesty import UNSUPPORTED, Thresholds, check_campaign

CORPUS_FILE = Path(__file__).with_name("honesty_corpus.txt")
HELD_OUT_MARK = "## HELD OUT"

CORPUS_CAPACITY = Capacity(
    housing={"rental": 0, "for_sale": 4, "small_farm": 2, "plot": 0, "trial_housing": 1},
    housing_prices={
        "rental": (),
        "for_sale": (1_850_000, 2_750_000, 3_400_000, 4_200_000),
        "small_farm": (2_900_000, 3_600_000),
        "plot": (),
        "trial_housing": (7_000,),
    },
    kindergarten_free={1: 3, 2: 2, 3: 2, 4: 1, 5: 1, 6: 4, 7: 4, 8: 6, 9: 5, 10: 3, 11: 2, 12: 0},
    vacancies={"health": 5, "industry": 4, "technology": 1, "tourism": 2, "education": 0, "construction": 0},
    occupations={
        "sykepleier": 3,
        "helsefagarbeider": 2,
        "prosessoperatør": 3,
        "ingeniør": 1,
        "utvikler": 1,
        "kokk": 2,
    },
    offers={"coworking": 1, "artist_studio": 0, "host": 4},
    as_of=dt.date(2026, 9, 1),
)
CORPUS_RULES = Thresholds(many=10, rent_limit=8_000, price_limit=2_500_000)


@dataclass(frozen=True)
class Item:
    lang: str
    sentence: str
    claims: frozenset[tuple[str, str]]  # (subject, verdict)
    held_out: bool


def load_corpus(path: Path = CORPUS_FILE) -> list[Item]:
    items, held_out = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(HELD_OUT_MARK):
            held_out = True
            continue
        if not line.strip() or line.startswith("#"):
            continue
        lang, sentence, labels = (part.strip() for part in line.split(" | "))
        claims = frozenset(
            tuple(x.strip().split("="))
            for x in labels.split(",")
            if labels != "-"  # type: ignore[misc]
        )
        items.append(Item(lang, sentence, claims, held_out))
    return items


@dataclass(frozen=True)
class Scores:
    sentences: int
    labelled_claims: int
    found_claims: int
    detection_recall: float
    detection_precision: float
    verdict_accuracy: float
    unsupported_labelled: int
    unsupported_recall: float
    unsupported_flagged: int
    false_alarm_rate: float
    misses: tuple[str, ...]


def predict(item: Item) -> frozenset[tuple[str, str]]:
    report = check_campaign(item.sentence, CORPUS_CAPACITY, CORPUS_RULES)
    return frozenset((c.kind, c.verdict) for c in report.claims)


def score(items: list[Item]) -> Scores:
    labelled = found = hit = right = 0
    unsupported_labelled = unsupported_caught = flagged = false_alarms = 0
    misses = []
    for item in items:
        got = predict(item)
        gold_subjects = {s for s, _v in item.claims}
        got_subjects = {s for s, _v in got}
        labelled += len(gold_subjects)
        found += len(got_subjects)
        hit += len(gold_subjects & got_subjects)
        right += len(item.claims & got)
        gold_unsupported = {s for s, v in item.claims if v == UNSUPPORTED}
        got_unsupported = {s for s, v in got if v == UNSUPPORTED}
        unsupported_labelled += len(gold_unsupported)
        unsupported_caught += len(gold_unsupported & got_unsupported)
        flagged += len(got_unsupported)
        false_alarms += len(got_unsupported - gold_unsupported)
        if got != item.claims:
            misses.append(f"{item.sentence} | labelled {sorted(item.claims)} | got {sorted(got)}")
    return Scores(
        sentences=len(items),
        labelled_claims=labelled,
        found_claims=found,
        detection_recall=hit / labelled if labelled else 1.0,
        detection_precision=hit / found if found else 1.0,
        verdict_accuracy=right / hit if hit else 1.0,
        unsupported_labelled=unsupported_labelled,
        unsupported_recall=unsupported_caught / unsupported_labelled if unsupported_labelled else 1.0,
        unsupported_flagged=flagged,
        false_alarm_rate=false_alarms / flagged if flagged else 0.0,
        misses=tuple(misses),
    )
