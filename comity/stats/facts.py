"""Keeping the facts table current (docs/stats.md).

``refresh(request)`` derives one request's fact from the request and its transition events
(two small queries and one write) and is idempotent; ``rebuild()`` does the same for every
request, in batches. A request that was never submitted has no fact.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from comity.cooperation.lifecycle import FINAL, Status
from comity.cooperation.models import EventKind, Offence, Request, TimelineEvent
from comity.stats.models import DECIDED, EXECUTED, FactsRevision, Outcome, RequestFact

_OUTCOME_OF_STATUS: dict[str, str] = {
    Status.EXECUTED: Outcome.EXECUTED,
    Status.PARTIALLY_EXECUTED: Outcome.PARTIALLY_EXECUTED,
    Status.REFUSED: Outcome.REFUSED,
    Status.WITHDRAWN: Outcome.WITHDRAWN,
    Status.POSTPONED: Outcome.POSTPONED,
}


@dataclass(frozen=True)
class Step:
    """One transition event, as much of it as a fact needs."""

    to_status: str
    action: str
    at: datetime


def hours_between(start: datetime | None, end: datetime | None) -> int | None:
    """Whole hours from start to end (rounded down); None if either is missing or the end
    comes first (dates that were moved by hand)."""
    if start is None or end is None or end < start:
        return None
    return int((end - start).total_seconds() // 3600)


def month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def outcome_of(status: str, steps: list[Step]) -> str:
    """The request's outcome: a closed request keeps the final status it was closed in."""
    if status == Status.CLOSED:
        finals = [s.to_status for s in steps if s.to_status in FINAL]
        status = finals[-1] if finals else Status.CLOSED
    return _OUTCOME_OF_STATUS.get(status, Outcome.OPEN)


def fact_values(
    request: Request, steps: list[Step], *, requesting_state_id: int, offence_code: str
) -> dict[str, Any]:
    """The fact's columns (all but the request) for a submitted request."""
    submitted = request.submitted_at
    assert submitted is not None  # noqa: S101 (callers pass submitted requests only)
    executing = [s.at for s in steps if s.to_status == Status.IN_EXECUTION]
    info = [s.at for s in steps if s.action == "request_info"]
    outcome = outcome_of(request.status, steps)
    acknowledged = request.acknowledged_at
    started = executing[0] if executing else None
    completed = request.completed_at if outcome not in (Outcome.OPEN, Outcome.POSTPONED) else None
    codes = request.legal_basis_codes if isinstance(request.legal_basis_codes, list) else []
    return {
        "type": request.type,
        "requesting_authority_id": request.requesting_authority_id,
        "requesting_state_id": requesting_state_id,
        "requested_authority_id": request.requested_authority_id,
        "requested_state_id": request.requested_state_id,
        "instrument": str(codes[0])[:64] if codes else "",
        "offence_category": offence_code[:2],
        "submitted_at": submitted,
        "submitted_month": month_of(submitted),
        "acknowledged_at": acknowledged,
        "execution_started_at": started,
        "info_requested_at": info[0] if info else None,
        "completed_at": completed,
        "outcome": outcome,
        "refusal_ground": request.refusal_ground if outcome == Outcome.REFUSED else "",
        "info_rounds": len(info),
        "hours_to_ack": hours_between(submitted, acknowledged),
        "hours_ack_to_execution": hours_between(acknowledged, started),
        "hours_execution_to_done": (
            hours_between(started, completed) if outcome in EXECUTED else None
        ),
        "hours_to_done": hours_between(submitted, completed) if outcome in DECIDED else None,
        "acknowledgement_due": request.acknowledgement_due,
        "response_due": request.response_due,
    }


def _steps(request_ids: Iterable[int]) -> dict[int, list[Step]]:
    found: dict[int, list[Step]] = {}
    rows = (
        TimelineEvent.objects.filter(request_id__in=list(request_ids), kind=EventKind.TRANSITION)
        .order_by("created_at", "id")
        .values_list("request_id", "to_status", "action", "created_at")
    )
    for request_id, to_status, action, at in rows:
        found.setdefault(request_id, []).append(Step(to_status, action, at))
    return found


def _offences(request_ids: Iterable[int]) -> dict[int, str]:
    first: dict[int, str] = {}
    rows = (
        Offence.objects.filter(request_id__in=list(request_ids))
        .order_by("request_id", "position", "id")
        .values_list("request_id", "iccs__code")
    )
    for request_id, code in rows:
        first.setdefault(request_id, code)
    return first


def next_revision() -> int:
    """Raise the revision counter and return it. The UPDATE locks the counter's row until
    the caller's transaction ends, so revisions are committed in the order they are given."""
    table = connection.ops.quote_name(FactsRevision._meta.db_table)
    sql = f"UPDATE {table} SET revision = revision + 1 WHERE id = 1 RETURNING revision"  # noqa: S608
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        FactsRevision.objects.get_or_create(pk=1)  # the row is gone (a flushed database)
    raise RuntimeError("the revision counter cannot be written")


def new_generation() -> None:
    """Facts were rewritten or deleted in bulk: every reader reloads them all."""
    token = secrets.randbits(62)
    if not FactsRevision.objects.filter(pk=1).update(generation=token):
        FactsRevision.objects.update_or_create(pk=1, defaults={"generation": token})


def refresh(request: Request) -> None:
    """Bring the request's fact up to date (or remove it, for a request never submitted).

    Called inside ``request_transition``'s transaction (the request row is locked), after
    its timeline event: four queries (the events, the first offence, the revision, the
    write)."""
    if request.submitted_at is None:
        RequestFact.objects.filter(request_id=request.pk).delete()  # a new generation
        return
    state_id = request.requesting_authority.state_id
    values = fact_values(
        request,
        _steps([request.pk]).get(request.pk, []),
        requesting_state_id=state_id,
        offence_code=_offences([request.pk]).get(request.pk, ""),
    )
    values["revision"] = next_revision()
    if not RequestFact.objects.filter(request_id=request.pk).update(**values):
        RequestFact.objects.create(request_id=request.pk, **values)


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild(*, batch: int = 2000) -> int:
    """Recompute every fact from the requests and their events; returns how many there are.

    Facts of requests that were never submitted are removed."""
    submitted = Request.objects.filter(submitted_at__isnull=False)
    ids = list(submitted.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        RequestFact.objects.exclude(request_id__in=submitted.values("pk")).delete()
        for chunk in _batches(ids, batch):
            requests = list(
                Request.objects.filter(pk__in=chunk).select_related("requesting_authority")
            )
            steps = _steps(chunk)
            offences = _offences(chunk)
            existing = set(
                RequestFact.objects.filter(request_id__in=chunk).values_list(
                    "request_id", flat=True
                )
            )
            new: list[RequestFact] = []
            changed: list[RequestFact] = []
            for request in requests:
                values = fact_values(
                    request,
                    steps.get(request.pk, []),
                    requesting_state_id=request.requesting_authority.state_id,
                    offence_code=offences.get(request.pk, ""),
                )
                fact = RequestFact(request_id=request.pk, **values)
                (changed if request.pk in existing else new).append(fact)
            RequestFact.objects.bulk_create(new)
            if changed:
                RequestFact.objects.bulk_update(changed, list(FIELDS))
        new_generation()
    return len(ids)


FIELDS: tuple[str, ...] = tuple(
    f.name for f in RequestFact._meta.concrete_fields if not f.primary_key and f.name != "revision"
)
