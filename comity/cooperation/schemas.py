"""What the API reads and writes for requests, and how rows become that JSON.

Input schemas check shapes and sizes (400 with field paths); what the data means
(known states, ICCS codes, choices) is the services' to decide, so that the web forms and
the API refuse the same things with the same words.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from comity import policy
from comity.accounts.models import User
from comity.api.pagination import PageOut, PageParams
from comity.cooperation import checks, selectors, services
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import (
    AssistanceMeasure,
    Attachment,
    Message,
    MessageReceipt,
    Offence,
    Person,
    Property,
    Request,
    RequestType,
    TimelineEvent,
)
from comity.directory.models import Authority

MAX_ITEMS = 100  # offences, measures or persons in one request
MAX_LEGAL_BASIS_CODES = services.MAX_LEGAL_BASIS_CODES


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL characters."))
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


# Free text; null counts as empty. (The length constraint comes first so that pydantic
# reports it as a string's length, not a list's.)
Text = Annotated[
    str,
    StringConstraints(max_length=100_000),
    BeforeValidator(_none_to_empty),
    AfterValidator(_no_nul),
]
# One line, as long as the columns that keep it.
Line = Annotated[
    str, StringConstraints(max_length=255), BeforeValidator(_none_to_empty), AfterValidator(_no_nul)
]
Ref = Annotated[
    str, StringConstraints(max_length=64), BeforeValidator(_none_to_empty), AfterValidator(_no_nul)
]
Token = Annotated[str, StringConstraints(max_length=64), AfterValidator(_no_nul)]


# ---------------------------------------------------------------------------- input


class ProceedingsIn(Schema):
    nature: Token = Field(
        default="investigation", description="investigation, prosecution, trial, …"
    )
    reference: Ref = ""
    conducting_authority: Line = ""


class OffenceIn(Schema):
    iccs: Token = Field(..., description="ICCS code, e.g. 0601")
    provision: Line = Field(..., description="The provision of national law")
    description: Text = ""


class MeasureIn(Schema):
    measure: Token = Field(..., description="bank_records, witness_statement, …")
    details: Text = ""


class PersonIn(Schema):
    role: Token = Field(..., description="suspect, accused, witness, victim, …")
    name: Line
    birth_date: date | None = None
    nationality: Token | None = Field(None, description="ISO 3166 alpha-3, e.g. KAZ")
    details: Text = ""


class PropertyIn(Schema):
    kind: Token = Field(..., description="bank_account, real_estate, vehicle, company_shares, …")
    description: Text = ""
    location: Line = Field("", description="Where it is, or who holds it")
    identifier: Line = Field("", description="IBAN, title number, registration…")
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: Annotated[str, StringConstraints(max_length=3)] = Field(
        "", description="ISO 4217, e.g. KZT"
    )
    offence_link: Text = Field("", description="How the property is linked to the offence")
    order_reference: Ref = ""
    order_date: date | None = None
    order_authority: Line = ""


# The fields of the guided form per type (docs/checks.md), flat in the JSON as in the model.
Years = Annotated[Decimal, Field(ge=0, le=999, max_digits=5, decimal_places=2)]
Months = Annotated[Decimal, Field(ge=0, le=9999, max_digits=6, decimal_places=1)]


class GuidedIn(Schema):
    questions_for_witnesses: Text = ""
    bank_details: Text = Field("", description="Bank, accounts and period concerned")
    extradition_basis: Token = Field("", description="prosecution or enforcement")
    warrant_reference: Ref = ""
    warrant_date: date | None = None
    warrant_authority: Line = ""
    judgment_reference: Ref = ""
    judgment_date: date | None = None
    judgment_court: Line = ""
    in_absentia: bool | None = None
    retrial_assurance: Text = ""
    max_penalty: Line = Field("", description="As the law states it, e.g. 15 years")
    max_penalty_years: Years | None = None
    sentence_imposed: Line = ""
    sentence_imposed_months: Months | None = None
    sentence_remaining: Line = ""
    death_penalty_possible: bool | None = None
    fiscal_offence_only: bool | None = None
    intention_to_request_extradition: bool | None = None
    arrest_date: date | None = None
    formal_request_by: date | None = None
    record_purpose: Token = Field("", description="criminal_proceedings or other")


GUIDED_FIELDS = tuple(GuidedIn.model_fields)
# Fields whose null means "not known" rather than "empty text".
NULLABLE = frozenset(name for name, f in GuidedIn.model_fields.items() if f.default is None) | {
    "requested_authority",
    "time_limit",
}


def _offences(items: list[OffenceIn]) -> list[services.OffenceData]:
    return [services.OffenceData(o.iccs, o.provision, o.description) for o in items]


def _measures(items: list[MeasureIn]) -> list[services.MeasureData]:
    return [services.MeasureData(m.measure, m.details) for m in items]


def _persons(items: list[PersonIn]) -> list[services.PersonData]:
    return [
        services.PersonData(p.role, p.name, p.birth_date, p.nationality, p.details) for p in items
    ]


def _properties(items: list[PropertyIn]) -> list[services.PropertyData]:
    return [services.PropertyData(**p.model_dump()) for p in items]


class RequestCreateIn(GuidedIn):
    type: Token = Field("mla", description="mla, extradition, freezing, …")
    requested_state: Token = Field(..., description="ISO 3166 alpha-3, e.g. KGZ")
    requested_authority: uuid.UUID | None = Field(
        None, description="A central authority of the requested state; its default if absent"
    )
    title: Line
    urgency: Token = "normal"
    urgency_reason: Text = ""
    proceedings: ProceedingsIn = ProceedingsIn()
    summary_of_facts: Text = ""
    offences: list[OffenceIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    assistance_sought: list[MeasureIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    purpose: Text = ""
    persons: list[PersonIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    properties: list[PropertyIn] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="For freezing, seizure and confiscation",
    )
    particular_procedure: Text = ""
    confidentiality: Text = ""
    legal_basis: Text = ""
    legal_basis_codes: list[Token] = Field(
        default_factory=list,
        max_length=MAX_LEGAL_BASIS_CODES,
        description="Instruments chosen as legal basis (codes of GET /legal-basis), e.g. UNTOC",
    )
    time_limit: date | None = None
    case: uuid.UUID | None = Field(None, description="An existing case of your authority")
    case_reference: Ref = ""

    def to_data(self) -> services.RequestData:
        return services.RequestData(
            type=self.type,
            requested_state=self.requested_state,
            requested_authority=self.requested_authority,
            title=self.title,
            urgency=self.urgency,
            urgency_reason=self.urgency_reason,
            proceedings_nature=self.proceedings.nature,
            proceedings_reference=self.proceedings.reference,
            conducting_authority=self.proceedings.conducting_authority,
            summary_of_facts=self.summary_of_facts,
            purpose=self.purpose,
            particular_procedure=self.particular_procedure,
            confidentiality=self.confidentiality,
            legal_basis=self.legal_basis,
            legal_basis_codes=list(self.legal_basis_codes),
            time_limit=self.time_limit,
            offences=_offences(self.offences),
            assistance_sought=_measures(self.assistance_sought),
            persons=_persons(self.persons),
            properties=_properties(self.properties),
            case=self.case,
            case_reference=self.case_reference,
            **{name: getattr(self, name) for name in GUIDED_FIELDS},
        )


class ProceedingsPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    nature: Token | None = None
    reference: Ref | None = None
    conducting_authority: Line | None = None


_PROCEEDINGS_FIELDS = {
    "nature": "proceedings_nature",
    "reference": "proceedings_reference",
    "conducting_authority": "conducting_authority",
}


class RequestPatchIn(Schema):
    """Only the fields sent change; an unknown field is refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")

    type: Token | None = None
    requested_state: Token | None = None
    requested_authority: uuid.UUID | None = None
    title: Line | None = None
    urgency: Token | None = None
    urgency_reason: Text | None = None
    proceedings: ProceedingsPatch | None = None
    summary_of_facts: Text | None = None
    offences: list[OffenceIn] | None = Field(None, max_length=MAX_ITEMS)
    assistance_sought: list[MeasureIn] | None = Field(None, max_length=MAX_ITEMS)
    purpose: Text | None = None
    persons: list[PersonIn] | None = Field(None, max_length=MAX_ITEMS)
    particular_procedure: Text | None = None
    confidentiality: Text | None = None
    legal_basis: Text | None = None
    legal_basis_codes: list[Token] | None = Field(None, max_length=MAX_LEGAL_BASIS_CODES)
    time_limit: date | None = None
    properties: list[PropertyIn] | None = Field(None, max_length=MAX_ITEMS)
    questions_for_witnesses: Text | None = None
    bank_details: Text | None = None
    extradition_basis: Token | None = None
    warrant_reference: Ref | None = None
    warrant_date: date | None = None
    warrant_authority: Line | None = None
    judgment_reference: Ref | None = None
    judgment_date: date | None = None
    judgment_court: Line | None = None
    in_absentia: bool | None = None
    retrial_assurance: Text | None = None
    max_penalty: Line | None = None
    max_penalty_years: Years | None = None
    sentence_imposed: Line | None = None
    sentence_imposed_months: Months | None = None
    sentence_remaining: Line | None = None
    death_penalty_possible: bool | None = None
    fiscal_offence_only: bool | None = None
    intention_to_request_extradition: bool | None = None
    arrest_date: date | None = None
    formal_request_by: date | None = None
    record_purpose: Token | None = None
    version: int | None = Field(
        None, ge=1, description="The version you edited; 409 if the draft changed since"
    )

    def provided(self) -> frozenset[str]:
        names = set(self.model_fields_set) - {"proceedings", "version"}
        if self.proceedings is not None:
            names |= {_PROCEEDINGS_FIELDS[n] for n in self.proceedings.model_fields_set}
        return frozenset(names)

    def to_data(self) -> services.RequestData:
        """The RequestData to apply: a null sent for a text or list field empties it."""
        data = services.RequestData(provided=self.provided())
        for name in data.provided or ():
            if name in _PROCEEDINGS_FIELDS.values():
                continue
            value = getattr(self, name)
            if name == "offences":
                value = _offences(self.offences or [])
            elif name == "assistance_sought":
                value = _measures(self.assistance_sought or [])
            elif name == "persons":
                value = _persons(self.persons or [])
            elif name == "properties":
                value = _properties(self.properties or [])
            elif name == "legal_basis_codes":
                value = list(self.legal_basis_codes or [])
            elif value is None and name not in NULLABLE:
                value = ""
            setattr(data, name, value)
        if self.proceedings is not None:
            for key, name in _PROCEEDINGS_FIELDS.items():
                if key in self.proceedings.model_fields_set:
                    setattr(data, name, getattr(self.proceedings, key) or "")
        return data


