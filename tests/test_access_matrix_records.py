"""Every records URL and API operation x every persona, on their own and on others' objects
(docs/records.md, "Access rules").

Personas: anonymous; the requesting officer and reviewer (Kazakhstan's GPO, which asks for
extracts and keeps no register); the keeper's officer and reviewer (Kyrgyzstan's records
bureau, kgz-mia, which keeps a register); an outsider (Tajikistan's GPO); the network
coordinator. "Own" objects concern the requesting or the keeping authority: an extract
kaz-gpo -> KGZ, a notice KAZ -> KGZ, a person of KGZ's register. "Other" objects concern
neither: an extract uzb-gpo -> KAZ, a notice UZB -> KAZ, a person of KAZ's register. Hidden
answers exactly like missing: 404, with the same body.

A new records route without an entry here fails `test_every_records_route_has_an_entry`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from comity.accounts.models import Role, User
from comity.records import services
from comity.records.models import ConvictionNotice, ExtractRequest, Person
from comity.records.tests.world import FRAUD_IN_KAZ, World, ask, build_world, person
from tests.matrix import missing_url, operations_under, routes_of, unmasked
from tests.personas import Personas, make_user

PERSONAS = (
    "anonymous",
    "requesting",
    "requesting_reviewer",
    "keeper",
    "keeper_reviewer",
    "outsider",
    "coordinator",
)
LOGIN = 302

Expect = dict[str, int]


@dataclass
class Records:
    world: World
    other_extract: ExtractRequest  # uzb-gpo -> KAZ register
    other_notice: ConvictionNotice  # UZB register -> KAZ register
    other_person: Person  # of KAZ's register
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        world = self.world
        return {
            "anonymous": None,
            "requesting": world.personas.requesting_officer,
            "requesting_reviewer": world.personas.requesting_reviewer,
            "keeper": world.keeper,
            "keeper_reviewer": world.keeper_reviewer,
            "outsider": world.personas.outsider,
            "coordinator": world.personas.coordinator,
        }[persona]


@dataclass(frozen=True)
class Check:
    method: str
    url: Callable[[Records], str]
    expect: Expect
    data: Callable[[Records], dict[str, Any]] | None = None


def _signed_in(status: int, anonymous: int = LOGIN) -> Expect:
    return {**dict.fromkeys(PERSONAS, status), "anonymous": anonymous}


def _nobody(anonymous: int = LOGIN) -> Expect:
    """An object of other authorities: hidden from every persona."""
    return _signed_in(404, anonymous)


def _extract_parties(
    requesting: int, reviewer: int, keeper: int, keeper_reviewer: int, anonymous: int = LOGIN
) -> Expect:
    return {
        "anonymous": anonymous,
        "requesting": requesting,
        "requesting_reviewer": reviewer,
        "keeper": keeper,
        "keeper_reviewer": keeper_reviewer,
        "outsider": 404,
        "coordinator": 404,
    }


def _keeper(officer: int, reviewer: int, anonymous: int = LOGIN) -> Expect:
    """The keeping authority's pages: others see no register at all."""
    return {**_nobody(anonymous), "keeper": officer, "keeper_reviewer": reviewer}


def _writers(status: int, anonymous: int = LOGIN) -> Expect:
    """Any authority's officers (not reviewers, not the coordinator)."""
    return {
        **_signed_in(status, anonymous),
        "requesting_reviewer": 403,
        "keeper_reviewer": 403,
        "coordinator": 403,
    }


def _extract(r: Records, action: str = "") -> str:
    return f"/records/extracts/{r.world.extract.public_id}/{action}"


def _other_extract(r: Records, action: str = "") -> str:
    return f"/records/extracts/{r.other_extract.public_id}/{action}"


def _notice(r: Records, action: str = "") -> str:
    return f"/records/notices/{r.world.notice.public_id}/{action}"


def _other_notice(r: Records, action: str = "") -> str:
    return f"/records/notices/{r.other_notice.public_id}/{action}"


def _person(r: Records, action: str = "") -> str:
    return f"/records/persons/{r.world.mukhtarov.public_id}/{action}"


def _other_person(r: Records, action: str = "") -> str:
    return f"/records/persons/{r.other_person.public_id}/{action}"


def _conviction_status(r: Records) -> str:
    conviction = r.world.mukhtarov.convictions.first() or services.conviction_record(
        actor=r.world.keeper, person=r.world.mukhtarov, data=FRAUD_IN_KAZ, notify=False
    )
    return _person(r, f"convictions/{conviction.public_id}/status/")


