"""The in-memory engine of the dashboards: the facts as columns (docs/stats.md, "Engines").

A dashboard over a million requests cannot be computed from the facts table fast enough:
each filter combines with every other, so no summary table is smaller than the facts
(docs/benchmarks.md, "Analytics"), and a database that reads rows spends seconds on the
grouping sets and the percentiles per pair of states. Each process therefore keeps one
copy of the facts as NumPy arrays (about 81 bytes a request) and computes the same ``Pass``
and the same percentile groups as the SQL engine (comity/stats/passes.py,
comity/stats/percentiles.py), exactly: durations stay whole hours.

The copy stays current through ``FactsRevision`` (comity/stats/models.py): every read
checks the counter (one query); facts written since the revision the copy holds are read
and merged; a new generation (a rebuild, a deletion) reloads every fact. A read inside a
transaction never keeps what it loaded, since the transaction may still be rolled back.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from comity.stats.models import DECIDED, OPEN_OUTCOMES, FactsRevision, Outcome, RequestFact
from comity.stats.passes import AGE_LIMITS, STEP_COLUMNS, Pass
from comity.stats.percentiles import QUANTILES, Group
from comity.stats.relation import COLUMNS as RELATION_COLUMNS

Array = npt.NDArray[Any]
NEVER = int(np.iinfo(np.int64).max)  # a due date that is not set is never past
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
TEXT = ("type", "instrument", "offence_category", "outcome", "refusal_ground")
# Integer columns: name -> dtype. Moments are microseconds since 1970 (UTC).
NUMBERS: dict[str, type[np.generic]] = {
    "request_id": np.int64,
    "requesting_authority_id": np.int32,
    "requesting_state_id": np.int32,
    "requested_authority_id": np.int32,
    "requested_state_id": np.int32,
    "submitted_at": np.int64,
    "submitted_month": np.int32,  # year * 12 + month - 1
    "info_rounds": np.int16,
    "hours_to_ack": np.int32,  # -1: none
    "hours_ack_to_execution": np.int32,
    "hours_execution_to_done": np.int32,
    "hours_to_done": np.int32,
    "acknowledged": np.bool_,
    "acknowledgement_due": np.int64,  # NEVER: none
    "response_due": np.int64,
    "revision": np.int64,
}
# The columns read, in this order: the keys, what a dashboard reads (the SQL engine's
# relation), whether the request was acknowledged (for the overdue counts), the revision.
ORDER: tuple[str, ...] = (
    "request_id",
    "requesting_authority_id",
    "requested_authority_id",
    *("acknowledged" if name == "acknowledged_at" else name for name in RELATION_COLUMNS),
    "revision",
)


def microseconds(moment: datetime.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


class Vocabulary:
    """The text values of a column as small integer codes, in order of appearance."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values: list[str] = []
        self.codes: dict[str, int] = {}
        for value in values:
            self.code(value)

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def encode(self, values: Sequence[str]) -> Array:
        code = self.code
        return np.fromiter((code(v) for v in values), dtype=np.int16, count=len(values))

    def find(self, value: str) -> int | None:
        return self.codes.get(value)

    def copy(self) -> Vocabulary:
        return Vocabulary(self.values)


@dataclass(frozen=True)
class Facts:
    """Every fact as columns; never changed once built (a newer copy replaces it)."""

    generation: int
    revision: int
    columns: dict[str, Array]
    vocabularies: dict[str, Vocabulary]

    def __len__(self) -> int:
        return len(self.columns["request_id"])


