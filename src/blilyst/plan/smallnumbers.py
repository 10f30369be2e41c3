"""The one small-number rule for every table, page, export and API answer built from the newcomer service.

Counts of people or households from a small municipality's own records can point at one family. blilyst
therefore shows them by one rule, here, and nowhere else:

* **Counts of 1 and 2 are hidden** (:data:`MIN_COUNT` = 3). Zero is shown: it names nobody.
* **Whatever would let a reader compute a hidden count is hidden too** (complementary suppression). When a
  table's total is shown or known elsewhere (the funnel's "moved in" is the total of the table by target
  group), one hidden cell could be recovered as total − shown; so further cells, smallest first, are hidden
  until at least two are hidden and together they hold at least :data:`MIN_COUNT`. If that cannot be
  reached, the whole breakdown is hidden.
* **Percentages and medians only from 5 cases up** (:data:`MIN_BASE`): a share of two households, or the
  median of three, is a statement about individuals.

Statistics Norway's own rules for small municipalities follow the same idea (suppress small cells and the
cells that reveal them); the thresholds here are deliberately simple so a planner can explain them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

MIN_COUNT = 3  # counts 1 .. MIN_COUNT - 1 are hidden
MIN_BASE = 5  # a percentage or a median needs at least this many cases


def is_small(count: float) -> bool:
    """A count that would be hidden on its own (1 or 2; not 0, not a missing value)."""
    return not math.isnan(count) and 0 < count < MIN_COUNT


def hidden_cells(counts: Sequence[float], total_known: bool = True) -> list[bool]:
    """Which cells of one breakdown to hide: the small ones and, when the total is known, as many more
    (smallest first) as it takes for the hidden ones not to be computable from the total."""
    hide = [is_small(c) for c in counts]
    if not total_known or not any(hide):
        return hide

    def safe() -> bool:
        hidden = [c for c, h in zip(counts, hide, strict=True) if h]
        return len(hidden) >= 2 and sum(hidden) >= MIN_COUNT

    order = sorted((c, i) for i, c in enumerate(counts) if not hide[i] and c > 0)
    for _count, i in order:
        if safe():
            break
        hide[i] = True
    if not safe():  # not enough cells to hide the small ones among: hide the whole breakdown
        return [c > 0 for c in counts]
    return hide


def share(part: float, base: float) -> float | None:
    """``part / base``, or ``None`` when the base is under :data:`MIN_BASE` cases or a count is hidden."""
    if base < MIN_BASE or is_small(part) or math.isnan(part) or math.isnan(base):
        return None
    return part / base


def median(values: Sequence[float]) -> float | None:
    """The median, or ``None`` for fewer than :data:`MIN_BASE` values."""
    if len(values) < MIN_BASE:
        return None
    return float(statistics.median(values))
