"""Criminal-records registers, extract requests between authorities and conviction notices.

Each state keeps its own register (``Register``), kept by one authority (its criminal-records
bureau). Other authorities ask it for extracts; a conviction of a foreign national sends a
notice to the register of each state of nationality. Offences are ICCS-coded and penalties
use one code table, so a record reads the same in any language (docs/records.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.core.models import IccsCode
from comity.directory.models import Authority, State


class Register(models.Model):
    """A state's national criminal-records register and the authority that keeps it."""

    state = models.OneToOneField(State, on_delete=models.PROTECT, related_name="register")
    keeper = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", verbose_name=_("kept by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state__iso3"]
        verbose_name = _("criminal-records register")
        verbose_name_plural = _("criminal-records registers")

    def __str__(self) -> str:
        return f"{self.state.iso3} register"


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNKNOWN = "", _("not stated")


class Source(models.TextChoices):
    IMPORT = "import", _("imported")
    MANUAL = "manual", _("entered by hand")
    NOTICE = "notice", _("from a conviction notice")


class Person(models.Model):
    """A person in one register. ``birth_date`` may be partial: YYYY, YYYY-MM or YYYY-MM-DD."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="persons")
    ref = models.CharField(_("register reference"), max_length=64)
    full_name = models.CharField(_("full name as written"), max_length=255)
    surname = models.CharField(_("surname"), max_length=128, blank=True)
    given_name = models.CharField(_("given name"), max_length=128, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=128, blank=True)
    father_name = models.CharField(_("father's name"), max_length=128, blank=True)
    birth_date = models.CharField(_("birth date"), max_length=10, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    # ISO 3166 alpha-3 codes separated by spaces: read with every search, kept in the row.
    nationalities = models.CharField(_("nationalities"), max_length=64, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["register", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["register", "ref"], name="person_ref_once_per_register")
        ]
        # A search with a full birth date also reads the persons born that day (search.py).
        indexes = [models.Index(fields=["register", "birth_date"], name="person_born")]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"{self.ref} {self.full_name}"

    @property
    def nationality_list(self) -> list[str]:
        return self.nationalities.split()


class NameKind(models.TextChoices):
    ALIAS = "alias", _("alias")
    FORMER = "former", _("former name")
    SPELLING = "spelling", _("other spelling")


class PersonName(models.Model):
    """Another name of a person: an alias, a former name or another spelling."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(_("name as written"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=NameKind.choices)

    class Meta:
        ordering = ["id"]


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    NATIONAL_ID = "national_id", _("national identity card")
    RESIDENCE = "residence", _("residence permit")
    OTHER = "other", _("other document")


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64)
    issuing_state = models.CharField(_("issuing state (ISO alpha-3)"), max_length=3)

    class Meta:
        ordering = ["id"]


class NameKey(models.Model):
    """A blocking key of one of a person's names (comity.records.matching.index_keys).

    A search looks up the query's keys here and scores only the persons found, so it never
    reads the whole register. Rows are written with the person, in the same transaction.
    """

    register_id: int
    person_id: int
    # No index of their own: the lookup index starts with the register, namekey_person
    # serves deletes by person.
    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=48)
    # The person's birth date as YYYYMMDD, 00 for an unknown month or day: in the index, so
    # the candidate query ranks a namesake born another year lower without reading persons.
    born = models.IntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["register", "key", "person", "born"], name="namekey_lookup"),
            models.Index(fields=["person"], name="namekey_person"),
        ]


class ConvictionStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    SPENT = "spent", _("spent")
    REHABILITATED = "rehabilitated", _("rehabilitated")
    QUASHED = "quashed", _("quashed on appeal or review")


