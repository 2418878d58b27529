"""Generated request documents: immutable, hashed versions, and translations of typed facts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.cooperation.lifecycle import Status
from comity.cooperation.models import Attachment, Request, TimelineEvent


class Format(models.TextChoices):
    PDF = "pdf", _("PDF (for sending)")
    DOCX = "docx", _("Word (editable, for signature)")


class Layout(models.TextChoices):
    SINGLE = "single", _("One language")
    BILINGUAL = "bilingual", _("Two languages side by side")


class TranslationStatus(models.TextChoices):
    NEEDED = "needed", _("Translation needed")
    DONE = "done", _("Translated")
    CERTIFIED = "certified", _("Certified translation")


class DocumentVersion(models.Model):
    """One generated document. Never changed after it is written, except ``sent``.

    ``content_sha256`` is the hash printed in the document (its canonical content);
    ``sha256`` is the hash of the file as stored, which the file cannot contain.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="document_versions")
    number = models.PositiveIntegerField(_("version"))
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    layout = models.CharField(_("layout"), max_length=16, choices=Layout.choices)
    languages = models.JSONField(_("languages"), default=list)
    created_at = models.DateTimeField(_("generated at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status_at_generation = models.CharField(
        _("request status when generated"), max_length=32, choices=Status.choices
    )
    # The request's own version counter when generated: the content the document shows.
    request_version = models.PositiveIntegerField()
    transition_event = models.ForeignKey(
        TimelineEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last status change before generation"),
    )
    template_version = models.CharField(max_length=16)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    storage_name = models.CharField(max_length=255)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    sent = models.BooleanField(
        _("sent"),
        default=False,
        help_text=_("Generated after submission, or the text that was submitted."),
    )

    class Meta:
        ordering = ["request", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="document_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} v{self.number} {self.format}"

    @property
    def code_display(self) -> str:
        """The code as printed: groups of four, e.g. ABCD-EFGH-JK."""
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def filename(self) -> str:
        reference = self.request.reference.replace("/", "-")
        return f"{reference}-v{self.number}-{'-'.join(self.languages)}.{self.format}"


class FactTranslation(models.Model):
    """A translation of one typed field of a request into one document language.

    ``field`` names the request field, or a list item as ``persons.0.details``.
    """

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="translations")
    field = models.CharField(_("field"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("translation"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TranslationStatus.choices,
        default=TranslationStatus.NEEDED,
    )
    certified_file = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certified translation"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "field", "language"], name="one_translation_per_field"
            )
        ]
