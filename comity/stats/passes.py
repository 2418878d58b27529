"""One pass over the facts for most of a dashboard (docs/stats.md, "How it is computed").

Several groupings of the same rows come back from one statement: on PostgreSQL one scan
with GROUPING SETS, elsewhere a UNION ALL of the groupings. The result is the same:
- volumes: (type, month, counterpart, direction) -> requests
- the histogram of each step's duration: hours -> requests (the percentiles and the
  distributions are computed from them in Python, exactly)
- the summary: (info rounds 0-3+, refusal ground if refused, age bucket if open, overdue)
- for the network, pairs: (requesting state, requested state, instrument, outcome class)
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from comity.stats.models import DECIDED, OPEN_OUTCOMES, Outcome
from comity.stats.relation import Relation, day, fetch, moment

# Durations in hours, in the order of comity.stats.queries.STEPS.
STEP_COLUMNS: tuple[str, ...] = (
    "hours_to_ack",
    "hours_ack_to_execution",
    "hours_execution_to_done",
    "hours_to_done",
)
# The last day of each age bucket but the last (comity.stats.queries.BUCKETS).
AGE_LIMITS: tuple[int, ...] = (7, 30, 90, 180, 365)

_SETS: tuple[tuple[str, ...], ...] = (
    ("t", "m", "cp", "d"),
    ("h0",),
    ("h1",),
    ("h2",),
    ("h3",),
    ("ki", "kg", "ka", "ko"),
    ("rs", "qs", "ins", "oc"),
)


@dataclass
class Pass:
    volumes: list[tuple[str, datetime.date, int, str, int]] = field(default_factory=list)
    histograms: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    summary: list[tuple[int, str | None, int, int, int]] = field(default_factory=list)
    pairs: list[tuple[int, int, str, str, int]] = field(default_factory=list)


def _inner(relation: Relation, now: datetime.datetime) -> tuple[str, list[Any]]:
    # The month is read as text: SQLite would otherwise apply the date converter of that
    # column of the union to every other grouping's values in the same position.
    opened = ", ".join(f"'{o}'" for o in OPEN_OUTCOMES)
    decided = ", ".join(f"'{o}'" for o in DECIDED)
    age = [f"CASE WHEN f.outcome NOT IN ({opened}) THEN -1"]
    params: list[Any] = []
    for index, last in enumerate(AGE_LIMITS):
        age.append(f"WHEN f.submitted_at > %s THEN {index}")
        params.append(moment(now - datetime.timedelta(days=last + 1)))
    age.append(f"ELSE {len(AGE_LIMITS)} END")
    params += [moment(now), moment(now)]
    steps = "".join(f"f.{column} AS h{i}, " for i, column in enumerate(STEP_COLUMNS))
    month = (
        "f.submitted_month"
        if connection.vendor == "postgresql"
        else "CAST(f.submitted_month AS TEXT)"
    )
    sql = (
        f"SELECT f.type AS t, {month} AS m, f.cp AS cp, f.d AS d, {steps}"  # noqa: S608 (names are ours)
        "CASE WHEN f.info_rounds >= 3 THEN 3 ELSE f.info_rounds END AS ki, "
        f"CASE WHEN f.outcome = '{Outcome.REFUSED.value}' THEN f.refusal_ground END AS kg, "
        f"{' '.join(age)} AS ka, "
        "CASE WHEN f.response_due < %s OR (f.acknowledged_at IS NULL "
        "AND f.acknowledgement_due < %s) THEN 1 ELSE 0 END AS ko, "
        "f.requesting_state_id AS rs, f.requested_state_id AS qs, f.instrument AS ins, "
        f"CASE WHEN f.outcome = '{Outcome.REFUSED.value}' THEN 'r' "
        f"WHEN f.outcome IN ({decided}) THEN 'd' ELSE '' END AS oc "
        f"FROM ({relation.sql}) f"
    )
    return sql, params + list(relation.params)


def one_pass(relation: Relation, now: datetime.datetime, *, network: bool) -> Pass:
    result = Pass()
    if not relation.sql:
        return result
    sets = _SETS if network else _SETS[:-1]
    inner, params = _inner(relation, now)
    rows: list[tuple[int, tuple[Any, ...], int]] = []
    if connection.vendor == "postgresql":
        used = tuple(name for names in sets for name in names)
        columns = ", ".join(used)
        grouping = ", ".join(f"({', '.join(names)})" for names in sets)
        sql = (
            f"SELECT GROUPING({columns}), {columns}, COUNT(*) FROM ({inner}) x "  # noqa: S608
            f"GROUP BY GROUPING SETS ({grouping})"
        )
        masks = {_mask(names, used): index for index, names in enumerate(sets)}
        for row in fetch(sql, params):
            index = masks[int(row[0])]
            values = tuple(row[1 + used.index(name)] for name in sets[index])
            rows.append((index, values, int(row[-1])))
    else:
        parts = []
        for index, names in enumerate(sets):
            picked = ", ".join(names)
            parts.append(
                f"SELECT {index}, {picked}{', NULL' * (4 - len(names))}, COUNT(*) "  # noqa: S608
                f"FROM ({inner}) x GROUP BY {picked}"
            )
        for row in fetch(" UNION ALL ".join(parts), params * len(sets)):
            index = int(row[0])
            rows.append((index, tuple(row[1 : 1 + len(sets[index])]), int(row[-1])))
    for index, values, count in rows:
        _collect(result, index, values, count)
    for histogram in result.histograms.values():
        histogram.sort()
    return result


def _mask(names: Sequence[str], used: Sequence[str]) -> int:
    """GROUPING()'s bits: 1 for each column not grouped in this set, first column highest."""
    mask = 0
    for name in used:
        mask = (mask << 1) | (0 if name in names else 1)
    return mask


def _collect(result: Pass, index: int, values: tuple[Any, ...], count: int) -> None:
    if index == 0:
        kind, month, counterpart, direction = values
        result.volumes.append((kind, day(month), int(counterpart), direction, count))
    elif 1 <= index <= len(STEP_COLUMNS):
        if values[0] is not None:
            result.histograms.setdefault(index - 1, []).append((int(values[0]), count))
    elif index == len(STEP_COLUMNS) + 1:
        info, ground, age, overdue = values
        result.summary.append((int(info), ground, int(age), int(overdue), count))
    else:
        origin, target, instrument, outcome = values
        result.pairs.append((int(origin), int(target), instrument, outcome, count))
