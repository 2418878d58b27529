"""Outbox and inbox: at-least-once delivery with an exactly-once effect."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from comity.exchange.handlers import handler_for
from comity.exchange.models import InboxEnvelope, OutboxEnvelope, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20


def outbox_enqueue(
    *,
    message_type: str,
    sender_authority: str,
    recipient_authority: str,
    subject_id: uuid.UUID,
    payload: dict[str, Any],
    recipient_node: str | None = None,
    in_reply_to: uuid.UUID | None = None,
) -> OutboxEnvelope:
    """Queue an envelope inside the caller's transaction; it is sent after commit."""
    now = timezone.now()
    envelope = OutboxEnvelope.objects.create(
        message_type=message_type,
        sender_node=settings.COMITY_NODE_ID,
        sender_authority=sender_authority,
        recipient_node=recipient_node or settings.COMITY_NODE_ID,
        recipient_authority=recipient_authority,
        subject_id=subject_id,
        in_reply_to=in_reply_to,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: outbox_deliver(envelope_id=envelope.envelope_id))
    return envelope


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def outbox_deliver(*, envelope_id: uuid.UUID) -> bool:
    """Try one envelope now. True once delivered (also when it already was)."""
    from comity.exchange.transports import DeliveryError, transport_for

    with transaction.atomic():
        envelope = (
            OutboxEnvelope.objects.select_for_update().filter(envelope_id=envelope_id).first()
        )
        if envelope is None or envelope.status != OutboxStatus.PENDING:
            return envelope is not None and envelope.status == OutboxStatus.DELIVERED
        envelope.attempts += 1
        try:
            with transaction.atomic():
                transport_for(envelope).send(envelope)
        except DeliveryError as exc:
            envelope.last_error = str(exc)[:2000]
            envelope.next_attempt_at = timezone.now() + _backoff(envelope.attempts)
            if envelope.attempts >= MAX_ATTEMPTS:
                envelope.status = OutboxStatus.DEAD
            envelope.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
            log.warning("delivery of %s failed: %s", envelope_id, exc)
            return False
        envelope.status = OutboxStatus.DELIVERED
        envelope.delivered_at = timezone.now()
        envelope.last_error = ""
        envelope.save(update_fields=["attempts", "status", "delivered_at", "last_error"])
        return True


def outbox_deliver_due(*, limit: int = 500) -> tuple[int, int]:
    """Retry what is due. Returns (delivered, still pending)."""
    due = list(
        OutboxEnvelope.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("envelope_id", flat=True)[:limit]
    )
    delivered = sum(outbox_deliver(envelope_id=envelope_id) for envelope_id in due)
    return delivered, len(due) - delivered


def inbox_accept(
    *,
    envelope_id: uuid.UUID,
    message_type: str,
    sender_node: str,
    sender_authority: str,
    recipient_authority: str,
    subject_id: uuid.UUID,
    payload: dict[str, Any],
) -> bool:
    """Accept an envelope once. Returns False for a duplicate, which changes nothing."""
    try:
        with transaction.atomic():
            envelope = InboxEnvelope.objects.create(
                envelope_id=envelope_id,
                message_type=message_type,
                sender_node=sender_node,
                sender_authority=sender_authority,
                recipient_authority=recipient_authority,
                subject_id=subject_id,
                payload=payload,
                received_at=timezone.now(),
            )
            handler = handler_for(message_type)
            if handler is not None:
                handler(envelope)
    except IntegrityError:
        if InboxEnvelope.objects.filter(envelope_id=envelope_id).exists():
            return False
        raise
    return True
