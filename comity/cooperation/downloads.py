"""Serving a stored attachment: one response for the web UI and the API."""

from __future__ import annotations

from django.http import FileResponse, Http404

from comity.accounts.models import User
from comity.cooperation import files, services
from comity.cooperation.models import Attachment


def attachment_response(*, reader: User, attachment: Attachment) -> FileResponse:
    """The file as a download, audited; never rendered by the browser as a page."""
    try:
        handle = files.path_of(attachment.storage_name).open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.attachment_record_download(reader=reader, attachment=attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
