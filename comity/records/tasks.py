"""Deadlines of the records exchange, raised by `comity tick`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.notifications import Kind, notify_authority
from comity.records.models import ExtractRequest, ExtractStatus


def extracts_overdue(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Notify both sides of every unanswered extract request past its due day, once.

    Returns (requests overdue, notices raised); notices are idempotent by key.
    """
    day = today or timezone.localdate()
    overdue = ExtractRequest.objects.filter(
        status=ExtractStatus.SUBMITTED, due_on__lt=day
    ).select_related("register__keeper", "requesting_authority")
    count = notices = 0
    for extract in overdue:
        count += 1
        due = timezone.make_aware(datetime.datetime.combine(extract.due_on, datetime.time()))
        params = {
            "reference": extract.reference,
            "extract": str(extract.public_id),
            "due": due.isoformat(),
        }
        key = f"extract:{extract.public_id}:overdue"
        raised = notify_authority(
            authority=extract.register.keeper,
            request=None,
            kind=Kind.EXTRACT_OVERDUE,
            params=params,
            key=key,
        ) + notify_authority(
            authority=extract.requesting_authority,
            request=None,
            kind=Kind.EXTRACT_OVERDUE,
            params=params,
            key=key,
        )
        if raised:
            audit_record(
                code=Code.DEADLINE_OVERDUE,
                actor=None,
                subject_type="extract_request",
                subject_id=str(extract.public_id),
                details={"reference": extract.reference, "due": extract.due_on},
            )
        notices += raised
    return count, notices