class TransitionIn(Schema):
    action: Token = Field(..., description="submit, acknowledge, request_info, …")
    reason: Text = ""
    ground: Token = Field("", description="For refuse: the ground for refusal")
    executing_authority: uuid.UUID | None = Field(None, description="For assign")


class AttachmentForm(Schema):
    description: Line = ""


class MessageIn(Schema):
    body: Text
    parent: uuid.UUID | None = Field(None, description="The message this one answers")


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


class Box(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    OVERDUE = "overdue"
    ALL = "all"


assert tuple(Box) == selectors.BOXES  # noqa: S101 (the selector's boxes, nothing else)


_STATUS_FILTERS = (selectors.OPEN, *Status.values)


def _status_filter(value: str) -> str:
    if value and value not in _STATUS_FILTERS:
        raise ValueError(_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(_STATUS_FILTERS)})
    return value


class RequestListQuery(PageParams):
    box: Box = Box.ALL
    status: Annotated[str, AfterValidator(_status_filter)] = Field(
        "",
        description="A status, or “open” for any status that awaits an answer",
        json_schema_extra={"enum": ["", *_STATUS_FILTERS]},
    )
    type: Annotated[RequestType | None, BeforeValidator(_blank_to_none)] = None
    state: Ref = Field("", description="The other state, ISO 3166 alpha-3")
    q: Line = Field("", description="Reference, title, proceedings reference or person name")

    def filters(self) -> selectors.RequestFilters:
        return selectors.RequestFilters(
            box=self.box.value,
            status=self.status,
            type=self.type.value if self.type else "",
            state=self.state,
            q=self.q,
        )


