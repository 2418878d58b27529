from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.cooperation.lifecycle import Action, RefusalGround, Status
from comity.core.models import IccsCode
from comity.directory.models import Authority, State


class RequestType(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    PROVISIONAL_ARREST = "provisional_arrest", _("Provisional arrest")
    FREEZING = "freezing", _("Freezing")
    SEIZURE = "seizure", _("Seizure")
    CONFISCATION = "confiscation", _("Confiscation")
    ASSET_RETURN = "asset_return", _("Asset return or sharing")
    RECORDS_EXTRACT = "records_extract", _("Criminal-record extract")
    CONVICTION_NOTICE = "conviction_notice", _("Conviction notice")
    TRANSFER_OF_PROCEEDINGS = "transfer_of_proceedings", _("Transfer of proceedings")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent (detained person or imminent loss)")


class ProceedingsNature(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    TRIAL = "trial", _("Trial")
    ENFORCEMENT = "enforcement", _("Enforcement of a sentence or order")
    CONFISCATION = "confiscation", _("Confiscation proceedings")


class Measure(models.TextChoices):
    BANK_RECORDS = "bank_records", _("Bank records")
    WITNESS_STATEMENT = "witness_statement", _("Taking of a witness statement")
    SUSPECT_INTERVIEW = "suspect_interview", _("Interview of a suspect")
    DOCUMENTS = "documents", _("Production of documents or records")
    SEARCH_AND_SEIZURE = "search_and_seizure", _("Search and seizure")
    SERVICE_OF_DOCUMENTS = "service_of_documents", _("Service of judicial documents")
    IDENTIFY_LOCATE = "identify_locate", _("Identify or locate persons or objects")
    FREEZE_ASSETS = "freeze_assets", _("Freeze or seize assets")
    CONFISCATE_ASSETS = "confiscate_assets", _("Confiscate assets")
    EXPERT_EVIDENCE = "expert_evidence", _("Expert evaluation")
    VIDEO_HEARING = "video_hearing", _("Hearing by video conference")
    TEMPORARY_TRANSFER = "temporary_transfer", _("Temporary transfer of a detained person")
    ARREST = "arrest", _("Arrest and surrender of a person")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record information")
    OTHER = "other", _("Other")


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    CONVICTED = "convicted", _("Convicted person")
    PERSON_SOUGHT = "person_sought", _("Person sought")
    WITNESS = "witness", _("Witness")
    VICTIM = "victim", _("Victim")
    OTHER = "other", _("Other")


class ExtraditionBasis(models.TextChoices):
    """Why the person is sought: the two branches of an extradition request."""

    PROSECUTION = "prosecution", _("Prosecution (the person is accused)")
    ENFORCEMENT = "enforcement", _("Enforcement of a sentence (the person is convicted)")


class RecordPurpose(models.TextChoices):
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", _("Criminal proceedings")
    OTHER = "other", _("Another purpose allowed by law")


class PropertyKind(models.TextChoices):
    BANK_ACCOUNT = "bank_account", _("Bank account")
    REAL_ESTATE = "real_estate", _("Real estate")
    VEHICLE = "vehicle", _("Vehicle")
    COMPANY_SHARES = "company_shares", _("Company shares")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class Case(models.Model):
    """The requesting authority's file: it groups the requests sent in one matter."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="cases", verbose_name=_("authority")
    )
    reference = models.CharField(_("case reference"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="case_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Request(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="requests", verbose_name=_("case")
    )
    type = models.CharField(_("type"), max_length=32, choices=RequestType.choices)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=255)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_reason = models.TextField(_("reasons for urgency"), blank=True)
    requesting_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="outgoing_requests",
        verbose_name=_("requesting authority"),
    )
    requested_state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        related_name="incoming_requests",
        verbose_name=_("requested state"),
    )
    requested_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="incoming_requests",
        verbose_name=_("requested central authority"),
    )
    executing_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="executing_requests",
        null=True,
        blank=True,
        verbose_name=_("executing authority"),
    )
    proceedings_nature = models.CharField(
        _("nature of the proceedings"),
        max_length=32,
        choices=ProceedingsNature.choices,
        default=ProceedingsNature.INVESTIGATION,
    )
    proceedings_reference = models.CharField(_("proceedings reference"), max_length=64, blank=True)
    conducting_authority = models.CharField(
        _("authority conducting the proceedings"), max_length=255, blank=True
    )
    summary_of_facts = models.TextField(_("summary of facts"), blank=True)
    purpose = models.TextField(_("purpose of the request"), blank=True)
    particular_procedure = models.TextField(_("particular procedure to follow"), blank=True)
    confidentiality = models.TextField(_("confidentiality required, and why"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # The instruments chosen in the legal-basis finder (treaties.Instrument codes), in order.
    legal_basis_codes = models.JSONField(_("legal basis: instruments"), default=list, blank=True)
    time_limit = models.DateField(_("time limit requested"), null=True, blank=True)
    # Optional items of the UN Model Treaty on MLA (art. 5) and good practice.
    questions_for_witnesses = models.TextField(_("questions to put to witnesses"), blank=True)
    bank_details = models.TextField(_("bank, accounts and period concerned"), blank=True)
    # Extradition and provisional arrest (docs/checks.md): the branch, the warrant or the
    # judgment, the penalty. The *_years and *_months numbers feed the threshold checks.
    extradition_basis = models.CharField(
        _("the person is sought for"), max_length=16, choices=ExtraditionBasis.choices, blank=True
    )
    warrant_reference = models.CharField(_("warrant: reference"), max_length=64, blank=True)
    warrant_date = models.DateField(_("warrant: date"), null=True, blank=True)
    warrant_authority = models.CharField(_("warrant: issued by"), max_length=255, blank=True)
    judgment_reference = models.CharField(_("judgment: reference"), max_length=64, blank=True)
    judgment_date = models.DateField(_("judgment: date"), null=True, blank=True)
    judgment_court = models.CharField(_("judgment: court"), max_length=255, blank=True)
    in_absentia = models.BooleanField(_("judgment given in absentia"), null=True, blank=True)
    retrial_assurance = models.TextField(
        _("in absentia: the right to a retrial or other means of defence"), blank=True
    )
    max_penalty = models.CharField(_("maximum penalty for the offence"), max_length=255, blank=True)
    max_penalty_years = models.DecimalField(
        _("maximum penalty in years of imprisonment"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    sentence_imposed = models.CharField(_("sentence imposed"), max_length=255, blank=True)
    sentence_imposed_months = models.DecimalField(
        _("sentence imposed in months"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    sentence_remaining = models.CharField(
        _("sentence remaining to be served"), max_length=255, blank=True
    )
    death_penalty_possible = models.BooleanField(
        _("the offence may carry the death penalty"), null=True, blank=True
    )
    fiscal_offence_only = models.BooleanField(
        _("a fiscal (tax, customs, currency) offence only"), null=True, blank=True
    )
    intention_to_request_extradition = models.BooleanField(
        _("a formal extradition request will follow"), null=True, blank=True
    )
    arrest_date = models.DateField(_("date of the provisional arrest"), null=True, blank=True)
    formal_request_by = models.DateField(
        _("formal extradition request planned by"), null=True, blank=True
    )
    # Criminal-record extract.
    record_purpose = models.CharField(
        _("purpose of the extract"), max_length=32, choices=RecordPurpose.choices, blank=True
    )
    refusal_ground = models.CharField(
        _("ground for refusal"), max_length=48, choices=RefusalGround.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement_due = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Reference, title, proceedings reference and persons' names, folded (comity.core.text),
    # so that one indexed column answers the list's free-text search in any script.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # One per branch of comity.policy.request_visibility: each box reads its rows in
            # the order it shows them (date, then id) from the index alone, and counts them
            # from the index alone (status inside).
            models.Index(
                fields=["requested_authority", "-submitted_at", "-id", "status"],
                name="req_incoming_idx",
            ),
            # Only the authority: the COUNT of a whole incoming box (every page of it, and the
            # API's count) scans this instead of the wider index above, about a third faster
            # on PostgreSQL (docs/benchmarks.md).
            models.Index(
                fields=["requested_authority"],
                condition=models.Q(submitted_at__isnull=False),
                name="req_incoming_count_idx",
            ),
            models.Index(
                fields=["executing_authority", "-submitted_at", "-id", "status"],
                name="req_executing_idx",
            ),
            models.Index(
                fields=["requesting_authority", "-created_at", "-id", "status"],
                name="req_outgoing_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Offence(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="offences")
    position = models.PositiveSmallIntegerField(default=0)
    iccs = models.ForeignKey(
        IccsCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("ICCS code")
    )
    provision = models.CharField(_("national provision"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "id"]


class AssistanceMeasure(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="assistance_sought")
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["position", "id"]


class Person(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=255)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    details = models.TextField(_("identifying details"), blank=True)

    class Meta:
        ordering = ["position", "id"]


class Property(models.Model):
    """An asset to be frozen, seized or confiscated, and what ties it to the offence."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="properties")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=PropertyKind.choices)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location or holder"), max_length=255, blank=True)
    identifier = models.CharField(
        _("identifier (IBAN, title number, registration)"), max_length=255, blank=True
    )
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    offence_link = models.TextField(_("link to the offence"), blank=True)
    order_reference = models.CharField(_("order: reference"), max_length=64, blank=True)
    order_date = models.DateField(_("order: date"), null=True, blank=True)
    order_authority = models.CharField(_("order: issued by"), max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("property")
        verbose_name_plural = _("properties")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    TRANSITION = "transition", _("Status change")
    MESSAGE = "message", _("Message")
    ATTACHMENT = "attachment", _("Attachment")
    DELIVERY = "delivery", _("Delivery")
    DEADLINE = "deadline", _("Deadline")
    ASSET = "asset", _("Asset")


class TimelineEvent(models.Model):
    """One entry on a request's timeline. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    action = models.CharField(max_length=32, choices=Action.choices, blank=True)
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class Message(models.Model):
    """A message between the two sides of a request, threaded by ``parent``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class MessageReceipt(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="one_receipt_per_reader")
        ]


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploader_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255)
    description = models.CharField(_("description"), max_length=255, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class Notification(models.Model):
    """An in-app notice to one user. ``key`` makes raising it idempotent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=128)
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]


class ReferenceCounter(models.Model):
    """Next number for request references, per requesting state and year."""

    state_iso3 = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_iso3", "year"], name="one_counter_per_year")
        ]
