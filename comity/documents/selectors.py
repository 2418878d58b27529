"""Reads of documents, already narrowed to what the reader may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from comity import policy
from comity.accounts.models import User
from comity.cooperation.models import Request
from comity.documents.models import DocumentVersion


def versions_for(*, user: User | AnonymousUser, request: Request) -> list[DocumentVersion]:
    """The request's versions this user may download, newest first (one query)."""
    versions = DocumentVersion.objects.filter(request=request).select_related("created_by")
    if not policy.can_download_document(user, request, sent=False):
        versions = versions.filter(sent=True)
    if not policy.can_download_document(user, request, sent=True):
        return []
    return list(versions.order_by("-number"))


def version_by_code(code: str) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.select_related("request__requesting_authority__state", "created_by")
        .filter(verification_code=code)
        .first()
    )
