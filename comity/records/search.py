"""Searching a register for a person: blocking keys first, then the engine's scoring.

The query's keys are looked up in ``NameKey`` (one index range per key); only the persons
found there are read and scored, so a search costs the same on 10,000 or 1,000,000 persons
as long as keys stay selective (docs/records.md, bench/matching/).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from django.db import connection
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from comity.records import matching
from comity.records.models import NameKey, Person, PersonName, Register
from comity.records.persons import born_number

# A search reads the POOL persons sharing the most keys with the query, where a key of two
# name parts together ("p:", docs/MATCHING-ENGINE.md) counts 4, a key code of one part 2, a
# phonetic form 1, plus the birth date the index carries; ranks them again with the birth
# date and nationality, and scores the best SCORED fully.
POOL = 300
SCORED = 80
PAIR_WEIGHT = 4
CODE_WEIGHT = 2
# A query with a full birth date also reads the persons born that day (and on the day with
# day and month swapped), at most BORN_READ, and scores the BORN_SCORED whose stored key
# codes are most like the query's: a name no key finds (a typo in every part, one given
# name alone: سیما, a compound written apart) is still found by its date.
_SAME_DAY = 6  # what the candidate query adds for the asked day
BORN_READ = 400
BORN_SCORED = 5
BORN_LIKENESS = 0.5


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


def _pool_sql(
    *, register_ids: Sequence[int], keys: set[str], birth_date: str | None
) -> tuple[str, list[int | str]]:
    """SQL and parameters of (person id, weight) for the persons sharing the most keys with
    the query, most first, ending in ``LIMIT %s`` (the caller adds the limit)."""
    quote = connection.ops.quote_name
    table = quote(NameKey._meta.db_table)
    key_list = sorted(keys)
    prefix = f"SUBSTR({quote('key')}, 1, 2)"
    weight = (
        f"SUM(CASE WHEN {prefix} = 'p:' THEN {PAIR_WEIGHT} "
        f"WHEN {prefix} = 'k:' THEN {CODE_WEIGHT} ELSE 1 END)"
    )
    params: list[int | str] = []
    asked = born_number(birth_date or "")
    if asked is not None:
        born = quote("born")
        month = asked // 100 if asked % 10000 >= 100 else -1
        year = asked // 10000
        weight += (
            f" + MAX(CASE WHEN {born} = %s THEN {_SAME_DAY} WHEN {born} / 100 = %s THEN 4 "
            f"WHEN {born} / 10000 = %s THEN 3 WHEN {born} / 10000 IN (%s, %s) THEN 1 "
            "ELSE 0 END)"
        )
        params += [asked if asked % 100 else -1, month, year, year - 1, year + 1]
    sql = (
        f"SELECT {quote('person_id')}, {weight} AS weight FROM {table} "  # noqa: S608 (names are ours)
        f"WHERE {_in('register_id', len(register_ids))} AND {_in('key', len(key_list))} "
        f"GROUP BY {quote('person_id')} ORDER BY 2 DESC, {quote('person_id')} LIMIT %s"
    )
    return sql, [*params, *register_ids, *key_list]


def candidate_ids(
    *,
    register_ids: Sequence[int],
    keys: set[str],
    limit: int | None = None,
    birth_date: str | None = None,
) -> list[tuple[int, int]]:
    """(person id, weight) for the persons sharing the most keys with the query, most first.

    The weight adds the birth date the index carries (``NameKey.born``): the same date 6,
    the same year and month 4, the same year 3, a year off by one 1, so that among a
    thousand namesakes the ones born when the query says come into the pool.
    """
    if not keys or not register_ids:
        return []
    sql, params = _pool_sql(register_ids=register_ids, keys=keys, birth_date=birth_date)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit or POOL])
        return [(row[0], int(row[1])) for row in cursor.fetchall()]


PersonRow = tuple[int, str, str, str, str, str]
_COLUMNS = ("id", "ref", "full_name", "birth_date", "nationalities", "father_name")
PoolRow = tuple[PersonRow, int]  # a person and the weight of its keys


def pool_rows(
    *,
    register_ids: Sequence[int],
    keys: set[str],
    limit: int | None = None,
    birth_date: str | None = None,
) -> list[PoolRow]:
    """The persons of ``candidate_ids()`` with what scoring reads of them (id, ref, full name,
    birth date, nationalities, father's name) and their weight, in one query, most first."""
    if not keys or not register_ids:
        return []
    quote = connection.ops.quote_name
    sql, params = _pool_sql(register_ids=register_ids, keys=keys, birth_date=birth_date)
    columns = ", ".join(f"person.{quote(c)}" for c in _COLUMNS)
    joined = (
        f"SELECT {columns}, pool.weight FROM ({sql}) AS pool "  # noqa: S608 (names are ours)
        f"JOIN {quote(Person._meta.db_table)} AS person "
        f"ON person.{quote('id')} = pool.{quote('person_id')} "
        f"ORDER BY pool.weight DESC, person.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(joined, [*params, limit or POOL])
        return [(tuple(row[:-1]), int(row[-1])) for row in cursor.fetchall()]


def asked_days(birth_date: str | None) -> list[str]:
    """The full dates a birth date asks for: itself, and with day and month swapped when
    that is another valid date; none for a partial or missing date."""
    number = born_number(birth_date or "")
    if number is None or number % 100 == 0:
        return []
    year, month, day = number // 10000, number // 100 % 100, number % 100
    days = [f"{year:04d}-{month:02d}-{day:02d}"]
    if day <= 12 and day != month:
        days.append(f"{year:04d}-{day:02d}-{month:02d}")
    return days


def born_rows(
    *, register_ids: Sequence[int], name: str, birth_date: str | None, known: set[int]
) -> list[PersonRow]:
    """Persons born on the asked day who are not in ``known``: the BORN_SCORED whose stored
    key codes are most like the query's (each query code's best normalised Levenshtein
    similarity, averaged), if at least BORN_LIKENESS. Two queries: the keys of the persons
    born that day (two indexes), then the rows of the chosen few."""
    days = asked_days(birth_date)
    wanted = sorted(matching.name_codes(name))
    if not days or not wanted or not register_ids:
        return []
    quote = connection.ops.quote_name
    person, key, person_id = quote(Person._meta.db_table), quote("key"), quote("person_id")
    prefix = f"SUBSTR({key}, 1, 2)"
    sql = (
        f"SELECT {person_id}, {key} FROM {quote(NameKey._meta.db_table)} "  # noqa: S608 (names are ours)
        f"WHERE {person_id} IN (SELECT {quote('id')} FROM {person} "
        f"WHERE {_in('register_id', len(register_ids))} AND {_in('birth_date', len(days))} "
        f"LIMIT {BORN_READ}) AND {prefix} IN ('p:', 'k:') ORDER BY {person_id}"
    )
    owners: list[int] = []
    codes: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*register_ids, *days])
        last, seen = -1, set[str]()
        for owner, stored in cursor.fetchall():
            if owner in known:
                continue
            if owner != last:
                last, seen = owner, set()
            for code in matching.codes_of_keys((stored,)) - seen:
                seen.add(code)
                owners.append(owner)
                codes.append(code)
    if not codes:
        return []
    similar = cdist(wanted, codes, scorer=Levenshtein.normalized_similarity)
    starts = [i for i, owner in enumerate(owners) if i == 0 or owners[i - 1] != owner]
    # Per person (a run of columns), each query code's best similarity, then their mean.
    likeness = numpy.maximum.reduceat(similar, starts, axis=1).mean(axis=0)
    chosen = [
        owners[starts[i]]
        for i in numpy.argsort(-likeness, kind="stable")[:BORN_SCORED]
        if likeness[i] >= BORN_LIKENESS
    ]
    if not chosen:
        return []
    columns = ", ".join(quote(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {person} WHERE {_in('id', len(chosen))}",  # noqa: S608
            chosen,
        )
        rows = {row[0]: row for row in cursor.fetchall()}
    return [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]))
        for r in (rows[pk] for pk in chosen if pk in rows)
    ]


def _in(column: str, count: int) -> str:
    return f"{connection.ops.quote_name(column)} IN ({', '.join(['%s'] * count)})"


def _other_names(person_ids: list[int]) -> dict[int, list[str]]:
    """The other names of each person in the order they were entered: plain SQL, as
    ``persons.other_names_of`` but without the ORM's cost on every search."""
    if not person_ids:
        return {}
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('person_id')}, {quote('name')} FROM {quote(PersonName._meta.db_table)} "  # noqa: S608
        f"WHERE {_in('person_id', len(person_ids))} ORDER BY {quote('id')}"
    )
    found: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, person_ids)
        for person_id, name in cursor.fetchall():
            found.setdefault(person_id, []).append(name)
    return found


def _record(row: PersonRow, others: dict[int, list[str]]) -> matching.PersonRecord:
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


ScoredRow = tuple[int, matching.PersonRecord, matching.Scored]
_FOUND_ON_THE_DAY = 0.95  # a candidate this good and born on the asked day ends the search
_THE_DAY = frozenset({"birth_exact", "birth_transposed"})


def _scored(
    query: matching.Query, bare: list[tuple[PersonRow, int, matching.PersonRecord]]
) -> list[ScoredRow]:
    """Score persons, with their other names (one query for all of them)."""
    others = _other_names([row[0] for row, _weight, _plain in bare])
    results = []
    for row, _weight, plain in bare:
        record = _record(row, others) if row[0] in others else plain
        results.append((row[0], record, matching.score(query, record)))
    return results


def _found_on_the_day(scored: matching.Scored) -> bool:
    return scored.score >= _FOUND_ON_THE_DAY and any(r.code in _THE_DAY for r in scored.reasons)


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
    keys -= matching.redundant_keys(name, keys)
    pool = pool_rows(register_ids=register_ids, keys=keys, birth_date=birth_date)
    query = matching.Query(
        name=name, birth_date=birth_date or None, nationality=nationality or None
    )
    bare = [(row, weight, _record(row, {})) for row, weight in pool]
    if len(bare) > SCORED:
        bare.sort(key=lambda item: -_prescore(query, item[1], item[2]))
        bare = bare[:SCORED]
    results = _scored(query, bare)
    # The persons born on the asked day, unless a person the keys found is a good match born
    # that day (then no typo hid him): the second way in costs two queries.
    if asked_days(birth_date) and not any(_found_on_the_day(r[2]) for r in results):
        known = {row[0] for row, _weight in pool}
        born = born_rows(register_ids=register_ids, name=name, birth_date=birth_date, known=known)
        results += _scored(query, [(row, 0, _record(row, {})) for row in born])
    results.sort(key=lambda item: (-item[2].rank_value, item[1].ref))
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