# ---------------------------------------------------------------------------- output


class Out(BaseModel):
    """Output schemas are plain pydantic models: ninja's Schema re-reads every nested
    object through its ORM getter when the response is checked, which costs more than the
    queries on a page of fifty."""


class AuthorityOut(Out):
    id: uuid.UUID
    key: str
    name: str
    state: str


class UserOut(Out):
    id: uuid.UUID
    name: str


class CaseOut(Out):
    id: uuid.UUID
    reference: str
    title: str


class ProceedingsOut(Out):
    nature: str
    reference: str
    conducting_authority: str


class OffenceOut(Out):
    iccs: str
    iccs_label: str
    provision: str
    description: str


class MeasureOut(Out):
    measure: str
    details: str


class PersonOut(Out):
    role: str
    name: str
    birth_date: date | None
    nationality: str | None
    details: str


class PropertyOut(Out):
    kind: str
    description: str
    location: str
    identifier: str
    estimated_value: float | None
    currency: str
    offence_link: str
    order_reference: str
    order_date: date | None
    order_authority: str


class DeadlinesOut(Out):
    acknowledgement_due: datetime | None
    response_due: datetime | None
    overdue: bool


class RequestSummaryOut(Out):
    id: uuid.UUID
    reference: str
    type: str
    status: str
    title: str
    urgency: str
    requesting_authority: AuthorityOut
    requested_state: str
    requested_authority: AuthorityOut
    created_at: datetime
    submitted_at: datetime | None
    deadlines: DeadlinesOut


