"""Writes of the ledger: field-level errors that change nothing, orders moving the asset,
partial execution, renewals, agreements and transfers, the two timelines and the notices."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comity.assets import services
from comity.assets.models import (
    Asset,
    AssetEvent,
    AssetStatus,
    ExchangeRate,
    Holding,
    Order,
    Transfer,
)
from comity.assets.tests.world import World, account_data, freezing_data, state
from comity.audit.models import AuditEvent
from comity.cooperation.models import Notification, TimelineEvent


def _errors(call: object) -> dict[str, list[str]]:
    with pytest.raises(services.AssetError) as raised:
        call()  # type: ignore[operator]
    return raised.value.errors


def test_asset_field_errors_change_nothing(world: World) -> None:
    before = (Asset.objects.count(), AssetEvent.objects.count(), AuditEvent.objects.count())
    user = world.personas.requesting_officer
    errors = _errors(
        lambda: services.asset_create(
            user=user,
            case=world.case,
            data=account_data(
                identifier="KZ86125KZT5004100101",
                location_state=state("KAZ"),
                estimated_value="-5",
                currency="ABC",
            ),
        )
    )
    assert set(errors) == {"identifier", "estimated_value", "currency"}
    assert "IBAN" in errors["identifier"][0]
    assert errors["estimated_value"] == ["An amount cannot be negative."]
    errors = _errors(
        lambda: services.asset_create(
            user=user, case=world.case, data=account_data(estimated_value="10", currency="ABC")
        )
    )
    assert errors == {"currency": ["ABC is not an ISO 4217 currency code."]}
    errors = _errors(
        lambda: services.asset_create(
            user=user, case=world.case, data=account_data(estimated_value="10", currency="")
        )
    )
    assert errors == {"currency": ["Give the currency of the amount."]}
    after = (Asset.objects.count(), AssetEvent.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_order_errors(world: World) -> None:
    user = world.personas.requested_officer
    errors = _errors(
        lambda: services.order_record(
            user=user,
            asset=world.account,
            data=freezing_data(
                order_date=datetime.date(2026, 3, 1),
                expiry_date=datetime.date(2026, 2, 1),
                kind="confiscation",
                amount=Decimal("-1"),
                currency="USD",
            ),
        )
    )
    assert errors["expiry_date"] == ["The expiry date must be after the order date."]
    assert "confiscation_basis" in errors
    assert errors["amount"] == ["An amount cannot be negative."]
    errors = _errors(
        lambda: services.order_record(
            user=user, asset=world.account, data=freezing_data(amount=None, execution="partial")
        )
    )
    assert "amount" in errors
    assert Order.objects.count() == 1


def test_the_asset_follows_its_orders_and_both_timelines_show_it(world: World) -> None:
    kgz = world.personas.requested_officer
    confiscation = services.order_record(
        user=kgz,
        asset=world.account,
        data=freezing_data(
            kind="confiscation",
            confiscation_basis="conviction",
            execution="requested",
            expiry_date=None,
            amount=None,
            reference="CF-1",
        ),
    )
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.CONFISCATION_REQUESTED
    services.order_report_execution(
        user=kgz, order=confiscation, execution="partial", amount="60000", note="Part only"
    )
    world.account.refresh_from_db()
    confiscation.refresh_from_db()
    assert world.account.status == AssetStatus.CONFISCATED
    assert confiscation.amount == Decimal("60000")
    assert "Part only" in confiscation.execution_note
    statuses = list(
        AssetEvent.objects.filter(asset=world.account, kind="status").values_list(
            "to_status", flat=True
        )
    )
    assert statuses == ["frozen", "confiscation_requested", "confiscated"]
    on_request = TimelineEvent.objects.filter(request=world.request, kind="asset")
    assert on_request.filter(details__to_status="confiscated").exists()


def test_the_other_side_is_notified_of_an_order(world: World) -> None:
    # The Kyrgyz officer recorded the freezing: the Kazakh side hears of it, not Kyrgyzstan.
    notified = set(
        Notification.objects.filter(kind="asset_order").values_list(
            "user__authority__key", flat=True
        )
    )
    assert notified == {"kaz-gpo"}


def test_manual_status_needs_a_reason_and_an_allowed_target(world: World) -> None:
    user = world.personas.requesting_officer
    assert "reason" in _errors(
        lambda: services.asset_set_status(
            user=user, asset=world.account, status="closed", reason=""
        )
    )
    assert "status" in _errors(
        lambda: services.asset_set_status(
            user=user, asset=world.account, status="identified", reason="x"
        )
    )
    services.asset_set_status(
        user=user, asset=world.account, status="released", reason="Court lifted the freeze"
    )
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.RELEASED


def test_renewal_keeps_the_history(world: World) -> None:
    user = world.personas.requested_officer
    assert "new_expiry" in _errors(
        lambda: services.order_renew(
            user=user,
            order=world.freezing,
            new_expiry=datetime.date(2026, 12, 1),
            renewed_on=datetime.date(2026, 11, 20),
        )
    )
    renewal = services.order_renew(
        user=user,
        order=world.freezing,
        new_expiry=datetime.date(2027, 6, 20),
        renewed_on=datetime.date(2026, 11, 20),
        reference="FR-2026-77/2",
    )
    world.freezing.refresh_from_db()
    assert world.freezing.expiry_date == datetime.date(2027, 6, 20)
    assert renewal.previous_expiry == datetime.date(2026, 12, 20)
    assert list(world.freezing.renewals.values_list("new_expiry", flat=True)) == [
        datetime.date(2027, 6, 20)
    ]


def test_holders_nominee_and_beneficial_owner(world: World) -> None:
    user = world.personas.requesting_officer
    nominee = services.holder_add(
        user=user,
        asset=world.account,
        role="nominee",
        new_party=services.PartyData(kind="person", name="Азамат Токтогулов", birth_date="1990"),
    )
    services.holder_add(
        user=user,
        asset=world.account,
        role="beneficial_owner",
        new_party=services.PartyData(kind="person", name="Нурлан Ахметов", birth_date="1984-03"),
    )
    assert "party" in _errors(
        lambda: services.holder_add(
            user=user, asset=world.account, role="nominee", party=nominee.party
        )
    )
    assert "birth_date" in _errors(
        lambda: services.holder_add(
            user=user,
            asset=world.account,
            role="owner",
            new_party=services.PartyData(kind="person", name="X", birth_date="03/1984"),
        )
    )
    assert "share" in _errors(
        lambda: services.holder_add(
            user=user, asset=world.account, role="owner", party=nominee.party, share="120"
        )
    )
    roles = sorted(Holding.objects.filter(asset=world.account).values_list("role", flat=True))
    assert roles == ["beneficial_owner", "nominee"]


def test_agreement_and_transfer_net_of_expenses(world: World) -> None:
    user = world.personas.requested_officer
    data = services.AgreementData(
        kind="return",
        basis="uncac_57_3b",
        transferring_state=state("KGZ"),
        receiving_state=state("KGZ"),
        concluded_on=datetime.date(2026, 10, 1),
        terms="",
    )
    errors = _errors(lambda: services.agreement_record(user=user, case=world.case, data=data))
    assert set(errors) == {"receiving_state", "terms"}
    data.receiving_state = state("KAZ")
    data.terms = "Return of the confiscated balance, less the bank's and the court's costs."
    agreement = services.agreement_record(user=user, case=world.case, data=data)
    assert "expenses" in _errors(
        lambda: services.transfer_record(
            user=user,
            agreement=agreement,
            asset=world.account,
            transferred_on=datetime.date(2026, 11, 1),
            gross_amount="100",
            expenses="150",
            currency="USD",
        )
    )
    assert "transferred_on" in _errors(
        lambda: services.transfer_record(
            user=user,
            agreement=agreement,
            asset=world.account,
            transferred_on=datetime.date(2026, 9, 1),
            gross_amount="100",
            currency="USD",
        )
    )
    transfer = services.transfer_record(
        user=user,
        agreement=agreement,
        asset=world.account,
        transferred_on=datetime.date(2026, 11, 1),
        gross_amount="30000.50",
        expenses="1200.25",
        currency="USD",
    )
    assert transfer.net_amount == Decimal("28800.25")
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.SHARED_OR_RETURNED
    assert Transfer.objects.count() == 1


def test_rates_need_a_source_and_a_positive_value(world: World) -> None:
    coordinator = world.personas.coordinator
    errors = _errors(
        lambda: services.rate_set(
            user=coordinator,
            currency="USD",
            quote="USD",
            rate="0",
            rate_date=datetime.date(2026, 11, 1),
            source="",
        )
    )
    assert set(errors) == {"quote", "rate", "source"}
    row = services.rate_set(
        user=coordinator,
        currency="usd",
        quote="kgs",
        rate="87.45",
        rate_date=datetime.date(2026, 11, 1),
        source="National Bank of the Kyrgyz Republic",
    )
    again = services.rate_set(
        user=coordinator,
        currency="USD",
        quote="KGS",
        rate="87.50",
        rate_date=datetime.date(2026, 11, 1),
        source="National Bank of the Kyrgyz Republic (corrected)",
    )
    assert row.pk == again.pk
    assert ExchangeRate.objects.get().rate == Decimal("87.50")


def test_a_rate_may_have_ten_decimal_places(world: World) -> None:
    row = services.rate_set(
        user=world.personas.coordinator,
        currency="UZS",
        quote="USD",
        rate="0.0000833333",
        rate_date=datetime.date(2026, 11, 1),
        source="Central Bank of Uzbekistan",
    )
    assert row.rate == Decimal("0.0000833333")
    errors = _errors(
        lambda: services.rate_set(
            user=world.personas.coordinator,
            currency="UZS",
            quote="USD",
            rate="0.00008333333",
            rate_date=datetime.date(2026, 11, 1),
            source="x",
        )
    )
    assert errors == {"rate": ["At most 10 decimal places."]}
