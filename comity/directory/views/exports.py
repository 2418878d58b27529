"""Downloads: an authority or a contact point as a vCard, the directory as CSV.

Every download is audited: it takes the network's contact data out of the system.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.directory import export, search
from comity.directory.forms import SearchForm, state_choices
from comity.directory.models import Authority, ContactPoint
from comity.directory.views.common import attachment, directory_reader, get_authority, get_contact

VCARD = "text/vcard; charset=utf-8"
CSV = "text/csv; charset=utf-8"


def vcard_response(*, user: User, subject: Authority | ContactPoint) -> HttpResponse:
    if isinstance(subject, Authority):
        text, name, kind = export.authority_vcard(subject), subject.key, "authority"
    else:
        name = slugify(subject.name_latin) or f"contact-{subject.public_id}"
        text, kind = export.contact_vcard(subject), "contact"
    audit_record(
        code=Code.CONTACT_EXPORTED,
        actor=user,
        subject_type=kind,
        subject_id=str(subject.public_id),
        details={"format": "vcard"},
    )
    return attachment(HttpResponse(text, content_type=VCARD), f"{name}.vcf")


def csv_response(*, user: User, filters: dict[str, Any]) -> HttpResponse:
    """The authorities matching the filters (all without filters), one row each."""
    rows = search.search_authorities(**filters).order_by("state__iso3", "-is_primary", "name_en")
    response = HttpResponse(content_type=CSV)
    written = export.directory_csv(response, rows)
    audit_record(
        code=Code.DIRECTORY_EXPORTED,
        actor=user,
        subject_type="directory",
        details={"format": "csv", "rows": written, "filters": filters},
    )
    day = timezone.localdate().isoformat()
    return attachment(response, f"comity-directory-{day}.csv")


@require_GET
@directory_reader
def authority_vcard(request: HttpRequest, user: User, key: str) -> HttpResponse:
    return vcard_response(user=user, subject=get_authority(key))


@require_GET
@directory_reader
def contact_vcard(request: HttpRequest, user: User, id: uuid.UUID) -> HttpResponse:
    return vcard_response(user=user, subject=get_contact(id))


@require_GET
@directory_reader
def export_csv(request: HttpRequest, user: User) -> HttpResponse:
    filters = SearchForm(request.GET, states=state_choices()).filters()
    return csv_response(user=user, filters={k: v for k, v in filters.items() if v})
