from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageType(models.TextChoices):
    REQUEST_SUBMITTED = "request.submitted", _("Request submitted")
    REQUEST_TRANSITION = "request.transition", _("Status change")
    REQUEST_MESSAGE = "request.message", _("Message")
    REQUEST_ATTACHMENT = "request.attachment", _("Attachment")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Given up")


class OutboxEnvelope(models.Model):
    """A business message waiting to reach the other side.

    Written in the same transaction as the change it announces, so a rollback sends nothing;
    delivered after commit and retried with backoff until the transport confirms.
    """

    envelope_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_type = models.CharField(max_length=32, choices=MessageType.choices)
    sender_node = models.CharField(max_length=64)
    sender_authority = models.CharField(max_length=64)
    recipient_node = models.CharField(max_length=64)
    recipient_authority = models.CharField(max_length=64)
    subject_id = models.UUIDField(db_index=True)
    in_reply_to = models.UUIDField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]


class InboxEnvelope(models.Model):
    """Every envelope this node has accepted, once: a duplicate id is refused."""

    envelope_id = models.UUIDField(unique=True)
    message_type = models.CharField(max_length=32, choices=MessageType.choices)
    sender_node = models.CharField(max_length=64)
    sender_authority = models.CharField(max_length=64)
    recipient_authority = models.CharField(max_length=64)
    subject_id = models.UUIDField(db_index=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField()
