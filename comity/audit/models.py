from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only, hash-chained audit record. Never updated or deleted.

    ``hash`` = SHA-256 over the previous event's hash and this event's canonical content,
    so changing or removing any row breaks the chain from that row on.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"))
    code = models.PositiveIntegerField(_("event code"), db_index=True)
    action = models.CharField(_("action"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    authority_key = models.CharField(_("authority"), max_length=64, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=64, blank=True)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject_type}:{self.subject_id}"


class AuditHead(models.Model):
    """A single row locked by every append, so the chain has exactly one successor per link."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
