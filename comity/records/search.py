"""Searching a register for a person: blocking keys first, then the engine's scoring.

The query's keys are looked up in ``NameKey`` (one index range per key); only the persons
found there are read and scored, so a search costs the same on 10,000 or 1,000,000 persons
as long as keys stay selective (docs/records.md, bench/matching/).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from comity.records import matching
from comity.records.models import NameKey, Person, Register
from comity.records.persons import born_number, other_names_of

# A search reads the POOL persons sharing the most keys with the query, where a key of two
# name parts together ("p:", docs/MATCHING-ENGINE.md) counts as much as four of one part;
# ranks them again with the birth date and nationality, and scores the best SCORED fully.
POOL = 300
SCORED = 80
PAIR_WEIGHT = 4


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    ref: str
    score: float
    explanation: str
    reasons: tuple[matching.Reason, ...]


# A one-part key (k:, t:) shared by more persons than this, in every register searched, is
# left out of the candidate query: a common given name (Nurlan, Maksim) would make the query
# read tens of thousands of postings at a million persons for candidates that its pair keys
# and the birth date rank anyway. Counts are capped (LIMIT) and kept an hour per process.
COMMON = 10000
_COUNT_TTL = 3600.0
_counts: dict[tuple[int, str], tuple[int, float]] = {}


def _posting_counts(register_ids: Sequence[int], keys: Sequence[str]) -> dict[tuple[int, str], int]:
    """Postings per (register, key), counted up to COMMON + 1, from the cache or one query."""
    now = time.monotonic()
    wanted = [(r, k) for r in register_ids for k in keys]
    missing = [
        pair for pair in wanted if now - _counts.get(pair, (0, -_COUNT_TTL))[1] >= _COUNT_TTL
    ]
    if missing:
        quote = connection.ops.quote_name
        table = quote(NameKey._meta.db_table)
        one = (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {quote('register_id')} = %s "  # noqa: S608
            f"AND {quote('key')} = %s LIMIT {COMMON + 1}) AS postings"
        )
        sql = " UNION ALL ".join(f"SELECT {i}, ({one})" for i in range(len(missing)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for pair in missing for value in pair])
            for index, count in cursor.fetchall():
                _counts[missing[index]] = (int(count), now)
        if len(_counts) > 200_000:
            _counts.clear()
    return {pair: _counts[pair][0] for pair in wanted if pair in _counts}


def selective_keys(register_ids: Sequence[int], keys: set[str]) -> set[str]:
    """``keys`` without the one-part keys too common to help (all of them if none is left)."""
    singles = sorted(key for key in keys if not key.startswith("p:"))
    if not singles:
        return keys
    counts = _posting_counts(register_ids, singles)
    common = {
        key
        for key in singles
        if all(counts.get((register, key), 0) > COMMON for register in register_ids)
    }
    kept = keys - common
    return kept or keys


def candidate_ids(
    *,
    register_ids: Sequence[int],
    keys: set[str],
    limit: int = POOL,
    birth_date: str | None = None,
) -> list[tuple[int, int]]:
    """(person id, weight) for the persons sharing the most keys with the query, most first.

    The weight adds the birth date the index carries (``NameKey.born``): the same date 6,
    the same year and month 4, the same year 3, so that among a thousand namesakes the
    ones born when the query says come into the pool.
    """
    if not keys or not register_ids:
        return []
    quote = connection.ops.quote_name
    table = quote(NameKey._meta.db_table)
    key_list = sorted(keys)
    weight = f"SUM(CASE WHEN SUBSTR({quote('key')}, 1, 2) = 'p:' THEN {PAIR_WEIGHT} ELSE 1 END)"
    params: list[int] = []
    asked = born_number(birth_date or "")
    if asked is not None:
        born = quote("born")
        month = asked // 100 if asked % 10000 >= 100 else -1
        weight += (
            f" + MAX(CASE WHEN {born} = %s THEN 6 WHEN {born} / 100 = %s THEN 4 "
            f"WHEN {born} / 10000 = %s THEN 3 ELSE 0 END)"
        )
        params += [asked if asked % 100 else -1, month, asked // 10000]
    sql = (
        f"SELECT {quote('person_id')}, {weight} FROM {table} "  # noqa: S608 (names are ours)
        f"WHERE {quote('register_id')} IN ({', '.join(['%s'] * len(register_ids))}) "
        f"AND {quote('key')} IN ({', '.join(['%s'] * len(key_list))}) "
        f"GROUP BY {quote('person_id')} ORDER BY 2 DESC, {quote('person_id')} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *register_ids, *key_list, limit])
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
    keys = selective_keys(register_ids, matching.query_keys(name))
    pool = candidate_ids(register_ids=register_ids, keys=keys, birth_date=birth_date)
    query = matching.Query(
        name=name, birth_date=birth_date or None, nationality=nationality or None
    )
    weights = dict(pool)
    rows = _rows([pk for pk, _weight in pool])
    bare = {row[0]: _record(row, {}) for row in rows}
    if len(rows) > SCORED:
        rows.sort(key=lambda row: -_prescore(query, weights[row[0]], bare[row[0]]))
        rows = rows[:SCORED]
    others = other_names_of([row[0] for row in rows])
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
