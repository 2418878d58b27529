"""What the consultation API reads and writes, and how rows become that JSON."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel

from comity import policy
from comity.accounts.models import User
from comity.api.pagination import PageOut
from comity.consultation.models import (
    Consultation,
    ConsultationComment,
    ConsultationRevision,
    ConsultationStatus,
)
from comity.cooperation.schemas import AuthorityOut, Text, UserOut, authority_out, user_out


class CommentIn(Schema):
    body: Text
    field: str = Field(
        "",
        max_length=64,
        description="The part of the shared draft the comment is about (a key of the "
        "snapshot, e.g. summary_of_facts or persons); empty for the whole draft",
    )


class Out(BaseModel):
    """Plain pydantic output, like the requests API."""


class RequestRefOut(Out):
    id: uuid.UUID
    reference: str


class ContactOut(Out):
    id: uuid.UUID
    name: str
    role: str


class ConsultationSummaryOut(Out):
    id: uuid.UUID
    request: RequestRefOut
    title: str = Field(..., description="The draft's title as last shared")
    status: str = Field(..., description="open, or closed (also once the request left draft)")
    closed_because: str
    side: str = Field(..., description="Your side: requesting or requested")
    requesting_authority: AuthorityOut
    requested_authority: AuthorityOut
    contact_point: ContactOut | None
    revision: int
    comment_count: int
    opened_at: datetime
    last_activity_at: datetime


class ConsultationPage(PageOut):
    items: list[ConsultationSummaryOut]


class RevisionOut(Out):
    number: int
    shared_by: UserOut
    shared_at: datetime
    note: str
    snapshot: dict[str, Any] = Field(..., description="The draft's contents as shared")


class CommentOut(Out):
    id: uuid.UUID
    author: UserOut
    author_authority: AuthorityOut
    body: str
    field: str
    revision: int
    created_at: datetime


class ConsultationOut(ConsultationSummaryOut):
    revisions: list[RevisionOut]
    comments: list[CommentOut]
    can_comment: bool
    can_manage: bool = Field(..., description="You may share again or close (in the web UI)")


def _status(consultation: Consultation) -> str:
    if policy.consultation_is_open(consultation):
        return ConsultationStatus.OPEN.value
    return ConsultationStatus.CLOSED.value


def _summary(consultation: Consultation, *, user: User, title: str) -> dict[str, Any]:
    contact = consultation.contact_point
    side = policy.consultation_side(user, consultation)
    return {
        "id": consultation.public_id,
        "request": RequestRefOut(
            id=consultation.request.public_id, reference=consultation.request.reference
        ),
        "title": title,
        "status": _status(consultation),
        "closed_because": consultation.closed_because,
        "side": side.value if side is not None else "",
        "requesting_authority": authority_out(consultation.requesting_authority),
        "requested_authority": authority_out(consultation.requested_authority),
        "contact_point": (
            ContactOut(id=contact.public_id, name=contact.name, role=contact.role)
            if contact is not None
            else None
        ),
        "revision": consultation.revision,
        "opened_at": consultation.opened_at,
        "last_activity_at": consultation.last_activity_at,
    }


def consultation_summary_out(consultation: Consultation, *, user: User) -> ConsultationSummaryOut:
    """A list row (selectors.consultation_list annotates the title and the count)."""
    title = str(getattr(consultation, "shared_title", "") or "")
    return ConsultationSummaryOut(
        **_summary(consultation, user=user, title=title),
        comment_count=int(getattr(consultation, "comment_count", 0)),
    )


def revision_out(revision: ConsultationRevision) -> RevisionOut:
    return RevisionOut(
        number=revision.number,
        shared_by=user_out(revision.shared_by),
        shared_at=revision.shared_at,
        note=revision.note,
        snapshot=revision.snapshot,
    )


def comment_out(comment: ConsultationComment) -> CommentOut:
    """Needs author and author_authority__state."""
    return CommentOut(
        id=comment.public_id,
        author=user_out(comment.author),
        author_authority=authority_out(comment.author_authority),
        body=comment.body,
        field=comment.field,
        revision=comment.revision,
        created_at=comment.created_at,
    )


def consultation_out(
    consultation: Consultation,
    *,
    user: User,
    revisions: list[ConsultationRevision],
    comments: list[ConsultationComment],
) -> ConsultationOut:
    title = str(revisions[-1].snapshot.get("fields", {}).get("title", "")) if revisions else ""
    return ConsultationOut(
        **_summary(consultation, user=user, title=title),
        comment_count=len(comments),
        revisions=[revision_out(r) for r in revisions],
        comments=[comment_out(c) for c in comments],
        can_comment=policy.can_comment_on_consultation(user, consultation),
        can_manage=policy.can_manage_consultation(user, consultation),
    )
