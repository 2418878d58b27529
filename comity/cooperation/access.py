"""Fetch-with-permission. Hidden and missing objects raise the same Http404."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from comity import policy
from comity.accounts.models import User
from comity.cooperation.models import Attachment, Request


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def access_request(*, user: User | AnonymousUser, id: uuid.UUID | str) -> Request:
    """The request if this user may see it; Http404 if it is missing or hidden."""
    request = (
        Request.objects.select_related(
            "case",
            "requesting_authority__state",
            "requested_state",
            "requested_authority__state",
            "executing_authority__state",
            "created_by",
        )
        .filter(policy.request_visibility_q(user), public_id=_uuid(id))
        .first()
    )
    if request is None:
        raise Http404
    return request


def access_attachment(
    *,
    user: User | AnonymousUser,
    request_id: uuid.UUID | str,
    id: uuid.UUID | str,
) -> Attachment:
    request = access_request(user=user, id=request_id)
    attachment = (
        Attachment.objects.select_related("request", "uploaded_by", "uploader_authority")
        .filter(request=request, public_id=_uuid(id))
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment
