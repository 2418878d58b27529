from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from comity.accounts.models import Role
from comity.cooperation import notifications, services
from comity.cooperation.models import Notification, TimelineEvent
from comity.cooperation.notifications import (
    Kind,
    emails_paused,
    notification_list,
    notification_text,
    notifications_mark_read,
    notify_authority,
    unread_count,
)
from comity.exchange.models import InboxEnvelope, OutboxEnvelope
from comity.exchange.services import inbox_accept
from tests.builders import submitted
from tests.personas import Personas, make_user

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _notify(personas: Personas, key: str = "k:1", kind: str = Kind.ACK_OVERDUE) -> int:
    return notify_authority(
        authority=personas.kgz,
        request=None,
        kind=kind,
        params={"reference": "KAZ-2026-000001"},
        key=key,
    )


@pytest.mark.django_db
def test_it_notifies_each_active_caseworker_of_the_authority_once(
    personas: Personas, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    gone = make_user("kgz.gone", "kgz-gpo")
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(personas) == 2
        assert _notify(personas) == 0
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"kgz.officer", "kgz.reviewer"}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kgz.officer@example.org",
        "kgz.reviewer@example.org",
    ]


@pytest.mark.django_db
def test_the_email_waits_for_the_commit_and_goes_out_once(
    personas: Personas, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(personas)
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    for callback in callbacks:
        callback()
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    assert "Acknowledgement of KAZ-2026-000001 is overdue" in mail.outbox[0].subject
    assert "Acknowledgement of KAZ-2026-000001 is overdue" in str(mail.outbox[0].body)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rollback_sends_nothing_and_keeps_no_notice(personas: Personas) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(personas)
        raise RuntimeError("the caller failed")
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_notice_is_emailed_once(personas: Personas) -> None:
    with transaction.atomic():
        _notify(personas)
    _notify(personas)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_paused_emails_leave_the_notice_unmailed(personas: Personas) -> None:
    with emails_paused():
        assert _notify(personas) == 2
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_user_without_an_address_gets_the_notice_but_no_email(
    personas: Personas, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    personas.requested_reviewer.email = ""
    personas.requested_reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(personas) == 2
    assert [m.to for m in mail.outbox] == [["kgz.officer@example.org"]]
    assert Notification.objects.get(user=personas.requested_reviewer).emailed_at is None


def _notice(kind: str, **params: Any) -> Notification:
    return Notification(kind=kind, params={"reference": "KAZ-2026-000001", **params})


def test_the_texts_name_the_request_and_what_happened() -> None:
    with translation.override("en"):
        assert (
            notification_text(_notice(Kind.TRANSITION, action="acknowledge"))
            == "Request KAZ-2026-000001 was acknowledged"
        )
        assert (
            notification_text(_notice(Kind.ACK_OVERDUE))
            == "Acknowledgement of KAZ-2026-000001 is overdue"
        )
        assert (
            notification_text(_notice(Kind.RESPONSE_DUE_SOON, due="2026-03-04T10:00:00+00:00"))
            == "Response to KAZ-2026-000001 is due on March 4, 2026"
        )
        assert notification_text(_notice(Kind.MESSAGE)) == "New message on KAZ-2026-000001"
        assert notification_text(_notice("something_new")) == "Update on KAZ-2026-000001"


@pytest.mark.django_db
def test_marking_read_touches_only_the_readers_own_notices(personas: Personas) -> None:
    _notify(personas, key="k:1")
    _notify(personas, key="k:2")
    officer, reviewer = personas.requested_officer, personas.requested_reviewer
    first = Notification.objects.get(user=officer, key="k:1")
    theirs = Notification.objects.get(user=reviewer, key="k:1")
    assert unread_count(user=officer) == 2
    assert notifications_mark_read(user=officer, ids=[first.public_id, theirs.public_id]) == 1
    assert unread_count(user=officer) == 1
    assert unread_count(user=reviewer) == 2
    assert notifications_mark_read(user=officer, ids=None) == 1
    assert unread_count(user=officer) == 0
    assert notifications_mark_read(user=officer, ids=[uuid.uuid4()]) == 0


@pytest.mark.django_db
def test_the_list_holds_only_the_users_notices_newest_first(personas: Personas) -> None:
    officer = personas.requested_officer
    _notify(personas, key="k:old")
    Notification.objects.filter(key="k:old").update(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    _notify(personas, key="k:new")
    keys = [n.key for n in notification_list(user=officer)]
    assert keys == ["k:new", "k:old"]
    assert notification_list(user=personas.requesting_officer).count() == 0


@pytest.mark.django_db
def test_nobody_outside_the_casework_roles_is_notified(personas: Personas) -> None:
    make_user("kgz.coordinator", "kgz-gpo", Role.COORDINATOR)
    assert _notify(personas) == 2
    assert not Notification.objects.filter(user__username="kgz.coordinator").exists()


# Delivery of envelopes ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_submitted_request_leaves_one_delivery_evidence_and_notifies_the_recipient(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    envelope = OutboxEnvelope.objects.get(subject_id=request.public_id)
    assert envelope.status == "delivered"
    evidence = TimelineEvent.objects.get(request=request, kind="delivery")
    assert evidence.details == {
        "envelope": str(envelope.envelope_id),
        "message_type": "request.submitted",
        "recipient": "kgz-gpo",
        "evidence": "delivered",
    }
    notices = Notification.objects.filter(key=f"env:{envelope.envelope_id}")
    assert set(notices.values_list("user__username", flat=True)) == {
        "kgz.officer",
        "kgz.reviewer",
    }
    with translation.override("en"):
        assert notification_text(notices[0]) == f"New request {request.reference} was submitted"
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_envelope_delivered_twice_has_no_second_effect(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    inbox = InboxEnvelope.objects.get(subject_id=request.public_id)
    again = {
        "envelope_id": inbox.envelope_id,
        "message_type": inbox.message_type,
        "sender_node": inbox.sender_node,
        "sender_authority": inbox.sender_authority,
        "recipient_authority": inbox.recipient_authority,
        "subject_id": inbox.subject_id,
        "payload": inbox.payload,
    }
    assert inbox_accept(**again) is False
    assert inbox_accept(**again) is False
    assert TimelineEvent.objects.filter(request=request, kind="delivery").count() == 1
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_message_notifies_the_other_side_only(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    services.message_post(actor=personas.requested_officer, request=request, body="Получено.")
    on_message = Notification.objects.filter(kind=Kind.MESSAGE)
    assert set(on_message.values_list("user__username", flat=True)) == {
        "kaz.officer",
        "kaz.reviewer",
    }
    with translation.override("en"):
        assert notification_text(on_message[0]) == f"New message on {request.reference}"


def test_every_kind_has_a_text() -> None:
    with translation.override("en"):
        for kind in Kind:
            text = notifications.notification_text(_notice(kind, action="execute", due=""))
            assert "KAZ-2026-000001" in text
