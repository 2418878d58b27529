from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# An entry not verified for longer than this is flagged as stale in the directory.
STALE_AFTER = timedelta(days=365)


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


class DualCriminality(models.TextChoices):
    ALWAYS = "always", _("Required for every request")
    COERCIVE = "coercive", _("Required for coercive measures only")
    RECIPROCITY = "reciprocity", _("Required only without a treaty (reciprocity)")
    NOT_REQUIRED = "not_required", _("Not required")


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
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_local = models.CharField(_("name (local language)"), max_length=255, blank=True)
    local_language = models.CharField(
        _("local language"), max_length=8, blank=True, help_text=_("ISO 639-1 code, e.g. kk, fa.")
    )
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
    urgent_contact = models.TextField(
        _("24/7 contact for urgent matters"),
        blank=True,
        help_text=_("Who answers out of hours: a duty phone, an e-mail, the INTERPOL channel."),
    )
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # [{"channel": Channel, "measures": [Measure values; empty = all], "note": "..."}]
    channels = models.JSONField(_("channels accepted"), default=list, blank=True)
    accepted_languages = models.JSONField(
        _("languages in which requests are accepted"),
        default=list,
        blank=True,
        help_text=_('ISO 639-1 codes, e.g. ["kk", "ru"].'),
    )
    translation_certified = models.BooleanField(
        _("translations must be certified"), null=True, blank=True
    )
    requires_e_signature = models.BooleanField(
        _("requires an electronic signature"), null=True, blank=True
    )
    requires_encryption = models.BooleanField(_("requires encryption"), null=True, blank=True)
    dual_criminality = models.CharField(
        _("dual criminality"), max_length=24, choices=DualCriminality.choices, blank=True
    )
    dual_criminality_note = models.TextField(_("dual criminality: details"), blank=True)
    evidence_use_limits = models.TextField(_("limits on the use of evidence"), blank=True)
    typical_execution_days = models.PositiveIntegerField(
        _("typical time to execute (days)"), null=True, blank=True
    )
    execution_time_note = models.CharField(_("time to execute: note"), max_length=255, blank=True)
    # {"bank_records": "what to send ...", "extradition": "..."}: documents needed per measure.
    documents = models.JSONField(_("documents needed per measure"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=16, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Not from a published source.")
    )
    unsourced_fields = models.JSONField(
        _("fields filled for the demo"),
        default=list,
        blank=True,
        help_text=_("Names of fields whose values are not from a published source."),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # Names in every script, folded and transliterated to Latin (see directory/search.py).
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

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

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        if language == "ru" and self.name_ru:
            return self.name_ru
        if language == self.local_language and self.name_local:
            return self.name_local
        return self.name_en

    def is_stale(self, today: date | None = None) -> bool:
        return is_stale(self.last_verified, today)


def is_stale(last_verified: date | None, today: date | None = None) -> bool:
    """Never verified, or verified more than a year ago."""
    if last_verified is None:
        return True
    return (today or timezone.localdate()) - last_verified > STALE_AFTER


class Channel(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Through the central authority")
    DIPLOMATIC = "diplomatic", _("Diplomatic channel")
    DIRECT_JUDICIAL = "direct_judicial", _("Directly between judicial authorities")
    INTERPOL = "interpol", _("INTERPOL (urgent requests)")


class FicheMeasure(models.TextChoices):
    """Measures a state fiche describes (the names match cooperation.Measure where shared)."""

    BANK_RECORDS = "bank_records", _("Bank records")
    FREEZE_ASSETS = "freeze_assets", _("Freezing of accounts and assets")
    CONFISCATE_ASSETS = "confiscate_assets", _("Confiscation")
    SEARCH_AND_SEIZURE = "search_and_seizure", _("Search and seizure")
    WITNESS_STATEMENT = "witness_statement", _("Taking of a witness statement")
    VIDEO_HEARING = "video_hearing", _("Hearing by video conference")
    SERVICE_OF_DOCUMENTS = "service_of_documents", _("Service of judicial documents")
    PROVISIONAL_ARREST = "provisional_arrest", _("Provisional arrest")
    EXTRADITION = "extradition", _("Extradition")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record information")


class Availability(models.TextChoices):
    YES = "yes", _("Available")
    CONDITIONAL = "conditional", _("Available under conditions")
    NO = "no", _("Not available")
    UNKNOWN = "unknown", _("Not known")


class MeasureFiche(models.Model):
    """Per state and measure: is it available, on what conditions, what to send, what instead."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="fiches")
    measure = models.CharField(_("measure"), max_length=32, choices=FicheMeasure.choices)
    availability = models.CharField(
        _("available"), max_length=16, choices=Availability.choices, default=Availability.UNKNOWN
    )
    conditions = models.TextField(_("conditions"), blank=True)
    what_to_send = models.TextField(_("what to send"), blank=True)
    alternative = models.TextField(_("what to ask for instead"), blank=True)
    legal_basis = models.TextField(_("national legal basis"), blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=16, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["state__name_en", "measure"]
        verbose_name = _("measure fiche")
        verbose_name_plural = _("measure fiches")
        constraints = [
            models.UniqueConstraint(fields=["state", "measure"], name="one_fiche_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.measure}"


class ContactPoint(models.Model):
    """A practitioner of the network: who to call, in which language, for which measures."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("authority")
    )
    name = models.CharField(_("name (as the person writes it)"), max_length=200)
    name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    name_cyrillic = models.CharField(_("name in Cyrillic script"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    measures = models.JSONField(_("measures they can help with"), default=list, blank=True)
    email = models.CharField(_("email"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=255, blank=True)
    available_24_7 = models.BooleanField(_("reachable 24/7"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["authority__state__name_en", "name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return self.name


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeTarget(models.TextChoices):
    AUTHORITY = "authority", _("Authority entry")
    CONTACT = "contact", _("Contact point")
    FICHE = "fiche", _("Measure fiche")


class EntryChange(models.Model):
    """A change to a directory entry proposed by the authority's own user; a coordinator
    approves (then it is applied, in the same transaction) or rejects it with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="changes", verbose_name=_("authority")
    )
    target = models.CharField(_("what"), max_length=16, choices=ChangeTarget.choices)
    # The contact point or fiche changed; empty for the authority itself or a new contact.
    target_id = models.BigIntegerField(null=True, blank=True)
    proposed = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("values when proposed"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        indexes = [models.Index(fields=["status", "proposed_at"])]

    def __str__(self) -> str:
        return f"{self.target} {self.authority_id} ({self.status})"
