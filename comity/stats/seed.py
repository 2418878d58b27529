"""Synthetic requests for measuring the statistics (``comity stats seed``, bench/analytics).

Writes the request rows the facts point to (only the columns a request cannot lack) and the
facts themselves, in bulk: COPY on PostgreSQL, executemany on SQLite. No timeline events,
audit records or envelopes are written, so the requests are not fit to be worked on: the
command refuses a database that holds any request it did not seed itself.

The step timings are drawn from log-normal laws with medians close to what practitioners
report (docs/stats.md): acknowledgement in days, execution in weeks to months by type,
refusals and withdrawals along the way, a tenth of the requests asked for more information.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction

from comity.cooperation.deadlines import response_due
from comity.cooperation.models import Case, Request
from comity.directory.models import Authority
from comity.stats.facts import new_generation
from comity.stats.models import RequestFact

PREFIX = "SEED-"
SEEDER = "stats.seeder"
YEARS = 3
TYPES: tuple[tuple[str, int, float], ...] = (  # type, weight, median days of execution
    ("mla", 55, 45.0),
    ("extradition", 8, 120.0),
    ("provisional_arrest", 3, 20.0),
    ("freezing", 6, 5.0),
    ("seizure", 4, 25.0),
    ("confiscation", 3, 150.0),
    ("asset_return", 1, 200.0),
    ("records_extract", 14, 12.0),
    ("conviction_notice", 4, 10.0),
    ("transfer_of_proceedings", 2, 160.0),
)
INSTRUMENTS: tuple[tuple[str, int], ...] = (
    ("UNTOC", 25),
    ("UNCAC", 15),
    ("UN1988", 10),
    ("CIS_MINSK_1993", 30),
    ("CIS_CHISINAU_2002", 10),
    ("", 10),
)
SECTIONS: tuple[tuple[str, int], ...] = tuple(
    (f"{n:02d}", w)
    for n, w in zip(range(1, 12), (8, 10, 2, 6, 12, 20, 25, 5, 4, 2, 6), strict=True)
)
FATES: tuple[tuple[str, int], ...] = (
    ("executed", 62),
    ("partially_executed", 12),
    ("refused", 14),
    ("withdrawn", 12),
)
GROUNDS: tuple[tuple[str, int], ...] = (
    ("no_dual_criminality", 20),
    ("not_in_conformity", 25),
    ("insufficient_information", 20),
    ("own_national", 10),
    ("political_offence", 3),
    ("lapse_of_time_or_amnesty", 8),
    ("sovereignty_security_public_order", 4),
    ("other", 10),
)
INFO: tuple[tuple[int, int], ...] = ((0, 82), (1, 12), (2, 4), (3, 1), (4, 1))
BATCH = 20000


@dataclass(frozen=True)
class Seeded:
    requests: int
    first_id: int
    last_id: int


class SeedRefused(Exception):
    """The database holds requests that were not seeded: they must not be mixed."""


def _weighted(rng: random.Random, mix: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([m[0] for m in mix], weights=[m[1] for m in mix])[0]


def _lognormal_hours(rng: random.Random, median_days: float, sigma: float) -> int:
    return max(0, int(rng.lognormvariate(math.log(median_days * 24), sigma)))


@dataclass
class _Story:
    fact: dict[str, Any]
    status: str


def _story(
    rng: random.Random,
    now: datetime,
    pair: tuple[Authority, Authority],
) -> _Story:
    requesting, requested = pair
    kind, _weight, median = TYPES[rng.choices(range(len(TYPES)), weights=[t[1] for t in TYPES])[0]]
    submitted = now - timedelta(days=YEARS * 365 * (rng.random() ** 0.85), hours=rng.random())
    submitted = submitted.replace(microsecond=0)
    fate = _weighted(rng, FATES)
    rounds = _weighted(rng, INFO)
    ack = submitted + timedelta(hours=_lognormal_hours(rng, 3.0, 0.9))
    started: datetime | None = ack + timedelta(hours=_lognormal_hours(rng, 6.0, 1.0))
    info_at: datetime | None = None
    done_hours = _lognormal_hours(rng, median, 0.8) + rounds * _lognormal_hours(rng, 20.0, 0.6)
    completed: datetime | None = None
    if fate == "refused":
        started = None if rng.random() < 0.6 else started
        completed = ack + timedelta(hours=_lognormal_hours(rng, 25.0, 0.9))
    elif fate == "withdrawn":
        completed = submitted + timedelta(hours=_lognormal_hours(rng, 40.0, 1.0))
    else:
        assert started is not None  # noqa: S101
        completed = started + timedelta(hours=done_hours)
    if rounds:
        info_at = ack + timedelta(hours=_lognormal_hours(rng, 4.0, 0.7))
    outcome = fate
    status = fate
    # What has not happened yet by now stays open.
    if completed is not None and completed > now:
        completed = None
        outcome = "open"
        status = "in_execution"
    if started is not None and started > now:
        started = None
        status = "acknowledged"
    if info_at is not None and info_at > now:
        info_at, rounds = None, 0
    acknowledged: datetime | None = ack
    if ack > now:
        acknowledged, started, info_at, rounds, status = None, None, None, 0, "submitted"
    if outcome == "open" and rng.random() < 0.08 and acknowledged is not None:
        outcome = status = "postponed"
    if outcome == "withdrawn" and acknowledged is not None and acknowledged > completed:  # type: ignore[operator]
        acknowledged = None
    if outcome == "open" and info_at is not None and rng.random() < 0.3:
        status = "additional_info_requested"

    def hours(start: datetime | None, end: datetime | None) -> int | None:
        if start is None or end is None or end < start:
            return None
        return int((end - start).total_seconds() // 3600)

    decided = outcome in ("executed", "partially_executed", "refused")
    fact = {
        "type": kind,
        "requesting_authority_id": requesting.pk,
        "requesting_state_id": requesting.state_id,
        "requested_authority_id": requested.pk,
        "requested_state_id": requested.state_id,
        "instrument": _weighted(rng, INSTRUMENTS),
        "offence_category": _weighted(rng, SECTIONS),
        "submitted_at": submitted,
        "submitted_month": date(submitted.year, submitted.month, 1),
        "acknowledged_at": acknowledged,
        "execution_started_at": started,
        "info_requested_at": info_at,
        "completed_at": completed,
        "outcome": outcome,
        "refusal_ground": _weighted(rng, GROUNDS) if outcome == "refused" else "",
        "info_rounds": rounds,
        "hours_to_ack": hours(submitted, acknowledged),
        "hours_ack_to_execution": hours(acknowledged, started),
        "hours_execution_to_done": (
            hours(started, completed) if outcome in ("executed", "partially_executed") else None
        ),
        "hours_to_done": hours(submitted, completed) if decided else None,
        "acknowledgement_due": submitted + timedelta(days=10),
        "response_due": response_due(
            start=acknowledged or submitted, request_type=kind, time_limit=None
        ),
    }
    return _Story(fact=fact, status=status)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _prepare(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A value as the database driver takes it (dates as text on SQLite)."""
    if connection.vendor == "postgresql":
        if isinstance(field, models.JSONField):
            return lambda value: None if value is None else _json(value)
        if isinstance(field, models.UUIDField):
            return lambda value: None if value is None else str(value)
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def _insert(model: type[models.Model], rows: Iterator[dict[str, Any]]) -> None:
    fields = _columns(model)
    names = [str(f.column) for f in fields]
    preparers = [_prepare(f) for f in fields]
    attnames = [f.attname for f in fields]
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    if connection.vendor == "postgresql":
        raw = connection.connection
        assert raw is not None  # noqa: S101
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([p(row[a]) for p, a in zip(preparers, attnames, strict=True)])
        return
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 (names are ours)
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([p(row[a]) for p, a in zip(preparers, attnames, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in _columns(model):
        if field.has_default():
            values[field.attname] = field.get_default()
        elif field.null:
            values[field.attname] = None
        elif isinstance(field, models.CharField | models.TextField):
            values[field.attname] = ""
        else:
            values[field.attname] = None
    return values


def _seeder_cases(centrals: list[Authority]) -> tuple[int, dict[int, int]]:
    from comity.accounts.models import Role, User

    user = User.objects.filter(username=SEEDER).first()
    if user is None:
        user = User.objects.create_user(
            username=SEEDER, email=f"{SEEDER}@example.org", role=Role.NODE_ADMIN, is_active=False
        )
    cases: dict[int, int] = {}
    for authority in centrals:
        case, _created = Case.objects.get_or_create(
            authority=authority,
            reference=f"{PREFIX}{authority.key}",
            defaults={"title": "Synthetic requests for measurements", "created_by": user},
        )
        cases[authority.pk] = case.pk
    return user.pk, cases


def _request_row(
    template: dict[str, Any],
    *,
    pk: int,
    story: _Story,
    creator: int,
    cases: dict[int, int],
    rng: random.Random,
) -> dict[str, Any]:
    fact = story.fact
    row = dict(template)
    row.update(
        id=pk,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        reference=f"{PREFIX}{pk:09d}",
        case_id=cases[fact["requesting_authority_id"]],
        type=fact["type"],
        status=story.status,
        title="Synthetic request",
        requesting_authority_id=fact["requesting_authority_id"],
        requested_state_id=fact["requested_state_id"],
        requested_authority_id=fact["requested_authority_id"],
        legal_basis_codes=[fact["instrument"]] if fact["instrument"] else [],
        refusal_ground=fact["refusal_ground"],
        created_by_id=creator,
        created_at=fact["submitted_at"],
        updated_at=fact["completed_at"] or fact["submitted_at"],
        submitted_at=fact["submitted_at"],
        acknowledged_at=fact["acknowledged_at"],
        acknowledgement_due=fact["acknowledgement_due"],
        response_due=fact["response_due"],
        completed_at=fact["completed_at"],
    )
    return row


def seed(
    *,
    requests: int,
    seed: int = 20261,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Seeded:
    """Add ``requests`` synthetic submitted requests with their facts."""
    if Request.objects.exclude(reference__startswith=PREFIX).exists():
        raise SeedRefused("the database holds requests that were not seeded")
    rng = random.Random(seed + Request.objects.count())  # noqa: S311 (synthetic data)
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    centrals = list(
        Authority.objects.filter(is_primary=True, state__is_member=True).order_by("key")
    )
    if len(centrals) < 2:
        raise SeedRefused("load the reference data first (two member states at least)")
    pairs = [(a, b) for a in centrals for b in centrals if a.state_id != b.state_id]
    with transaction.atomic():
        creator, cases = _seeder_cases(centrals)
        first = (Request.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        template = _defaults(Request)
        for chunk_start in range(0, requests, BATCH):
            stories = [
                (first + offset, _story(rng, moment, rng.choice(pairs)))
                for offset in range(chunk_start, min(requests, chunk_start + BATCH))
            ]
            _insert(
                Request,
                (
                    _request_row(template, pk=pk, story=s, creator=creator, cases=cases, rng=rng)
                    for pk, s in stories
                ),
            )
            _insert(RequestFact, ({"request_id": pk, "revision": 0, **s.fact} for pk, s in stories))
            if progress is not None:
                progress(len(stories))
        new_generation()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "(SELECT MAX(id) FROM cooperation_request))",
                    [Request._meta.db_table],
                )
    return Seeded(requests=requests, first_id=first, last_id=first + requests - 1)
