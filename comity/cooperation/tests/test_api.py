"""The requests API, driven as a client would: over HTTP, with bearer tokens."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.accounts.models import User
from comity.accounts.tokens import token_create, token_revoke
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services
from comity.cooperation.models import Attachment, MessageReceipt, Request
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = "00000000-0000-4000-8000-000000000000"

CREATE_BODY: dict[str, Any] = {
    "type": "mla",
    "requested_state": "KGZ",
    "title": "Bank records of a drug-trafficking network",
    "proceedings": {
        "nature": "investigation",
        "reference": "KZ-2026-0142",
        "conducting_authority": "Investigation Department, Almaty",
    },
    "summary_of_facts": "Between 2024 and 2026 the suspects moved heroin through Osh.",
    "offences": [
        {
            "iccs": "0601",
            "provision": "Art. 297 Criminal Code",
            "description": "Trafficking in narcotic drugs",
        }
    ],
    "assistance_sought": [{"measure": "bank_records", "details": "Accounts at Bank X"}],
    "purpose": "To trace the proceeds of the trafficking.",
    "persons": [
        {
            "role": "suspect",
            "name": "Нурлан Ахметов",
            "birth_date": "1984-03-02",
            "nationality": "KAZ",
        }
    ],
    "urgency": "normal",
}


class Api:
    """A test client that speaks JSON with one user's bearer token."""

    def __init__(self, user: User | None, token: str | None = None) -> None:
        self.client = Client()
        self.token = token or (token_create(user=user, name="test")[1] if user else None)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self._headers(headers))

    def send(self, method: str, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.generic(
            method,
            f"/api/v1{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.send("POST", path, body, headers)

    def patch(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.send("PATCH", path, body, headers)

    def raw(self, method: str, path: str, data: Any, content_type: str) -> Any:
        """A body exactly as given, with any content type."""
        return self.client.generic(
            method, f"/api/v1{path}", data=data, content_type=content_type, headers=self._headers()
        )

    def form(self, path: str, data: dict[str, Any]) -> Any:
        """A multipart/form-data POST."""
        return self.client.post(f"/api/v1{path}", data, headers=self._headers())

    def upload(self, path: str, name: str, content: bytes, description: str = "") -> Any:
        return self.form(
            path, {"file": SimpleUploadedFile(name, content), "description": description}
        )

    def act(self, request_id: str, action: str, **fields: Any) -> Any:
        return self.post(f"/requests/{request_id}/transitions", {"action": action, **fields})


@pytest.fixture
def kaz(personas: Personas) -> Api:
    return Api(personas.requesting_officer)


@pytest.fixture
def kgz(personas: Personas) -> Api:
    return Api(personas.requested_officer)


@pytest.fixture
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.COMITY_ATTACHMENT_DIR = tmp_path
    return tmp_path


# ------------------------------------------------------------------ create and read


def test_the_documented_create_body_makes_a_draft_and_round_trips_cyrillic(kaz: Api) -> None:
    response = kaz.post("/requests", CREATE_BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["reference"].startswith("KAZ-")
    assert uuid.UUID(body["id"])
    assert body["persons"][0]["name"] == "Нурлан Ахметов"
    assert body["persons"][0]["birth_date"] == "1984-03-02"
    assert body["proceedings"] == CREATE_BODY["proceedings"]
    assert body["offences"][0]["iccs"] == "0601"
    assert body["requesting_authority"]["state"] == "KAZ"
    assert body["requested_authority"]["state"] == "KGZ"
    assert "submit" in body["allowed_actions"]
    detail = kaz.get(f"/requests/{body['id']}").json()
    assert detail["persons"][0]["name"] == "Нурлан Ахметов"
    assert Request.objects.get(public_id=body["id"]).persons.get().name == "Нурлан Ахметов"


def test_the_detail_is_complete_and_its_read_is_audited(kaz: Api, personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = kaz.get(f"/requests/{request.public_id}")
    assert response.status_code == 200
    body = response.json()
    for key in [
        "id",
        "reference",
        "type",
        "status",
        "title",
        "urgency",
        "requesting_authority",
        "requested_state",
        "requested_authority",
        "executing_authority",
        "proceedings",
        "summary_of_facts",
        "offences",
        "assistance_sought",
        "persons",
        "purpose",
        "legal_basis",
        "time_limit",
        "deadlines",
        "created_at",
        "submitted_at",
        "version",
        "allowed_actions",
    ]:
        assert key in body, key
    assert set(body["deadlines"]) == {"acknowledgement_due", "response_due", "overdue"}
    assert AuditEvent.objects.filter(
        code=Code.REQUEST_VIEWED, subject_id=str(request.public_id)
    ).exists()


def test_it_refuses_a_reviewer_who_tries_to_create(personas: Personas) -> None:
    response = Api(personas.requesting_reviewer).post("/requests", CREATE_BODY)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Request.objects.exists()


# ------------------------------------------------------------------ update


def test_a_patch_changes_only_the_fields_sent(kaz: Api, personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = kaz.patch(
        f"/requests/{request.public_id}",
        {"title": "Renamed", "proceedings": {"reference": "KZ-2026-0999"}},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Renamed"
    assert body["proceedings"]["reference"] == "KZ-2026-0999"
    assert body["proceedings"]["conducting_authority"] == "Investigation Department, Almaty"
    assert body["persons"][0]["name"] == "Нурлан Ахметов"
    assert body["version"] == request.version + 1


def test_a_patch_with_a_stale_version_is_a_conflict_and_changes_nothing(
    kaz: Api, personas: Personas
) -> None:
    request = draft(personas.requesting_officer)
    stale = request.version
    assert kaz.patch(f"/requests/{request.public_id}", {"title": "First"}).status_code == 200
    response = kaz.patch(f"/requests/{request.public_id}", {"title": "Second", "version": stale})
    assert response.status_code == 409
    assert "version" in response.json()["error"]["fields"]
    request.refresh_from_db()
    assert request.title == "First"


def test_it_refuses_to_patch_a_submitted_request_with_403(kaz: Api, personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = kaz.patch(f"/requests/{request.public_id}", {"title": "Too late"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.title != "Too late"


def test_it_refuses_an_unknown_field_in_a_patch(kaz: Api, personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = kaz.patch(f"/requests/{request.public_id}", {"titel": "Typo"})
    assert response.status_code == 400
    assert "titel" in response.json()["error"]["fields"]


# ------------------------------------------------------------------ lifecycle


def test_a_request_travels_through_the_api_between_two_tokens(
    kaz: Api, kgz: Api, personas: Personas
) -> None:
    created = kaz.post("/requests", CREATE_BODY).json()
    rid = created["id"]
    assert kgz.get(f"/requests/{rid}").status_code == 404  # a draft stays home

    steps = [
        (kaz, "submit", {}, "submitted"),
        (kgz, "acknowledge", {}, "acknowledged"),
        (kgz, "request_info", {"reason": "Which bank branch?"}, "additional_info_requested"),
        (kaz, "provide_info", {"reason": "Osh main branch."}, "in_execution"),
        (kgz, "execute", {}, "executed"),
    ]
    for side, action, fields, status in steps:
        response = side.act(rid, action, **fields)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == status
        assert response.json()["id"] == rid

    events = kaz.get(f"/requests/{rid}/timeline").json()["items"]
    actions = [e["action"] for e in events if e["kind"] == "transition"]
    assert actions == ["submit", "acknowledge", "request_info", "provide_info", "execute"]
    assert events[2]["actor"]["name"] == "kgz.officer"
    assert events[2]["actor_authority"]["state"] == "KGZ"


def test_it_refuses_a_wrong_action_with_a_field_error_and_changes_nothing(
    kgz: Api, personas: Personas
) -> None:
    request = submitted(personas.requesting_officer)
    for body in ({"action": "fly"}, {"action": "execute"}, {"action": "request_info"}):
        response = kgz.post(f"/requests/{request.public_id}/transitions", body)
        assert response.status_code == 400, body
        fields = response.json()["error"]["fields"]
        assert fields.get("action") or fields.get("reason"), body
    request.refresh_from_db()
    assert request.status == "submitted"


def test_it_refuses_a_transition_to_a_reviewer_with_403(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    reviewer = Api(personas.requested_reviewer)
    response = reviewer.act(str(request.public_id), "acknowledge")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    request.refresh_from_db()
    assert request.status == "submitted"


def test_it_refuses_the_other_sides_action_with_403(kaz: Api, personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    assert kaz.act(str(request.public_id), "acknowledge").status_code == 403


# ------------------------------------------------------------------ lists


def test_the_boxes_list_what_each_side_sees(kaz: Api, kgz: Api, personas: Personas) -> None:
    sent = submitted(personas.requesting_officer)
    home = draft(personas.requesting_officer)

    def ids(api: Api, box: str) -> set[str]:
        response = api.get(f"/requests?box={box}")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert ids(kaz, "outgoing") == {str(sent.public_id), str(home.public_id)}
    assert ids(kaz, "incoming") == set()
    assert ids(kgz, "incoming") == {str(sent.public_id)}
    assert ids(kgz, "outgoing") == set()
    assert ids(kgz, "all") == {str(sent.public_id)}


def test_the_list_filters_by_status_type_state_and_text(kaz: Api, personas: Personas) -> None:
    sent = submitted(personas.requesting_officer, title="Sent one")
    draft(personas.requesting_officer, title="Home one")
    assert [i["id"] for i in kaz.get("/requests?status=submitted").json()["items"]] == [
        str(sent.public_id)
    ]
    assert kaz.get("/requests?type=extradition").json()["count"] == 0
    assert kaz.get("/requests?state=kgz").json()["count"] == 2
    assert kaz.get("/requests?q=Ахметов").json()["count"] == 2
    assert kaz.get("/requests?q=Sent").json()["count"] == 1
    assert kaz.get("/requests?status=").json()["count"] == 2
    assert [i["id"] for i in kaz.get("/requests?status=open").json()["items"]] == [
        str(sent.public_id)
    ]


def test_a_text_search_lists_a_request_once_however_many_persons_match(
    kaz: Api, personas: Personas
) -> None:
    twice = draft(
        personas.requesting_officer,
        persons=[
            services.PersonData(role="suspect", name="Ахметов Нурлан"),
            services.PersonData(role="witness", name="Ахметова Айгуль"),
        ],
    )
    for n in range(3):
        draft(personas.requesting_officer, title=f"Other {n}", persons=[])
    body = kaz.get("/requests?q=Ахметов&page_size=1").json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [str(twice.public_id)]


def test_it_refuses_an_unknown_box_with_a_field_error(kaz: Api) -> None:
    response = kaz.get("/requests?box=attic")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["box"]


def test_the_list_is_paginated_in_an_envelope(kaz: Api, personas: Personas) -> None:
    made = [draft(personas.requesting_officer, title=f"Draft {n}") for n in range(5)]
    first = kaz.get("/requests?box=outgoing&page_size=2").json()
    assert set(first) == {"items", "count", "page", "page_size", "next", "previous"}
    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert first["previous"] is None
    assert "page=2" in first["next"] and "box=outgoing" in first["next"]
    third = kaz.get("/requests?box=outgoing&page_size=2&page=3").json()
    assert len(third["items"]) == 1
    assert third["next"] is None
    assert "page=2" in third["previous"]
    seen = [
        i["id"]
        for p in (1, 2, 3)
        for i in kaz.get(f"/requests?page_size=2&page={p}").json()["items"]
    ]
    assert sorted(seen) == sorted(str(r.public_id) for r in made)
    beyond = kaz.get("/requests?page=9").json()
    assert (beyond["items"], beyond["count"], beyond["next"]) == ([], 5, None)


def test_the_page_size_defaults_to_50_and_is_capped_at_200(kaz: Api) -> None:
    assert kaz.get("/requests").json()["page_size"] == 50
    assert kaz.get("/requests?page_size=5000").json()["page_size"] == 200
    assert kaz.get("/requests?page_size=0").status_code == 400
    assert kaz.get("/requests?page=0").status_code == 400


def test_the_list_takes_the_same_number_of_queries_for_3_or_30_rows(
    kaz: Api, personas: Personas, django_assert_num_queries: Any
) -> None:
    from django.db import connection

    for n in range(3):
        submitted(personas.requesting_officer, title=f"Request {n}")
    kaz.get("/requests?box=outgoing")  # the token's first use is recorded once
    # token, the page's rows with its keys as a subquery (a short page needs no COUNT)
    with django_assert_num_queries(2):
        assert len(kaz.get("/requests?box=outgoing").json()["items"]) == 3
    for n in range(27):
        submitted(personas.requesting_officer, title=f"More {n}")
    with django_assert_num_queries(2):
        assert len(kaz.get("/requests?box=outgoing").json()["items"]) == 30
    # A full page also counts.
    with CaptureQueriesContext(connection) as queries:
        body = kaz.get("/requests?box=outgoing&page_size=10").json()
    assert (len(body["items"]), body["count"]) == (10, 30)
    assert len(queries) == 3


# ------------------------------------------------------------------ messages


def test_messages_are_posted_read_and_carry_read_receipts(
    kaz: Api, kgz: Api, personas: Personas
) -> None:
    request = submitted(personas.requesting_officer)
    path = f"/requests/{request.public_id}/messages"
    posted = kgz.post(path, {"body": "Which branch of Bank X?"})
    assert posted.status_code == 201, posted.content
    first = posted.json()
    assert first["author_authority"]["state"] == "KGZ"
    reply = kaz.post(path, {"body": "Osh main branch.", "parent": first["id"]})
    assert reply.status_code == 201
    assert reply.json()["parent"] == first["id"]

    listing = kaz.get(path).json()
    assert [m["body"] for m in listing["items"]] == ["Which branch of Bank X?", "Osh main branch."]
    readers = {r["authority"]["state"] for r in listing["items"][0]["read_by"]}
    assert readers == {"KGZ", "KAZ"}  # the author, and now the requesting officer
    assert MessageReceipt.objects.filter(user=personas.requesting_officer).count() == 2
    assert AuditEvent.objects.filter(
        code=Code.MESSAGES_VIEWED, subject_id=str(request.public_id)
    ).exists()


def test_it_refuses_an_empty_message_and_a_parent_from_elsewhere(
    kgz: Api, personas: Personas
) -> None:
    request = submitted(personas.requesting_officer)
    path = f"/requests/{request.public_id}/messages"
    assert kgz.post(path, {"body": "   "}).json()["error"]["fields"] == {
        "body": ["The message is empty."]
    }
    response = kgz.post(path, {"body": "Hello", "parent": MISSING})
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]
    assert not request.messages.exists()


# ------------------------------------------------------------------ attachments


def test_an_attachment_is_uploaded_listed_and_downloaded(
    kaz: Api, kgz: Api, personas: Personas, files_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    path = f"/requests/{request.public_id}/attachments"
    response = kaz.upload(path, "order.pdf", PDF, "Court order")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["filename"] == "order.pdf"

    listing = kgz.get(path).json()
    assert [a["id"] for a in listing["items"]] == [body["id"]]
    assert AuditEvent.objects.filter(code=Code.ATTACHMENTS_VIEWED).exists()

    download = kgz.get(f"{path}/{body['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(
        code=Code.ATTACHMENT_DOWNLOADED, subject_id=body["id"]
    ).exists()
    assert body["url"] == f"/api/v1{path}/{body['id']}"


def test_it_refuses_an_oversized_file_with_413_and_keeps_nothing(
    kaz: Api, personas: Personas, files_dir: Path, settings: Any
) -> None:
    settings.COMITY_ATTACHMENT_MAX_BYTES = 1024
    request = submitted(personas.requesting_officer)
    response = kaz.upload(
        f"/requests/{request.public_id}/attachments", "big.pdf", PDF + b"0" * 2048
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "file_too_large"
    assert "file" in error["fields"]
    assert not Attachment.objects.exists()
    assert not [p for p in files_dir.rglob("*") if p.is_file()]


def test_it_refuses_a_file_of_a_type_that_is_not_accepted_with_415(
    kaz: Api, personas: Personas, files_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    response = kaz.upload(
        f"/requests/{request.public_id}/attachments", "invoice.pdf", b"MZ\x90\x00\x03" + b"\0" * 64
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


def test_it_refuses_an_upload_without_a_file(kaz: Api, personas: Personas, files_dir: Path) -> None:
    request = submitted(personas.requesting_officer)
    response = kaz.form(f"/requests/{request.public_id}/attachments", {"description": "x"})
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not Attachment.objects.exists()


# ------------------------------------------------------------------ who may see what


def _object_paths(request: Request, attachment: Attachment) -> list[tuple[str, str, Any]]:
    rid = request.public_id
    return [
        ("GET", f"/requests/{rid}", None),
        ("PATCH", f"/requests/{rid}", {"title": "x"}),
        ("POST", f"/requests/{rid}/transitions", {"action": "acknowledge"}),
        ("GET", f"/requests/{rid}/timeline", None),
        ("GET", f"/requests/{rid}/messages", None),
        ("POST", f"/requests/{rid}/messages", {"body": "Hello"}),
        ("GET", f"/requests/{rid}/attachments", None),
        ("GET", f"/requests/{rid}/attachments/{attachment.public_id}", None),
    ]


def test_an_outsider_gets_the_same_404_as_for_a_request_that_does_not_exist(
    personas: Personas, files_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    attachment = services.attachment_upload(
        actor=personas.requesting_officer, request=request, filename="a.pdf", chunks=[PDF]
    )
    outsider = Api(personas.outsider)
    missing = outsider.get(f"/requests/{MISSING}")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
    for method, path, body in _object_paths(request, attachment):
        response = outsider.get(path) if method == "GET" else outsider.send(method, path, body)
        assert response.status_code == 404, (method, path)
        assert response.json() == missing.json(), (method, path)
    upload = outsider.upload(f"/requests/{request.public_id}/attachments", "b.pdf", PDF)
    assert upload.status_code == 404
    assert upload.json() == missing.json()
    assert Attachment.objects.count() == 1
    assert not request.messages.exists()


def test_malformed_and_unknown_ids_are_404_alike(kaz: Api, personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    expected = kaz.get(f"/requests/{MISSING}").json()
    for path in (
        "/requests/not-a-uuid",
        f"/requests/{request.public_id}/attachments/not-a-uuid",
        f"/requests/{request.public_id}/attachments/{MISSING}",
    ):
        response = kaz.get(path)
        assert response.status_code == 404, path
        assert response.json() == expected


def test_it_refuses_requests_without_a_token_with_a_bad_one_and_with_a_revoked_one(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    path = f"/requests/{request.public_id}"
    token_row, raw = token_create(user=personas.requesting_officer)
    assert Api(None, raw).get(path).status_code == 200
    token_revoke(token=token_row, actor=personas.requesting_officer)
    for api in (Api(None), Api(None, "cmy_wrong"), Api(None, raw)):
        response = api.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
        assert response["WWW-Authenticate"].startswith("Bearer")
    basic = Client().get(f"/api/v1{path}", headers={"Authorization": "Basic a2F6Om9mZmljZXI="})
    assert basic.status_code == 401


def test_a_browser_session_does_not_open_the_api(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.requesting_officer)
    response = client.get("/api/v1/requests")
    assert response.status_code == 401


def test_an_inactive_users_token_is_refused(personas: Personas) -> None:
    api = Api(personas.requesting_officer)
    User.objects.filter(pk=personas.requesting_officer.pk).update(is_active=False)
    assert api.get("/requests").status_code == 401


def test_the_api_needs_no_csrf_token_and_is_not_cached(personas: Personas) -> None:
    _, raw = token_create(user=personas.requesting_officer)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/requests",
        data=json.dumps(CREATE_BODY),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("application/json")
    # Non-ASCII travels as UTF-8, not as \u escapes (a third of the bytes).
    assert "Нурлан".encode() in response.content


def test_a_file_may_come_without_a_description(
    kaz: Api, personas: Personas, files_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    response = kaz.form(
        f"/requests/{request.public_id}/attachments",
        {"file": SimpleUploadedFile("notes.txt", "Показания свидетеля".encode())},
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "text/plain"
    assert response.json()["description"] == ""


# ------------------------------------------------------------------ checks and submission


def test_the_documented_create_body_is_complete_and_submits(kaz: Api) -> None:
    created = kaz.post("/requests", CREATE_BODY).json()
    checks = kaz.get(f"/requests/{created['id']}/checks").json()
    assert checks["complete"] is True
    assert checks["missing"] == []
    response = kaz.act(created["id"], "submit")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"


def test_submitting_an_incomplete_request_is_refused_with_the_list(kaz: Api) -> None:
    body = {**CREATE_BODY, "type": "extradition", "legal_basis_codes": ["COE_ETS024_EXTRADITION"]}
    created = kaz.post("/requests", body).json()

    response = kaz.act(created["id"], "submit")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "incomplete"
    assert error["message"] == "The request cannot be submitted: 3 items are missing."
    assert error["fields"]["extradition_basis"] == [
        "Say whether the person is sought for prosecution or to serve a sentence. "
        "(ETS 024 art. 12(2)(a))"
    ]
    assert set(error["fields"]) == {"extradition_basis", "persons", "max_penalty"}
    assert Request.objects.get(public_id=created["id"]).status == "draft"


def test_the_checks_list_what_is_missing_the_risks_and_the_release_deadline(
    kaz: Api, personas: Personas
) -> None:
    body = {
        **CREATE_BODY,
        "type": "provisional_arrest",
        "legal_basis_codes": ["COE_ETS024_EXTRADITION"],
        "urgency_reason": "Seen at Manas airport.",
        "extradition_basis": "prosecution",
        "death_penalty_possible": True,
    }
    created = kaz.post("/requests", body).json()

    response = kaz.get(f"/requests/{created['id']}/checks")

    assert response.status_code == 200
    checks = response.json()
    assert checks["complete"] is False
    rules = [m["rule"] for m in checks["missing"]]
    assert "arrest.intention" in rules and "surrender.warrant_reference" in rules
    assert {"field": "warrant_reference", "rule": "surrender.warrant_reference"}.items() <= (
        next(m for m in checks["missing"] if m["rule"] == "surrender.warrant_reference").items()
    )
    assert [w["code"] for w in checks["warnings"]] == ["death_penalty"]
    (deadline,) = checks["release_deadlines"]
    assert (deadline["instrument"], deadline["assumed"]) == ("COE_ETS024_EXTRADITION", True)
    assert AuditEvent.objects.filter(code=Code.REQUEST_CHECKS_VIEWED).count() == 1


def test_the_checks_are_the_requesting_sides(kaz: Api, kgz: Api, personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    reviewer = Api(personas.requesting_reviewer)
    outsider = Api(personas.outsider)
    assert reviewer.get(f"/requests/{request.public_id}/checks").status_code == 200
    assert kgz.get(f"/requests/{request.public_id}/checks").status_code == 403
    assert outsider.get(f"/requests/{request.public_id}/checks").status_code == 404
    assert kaz.get(f"/requests/{MISSING}/checks").status_code == 404


def test_the_guided_fields_and_properties_round_trip(kaz: Api) -> None:
    body = {
        **CREATE_BODY,
        "type": "confiscation",
        "properties": [
            {
                "kind": "real_estate",
                "description": "Flat, 3 rooms",
                "location": "Osh, Lenin St. 5",
                "estimated_value": "85000.00",
                "currency": "USD",
                "offence_link": "Bought with the proceeds",
                "order_reference": "2-55/2026",
                "order_date": "2026-01-05",
                "order_authority": "Almaty City Court",
            }
        ],
        "max_penalty_years": 12.5,
        "fiscal_offence_only": False,
    }
    response = kaz.post("/requests", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["properties"][0]["estimated_value"] == 85000.0
    assert created["properties"][0]["location"] == "Osh, Lenin St. 5"
    assert (created["max_penalty_years"], created["fiscal_offence_only"]) == (12.5, False)
    assert created["in_absentia"] is None

    patched = kaz.patch(
        f"/requests/{created['id']}", {"fiscal_offence_only": None, "record_purpose": "other"}
    ).json()
    assert (patched["fiscal_offence_only"], patched["record_purpose"]) == (None, "other")
    assert patched["max_penalty_years"] == 12.5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"extradition_basis": "rumour"}, "extradition_basis"),
        ({"warrant_date": "2999-01-01"}, "warrant_date"),
        ({"max_penalty_years": -1}, "max_penalty_years"),
        ({"properties": [{"kind": "yacht"}]}, "properties.0.kind"),
        ({"properties": [{"kind": "cash", "currency": "E$"}]}, "properties.0.currency"),
    ],
)
def test_it_refuses_bad_guided_fields_and_creates_nothing(
    kaz: Api, change: dict[str, Any], field: str
) -> None:
    response = kaz.post("/requests", {**CREATE_BODY, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Request.objects.exists()
