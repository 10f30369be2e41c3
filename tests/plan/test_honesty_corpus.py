"""The honesty check measured on the labelled corpus (tests/plan/honesty_corpus.txt).

The goals of issue 10 are asserted on the tuning part. The held-out part (the last fifth of the corpus, written
before the checker was tuned) is only reported: its figures are printed with ``-s`` and in
bench/bench_honesty.py, and this test fails only if the held-out part stops being held out or far worse.
"""

from __future__ import annotations

import pytest
from tests.plan.honesty_corpus import load_corpus, score

ITEMS = load_corpus()
TUNING = [i for i in ITEMS if not i.held_out]
HELD_OUT = [i for i in ITEMS if i.held_out]


def test_the_corpus_is_big_enough_in_both_standards_and_holds_out_a_fifth():
    assert len(ITEMS) >= 150
    assert {i.lang for i in ITEMS} == {"nb", "nn"}
    assert sum(i.lang == "nn" for i in ITEMS) >= 40
    assert 0.2 <= len(HELD_OUT) / len(ITEMS) <= 0.25
    assert sum(not i.claims for i in ITEMS) >= 25  # sentences that promise nothing (negations, idyll, welcome)


def test_the_goals_hold_on_the_tuning_part():
    scores = score(TUNING)
    assert scores.unsupported_recall >= 0.95, scores.misses
    assert scores.false_alarm_rate <= 0.05, scores.misses
    assert scores.detection_recall >= 0.95 and scores.detection_precision >= 0.95, scores.misses


def test_the_held_out_part_is_reported(capsys: pytest.CaptureFixture[str]):
    scores = score(HELD_OUT)
    with capsys.disabled():
        print(
            f"\nheld out ({scores.sentences} sentences): unsupported recall {scores.unsupported_recall:.1%}, "
            f"false alarms {scores.false_alarm_rate:.1%}, detection recall {scores.detection_recall:.1%}, "
            f"precision {scores.detection_precision:.1%}, verdicts {scores.verdict_accuracy:.1%}"
        )
        for miss in scores.misses:
            print("  miss:", miss)
    # Not a goal (that would tune on it), only a floor that catches a broken reader.
    assert scores.unsupported_recall >= 0.5 and scores.detection_recall >= 0.5