class RequestOut(RequestSummaryOut):
    case: CaseOut
    executing_authority: AuthorityOut | None
    urgency_reason: str
    proceedings: ProceedingsOut
    summary_of_facts: str
    offences: list[OffenceOut]
    assistance_sought: list[MeasureOut]
    persons: list[PersonOut]
    properties: list[PropertyOut]
    purpose: str
    particular_procedure: str
    questions_for_witnesses: str
    bank_details: str
    extradition_basis: str
    warrant_reference: str
    warrant_date: date | None
    warrant_authority: str
    judgment_reference: str
    judgment_date: date | None
    judgment_court: str
    in_absentia: bool | None
    retrial_assurance: str
    max_penalty: str
    max_penalty_years: float | None
    sentence_imposed: str
    sentence_imposed_months: float | None
    sentence_remaining: str
    death_penalty_possible: bool | None
    fiscal_offence_only: bool | None
    intention_to_request_extradition: bool | None
    arrest_date: date | None
    formal_request_by: date | None
    record_purpose: str
    confidentiality: str
    legal_basis: str
    legal_basis_codes: list[str] = Field(..., description="Instruments chosen as legal basis")
    time_limit: date | None
    refusal_ground: str
    acknowledged_at: datetime | None
    completed_at: datetime | None
    updated_at: datetime
    version: int
    allowed_actions: list[str] = Field(..., description="Actions you may fire now")


class MissingOut(Out):
    field: str = Field(..., description="The field or list to complete, as in the request")
    message: str
    source: str = Field(..., description="The articles that require it")
    rule: str = Field(..., description="The rule's key in docs/checks.md")


class WarningOut(Out):
    code: str
    message: str
    source: str


class ReleaseDeadlineOut(Out):
    instrument: str
    arrested: date
    assumed: bool = Field(..., description="No arrest date given: counted from today")
    release_from: date
    release_by: date
    source: str


class ChecksOut(Out):
    complete: bool = Field(..., description="Nothing is missing: the request may be submitted")
    missing: list[MissingOut]
    warnings: list[WarningOut]
    release_deadlines: list[ReleaseDeadlineOut]


def checks_out(review: checks.Review) -> ChecksOut:
    return ChecksOut(
        complete=review.complete,
        missing=[MissingOut(**vars(m)) for m in review.missing],
        warnings=[WarningOut(**vars(w)) for w in review.warnings],
        release_deadlines=[ReleaseDeadlineOut(**vars(d)) for d in review.deadlines],
    )


