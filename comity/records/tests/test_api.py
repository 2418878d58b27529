"""The records API over HTTP, with bearer tokens: the same flow and rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.accounts.tokens import token_create
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.records.models import ExtractRequest, ExtractStatus, Register
from comity.records.tests.world import World, ask, build_world
from tests.personas import Personas

pytestmark = pytest.mark.django_db

BASE = "/api/v1/records"
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def world(personas: Personas, kgz_register: Register, kaz_register: Register) -> World:
    return build_world(personas, kgz_register, kaz_register)


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


def test_an_extract_is_asked_answered_and_read(world: World) -> None:
    created = _post(
        world.personas.requesting_officer,
        f"{BASE}/extracts",
        {
            "register_state": "kgz",
            "purpose": "criminal",
            "subject_name": "Bakyt Mukhtarov",
            "subject_birth_date": "1990-07-01",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted"
    assert body["register_state"] == "KGZ"
    assert body["requesting_authority"] == "kaz-gpo"
    url = f"{BASE}/extracts/{body['id']}"

    candidates = _get(world.keeper, f"{url}/candidates")
    assert candidates.status_code == 200
    first = candidates.json()["candidates"][0]
    assert first["ref"] == "KG-0002"
    assert first["explanation"]
    assert {"code", "params", "text"} <= set(first["reasons"][0])
    # The requesting side sees the request, never the register's candidates.
    assert _get(world.personas.requesting_officer, f"{url}/candidates").status_code == 403

    answered = _post(
        world.keeper, f"{url}/answer", {"person": "KG-0002", "identity_note": "All agree."}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    read = _get(world.personas.requesting_officer, url).json()
    assert read["answer"] == "no_record"  # the namesake has no conviction
    assert read["extract"]["person"]["ref"] == "KG-0002"
    assert read["identity_note"] == "All agree."


def test_the_extract_carries_the_convictions_as_codes(world: World) -> None:
    url = f"{BASE}/extracts/{world.extract.public_id}"
    answered = _post(world.keeper, f"{url}/answer", {"person": "KG-0001", "identity_note": "Ok."})
    extract = answered.json()["extract"]
    assert answered.json()["answer"] == "extract"
    conviction = extract["convictions"][0]
    assert conviction["offences"][0]["iccs"] == "0502"
    assert conviction["penalties"][0]["kind"] == "imprisonment"


def test_no_record_is_answered_with_a_null_person(world: World) -> None:
    url = f"{BASE}/extracts/{world.extract.public_id}/answer"
    response = _post(world.keeper, url, {"person": None, "identity_note": "No one."})
    assert response.status_code == 200
    assert response.json()["answer"] == "no_record"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": None, "identity_note": " "}, "identity_note"),
        ({"person": "KZ-0001", "identity_note": "Ok."}, "person"),  # another register's
        ({"identity_note": "Ok."}, "person"),
    ],
)
def test_a_bad_answer_changes_nothing(world: World, body: dict[str, Any], field: str) -> None:
    url = f"{BASE}/extracts/{world.extract.public_id}/answer"
    response = _post(world.keeper, url, body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert ExtractRequest.objects.get(pk=world.extract.pk).status == ExtractStatus.SUBMITTED


def test_bad_input_names_the_fields_and_saves_nothing(world: World) -> None:
    response = _post(
        world.personas.requesting_officer,
        f"{BASE}/extracts",
        {
            "register_state": "KAZ",
            "purpose": "curiosity",
            "subject_name": "X",
            "subject_birth_date": "12/1990",
        },
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"register_state", "purpose", "subject_birth_date"} <= set(fields)
    assert ExtractRequest.objects.count() == 1


def test_reviewers_read_but_do_not_ask(world: World) -> None:
    body = {"register_state": "KGZ", "purpose": "criminal", "subject_name": "A B"}
    reviewer = world.personas.requesting_reviewer
    assert _post(reviewer, f"{BASE}/extracts", body).status_code == 403
    assert _get(reviewer, f"{BASE}/extracts/{world.extract.public_id}").status_code == 200


def test_the_boxes(world: World) -> None:
    ask(world.personas.requesting_officer, subject_name="Second Person")
    officer = world.personas.requesting_officer
    assert _get(officer, f"{BASE}/extracts?box=outgoing").json()["count"] == 2
    assert _get(officer, f"{BASE}/extracts?box=incoming").json()["count"] == 0
    assert _get(world.keeper, f"{BASE}/extracts?box=incoming").json()["count"] == 2
    assert _get(world.keeper, f"{BASE}/extracts").json()["count"] == 2
    assert _get(world.personas.outsider, f"{BASE}/extracts").json()["count"] == 0
    assert _get(officer, f"{BASE}/extracts?box=sideways").status_code == 400


def test_the_list_costs_the_same_with_more_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(5):
        ask(world.personas.requesting_officer, subject_name=f"Person {number}")
    headers = _headers(world.keeper)
    with django_assert_max_num_queries(6):
        assert Client().get(f"{BASE}/extracts", headers=headers).json()["count"] == 6


def test_search_in_the_own_register_only(world: World) -> None:
    response = _post(
        world.keeper,
        f"{BASE}/search",
        {"name": "Рустам Мухтаров", "birth_date": "1985", "top": 5},
    )
    assert response.status_code == 200
    refs = [c["ref"] for c in response.json()["candidates"]]
    assert refs[0] == "KG-0001"
    assert "KZ-0001" not in refs
    event = AuditEvent.objects.filter(code=int(Code.RECORDS_SEARCHED)).latest("seq")
    assert event.details["names"] == ["Рустам Мухтаров"]
    # No register, no search: as if there were nothing there.
    assert (
        _post(world.personas.requesting_officer, f"{BASE}/search", {"name": "X"}).status_code == 404
    )
    bad = _post(world.keeper, f"{BASE}/search", {"name": "X", "birth_date": "85"})
    assert bad.status_code == 400
    assert "birth_date" in bad.json()["error"]["fields"]


def test_notices_are_read_by_sender_and_recipient_only(world: World) -> None:
    url = f"{BASE}/notices/{world.notice.public_id}"
    received = _get(world.keeper, url)
    assert received.status_code == 200
    assert received.json()["content"]["person"]["full_name"] == "Асанов Нурлан"
    assert _get(world.kaz_keeper, url).status_code == 200
    assert _get(world.personas.requesting_officer, url).status_code == 404
    assert _get(world.keeper, f"{BASE}/notices").json()["count"] == 1
    assert _get(world.personas.outsider, f"{BASE}/notices").json()["count"] == 0


def test_hidden_answers_exactly_like_missing(world: World) -> None:
    outsider = world.personas.outsider
    for kind, hidden_id in (
        ("extracts", world.extract.public_id),
        ("notices", world.notice.public_id),
    ):
        hidden = _get(outsider, f"{BASE}/{kind}/{hidden_id}")
        missing = _get(outsider, f"{BASE}/{kind}/{MISSING}")
        garbage = _get(outsider, f"{BASE}/{kind}/not-a-uuid")
        assert hidden.status_code == missing.status_code == garbage.status_code == 404
        assert hidden.json() == missing.json() == garbage.json()
