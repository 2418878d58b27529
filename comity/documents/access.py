"""Fetch-with-permission for documents. Hidden and missing answer the same Http404."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from comity import policy
from comity.accounts.models import User
from comity.documents.models import DocumentVersion


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def access_document(*, user: User | AnonymousUser, id: uuid.UUID | str) -> DocumentVersion:
    """The version if this user may download it; Http404 if it is missing or hidden."""
    version = (
        DocumentVersion.objects.select_related("request", "created_by")
        .filter(public_id=_uuid(id))
        .first()
    )
    if version is None or not policy.can_download_document(
        user, version.request, sent=version.sent
    ):
        raise Http404
    return version
