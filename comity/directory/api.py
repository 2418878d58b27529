"""The directory API, read-only: /api/v1/directory (see docs/api.md).

Every operation needs a token whose user may read the directory (403 otherwise). A key, id
or state code that names nothing answers 404; a filter value that is not known, 400 with the
field named. Downloads (vCard, CSV) are audited like those of the web pages, and so are
reads of contact points (people's work details), which a client could otherwise harvest.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints

from comity import policy
from comity.accounts.models import User
from comity.api.auth import api_user
from comity.api.errors import ApiError
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageOut, PageParams, paginate
from comity.cooperation.models import RequestType
from comity.directory import search
from comity.directory.models import Authority, ContactPoint, MeasureFiche, State, is_stale
from comity.directory.views import display, exports
from comity.directory.views.common import (
    audit_contacts_read,
    get_authority,
    get_contact,
    get_state,
    read_contacts_of,
)

router = Router(tags=["directory"])

_READ = (401, 403, 404)
_LANGUAGE = re.compile(r"^[a-z]{2}$")
# Measures a filter may name: the directory's, and the request types of the cooperation app.
FILTER_MEASURES: frozenset[str] = (
    frozenset(display.MEASURES) | frozenset(search.MEASURE_TAGS) | frozenset(RequestType.values)
)


def _reader(request: HttpRequest) -> User:
    user = api_user(request)
    if not policy.can_view_directory(user):
        raise PermissionDenied(_("The directory is open to the network's members only."))
    return user


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL characters."))
    return value.strip()


def _measure(value: str) -> str:
    if value and value not in FILTER_MEASURES:
        raise ValueError(
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(sorted(FILTER_MEASURES))}
        )
    return value


def _language(value: str) -> str:
    value = value.lower()
    if value and not _LANGUAGE.match(value):
        raise ValueError(_("Give a two-letter ISO 639-1 language code, e.g. ru."))
    return value


Short = Annotated[
    str, StringConstraints(max_length=100), BeforeValidator(_none_to_empty), AfterValidator(_no_nul)
]


class DirectoryQuery(PageParams):
    q: Short = Field("", description="A name, in any script (Cyrillic, Latin, Perso-Arabic)")
    state: Short = Field("", description="ISO 3166 alpha-3 code, e.g. KGZ")
    measure: Annotated[Short, AfterValidator(_measure)] = Field(
        "", description="A measure or request type, e.g. bank_records, extradition"
    )
    language: Annotated[Short, AfterValidator(_language)] = Field(
        "", description="ISO 639-1 code of a language accepted or spoken, e.g. ru"
    )

    def filters(self) -> dict[str, str]:
        if self.state and not State.objects.filter(iso3=self.state.upper()).exists():
            message = _("No state with this code.")
            raise ApiError(status=400, code="invalid", message=message, fields={"state": [message]})
        return {
            "q": self.q,
            "state": self.state.upper(),
            "measure": self.measure,
            "language": self.language,
        }


# ---------------------------------------------------------------------------- output


class Out(BaseModel):
    pass


class StateOut(Out):
    iso3: str
    name: str


class AuthorityRefOut(Out):
    key: str
    name: str
    state: StateOut


class AuthoritySummaryOut(Out):
    id: uuid.UUID
    key: str
    name: str = Field(description="In the reader's language where known")
    name_en: str
    name_ru: str
    name_local: str
    state: StateOut
    kind: str
    is_central_authority: bool
    is_primary: bool = Field(description="Receives requests addressed to the state")
    accepted_languages: list[str]
    is_demo: bool
    last_verified: date | None
    stale: bool = Field(description="Never verified, or not for over a year")
    url: str


class ChannelOut(Out):
    channel: str
    measures: list[str] = Field(description="Empty: every measure")
    note: str


class ContactOut(Out):
    id: uuid.UUID
    name: str
    name_latin: str
    name_cyrillic: str
    role: str
    languages: list[str]
    measures: list[str]
    email: str
    phone: str
    available_24_7: bool
    is_demo: bool
    last_verified: date | None
    authority: AuthorityRefOut


class AuthorityOut(AuthoritySummaryOut):
    local_language: str
    tags: list[str]
    role: str
    legal_basis: str
    languages: str = Field(description="The languages as published, in words")
    address: str
    phone: str
    email: str
    website: str
    urgent_contact: str
    office_hours: str
    time_zone: str
    channels: list[ChannelOut]
    translation_certified: bool | None
    requires_e_signature: bool | None
    requires_encryption: bool | None
    dual_criminality: str
    dual_criminality_note: str
    evidence_use_limits: str
    typical_execution_days: int | None
    execution_time_note: str
    documents: dict[str, str]
    source: str
    confidence: str
    unsourced_fields: list[str] = Field(description="Fields filled for the demo, not sourced")
    verified_by: str | None
    contacts: list[ContactOut]


class FicheOut(Out):
    id: uuid.UUID
    measure: str
    measure_label: str
    availability: str
    conditions: str
    what_to_send: str
    alternative: str
    legal_basis: str
    source: str
    confidence: str
    is_demo: bool
    last_verified: date | None
    stale: bool


class StateFichesOut(Out):
    state: StateOut
    items: list[FicheOut]


class AuthorityPage(PageOut):
    items: list[AuthoritySummaryOut]


class ContactPage(PageOut):
    items: list[ContactOut]


def _state(state: State) -> StateOut:
    return StateOut(iso3=state.iso3, name=state.name)


def _summary_fields(a: Authority) -> dict[str, Any]:
    return {
        "id": a.public_id,
        "key": a.key,
        "name": a.name,
        "name_en": a.name_en,
        "name_ru": a.name_ru,
        "name_local": a.name_local,
        "state": _state(a.state),
        "kind": a.kind,
        "is_central_authority": a.is_central_authority,
        "is_primary": a.is_primary,
        "accepted_languages": list(a.accepted_languages or []),
        "is_demo": a.is_demo,
        "last_verified": a.last_verified,
        "stale": a.is_stale(),
        "url": reverse("api:directory_authority", kwargs={"key": a.key}),
    }


def authority_summary_out(a: Authority) -> AuthoritySummaryOut:
    return AuthoritySummaryOut(**_summary_fields(a))


def contact_out(c: ContactPoint) -> ContactOut:
    authority = c.authority
    return ContactOut(
        id=c.public_id,
        name=c.name,
        name_latin=c.name_latin,
        name_cyrillic=c.name_cyrillic,
        role=c.role,
        languages=list(c.languages or []),
        measures=list(c.measures or []),
        email=c.email,
        phone=c.phone,
        available_24_7=c.available_24_7,
        is_demo=c.is_demo,
        last_verified=c.last_verified,
        authority=AuthorityRefOut(
            key=authority.key, name=authority.name, state=_state(authority.state)
        ),
    )


def _channels(value: Any) -> list[ChannelOut]:
    return [
        ChannelOut(
            channel=str(item.get("channel", "")),
            measures=[str(m) for m in item.get("measures") or []],
            note=str(item.get("note") or ""),
        )
        for item in (value if isinstance(value, list) else [])
        if isinstance(item, dict)
    ]


def authority_out(a: Authority, contacts: list[ContactPoint]) -> AuthorityOut:
    return AuthorityOut(
        **_summary_fields(a),
        local_language=a.local_language,
        tags=list(a.tags or []),
        role=a.role,
        legal_basis=a.legal_basis,
        languages=a.languages,
        address=a.address,
        phone=a.phone,
        email=a.email,
        website=a.website,
        urgent_contact=a.urgent_contact,
        office_hours=a.office_hours,
        time_zone=a.time_zone,
        channels=_channels(a.channels),
        translation_certified=a.translation_certified,
        requires_e_signature=a.requires_e_signature,
        requires_encryption=a.requires_encryption,
        dual_criminality=a.dual_criminality,
        dual_criminality_note=a.dual_criminality_note,
        evidence_use_limits=a.evidence_use_limits,
        typical_execution_days=a.typical_execution_days,
        execution_time_note=a.execution_time_note,
        documents={str(k): str(v) for k, v in (a.documents or {}).items()},
        source=a.source,
        confidence=a.confidence,
        unsourced_fields=list(a.unsourced_fields or []),
        verified_by=a.verified_by.display_name if a.verified_by else None,
        contacts=[contact_out(c) for c in contacts],
    )


def fiche_out(f: MeasureFiche) -> FicheOut:
    return FicheOut(
        id=f.public_id,
        measure=f.measure,
        measure_label=str(f.get_measure_display()),
        availability=f.availability,
        conditions=f.conditions,
        what_to_send=f.what_to_send,
        alternative=f.alternative,
        legal_basis=f.legal_basis,
        source=f.source,
        confidence=f.confidence,
        is_demo=f.is_demo,
        last_verified=f.last_verified,
        stale=is_stale(f.last_verified),
    )


# ---------------------------------------------------------------------------- operations

_VCARD_DOC = {"responses": {200: {"description": "The vCard", "content": {"text/vcard": {}}}}}
_CSV_DOC = {"responses": {200: {"description": "The directory", "content": {"text/csv": {}}}}}


@router.get(
    "/authorities",
    response={200: AuthorityPage, **_errors((400, 401, 403))},
    url_name="directory_authorities",
)
def authority_list(request: HttpRequest, filters: Query[DirectoryQuery]) -> dict[str, Any]:
    """Authorities by name (any script), state, measure and language accepted."""
    _reader(request)
    rows = search.search_authorities(**filters.filters())
    return paginate(request, rows, filters, authority_summary_out)


@router.get(
    "/authorities/{key}",
    response={200: AuthorityOut, **_errors(_READ)},
    url_name="directory_authority",
)
def authority_detail(request: HttpRequest, key: str) -> AuthorityOut:
    """One authority's full entry, with its contact points."""
    user = _reader(request)
    authority = get_authority(key)
    return authority_out(authority, read_contacts_of(user, authority))


