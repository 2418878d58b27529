"""Ledger totals against figures computed by hand (docs/assets.md, "The ledger")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from comity.assets import services
from comity.assets.ledger import build_ledger, ledger_by_pair, with_ledger_data
from comity.assets.models import Asset
from comity.assets.tests.world import World, account_data, freezing_data, rate, state

AS_OF = datetime.date(2026, 11, 28)


def _flat(world: World) -> Asset:
    """A flat in Bishkek worth 10,000,000 som: seized (no amount: the estimate counts),
    confiscated, sold for 9,500,000 and 4,000,000 returned net."""
    kgz = world.personas.requested_officer
    flat = services.asset_create(
        user=world.personas.requesting_officer,
        case=world.case,
        request=world.request,
        data=account_data(
            kind="real_estate",
            identifier="1-02-03-0004-0005",
            estimated_value=Decimal("10000000"),
            currency="KGS",
        ),
    )
    services.order_record(
        user=kgz,
        asset=flat,
        data=freezing_data(
            kind="seizure", amount=None, requested_amount=None, currency="", execution="executed"
        ),
    )
    services.order_record(
        user=kgz,
        asset=flat,
        data=freezing_data(
            kind="confiscation",
            confiscation_basis="non_conviction",
            amount=None,
            requested_amount=None,
            currency="",
            expiry_date=None,
            execution="executed",
        ),
    )
    services.order_record(
        user=kgz,
        asset=flat,
        data=freezing_data(
            kind="disposal",
            amount=Decimal("9500000"),
            requested_amount=None,
            currency="KGS",
            expiry_date=None,
            execution="partial",
        ),
    )
    agreement = services.agreement_record(
        user=kgz,
        case=world.case,
        data=services.AgreementData(
            kind="return",
            basis="uncac_57_3b",
            transferring_state=state("KGZ"),
            receiving_state=state("KAZ"),
            concluded_on=datetime.date(2026, 10, 1),
            terms="Return less costs",
        ),
    )
    services.transfer_record(
        user=kgz,
        agreement=agreement,
        asset=flat,
        transferred_on=datetime.date(2026, 11, 2),
        gross_amount="4100000",
        expenses="100000",
        currency="KGS",
    )
    return flat


def _ledger(world: World, reporting: str) -> object:
    assets = with_ledger_data(Asset.objects.filter(case=world.case))
    return build_ledger(assets, reporting=reporting, as_of=AS_OF)


def test_totals_in_dollars_and_in_som(world: World) -> None:
    _flat(world)
    rate("USD", "KGS", "87.45", datetime.date(2026, 11, 20))
    usd = _ledger(world, "USD")
    counts = {stage: total.count for stage, total in usd.totals.items()}  # type: ignore[attr-defined]
    assert counts == {"traced": 2, "frozen": 2, "confiscated": 1, "realised": 1, "returned": 1}
    converted = {stage: total.converted for stage, total in usd.totals.items()}  # type: ignore[attr-defined]
    # 10,000,000 / 87.45 = 114,351.0577... -> 114,351.06; 9,500,000 -> 108,633.50;
    # 4,000,000 -> 45,740.42 (half to even at the cent).
    assert converted == {
        "traced": Decimal("239351.06"),
        "frozen": Decimal("194351.06"),
        "confiscated": Decimal("114351.06"),
        "realised": Decimal("108633.50"),
        "returned": Decimal("45740.42"),
    }
    frozen = usd.totals["frozen"]  # type: ignore[attr-defined]
    assert frozen.by_currency == {"USD": Decimal("80000.00"), "KGS": Decimal("10000000")}
    assert frozen.rates["KGS"].rate_date == datetime.date(2026, 11, 20)
    kgs = _ledger(world, "KGS")
    assert kgs.totals["traced"].converted == Decimal("20931250.00")  # type: ignore[attr-defined]
    assert kgs.totals["frozen"].converted == Decimal("16996000.00")  # type: ignore[attr-defined]
    assert kgs.complete  # type: ignore[attr-defined]


def test_every_total_traces_to_its_rows(world: World) -> None:
    _flat(world)
    rate("USD", "KGS", "87.45", datetime.date(2026, 11, 20))
    ledger = _ledger(world, "USD")
    for stage, total in ledger.totals.items():  # type: ignore[attr-defined]
        rows = [
            entry.converted.amount
            for row in ledger.rows  # type: ignore[attr-defined]
            for entry in row.stages.get(stage, [])
            if entry.converted is not None
        ]
        assert sum(rows, Decimal(0)) == total.converted


def test_an_amount_without_a_rate_stays_apart(world: World) -> None:
    services.asset_create(
        user=world.personas.requesting_officer,
        case=world.case,
        data=account_data(
            kind="cash",
            identifier="",
            description="Cash in a safe",
            location_state=state("TJK"),
            estimated_value="250000",
            currency="TJS",
        ),
    )
    ledger = _ledger(world, "USD")
    traced = ledger.totals["traced"]  # type: ignore[attr-defined]
    assert traced.unconverted == {"TJS": Decimal("250000")}
    assert traced.converted == Decimal("125000.00")
    assert not ledger.complete  # type: ignore[attr-defined]


def test_empty_ledger_and_groups_by_state_pair(world: World) -> None:
    empty = build_ledger([], reporting="USD", as_of=AS_OF)
    assert all(t.count == 0 and t.converted == 0 for t in empty.totals.values())
    services.asset_create(
        user=world.personas.requesting_officer,
        case=world.case,
        data=account_data(
            identifier=world.account.identifier.replace("1", "2"),
            location_state=state("UZB"),
            estimated_value="1000",
            currency="USD",
        ),
    )
    whole, groups = ledger_by_pair(
        with_ledger_data(Asset.objects.filter(case=world.case)), reporting="USD", as_of=AS_OF
    )
    assert [g.key for g in groups] == ["KAZ-KGZ", "KAZ-UZB"]
    assert whole.totals["traced"].converted == Decimal("126000.00")
    assert groups[1].ledger.totals["traced"].converted == Decimal("1000.00")
    assert groups[0].ledger.totals["frozen"].converted == Decimal("80000.00")