def _moment(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"COALESCE(CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS BIGINT), {NEVER})"
    # SQLite keeps "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC.
    return (
        f"COALESCE(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 "
        f"+ CAST(substr({column}, 21, 6) AS INTEGER), {NEVER})"
    )


def _select(where: str) -> str:
    month = (
        "CAST(EXTRACT(YEAR FROM submitted_month) * 12 + EXTRACT(MONTH FROM submitted_month) "
        "- 1 AS INTEGER)"
        if connection.vendor == "postgresql"
        else "CAST(substr(submitted_month, 1, 4) AS INTEGER) * 12 "
        "+ CAST(substr(submitted_month, 6, 2) AS INTEGER) - 1"
    )
    expressions = {
        "submitted_at": _moment("submitted_at"),
        "submitted_month": month,
        "acknowledged": "CASE WHEN acknowledged_at IS NULL THEN 0 ELSE 1 END",
        "acknowledgement_due": _moment("acknowledgement_due"),
        "response_due": _moment("response_due"),
    }
    for column in STEP_COLUMNS:
        expressions[column] = f"COALESCE({column}, -1)"
    picked = ", ".join(expressions.get(name, name) for name in ORDER)
    table = connection.ops.quote_name(RequestFact._meta.db_table)
    return f"SELECT {picked} FROM {table} {where}"  # noqa: S608 (names are ours)


CHUNK = 50_000


def _read(
    where: str,
    params: Sequence[Any],
    vocabularies: dict[str, Vocabulary],
    *,
    chunked: bool = True,
) -> dict[str, Array]:
    """The selected facts as columns, read in chunks (a server-side cursor on PostgreSQL)
    so that no more than a chunk of rows is held as Python objects at a time."""
    parts: dict[str, list[Array]] = {name: [] for name in ORDER}
    with connection.chunked_cursor() if chunked else connection.cursor() as cursor:
        cursor.execute(_select(where), list(params))
        while rows := cursor.fetchmany(CHUNK):
            values = list(zip(*rows, strict=True))
            del rows
            for index, name in enumerate(ORDER):
                column: Sequence[Any] = values[index]
                if name in TEXT:
                    parts[name].append(vocabularies[name].encode(column))
                else:
                    parts[name].append(np.fromiter(column, dtype=NUMBERS[name], count=len(column)))
    columns: dict[str, Array] = {}
    for name in ORDER:
        dtype = np.int16 if name in TEXT else NUMBERS[name]
        columns[name] = np.concatenate(parts[name]) if parts[name] else np.zeros(0, dtype=dtype)
    return columns


def _counter() -> tuple[int, int]:
    found = FactsRevision.objects.filter(pk=1).values_list("revision", "generation").first()
    return (int(found[0]), int(found[1])) if found else (0, 0)


def _load(revision: int, generation: int) -> Facts:
    vocabularies = {name: Vocabulary() for name in TEXT}
    vocabularies["outcome"] = Vocabulary(Outcome.values)
    columns = _read("", (), vocabularies)
    columns.pop("revision")
    _give_back_memory()
    return Facts(generation, revision, columns, vocabularies)


def _give_back_memory() -> None:
    """Return to the system what reading a million rows left free in the C heap (glibc)."""
    with contextlib.suppress(OSError, AttributeError):  # another C library: reused later
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _merge(facts: Facts, revision: int) -> Facts:
    """The copy with the facts written since its revision: rewritten in place (in a copy
    of each column, since a reader may still hold the old one) or appended."""
    vocabularies = {name: v.copy() for name, v in facts.vocabularies.items()}
    changed = _read("WHERE revision > %s", (facts.revision,), vocabularies, chunked=False)
    written = changed.pop("revision")
    if not len(written):
        return Facts(facts.generation, revision, facts.columns, facts.vocabularies)
    ids = facts.columns["request_id"]
    found = np.isin(changed["request_id"], ids)
    # The slots of the rewritten facts take their new rows: in any order, since every
    # column of a row moves together and the copy is a set of rows.
    positions = np.flatnonzero(np.isin(ids, changed["request_id"][found]))
    columns: dict[str, Array] = {}
    for name, values in changed.items():
        column = np.concatenate([facts.columns[name], values[~found]])
        column[positions] = values[found]
        columns[name] = column
    return Facts(facts.generation, max(revision, int(written.max())), columns, vocabularies)


class _Copy:
    """The copy this process holds, and how many times it was loaded whole."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: Facts | None = None
        self.loads = 0


_copy = _Copy()


def loads() -> int:
    """Full loads in this process so far (tests and benchmarks read it)."""
    return _copy.loads


def current() -> Facts:
    """The facts as they are now committed (or as this transaction sees them)."""
    revision, generation = _counter()
    keep = not connection.in_atomic_block
    with _copy.lock:
        held = _copy.held
        if keep and held is not None and held.generation == generation:
            if revision > held.revision:
                held = _copy.held = _merge(held, revision)
            return held
        _copy.loads += 1
        loaded = _load(revision, generation)
        if keep:
            _copy.held = loaded
        return loaded


def forget() -> None:
    """Drop the copy of this process (tests start from the database)."""
    with _copy.lock:
        _copy.held = None


# ---------------------------------------------------------------------------- selecting


@dataclass(frozen=True)
class Branch:
    rows: Array  # positions in the columns
    direction: str  # "" for the network, else "outgoing" / "incoming"
    counterpart: str  # the column of the other state, or "" (the network: 0)


@dataclass(frozen=True)
class Selection:
    facts: Facts
    branches: tuple[Branch, ...]


def select(
    facts: Facts,
    *,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    types: Sequence[str],
    instrument: str | None,
    offence: str | None,
    counterpart_id: int | None,
    authority_id: int | None,
    directions: Sequence[str],
) -> Selection:
    """The rows of each branch, as comity.stats.queries._branches selects them in SQL:
    one branch for the network (``authority_id`` None), else one per direction."""
    c = facts.columns
    mask = np.ones(len(facts), dtype=np.bool_)
    if start is not None:
        mask &= c["submitted_at"] >= microseconds(start)
    if end is not None:
        mask &= c["submitted_at"] < microseconds(end)
    wanted = {
        "type": [facts.vocabularies["type"].find(t) for t in types] if types else None,
        "instrument": [facts.vocabularies["instrument"].find(instrument)] if instrument else None,
        "offence_category": [facts.vocabularies["offence_category"].find(offence)]
        if offence
        else None,
    }
    for name, codes in wanted.items():
        if codes is None:
            continue
        known = [code for code in codes if code is not None]
        mask &= np.isin(c[name], known) if known else False
    if authority_id is None:
        if counterpart_id is not None:
            mask &= (c["requesting_state_id"] == counterpart_id) | (
                c["requested_state_id"] == counterpart_id
            )
        return Selection(facts, (Branch(np.flatnonzero(mask), "", ""),))
    sides = {
        "outgoing": ("requesting_authority_id", "requested_state_id"),
        "incoming": ("requested_authority_id", "requesting_state_id"),
    }
    branches: list[Branch] = []
    for way in directions:
        authority_column, other = sides[way]
        chosen = mask & (c[authority_column] == authority_id)
        if counterpart_id is not None:
            chosen &= c[other] == counterpart_id
        branches.append(Branch(np.flatnonzero(chosen), way, other))
    return Selection(facts, tuple(branches))


# ---------------------------------------------------------------------------- computing


def _count(keys: Array) -> tuple[Array, Array]:
    """The distinct non-negative keys and how many times each occurs."""
    if not len(keys):
        return keys, keys
    top = int(keys.max())
    if top < 4_000_000:
        counts = np.bincount(keys, minlength=top + 1)
        present = np.flatnonzero(counts)
        return present, counts[present]
    unique, counts = np.unique(keys, return_counts=True)
    return unique, counts


def _month(value: int) -> datetime.date:
    return datetime.date(value // 12, value % 12 + 1, 1)


def one_pass(selection: Selection, now: datetime.datetime, *, network: bool) -> Pass:
    """The same figures as comity.stats.passes.one_pass, from the columns."""
    result = Pass()
    branches = [b for b in selection.branches if len(b.rows)]
    if not branches:
        return result
    rows = np.concatenate([b.rows for b in branches])
    for branch in branches:
        _volumes(result, selection.facts, branch)
    _histograms(result, selection.facts, rows)
    _summary(result, selection.facts, rows, now)
    if network:
        _pairs(result, selection.facts, rows)
    return result


def _volumes(result: Pass, facts: Facts, branch: Branch) -> None:
    """(type, month, counterpart) of one branch."""
    c, picked = facts.columns, branch.rows
    types = facts.vocabularies["type"].values
    counterpart = (
        c[branch.counterpart][picked].astype(np.int64)
        if branch.counterpart
        else np.zeros(len(picked), dtype=np.int64)
    )
    months = c["submitted_month"][picked].astype(np.int64)
    low = int(months.min())
    span = int(months.max()) - low + 1
    width = int(counterpart.max()) + 1
    keys = (c["type"][picked].astype(np.int64) * span + (months - low)) * width + counterpart
    present, counts = _count(keys)
    for key, count in zip(present.tolist(), counts.tolist(), strict=True):
        rest, other = divmod(key, width)
        kind, month = divmod(rest, span)
        result.volumes.append((types[kind], _month(low + month), other, branch.direction, count))


def _histograms(result: Pass, facts: Facts, rows: Array) -> None:
    for index, column in enumerate(STEP_COLUMNS):
        hours = facts.columns[column][rows]
        hours = hours[hours >= 0]
        if len(hours):
            present, counts = _count(hours.astype(np.int64))
            result.histograms[index] = list(zip(present.tolist(), counts.tolist(), strict=True))


def _codes(facts: Facts, column: str, values: Iterable[str]) -> list[int]:
    vocabulary = facts.vocabularies[column]
    return [code for code in (vocabulary.find(v) for v in values) if code is not None]


def _summary(result: Pass, facts: Facts, rows: Array, now: datetime.datetime) -> None:
    """(info rounds 0-3+, refusal ground if refused, age bucket if open, overdue)."""
    c = facts.columns
    outcome = c["outcome"][rows]
    refused = np.isin(outcome, _codes(facts, "outcome", [Outcome.REFUSED.value]))
    grounds = facts.vocabularies["refusal_ground"].values
    ground = np.where(refused, c["refusal_ground"][rows].astype(np.int64), -1)
    submitted = c["submitted_at"][rows]
    age = np.full(len(rows), len(AGE_LIMITS), dtype=np.int64)
    for index in range(len(AGE_LIMITS) - 1, -1, -1):  # the first bucket that fits wins
        bound = microseconds(now - datetime.timedelta(days=AGE_LIMITS[index] + 1))
        age[submitted > bound] = index
    age[~np.isin(outcome, _codes(facts, "outcome", OPEN_OUTCOMES))] = -1
    moment = microseconds(now)
    overdue = (c["response_due"][rows] < moment) | (
        ~c["acknowledged"][rows] & (c["acknowledgement_due"][rows] < moment)
    )
    info = np.minimum(c["info_rounds"][rows], 3).astype(np.int64)
    ages = len(AGE_LIMITS) + 2
    keys = ((info * (len(grounds) + 1) + (ground + 1)) * ages + (age + 1)) * 2 + overdue
    present, counts = _count(keys)
    for key, count in zip(present.tolist(), counts.tolist(), strict=True):
        rest, late = divmod(key, 2)
        rest, bucket = divmod(rest, ages)
        rounds, code = divmod(rest, len(grounds) + 1)
        given = grounds[code - 1] if code else None
        result.summary.append((rounds, given, bucket - 1, late, count))


def _pairs(result: Pass, facts: Facts, rows: Array) -> None:
    """(requesting state, requested state, instrument, outcome class) for the network."""
    c = facts.columns
    outcome = c["outcome"][rows]
    refused = np.isin(outcome, _codes(facts, "outcome", [Outcome.REFUSED.value]))
    decided = np.isin(outcome, _codes(facts, "outcome", DECIDED))
    kind = np.where(refused, 2, np.where(decided, 1, 0)).astype(np.int64)
    combinations, numbers = _grouped_keys(
        [c["requesting_state_id"][rows], c["requested_state_id"][rows], c["instrument"][rows]],
        extra=kind,
    )
    instruments = facts.vocabularies["instrument"].values
    labels = ("", "d", "r")
    for (origin, target, instrument, outcome_class), count in zip(
        combinations, numbers, strict=True
    ):
        result.pairs.append((origin, target, instruments[instrument], labels[outcome_class], count))


def _grouped_keys(
    columns: Sequence[Array], *, extra: Array
) -> tuple[list[tuple[int, ...]], list[int]]:
    """The distinct combinations of the columns (and ``extra``) with their counts."""
    radices = [int(column.max()) + 1 for column in columns] + [int(extra.max()) + 1]
    key = np.zeros(len(extra), dtype=np.int64)
    for column, radix in zip([*columns, extra], radices, strict=True):
        key = key * radix + column.astype(np.int64)
    present, counts = _count(key)
    decoded: list[tuple[int, ...]] = []
    for packed in present.tolist():
        rest, parts = packed, []
        for radix in reversed(radices):
            rest, part = divmod(rest, radix)
            parts.append(part)
        decoded.append(tuple(reversed(parts)))
    return decoded, counts.tolist()


KEY_COLUMNS = {"requesting_state_id", "requested_state_id", "instrument"}


def grouped(selection: Selection, value: str, keys: Sequence[str]) -> dict[tuple[Any, ...], Group]:
    """The same groups as comity.stats.percentiles.grouped: the non-null values of the
    ``value`` column per combination of ``keys``, with the order statistics the quantiles
    fall on."""
    assert set(keys) <= KEY_COLUMNS and value in STEP_COLUMNS  # noqa: S101 (our callers)
    c = selection.facts.columns
    branches = [b.rows for b in selection.branches if len(b.rows)]
    if not branches:
        return {}
    rows = np.concatenate(branches)
    values = c[value][rows].astype(np.int64)
    kept = values >= 0
    rows, values = rows[kept], values[kept]
    if not len(rows):
        return {}
    parts = [c[key][rows].astype(np.int64) for key in keys]
    radices = [int(part.max()) + 1 for part in parts]
    group = np.zeros(len(rows), dtype=np.int64)
    for part, radix in zip(parts, radices, strict=True):
        group = group * radix + part
    width = int(values.max()) + 1
    ordered = np.sort(group * width + values)
    groups, values = np.divmod(ordered, width)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    instruments = selection.facts.vocabularies["instrument"].values
    found: dict[tuple[Any, ...], Group] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        n = end - start
        positions: set[int] = set()
        for q in QUANTILES:
            k = ((n - 1) * q.numerator) // q.denominator
            positions.update(p for p in (k, k + 1) if p < n)
        code = int(groups[start])
        key: list[Any] = []
        for name, radix in zip(reversed(keys), reversed(radices), strict=True):
            code, part = divmod(code, radix)
            key.append(instruments[part] if name == "instrument" else part)
        found[tuple(reversed(key))] = Group(
            n=n, runs=[(p, p, int(values[start + p])) for p in sorted(positions)]
        )
    return found
