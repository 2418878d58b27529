"""Every URL pattern and every API operation x every persona (docs/access.md).

The matrix below must name every route of the project. A new URL or API operation without
an entry fails `test_every_route_has_an_entry_in_the_matrix`, so nobody adds a page or an
endpoint without deciding who may use it.

Personas: anonymous, the requesting officer (KAZ), the requested officer (KGZ), a read-only
reviewer of the requesting authority, and an outsider (TJK, a third state). Objects: a request
KAZ -> KGZ that has been submitted, a draft of KAZ, and an attachment on the submitted one.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from comity.accounts.models import User
from comity.api.root import api
from comity.consultation.models import Consultation
from comity.consultation.services import consultation_open
from comity.cooperation import services
from comity.cooperation.models import Attachment, Request
from comity.directory import changes
from comity.directory.models import ContactPoint, EntryChange
from comity.documents.models import DocumentVersion
from comity.documents.services import document_render
from tests.builders import draft, submitted
from tests.personas import Personas

PERSONAS = ("anonymous", "requesting", "requested", "reviewer", "outsider", "coordinator")

# Status codes that mean "you are not signed in" for pages (redirect to sign-in) and the API.
LOGIN = 302
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    personas: Personas
    submitted: Request
    draft: Request
    attachment: Attachment
    change: EntryChange  # a pending change to kgz-gpo, proposed by the requested officer
    consultation: Consultation  # the draft, shared with kgz-gpo for comments
    tokens: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def document(self) -> DocumentVersion:
        """A document of the submitted request, made only for the checks that need one."""
        return document_render(
            request=self.submitted,
            languages=["en"],
            fmt="docx",
            actor=self.personas.requesting_officer,
        )

    def user(self, persona: str) -> User | None:
        return {
            "anonymous": None,
            "requesting": self.personas.requesting_officer,
            "requested": self.personas.requested_officer,
            "reviewer": self.personas.requesting_reviewer,
            "outsider": self.personas.outsider,
            "coordinator": self.personas.coordinator,
        }[persona]


@dataclass(frozen=True)
class Check:
    method: str
    url: Callable[[World], str]
    expect: dict[str, int | tuple[int, ...]]
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False


def _req(world: World) -> str:
    return str(world.submitted.public_id)


def _all(status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    return dict.fromkeys(PERSONAS, status)


def _signed_in(status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    return {**_all(status), "anonymous": LOGIN}


def _parties(
    status: int | tuple[int, ...], reviewer: int | tuple[int, ...] | None = None
) -> dict[str, int | tuple[int, ...]]:
    return {
        "anonymous": LOGIN,
        "requesting": status,
        "requested": status,
        "reviewer": status if reviewer is None else reviewer,
        "outsider": 404,
        # A network coordinator is no party to a request: it sees none of them.
        "coordinator": 404,
    }


def _drafter(status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    """Sharing a draft of kaz-gpo: its officer; its reviewer sees it but may not (403)."""
    return {**_signed_in(404), "requesting": status, "reviewer": 403}


def _consulted(status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    """A consultation: the two authorities (kaz-gpo drafts, kgz-gpo is consulted)."""
    return {**_signed_in(404), "requesting": status, "requested": status, "reviewer": status}


def _kgz_own(status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    """Changing kgz-gpo's entry: its own officer only; others read it, so 403."""
    return {**_signed_in(403), "requested": status}


