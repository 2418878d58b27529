"""The assets API over HTTP, with bearer tokens: the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from comity.accounts.models import Role, User
from comity.accounts.tokens import token_create
from comity.assets.models import Asset, AssetStatus, ExchangeRate, Order
from comity.assets.tests.world import TODAY, World, rate
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from tests.personas import make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assets"
MISSING = "00000000-0000-4000-8000-000000000000"


def _headers(user: User | None, language: str = "") -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"} if user else {}
    if language:
        headers["Accept-Language"] = language
    return headers


def _get(user: User | None, url: str) -> Any:
    return Client().get(url, headers=_headers(user))


def _post(user: User | None, url: str, body: dict[str, Any], language: str = "") -> Any:
    return Client().post(
        url, json.dumps(body), content_type="application/json", headers=_headers(user, language)
    )


def _fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    fields: dict[str, list[str]] = response.json()["error"]["fields"]
    return fields


def _asset_body(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "case": str(world.case.public_id),
        "kind": "bank_account",
        "location_state": "KAZ",
        "identifier": "KZ86 125K ZT50 0410 0100",
        "institution": "Bank Y, Almaty",
        "estimated_value": "2500000.50",
        "currency": "KZT",
        "valuation_date": "2026-02-01",
        **overrides,
    }


def _order_body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "freezing",
        "issuing_state": "KAZ",
        "issuing_authority": "Specialised inter-district court, Almaty",
        "order_date": "2026-10-01",
        "expiry_date": "2027-04-01",
        "execution": "executed",
        "amount": "2500000.50",
        "currency": "KZT",
        **overrides,
    }


def _agreement_body() -> dict[str, Any]:
    return {
        "kind": "return",
        "basis": "uncac_57_3a",
        "transferring_state": "KAZ",
        "receiving_state": "KGZ",
        "concluded_on": "2026-11-10",
        "terms": "Return of the confiscated balance, less costs.",
    }


def _uzb_officer() -> User:
    return make_user("uzb.officer", "uzb-gpo", Role.OFFICER)


# ---------------------------------------------------------------------------- access


def test_both_sides_read_an_asset_and_the_read_is_audited(world: World) -> None:
    url = f"{BASE}/{world.account.public_id}"
    for user in (
        world.personas.requesting_officer,
        world.personas.requesting_reviewer,
        world.personas.requested_officer,
        world.personas.requested_reviewer,
    ):
        response = _get(user, url)
        assert response.status_code == 200, (user, response.content)
        assert response.json()["status"] == "frozen"
    audited = AuditEvent.objects.filter(
        code=Code.ASSET_VIEWED, subject_id=str(world.account.public_id)
    )
    assert audited.count() == 4


def test_hidden_assets_answer_exactly_like_missing_ones(world: World) -> None:
    missing = _get(world.personas.outsider, f"{BASE}/{MISSING}")
    hidden = _get(world.personas.outsider, f"{BASE}/{world.account.public_id}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert _get(world.personas.requesting_officer, f"{BASE}/not-a-uuid").status_code == 404
    # Another authority's asset, for the Kazakh officer; the Kazakh one, for Uzbekistan's.
    other = f"{BASE}/{world.other_asset.public_id}"
    assert _get(world.personas.requesting_officer, other).status_code == 404
    uzbek = _uzb_officer()
    assert _get(uzbek, other).status_code == 200
    assert _get(uzbek, f"{BASE}/{world.account.public_id}").status_code == 404
    assert _get(None, f"{BASE}/{world.account.public_id}").status_code == 401


def test_the_list_holds_only_visible_assets_and_filters(world: World) -> None:
    def ids(user: User, query: str = "") -> set[str]:
        response = _get(user, f"{BASE}{query}")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    account, other = str(world.account.public_id), str(world.other_asset.public_id)
    assert ids(world.personas.requesting_officer) == {account}
    assert ids(world.personas.requested_reviewer) == {account}
    assert ids(world.personas.outsider) == set()
    assert ids(_uzb_officer()) == {other}
    officer = world.personas.requesting_officer
    assert ids(officer, f"?case={world.case.public_id}&status=frozen") == {account}
    assert ids(officer, "?status=confiscated") == set()
    assert ids(officer, "?kind=bank_account&location_state=kgz") == {account}
    assert ids(officer, "?location_state=KAZ") == set()


def test_reviewers_read_but_do_not_write(world: World) -> None:
    reviewer = world.personas.requesting_reviewer
    asset_url = f"{BASE}/{world.account.public_id}"
    assert _post(reviewer, BASE, _asset_body(world)).status_code == 403
    assert _post(reviewer, f"{asset_url}/orders", _order_body()).status_code == 403
    denied = _post(reviewer, f"{asset_url}/status", {"status": "closed", "reason": "x"})
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"
    execution = f"{BASE}/orders/{world.freezing.public_id}/execution"
    assert _post(reviewer, execution, {"execution": "lifted"}).status_code == 403
    agreements = f"{BASE}/cases/{world.case.public_id}/agreements"
    assert _post(reviewer, agreements, _agreement_body()).status_code == 403
    assert Asset.objects.count() == 2
    assert Order.objects.get(pk=world.freezing.pk).execution == "partial"


def test_outsiders_get_404_on_every_write(world: World) -> None:
    outsider = world.personas.outsider
    asset_url = f"{BASE}/{world.account.public_id}"
    order_url = f"{BASE}/orders/{world.freezing.public_id}"
    for url, body in [
        (BASE, _asset_body(world)),
        (f"{asset_url}/orders", _order_body()),
        (f"{asset_url}/holders", {"role": "owner"}),
        (f"{asset_url}/status", {"status": "closed", "reason": "x"}),
        (f"{order_url}/execution", {"execution": "lifted"}),
        (f"{order_url}/renewals", {"new_expiry": "2027-06-01", "renewed_on": "2026-11-01"}),
    ]:
        response = _post(outsider, url, body)
        assert response.status_code == 404, (url, response.content)
    assert _get(outsider, f"{BASE}/cases/{world.case.public_id}/ledger").status_code == 404
    assert _get(outsider, f"{BASE}/cases/{world.case.public_id}/ftm").status_code == 404


def test_the_requested_side_records_on_the_request_it_received(world: World) -> None:
    officer = world.personas.requested_officer
    body = _asset_body(world, location_state="KGZ", identifier="9876543210", currency="KGS")
    # Without the request the case is not the Kyrgyz side's to add to.
    assert _post(officer, BASE, body).status_code == 403
    created = _post(officer, BASE, {**body, "request": str(world.request.public_id)})
    assert created.status_code == 201, created.content
    assert created.json()["request"]["reference"] == world.request.reference
    assert created.json()["created_by_authority"] == "kgz-gpo"


# ---------------------------------------------------------------------------- money, flow


def test_money_is_a_string_with_its_currency(world: World) -> None:
    body = _get(world.personas.requesting_officer, f"{BASE}/{world.account.public_id}").json()
    assert body["estimated_value"] == {"amount": "125000.0000", "currency": "USD"}
    order = body["orders"][0]
    assert order["amount"] == {"amount": "80000.0000", "currency": "USD"}
    assert order["requested_amount"] == {"amount": "125000.0000", "currency": "USD"}
    assert order["expiry_date"] == "2026-12-20"
    assert order["issuing_state"] == "KGZ"
    assert body["case"]["authority"] == "kaz-gpo"
    assert "closed" in body["next_statuses"]


def test_an_asset_goes_from_record_to_return_over_the_api(world: World) -> None:
    officer = world.personas.requesting_officer
    created = _post(officer, BASE, _asset_body(world))
    assert created.status_code == 201, created.content
    asset = created.json()
    assert asset["identifier"] == "KZ86125KZT5004100100"
    assert asset["estimated_value"] == {"amount": "2500000.5000", "currency": "KZT"}
    url = f"{BASE}/{asset['id']}"

    nominee = _post(
        officer,
        f"{url}/holders",
        {"role": "nominee", "new_party": {"kind": "person", "name": "A. Nominee", "state": "KAZ"}},
    )
    assert nominee.status_code == 201, nominee.content
    party = nominee.json()["party"]
    assert party["state"] == "KAZ"
    again = _post(officer, f"{url}/holders", {"role": "beneficial_owner", "party": party["id"]})
    assert again.status_code == 201
    assert again.json()["share"] is None

    order = _post(officer, f"{url}/orders", _order_body())
    assert order.status_code == 201, order.content
    order_id = order.json()["id"]
    renewed = _post(
        officer,
        f"{BASE}/orders/{order_id}/renewals",
        {"new_expiry": "2027-10-01", "renewed_on": "2026-11-20", "reference": "R-1"},
    )
    assert renewed.status_code == 201, renewed.content
    assert renewed.json()["previous_expiry"] == "2027-04-01"
    confiscation = _post(
        officer,
        f"{url}/orders",
        _order_body(
            kind="confiscation",
            confiscation_basis="conviction",
            expiry_date=None,
            order_date="2026-11-01",
            amount="2000000",
        ),
    )
    assert confiscation.status_code == 201, confiscation.content

    detail = _get(officer, url).json()
    assert detail["status"] == "confiscated"
    assert [h["role"] for h in detail["holders"]] == ["nominee", "beneficial_owner"]
    assert detail["orders"][0]["renewals"][0]["new_expiry"] == "2027-10-01"
    assert detail["orders"][0]["expiry_date"] == "2027-10-01"

    agreement = _post(
        officer,
        f"{BASE}/cases/{world.case.public_id}/agreements",
        _agreement_body(),
    )
    assert agreement.status_code == 201, agreement.content
    transfer = _post(
        officer,
        f"{BASE}/agreements/{agreement.json()['id']}/transfers",
        {
            "asset": asset["id"],
            "transferred_on": "2026-11-20",
            "gross_amount": "2000000",
            "expenses": "150000.25",
            "currency": "KZT",
        },
    )
    assert transfer.status_code == 201, transfer.content
    assert transfer.json()["net_amount"] == {"amount": "1849999.7500", "currency": "KZT"}
    assert _get(officer, url).json()["status"] == AssetStatus.SHARED_OR_RETURNED


def test_partial_execution_is_reported_by_the_executing_side(world: World) -> None:
    url = f"{BASE}/orders/{world.freezing.public_id}/execution"
    response = _post(
        world.personas.requested_officer,
        url,
        {"execution": "partial", "amount": "90000.00", "note": "More found."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == {"amount": "90000.0000", "currency": "USD"}
    missing_amount = _post(world.personas.requested_officer, url, {"execution": "partial"})
    assert "amount" in _fields(missing_amount)


# ---------------------------------------------------------------------------- field errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identifier": "KZ00125KZT5004100100"}, "identifier"),  # check digits wrong
        ({"currency": "XYZ"}, "currency"),
        ({"estimated_value": "-5"}, "estimated_value"),
        ({"estimated_value": "12.34567"}, "estimated_value"),
        ({"location_state": "XXX"}, "location_state"),
        ({"kind": "spaceship"}, "kind"),
        ({"valuation_date": "2026-02-30"}, "valuation_date"),
    ],
)
def test_bad_asset_fields_are_named_and_nothing_is_saved(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    response = _post(world.personas.requesting_officer, BASE, _asset_body(world, **overrides))
    assert field in _fields(response)
    assert Asset.objects.count() == 2


def test_every_bad_field_comes_back_at_once(world: World) -> None:
    body = _asset_body(world, location_state="XXX", currency="XYZ", estimated_value="-1")
    fields = _fields(_post(world.personas.requesting_officer, BASE, body))
    assert {"location_state", "currency", "estimated_value"} <= set(fields)
    assert fields["location_state"] == ["XXX is not an ISO 3166 alpha-3 code of a known state."]


def test_field_errors_speak_the_users_language(world: World) -> None:
    body = _asset_body(world, location_state="", estimated_value="-5")
    response = _post(world.personas.requesting_officer, BASE, body, language="ru")
    fields = _fields(response)
    assert fields["location_state"] == ["Обязательное поле."]
    with translation.override("ru"):
        expected = translation.gettext("An amount cannot be negative.")
    assert fields["estimated_value"] == [expected]
    english = _fields(_post(world.personas.requesting_officer, BASE, body, language="en"))
    assert english["location_state"] == ["This field is required."]


def test_an_expiry_before_the_order_date_is_refused(world: World) -> None:
    url = f"{BASE}/{world.account.public_id}/orders"
    body = _order_body(order_date="2026-10-01", expiry_date="2026-09-01")
    fields = _fields(_post(world.personas.requested_officer, url, body))
    assert fields["expiry_date"] == ["The expiry date must be after the order date."]
    bad = _post(
        world.personas.requested_officer, url, _order_body(issuing_state="ZZZ", amount="-1")
    )
    assert {"issuing_state", "amount"} <= set(_fields(bad))
    assert world.account.orders.count() == 1


def test_a_renewal_must_extend_the_expiry(world: World) -> None:
    url = f"{BASE}/orders/{world.freezing.public_id}/renewals"
    body = {"new_expiry": "2026-12-01", "renewed_on": "2026-11-01"}
    assert "new_expiry" in _fields(_post(world.personas.requested_officer, url, body))


def test_a_holder_of_another_case_is_refused(world: World) -> None:
    url = f"{BASE}/{world.account.public_id}/holders"
    fields = _fields(_post(world.personas.requesting_officer, url, {"role": "owner"}))
    assert "party" in fields
    nameless = {"role": "owner", "new_party": {"kind": "person", "name": " ", "state": "QQQ"}}
    fields = _fields(_post(world.personas.requesting_officer, url, nameless))
    assert "new_party.state" in fields
    fields = _fields(
        _post(
            world.personas.requesting_officer,
            url,
            {"role": "owner", "new_party": {"kind": "person", "name": " "}, "share": "101"},
        )
    )
    assert {"new_party.name", "share"} <= set(fields)


def test_a_status_outside_the_flow_is_refused(world: World) -> None:
    url = f"{BASE}/{world.account.public_id}/status"
    fields = _fields(
        _post(world.personas.requesting_officer, url, {"status": "identified", "reason": ""})
    )
    assert {"status", "reason"} <= set(fields)
    closed = _post(
        world.personas.requesting_officer, url, {"status": "closed", "reason": "Case closed."}
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


def test_bad_agreements_and_transfers_name_their_fields(world: World) -> None:
    officer = world.personas.requesting_officer
    url = f"{BASE}/cases/{world.case.public_id}/agreements"
    body = {**_agreement_body(), "receiving_state": "KAZ", "kind": "sharing", "basis": "x"}
    fields = _fields(_post(officer, url, body))
    assert {"receiving_state", "receiving_share", "basis"} <= set(fields)
    fields = _fields(_post(officer, url, {**_agreement_body(), "transferring_state": "Q"}))
    assert set(fields) == {"transferring_state"}
    created = _post(officer, url, _agreement_body()).json()
    transfers = f"{BASE}/agreements/{created['id']}/transfers"
    bad = {"transferred_on": "2026-11-01", "gross_amount": "10", "expenses": "20", "currency": "X"}
    fields = _fields(_post(officer, transfers, bad))
    assert {"transferred_on", "expenses", "currency"} <= set(fields)
    foreign = {**bad, "asset": str(world.other_asset.public_id)}
    assert set(_fields(_post(officer, transfers, foreign))) == {"asset"}
    assert _post(world.personas.outsider, transfers, bad).status_code == 404


# ---------------------------------------------------------------------------- ledger, rates


def test_the_case_ledger_converts_and_is_audited(world: World) -> None:
    rate("USD", "KZT", "500.00")
    url = f"{BASE}/cases/{world.case.public_id}/ledger?currency=KZT&as_of={TODAY.isoformat()}"
    response = _get(world.personas.requesting_officer, url)
    assert response.status_code == 200, response.content
    ledger = response.json()
    assert ledger["currency"] == "KZT"
    traced, frozen = ledger["totals"]["traced"], ledger["totals"]["frozen"]
    assert traced["by_currency"] == [{"amount": "125000.0000", "currency": "USD"}]
    assert traced["converted"] == {"amount": "62500000.00", "currency": "KZT"}
    assert frozen["converted"] == {"amount": "40000000.00", "currency": "KZT"}
    assert frozen["count"] == 1 and ledger["totals"]["confiscated"]["count"] == 0
    assert ledger["rates"][0]["rate"] == "500.0000000000"
    assert ledger["rows"][0]["asset"] == str(world.account.public_id)
    assert ledger["rows"][0]["stages"]["frozen"][0]["amount"]["amount"] == "80000.0000"
    assert AuditEvent.objects.filter(code=Code.ASSET_LEDGER_VIEWED).count() == 1
    no_rate = _get(world.personas.requesting_officer, url.replace("KZT", "EUR")).json()
    assert no_rate["complete"] is False
    assert no_rate["totals"]["traced"]["unconverted"][0]["currency"] == "USD"
    fields = _fields(_get(world.personas.requesting_officer, url.replace("KZT", "ABC")))
    assert "currency" in fields


def test_the_region_ledger_groups_by_pair_of_states(world: World) -> None:
    response = _get(world.personas.requesting_officer, f"{BASE}/ledger?currency=USD")
    assert response.status_code == 200
    body = response.json()
    assert [g["key"] for g in body["pairs"]] == ["KAZ-KGZ"]
    assert body["whole"]["totals"]["traced"]["converted"] == {
        "amount": "125000.00",
        "currency": "USD",
    }
    outsider = _get(world.personas.outsider, f"{BASE}/ledger").json()
    assert outsider["pairs"] == [] and outsider["whole"]["rows"] == []


def test_rates_are_kept_by_coordinators(world: World) -> None:
    body = {
        "currency": "KGS",
        "quote": "USD",
        "rate": "0.0114",
        "rate_date": "2026-11-27",
        "source": "National Bank of the Kyrgyz Republic",
    }
    assert _post(world.personas.requesting_officer, f"{BASE}/rates", body).status_code == 403
    created = _post(world.personas.coordinator, f"{BASE}/rates", body)
    assert created.status_code == 201, created.content
    assert created.json()["rate"] == "0.0114000000"
    listed = _get(world.personas.outsider, f"{BASE}/rates").json()
    assert [(r["currency"], r["quote"]) for r in listed["items"]] == [("KGS", "USD")]
    bad = {**body, "currency": "QQQ", "rate": "-1", "source": ""}
    fields = _fields(_post(world.personas.coordinator, f"{BASE}/rates", bad))
    assert {"currency", "rate", "source"} <= set(fields)
    assert ExchangeRate.objects.count() == 1


# ---------------------------------------------------------------------------- expiry, export


def test_expiring_lists_the_orders_the_user_sees(world: World) -> None:
    url = f"{BASE}/expiring?days=30&as_of=2026-11-28"
    body = _get(world.personas.requesting_officer, url).json()
    assert body["as_of"] == "2026-11-28" and body["days"] == 30
    [order] = body["orders"]
    assert order["order"] == str(world.freezing.public_id)
    assert order["days_left"] == 22 and order["expired"] is False
    assert order["case"] == world.case.reference
    assert order["request"] == world.request.reference
    assert _get(world.personas.requesting_officer, url.replace("30", "10")).json()["orders"] == []
    assert _get(world.personas.outsider, url).json()["orders"] == []
    late = _get(world.personas.requested_officer, f"{BASE}/expiring?as_of=2027-01-05").json()
    assert late["orders"][0]["expired"] is True and late["orders"][0]["days_left"] == -16


def test_the_ftm_export_over_the_api(world: World) -> None:
    response = _get(world.personas.requesting_officer, f"{BASE}/cases/{world.case.public_id}/ftm")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["case"] == world.case.reference
    assert [e["schema"] for e in body["entities"]] == ["BankAccount"]
    assert AuditEvent.objects.filter(code=Code.ASSETS_EXPORTED).count() == 1
    other = f"{BASE}/cases/{world.other_asset.case.public_id}/ftm"
    assert _get(world.personas.requesting_officer, other).status_code == 404


def test_the_operations_are_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert {
        BASE,
        f"{BASE}/{{id}}",
        f"{BASE}/{{id}}/status",
        f"{BASE}/{{id}}/holders",
        f"{BASE}/{{id}}/orders",
        f"{BASE}/orders/{{id}}/execution",
        f"{BASE}/orders/{{id}}/renewals",
        f"{BASE}/cases/{{id}}/ledger",
        f"{BASE}/ledger",
        f"{BASE}/cases/{{id}}/agreements",
        f"{BASE}/agreements/{{id}}/transfers",
        f"{BASE}/rates",
        f"{BASE}/expiring",
        f"{BASE}/cases/{{id}}/ftm",
    } == paths
    for path in paths:
        for method, operation in schema["paths"][path].items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert {"401", "404"} <= set(operation["responses"]), (method, path)
            assert operation["description"], (method, path)
    money = schema["components"]["schemas"]["MoneyOut"]["properties"]
    assert money["amount"]["type"] == "string"
