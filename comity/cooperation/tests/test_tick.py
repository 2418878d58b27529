from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services
from comity.cooperation.models import Notification, Request, TimelineEvent
from comity.cooperation.tasks import TickResult, tick
from tests.builders import submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTED_SIDE = {"kgz.officer", "kgz.reviewer"}
REQUESTING_SIDE = {"kaz.officer", "kaz.reviewer"}


def _notified(key: str) -> set[str]:
    return set(Notification.objects.filter(key=key).values_list("user__username", flat=True))


def _acknowledged(personas: Personas) -> Request:
    request = submitted(personas.requesting_officer)
    return services.request_transition(
        actor=personas.requested_officer, request=request, action="acknowledge"
    )


def _nothing(result: TickResult) -> bool:
    return result == TickResult()


def test_nothing_is_raised_before_any_deadline(personas: Personas) -> None:
    submitted(personas.requesting_officer)
    notices = Notification.objects.count()
    assert _nothing(tick(now=timezone.now() + timedelta(days=1)))
    assert Notification.objects.count() == notices
    assert not TimelineEvent.objects.filter(kind="deadline").exists()


def test_a_late_acknowledgement_is_flagged_once_to_both_sides(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    assert request.acknowledgement_due is not None
    late = request.acknowledgement_due + timedelta(minutes=1)
    mail.outbox.clear()

    first = tick(now=late)

    assert first.acknowledgement_overdue == 1
    assert first.notifications == 4
    key = f"ack-overdue:{request.public_id}"
    assert _notified(key) == REQUESTED_SIDE | REQUESTING_SIDE
    assert len(mail.outbox) == 4
    assert "Acknowledgement of" in mail.outbox[0].subject
    event = TimelineEvent.objects.get(request=request, kind="deadline")
    assert event.details["deadline"] == "acknowledgement"
    overdue = AuditEvent.objects.filter(code=Code.DEADLINE_OVERDUE, subject_id=request.public_id)
    assert overdue.count() == 1

    notices, events, audits = (
        Notification.objects.count(),
        TimelineEvent.objects.count(),
        AuditEvent.objects.count(),
    )
    assert _nothing(tick(now=late + timedelta(minutes=5)))
    assert Notification.objects.count() == notices
    assert TimelineEvent.objects.count() == events
    assert AuditEvent.objects.count() == audits
    assert len(mail.outbox) == 4


def test_an_acknowledged_request_is_not_flagged_for_acknowledgement(personas: Personas) -> None:
    request = _acknowledged(personas)
    assert request.acknowledgement_due is not None
    result = tick(now=request.acknowledgement_due + timedelta(days=1))
    assert result.acknowledgement_overdue == 0
    assert not TimelineEvent.objects.filter(kind="deadline").exists()


def test_the_requested_side_is_reminded_once_before_the_response_is_due(
    personas: Personas,
) -> None:
    request = _acknowledged(personas)
    assert request.response_due is not None
    soon = request.response_due - timedelta(days=2)

    first = tick(now=soon)

    assert first.response_due_soon == 1
    assert first.response_overdue == 0
    assert _notified(f"response-due-soon:{request.public_id}") == REQUESTED_SIDE
    assert not TimelineEvent.objects.filter(kind="deadline").exists()
    assert _nothing(tick(now=soon + timedelta(hours=1)))


def test_no_reminder_comes_earlier_than_the_reminder_period(personas: Personas) -> None:
    request = _acknowledged(personas)
    assert request.response_due is not None
    assert tick(now=request.response_due - timedelta(days=4)).response_due_soon == 0


def test_a_late_response_is_flagged_once_to_both_sides(personas: Personas) -> None:
    request = _acknowledged(personas)
    assert request.response_due is not None
    late = request.response_due + timedelta(hours=1)

    first = tick(now=late)

    assert first.response_overdue == 1
    assert first.response_due_soon == 0
    assert _notified(f"response-overdue:{request.public_id}") == REQUESTED_SIDE | REQUESTING_SIDE
    event = TimelineEvent.objects.get(request=request, kind="deadline")
    assert event.details["deadline"] == "response"
    assert _nothing(tick(now=late + timedelta(days=1)))
    assert TimelineEvent.objects.filter(request=request, kind="deadline").count() == 1


def test_the_executing_authority_hears_of_a_late_response(personas: Personas) -> None:
    request = _acknowledged(personas)
    request = services.request_transition(
        actor=personas.requested_officer,
        request=request,
        action="assign",
        executing_authority=personas.kgz_executing.public_id,
    )
    assert request.response_due is not None
    tick(now=request.response_due + timedelta(hours=1))
    assert "kgz.fiu" in _notified(f"response-overdue:{request.public_id}")


def test_a_finished_request_raises_no_deadline(personas: Personas) -> None:
    request = _acknowledged(personas)
    request = services.request_transition(
        actor=personas.requested_officer,
        request=request,
        action="refuse",
        reason="No dual criminality.",
        ground="no_dual_criminality",
    )
    assert request.response_due is not None
    assert _nothing(tick(now=request.response_due + timedelta(days=1)))


def test_the_command_prints_a_one_line_summary(personas: Personas) -> None:
    out = StringIO()
    call_command("tick", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tick: envelopes delivered 0, still pending 0;")