# Pages, by URL name. Admin pages are checked through their index (namespace "admin").
PAGES: dict[str, list[Check]] = {
    "web:dashboard": [Check("GET", lambda w: "/", _signed_in(200))],
    "web:healthz": [Check("GET", lambda w: "/healthz", _all(200))],
    "web:notifications": [Check("GET", lambda w: "/notifications/", _signed_in(200))],
    "accounts:login": [Check("GET", lambda w: "/accounts/login/", _all((200, 302)))],
    "accounts:logout": [Check("POST", lambda w: "/accounts/logout/", _all(302))],
    "accounts:otp": [Check("GET", lambda w: "/accounts/two-factor/", _signed_in((200, 302)))],
    "accounts:otp_setup": [Check("GET", lambda w: "/accounts/two-factor/setup/", _signed_in(200))],
    "set_language": [
        Check("POST", lambda w: "/i18n/setlang/", _all(302), data=lambda w: {"language": "ru"})
    ],
    "cooperation:list": [Check("GET", lambda w: "/requests/?box=incoming", _signed_in(200))],
    "cooperation:create": [
        Check(
            "GET",
            lambda w: "/requests/new/",
            {**_signed_in(200), "reviewer": 403, "coordinator": 403},
        )
    ],
    "cooperation:detail": [Check("GET", lambda w: f"/requests/{_req(w)}/", _parties(200))],
    "cooperation:edit": [
        Check(
            "GET",
            lambda w: f"/requests/{w.draft.public_id}/edit/",
            {
                "anonymous": LOGIN,
                "requesting": 200,
                "requested": 404,
                "reviewer": 403,
                "outsider": 404,
                "coordinator": 404,
            },
        )
    ],
    "cooperation:transition": [
        Check(
            "POST",
            lambda w: f"/requests/{_req(w)}/transitions/",
            {
                "anonymous": LOGIN,
                "requesting": 403,
                "requested": 302,
                "reviewer": 403,
                "outsider": 404,
                "coordinator": 404,
            },
            data=lambda w: {"action": "acknowledge"},
        )
    ],
    "cooperation:messages": [
        Check("GET", lambda w: f"/requests/{_req(w)}/messages/", _parties(200)),
        Check(
            "POST",
            lambda w: f"/requests/{_req(w)}/messages/",
            _parties(302, reviewer=403),
            data=lambda w: {"body": "Please confirm receipt."},
        ),
    ],
    "cooperation:attachment_upload": [
        Check(
            "POST",
            lambda w: f"/requests/{_req(w)}/attachments/",
            _parties(302, reviewer=403),
            data=lambda w: {"file": _pdf_upload()},
        )
    ],
    "cooperation:attachment_download": [
        Check(
            "GET",
            lambda w: f"/requests/{_req(w)}/attachments/{w.attachment.public_id}/",
            _parties(200),
        )
    ],
    # Coordinators enter the admin for the treaty tables only (by their role).
    "admin": [Check("GET", lambda w: "/admin/", {**_all(302), "coordinator": 200})],
    # The directory: every member reads it; only kgz-gpo's own officer (the requested one)
    # changes kgz-gpo's entry; only a coordinator reviews.
    "directory:index": [Check("GET", lambda w: "/directory/?q=prokuratura", _signed_in(200))],
    "directory:export": [Check("GET", lambda w: "/directory/export.csv", _signed_in(200))],
    "directory:state": [Check("GET", lambda w: "/directory/states/KGZ/", _signed_in(200))],
    "directory:authority": [
        Check("GET", lambda w: "/directory/authorities/kgz-gpo/", _signed_in(200))
    ],
    "directory:authority_vcard": [
        Check("GET", lambda w: "/directory/authorities/kgz-gpo/vcard", _signed_in(200))
    ],
    "directory:contact_vcard": [
        Check("GET", lambda w: f"/directory/contacts/{_kgz_contact(w)}/vcard", _signed_in(200))
    ],
    "directory:propose": [
        Check("GET", lambda w: "/directory/authorities/kgz-gpo/propose/", _kgz_own(200)),
        Check(
            "POST",
            lambda w: "/directory/authorities/kgz-gpo/propose/",
            _kgz_own(400),  # the form is incomplete: shown again, nothing saved
            data=lambda w: {"phone": "+996 1"},
        ),
    ],
    "directory:propose_contact_new": [
        Check("GET", lambda w: "/directory/authorities/kgz-gpo/contacts/new/", _kgz_own(200))
    ],
    "directory:propose_contact": [
        Check(
            "GET",
            lambda w: f"/directory/authorities/kgz-gpo/contacts/{_kgz_contact(w)}/propose/",
            _kgz_own(200),
        )
    ],
    "directory:propose_fiche": [
        Check(
            "GET",
            lambda w: "/directory/authorities/kgz-gpo/fiches/bank_records/propose/",
            _kgz_own(200),
        )
    ],
    "directory:confirm": [
        Check("POST", lambda w: "/directory/authorities/kgz-gpo/confirm/", _kgz_own(302))
    ],
    "directory:review": [
        Check("GET", lambda w: "/directory/review/", {**_signed_in(403), "coordinator": 200})
    ],
    "directory:approve": [
        Check(
            "POST",
            lambda w: f"/directory/changes/{w.change.public_id}/approve/",
            {**_signed_in(403), "coordinator": 302},
        )
    ],
    "directory:reject": [
        Check(
            "POST",
            lambda w: f"/directory/changes/{w.change.public_id}/reject/",
            {**_signed_in(403), "coordinator": 302},
            data=lambda w: {"note": "No source."},
        )
    ],
    "directory:withdraw": [
        Check(
            "POST",
            lambda w: f"/directory/changes/{w.change.public_id}/withdraw/",
            # Proposals are seen by their authority's users (and coordinators) only; only the
            # proposer withdraws.
            {**_signed_in(404), "requested": 302, "coordinator": 403},
        )
    ],
    # Informal consultation on a draft: only the two authorities; everyone else 404.
    # Statistics: each central authority its own dashboard; the coordinator the network's
    # (comity/stats; docs/stats.md). The coordinator is sent from the one to the other.
    "stats:dashboard": [
        Check("GET", lambda w: "/stats/", {**_signed_in(200), "coordinator": 302}),
    ],
    "stats:export": [
        Check(
            "GET",
            lambda w: "/stats/export/volumes_by_type.csv",
            {**_signed_in(200), "coordinator": 403},
        ),
    ],
    "stats:report": [
        Check("GET", lambda w: "/stats/report.pdf", {**_signed_in(200), "coordinator": 403}),
    ],
    "stats:network": [
        Check("GET", lambda w: "/stats/network/", {**_signed_in(403), "coordinator": 200}),
    ],
    "stats:network_export": [
        Check(
            "GET",
            lambda w: "/stats/network/export/pairs.xlsx",
            {**_signed_in(403), "coordinator": 200},
        ),
    ],
    "stats:network_report": [
        Check(
            "GET",
            lambda w: "/stats/network/report.pdf",
            {**_signed_in(403), "coordinator": 200},
        ),
    ],
    "consultation:list": [Check("GET", lambda w: "/consultation/", _signed_in(200))],
    "consultation:new": [
        Check("GET", lambda w: f"/consultation/new/{w.draft.public_id}/", _drafter(200)),
        Check(
            "POST",
            lambda w: f"/consultation/new/{w.draft.public_id}/",
            _drafter(302),
            data=lambda w: {"message": "Could you look at this draft?"},
        ),
    ],
    "consultation:detail": [
        Check("GET", lambda w: f"/consultation/{w.consultation.public_id}/", _consulted(200))
    ],
    "consultation:comments": [
        Check(
            "GET", lambda w: f"/consultation/{w.consultation.public_id}/comments/", _consulted(200)
        ),
        Check(
            "POST",
            lambda w: f"/consultation/{w.consultation.public_id}/comments/",
            {**_consulted(302), "reviewer": 403},
            data=lambda w: {"body": "Add the account numbers."},
        ),
    ],
    "consultation:share": [
        Check(
            "POST",
            lambda w: f"/consultation/{w.consultation.public_id}/share/",
            {**_consulted(302), "requested": 403, "reviewer": 403},
        )
    ],
    "consultation:close": [
        Check(
            "POST",
            lambda w: f"/consultation/{w.consultation.public_id}/close/",
            {**_consulted(302), "requested": 403, "reviewer": 403},
        )
    ],
    # Request documents: the requesting side, and the requested side once submitted.
    "documents:request_documents": [
        Check("GET", lambda w: f"/documents/requests/{_req(w)}/", _parties(200)),
        Check(
            "POST",
            lambda w: f"/documents/requests/{_req(w)}/",
            {**_parties(302), "requested": 403, "reviewer": 403},
            data=lambda w: {"language": "en", "format": "docx"},
        ),
    ],
    "documents:preview": [
        Check(
            "GET",
            lambda w: f"/documents/requests/{_req(w)}/preview/?lang=en",
            {**_parties(200), "requested": 403},
        )
    ],
    "documents:translations": [
        Check(
            "GET",
            lambda w: f"/documents/requests/{_req(w)}/translations/",
            {**_parties(200), "requested": 403, "reviewer": 403},
        ),
        Check(
            "POST",
            lambda w: f"/documents/requests/{_req(w)}/translations/",
            {**_parties(302), "requested": 403, "reviewer": 403},
            data=lambda w: {"field": "purpose", "language": "ru", "text": "x", "status": "done"},
        ),
    ],
    "documents:download": [
        Check("GET", lambda w: f"/documents/{w.document.public_id}/", _parties(200))
    ],
    "documents:verify": [
        Check("GET", lambda w: "/documents/verify/", _signed_in(200)),
        Check(
            "POST",
            lambda w: "/documents/verify/",
            _signed_in(200),
            data=lambda w: {"code": "ZZZZZZZZZZ"},
        ),
    ],
    "treaties:finder": [
        Check(
            "GET",
            lambda w: "/legal-basis/?from=KAZ&to=KGZ&measure=extradition&offence=0601",
            _signed_in(200),
        )
    ],
    "treaties:panel": [
        Check(
            "GET",
            lambda w: "/legal-basis/panel/?type=extradition&requested_state=KGZ",
            _signed_in(200),
        )
    ],
    "treaties:instruments": [Check("GET", lambda w: "/legal-basis/instruments/", _signed_in(200))],
    "treaties:instrument": [
        Check("GET", lambda w: "/legal-basis/instruments/UNTOC/", _signed_in(200))
    ],
}


