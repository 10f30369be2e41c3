"""How well the honesty check reads: recall and precision on the labelled corpus, tuning and held-out parts.

Run: ``.venv/bin/python -m pytest bench/bench_honesty.py --benchmark-only -p no:randomly -s``
or as a script: ``PYTHONPATH=src:. .venv/bin/python bench/bench_honesty.py``.

The corpus is tests/plan/honesty_corpus.txt (259 sentences in bokmål and nynorsk; the part after "## HELD OUT",
20 %, was written before the checker was last tuned and is never tuned on; docs/honesty.md tells the order).
Counted per (sentence, subject): claim detection recall and
precision, the share of detected claims with the labelled verdict, the share of labelled *unsupported*
promises the checker flags (goal ≥ 95 %), and the share of its *unsupported* flags that are wrong (goal
≤ 5 %). This is a measure of accuracy, not of speed; the benchmark's timing (the whole corpus, once) is only
there so ``--benchmark-only`` runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.plan.honesty_corpus import Scores, load_corpus, score


def _line(name: str, s: Scores) -> str:
    return (
        f"{name:<9} {s.sentences:>3} sentences | claims: recall {s.detection_recall:6.1%} "
        f"precision {s.detection_precision:6.1%} | verdicts right {s.verdict_accuracy:6.1%} | "
        f"unsupported caught {s.unsupported_recall:6.1%} ({round(s.unsupported_recall * s.unsupported_labelled)}"
        f"/{s.unsupported_labelled}) | false alarms {s.false_alarm_rate:5.1%} of {s.unsupported_flagged} flags"
    )


def report() -> dict[str, Scores]:
    items = load_corpus()
    parts = {
        "tuning": [i for i in items if not i.held_out],
        "held out": [i for i in items if i.held_out],
        "all": items,
    }
    return {name: score(part) for name, part in parts.items()}


@pytest.mark.benchmark(group="honesty")
def test_corpus_scores(benchmark: pytest.FixtureRequest) -> None:
    results = benchmark.pedantic(report, rounds=1, iterations=1)
    for name, s in results.items():
        print(_line(name, s))
        benchmark.extra_info[name] = {
            "unsupported_recall": s.unsupported_recall,
            "false_alarm_rate": s.false_alarm_rate,
            "detection_recall": s.detection_recall,
            "detection_precision": s.detection_precision,
            "verdict_accuracy": s.verdict_accuracy,
        }
    for miss in results["held out"].misses:
        print("  held-out miss:", miss)


if __name__ == "__main__":
    for name, s in report().items():
        print(_line(name, s))
