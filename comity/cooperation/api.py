"""The requests API: /api/v1/requests and what hangs off one request.

Every operation parses, fetches with permission (missing and hidden both give 404), calls
one service or selector and renders a schema; errors take the shape of comity.api.errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from comity import policy
from comity.api.auth import api_user
from comity.api.errors import ApiError, fields_from_django
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageParams, paginate
from comity.api.renderers import prechecked_response
from comity.audit.codes import Code
from comity.cooperation import checks, selectors, services
from comity.cooperation.access import access_attachment, access_request
from comity.cooperation.downloads import attachment_response
from comity.cooperation.models import (
    Attachment,
    Message,
    MessageReceipt,
    Request,
    TimelineEvent,
)
from comity.cooperation.schemas import (
    AttachmentForm,
    AttachmentOut,
    AttachmentPage,
    ChecksOut,
    EventPage,
    MessageIn,
    MessageOut,
    MessagePage,
    RequestCreateIn,
    RequestListQuery,
    RequestOut,
    RequestPage,
    RequestPatchIn,
    TransitionIn,
    attachment_out,
    checks_out,
    event_out,
    message_out,
    request_out,
    request_summary_row,
)

router = Router(tags=["requests"])

# Statuses each operation may answer with besides its success; all share the error shape.
_READ = (401, 404)
_WRITE = (400, 401, 403, 404, 413, 415)


def _detail(request: HttpRequest, id: str) -> RequestOut:
    user = api_user(request)
    return request_out(access_request(user=user, id=id), user=user)


@router.post("", response={201: RequestOut, **_errors(_WRITE)}, url_name="request_create")
def request_create(request: HttpRequest, payload: RequestCreateIn) -> Status[RequestOut]:
    """Create a draft request of your authority."""
    created = services.request_create_draft(actor=api_user(request), data=payload.to_data())
    return Status(201, _detail(request, str(created.public_id)))


@router.get("", response={200: RequestPage, **_errors((400, 401))}, url_name="request_list")
def request_list(request: HttpRequest, filters: Query[RequestListQuery]) -> dict[str, Any]:
    """The requests you may see: box=incoming, outgoing, overdue or all."""
    listing = selectors.request_list(user=api_user(request), filters=filters.filters())
    page = paginate(request, listing.rows(), filters, request_summary_row)
    return prechecked_response(request, page)  # type: ignore[return-value]


@router.get("/{id}", response={200: RequestOut, **_errors(_READ)}, url_name="request_detail")
def request_detail(request: HttpRequest, id: str) -> RequestOut:
    """One request, in full; the read is audited."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    services.request_record_view(reader=user, request=found)
    return request_out(found, user=user)


@router.patch(
    "/{id}", response={200: RequestOut, **_errors((*_WRITE, 409))}, url_name="request_update"
)
def request_update(
    request: HttpRequest,
    id: str,
    payload: RequestPatchIn,
) -> RequestOut:
    """Change a draft: only the fields sent. Send `version` to be told (409) of a
    concurrent change."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    data = payload.to_data()
    if not data.provided:
        raise ApiError(
            status=400,
            code="invalid",
            message=_("Send at least one field to change."),
            fields={"__all__": [_("Send at least one field to change.")]},
        )
    services.request_update_draft(
        actor=user, request=found, data=data, expected_version=payload.version
    )
    return _detail(request, id)


@router.post(
    "/{id}/transitions",
    response={200: RequestOut, **_errors(_WRITE)},
    url_name="request_transition",
)
def request_transition(
    request: HttpRequest,
    id: str,
    payload: TransitionIn,
) -> RequestOut:
    """Fire one action of the lifecycle. An unknown action, the wrong status or a missing
    reason give 400 with field errors; an action that is not yours gives 403. Submitting an
    incomplete request gives 400 with the code `incomplete` and, per field, what is missing
    and the article that requires it (as GET /requests/{id}/checks lists it)."""
    user = api_user(request)
    try:
        services.request_transition(
            actor=user,
            request=access_request(user=user, id=id),
            action=payload.action,
            reason=payload.reason,
            ground=payload.ground,
            executing_authority=payload.executing_authority,
        )
    except services.IncompleteRequest as exc:
        fields = fields_from_django(exc)
        raise ApiError(
            status=400,
            code="incomplete",
            message=ngettext(
                "The request cannot be submitted: %(count)d item is missing.",
                "The request cannot be submitted: %(count)d items are missing.",
                len(exc.missing),
            )
            % {"count": len(exc.missing)},
            fields=fields,
        ) from exc
    return _detail(request, id)


@router.get(
    "/{id}/checks",
    response={200: ChecksOut, **_errors((401, 403, 404))},
    url_name="request_checks",
)
def request_checks(request: HttpRequest, id: str) -> ChecksOut:
    """What the request still lacks for its type and legal basis, the risks of refusal, and
    for a provisional arrest the release deadlines. The requesting side's; the read is
    audited."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    if not policy.can_check_request(user, found):
        raise PermissionDenied
    services.request_record_view(reader=user, request=found, what=Code.REQUEST_CHECKS_VIEWED)
    return checks_out(checks.review(found))