def _kgz_contact(world: World) -> str:
    contact = ContactPoint.objects.filter(authority__key="kgz-gpo").first()
    assert contact is not None
    return str(contact.public_id)


def _pdf_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")


def _api_parties(status: int, reviewer: int | None = None) -> dict[str, int | tuple[int, ...]]:
    return {
        "anonymous": 401,
        "requesting": status,
        "requested": status,
        "reviewer": status if reviewer is None else reviewer,
        "outsider": 404,
        "coordinator": 404,
    }


_API_SIGNED_IN: dict[str, int | tuple[int, ...]] = {**_all(200), "anonymous": 401}

# API operations, by "METHOD path" as the OpenAPI schema names them.
API: dict[str, Check] = {
    "GET /api/v1/requests": Check("GET", lambda w: "/api/v1/requests?box=incoming", _API_SIGNED_IN),
    "GET /api/v1/stats/dashboard": Check(
        "GET", lambda w: "/api/v1/stats/dashboard", {**_API_SIGNED_IN}
    ),
    "GET /api/v1/stats/tables/{key}": Check(
        "GET", lambda w: "/api/v1/stats/tables/volumes_by_type", {**_API_SIGNED_IN}
    ),
    "POST /api/v1/requests": Check(
        "POST",
        lambda w: "/api/v1/requests",
        {**_all(201), "anonymous": 401, "reviewer": 403, "coordinator": 403},
        data=lambda w: {
            "type": "mla",
            "requested_state": "AFG",
            "title": "Matrix",
            "proceedings": {
                "nature": "investigation",
                "reference": "M-1",
                "conducting_authority": "Matrix",
            },
        },
        json=True,
    ),
    "GET /api/v1/requests/{id}": Check(
        "GET", lambda w: f"/api/v1/requests/{_req(w)}", _api_parties(200)
    ),
    "PATCH /api/v1/requests/{id}": Check(
        "PATCH",
        lambda w: f"/api/v1/requests/{w.draft.public_id}",
        {
            "anonymous": 401,
            "requesting": 200,
            "requested": 404,
            "reviewer": 403,
            "outsider": 404,
            "coordinator": 404,
        },
        data=lambda w: {"title": "Renamed"},
        json=True,
    ),
    "POST /api/v1/requests/{id}/transitions": Check(
        "POST",
        lambda w: f"/api/v1/requests/{_req(w)}/transitions",
        {
            "anonymous": 401,
            "requesting": 403,
            "requested": 200,
            "reviewer": 403,
            "outsider": 404,
            "coordinator": 404,
        },
        data=lambda w: {"action": "acknowledge"},
        json=True,
    ),
    "GET /api/v1/requests/{id}/timeline": Check(
        "GET", lambda w: f"/api/v1/requests/{_req(w)}/timeline", _api_parties(200)
    ),
    "GET /api/v1/requests/{id}/messages": Check(
        "GET", lambda w: f"/api/v1/requests/{_req(w)}/messages", _api_parties(200)
    ),
    "POST /api/v1/requests/{id}/messages": Check(
        "POST",
        lambda w: f"/api/v1/requests/{_req(w)}/messages",
        _api_parties(201, reviewer=403),
        data=lambda w: {"body": "Received."},
        json=True,
    ),
    "GET /api/v1/requests/{id}/attachments": Check(
        "GET", lambda w: f"/api/v1/requests/{_req(w)}/attachments", _api_parties(200)
    ),
    "POST /api/v1/requests/{id}/attachments": Check(
        "POST",
        lambda w: f"/api/v1/requests/{_req(w)}/attachments",
        _api_parties(201, reviewer=403),
        data=lambda w: {"file": _pdf_upload()},
    ),
    "GET /api/v1/requests/{id}/attachments/{attachment_id}": Check(
        "GET",
        lambda w: f"/api/v1/requests/{_req(w)}/attachments/{w.attachment.public_id}",
        _api_parties(200),
    ),
    # The directory, read-only, for every member.
    "GET /api/v1/directory/authorities": Check(
        "GET", lambda w: "/api/v1/directory/authorities?state=KGZ", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/authorities/{key}": Check(
        "GET", lambda w: "/api/v1/directory/authorities/kgz-gpo", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/authorities/{key}/vcard": Check(
        "GET", lambda w: "/api/v1/directory/authorities/kgz-gpo/vcard", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/contacts": Check(
        "GET", lambda w: "/api/v1/directory/contacts?language=ru", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/contacts/{public_id}/vcard": Check(
        "GET", lambda w: f"/api/v1/directory/contacts/{_kgz_contact(w)}/vcard", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/states/{iso3}/fiches": Check(
        "GET", lambda w: "/api/v1/directory/states/KGZ/fiches", _API_SIGNED_IN
    ),
    "GET /api/v1/directory/export.csv": Check(
        "GET", lambda w: "/api/v1/directory/export.csv?state=KGZ", _API_SIGNED_IN
    ),
    # The legal-basis finder and the treaty data: public law, for every signed-in user.
    "GET /api/v1/requests/{id}/checks": Check(
        "GET",
        lambda w: f"/api/v1/requests/{_req(w)}/checks",
        {**_api_parties(200), "requested": 403},
    ),
    "GET /api/v1/consultations": Check("GET", lambda w: "/api/v1/consultations", _API_SIGNED_IN),
    "GET /api/v1/consultations/{id}": Check(
        "GET",
        lambda w: f"/api/v1/consultations/{w.consultation.public_id}",
        {**_api_parties(200), "outsider": 404, "coordinator": 404},
    ),
    "POST /api/v1/consultations/{id}/comments": Check(
        "POST",
        lambda w: f"/api/v1/consultations/{w.consultation.public_id}/comments",
        _api_parties(201, reviewer=403),
        data=lambda w: {"body": "Please add the IBAN."},
        json=True,
    ),
    "GET /api/v1/legal-basis": Check(
        "GET",
        lambda w: "/api/v1/legal-basis?from=KAZ&to=KGZ&measure=extradition&offence=0601",
        _API_SIGNED_IN,
    ),
    "GET /api/v1/instruments": Check("GET", lambda w: "/api/v1/instruments", _API_SIGNED_IN),
    "GET /api/v1/instruments/{code}": Check(
        "GET", lambda w: "/api/v1/instruments/UNTOC", _API_SIGNED_IN
    ),
}

