"""Instruments (treaties), who is party to them, and what each state declared.

Every fact carries its source and a confidence (high / medium / low), as in the reference
files (comity/treaties/reference/, README there). Coordinators correct and extend the data in
the admin or with `comity treaties import`; every change is kept in the history tables.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from comity.directory.models import State


class Confidence(models.TextChoices):
    HIGH = "high", _("High: read in the cited source")
    MEDIUM = "medium", _("Medium: inferred, secondary or conflicting sources")
    LOW = "low", _("Low: unverified")


class InstrumentKind(models.TextChoices):
    # Ordered from the most to the least specific: the finder lists them in this order.
    BILATERAL = "bilateral", _("Bilateral")
    REGIONAL = "regional", _("Regional")
    MULTILATERAL = "multilateral", _("Multilateral")


class Cooperation(models.TextChoices):
    """What an instrument is a legal basis for. The finder's `measure` maps onto these."""

    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    CONFISCATION = "confiscation", _("Freezing, seizure, confiscation and asset return")
    CRIMINAL_RECORDS = "criminal_records", _("Criminal-record information")
    TRANSFER_OF_PROCEEDINGS = "transfer_of_proceedings", _("Transfer of proceedings")
    TRANSFER_OF_SENTENCED = "transfer_of_sentenced", _("Transfer of sentenced persons")


class Instrument(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        allow_unicode=False,
        help_text=_("As in the reference data, e.g. UNTOC or BIL_EXT_KAZ_KGZ_1997."),
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    short_title = models.CharField(_("short title"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstrumentKind.choices)
    cooperation = models.JSONField(
        _("cooperation covered"), default=list, help_text=_("Values of Cooperation.")
    )
    # Offence scope. all_offences: any offence (subject to dual criminality and thresholds);
    # otherwise the ICCS codes (and their sub-codes) listed in scope_iccs are in scope, and
    # scope_conditional says whether other offences may still be, under scope_note.
    all_offences = models.BooleanField(_("covers any offence"), default=False)
    scope_iccs = models.JSONField(_("ICCS codes in scope"), default=list, blank=True)
    scope_conditional = models.BooleanField(
        _("other offences in scope under a condition"), default=False
    )
    scope_note = models.TextField(_("scope"), blank=True)
    adopted = models.DateField(_("adopted or signed"), null=True, blank=True)
    in_force = models.DateField(_("entry into force (instrument)"), null=True, blank=True)
    eif_days_after_deposit = models.PositiveSmallIntegerField(
        _("enters into force for a state N days after its deposit"),
        null=True,
        blank=True,
        help_text=_("e.g. 30 for UNTOC and UNCAC, 90 for the 1988 Convention; empty if unknown."),
    )
    depositary = models.CharField(_("depositary"), max_length=200, blank=True)
    request_content = models.TextField(_("what a request under it must contain"), blank=True)
    supersedes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("replaces, between states party to both"),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[supersedes])

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.short_title or self.code

    @property
    def title(self) -> str:
        if (get_language() or "en")[:2] == "ru" and self.title_ru:
            return self.title_ru
        return self.title_en


class Article(models.Model):
    """A key article of an instrument, per kind of cooperation ("" = general)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="articles")
    cooperation = models.CharField(
        _("cooperation"), max_length=32, choices=Cooperation.choices, blank=True
    )
    article = models.CharField(_("article"), max_length=40)
    topic = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    verify = models.BooleanField(
        _("numbering to verify"), default=False, help_text=_("Marked (verify) in the source.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "cooperation", "article"], name="one_article_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} art. {self.article}"


class PartyStatus(models.TextChoices):
    PARTY = "party", _("Party")
    SIGNATORY = "signatory", _("Signatory only")
    NOT_PARTY = "not_party", _("Not a party")
    WITHDRAWN = "withdrawn", _("Withdrawn or not in force")
    DISPUTED = "disputed", _("Disputed or unclear")
    REPORTED = "reported", _("Reported to exist; status not confirmed")


class Participation(models.Model):
    """One state's relation to one instrument (a row of parties.csv)."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="participations"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(_("status"), max_length=16, choices=PartyStatus.choices)
    status_text = models.TextField(_("status as recorded"), blank=True)
    signed = models.DateField(_("signed"), null=True, blank=True)
    deposited = models.DateField(
        _("ratification or accession deposited"),
        null=True,
        blank=True,
        help_text=_("For bilateral treaties: the entry-into-force date."),
    )
    entry_into_force = models.DateField(
        _("entry into force for this state (recorded)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to compute it from the deposit and the instrument's rule."),
    )
    caveat = models.TextField(_("caveat"), blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "state__iso3"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "state"], name="one_row_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.state_id}: {self.instrument_id} ({self.status})"

    def effective_entry_into_force(self) -> tuple[date | None, bool]:
        """(date, computed): the recorded date, else the one the instrument's rule gives.

        Bilateral rows hold the entry-into-force date in `deposited` (parties.csv convention).
        For a multilateral instrument: the later of its own entry into force and the deposit
        plus its N days (e.g. UNTOC art. 38(2): the 30th day after the deposit).
        """
        if self.entry_into_force:
            return self.entry_into_force, False
        instrument = self.instrument
        if instrument.kind == InstrumentKind.BILATERAL:
            return self.deposited, False
        if self.deposited is None or instrument.eif_days_after_deposit is None:
            return None, True
        computed = self.deposited + timedelta(days=instrument.eif_days_after_deposit)
        if instrument.in_force and instrument.in_force > computed:
            computed = instrument.in_force
        return computed, True


class DeclarationTopic(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    LANGUAGES = "languages", _("Accepted languages")
    EXTRADITION_BASIS = "extradition_basis", _("The convention as a legal basis for extradition")
    OWN_NATIONALS = "own_nationals", _("Extradition of own nationals")
    RESERVATION = "reservation", _("Reservation")
    CHANNEL = "channel", _("Channel of communication")
    OTHER = "other", _("Other")


class Declaration(models.Model):
    """A declaration, reservation or national rule of a state (instrument empty = national law)."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="declarations")
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="declarations",
        null=True,
        blank=True,
    )
    topic = models.CharField(_("topic"), max_length=32, choices=DeclarationTopic.choices)
    article = models.CharField(_("article"), max_length=40, blank=True)
    text = models.TextField(_("what it says"))
    # For extradition_basis: True = the state takes the instrument as a legal basis.
    # For own_nationals: False = the state does not extradite its nationals.
    value = models.BooleanField(_("yes / no"), null=True, blank=True)
    lodged = models.BooleanField(
        _("lodged with the depositary"),
        null=True,
        blank=True,
        help_text=_("Empty: not confirmed (often only the national ratification act was read)."),
    )
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["state__iso3", "instrument__code", "topic"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self) -> str:
        return f"{self.state_id} {self.instrument_id or '-'} {self.topic}"
