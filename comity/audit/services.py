"""Appending to the audit chain and verifying it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from comity.audit.codes import Code
from comity.audit.models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from comity.accounts.models import User

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "id": str(event.public_id),
        "at": event.created_at.isoformat(),
        "code": event.code,
        "action": event.action,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "authority": event.authority_key,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "details": event.details,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def compute_hash(*, prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(event)).hexdigest()


def audit_record(
    *,
    code: Code,
    actor: User | None,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Joins the caller's transaction, so a rollback removes it too."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "last_hash": GENESIS}
        )
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            code=int(code),
            action=code.name.lower(),
            actor=actor,
            actor_label=actor.username if actor is not None else "system",
            authority_key=(actor.authority.key if actor is not None and actor.authority else ""),
            subject_type=subject_type,
            subject_id=subject_id,
            details=json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder)),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(prev_hash=head.last_hash, event=event)
        event.save()
        head.seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["seq", "last_hash"])
    return event


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str


def audit_verify(*, batch_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """Walk the whole chain. Returns (events checked, first broken link or None)."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in _iter_events(batch_size):
        if event.seq != expected_seq:
            return checked, BrokenLink(expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != prev:
            return checked, BrokenLink(event.seq, "prev_hash does not match the previous event")
        if compute_hash(prev_hash=prev, event=event) != event.hash:
            return checked, BrokenLink(event.seq, "content does not match its hash")
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.last_hash != prev):
        return checked, BrokenLink(checked + 1, "events after this point were removed")
    return checked, None


def _iter_events(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
