"""Informal consultation: a draft shared with the requested central authority before it is sent.

What the other side reads is a snapshot (a revision) taken when the draft was shared, never the
live draft. Comments stay here: nothing of a consultation is copied into the request.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comity.cooperation.models import Request
from comity.directory.models import Authority, ContactPoint


class ConsultationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("consultation", "Open")
    CLOSED = "closed", pgettext_lazy("consultation", "Closed")


class ClosedBecause(models.TextChoices):
    """Why a consultation ended: the drafter closed it, or the request left draft."""

    CLOSED = "closed", _("Closed by the requesting authority")
    SUBMITTED = "submitted", _("The request was submitted")
    WITHDRAWN = "withdrawn", _("The draft was withdrawn")


class Consultation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        Request,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("request"),
    )
    # Copied from the request when opened: who sees the consultation never changes with it.
    requesting_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="consultations_opened",
        verbose_name=_("requesting authority"),
    )
    requested_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="consultations_received",
        verbose_name=_("requested central authority"),
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact point"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
    )
    revision = models.PositiveIntegerField(_("current revision"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    last_activity_at = models.DateTimeField(_("last activity"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_because = models.CharField(
        _("closed because"), max_length=16, choices=ClosedBecause.choices, blank=True
    )

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="open"),
                name="one_open_consultation_per_request",
            )
        ]
        indexes = [
            # One per side of comity.policy.consultation_visibility_q.
            models.Index(
                fields=["requesting_authority", "status", "-last_activity_at"],
                name="consult_requesting_idx",
            ),
            models.Index(
                fields=["requested_authority", "status", "-last_activity_at"],
                name="consult_requested_idx",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ConsultationRevision(models.Model):
    """The draft as it was shared, once per "share"; older revisions are kept as they were."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("shared contents"))
    note = models.TextField(_("note"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared at"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="one_revision_number_per_consultation"
            )
        ]


class ConsultationComment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    # The part of the draft the comment is about (a key of the snapshot); empty: the whole.
    field = models.CharField(_("about"), max_length=64, blank=True)
    revision = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "id"]