class RequestPage(PageOut):
    items: list[RequestSummaryOut]


class EventOut(Out):
    id: uuid.UUID
    kind: str
    action: str
    from_status: str
    to_status: str
    actor: UserOut | None
    actor_authority: AuthorityOut | None
    reason: str
    details: dict[str, Any]
    created_at: datetime


class EventPage(PageOut):
    items: list[EventOut]


class ReceiptOut(Out):
    user: UserOut
    authority: AuthorityOut | None
    read_at: datetime


class MessageOut(Out):
    id: uuid.UUID
    parent: uuid.UUID | None
    author: UserOut
    author_authority: AuthorityOut
    body: str
    created_at: datetime
    read_by: list[ReceiptOut]


class MessagePage(PageOut):
    items: list[MessageOut]


class AttachmentOut(Out):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    description: str
    message: uuid.UUID | None
    uploaded_by: UserOut
    uploader_authority: AuthorityOut
    created_at: datetime
    url: str


class AttachmentPage(PageOut):
    items: list[AttachmentOut]


# ---------------------------------------------------------------------------- rows -> JSON


def authority_out(authority: Authority, state_iso3: str | None = None) -> AuthorityOut:
    """``state_iso3`` saves a query when the caller already knows the state."""
    return AuthorityOut(
        id=authority.public_id,
        key=authority.key,
        name=authority.name_en,
        state=state_iso3 or authority.state.iso3,
    )


def user_out(user: User) -> UserOut:
    return UserOut(id=user.public_id, name=user.display_name)


def _deadlines(request: Request) -> DeadlinesOut:
    return DeadlinesOut(
        acknowledgement_due=request.acknowledgement_due,
        response_due=request.response_due,
        overdue=selectors.is_overdue(request),
    )


def _summary_fields(request: Request) -> dict[str, Any]:
    return {
        "id": request.public_id,
        "reference": request.reference,
        "type": request.type,
        "status": request.status,
        "title": request.title,
        "urgency": request.urgency,
        "requesting_authority": authority_out(request.requesting_authority),
        "requested_state": request.requested_state.iso3,
        "requested_authority": authority_out(
            request.requested_authority, request.requested_state.iso3
        ),
        "created_at": request.created_at,
        "submitted_at": request.submitted_at,
        "deadlines": _deadlines(request),
    }


def request_summary_row(row: dict[str, Any]) -> dict[str, Any]:
    """A list row from a selectors.LIST_VALUES dict, shaped and typed as RequestSummaryOut
    dumps it (the API list renders these without building models: tests check they are the
    same)."""
    return {
        "id": row["public_id"],
        "reference": row["reference"],
        "type": row["type"],
        "status": row["status"],
        "title": row["title"],
        "urgency": row["urgency"],
        "requesting_authority": {
            "id": row["requesting_authority__public_id"],
            "key": row["requesting_authority__key"],
            "name": row["requesting_authority__name_en"],
            "state": row["requesting_authority__state__iso3"],
        },
        "requested_state": row["requested_state__iso3"],
        "requested_authority": {
            "id": row["requested_authority__public_id"],
            "key": row["requested_authority__key"],
            "name": row["requested_authority__name_en"],
            "state": row["requested_state__iso3"],
        },
        "created_at": row["created_at"],
        "submitted_at": row["submitted_at"],
        "deadlines": {
            "acknowledgement_due": row["acknowledgement_due"],
            "response_due": row["response_due"],
            "overdue": selectors.row_is_overdue(row),
        },
    }


def request_summary_out(request: Request) -> RequestSummaryOut:
    """A list row; needs requesting_authority__state, requested_state, requested_authority."""
    return RequestSummaryOut(**_summary_fields(request))


def _offence(offence: Offence) -> OffenceOut:
    return OffenceOut(
        iccs=offence.iccs.code,
        iccs_label=offence.iccs.label,
        provision=offence.provision,
        description=offence.description,
    )


def _measure(measure: AssistanceMeasure) -> MeasureOut:
    return MeasureOut(measure=measure.measure, details=measure.details)


