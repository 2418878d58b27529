"""The consultation API: the drafts shared with or by your authority, and their comments.

Mounted at /api/v1/consultations. Missing and hidden consultations both answer 404; every
read of one is audited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from comity.api.auth import api_user
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageParams, paginate
from comity.consultation import selectors, services
from comity.consultation.access import access_consultation
from comity.consultation.schemas import (
    CommentIn,
    CommentOut,
    ConsultationOut,
    ConsultationPage,
    comment_out,
    consultation_out,
    consultation_summary_out,
)

router = Router(tags=["consultations"])


@router.get(
    "", response={200: ConsultationPage, **_errors((400, 401))}, url_name="consultation_list"
)
def consultation_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Consultations of your authority, on both sides: open ones first."""
    user = api_user(request)
    rows = selectors.consultation_list(user=user)
    return paginate(request, rows, page, lambda c: consultation_summary_out(c, user=user))


@router.get(
    "/{id}",
    response={200: ConsultationOut, **_errors((401, 404))},
    url_name="consultation_detail",
)
def consultation_detail(request: HttpRequest, id: str) -> ConsultationOut:
    """One consultation: every revision as shared, and the comments. The read is audited."""
    user = api_user(request)
    found = access_consultation(user=user, id=id)
    revisions = selectors.revision_list(consultation=found)
    services.consultation_record_view(reader=user, consultation=found, revision=found.revision)
    return consultation_out(
        found,
        user=user,
        revisions=revisions,
        comments=list(selectors.comment_list(consultation=found)),
    )


@router.post(
    "/{id}/comments",
    response={201: CommentOut, **_errors((400, 401, 403, 404, 415))},
    url_name="consultation_comment",
)
def consultation_comment(request: HttpRequest, id: str, payload: CommentIn) -> Status[CommentOut]:
    """Comment on the shared draft (officers and supervisors of either authority, while the
    request is a draft). The comment never becomes part of the request."""
    user = api_user(request)
    found = access_consultation(user=user, id=id)
    comment = services.consultation_comment(
        actor=user, consultation=found, body=payload.body, field=payload.field
    )
    return Status(201, comment_out(selectors.comment_list(consultation=found).get(pk=comment.pk)))
