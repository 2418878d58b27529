"""Writes of the records exchange: registers, persons, convictions, extracts, notices.

Each service runs in one transaction, writes its audit event and raises its notices inside
it, so a rollback leaves nothing behind (docs/records.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.notifications import Kind, notify_authority
from comity.core.models import IccsCode
from comity.directory.models import Authority, AuthorityKind, State
from comity.records.dates import PartialDateError, add_working_days, partial_date
from comity.records.models import (
    Answer,
    Conviction,
    ConvictionNotice,
    ConvictionOffence,
    ConvictionStatus,
    DocumentKind,
    ExtractCounter,
    ExtractDeadline,
    ExtractRequest,
    ExtractStatus,
    IdentityDocument,
    NameKind,
    NoticeStatus,
    Penalty,
    Person,
    PersonName,
    Purpose,
    Register,
    Source,
)
from comity.records.persons import RowError, iso3_codes, nationalities, reindex_person


class RecordsError(ValueError):
    """A refused write, with messages per field in the user's language."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


class RegisterError(ValueError):
    pass


def register_create(*, iso3: str, keeper_key: str | None = None) -> Register:
    """The register of ``iso3``, kept by ``keeper_key`` or the state's records bureau."""
    state = State.objects.filter(iso3=iso3).first()
    if state is None:
        raise RegisterError(f"Unknown state {iso3}: load the reference data first.")
    keepers = Authority.objects.filter(state=state)
    keeper = (
        keepers.filter(key=keeper_key).first()
        if keeper_key
        else keepers.filter(kind=AuthorityKind.CRIMINAL_RECORDS).order_by("key").first()
    )
    if keeper is None:
        raise RegisterError(
            f"No authority {keeper_key} in {iso3}."
            if keeper_key
            else f"{iso3} has no criminal-records bureau in the directory: name one with --keeper."
        )
    with transaction.atomic():
        register, created = Register.objects.get_or_create(state=state, defaults={"keeper": keeper})
        if not created and register.keeper_id != keeper.pk:
            Register.objects.filter(pk=register.pk).update(keeper=keeper)
            register.refresh_from_db()
    return register


def registers_ensure() -> list[Register]:
    """A register for every state whose criminal-records bureau is in the directory."""
    registers = []
    for keeper in Authority.objects.filter(kind=AuthorityKind.CRIMINAL_RECORDS).order_by("key"):
        register, _created = Register.objects.get_or_create(
            state_id=keeper.state_id, defaults={"keeper": keeper}
        )
        registers.append(register)
    return registers


# -- persons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    ref: str
    full_name: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    father_name: str = ""
    birth_date: str = ""
    birth_place: str = ""
    sex: str = ""
    nationalities: str = ""
    other_names: tuple[tuple[str, str], ...] = ()  # (name, NameKind)
    documents: tuple[tuple[str, str, str], ...] = ()  # (DocumentKind, number, issuing ISO3)
    source: str = Source.MANUAL


def _checked(data: PersonData) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if not data.ref.strip():
        errors.setdefault("ref", []).append(_("The reference is empty."))
    if not " ".join(data.full_name.split()):
        errors.setdefault("full_name", []).append(_("The name is empty."))
    try:
        values["birth_date"] = partial_date(data.birth_date)
    except PartialDateError as error:
        errors.setdefault("birth_date", []).append(str(error))
    try:
        values["nationalities"] = nationalities(data.nationalities)
    except RowError as error:
        errors.setdefault("nationalities", []).append(str(error))
    for name, kind in data.other_names:
        if kind not in NameKind.values or not name.strip():
            errors.setdefault("other_names", []).append(_("An other name is empty or unknown."))
    for kind, number, issuer in data.documents:
        if kind not in DocumentKind.values or not number.strip() or len(number) > 64:
            errors.setdefault("documents", []).append(_("A document's kind or number is wrong."))
        if issuer not in iso3_codes():
            errors.setdefault("documents", []).append(
                _("Unknown issuing state “%(code)s” (use ISO 3166 alpha-3).") % {"code": issuer}
            )
    if errors:
        raise RecordsError(errors)
    return values


