"""The records exchange over the API (docs/records.md, section "API").

Mounted at /api/v1/records. The same rules as the pages: an extract request is seen by the
requesting authority and the register's keeper, a notice by its sender and recipient, a
register's candidates by its keeper only. Hidden and missing objects both answer 404; every
read of an extract, a notice or a search is audited.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from comity import policy
from comity.accounts.models import User
from comity.api.auth import api_user
from comity.api.errors import ApiError
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageOut, PageParams, paginate
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.records import selectors, services
from comity.records.access import access_extract, access_notice, access_register
from comity.records.dates import PartialDateError, partial_date
from comity.records.explain import reason_text
from comity.records.models import ConvictionNotice, ExtractRequest, Person, Register
from comity.records.views.common import (
    CandidateRow,
    audit_search,
    extract_names,
    find_candidates,
)

router = Router(tags=["records"])

MAX_TOP = 50


class Out(BaseModel):
    """Plain pydantic output, like the other APIs."""


class ExtractIn(Schema):
    register_state: str = Field(..., max_length=3, description="ISO alpha-3 of the register")
    purpose: str = Field(
        ..., max_length=16, description="criminal, employment, immigration, personal or other"
    )
    subject_name: str = Field(..., max_length=255, description="Full name as written")
    purpose_detail: str = Field("", max_length=255)
    subject_other_names: str = Field(
        "", max_length=255, description="Other names or spellings, separated by semicolons"
    )
    subject_birth_date: str = Field("", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    subject_birth_place: str = Field("", max_length=255)
    subject_nationality: str = Field("", max_length=3, description="ISO alpha-3")
    subject_father_name: str = Field("", max_length=128)
    subject_document: str = Field("", max_length=128)


class AnswerIn(Schema):
    person: str | None = Field(
        ...,
        max_length=64,
        description="The register reference of the person confirmed; null for no record",
    )
    identity_note: str = Field(..., max_length=500, description="How the identity was confirmed")


class SearchIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    birth_date: str | None = Field(None, max_length=10)
    nationality: str | None = Field(None, max_length=3)
    top: int = Field(10, ge=1, le=MAX_TOP)


class SubjectOut(Out):
    name: str
    other_names: str
    birth_date: str
    birth_place: str
    nationality: str
    father_name: str
    document: str


class ExtractOut(Out):
    id: uuid.UUID
    reference: str
    requesting_authority: str = Field(..., description="The requesting authority's key")
    requesting_state: str
    register_state: str
    purpose: str
    purpose_detail: str
    subject: SubjectOut
    status: str = Field(..., description="submitted, answered or withdrawn")
    submitted_at: datetime
    due_on: date
    overdue: bool
    answer: str = Field(..., description="extract, no_record, or empty before the answer")
    answered_at: datetime | None
    identity_note: str
    extract: dict[str, Any] = Field(
        ..., description="The extract as sent (codes and ISO dates); empty before the answer"
    )


class ExtractPage(PageOut):
    items: list[ExtractOut]


class ReasonOut(Out):
    code: str
    params: dict[str, str]
    text: str = Field(..., description="The reason in the language of the request")


class CandidateOut(Out):
    ref: str
    id: uuid.UUID
    full_name: str
    birth_date: str
    nationalities: list[str]
    score: float
    explanation: str = Field(..., description="The matching engine's explanation (English)")
    reasons: list[ReasonOut]


class CandidatesOut(Out):
    candidates: list[CandidateOut]


class NoticeOut(Out):
    id: uuid.UUID
    sender_state: str
    recipient_state: str
    status: str = Field(..., description="received, matched or created")
    sent_at: datetime
    handled_at: datetime | None
    content: dict[str, Any] = Field(..., description="The person and the conviction, coded")


class NoticePage(PageOut):
    items: list[NoticeOut]


def extract_out(extract: ExtractRequest) -> ExtractOut:
    """Needs register__state and requesting_authority__state."""
    return ExtractOut(
        id=extract.public_id,
        reference=extract.reference,
        requesting_authority=extract.requesting_authority.key,
        requesting_state=extract.requesting_authority.state.iso3,
        register_state=extract.register.state.iso3,
        purpose=extract.purpose,
        purpose_detail=extract.purpose_detail,
        subject=SubjectOut(
            name=extract.subject_name,
            other_names=extract.subject_other_names,
            birth_date=extract.subject_birth_date,
            birth_place=extract.subject_birth_place,
            nationality=extract.subject_nationality,
            father_name=extract.subject_father_name,
            document=extract.subject_document,
        ),
        status=extract.status,
        submitted_at=extract.submitted_at,
        due_on=extract.due_on,
        overdue=selectors.extract_is_overdue(extract),
        answer=extract.answer,
        answered_at=extract.answered_at,
        identity_note=extract.identity_note,
        extract=extract.extract,
    )


def candidate_out(row: CandidateRow) -> CandidateOut:
    person = row.person
    return CandidateOut(
        ref=person.ref,
        id=person.public_id,
        full_name=person.full_name,
        birth_date=person.birth_date,
        nationalities=person.nationality_list,
        score=row.score,
        explanation=row.english,
        reasons=[
            ReasonOut(code=r.code, params=dict(r.params), text=reason_text(r)) for r in row.reasons
        ],
    )


def notice_out(notice: ConvictionNotice) -> NoticeOut:
    return NoticeOut(
        id=notice.public_id,
        sender_state=notice.sender.state.iso3,
        recipient_state=notice.recipient.state.iso3,
        status=notice.status,
        sent_at=notice.sent_at,
        handled_at=notice.handled_at,
        content=notice.content,
    )


def _invalid(error: services.RecordsError) -> ApiError:
    fields = {name: list(texts) for name, texts in error.errors.items()}
    texts = [text for messages in fields.values() for text in messages]
    message = (
        texts[0] if len(texts) == 1 else _("Some of the data sent is not valid; see the fields.")
    )
    return ApiError(status=400, code="invalid", message=message, fields=fields)


def _extracts(user: User, box: str | None) -> QuerySet[ExtractRequest]:
    if box == "incoming":
        return selectors.extract_incoming(user=user)
    if box == "outgoing":
        return selectors.extract_outgoing(user=user)
    return (
        ExtractRequest.objects.filter(policy.extract_visibility_q(user))
        .select_related("register__state", "requesting_authority__state")
        .order_by("-submitted_at", "-pk")
    )


class ExtractFilter(Schema):
    box: Literal["incoming", "outgoing"] | None = Field(
        None, description="incoming: to your register; outgoing: sent by your authority"
    )


@router.get(
    "/extracts", response={200: ExtractPage, **_errors((400, 401))}, url_name="records_extracts"
)
def extract_list(
    request: HttpRequest, page: Query[PageParams], filters: Query[ExtractFilter]
) -> dict[str, Any]:
    """Extract requests to your register and from your authority, newest first."""
    user = api_user(request)
    return paginate(request, _extracts(user, filters.box), page, extract_out)


@router.post(
    "/extracts",
    response={201: ExtractOut, **_errors((400, 401, 403, 415))},
    url_name="records_extract_create",
)
def extract_create(request: HttpRequest, payload: ExtractIn) -> Status[ExtractOut]:
    """Ask another state's register for an extract. Officers and supervisors only."""
    user = api_user(request)
    if not policy.can_request_extract(user):
        raise PermissionDenied(_("Only officers and supervisors can request extracts."))
    data = payload.dict()
    data["register_state"] = data["register_state"].upper()
    try:
        extract = services.extract_request(actor=user, data=services.ExtractData(**data))
    except services.RecordsError as error:
        raise _invalid(error) from error
    return Status(201, extract_out(access_extract(user=user, id=extract.public_id)))