# Routes that are not pages of their own: the API's URL patterns (checked per operation
# above) and the OpenAPI schema and docs, which are public by design.
PUBLIC_API_DOCS = {"api:openapi-json", "api:openapi-view"}


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace == "admin":
                names.add("admin")
                continue
            inner = f"{prefix}{namespace}:" if namespace else prefix
            names |= _names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{prefix}{pattern.name}")
        else:
            names.add(f"{prefix}<unnamed {pattern.pattern}>")
    return names


def _api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    operations: set[str] = set()
    for path, methods in schema["paths"].items():
        if path.startswith(("/api/v1/records", "/api/v1/assets")):
            continue  # tests/test_access_matrix_records.py, tests/test_access_matrix_assets.py
        for method in methods:
            operations.add(f"{method.upper()} {path.rstrip('/')}")
    return operations


def test_every_route_has_an_entry_in_the_matrix() -> None:
    routes = {
        name
        for name in _names(get_resolver().url_patterns)
        if (not name.startswith("api:") or name in PUBLIC_API_DOCS)
        and not name.startswith(("records:", "assets:"))  # their own matrices
    }
    missing_pages = routes - set(PAGES) - PUBLIC_API_DOCS
    assert not missing_pages, f"URL patterns without a matrix entry: {sorted(missing_pages)}"
    missing_api = _api_operations() - set(API)
    assert not missing_api, f"API operations without a matrix entry: {sorted(missing_api)}"
    stale = (set(PAGES) - routes) | (set(API) - _api_operations())
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Any) -> World:
    settings.COMITY_ATTACHMENT_DIR = tmp_path
    request = submitted(personas.requesting_officer)
    attachment = services.attachment_upload(
        actor=personas.requesting_officer, request=request, filename="order.pdf", chunks=[PDF]
    )
    change = changes.propose(
        personas.requested_officer, personas.kgz, "authority", {"phone": "+996 312 00 00 00"}
    )
    a_draft = draft(personas.requesting_officer, title="A draft")
    consultation = consultation_open(actor=personas.requesting_officer, request=a_draft)
    # Edited since it was shared, so that "share again" has something to share.
    Request.objects.filter(pk=a_draft.pk).update(title="A draft, edited")
    return World(
        personas=personas,
        submitted=request,
        draft=a_draft,
        attachment=attachment,
        change=change,
        consultation=consultation,
    )