def person_save(
    *, actor: User | None, register: Register, data: PersonData, person: Person | None = None
) -> Person:
    """Create (``person`` None) or update a person with names and keys, audited."""
    checked = _checked(data)
    now = timezone.now()
    with transaction.atomic():
        clash = Person.objects.filter(register=register, ref=data.ref.strip())
        if person is not None:
            clash = clash.exclude(pk=person.pk)
        if clash.exists():
            raise RecordsError(
                {"ref": [_("This register already has a person with this reference.")]}
            )
        target = person or Person(register=register, created_at=now, source=data.source)
        target.ref = data.ref.strip()
        target.full_name = " ".join(data.full_name.split())
        for name in ("surname", "given_name", "patronymic", "father_name", "birth_place", "sex"):
            setattr(target, name, getattr(data, name).strip())
        target.birth_date = checked["birth_date"]
        target.nationalities = checked["nationalities"]
        target.updated_at = now
        target.save()
        target.other_names.all().delete()
        PersonName.objects.bulk_create(
            PersonName(person=target, name=" ".join(name.split()), kind=kind)
            for name, kind in data.other_names
        )
        target.documents.all().delete()
        IdentityDocument.objects.bulk_create(
            IdentityDocument(person=target, kind=kind, number=number.strip(), issuing_state=issuer)
            for kind, number, issuer in data.documents
        )
        reindex_person(target)
        audit_record(
            code=Code.PERSON_UPDATED if person is not None else Code.PERSON_CREATED,
            actor=actor,
            subject_type="person",
            subject_id=str(target.public_id),
            details={"register": register.state.iso3, "ref": target.ref},
        )
    return target


# -- convictions and notices ------------------------------------------------------------------


@dataclass(frozen=True)
class OffenceData:
    iccs: str
    provision: str
    committed_on: datetime.date | None = None


@dataclass(frozen=True)
class PenaltyData:
    kind: str
    months: int | None = None
    amount: Decimal | None = None
    currency: str = ""
    suspended: bool = False
    suspended_months: int | None = None


@dataclass(frozen=True)
class ConvictionData:
    court: str
    decision_date: datetime.date
    final_date: datetime.date | None = None
    case_number: str = ""
    convicting_state: str = ""  # ISO3; empty = the register's own state
    offences: tuple[OffenceData, ...] = ()
    penalties: tuple[PenaltyData, ...] = ()


