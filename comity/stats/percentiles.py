"""Exact percentiles from counted durations, the same on SQLite and PostgreSQL.

The percentile q of n sorted values v[0..n-1] is v[k] + (v[k+1] - v[k]) * f where
(n - 1) * q = k + f, k whole: linear interpolation between order statistics, as PostgreSQL's
``percentile_cont`` and Python's ``statistics.quantiles(method="inclusive")``.

The database groups the durations (``value -> count``), numbers them with a running sum and
returns only the rows that hold the order statistics k and k + 1 of each wanted percentile:
at most four rows per group, whatever the number of requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from comity.stats.relation import Branch, Relation, fetch

# The percentiles of the dashboard: the median and the 90th, as exact fractions.
MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)
QUANTILES: tuple[Fraction, ...] = (MEDIAN, P90)
HOURS_PER_DAY = 24
TENTH = Decimal("0.1")


@dataclass
class Group:
    """The counted values of one group that the percentiles need."""

    n: int = 0
    # (first position, last position, value): runs of equal values, sorted.
    runs: list[tuple[int, int, int]] = field(default_factory=list)

    def at(self, position: int) -> int:
        for first, last, value in self.runs:
            if first <= position <= last:
                return value
        raise KeyError(position)

    def quantile(self, q: Fraction) -> Fraction | None:
        if self.n == 0:
            return None
        exact = (self.n - 1) * q
        k = exact.numerator // exact.denominator
        fraction = exact - k
        low = Fraction(self.at(k))
        if fraction == 0:
            return low
        return low + (Fraction(self.at(k + 1)) - low) * fraction


def quantile(values: Sequence[int], q: Fraction) -> Fraction | None:
    """The same interpolation over plain values (small lists: extracts, tests)."""
    ordered = sorted(values)
    group = Group(n=len(ordered), runs=[(i, i, v) for i, v in enumerate(ordered)])
    return group.quantile(q)


def days(hours: Fraction | None) -> Decimal | None:
    """Hours as days, rounded to one decimal (half up)."""
    if hours is None:
        return None
    exact = Decimal(hours.numerator) / Decimal(hours.denominator) / HOURS_PER_DAY
    return exact.quantize(TENTH, rounding=ROUND_HALF_UP)


def _positions_sql(quantiles: Iterable[Fraction]) -> str:
    """A condition true for the rows holding order statistic k or k + 1 of each quantile."""
    wanted: list[str] = []
    for q in quantiles:
        k = f"(((w.n - 1) * {q.numerator}) / {q.denominator})"
        for position in (k, f"({k} + 1)"):
            wanted.append(f"(w.cum - w.c <= {position} AND {position} < w.cum)")
    return " OR ".join(wanted)


def grouped(
    source: QuerySet[Any] | Relation,
    value: str,
    keys: Sequence[str] = (),
    quantiles: Sequence[Fraction] = QUANTILES,
) -> dict[tuple[Any, ...], Group]:
    """The groups (by ``keys``, columns of the relation) of the non-null ``value`` column,
    each with the runs that the quantiles fall on. One query."""
    relation = source if isinstance(source, Relation) else Relation.of([Branch(source)])
    if not relation.sql:
        return {}
    picked = "".join(f"f.{key} AS g{i}, " for i, key in enumerate(keys))
    grouping = "".join(f"f.{key}, " for key in keys)
    histogram = (
        f"SELECT {picked}f.{value} AS v, COUNT(*) AS c FROM ({relation.sql}) f "  # noqa: S608
        f"WHERE f.{value} IS NOT NULL GROUP BY {grouping}f.{value}"
    )
    return _order_statistics(histogram, relation.params, len(keys), quantiles)


def _order_statistics(
    histogram: str, params: Sequence[Any], width: int, quantiles: Sequence[Fraction]
) -> dict[tuple[Any, ...], Group]:
    """Number the counted values of each group (columns g0.., v, c of ``histogram``) with a
    running sum and keep the rows that hold order statistics k and k + 1."""
    aliases = [f"g{i}" for i in range(width)]
    partition = f"PARTITION BY {', '.join(f'h.{a}' for a in aliases)} " if aliases else ""
    selected = "".join(f"w.{alias}, " for alias in aliases)
    sql = (
        f"SELECT {selected}w.v, w.c, w.cum, w.n FROM ("  # noqa: S608 (names are ours)
        f"SELECT h.*, "
        f"CAST(SUM(h.c) OVER ({partition}ORDER BY h.v ROWS BETWEEN UNBOUNDED PRECEDING "
        f"AND CURRENT ROW) AS BIGINT) AS cum, "
        f"CAST(SUM(h.c) OVER ({partition.strip()}) AS BIGINT) AS n "
        f"FROM ({histogram}) h) w WHERE {_positions_sql(quantiles)}"
    )
    found: dict[tuple[Any, ...], Group] = {}
    for row in fetch(sql, params):
        key = tuple(row[:width])
        v, c, cum, n = (int(x) for x in row[width:])
        group = found.setdefault(key, Group(n=n))
        group.runs.append((cum - c, cum - 1, v))
    for group in found.values():
        group.runs.sort()
    return found
