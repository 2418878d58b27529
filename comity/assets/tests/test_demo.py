"""The demo asset ledger: built through the services, idempotent, and a ledger whose totals
convert completely with the sample rates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from comity.accounts.models import User
from comity.assets import demo
from comity.assets.ledger import build_ledger, with_ledger_data
from comity.assets.models import (
    Agreement,
    Asset,
    AssetEvent,
    AssetStatus,
    ExchangeRate,
    Holding,
    Order,
    OrderRenewal,
    Party,
    Transfer,
)
from comity.assets.tasks import watched_orders
from comity.cooperation.demo import DemoResult, demo_users
from comity.cooperation.models import Request

pytestmark = pytest.mark.django_db

COUNTED = (
    Asset,
    AssetEvent,
    Order,
    OrderRenewal,
    Party,
    Holding,
    Agreement,
    Transfer,
    ExchangeRate,
    Request,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def people(reference: None) -> dict[str, User]:
    return demo_users(DemoResult())


def test_building_twice_adds_nothing(people: dict[str, User]) -> None:
    first = demo.assets_demo(people)
    after_first = _counts()
    second = demo.assets_demo(people)
    assert first.assets_created == 5
    assert first.rates_created > 0
    assert (second.assets_created, second.rates_created) == (0, 0)
    assert _counts() == after_first
    assert second.case == first.case


def test_the_case_ledger_spans_states_currencies_and_stages(people: dict[str, User]) -> None:
    case = demo.assets_demo(people).case
    assert case is not None
    assets = list(Asset.objects.filter(case=case))
    assert len({a.status for a in assets}) >= 3
    assert len({a.currency for a in assets}) >= 3
    assert len({a.location_state_id for a in assets}) >= 3
    assert {a.status for a in assets} >= {
        AssetStatus.FROZEN,
        AssetStatus.SHARED_OR_RETURNED,
        AssetStatus.TRACING_REQUEST,
    }
    ledger = build_ledger(
        with_ledger_data(Asset.objects.filter(case=case)),
        reporting="USD",
        as_of=timezone.localdate(),
    )
    for stage in ("traced", "frozen", "confiscated", "realised", "returned"):
        assert ledger.totals[stage].count >= 1, stage
    assert ledger.complete
    assert ledger.sample_rates
    # The return is what was transferred net of expenses: 800,000,000 - 42,500,000 sum.
    assert ledger.totals["returned"].by_currency == {"UZS": Decimal("757500000.0000")}


def test_an_order_expires_within_thirty_days_and_one_was_renewed(
    people: dict[str, User],
) -> None:
    case = demo.assets_demo(people).case
    today = timezone.localdate()
    expiring = [o for o in watched_orders(today=today, days=30) if o.asset.case == case]
    assert expiring
    assert all(o.expiry_date and o.expiry_date >= today for o in expiring)
    assert any(
        o.expiry_date and o.expiry_date <= today + datetime.timedelta(days=14) for o in expiring
    )
    renewal = OrderRenewal.objects.get(order__asset__case=case)
    assert renewal.new_expiry > today > renewal.previous_expiry


def test_orders_are_recorded_by_the_requested_sides(people: dict[str, User]) -> None:
    case = demo.assets_demo(people).case
    for order in Order.objects.filter(asset__case=case).select_related("asset"):
        assert order.recorded_by_authority.state == order.asset.location_state
        assert order.request is not None
        assert order.request.requested_authority == order.recorded_by_authority


def test_the_nominee_and_the_beneficial_owner_are_recorded_apart(
    people: dict[str, User],
) -> None:
    case = demo.assets_demo(people).case
    account = Asset.objects.get(case=case, kind="bank_account")
    roles = dict(account.holdings.values_list("role", "party__name"))
    assert set(roles) == {"nominee", "beneficial_owner"}
    assert roles["nominee"] != roles["beneficial_owner"]
    accused = Party.objects.get(case=case, name=roles["beneficial_owner"])
    assert accused.holdings.count() == 5


def test_the_sample_rates_say_they_are_samples(people: dict[str, User]) -> None:
    demo.assets_demo(people)
    rates = ExchangeRate.objects.all()
    with demo.SAMPLE_RATES.open(encoding="utf-8") as table:
        dates = [line.split(",")[3] for line in table.readlines()[1:]]
    today = timezone.localdate()
    assert rates.count() == sum(datetime.date.fromisoformat(d) <= today for d in dates) > 0
    assert all(rate.sample for rate in rates)
    assert all("SAMPLE" in rate.source and "not for real use" in rate.source for rate in rates)
    codes = {rate.quote for rate in rates}
    assert codes == {"EUR", "RUB", "KZT", "KGS", "UZS", "TJS", "PKR", "AFN", "IRR"}


def test_a_real_rate_is_never_overwritten_by_the_sample(people: dict[str, User]) -> None:
    real = ExchangeRate.objects.create(
        currency="USD",
        quote="KGS",
        rate=Decimal("86.9000"),
        rate_date=datetime.date(2026, 1, 1),
        source="National Bank of the Kyrgyz Republic",
    )
    demo.assets_demo(people)
    real.refresh_from_db()
    assert (real.rate, real.sample) == (Decimal("86.9000"), False)
