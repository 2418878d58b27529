from __future__ import annotations

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "comity.cooperation"
    label = "cooperation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from comity.cooperation.tasks import envelope_delivered
        from comity.exchange.handlers import register
        from comity.exchange.models import MessageType

        # Every envelope about a request leaves a delivery evidence and a notice.
        for message_type in (
            MessageType.REQUEST_SUBMITTED,
            MessageType.REQUEST_TRANSITION,
            MessageType.REQUEST_MESSAGE,
            MessageType.REQUEST_ATTACHMENT,
        ):
            register(message_type, envelope_delivered)