def _client(world: World, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    return client


def _expected(check: Check, persona: str) -> tuple[int, ...]:
    value = check.expect[persona]
    return value if isinstance(value, tuple) else (value,)


PAGE_CASES = [
    (name, index, persona)
    for name, checks in PAGES.items()
    for index in range(len(checks))
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "persona"), PAGE_CASES)
def test_page_access(world: World, name: str, index: int, persona: str) -> None:
    check = PAGES[name][index]
    client = _client(world, persona)
    url = check.url(world)
    data = check.data(world) if check.data else {}
    if check.method == "GET":
        response = client.get(url)
    elif data:
        response = client.post(url, data)
    else:
        response = client.generic(check.method, url)
    assert response.status_code in _expected(check, persona), (
        f"{check.method} {url} as {persona}: {response.status_code}"
    )
    if persona == "anonymous" and response.status_code == LOGIN and name != "admin":
        assert re.search(r"/accounts/login/", response["Location"]) or name in {
            "accounts:login",
            "accounts:logout",
            "set_language",
        }


def _token(world: World, persona: str) -> str | None:
    from comity.accounts.tokens import token_create

    user = world.user(persona)
    if user is None:
        return None
    return token_create(user=user, name="matrix")[1]


API_CASES = [(operation, persona) for operation in API for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "persona"), API_CASES)
def test_api_access(world: World, operation: str, persona: str) -> None:
    check = API[operation]
    token = _token(world, persona)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    url = check.url(world)
    data = check.data(world) if check.data else None
    if check.method == "GET":
        response = client.get(url, headers=headers)
    elif check.json:
        response = client.generic(
            check.method,
            url,
            data=json.dumps(data),
            content_type="application/json",
            headers=headers,
        )
    else:
        response = client.post(url, data or {}, headers=headers)
    assert response.status_code in _expected(check, persona), (
        f"{operation} as {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if response.status_code == 404:
        # Hidden answers exactly like missing.
        assert (
            response.json()
            == client.get(
                "/api/v1/requests/00000000-0000-4000-8000-000000000000", headers=headers
            ).json()
        )