@router.get(
    "/authorities/{key}/vcard",
    response={200: None, **_errors(_READ)},
    url_name="directory_authority_vcard",
    openapi_extra=_VCARD_DOC,
)
def authority_vcard(request: HttpRequest, key: str) -> HttpResponse:
    """The authority as a vCard (text/vcard); the download is audited."""
    user = _reader(request)
    return exports.vcard_response(user=user, subject=get_authority(key))


@router.get(
    "/contacts",
    response={200: ContactPage, **_errors((400, 401, 403))},
    url_name="directory_contacts",
)
def contact_list(request: HttpRequest, filters: Query[DirectoryQuery]) -> dict[str, Any]:
    """Active contact points by name (any script), state, measure and language spoken; the
    read is audited."""
    user = _reader(request)
    chosen = filters.filters()
    page = paginate(request, search.search_contacts(**chosen), filters, contact_out)
    audit_contacts_read(
        user,
        subject_type="directory",
        subject_id="",
        details={
            "filters": {k: v for k, v in chosen.items() if v},
            "page": page["page"],
            "contacts": len(page["items"]),
        },
    )
    return page


@router.get(
    "/contacts/{public_id}/vcard",
    response={200: None, **_errors(_READ)},
    url_name="directory_contact_vcard",
    openapi_extra=_VCARD_DOC,
)
def contact_vcard(request: HttpRequest, public_id: str) -> HttpResponse:
    """The contact point as a vCard (text/vcard); the download is audited."""
    user = _reader(request)
    return exports.vcard_response(user=user, subject=get_contact(public_id))


@router.get(
    "/states/{iso3}/fiches",
    response={200: StateFichesOut, **_errors(_READ)},
    url_name="directory_state_fiches",
)
def state_fiches(request: HttpRequest, iso3: str) -> StateFichesOut:
    """Per measure: is it available in the state, on what conditions, what to send, and
    what to ask for instead."""
    _reader(request)
    state = get_state(iso3)
    fiches = MeasureFiche.objects.filter(state=state).order_by("measure")
    return StateFichesOut(state=_state(state), items=[fiche_out(f) for f in fiches])


@router.get(
    "/export.csv",
    response={200: None, **_errors((400, 401, 403))},
    url_name="directory_export",
    openapi_extra=_CSV_DOC,
)
def export_csv(request: HttpRequest, filters: Query[DirectoryQuery]) -> HttpResponse:
    """The directory as CSV (text/csv), narrowed by the same filters as /authorities; the
    download is audited. Paging does not apply."""
    user = _reader(request)
    chosen = {k: v for k, v in filters.filters().items() if v}
    return exports.csv_response(user=user, filters=chosen)
