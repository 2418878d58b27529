"""The facts a dashboard reads, as one SQL relation (a UNION ALL of branches).

An authority's requests are two disjoint branches (outgoing: it requests; incoming: it was
asked), each a range of one covering index (comity.stats.models), so that PostgreSQL reads
them from the index alone; the aggregates then run over the union. The network is one
branch. Every column a dashboard needs is in the relation, plus ``d`` (the direction) and
``cp`` (the counterpart state for an authority).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, F, IntegerField, QuerySet, Value

from comity.stats.models import RequestFact

COLUMNS: tuple[str, ...] = (
    "type",
    "submitted_at",
    "submitted_month",
    "requesting_state_id",
    "requested_state_id",
    "instrument",
    "offence_category",
    "outcome",
    "refusal_ground",
    "info_rounds",
    "hours_to_ack",
    "hours_ack_to_execution",
    "hours_execution_to_done",
    "hours_to_done",
    "acknowledged_at",
    "acknowledgement_due",
    "response_due",
)


@dataclass(frozen=True)
class Branch:
    facts: QuerySet[RequestFact]
    direction: str = ""
    counterpart: str = ""  # the column holding the other state, if any


@dataclass(frozen=True)
class Relation:
    sql: str  # "" when nothing can match
    params: tuple[Any, ...]

    @classmethod
    def of(cls, branches: Sequence[Branch]) -> Relation:
        parts: list[str] = []
        params: list[Any] = []
        for branch in branches:
            counterpart = (
                F(branch.counterpart)
                if branch.counterpart
                else Value(0, output_field=IntegerField())
            )
            rows = branch.facts.order_by().values(
                *COLUMNS, d=Value(branch.direction, output_field=CharField()), cp=counterpart
            )
            try:
                sql, given = rows.query.sql_with_params()
            except EmptyResultSet:
                continue
            parts.append(sql)
            params.extend(given)
        return cls(sql=" UNION ALL ".join(parts), params=tuple(params))


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def moment(value: datetime) -> Any:
    """A date and time as a raw parameter (text on SQLite, as Django stores it)."""
    return connection.ops.adapt_datetimefield_value(value)


def day(value: Any) -> date:
    """A date column read through a raw cursor (text on SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
