"""Small-cell suppression for the network's figures (docs/stats.md, "Suppression").

1. Primary: a figure computed from fewer than ``THRESHOLD`` requests is not shown. A count
   of 1 to 4 is suppressed (0 is shown: it describes no case); a median, a percentile or a
   percentage is suppressed when the requests it is computed from (its denominator) are
   1 to 4 (from none, it is empty: there is nothing to show).
2. Secondary: the cells of a *partition* (rows or buckets that add up to a figure shown
   elsewhere: requests by type add up to all requests, the buckets of a step to that step's
   count) are suppressed together so that no suppressed cell can be recovered by
   subtraction: while fewer than two cells are suppressed or the suppressed cells add up to
   fewer than 5, the smallest shown non-zero cell is suppressed too.
3. No table has a total row; a total is never computed from suppressed cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

THRESHOLD = 5

CellKey = tuple[int, str]  # (row index, column key)


@dataclass
class Plan:
    """What each cell of a table was computed from, and which cells form partitions."""

    bases: dict[CellKey, int] = field(default_factory=dict)
    counts: dict[CellKey, int] = field(default_factory=dict)  # the count cells' values
    partitions: list[list[CellKey]] = field(default_factory=list)

    def count(self, key: CellKey, value: int) -> None:
        self.counts[key] = value
        self.bases[key] = value

    def computed(self, key: CellKey, base: int) -> None:
        self.bases[key] = base

    def partition(self, keys: Iterable[CellKey]) -> None:
        self.partitions.append(list(keys))


def primary(plan: Plan) -> set[CellKey]:
    hidden: set[CellKey] = set()
    for key, base in plan.bases.items():
        if 0 < base < THRESHOLD:
            hidden.add(key)
    return hidden


def secondary(plan: Plan, hidden: set[CellKey]) -> set[CellKey]:
    result = set(hidden)
    for cells in plan.partitions:
        counted = [key for key in cells if key in plan.counts]
        suppressed = [key for key in counted if key in result]
        if not suppressed:
            continue
        shown = sorted(
            (key for key in counted if key not in result and plan.counts[key] > 0),
            key=lambda key: (plan.counts[key], key),
        )
        total = sum(plan.counts[key] for key in suppressed)
        while shown and (len(suppressed) < 2 or total < THRESHOLD):
            extra = shown.pop(0)
            suppressed.append(extra)
            total += plan.counts[extra]
            result.add(extra)
    return result


def suppressed_cells(plan: Plan) -> set[CellKey]:
    return secondary(plan, primary(plan))