def _audit_extract_read(user: User, extract: ExtractRequest) -> None:
    audit_record(
        code=Code.EXTRACT_VIEWED,
        actor=user,
        subject_type="extract_request",
        subject_id=str(extract.public_id),
        details={"reference": extract.reference, "via": "api"},
    )


@router.get(
    "/extracts/{id}", response={200: ExtractOut, **_errors((401, 404))}, url_name="records_extract"
)
def extract_detail(request: HttpRequest, id: str) -> ExtractOut:
    """One extract request; once answered, with the extract as sent. The read is audited."""
    user = api_user(request)
    extract = access_extract(user=user, id=id)
    _audit_extract_read(user, extract)
    return extract_out(extract)


@router.get(
    "/extracts/{id}/candidates",
    response={200: CandidatesOut, **_errors((401, 403, 404))},
    url_name="records_extract_candidates",
)
def extract_candidates(request: HttpRequest, id: str) -> CandidatesOut:
    """The register's candidates for the person asked about, best first, each with its
    reasons. The register's keeper only: the requesting side never sees them."""
    user = api_user(request)
    extract = access_extract(user=user, id=id)
    if not policy.can_view_register(user, extract.register):
        raise PermissionDenied(_("Only the register's keeper sees its candidates."))
    names = extract_names(extract)
    rows = find_candidates(
        register=extract.register,
        names=names,
        birth_date=extract.subject_birth_date,
        nationality=extract.subject_nationality,
    )
    audit_search(
        user,
        register=extract.register,
        context="extract",
        names=names,
        rows=rows,
        reference=extract.reference,
        via="api",
    )
    return CandidatesOut(candidates=[candidate_out(row) for row in rows])


