"""`comity assets`: expiring orders (with time travel), the FtM export, the rate table."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from comity.accounts.models import Role
from comity.assets import services
from comity.assets.models import ExchangeRate
from comity.assets.tests.world import World, freezing_data, state
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from tests.personas import make_user

pytestmark = pytest.mark.django_db

KEYS = {
    "order",
    "kind",
    "reference",
    "issuing_state",
    "issuing_authority",
    "expiry_date",
    "days_left",
    "expired",
    "asset",
    "asset_kind",
    "identifier",
    "location_state",
    "case",
    "case_authority",
    "request",
}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("assets", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _expiring(*args: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_run("expiring", "--json", *args))
    return value


def test_the_json_shape_is_stable(world: World) -> None:
    listing = _expiring("--days", "30", "--as-of", "2026-11-28")
    assert set(listing) == {"as_of", "days", "orders"}
    assert listing["as_of"] == "2026-11-28" and listing["days"] == 30
    [order] = listing["orders"]
    assert set(order) == KEYS
    assert order == {
        "order": str(world.freezing.public_id),
        "kind": "freezing",
        "reference": "FR-2026-77",
        "issuing_state": "KGZ",
        "issuing_authority": "Pervomaisky District Court, Bishkek",
        "expiry_date": "2026-12-20",
        "days_left": 22,
        "expired": False,
        "asset": str(world.account.public_id),
        "asset_kind": "bank_account",
        "identifier": "1240020000123456",
        "location_state": "KGZ",
        "case": world.case.reference,
        "case_authority": "kaz-gpo",
        "request": world.request.reference,
    }


def test_time_travel_moves_an_order_into_and_out_of_the_window(world: World) -> None:
    # Ten days before the expiry of 2026-12-20.
    within = _expiring("--days", "30", "--as-of", "2026-12-10")["orders"]
    assert [(o["order"], o["days_left"]) for o in within] == [(str(world.freezing.public_id), 10)]
    assert _expiring("--days", "5", "--as-of", "2026-12-10")["orders"] == []
    on_the_day = _expiring("--days", "0", "--as-of", "2026-12-20")["orders"]
    assert on_the_day[0]["days_left"] == 0 and on_the_day[0]["expired"] is False
    after = _expiring("--days", "5", "--as-of", "2026-12-23")["orders"]
    assert after[0]["days_left"] == -3 and after[0]["expired"] is True


def test_the_list_is_node_wide_and_soonest_first(world: World) -> None:
    # An order of another authority, on its own asset: the operator sees every order.
    uzbek = make_user("uzb.officer", "uzb-gpo", Role.OFFICER)
    other = services.order_record(
        user=uzbek,
        asset=world.other_asset,
        data=freezing_data(
            kind="seizure",
            reference="S-1",
            issuing_state=state("KAZ"),
            expiry_date=datetime.date(2026, 12, 5),
            execution="executed",
            requested_amount=None,
            amount=None,
            currency="",
        ),
    )
    listing = _expiring("--as-of", "2026-11-28")
    assert listing["days"] == 30  # the default
    orders = listing["orders"]
    assert [o["order"] for o in orders] == [str(other.public_id), str(world.freezing.public_id)]
    assert orders[0]["case_authority"] == "uzb-gpo" and orders[0]["request"] is None


def test_lifted_orders_and_released_assets_are_not_watched(world: World) -> None:
    services.order_report_execution(
        user=world.personas.requested_officer, order=world.freezing, execution="lifted"
    )
    assert _expiring("--as-of", "2026-12-10")["orders"] == []


def test_the_text_listing_flags_expired_orders(world: World) -> None:
    text = _run("expiring", "--days", "5", "--as-of", "2026-12-23")
    assert "EXPIRED 3d ago" in text and "FR-2026-77" in text
    assert "No order" in _run("expiring", "--days", "5", "--as-of", "2026-11-01")


def test_expiring_refuses_a_bad_date_or_negative_days(world: World) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("expiring", "--as-of", "28.11.2026")
    with pytest.raises(CommandError, match="--days"):
        _run("expiring", "--days", "-1")


def test_export_ftm_by_reference_or_id(world: World, tmp_path: Path) -> None:
    case = world.case
    by_reference = _run("export-ftm", f"kaz-gpo:{case.reference}")
    lines = [json.loads(line) for line in by_reference.splitlines()]
    assert [e["schema"] for e in lines] == ["BankAccount"]
    target = tmp_path / "case.jsonl"
    _run("export-ftm", str(case.public_id), "--output", str(target))
    assert target.read_text(encoding="utf-8") == by_reference
    audits = AuditEvent.objects.filter(code=Code.ASSETS_EXPORTED)
    assert audits.count() == 2 and audits.first() is not None
    assert {a.details["via"] for a in audits} == {"command line"}
    with pytest.raises(CommandError, match="No case"):
        _run("export-ftm", f"kgz-gpo:{case.reference}")
    with pytest.raises(CommandError, match="AUTHORITY_KEY:REFERENCE"):
        _run("export-ftm", "not-an-id")


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rates.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rates_import_and_list(reference: None, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "currency,quote,rate,rate_date,source,sample\n"
        "USD,KZT,520.15,2026-11-27,National Bank of Kazakhstan,\n"
        "kgs,usd,0.0114,2026-11-27,National Bank of the Kyrgyz Republic,true\n",
    )
    assert "2 rates imported" in _run("rates", "--import", str(path))
    rows = {(r.currency, r.quote): r for r in ExchangeRate.objects.all()}
    assert rows["USD", "KZT"].rate == Decimal("520.15") and not rows["USD", "KZT"].sample
    assert rows["KGS", "USD"].sample is True
    listed = _run("rates", "--list").splitlines()
    assert listed[0].split("\t")[:4] == ["KGS", "USD", "0.0114000000", "2026-11-27"]
    assert listed[0].endswith("\tsample")
    assert AuditEvent.objects.filter(code=Code.EXCHANGE_RATE_RECORDED).count() == 2


def test_rates_import_is_all_or_nothing(reference: None, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "currency,quote,rate,rate_date,source\n"
        "USD,KZT,520.15,2026-11-27,National Bank of Kazakhstan\n"
        "XYZ,KZT,1,2026-11-27,Somewhere\n"
        "EUR,KZT,-3,27.11.2026,\n",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("assets", "rates", "--import", str(path), stdout=io.StringIO(), stderr=err)
    messages = err.getvalue()
    assert "rates.csv:3: currency: XYZ is not an ISO 4217 currency code." in messages
    assert "rates.csv:4: rate_date:" in messages
    assert ExchangeRate.objects.count() == 0
    assert not AuditEvent.objects.filter(code=Code.EXCHANGE_RATE_RECORDED).exists()


def test_rates_import_checks_the_header(reference: None, tmp_path: Path) -> None:
    path = _csv(tmp_path, "currency,quote,rate\nUSD,KZT,1\n")
    with pytest.raises(CommandError, match="rate_date, source"):
        _run("rates", "--import", str(path))
    with pytest.raises(CommandError, match="No such file"):
        _run("rates", "--import", str(tmp_path / "missing.csv"))