def _other_conviction_status(r: Records) -> str:
    conviction = r.other_person.convictions.first() or services.conviction_record(
        actor=None, person=r.other_person, data=FRAUD_IN_KAZ, notify=False
    )
    return _other_person(r, f"convictions/{conviction.public_id}/status/")


def _answer(r: Records) -> dict[str, Any]:
    return {"person": str(r.world.mukhtarov.public_id), "identity_note": "All agrees."}


def _ask_uzb(r: Records) -> dict[str, Any]:
    return {"register_state": "UZB", "purpose": "criminal", "subject_name": "Alisher Toshmatov"}


PAGES: dict[str, list[Check]] = {
    "records:home": [
        Check("GET", lambda r: "/records/", {**_signed_in(200), "coordinator": 403}),
    ],
    "records:extract_new": [
        Check("GET", lambda r: "/records/extracts/new/", _writers(200)),
        Check("POST", lambda r: "/records/extracts/new/", _writers(302), data=_ask_uzb),
    ],
    "records:extract_detail": [
        Check("GET", _extract, _extract_parties(200, 200, 200, 200)),
        Check("GET", _other_extract, _nobody()),
    ],
    "records:extract_answer": [
        Check(
            "POST", lambda r: _extract(r, "answer/"), _extract_parties(403, 403, 302, 403), _answer
        ),
        Check("POST", lambda r: _other_extract(r, "answer/"), _nobody(), _answer),
    ],
    "records:extract_withdraw": [
        Check("POST", lambda r: _extract(r, "withdraw/"), _extract_parties(302, 403, 403, 403)),
        Check("POST", lambda r: _other_extract(r, "withdraw/"), _nobody()),
    ],
    "records:notice_detail": [
        Check("GET", _notice, _keeper(200, 200)),
        Check("GET", _other_notice, _nobody()),
    ],
    "records:notice_match": [
        Check(
            "POST",
            lambda r: _notice(r, "match/"),
            _keeper(302, 403),
            lambda r: {"person": str(r.world.asanov.public_id)},
        ),
        Check("POST", lambda r: _other_notice(r, "match/"), _nobody(), lambda r: {"person": "x"}),
    ],
    "records:notice_create_person": [
        Check(
            "POST",
            lambda r: _notice(r, "create-person/"),
            _keeper(302, 403),
            lambda r: {"ref": "N-1"},
        ),
        Check(
            "POST",
            lambda r: _other_notice(r, "create-person/"),
            _nobody(),
            lambda r: {"ref": "N-1"},
        ),
    ],
    "records:person_list": [
        Check("GET", lambda r: "/records/persons/", _keeper(200, 200)),
        Check("GET", lambda r: "/records/persons/?q=Mukhtarov", _keeper(200, 200)),
    ],
    "records:person_new": [
        Check("GET", lambda r: "/records/persons/new/", _keeper(200, 403)),
        Check(
            "POST",
            lambda r: "/records/persons/new/",
            _keeper(302, 403),
            lambda r: {"ref": "KG-0900", "full_name": "Новый Человек"},
        ),
    ],
    "records:person_detail": [
        Check("GET", _person, _keeper(200, 200)),
        Check("GET", _other_person, _nobody()),
    ],
    "records:person_edit": [
        Check("GET", lambda r: _person(r, "edit/"), _keeper(200, 403)),
        Check("GET", lambda r: _other_person(r, "edit/"), _nobody()),
    ],
    "records:conviction_new": [
        Check("GET", lambda r: _person(r, "convictions/new/"), _keeper(200, 403)),
        Check("GET", lambda r: _other_person(r, "convictions/new/"), _nobody()),
    ],
    "records:conviction_status": [
        Check("POST", _conviction_status, _keeper(302, 403), lambda r: {"status": "spent"}),
        Check("POST", _other_conviction_status, _nobody(), lambda r: {"status": "spent"}),
    ],
}


API_BASE = "/api/v1/records"
UNAUTHORIZED = 401


def _api_extract(r: Records, suffix: str = "") -> str:
    return f"{API_BASE}/extracts/{r.world.extract.public_id}{suffix}"


def _api_other_extract(r: Records, suffix: str = "") -> str:
    return f"{API_BASE}/extracts/{r.other_extract.public_id}{suffix}"


def _api_answer(r: Records) -> dict[str, Any]:
    return {"person": "KG-0001", "identity_note": "All agrees."}