@router.post(
    "/extracts/{id}/answer",
    response={200: ExtractOut, **_errors((400, 401, 403, 404, 415))},
    url_name="records_extract_answer",
)
def extract_answer(request: HttpRequest, id: str, payload: AnswerIn) -> ExtractOut:
    """Confirm the person (by register reference) and send the extract, or send "no record"
    with ``person`` null. The note says how the identity was confirmed."""
    user = api_user(request)
    extract = access_extract(user=user, id=id)
    if not policy.can_answer_extract(user, extract):
        raise PermissionDenied(_("Only the register's officers answer, while it awaits one."))
    person: Person | None = None
    if payload.person is not None:
        person = Person.objects.filter(register=extract.register, ref=payload.person).first()
        if person is None:
            message = _("No person with this reference in the register.")
            raise ApiError(
                status=400, code="invalid", message=message, fields={"person": [message]}
            )
    try:
        services.extract_answer(
            actor=user, extract=extract, person=person, identity_note=payload.identity_note
        )
    except services.RecordsError as error:
        raise _invalid(error) from error
    return extract_out(access_extract(user=user, id=extract.public_id))


@router.post(
    "/search",
    response={200: CandidatesOut, **_errors((400, 401, 404, 415))},
    url_name="records_search",
)
def register_search(request: HttpRequest, payload: SearchIn) -> CandidatesOut:
    """Search your own register for a name in any script. Audited; 404 without a register."""
    user = api_user(request)
    register: Register = access_register(user=user)
    birth = ""
    try:
        birth = partial_date(payload.birth_date or "")
    except PartialDateError as error:
        raise ApiError(
            status=400, code="invalid", message=str(error), fields={"birth_date": [str(error)]}
        ) from error
    name = " ".join(payload.name.split())
    if not name:
        message = _("Give a name to search for.")
        raise ApiError(status=400, code="invalid", message=message, fields={"name": [message]})
    rows = find_candidates(
        register=register,
        names=[name],
        birth_date=birth,
        nationality=(payload.nationality or "").strip().upper(),
        top=payload.top,
    )
    audit_search(user, register=register, context="register", names=[name], rows=rows, via="api")
    return CandidatesOut(candidates=[candidate_out(row) for row in rows])


def _notices(user: User) -> QuerySet[ConvictionNotice]:
    return (
        ConvictionNotice.objects.filter(policy.notice_visibility_q(user))
        .select_related("sender__state", "recipient__state")
        .order_by("-sent_at", "-pk")
    )


@router.get(
    "/notices", response={200: NoticePage, **_errors((400, 401))}, url_name="records_notices"
)
def notice_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Conviction notices your register received or sent, newest first."""
    user = api_user(request)
    return paginate(request, _notices(user), page, notice_out)


@router.get(
    "/notices/{id}", response={200: NoticeOut, **_errors((401, 404))}, url_name="records_notice"
)
def notice_detail(request: HttpRequest, id: str) -> NoticeOut:
    """One conviction notice as received. The read is audited."""
    user = api_user(request)
    notice = access_notice(user=user, id=id)
    audit_record(
        code=Code.NOTICE_VIEWED,
        actor=user,
        subject_type="conviction_notice",
        subject_id=str(notice.public_id),
        details={"via": "api"},
    )
    return notice_out(notice)
