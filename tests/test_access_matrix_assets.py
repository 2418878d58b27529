"""Every asset URL and API operation x every persona, on own and on others' objects
(docs/assets.md, "Who sees and writes what").

Own objects: the world's case of Kazakhstan's GPO with a bank account in Kyrgyzstan sent
with a freezing request to Kyrgyzstan's GPO, its freezing order and a return agreement.
Other objects: a case of Uzbekistan's GPO with a flat in Kazakhstan, an order and an
agreement. Personas: anonymous; Kazakhstan's officer and reviewer (the requesting side);
Kyrgyzstan's officer and reviewer (the requested side); Kyrgyzstan's FIU (a competent
authority not assigned: it sees nothing); Tajikistan's GPO (an outsider); the network
coordinator. Hidden answers exactly like missing: 404, with the same body.

Writes are sent with an empty form or body: a persona allowed to write gets the form back
with its errors (200) or a 400 from the API, so that the access decision is what is tested,
and nothing is changed. A new asset route without an entry fails
`test_every_asset_route_has_an_entry`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from comity.accounts.models import User
from comity.assets import services
from comity.assets.models import Agreement, Order
from comity.assets.tests.world import World, build_world, state
from tests.matrix import missing_url, operations_under, routes_of, unmasked
from tests.personas import Personas

PERSONAS = (
    "anonymous",
    "requesting",
    "requesting_reviewer",
    "requested",
    "requested_reviewer",
    "executing",
    "outsider",
    "coordinator",
)
LOGIN = 302
Expect = dict[str, int]


@dataclass
class Assets:
    world: World
    agreement: Agreement
    other_order: Order
    other_agreement: Agreement

    def user(self, persona: str) -> User | None:
        p = self.world.personas
        return {
            "anonymous": None,
            "requesting": p.requesting_officer,
            "requesting_reviewer": p.requesting_reviewer,
            "requested": p.requested_officer,
            "requested_reviewer": p.requested_reviewer,
            "executing": p.executing_officer,
            "outsider": p.outsider,
            "coordinator": p.coordinator,
        }[persona]


@dataclass(frozen=True)
class Check:
    method: str
    url: Callable[[Assets], str]
    expect: Expect
    # A body the API's schema accepts and the services refuse (400 for those allowed).
    data: Callable[[Assets], dict[str, Any]] | None = None


def _every(status: int, *, coordinator: int = 403, anonymous: int = LOGIN) -> Expect:
    return {**dict.fromkeys(PERSONAS, status), "coordinator": coordinator, "anonymous": anonymous}


def _sides(
    officer: int, reviewer: int, *, requested: int | None = None, anonymous: int = LOGIN
) -> Expect:
    """An own object: both sides of the request see it; others answer 404."""
    return {
        "anonymous": anonymous,
        "requesting": officer,
        "requesting_reviewer": reviewer,
        "requested": officer if requested is None else requested,
        "requested_reviewer": reviewer,
        "executing": 404,
        "outsider": 404,
        "coordinator": 403 if anonymous == LOGIN else 404,
    }


def _nobody(anonymous: int = LOGIN) -> Expect:
    expect = _every(404, anonymous=anonymous)
    if anonymous != LOGIN:
        expect["coordinator"] = 404
    return expect


def _case(a: Assets, suffix: str = "") -> str:
    return f"/assets/cases/{a.world.case.public_id}/{suffix}"


def _other_case(a: Assets, suffix: str = "") -> str:
    return f"/assets/cases/{a.world.other_asset.case.public_id}/{suffix}"


def _asset(a: Assets, suffix: str = "") -> str:
    return f"/assets/{a.world.account.public_id}/{suffix}"


def _other_asset(a: Assets, suffix: str = "") -> str:
    return f"/assets/{a.world.other_asset.public_id}/{suffix}"


PAGES: dict[str, list[Check]] = {
    "assets:home": [Check("GET", lambda a: "/assets/", _every(200))],
    "assets:expiring": [Check("GET", lambda a: "/assets/expiring/", _every(200))],
    "assets:rates": [
        Check("GET", lambda a: "/assets/rates/", _every(200, coordinator=200)),
        Check(
            "POST",
            lambda a: "/assets/rates/",
            {**_every(403, coordinator=200), "anonymous": LOGIN},
        ),
    ],
    "assets:case": [
        Check("GET", _case, _sides(200, 200)),
        Check("GET", _other_case, _nobody()),
    ],
    "assets:case_ftm": [
        Check("GET", lambda a: _case(a, "ftm.json"), _sides(200, 200)),
        Check("GET", lambda a: _other_case(a, "ftm.json"), _nobody()),
    ],
    "assets:asset_create": [
        # The case's own officers; the requested side only on the request it received.
        Check("GET", lambda a: _case(a, "new/"), _sides(200, 403, requested=403)),
        Check(
            "GET",
            lambda a: _case(a, f"new/?request={a.world.request.public_id}"),
            _sides(200, 403),
        ),
        Check("POST", lambda a: _case(a, "new/"), _sides(200, 403, requested=403)),
        Check("GET", lambda a: _other_case(a, "new/"), _nobody()),
    ],
    "assets:agreement_create": [
        Check("GET", lambda a: _case(a, "agreements/new/"), _sides(200, 403)),
        Check("POST", lambda a: _case(a, "agreements/new/"), _sides(200, 403)),
        Check("GET", lambda a: _other_case(a, "agreements/new/"), _nobody()),
    ],
    "assets:asset_detail": [
        Check("GET", _asset, _sides(200, 200)),
        Check("GET", _other_asset, _nobody()),
    ],
    "assets:asset_edit": [
        Check("GET", lambda a: _asset(a, "edit/"), _sides(200, 403)),
        Check("POST", lambda a: _asset(a, "edit/"), _sides(200, 403)),
        Check("GET", lambda a: _other_asset(a, "edit/"), _nobody()),
    ],
    "assets:asset_status": [
        Check("POST", lambda a: _asset(a, "status/"), _sides(400, 403)),
        Check("POST", lambda a: _other_asset(a, "status/"), _nobody()),
    ],
    "assets:order_create": [
        Check("GET", lambda a: _asset(a, "orders/new/"), _sides(200, 403)),
        Check("POST", lambda a: _asset(a, "orders/new/"), _sides(200, 403)),
        Check("GET", lambda a: _other_asset(a, "orders/new/"), _nobody()),
    ],
    "assets:holder_add": [
        Check("GET", lambda a: _asset(a, "holders/new/"), _sides(200, 403)),
        Check("POST", lambda a: _asset(a, "holders/new/"), _sides(200, 403)),
        Check("GET", lambda a: _other_asset(a, "holders/new/"), _nobody()),
    ],
    "assets:order_execution": [
        Check(
            "GET",
            lambda a: f"/assets/orders/{a.world.freezing.public_id}/execution/",
            _sides(200, 403),
        ),
        Check(
            "POST",
            lambda a: f"/assets/orders/{a.world.freezing.public_id}/execution/",
            _sides(200, 403),
        ),
        Check("GET", lambda a: f"/assets/orders/{a.other_order.public_id}/execution/", _nobody()),
    ],
    "assets:order_renew": [
        Check(
            "GET",
            lambda a: f"/assets/orders/{a.world.freezing.public_id}/renew/",
            _sides(200, 403),
        ),
        Check(
            "POST",
            lambda a: f"/assets/orders/{a.world.freezing.public_id}/renew/",
            _sides(200, 403),
        ),
        Check("GET", lambda a: f"/assets/orders/{a.other_order.public_id}/renew/", _nobody()),
    ],
    "assets:transfer_create": [
        Check(
            "GET",
            lambda a: f"/assets/agreements/{a.agreement.public_id}/transfers/new/",
            _sides(200, 403),
        ),
        Check(
            "POST",
            lambda a: f"/assets/agreements/{a.agreement.public_id}/transfers/new/",
            _sides(200, 403),
        ),
        Check(
            "GET",
            lambda a: f"/assets/agreements/{a.other_agreement.public_id}/transfers/new/",
            _nobody(),
        ),
    ],
}

API_BASE = "/api/v1/assets"
UNAUTHORIZED = 401


def _api_every(status: int, *, coordinator: int) -> Expect:
    return {**dict.fromkeys(PERSONAS, status), "coordinator": coordinator, "anonymous": 401}


def _api_sides(officer: int, reviewer: int, *, requested: int | None = None) -> Expect:
    return _sides(officer, reviewer, requested=requested, anonymous=UNAUTHORIZED)


def _api_asset(a: Assets, suffix: str = "") -> str:
    return f"{API_BASE}/{a.world.account.public_id}{suffix}"


def _api_other_asset(a: Assets, suffix: str = "") -> str:
    return f"{API_BASE}/{a.world.other_asset.public_id}{suffix}"


def _status(a: Assets) -> dict[str, Any]:
    return {"status": "closed", "reason": ""}


def _holder(a: Assets) -> dict[str, Any]:
    return {"role": "owner"}


def _order(a: Assets) -> dict[str, Any]:
    return {"kind": "freezing", "issuing_state": "KGZ", "issuing_authority": "", "order_date": None}


def _execution(a: Assets) -> dict[str, Any]:
    return {"execution": "requested"}


def _renewal(a: Assets) -> dict[str, Any]:
    return {"new_expiry": None, "renewed_on": None}


def _agreement(a: Assets) -> dict[str, Any]:
    return {
        "kind": "return",
        "basis": "other",
        "transferring_state": "KGZ",
        "receiving_state": "KGZ",
        "concluded_on": None,
        "terms": "",
    }


def _transfer(a: Assets) -> dict[str, Any]:
    return {"transferred_on": None, "gross_amount": "1", "currency": "USD"}


def _rate(a: Assets) -> dict[str, Any]:
    return {"currency": "USD", "quote": "USD", "rate": "1", "rate_date": None, "source": ""}


API: dict[str, list[Check]] = {
    "GET /api/v1/assets": [Check("GET", lambda a: API_BASE, _api_every(200, coordinator=200))],
    "POST /api/v1/assets": [
        Check(
            "POST",
            lambda a: API_BASE,
            {
                **_api_sides(400, 403, requested=403),
                "executing": 404,
                "outsider": 404,
                "coordinator": 404,
            },
            lambda a: {
                "case": str(a.world.case.public_id),
                "kind": "bank_account",
                "location_state": "KGZ",
                "identifier": "12/34",
            },
        )
    ],
    "GET /api/v1/assets/{id}": [
        Check("GET", _api_asset, _api_sides(200, 200)),
        Check("GET", _api_other_asset, _nobody(UNAUTHORIZED)),
    ],
    "POST /api/v1/assets/{id}/status": [
        Check("POST", lambda a: _api_asset(a, "/status"), _api_sides(400, 403), _status),
        Check("POST", lambda a: _api_other_asset(a, "/status"), _nobody(UNAUTHORIZED), _status),
    ],
    "POST /api/v1/assets/{id}/holders": [
        Check("POST", lambda a: _api_asset(a, "/holders"), _api_sides(400, 403), _holder),
        Check("POST", lambda a: _api_other_asset(a, "/holders"), _nobody(UNAUTHORIZED), _holder),
    ],
    "POST /api/v1/assets/{id}/orders": [
        Check("POST", lambda a: _api_asset(a, "/orders"), _api_sides(400, 403), _order),
        Check("POST", lambda a: _api_other_asset(a, "/orders"), _nobody(UNAUTHORIZED), _order),
    ],
    "POST /api/v1/assets/orders/{id}/execution": [
        Check(
            "POST",
            lambda a: f"{API_BASE}/orders/{a.world.freezing.public_id}/execution",
            _api_sides(400, 403),
            _execution,
        ),
        Check(
            "POST",
            lambda a: f"{API_BASE}/orders/{a.other_order.public_id}/execution",
            _nobody(UNAUTHORIZED),
            _execution,
        ),
    ],
    "POST /api/v1/assets/orders/{id}/renewals": [
        Check(
            "POST",
            lambda a: f"{API_BASE}/orders/{a.world.freezing.public_id}/renewals",
            _api_sides(400, 403),
            _renewal,
        ),
        Check(
            "POST",
            lambda a: f"{API_BASE}/orders/{a.other_order.public_id}/renewals",
            _nobody(UNAUTHORIZED),
            _renewal,
        ),
    ],
    "GET /api/v1/assets/cases/{id}/ledger": [
        Check(
            "GET",
            lambda a: f"{API_BASE}/cases/{a.world.case.public_id}/ledger",
            _api_sides(200, 200),
        ),
        Check(
            "GET",
            lambda a: f"{API_BASE}/cases/{a.world.other_asset.case.public_id}/ledger",
            _nobody(UNAUTHORIZED),
        ),
    ],
    "GET /api/v1/assets/ledger": [
        Check("GET", lambda a: f"{API_BASE}/ledger", _api_every(200, coordinator=200))
    ],
    "POST /api/v1/assets/cases/{id}/agreements": [
        Check(
            "POST",
            lambda a: f"{API_BASE}/cases/{a.world.case.public_id}/agreements",
            _api_sides(400, 403),
            _agreement,
        ),
        Check(
            "POST",
            lambda a: f"{API_BASE}/cases/{a.world.other_asset.case.public_id}/agreements",
            _nobody(UNAUTHORIZED),
            _agreement,
        ),
    ],
    "POST /api/v1/assets/agreements/{id}/transfers": [
        Check(
            "POST",
            lambda a: f"{API_BASE}/agreements/{a.agreement.public_id}/transfers",
            _api_sides(400, 403),
            _transfer,
        ),
        Check(
            "POST",
            lambda a: f"{API_BASE}/agreements/{a.other_agreement.public_id}/transfers",
            _nobody(UNAUTHORIZED),
            _transfer,
        ),
    ],
    "GET /api/v1/assets/rates": [
        Check("GET", lambda a: f"{API_BASE}/rates", _api_every(200, coordinator=200))
    ],
    "POST /api/v1/assets/rates": [
        Check("POST", lambda a: f"{API_BASE}/rates", _api_every(403, coordinator=400), _rate)
    ],
    "GET /api/v1/assets/expiring": [
        Check("GET", lambda a: f"{API_BASE}/expiring", _api_every(200, coordinator=200))
    ],
    "GET /api/v1/assets/cases/{id}/ftm": [
        Check(
            "GET",
            lambda a: f"{API_BASE}/cases/{a.world.case.public_id}/ftm",
            _api_sides(200, 200),
        ),
        Check(
            "GET",
            lambda a: f"{API_BASE}/cases/{a.world.other_asset.case.public_id}/ftm",
            _nobody(UNAUTHORIZED),
        ),
    ],
}


def test_every_asset_route_has_an_entry() -> None:
    assert routes_of("assets") == set(PAGES)
    assert operations_under(API_BASE) == set(API)


@pytest.fixture
def assets(personas: Personas) -> Assets:
    world = build_world(personas)
    agreement = services.agreement_record(
        user=personas.requested_officer,
        case=world.case,
        data=services.AgreementData(
            kind="return",
            basis="uncac_57_3b",
            transferring_state=state("KGZ"),
            receiving_state=state("KAZ"),
            concluded_on=datetime.date(2026, 10, 1),
            terms="Return of the balance less costs.",
        ),
    )
    other = world.other_asset
    other_order = Order.objects.create(
        asset=other,
        kind="freezing",
        issuing_state=state("KAZ"),
        issuing_authority="Almaty City Court",
        order_date=datetime.date(2026, 5, 1),
        expiry_date=datetime.date(2026, 12, 1),
        amount=Decimal("1"),
        currency="KZT",
        recorded_by=other.created_by,
        recorded_by_authority=other.created_by_authority,
    )
    other_agreement = Agreement.objects.create(
        case=other.case,
        kind="return",
        basis="bilateral",
        transferring_state=state("KAZ"),
        receiving_state=state("UZB"),
        concluded_on=datetime.date(2026, 9, 1),
        terms="Return.",
        recorded_by=other.created_by,
        recorded_by_authority=other.created_by_authority,
    )
    return Assets(
        world=world,
        agreement=agreement,
        other_order=other_order,
        other_agreement=other_agreement,
    )


PAGE_CASES = [
    (name, index, persona)
    for name, checks in PAGES.items()
    for index in range(len(checks))
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "persona"), PAGE_CASES)
def test_page_access(assets: Assets, name: str, index: int, persona: str) -> None:
    check = PAGES[name][index]
    client = Client()
    user = assets.user(persona)
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")

    def send(target: str) -> Any:
        return client.get(target) if check.method == "GET" else client.post(target, {})

    url = check.url(assets)
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


API_CASES = [
    (operation, index, persona)
    for operation, checks in API.items()
    for index in range(len(checks))
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "index", "persona"), API_CASES)
def test_api_access(assets: Assets, operation: str, index: int, persona: str) -> None:
    from comity.accounts.tokens import token_create

    check = API[operation][index]
    user = assets.user(persona)
    headers = {"Authorization": f"Bearer {token_create(user=user, name='m')[1]}"} if user else {}
    client = Client()

    def send(target: str) -> Any:
        if check.method == "GET":
            return client.get(target, headers=headers)
        body = check.data(assets) if check.data else {}
        return client.post(
            target, json.dumps(body), content_type="application/json", headers=headers
        )

    url = check.url(assets)
    response = send(url)
    assert response.status_code == check.expect[persona], (
        f"{operation} as {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if response.status_code == 404 and missing_url(url) != url:
        missing = send(missing_url(url))
        assert missing.status_code == 404
        assert response.json() == missing.json()
