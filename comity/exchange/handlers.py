"""What a node does with an envelope it accepted. Apps register one handler per type."""

from __future__ import annotations

from collections.abc import Callable

from comity.exchange.models import InboxEnvelope

Handler = Callable[[InboxEnvelope], None]
_HANDLERS: dict[str, Handler] = {}


def register(message_type: str, handler: Handler) -> None:
    _HANDLERS[message_type] = handler


def handler_for(message_type: str) -> Handler | None:
    return _HANDLERS.get(message_type)
