"""The asset ledger in a real browser.

Kazakhstan's GPO has sent Kyrgyzstan a request to freeze a bank account. Kyrgyzstan's
officer opens the request, records the account (first with a mistyped currency, which the
form refuses beside the field), then the freezing order: only 8,000,000 of the 10,000,000
som were found, and the order lapses in twelve days, so the asset page warns. The court
later confiscates 7,600,000 som; the two states agree on a return and the first instalment
goes back with the costs deducted. The case's ledger shows the totals in US dollars and in
tenge, each checked against the figures worked out by hand below. The Kazakh officer sees
the same warning on their side and reads the ledger in Persian, right to left. axe-core
checks the forms, the asset page and the ledger.

Rates (set through the service, dated three days ago): 1 USD = 87.45 KGS, 1 USD = 512.30
KZT; som convert to tenge through the dollar. Each converted amount is rounded once to
cents, half to even (comity/assets/money.py):

    stage        KGS             USD = KGS / 87.45    KZT = KGS / 87.45 x 512.30
    traced       10,000,000.00   114,351.06           58,582,046.88
    frozen        8,000,000.00    91,480.85           46,865,637.51
    confiscated   7,600,000.00    86,906.80           44,522,355.63
    returned      3,648,000.00    41,715.27           21,370,730.70

(returned: 3,800,000 gross less 152,000 expenses.)
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from comity.assets import services
from comity.assets.models import Asset, AssetStatus, Order, Transfer
from tests.builders import submitted
from tests.e2e.conftest import assert_accessible, axe_violations, sign_in, sign_out
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "1031200012345678"
EXPIRES_IN = 12
# Worked out by hand above: stage -> (total in USD, total in KZT).
EXPECTED = {
    "traced": ("114,351.06 USD", "58,582,046.88 KZT"),
    "frozen": ("91,480.85 USD", "46,865,637.51 KZT"),
    "confiscated": ("86,906.80 USD", "44,522,355.63 KZT"),
    "returned": ("41,715.27 USD", "21,370,730.70 KZT"),
}
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _save(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post]").get_by_role("button", name="Save").click()


def _field(page: Page, name: str) -> Locator:
    """A form control by its name, for labels that another label contains ("Reference")."""
    return page.locator(f"main form [name={name}]")


def _ledger_cell(page: Page, stage: str) -> Locator:
    return page.locator(f"[data-testid=ledger] tfoot td[data-stage={stage}]")


def _set_rates(personas: Personas) -> None:
    day = timezone.localdate() - datetime.timedelta(days=3)
    for quote, rate in (("KGS", "87.4500"), ("KZT", "512.3000")):
        services.rate_set(
            user=personas.coordinator,
            currency="USD",
            quote=quote,
            rate=Decimal(rate),
            rate_date=day,
            source="Fixed rates of this test",
        )


def _record_the_account(page: Page) -> None:
    page.get_by_role("link", name="Record an asset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an asset")
    page.get_by_label("Kind of asset").select_option("bank_account")
    expect(page.get_by_label("State where the asset is")).to_have_value("KGZ")
    page.get_by_label("Identifier").fill(ACCOUNT)
    page.get_by_label("Bank, registry or issuer").fill("Bank X, Osh branch")
    page.get_by_label("Description").fill("Current account in som")
    page.get_by_label("Estimated value").fill("10 000 000")
    _field(page, "currency").fill("KGX")
    page.get_by_label("Valuation date").fill(_day(-30))
    assert_accessible(page)
    _save(page)
    expect(page.locator("#id_currency_error")).to_contain_text("KGX is not an ISO 4217")
    _field(page, "currency").fill("KGS")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACCOUNT)


def _record_order(page: Page, fields: dict[str, str]) -> None:
    page.get_by_role("link", name="Record an order").click()
    for name, value in fields.items():
        control = _field(page, name)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    _save(page)


def _freeze_confiscate_and_return(page: Page, reference: str) -> None:
    _record_order(
        page,
        {
            "kind": "freezing",
            "execution": "partial",
            "issuing_authority": "Osh City Court",
            "legal_basis": "1988 Convention art. 5(4)(b)",
            "reference": "3-1450/2026",
            "order_date": _day(-170),
            "expiry_date": _day(EXPIRES_IN),
            "requested_amount": "10000000",
            "amount": "8000000",
            "currency": "KGS",
            "execution_note": "Only part of the balance was found.",
        },
    )
    warning = page.get_by_test_id("expiry-warning")
    expect(warning).to_contain_text(f"in {EXPIRES_IN} days")
    expect(page.locator("#orders")).to_contain_text(f"{EXPIRES_IN} days left")
    assert_accessible(page)

    _record_order(
        page,
        {
            "kind": "confiscation",
            "confiscation_basis": "conviction",
            "execution": "executed",
            "issuing_authority": "Osh City Court",
            "reference": "3-2210/2026",
            "order_date": _day(-40),
            "amount": "7600000",
            "currency": "KGS",
        },
    )
    expect(page.locator("main h1 .badge")).to_have_text("Confiscated")

    # The return agreement and its first instalment, from the case's page.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Record an agreement").click()
    page.get_by_label("Kind of agreement").select_option("return")
    _field(page, "basis").select_option("bilateral")
    page.get_by_label("Transferring state").select_option("KGZ")
    _field(page, "receiving_state").select_option("KAZ")
    page.get_by_label("Concluded on").fill(_day(-20))
    _field(page, "reference").fill("KGZ-KAZ/R/2026-1")
    _field(page, "terms").fill(
        "The confiscated balance is returned in two instalments, less the reasonable costs."
    )
    assert_accessible(page)
    _save(page)
    page.get_by_role("link", name="Record a transfer").click()
    _field(page, "asset").select_option(label=f"Bank account {ACCOUNT}")
    page.get_by_label("Transferred on").fill(_day(-5))
    page.get_by_label("Gross amount").fill("3,800,000.00")
    page.get_by_label("Expenses deducted").fill("152000")
    _field(page, "currency").fill("KGS")
    _save(page)
    expect(page.locator("#agreements tbody")).to_contain_text("3,648,000.00 KGS")


def _check_the_ledger(page: Page) -> None:
    """The case page's ledger in US dollars (the default), then in tenge."""
    for stage, (usd, _kzt) in EXPECTED.items():
        expect(_ledger_cell(page, stage)).to_contain_text("1 asset")
        expect(_ledger_cell(page, stage)).to_contain_text(usd)
    expect(_ledger_cell(page, "realised")).not_to_contain_text("asset")
    expect(page.get_by_test_id("by-currency")).to_contain_text("10,000,000.00 KGS")
    expect(page.get_by_test_id("rates-used")).to_contain_text("Fixed rates of this test")
    expect(page.get_by_test_id("unconverted")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Reporting currency", exact=True).select_option("KZT")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    for stage, (_usd, kzt) in EXPECTED.items():
        expect(_ledger_cell(page, stage)).to_contain_text(kzt)
    expect(page.get_by_test_id("rates-used")).to_contain_text("KGS → USD → KZT")
    assert_accessible(page)

    # Each figure leads to the asset behind it.
    _ledger_cell(page, "returned").get_by_role("link").click()
    drill = page.get_by_test_id("drill")
    expect(drill).to_contain_text("3,648,000.00 KGS")
    expect(drill).to_contain_text(EXPECTED["returned"][1])


def _check_persian_ledger(page: Page, url: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="فارسی").click()
    page.goto(url)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    wide, seen = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide <= seen + 1, f"the ledger scrolls sideways ({wide} > {seen})"
    # Amounts in Persian digits; the figures are those above.
    traced = _ledger_cell(page, "traced").inner_text()
    assert any(digit in traced for digit in PERSIAN_DIGITS), traced
    western = traced.translate(str.maketrans(PERSIAN_DIGITS, "0123456789"))
    assert re.search(r"114\D351\D06", western), traced
    violations = axe_violations(page)
    assert not violations, violations


def test_an_officer_follows_a_frozen_account_to_a_partial_return(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    request = submitted(personas.requesting_officer, type="freezing")  # KAZ -> KGZ
    _set_rates(personas)
    case_url = base + reverse("assets:case", kwargs={"id": request.case.public_id})

    sign_in(page, base, personas.requested_officer.username, PASSWORD)
    page.goto(base + reverse("cooperation:detail", kwargs={"id": request.public_id}))
    _record_the_account(page)
    asset = Asset.objects.get(case=request.case)
    assert (asset.request, asset.currency, asset.estimated_value) == (
        request,
        "KGS",
        Decimal("10000000"),
    )
    _freeze_confiscate_and_return(page, request.case.reference)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SHARED_OR_RETURNED
    freezing = Order.objects.get(asset=asset, kind="freezing")
    assert (freezing.execution, freezing.amount) == ("partial", Decimal("8000000"))
    assert Transfer.objects.get(asset=asset).net_amount == Decimal("3648000")

    page.goto(case_url)
    _check_the_ledger(page)
    sign_out(page)

    # The requesting side sees the same asset, its warning and its ledger.
    sign_in(page, base, personas.requesting_officer.username, PASSWORD)
    page.goto(base + reverse("assets:asset_detail", kwargs={"id": asset.public_id}))
    expect(page.get_by_test_id("expiry-warning")).to_contain_text(f"in {EXPIRES_IN} days")
    _check_persian_ledger(page, case_url)