class Conviction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="convictions")
    court = models.CharField(_("court"), max_length=255)
    # The state whose court convicted; empty for the register's own state.
    convicting_state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("convicting state"),
    )
    case_number = models.CharField(_("case number"), max_length=64, blank=True)
    decision_date = models.DateField(_("date of the decision"))
    final_date = models.DateField(_("date the decision became final"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConvictionStatus.choices,
        default=ConvictionStatus.ACTIVE,
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-decision_date", "id"]
        verbose_name = _("conviction")
        verbose_name_plural = _("convictions")


class ConvictionOffence(models.Model):
    conviction = models.ForeignKey(Conviction, on_delete=models.CASCADE, related_name="offences")
    iccs = models.ForeignKey(
        IccsCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("ICCS code")
    )
    provision = models.CharField(_("national provision"), max_length=255)
    committed_on = models.DateField(_("date committed"), null=True, blank=True)

    class Meta:
        ordering = ["id"]


class PenaltyKind(models.TextChoices):
    """Penalties and measures, coded so that an extract reads the same in every language."""

    IMPRISONMENT = "imprisonment", _("imprisonment")
    LIFE_IMPRISONMENT = "life", _("life imprisonment")
    DEATH = "death", _("death penalty")
    FINE = "fine", _("fine")
    COMMUNITY_WORK = "community_work", _("community work")
    CORRECTIONAL_LABOUR = "correctional_labour", _("correctional labour")
    RESTRICTION_OF_LIBERTY = "restriction", _("restriction of liberty")
    PROBATION = "probation", _("probation")
    DISQUALIFICATION = "disqualification", _("disqualification from a post or activity")
    CONFISCATION = "confiscation", _("confiscation")
    EXPULSION = "expulsion", _("expulsion")
    OTHER = "other", _("other penalty or measure")


class Penalty(models.Model):
    conviction = models.ForeignKey(Conviction, on_delete=models.CASCADE, related_name="penalties")
    kind = models.CharField(_("penalty or measure"), max_length=24, choices=PenaltyKind.choices)
    months = models.PositiveIntegerField(_("length in months"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)
    suspended_months = models.PositiveIntegerField(
        _("period of suspension in months"), null=True, blank=True
    )

    class Meta:
        ordering = ["id"]


class Purpose(models.TextChoices):
    CRIMINAL_PROCEEDINGS = "criminal", _("criminal proceedings")
    EMPLOYMENT = "employment", _("employment or licence")
    IMMIGRATION = "immigration", _("residence, visa or citizenship")
    PERSONAL = "personal", _("request of the person concerned")
    OTHER = "other", _("other purpose")


class ExtractStatus(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting an answer")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Answer(models.TextChoices):
    EXTRACT = "extract", _("extract of the record")
    NO_RECORD = "no_record", _("no record")


class ExtractRequest(models.Model):
    """A request for an extract of a state's register, from another state's authority."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    requesting_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requesting authority"),
    )
    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="extract_requests"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    purpose_detail = models.CharField(_("purpose in detail"), max_length=255, blank=True)
    # The identifying data sent, as typed by the requesting officer.
    subject_name = models.CharField(_("name of the person"), max_length=255)
    subject_other_names = models.CharField(
        _("other names or spellings"), max_length=255, blank=True
    )
    subject_birth_date = models.CharField(_("birth date"), max_length=10, blank=True)
    subject_birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    subject_nationality = models.CharField(_("nationality (ISO alpha-3)"), max_length=3, blank=True)
    subject_father_name = models.CharField(_("father's name"), max_length=128, blank=True)
    subject_document = models.CharField(_("identity document"), max_length=128, blank=True)
    status = models.CharField(
        max_length=16, choices=ExtractStatus.choices, default=ExtractStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField()
    due_on = models.DateField(_("answer due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    matched_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_note = models.CharField(
        _("how the identity was confirmed"), max_length=500, blank=True
    )
    answer = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    # The extract as sent: codes and facts, rendered in the reader's language (never re-read
    # from the register, which may change after the answer).
    extract = models.JSONField(default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["register", "status", "due_on"], name="extract_incoming"),
            models.Index(fields=["requesting_authority", "-submitted_at"], name="extract_outgoing"),
        ]
        verbose_name = _("extract request")
        verbose_name_plural = _("extract requests")


class ExtractCounter(models.Model):
    """Next number for extract-request references, per requesting state and year."""

    state_iso3 = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_iso3", "year"], name="one_extract_counter")
        ]


class ExtractDeadline(models.Model):
    """Working days to answer, per pair of states and purpose (an agreement may fix them).

    Without a row the defaults apply: 10 working days for criminal proceedings, 20 for other
    purposes (settings COMITY_RECORDS_DAYS_CRIMINAL / COMITY_RECORDS_DAYS_OTHER).
    """

    requesting_state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    requested_state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    criminal_days = models.PositiveSmallIntegerField(_("working days, criminal proceedings"))
    other_days = models.PositiveSmallIntegerField(_("working days, other purposes"))
    agreement = models.CharField(_("agreement"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requesting_state", "requested_state"], name="extract_deadline_once"
            )
        ]


class NoticeStatus(models.TextChoices):
    RECEIVED = "received", _("to be matched")
    MATCHED = "matched", _("matched to a person")
    CREATED = "created", _("person created")


class ConvictionNotice(models.Model):
    """A conviction of a foreign national, notified to the register of a state of nationality.

    ``content`` is the notice as sent (person and conviction, coded); the receiving officer
    matches it to a person of their register or creates one, which records the conviction.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conviction = models.ForeignKey(Conviction, on_delete=models.PROTECT, related_name="notices")
    sender = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="notices_sent")
    recipient = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="notices_received"
    )
    content = models.JSONField()
    status = models.CharField(
        max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.RECEIVED
    )
    sent_at = models.DateTimeField()
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_conviction = models.ForeignKey(
        Conviction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conviction", "recipient"], name="notice_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["recipient", "status", "-sent_at"], name="notice_inbox")]
