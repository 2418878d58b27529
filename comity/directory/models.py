from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=128)
    name_ru = models.CharField(_("name (Russian)"), max_length=128)
    name_fa = models.CharField(_("name (Persian)"), max_length=128)
    is_member = models.BooleanField(
        _("member of the network"),
        default=False,
        help_text=_("States whose authorities work on this node."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        localized: str = getattr(self, f"name_{language}", "") or self.name_en
        return localized


class AuthorityKind(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    POLICE = "police", _("Police")
    FIU = "fiu", _("Financial intelligence unit")
    ASSET_RECOVERY = "asset_recovery", _("Asset-recovery office")
    CRIMINAL_RECORDS = "criminal_records", _("Criminal-records bureau")
    MINISTRY = "ministry", _("Ministry")
    OTHER = "other", _("Other")


class Authority(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(
        _("stable key"),
        max_length=64,
        unique=True,
        help_text=_("Identifies the row in the reference file, e.g. kaz-gpo."),
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="authorities", verbose_name=_("state")
    )
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_local = models.CharField(_("name (local language)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AuthorityKind.choices)
    tags = models.JSONField(_("roles in cooperation"), default=list, blank=True)
    is_central_authority = models.BooleanField(_("central authority"), default=False)
    is_primary = models.BooleanField(
        _("default central authority"),
        default=False,
        help_text=_("Receives requests addressed to the state when no other is chosen."),
    )
    role = models.TextField(_("role in cooperation"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    languages = models.TextField(_("languages accepted"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # Published contact details are copied as published: several numbers, a note on the source.
    phone = models.CharField(_("phone"), max_length=255, blank=True)
    email = models.CharField(_("email"), max_length=255, blank=True)
    website = models.CharField(_("website"), max_length=500, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=16, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Not from a published source.")
    )

    class Meta:
        ordering = ["state__name_en", "-is_central_authority", "name_en"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(is_primary=True),
                name="one_default_central_authority_per_state",
            )
        ]

    def __str__(self) -> str:
        return self.name_en
