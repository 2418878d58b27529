"""The consultation API over HTTP, with bearer tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from comity.accounts.models import User
from comity.accounts.tokens import token_create
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.consultation import services
from comity.consultation.models import Consultation
from comity.cooperation import services as cooperation
from comity.cooperation.models import Request
from tests.personas import Personas

from .conftest import PERSONAS, persona, share

pytestmark = [pytest.mark.django_db, pytest.mark.urls("comity.consultation.tests.api_urls")]

MISSING = "00000000-0000-4000-8000-000000000000"
BASE = "/api/v1/consultations"


def _headers(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    return {"Authorization": f"Bearer {token_create(user=user, name='test')[1]}"}


def _get(user: User | None, url: str) -> Any:
    return Client().get(url, headers=_headers(user))


def _post(user: User | None, url: str, body: dict[str, Any]) -> Any:
    return Client().post(
        url, json.dumps(body), content_type="application/json", headers=_headers(user)
    )


# persona: (GET one, POST a comment)
EXPECTED = {
    "anonymous": (401, 401),
    "requesting": (200, 201),
    "requesting_reviewer": (200, 403),
    "requested": (200, 201),
    "requested_reviewer": (200, 403),
    "executing": (404, 404),
    "outsider": (404, 404),
    "coordinator": (404, 404),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_access_by_persona(personas: Personas, consultation: Consultation, name: str) -> None:
    user = persona(personas, name)
    url = f"{BASE}/{consultation.public_id}"
    read, write = EXPECTED[name]
    assert _get(user, url).status_code == read
    assert _post(user, f"{url}/comments", {"body": "Looks complete."}).status_code == write
    listing = _get(user, BASE)
    assert listing.status_code == (401 if user is None else 200)
    if listing.status_code == 200:
        assert listing.json()["count"] == (1 if read == 200 else 0)


def test_hidden_answers_exactly_like_missing(
    personas: Personas, consultation: Consultation
) -> None:
    hidden = _get(personas.outsider, f"{BASE}/{consultation.public_id}")
    missing = _get(personas.outsider, f"{BASE}/{MISSING}")
    garbage = _get(personas.outsider, f"{BASE}/not-a-uuid")
    assert hidden.status_code == missing.status_code == garbage.status_code == 404
    assert hidden.json() == missing.json() == garbage.json()


def test_the_detail_holds_every_revision_and_the_comments(
    personas: Personas, consultation: Consultation
) -> None:
    services.consultation_comment(
        actor=personas.requested_officer,
        consultation=consultation,
        body="Which accounts?",
        field="assistance_sought",
    )
    data = cooperation.RequestData(provided=frozenset({"title"}), title="Accounts 1 and 2")
    cooperation.request_update_draft(
        actor=personas.requesting_officer, request=consultation.request, data=data
    )
    services.consultation_share_again(actor=personas.requesting_officer, consultation=consultation)
    body = _get(personas.requested_officer, f"{BASE}/{consultation.public_id}").json()
    assert body["status"] == "open"
    assert body["side"] == "requested"
    assert body["title"] == "Accounts 1 and 2"
    assert body["revision"] == 2
    assert [r["number"] for r in body["revisions"]] == [1, 2]
    first = body["revisions"][0]["snapshot"]["fields"]["title"]
    assert first == "Bank records of a drug-trafficking network"
    assert body["comments"][0]["body"] == "Which accounts?"
    assert body["comments"][0]["field"] == "assistance_sought"
    assert body["comments"][0]["revision"] == 1
    assert body["can_comment"] is True
    assert body["can_manage"] is False
    assert body["requested_authority"]["key"] == "kgz-gpo"
    assert AuditEvent.objects.filter(
        code=Code.CONSULTATION_VIEWED, actor=personas.requested_officer
    ).exists()


def test_posting_a_comment_returns_it(personas: Personas, consultation: Consultation) -> None:
    response = _post(
        personas.requested_officer,
        f"{BASE}/{consultation.public_id}/comments",
        {"body": "Add the bank's name.", "field": "summary_of_facts"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["body"] == "Add the bank's name."
    assert body["author_authority"]["key"] == "kgz-gpo"
    assert consultation.comments.get().field == "summary_of_facts"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"body": ""}, "body"), ({"body": "x", "field": "nonsense"}, "field"), ({}, "body")],
)
def test_bad_comments_get_400_with_the_field(
    personas: Personas, consultation: Consultation, payload: dict[str, Any], field: str
) -> None:
    response = _post(
        personas.requested_officer, f"{BASE}/{consultation.public_id}/comments", payload
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not consultation.comments.exists()


def test_after_submission_comments_are_refused_and_the_status_is_closed(
    personas: Personas, consultation: Consultation
) -> None:
    cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    url = f"{BASE}/{consultation.public_id}"
    response = _post(personas.requested_officer, f"{url}/comments", {"body": "Late."})
    assert response.status_code == 400
    assert "consultation" in response.json()["error"]["fields"]
    body = _get(personas.requesting_officer, url).json()
    assert body["status"] == "closed"
    assert body["closed_because"] == "submitted"
    assert body["can_comment"] is False
    request = Request.objects.get(pk=consultation.request.pk)
    formal = _get(personas.requested_officer, f"/api/v1/requests/{request.public_id}")
    assert formal.status_code == 200
    assert formal.json()["title"] == "Bank records of a drug-trafficking network"
    assert "Late." not in formal.content.decode()


def test_the_list_puts_open_ones_first(personas: Personas) -> None:
    closed = share(personas, title="Closed one")
    services.consultation_close(actor=personas.requesting_officer, consultation=closed)
    share(personas, title="Open one")
    items = _get(personas.requested_officer, BASE).json()["items"]
    assert [(i["title"], i["status"]) for i in items] == [
        ("Open one", "open"),
        ("Closed one", "closed"),
    ]
    assert items[0]["side"] == "requested"