# By "METHOD path" as the OpenAPI schema names the operation; own and other objects.
API: dict[str, list[Check]] = {
    "GET /api/v1/records/extracts": [
        Check("GET", lambda r: f"{API_BASE}/extracts?box=incoming", _signed_in(200, 401))
    ],
    "POST /api/v1/records/extracts": [
        Check("POST", lambda r: f"{API_BASE}/extracts", _writers(201, 401), _ask_uzb)
    ],
    "GET /api/v1/records/extracts/{id}": [
        Check("GET", _api_extract, _extract_parties(200, 200, 200, 200, 401)),
        Check("GET", _api_other_extract, _nobody(401)),
    ],
    "GET /api/v1/records/extracts/{id}/candidates": [
        Check(
            "GET",
            lambda r: _api_extract(r, "/candidates"),
            _extract_parties(403, 403, 200, 200, 401),
        ),
        Check("GET", lambda r: _api_other_extract(r, "/candidates"), _nobody(401)),
    ],
    "POST /api/v1/records/extracts/{id}/answer": [
        Check(
            "POST",
            lambda r: _api_extract(r, "/answer"),
            _extract_parties(403, 403, 200, 403, 401),
            _api_answer,
        ),
        Check("POST", lambda r: _api_other_extract(r, "/answer"), _nobody(401), _api_answer),
    ],
    "POST /api/v1/records/search": [
        Check(
            "POST",
            lambda r: f"{API_BASE}/search",
            _keeper(200, 200, 401),
            lambda r: {"name": "Rustam Mukhtarov"},
        )
    ],
    "GET /api/v1/records/notices": [
        Check("GET", lambda r: f"{API_BASE}/notices", _signed_in(200, 401))
    ],
    "GET /api/v1/records/notices/{id}": [
        Check(
            "GET",
            lambda r: f"{API_BASE}/notices/{r.world.notice.public_id}",
            _keeper(200, 200, 401),
        ),
        Check("GET", lambda r: f"{API_BASE}/notices/{r.other_notice.public_id}", _nobody(401)),
    ],
}


def test_every_records_route_has_an_entry() -> None:
    assert routes_of("records") == set(PAGES)
    assert operations_under(API_BASE) == set(API)


@pytest.fixture
def records(personas: Personas) -> Records:
    registers = {r.state.iso3: r for r in services.registers_ensure()}
    world = build_world(personas, registers["KGZ"], registers["KAZ"])
    uzb_officer = make_user("uzb.officer", "uzb-gpo", Role.OFFICER)
    other_extract = ask(uzb_officer, register_state="KAZ", subject_name="Nurlan Asanov")
    uzb_keeper = make_user("uzb.records", registers["UZB"].keeper.key, Role.OFFICER)
    convicted = person(registers["UZB"], "UZ-0001", "Karimov Timur", "1981", "UZB KAZ")
    services.conviction_record(actor=uzb_keeper, person=convicted, data=FRAUD_IN_KAZ)
    return Records(
        world=world,
        other_extract=other_extract,
        other_notice=ConvictionNotice.objects.get(recipient=registers["KAZ"]),
        other_person=world.kaz_person,
    )


def _client(records: Records, persona: str) -> Client:
    client = Client()
    user = records.user(persona)
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


PAGE_CASES = [
    (name, index, persona)
    for name, checks in PAGES.items()
    for index in range(len(checks))
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "persona"), PAGE_CASES)
def test_page_access(records: Records, name: str, index: int, persona: str) -> None:
    check = PAGES[name][index]
    client = _client(records, persona)
    url = check.url(records)
    data = check.data(records) if check.data else {}

    def send(target: str) -> Any:
        return client.get(target) if check.method == "GET" else client.post(target, data)

    response = send(url)
    assert response.status_code == check.expect[persona], (
        f"{check.method} {url} as {persona}: {response.status_code}"
    )
    if response.status_code == LOGIN and persona == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if response.status_code == 404 and missing_url(url) != url:
        missing = send(missing_url(url))
        assert missing.status_code == 404
        assert unmasked(response.content) == unmasked(missing.content)


def _token(records: Records, persona: str) -> str | None:
    from comity.accounts.tokens import token_create

    user = records.user(persona)
    return None if user is None else token_create(user=user, name="matrix")[1]


API_CASES = [
    (operation, index, persona)
    for operation, checks in API.items()
    for index in range(len(checks))
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "index", "persona"), API_CASES)
def test_api_access(records: Records, operation: str, index: int, persona: str) -> None:
    check = API[operation][index]
    token = _token(records, persona)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    data = check.data(records) if check.data else None

    def send(target: str) -> Any:
        if check.method == "GET":
            return client.get(target, headers=headers)
        return client.post(
            target, json.dumps(data), content_type="application/json", headers=headers
        )

    url = check.url(records)
    response = send(url)
    assert response.status_code == check.expect[persona], (
        f"{operation} as {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if response.status_code == 404 and missing_url(url) != url:
        missing = send(missing_url(url))
        assert missing.status_code == 404
        assert response.json() == missing.json()