def _timeline(found: Request) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(request=found)
        .select_related("actor", "actor_authority__state")
        .order_by("created_at", "id")
    )


@router.get(
    "/{id}/timeline", response={200: EventPage, **_errors(_READ)}, url_name="request_timeline"
)
def request_timeline(
    request: HttpRequest,
    id: str,
    page: Query[PageParams],
) -> dict[str, Any]:
    """The request's events, oldest first."""
    found = access_request(user=api_user(request), id=id)
    return paginate(request, _timeline(found), page, event_out)


def _messages(found: Request) -> QuerySet[Message]:
    receipts = MessageReceipt.objects.select_related("user__authority__state").order_by(
        "read_at", "id"
    )
    return (
        Message.objects.filter(request=found)
        .select_related("author", "author_authority__state", "parent")
        .prefetch_related(Prefetch("receipts", queryset=receipts))
        .order_by("created_at", "id")
    )


@router.get(
    "/{id}/messages", response={200: MessagePage, **_errors(_READ)}, url_name="message_list"
)
def message_list(
    request: HttpRequest,
    id: str,
    page: Query[PageParams],
) -> dict[str, Any]:
    """The messages, oldest first, each with who read it; reading marks them read."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    services.messages_mark_read(reader=user, request=found)
    services.request_record_view(reader=user, request=found, what=Code.MESSAGES_VIEWED)
    return paginate(request, _messages(found), page, message_out)


@router.post(
    "/{id}/messages", response={201: MessageOut, **_errors(_WRITE)}, url_name="message_post"
)
def message_post(
    request: HttpRequest,
    id: str,
    payload: MessageIn,
) -> Status[MessageOut]:
    """Write to the other side of the request."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    message = services.message_post(
        actor=user, request=found, body=payload.body, parent=payload.parent
    )
    return Status(201, message_out(_messages(found).get(pk=message.pk)))


def _attachments(found: Request) -> QuerySet[Attachment]:
    return (
        Attachment.objects.filter(request=found)
        .select_related("request", "uploaded_by", "uploader_authority__state", "message")
        .order_by("created_at", "id")
    )


@router.get(
    "/{id}/attachments",
    response={200: AttachmentPage, **_errors(_READ)},
    url_name="attachment_list",
)
def attachment_list(
    request: HttpRequest,
    id: str,
    page: Query[PageParams],
) -> dict[str, Any]:
    """The files on the request; the read is audited."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    services.request_record_view(reader=user, request=found, what=Code.ATTACHMENTS_VIEWED)
    return paginate(request, _attachments(found), page, attachment_out)


@router.post(
    "/{id}/attachments",
    response={201: AttachmentOut, **_errors(_WRITE)},
    url_name="attachment_upload",
)
def attachment_upload(
    request: HttpRequest,
    id: str,
    file: File[UploadedFile],
    form: Form[AttachmentForm],
) -> Status[AttachmentOut]:
    """Add a file (multipart/form-data). Too large: 413; a type that is not accepted: 415.
    The type is read from the content, not from the name."""
    user = api_user(request)
    found = access_request(user=user, id=id)
    stored = services.attachment_upload(
        actor=user,
        request=found,
        filename=file.name or "file",
        chunks=file.chunks(),
        description=form.description,
    )
    return Status(201, attachment_out(_attachments(found).get(pk=stored.pk)))


@router.get(
    "/{id}/attachments/{attachment_id}",
    response={200: None, **_errors(_READ)},
    url_name="attachment_download",
    openapi_extra={
        "responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}
    },
)
def attachment_download(
    request: HttpRequest,
    id: str,
    attachment_id: str,
) -> FileResponse:
    """The file itself; the download is audited."""
    user = api_user(request)
    attachment = access_attachment(user=user, request_id=id, id=attachment_id)
    return attachment_response(reader=user, attachment=attachment)
