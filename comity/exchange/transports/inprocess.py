"""Delivery inside one hub: the recipient's inbox is in the same database."""

from __future__ import annotations

from comity.exchange.models import OutboxEnvelope
from comity.exchange.services import inbox_accept


class InProcessTransport:
    def send(self, envelope: OutboxEnvelope) -> None:
        inbox_accept(
            envelope_id=envelope.envelope_id,
            message_type=envelope.message_type,
            sender_node=envelope.sender_node,
            sender_authority=envelope.sender_authority,
            recipient_authority=envelope.recipient_authority,
            subject_id=envelope.subject_id,
            payload=envelope.payload,
        )
