"""Work done outside a user's click: delivery evidence and deadline watching.

``tick`` is safe to run as often as one likes (cron every few minutes): each effect is
keyed, so a second run finds nothing left to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation import notifications
from comity.cooperation.deadlines import REMINDER_BEFORE
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import EventKind, Notification, Request, TimelineEvent
from comity.cooperation.selectors import OPEN_STATUSES
from comity.directory.models import Authority
from comity.exchange.models import InboxEnvelope, MessageType
from comity.exchange.services import outbox_deliver_due

log = logging.getLogger(__name__)


_KIND_BY_TYPE: dict[str, notifications.Kind] = {
    MessageType.REQUEST_SUBMITTED: notifications.Kind.SUBMITTED,
    MessageType.REQUEST_TRANSITION: notifications.Kind.TRANSITION,
    MessageType.REQUEST_MESSAGE: notifications.Kind.MESSAGE,
    MessageType.REQUEST_ATTACHMENT: notifications.Kind.ATTACHMENT,
}


# Delivery -----------------------------------------------------------------------------


def envelope_delivered(envelope: InboxEnvelope) -> None:
    """Inbox handler: record the delivery evidence on the request and tell the recipient.

    Runs inside the inbox's transaction, which refuses a duplicate envelope id, so a
    redelivered envelope never reaches this function twice.
    """
    authority = Authority.objects.filter(key=envelope.recipient_authority).first()
    request = Request.objects.filter(public_id=envelope.subject_id).first()
    if authority is None or request is None:
        log.warning("envelope %s names an unknown authority or request here", envelope.envelope_id)
        return
    TimelineEvent.objects.create(
        request=request,
        kind=EventKind.DELIVERY,
        actor_authority=authority,
        details={
            "envelope": str(envelope.envelope_id),
            "message_type": envelope.message_type,
            "recipient": authority.key,
            "evidence": "delivered",
        },
        created_at=timezone.now(),
    )
    payload = envelope.payload or {}
    params: dict[str, Any] = {"reference": payload.get("reference") or request.reference}
    for name in ("action", "status", "message", "attachment"):
        if payload.get(name):
            params[name] = payload[name]
    notifications.notify_authority(
        authority=authority,
        request=request,
        kind=_KIND_BY_TYPE.get(envelope.message_type, notifications.Kind.TRANSITION),
        params=params,
        key=f"env:{envelope.envelope_id}",
    )


# Deadlines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TickResult:
    delivered: int = 0
    pending: int = 0
    acknowledgement_overdue: int = 0
    response_due_soon: int = 0
    response_overdue: int = 0
    extract_overdue: int = 0
    asset_orders_expiring: int = 0
    asset_orders_expired: int = 0
    notifications: int = 0
    emails: int = 0

    def summary(self) -> str:
        return (
            f"envelopes delivered {self.delivered}, still pending {self.pending}; "
            f"acknowledgement overdue {self.acknowledgement_overdue}, "
            f"response due soon {self.response_due_soon}, "
            f"response overdue {self.response_overdue}, "
            f"extract requests overdue {self.extract_overdue}; "
            f"asset orders expiring {self.asset_orders_expiring}, "
            f"expired {self.asset_orders_expired}; "
            f"notifications {self.notifications}, e-mails {self.emails}"
        )


def _flagged(deadline: str) -> Exists:
    return Exists(
        TimelineEvent.objects.filter(
            request=OuterRef("pk"), kind=EventKind.DEADLINE, details__deadline=deadline
        )
    )


def _deadline_passed(*, request: Request, deadline: str, due: datetime, key: str) -> int:
    """Write the timeline and audit entries for a passed deadline, once; notify both sides."""
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        already = TimelineEvent.objects.filter(
            request=locked, kind=EventKind.DEADLINE, details__deadline=deadline
        ).exists()
        if already:
            return -1
        TimelineEvent.objects.create(
            request=locked,
            kind=EventKind.DEADLINE,
            details={"deadline": deadline, "due": due.isoformat(), "key": key},
            created_at=timezone.now(),
        )
        audit_record(
            code=Code.DEADLINE_OVERDUE,
            actor=None,
            subject_type="request",
            subject_id=str(locked.public_id),
            details={"deadline": deadline, "due": due, "reference": locked.reference},
        )
        kind = (
            notifications.Kind.ACK_OVERDUE
            if deadline == "acknowledgement"
            else notifications.Kind.RESPONSE_OVERDUE
        )
        return _notify_sides(request=locked, kind=kind, due=due, key=key, requesting=True)


def _notify_sides(*, request: Request, kind: str, due: datetime, key: str, requesting: bool) -> int:
    """Notify the requested side (central and executing authority) and, if asked, the
    requesting authority."""
    authorities = [request.requested_authority, request.executing_authority]
    if requesting:
        authorities.append(request.requesting_authority)
    params = {"reference": request.reference, "due": due.isoformat()}
    created = 0
    seen: set[int] = set()
    for authority in authorities:
        if authority is None or authority.pk in seen:
            continue
        seen.add(authority.pk)
        created += notifications.notify_authority(
            authority=authority, request=request, kind=kind, params=params, key=key
        )
    return created


def _related() -> tuple[str, ...]:
    return ("requesting_authority", "requested_authority", "executing_authority")


def _overdue(
    *, due: QuerySet[Request], deadline: str, field: str, key_prefix: str
) -> tuple[int, int]:
    """Flag each request of ``due`` whose ``field`` deadline passed: (flagged, notices)."""
    flagged = created = 0
    for request in due.exclude(_flagged(deadline)).select_related(*_related()).order_by(field):
        moment = getattr(request, field)
        assert moment is not None  # noqa: S101 (filtered by the caller)
        result = _deadline_passed(
            request=request,
            deadline=deadline,
            due=moment,
            key=f"{key_prefix}:{request.public_id}",
        )
        if result >= 0:
            flagged += 1
            created += result
    return flagged, created


def _acknowledgements_overdue(now: datetime) -> tuple[int, int]:
    return _overdue(
        due=Request.objects.filter(status=Status.SUBMITTED, acknowledgement_due__lt=now),
        deadline="acknowledgement",
        field="acknowledgement_due",
        key_prefix="ack-overdue",
    )


def _responses_overdue(now: datetime) -> tuple[int, int]:
    return _overdue(
        due=Request.objects.filter(status__in=OPEN_STATUSES, response_due__lt=now),
        deadline="response",
        field="response_due",
        key_prefix="response-overdue",
    )


def _responses_due_soon(now: datetime) -> tuple[int, int]:
    """Remind the requested side once when the answer is due within REMINDER_BEFORE."""
    reminded = Notification.objects.filter(
        request=OuterRef("pk"), key__startswith="response-due-soon:"
    )
    due = (
        Request.objects.filter(
            status__in=OPEN_STATUSES,
            response_due__gte=now,
            response_due__lte=now + REMINDER_BEFORE,
        )
        .exclude(Exists(reminded))
        .select_related(*_related())
        .order_by("response_due")
    )
    reminded_count = created = 0
    for request in due:
        assert request.response_due is not None  # noqa: S101 (filtered above)
        new = _notify_sides(
            request=request,
            kind=notifications.Kind.RESPONSE_DUE_SOON,
            due=request.response_due,
            key=f"response-due-soon:{request.public_id}",
            requesting=False,
        )
        if new:
            reminded_count += 1
            created += new
    return reminded_count, created


def tick(*, now: datetime | None = None) -> TickResult:
    """Deliver what is due, then raise deadline notices. Idempotent."""
    started = timezone.now()
    moment = now or started
    delivered, pending = outbox_deliver_due()
    ack, ack_notices = _acknowledgements_overdue(moment)
    soon, soon_notices = _responses_due_soon(moment)
    late, late_notices = _responses_overdue(moment)
    # Imported here: comity.records builds on this app (its notices), not the other way.
    from comity.records.tasks import extracts_overdue

    extracts, extract_notices = extracts_overdue(today=timezone.localdate(moment))
    from comity.assets.tasks import orders_expiring

    expiring = orders_expiring(today=timezone.localdate(moment))
    emails = Notification.objects.filter(emailed_at__gte=started).count()
    return TickResult(
        delivered=delivered,
        pending=pending,
        acknowledgement_overdue=ack,
        response_due_soon=soon,
        response_overdue=late,
        extract_overdue=extracts,
        asset_orders_expiring=expiring.warned,
        asset_orders_expired=expiring.expired,
        notifications=ack_notices
        + soon_notices
        + late_notices
        + extract_notices
        + expiring.notifications,
        emails=emails,
    )
