"""A small asset world for tests, built through the real services.

Kazakhstan's GPO (``personas.requesting_officer``) sends a freezing request to Kyrgyzstan
(``personas.requested_officer``); the Kazakh side records a bank account in Kyrgyzstan on
the request; the Kyrgyz side records the freezing order it executed. Tajikistan's GPO
(``personas.outsider``) sees none of it. A second case of Uzbekistan's GPO (the
coordinator's authority) with an asset in Kazakhstan is "another authority's" asset.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from comity.assets import services
from comity.assets.models import Asset, ExchangeRate, Order
from comity.cooperation.models import Case, Request
from comity.directory.models import State
from tests.builders import submitted
from tests.personas import Personas

TODAY = datetime.date(2026, 11, 28)
KZ_IBAN = "KZ86125KZT5004100100"


@dataclass
class World:
    personas: Personas
    request: Request
    case: Case
    account: Asset
    freezing: Order
    other_asset: Asset


def state(iso3: str) -> State:
    return State.objects.get(iso3=iso3)


def account_data(**overrides: object) -> services.AssetData:
    data = services.AssetData(
        kind="bank_account",
        location_state=state("KGZ"),
        identifier="1240020000123456",
        institution="Bank X, Osh branch",
        estimated_value=Decimal("125000.00"),
        currency="USD",
        valuation_date=datetime.date(2026, 2, 1),
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def freezing_data(**overrides: object) -> services.OrderData:
    data = services.OrderData(
        kind="freezing",
        issuing_state=state("KGZ"),
        issuing_authority="Pervomaisky District Court, Bishkek",
        legal_basis="UNCAC art. 54(2)(a); Criminal Procedure Code art. 125",
        reference="FR-2026-77",
        order_date=datetime.date(2026, 3, 1),
        expiry_date=datetime.date(2026, 12, 20),
        execution="partial",
        requested_amount=Decimal("125000.00"),
        amount=Decimal("80000.00"),
        currency="USD",
        execution_note="Only part of the balance was found.",
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def rate(currency: str, quote: str, value: str, day: datetime.date = TODAY) -> ExchangeRate:
    return ExchangeRate.objects.create(
        currency=currency,
        quote=quote,
        rate=Decimal(value),
        rate_date=day,
        source="Test rates",
    )


def build_world(personas: Personas) -> World:
    request = submitted(personas.requesting_officer, type="freezing")
    case = request.case
    account = services.asset_create(
        user=personas.requesting_officer, case=case, request=request, data=account_data()
    )
    freezing = services.order_record(
        user=personas.requested_officer,
        asset=account,
        data=freezing_data(request=request),
    )
    account.refresh_from_db()
    uzb_user = personas.coordinator  # an officer of uzb-gpo by authority
    assert uzb_user.authority is not None
    uzb_case = Case.objects.create(
        authority=uzb_user.authority,
        reference="UZ-ASSETS-1",
        title="Another authority's case",
        created_by=uzb_user,
    )
    other = Asset.objects.create(
        case=uzb_case,
        kind="real_estate",
        description="Flat in Almaty",
        location_state=state("KAZ"),
        estimated_value=Decimal("50000000"),
        currency="KZT",
        created_by=uzb_user,
        created_by_authority=uzb_user.authority,
    )
    return World(
        personas=personas,
        request=request,
        case=case,
        account=account,
        freezing=freezing,
        other_asset=other,
    )
