from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from comity.cooperation import services
from comity.cooperation.models import TimelineEvent
from comity.cooperation.tasks import tick
from comity.exchange.models import InboxEnvelope, MessageType, OutboxEnvelope
from comity.exchange.services import outbox_deliver, outbox_deliver_due, outbox_enqueue
from tests.builders import submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def _to_elsewhere(personas: Personas) -> OutboxEnvelope:
    request = submitted(personas.requesting_officer)
    with transaction.atomic():
        envelope = outbox_enqueue(
            message_type=MessageType.REQUEST_MESSAGE,
            sender_authority="kaz-gpo",
            recipient_authority="kgz-gpo",
            recipient_node="elsewhere",
            subject_id=request.public_id,
            payload={"reference": request.reference},
        )
    envelope.refresh_from_db()
    return envelope


def test_an_envelope_to_an_unknown_node_stays_pending_with_a_backoff(
    personas: Personas,
) -> None:
    before = timezone.now()
    envelope = _to_elsewhere(personas)
    assert envelope.status == "pending"
    assert envelope.attempts == 1
    assert "elsewhere" in envelope.last_error
    assert envelope.next_attempt_at >= before + timedelta(seconds=30)
    assert not InboxEnvelope.objects.filter(envelope_id=envelope.envelope_id).exists()


def test_a_pending_envelope_is_not_retried_before_its_time(personas: Personas) -> None:
    envelope = _to_elsewhere(personas)
    assert outbox_deliver_due() == (0, 0)
    tick()
    envelope.refresh_from_db()
    assert envelope.attempts == 1


def test_a_due_retry_fails_again_backs_off_further_and_is_not_duplicated(
    personas: Personas,
) -> None:
    envelope = _to_elsewhere(personas)
    # The clock cannot be moved, so the retry time is brought forward instead.
    OutboxEnvelope.objects.filter(pk=envelope.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    before = timezone.now()

    result = tick()

    assert (result.delivered, result.pending) == (0, 1)
    envelope.refresh_from_db()
    assert envelope.status == "pending"
    assert envelope.attempts == 2
    assert envelope.next_attempt_at >= before + timedelta(seconds=60)
    assert OutboxEnvelope.objects.filter(recipient_node="elsewhere").count() == 1
    assert not InboxEnvelope.objects.filter(envelope_id=envelope.envelope_id).exists()


def test_a_retry_of_a_delivered_envelope_changes_nothing(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    envelope = OutboxEnvelope.objects.get(subject_id=request.public_id)
    assert envelope.status == "delivered"
    assert outbox_deliver(envelope_id=envelope.envelope_id) is True
    envelope.refresh_from_db()
    assert envelope.attempts == 1
    assert InboxEnvelope.objects.filter(envelope_id=envelope.envelope_id).count() == 1
    assert TimelineEvent.objects.filter(request=request, kind="delivery").count() == 1


def test_each_delivered_envelope_leaves_exactly_one_delivery_evidence(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    kgz = personas.requested_officer
    request = services.request_transition(actor=kgz, request=request, action="acknowledge")
    request = services.request_transition(
        actor=kgz,
        request=request,
        action="assign",
        executing_authority=personas.kgz_executing.public_id,
    )
    services.message_post(actor=kgz, request=request, body="Исполнение поручено СГФР.")

    envelopes = list(OutboxEnvelope.objects.filter(subject_id=request.public_id))
    assert all(e.status == "delivered" for e in envelopes)
    evidences = TimelineEvent.objects.filter(request=request, kind="delivery")
    assert sorted(e.details["envelope"] for e in evidences) == sorted(
        str(e.envelope_id) for e in envelopes
    )
    by_recipient = {(e.details["envelope"], e.details["recipient"]) for e in evidences}
    assert by_recipient == {(str(e.envelope_id), e.recipient_authority) for e in envelopes}
    assert {e.details["evidence"] for e in evidences} == {"delivered"}