def _conviction_errors(data: ConvictionData, codes: dict[str, IccsCode]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.court.strip():
        errors.setdefault("court", []).append(_("Name the court."))
    if data.decision_date > timezone.localdate():
        errors.setdefault("decision_date", []).append(_("The decision date is in the future."))
    if data.final_date is not None and data.final_date < data.decision_date:
        errors.setdefault("final_date", []).append(
            _("A decision cannot become final before it is taken.")
        )
    if not data.offences:
        errors.setdefault("offences", []).append(_("Give at least one offence."))
    for offence in data.offences:
        if offence.iccs not in codes:
            errors.setdefault("offences", []).append(
                _("Unknown ICCS code “%(code)s”.") % {"code": offence.iccs}
            )
        if not offence.provision.strip():
            errors.setdefault("offences", []).append(_("Give the national provision."))
    if not data.penalties:
        errors.setdefault("penalties", []).append(_("Give at least one penalty or measure."))
    return errors


def conviction_record(
    *, actor: User | None, person: Person, data: ConvictionData, notify: bool = True
) -> Conviction:
    """Record a conviction; notify each other state of nationality that has a register."""
    codes = IccsCode.objects.in_bulk([o.iccs for o in data.offences], field_name="code")
    errors = _conviction_errors(data, codes)
    convicting = None
    if data.convicting_state:
        convicting = State.objects.filter(iso3=data.convicting_state).first()
        if convicting is None:
            errors.setdefault("convicting_state", []).append(_("Unknown state."))
    if errors:
        raise RecordsError(errors)
    with transaction.atomic():
        conviction = Conviction.objects.create(
            person=person,
            court=data.court.strip(),
            case_number=data.case_number.strip(),
            convicting_state=convicting,
            decision_date=data.decision_date,
            final_date=data.final_date,
            created_at=timezone.now(),
            created_by=actor,
        )
        ConvictionOffence.objects.bulk_create(
            ConvictionOffence(
                conviction=conviction,
                iccs=codes[o.iccs],
                provision=o.provision.strip(),
                committed_on=o.committed_on,
            )
            for o in data.offences
        )
        Penalty.objects.bulk_create(
            Penalty(conviction=conviction, **p.__dict__) for p in data.penalties
        )
        audit_record(
            code=Code.CONVICTION_RECORDED,
            actor=actor,
            subject_type="conviction",
            subject_id=str(conviction.public_id),
            details={"person": str(person.public_id), "register": person.register.state.iso3},
        )
        if notify and convicting is None:
            notices_send(actor=actor, conviction=conviction)
    return conviction


def conviction_status_set(
    *, actor: User, conviction: Conviction, status: str, since: datetime.date | None
) -> Conviction:
    """A conviction becomes spent or rehabilitated (or is quashed, or back in force)."""
    errors: dict[str, list[str]] = {}
    if status not in ConvictionStatus.values:
        errors.setdefault("status", []).append(_("Choose a status."))
    if since is not None and since < conviction.decision_date:
        errors.setdefault("status_date", []).append(
            _("The status cannot start before the decision.")
        )
    if since is not None and since > timezone.localdate():
        errors.setdefault("status_date", []).append(_("The date is in the future."))
    if errors:
        raise RecordsError(errors)
    with transaction.atomic():
        before = conviction.status
        conviction.status = status
        conviction.status_date = since
        conviction.save(update_fields=["status", "status_date"])
        audit_record(
            code=Code.CONVICTION_STATUS_CHANGED,
            actor=actor,
            subject_type="conviction",
            subject_id=str(conviction.public_id),
            details={"from": before, "to": status, "since": since},
        )
    return conviction


def conviction_content(conviction: Conviction) -> dict[str, Any]:
    """A conviction as coded data (no translated text): what notices and extracts carry."""
    return {
        "court": conviction.court,
        "case_number": conviction.case_number,
        "convicting_state": (
            conviction.convicting_state.iso3
            if conviction.convicting_state
            else conviction.person.register.state.iso3
        ),
        "decision_date": conviction.decision_date.isoformat(),
        "final_date": conviction.final_date.isoformat() if conviction.final_date else "",
        "status": conviction.status,
        "status_date": conviction.status_date.isoformat() if conviction.status_date else "",
        "offences": [
            {
                "iccs": o.iccs.code,
                "provision": o.provision,
                "committed_on": o.committed_on.isoformat() if o.committed_on else "",
            }
            for o in conviction.offences.select_related("iccs")
        ],
        "penalties": [
            {
                "kind": p.kind,
                "months": p.months,
                "amount": str(p.amount) if p.amount is not None else "",
                "currency": p.currency,
                "suspended": p.suspended,
                "suspended_months": p.suspended_months,
            }
            for p in conviction.penalties.all()
        ],
    }


def person_content(person: Person) -> dict[str, Any]:
    return {
        "ref": person.ref,
        "full_name": person.full_name,
        "surname": person.surname,
        "given_name": person.given_name,
        "patronymic": person.patronymic,
        "father_name": person.father_name,
        "other_names": [n.name for n in person.other_names.all()],
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "sex": person.sex,
        "nationalities": person.nationality_list,
    }


def notices_send(*, actor: User | None, conviction: Conviction) -> list[ConvictionNotice]:
    """One notice per other state of the person's nationality that keeps a register here."""
    person = conviction.person
    own = person.register.state.iso3
    foreign = [code for code in person.nationality_list if code != own]
    recipients = Register.objects.filter(state__iso3__in=foreign).select_related("state", "keeper")
    content = {"person": person_content(person), "conviction": conviction_content(conviction)}
    notices = []
    now = timezone.now()
    for recipient in recipients:
        notice, created = ConvictionNotice.objects.get_or_create(
            conviction=conviction,
            recipient=recipient,
            defaults={"sender": person.register, "content": content, "sent_at": now},
        )
        if not created:
            continue
        notices.append(notice)
        reference = f"{own}→{recipient.state.iso3} {person.ref}"
        audit_record(
            code=Code.NOTICE_SENT,
            actor=actor,
            subject_type="conviction_notice",
            subject_id=str(notice.public_id),
            details={"from": own, "to": recipient.state.iso3},
        )
        notify_authority(
            authority=recipient.keeper,
            request=None,
            kind=Kind.CONVICTION_NOTICE,
            params={"reference": reference, "notice": str(notice.public_id)},
            key=f"notice:{notice.public_id}",
        )
    missing = sorted(set(foreign) - {r.state.iso3 for r in recipients})
    if missing:
        audit_record(
            code=Code.NOTICE_SENT,
            actor=actor,
            subject_type="conviction",
            subject_id=str(conviction.public_id),
            details={"not_notified": missing, "reason": "no register on this node"},
        )
    return notices


def _copy_conviction(*, actor: User, notice: ConvictionNotice, person: Person) -> Conviction:
    data = notice.content["conviction"]
    offences = tuple(
        OffenceData(
            iccs=o["iccs"],
            provision=o["provision"],
            committed_on=datetime.date.fromisoformat(o["committed_on"])
            if o["committed_on"]
            else None,
        )
        for o in data["offences"]
    )
    penalties = tuple(
        PenaltyData(
            kind=p["kind"],
            months=p["months"],
            amount=Decimal(p["amount"]) if p["amount"] else None,
            currency=p["currency"],
            suspended=p["suspended"],
            suspended_months=p["suspended_months"],
        )
        for p in data["penalties"]
    )
    return conviction_record(
        actor=actor,
        person=person,
        notify=False,
        data=ConvictionData(
            court=data["court"],
            case_number=data["case_number"],
            convicting_state=data["convicting_state"],
            decision_date=datetime.date.fromisoformat(data["decision_date"]),
            final_date=(
                datetime.date.fromisoformat(data["final_date"]) if data["final_date"] else None
            ),
            offences=offences,
            penalties=penalties,
        ),
    )


def notice_match(*, actor: User, notice: ConvictionNotice, person: Person) -> ConvictionNotice:
    """The notice is about ``person`` of the receiving register: record the conviction."""
    if person.register_id != notice.recipient_id:
        raise RecordsError({"person": [_("This person is not in your register.")]})
    return _notice_close(actor=actor, notice=notice, person=person, status=NoticeStatus.MATCHED)


def notice_create_person(*, actor: User, notice: ConvictionNotice, ref: str) -> ConvictionNotice:
    """Nobody in the register matches: create the person from the notice, then record it."""
    sent = notice.content["person"]
    with transaction.atomic():
        person = person_save(
            actor=actor,
            register=notice.recipient,
            data=PersonData(
                ref=ref,
                full_name=sent["full_name"],
                surname=sent["surname"],
                given_name=sent["given_name"],
                patronymic=sent["patronymic"],
                father_name=sent["father_name"],
                birth_date=sent["birth_date"],
                birth_place=sent["birth_place"],
                sex=sent["sex"],
                nationalities=" ".join(sent["nationalities"]),
                other_names=tuple((n, NameKind.SPELLING) for n in sent["other_names"]),
                source=Source.NOTICE,
            ),
        )
        return _notice_close(actor=actor, notice=notice, person=person, status=NoticeStatus.CREATED)


def _notice_close(
    *, actor: User, notice: ConvictionNotice, person: Person, status: str
) -> ConvictionNotice:
    with transaction.atomic():
        locked = ConvictionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.RECEIVED:
            raise RecordsError({"__all__": [_("This notice was already handled.")]})
        conviction = _copy_conviction(actor=actor, notice=locked, person=person)
        locked.status = status
        locked.person = person
        locked.recorded_conviction = conviction
        locked.handled_at = timezone.now()
        locked.handled_by = actor
        locked.save(
            update_fields=["status", "person", "recorded_conviction", "handled_at", "handled_by"]
        )
        audit_record(
            code=Code.NOTICE_MATCHED
            if status == NoticeStatus.MATCHED
            else Code.NOTICE_PERSON_CREATED,
            actor=actor,
            subject_type="conviction_notice",
            subject_id=str(locked.public_id),
            details={"person": str(person.public_id)},
        )
    return locked


# -- extract requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractData:
    register_state: str  # ISO3 of the register asked
    purpose: str
    subject_name: str
    purpose_detail: str = ""
    subject_other_names: str = ""
    subject_birth_date: str = ""
    subject_birth_place: str = ""
    subject_nationality: str = ""
    subject_father_name: str = ""
    subject_document: str = ""


def extract_days(*, requesting: State, requested: State, purpose: str) -> int:
    row = ExtractDeadline.objects.filter(
        requesting_state=requesting, requested_state=requested
    ).first()
    criminal = purpose == Purpose.CRIMINAL_PROCEEDINGS
    if row is not None:
        return row.criminal_days if criminal else row.other_days
    if criminal:
        return int(getattr(settings, "COMITY_RECORDS_DAYS_CRIMINAL", 10))
    return int(getattr(settings, "COMITY_RECORDS_DAYS_OTHER", 20))


def _next_reference(iso3: str) -> str:
    year = timezone.now().year
    counter, _created = ExtractCounter.objects.select_for_update().get_or_create(
        state_iso3=iso3, year=year
    )
    ExtractCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{iso3}-CR-{year}-{counter.last:06d}"


def extract_request(*, actor: User, data: ExtractData) -> ExtractRequest:
    """Ask another state's register for an extract; due in working days per purpose."""
    errors: dict[str, list[str]] = {}
    register = (
        Register.objects.select_related("state", "keeper")
        .filter(state__iso3=data.register_state)
        .first()
    )
    if register is None:
        errors.setdefault("register_state", []).append(_("This state keeps no register here."))
    elif actor.authority is not None and register.state_id == actor.authority.state_id:
        errors.setdefault("register_state", []).append(
            _("Ask your own register directly, not through an extract request.")
        )
    if data.purpose not in Purpose.values:
        errors.setdefault("purpose", []).append(_("Choose a purpose."))
    if not data.subject_name.strip():
        errors.setdefault("subject_name", []).append(_("Give the person's name."))
    birth = ""
    try:
        birth = partial_date(data.subject_birth_date)
    except PartialDateError as error:
        errors.setdefault("subject_birth_date", []).append(str(error))
    nationality = ""
    try:
        nationality = nationalities(data.subject_nationality)
    except RowError as error:
        errors.setdefault("subject_nationality", []).append(str(error))
    if len(nationality.split()) > 1:
        errors.setdefault("subject_nationality", []).append(_("Give one nationality."))
    if errors or register is None or actor.authority is None:
        raise RecordsError(errors or {"__all__": [_("You cannot send requests.")]})
    now = timezone.now()
    days = extract_days(
        requesting=actor.authority.state, requested=register.state, purpose=data.purpose
    )
    with transaction.atomic():
        extract = ExtractRequest.objects.create(
            reference=_next_reference(actor.authority.state.iso3),
            requesting_authority=actor.authority,
            register=register,
            purpose=data.purpose,
            purpose_detail=data.purpose_detail.strip(),
            subject_name=" ".join(data.subject_name.split()),
            subject_other_names=data.subject_other_names.strip(),
            subject_birth_date=birth,
            subject_birth_place=data.subject_birth_place.strip(),
            subject_nationality=nationality,
            subject_father_name=data.subject_father_name.strip(),
            subject_document=data.subject_document.strip(),
            submitted_at=now,
            due_on=add_working_days(timezone.localdate(now), days, iso3=register.state.iso3),
            created_by=actor,
        )
        audit_record(
            code=Code.EXTRACT_REQUESTED,
            actor=actor,
            subject_type="extract_request",
            subject_id=str(extract.public_id),
            details={"reference": extract.reference, "register": register.state.iso3},
        )
        notify_authority(
            authority=register.keeper,
            request=None,
            kind=Kind.EXTRACT_REQUESTED,
            params={"reference": extract.reference, "extract": str(extract.public_id)},
            key=f"extract:{extract.public_id}:requested",
        )
    return extract


def extract_convictions(person: Person, purpose: str) -> list[Conviction]:
    """What an extract shows: for criminal proceedings every conviction not quashed; for
    other purposes only those in force (spent and rehabilitated ones are left out)."""
    convictions = person.convictions.exclude(status=ConvictionStatus.QUASHED)
    if purpose != Purpose.CRIMINAL_PROCEEDINGS:
        convictions = convictions.filter(status=ConvictionStatus.ACTIVE)
    return list(
        convictions.select_related("convicting_state", "person__register__state").prefetch_related(
            "offences__iccs", "penalties"
        )
    )


def extract_answer(
    *, actor: User, extract: ExtractRequest, person: Person | None, identity_note: str
) -> ExtractRequest:
    """Answer with the extract of ``person`` (identity confirmed by ``actor``) or, with
    ``person`` None, "no record". The answer is stored as sent and never re-read."""
    note = identity_note.strip()
    if not note:
        raise RecordsError(
            {"identity_note": [_("Say how you confirmed the identity (or why no one matches).")]}
        )
    if person is not None and person.register_id != extract.register_id:
        raise RecordsError({"person": [_("This person is not in the register asked.")]})
    with transaction.atomic():
        locked = ExtractRequest.objects.select_for_update().get(pk=extract.pk)
        if locked.status != ExtractStatus.SUBMITTED:
            raise RecordsError({"__all__": [_("This request was already answered or withdrawn.")]})
        now = timezone.now()
        convictions = extract_convictions(person, locked.purpose) if person is not None else []
        locked.answer = Answer.EXTRACT if convictions else Answer.NO_RECORD
        locked.extract = {
            "register": locked.register.state.iso3,
            "purpose": locked.purpose,
            "answered_at": now.isoformat(),
            "person": person_content(person) if person is not None else None,
            "convictions": [conviction_content(c) for c in convictions],
        }
        locked.matched_person = person
        locked.identity_note = note
        locked.status = ExtractStatus.ANSWERED
        locked.answered_at = now
        locked.answered_by = actor
        locked.save()
        if person is not None:
            audit_record(
                code=Code.EXTRACT_IDENTITY_CONFIRMED,
                actor=actor,
                subject_type="extract_request",
                subject_id=str(locked.public_id),
                details={"person": str(person.public_id), "note": note},
            )
        audit_record(
            code=Code.EXTRACT_ANSWERED,
            actor=actor,
            subject_type="extract_request",
            subject_id=str(locked.public_id),
            details={"answer": locked.answer, "convictions": len(convictions)},
        )
        notify_authority(
            authority=locked.requesting_authority,
            request=None,
            kind=Kind.EXTRACT_ANSWERED,
            params={"reference": locked.reference, "extract": str(locked.public_id)},
            key=f"extract:{locked.public_id}:answered",
        )
    return locked


def extract_withdraw(*, actor: User, extract: ExtractRequest) -> ExtractRequest:
    with transaction.atomic():
        locked = ExtractRequest.objects.select_for_update().get(pk=extract.pk)
        if locked.status != ExtractStatus.SUBMITTED:
            raise RecordsError({"__all__": [_("This request was already answered or withdrawn.")]})
        locked.status = ExtractStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        audit_record(
            code=Code.EXTRACT_WITHDRAWN,
            actor=actor,
            subject_type="extract_request",
            subject_id=str(locked.public_id),
        )
    return locked
