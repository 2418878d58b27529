"""Searching a register for a person: blocking keys first, then the engine's scoring.

The query's keys are looked up in ``NameKey`` (one index range per key); only the persons
found there are read and scored, so a search costs the same on 10,000 or 1,000,000 persons
as long as keys stay selective (docs/records.md, bench/matching/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from comity.records import matching
from comity.records.models import NameKey, Person, PersonName, Register

# A search reads the POOL persons sharing the most keys with the query, where a key of two
# name parts together ("p:", docs/MATCHING-ENGINE.md) counts as much as four of one part;
# ranks them again with the birth date and nationality, and scores the best SCORED fully.
POOL = 400
SCORED = 80
PAIR_WEIGHT = 4


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    ref: str
    score: float
    explanation: str
    reasons: tuple[matching.Reason, ...]


def candidate_ids(
    *, register_ids: Sequence[int], keys: set[str], limit: int = POOL
) -> list[tuple[int, int]]:
    """(person id, weight of the keys shared) for the persons sharing the most, most first."""
    if not keys or not register_ids:
        return []
    quote = connection.ops.quote_name
    table = quote(NameKey._meta.db_table)
    key_list = sorted(keys)
    weight = f"SUM(CASE WHEN SUBSTR({quote('key')}, 1, 2) = 'p:' THEN {PAIR_WEIGHT} ELSE 1 END)"
    sql = (
        f"SELECT {quote('person_id')}, {weight} FROM {table} "  # noqa: S608 (names are ours)
        f"WHERE {quote('register_id')} IN ({', '.join(['%s'] * len(register_ids))}) "
        f"AND {quote('key')} IN ({', '.join(['%s'] * len(key_list))}) "
        f"GROUP BY {quote('person_id')} ORDER BY 2 DESC, {quote('person_id')} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*register_ids, *key_list, limit])
        return [(row[0], int(row[1])) for row in cursor.fetchall()]


def _in(column: str, count: int) -> str:
    return f"{connection.ops.quote_name(column)} IN ({', '.join(['%s'] * count)})"


def _rows(person_ids: list[int]) -> list[tuple[int, str, str, str, str, str]]:
    """(id, ref, full name, birth date, nationalities, father's name) per person: plain SQL,
    as a search reads hundreds of rows and the ORM's lookups cost more than the query."""
    if not person_ids:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c) for c in ("id", "ref", "full_name", "birth_date", "nationalities", "father_name")
    )
    sql = f"SELECT {columns} FROM {quote(Person._meta.db_table)} WHERE {_in('id', len(person_ids))}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, person_ids)
        return [tuple(row) for row in cursor.fetchall()]


def _other_names(person_ids: list[int]) -> dict[int, list[str]]:
    others: dict[int, list[str]] = {}
    if not person_ids:
        return others
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('person_id')}, {quote('name')} FROM {quote(PersonName._meta.db_table)} "  # noqa: S608
        f"WHERE {_in('person_id', len(person_ids))} ORDER BY {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, person_ids)
        for person_id, name in cursor.fetchall():
            others.setdefault(person_id, []).append(name)
    return others


def _record(
    row: tuple[int, str, str, str, str, str], others: dict[int, list[str]]
) -> matching.PersonRecord:
    pk, ref, full_name, birth_date, nationalities, father_name = row
    return matching.PersonRecord(
        ref=ref,
        names=(full_name, *others.get(pk, ())),
        birth_date=birth_date or None,
        nationalities=tuple(nationalities.split()),
        father_name=father_name or None,
    )


def records_for(person_ids: list[int]) -> list[tuple[int, matching.PersonRecord]]:
    rows = _rows(person_ids)
    others = _other_names(person_ids)
    return [(row[0], _record(row, others)) for row in rows]


def _prescore(query: matching.Query, weight: int, record: matching.PersonRecord) -> int:
    """A cheap rank before the full score: shared keys, then birth date and nationality."""
    bonus = 0
    born, asked = record.birth_date or "", query.birth_date or ""
    if born and asked:
        if born == asked:
            bonus += 6
        elif born[:4] == asked[:4]:
            bonus += 3
        elif abs(int(born[:4]) - int(asked[:4])) > 1:  # a year off by one is a common slip
            bonus -= 2
    if query.nationality and query.nationality in record.nationalities:
        bonus += 1
    return weight + bonus


def search_persons(
    *,
    name: str,
    birth_date: str | None = None,
    nationality: str | None = None,
    top: int = 10,
    register: Register | None = None,
    registers: Sequence[Register] | None = None,
) -> list[Candidate]:
    """The ``top`` best candidates for a person, best first, each with its explanation.

    Searches ``register`` (or ``registers``); with neither, every register of the node (used
    by the command line and the benchmark, never by a view: views pass the user's register).
    """
    if register is not None:
        register_ids = [register.pk]
    elif registers is not None:
        register_ids = [r.pk for r in registers]
    else:
        register_ids = list(Register.objects.values_list("pk", flat=True))
    pool = candidate_ids(register_ids=register_ids, keys=matching.query_keys(name))
    query = matching.Query(
        name=name, birth_date=birth_date or None, nationality=nationality or None
    )
    weights = dict(pool)
    rows = _rows([pk for pk, _weight in pool])
    bare = {row[0]: _record(row, {}) for row in rows}
    if len(rows) > SCORED:
        rows.sort(key=lambda row: -_prescore(query, weights[row[0]], bare[row[0]]))
        rows = rows[:SCORED]
    others = _other_names([row[0] for row in rows])
    results = []
    for row in rows:
        record = _record(row, others) if row[0] in others else bare[row[0]]
        results.append((row[0], record, matching.score(query, record)))
    results.sort(key=lambda item: (-item[2].score, item[1].ref))
    return [
        Candidate(
            person_id=pk,
            ref=record.ref,
            score=round(result.score, 4),
            explanation=result.explanation(),
            reasons=result.reasons,
        )
        for pk, record, result in results[:top]
    ]
