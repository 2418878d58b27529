"""Transports carry an outbox envelope to the recipient node (docs/exchange.md).

A transport has one method, ``send(envelope) -> None``: it returns when the recipient has
accepted the envelope (or already had it) and raises ``DeliveryError`` otherwise. The
in-process transport serves a hub; a network transport between national nodes plugs in
here without touching the services that write the outbox.
"""

from __future__ import annotations

from typing import Protocol

from comity.exchange.models import OutboxEnvelope


class DeliveryError(Exception):
    """The envelope did not reach the recipient; it will be retried."""


class Transport(Protocol):
    def send(self, envelope: OutboxEnvelope) -> None: ...


def transport_for(envelope: OutboxEnvelope) -> Transport:
    from django.conf import settings

    from comity.exchange.transports.inprocess import InProcessTransport

    if envelope.recipient_node == settings.COMITY_NODE_ID:
        return InProcessTransport()
    raise DeliveryError(f"no transport to node {envelope.recipient_node!r}")