def _person(person: Person) -> PersonOut:
    return PersonOut(
        role=person.role,
        name=person.name,
        birth_date=person.birth_date,
        nationality=person.nationality.iso3 if person.nationality else None,
        details=person.details,
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _property(item: Property) -> PropertyOut:
    return PropertyOut(
        kind=item.kind,
        description=item.description,
        location=item.location,
        identifier=item.identifier,
        estimated_value=_float(item.estimated_value),
        currency=item.currency,
        offence_link=item.offence_link,
        order_reference=item.order_reference,
        order_date=item.order_date,
        order_authority=item.order_authority,
    )


def _guided(request: Request) -> dict[str, Any]:
    values = {name: getattr(request, name) for name in GUIDED_FIELDS}
    for name in ("max_penalty_years", "sentence_imposed_months"):
        values[name] = _float(values[name])
    return values


def request_out(request: Request, *, user: User) -> RequestOut:
    """The full representation, as ``user`` sees it (``allowed_actions`` are theirs)."""
    executing = request.executing_authority
    return RequestOut(
        **_summary_fields(request),
        case=CaseOut(
            id=request.case.public_id, reference=request.case.reference, title=request.case.title
        ),
        executing_authority=authority_out(executing) if executing is not None else None,
        urgency_reason=request.urgency_reason,
        proceedings=ProceedingsOut(
            nature=request.proceedings_nature,
            reference=request.proceedings_reference,
            conducting_authority=request.conducting_authority,
        ),
        summary_of_facts=request.summary_of_facts,
        offences=[_offence(o) for o in request.offences.select_related("iccs")],
        assistance_sought=[_measure(m) for m in request.assistance_sought.all()],
        persons=[_person(p) for p in request.persons.select_related("nationality")],
        properties=[_property(p) for p in request.properties.all()],
        **_guided(request),
        purpose=request.purpose,
        particular_procedure=request.particular_procedure,
        confidentiality=request.confidentiality,
        legal_basis=request.legal_basis,
        legal_basis_codes=list(request.legal_basis_codes or []),
        time_limit=request.time_limit,
        refusal_ground=request.refusal_ground,
        acknowledged_at=request.acknowledged_at,
        completed_at=request.completed_at,
        updated_at=request.updated_at,
        version=request.version,
        allowed_actions=[t.action.value for t in policy.allowed_transitions(user, request)],
    )


def event_out(event: TimelineEvent) -> EventOut:
    """Needs actor and actor_authority__state."""
    return EventOut(
        id=event.public_id,
        kind=event.kind,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor=user_out(event.actor) if event.actor is not None else None,
        actor_authority=(
            authority_out(event.actor_authority) if event.actor_authority is not None else None
        ),
        reason=event.reason,
        details=event.details,
        created_at=event.created_at,
    )


def _receipt(receipt: MessageReceipt) -> ReceiptOut:
    authority = receipt.user.authority
    return ReceiptOut(
        user=user_out(receipt.user),
        authority=authority_out(authority) if authority is not None else None,
        read_at=receipt.read_at,
    )


def message_out(message: Message) -> MessageOut:
    """Needs author, author_authority__state, parent and the receipts prefetched."""
    return MessageOut(
        id=message.public_id,
        parent=message.parent.public_id if message.parent is not None else None,
        author=user_out(message.author),
        author_authority=authority_out(message.author_authority),
        body=message.body,
        created_at=message.created_at,
        read_by=[_receipt(r) for r in message.receipts.all()],
    )


def attachment_out(attachment: Attachment) -> AttachmentOut:
    """Needs request, uploaded_by, uploader_authority__state and message."""
    return AttachmentOut(
        id=attachment.public_id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        description=attachment.description,
        message=attachment.message.public_id if attachment.message is not None else None,
        uploaded_by=user_out(attachment.uploaded_by),
        uploader_authority=authority_out(attachment.uploader_authority),
        created_at=attachment.created_at,
        url=reverse(
            "api:attachment_download",
            kwargs={"id": attachment.request.public_id, "attachment_id": attachment.public_id},
        ),
    )
