"""The asset pages through HTTP: the ledger's figures as the world makes them, each page for
the persona who may see it and 404 for the others, the forms' happy paths and their errors
beside the fields, the audit of every read, and pinned query counts."""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.assets import services
from comity.assets.models import (
    Agreement,
    Asset,
    AssetStatus,
    ExchangeRate,
    Holding,
    Order,
    OrderRenewal,
    Transfer,
)
from comity.assets.tests.world import (
    TODAY,
    World,
    account_data,
    freezing_data,
    rate,
    state,
)
from comity.audit.codes import Code
from comity.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

BAD_IBAN = "KZ86125KZT5004100101"  # the world's IBAN with a wrong check digit


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


def _text(response: Response) -> str:
    return response.content.decode()


def _plain(response: Response) -> str:
    """The page's main text without tags, spaces collapsed."""
    page = _text(response)
    main = page[page.index("<main") : page.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _audits(code: Code) -> int:
    return AuditEvent.objects.filter(code=int(code)).count()


def _cell(response: Response, pair: str, stage: str) -> str:
    """The text of one cell of the ledger table: a pair's row (or "all") and a stage."""
    page = _text(response)
    row = re.search(rf'<tr[^>]*data-pair="{pair}">(.*?)</tr>', page, re.S)
    assert row is not None, pair
    cell = re.search(rf'<td[^>]*data-stage="{stage}">(.*?)</td>', row.group(1), re.S)
    assert cell is not None, stage
    return " ".join(re.sub(r"<[^>]+>", " ", cell.group(1)).split())


def _home(query: str = "") -> str:
    return reverse("assets:home") + query


def _case(world: World) -> str:
    return reverse("assets:case", kwargs={"id": world.case.public_id})


def _asset(asset: Asset, action: str = "") -> str:
    name = f"assets:{action}" if action else "assets:asset_detail"
    return reverse(name, kwargs={"id": asset.public_id})


def _order(order: Order, action: str) -> str:
    return reverse(f"assets:{action}", kwargs={"id": order.public_id})


def _same_page(one: Response, other: Response) -> bool:
    """Two pages alike but for their CSRF token and the address the language form returns to."""
    token = re.compile(r'"X-CSRFToken": "[^"]*"|name="(csrfmiddlewaretoken|next)" value="[^"]*"')
    return token.sub("", _text(one)) == token.sub("", _text(other))


def _field_error(response: Response, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">([^<]*)<', _text(response))
    return found.group(1) if found else ""


# --- the region's ledger -------------------------------------------------------------------


def test_the_ledger_shows_the_traced_and_frozen_amounts_of_the_world(world: World) -> None:
    before = _audits(Code.ASSET_LEDGER_VIEWED)
    response = client_for(world.personas.requesting_officer).get(_home())
    assert response.status_code == 200
    assert _cell(response, "KAZ-KGZ", "traced") == "1 asset 125,000.00 USD"
    assert _cell(response, "KAZ-KGZ", "frozen") == "1 asset 80,000.00 USD"
    assert _cell(response, "all", "frozen") == "1 asset 80,000.00 USD"
    assert _cell(response, "all", "confiscated") == "— none"
    assert _audits(Code.ASSET_LEDGER_VIEWED) == before + 1


def test_the_requested_side_sees_the_same_figures(world: World) -> None:
    response = client_for(world.personas.requested_officer).get(_home())
    assert _cell(response, "KAZ-KGZ", "frozen") == "1 asset 80,000.00 USD"


def test_an_outsider_sees_an_empty_ledger(world: World) -> None:
    response = client_for(world.personas.outsider).get(_home())
    assert response.status_code == 200
    assert 'data-pair="KAZ-KGZ"' not in _text(response)
    assert _cell(response, "all", "traced") == "— none"


def test_the_ledger_is_closed_to_users_who_are_not_caseworkers(world: World) -> None:
    assert client_for(world.personas.coordinator).get(_home()).status_code == 403
    assert Client().get(_home()).status_code == 302  # to the sign-in page


def test_a_drill_down_lists_the_assets_behind_a_figure(world: World) -> None:
    response = client_for(world.personas.requesting_officer).get(
        _home("?currency=USD&pair=KAZ-KGZ&stage=frozen")
    )
    drill = _text(response).split('data-testid="drill"')[1]
    assert _asset(world.account) in drill
    assert "80,000.00 USD" in drill
    assert "Behind the figure: Frozen or seized, KAZ → KGZ" in _plain(response)
    traced = client_for(world.personas.requesting_officer).get(_home("?pair=all&stage=realised"))
    assert "No asset reached this stage." in _plain(traced)


def test_each_figure_links_to_its_drill_down(world: World) -> None:
    page = _text(client_for(world.personas.requesting_officer).get(_home()))
    assert "pair=KAZ-KGZ&amp;stage=frozen#drill" in page
    assert "pair=all&amp;stage=traced#drill" in page


def test_totals_convert_into_the_chosen_currency_and_say_the_rates_are_samples(
    world: World,
) -> None:
    ExchangeRate.objects.create(
        currency="USD",
        quote="KZT",
        rate=Decimal("500"),
        rate_date=TODAY,
        source="Sample table",
        sample=True,
    )
    response = client_for(world.personas.requesting_officer).get(_home("?currency=KZT"))
    assert _cell(response, "all", "frozen") == "1 asset 40,000,000.00 KZT"
    page = _plain(response)
    assert "Sample rates." in page
    assert "USD 500.00" in page  # the rate used, with its date and source
    assert "Sample table sample" in page
    # The amounts keep their own currency too.
    by_currency = _text(response).split('data-testid="by-currency"')[1].split("</table>")[0]
    assert "80,000.00 USD" in by_currency


def test_amounts_without_a_rate_are_listed_apart_and_never_converted(world: World) -> None:
    response = client_for(world.personas.requesting_officer).get(_home("?currency=KGS"))
    assert _cell(response, "all", "frozen") == "1 asset 0.00 KGS and amounts not converted"
    unconverted = _text(response).split('data-testid="unconverted"')[1].split("</div>")[0]
    assert "80,000.00 USD" in unconverted
    assert "125,000.00 USD" in unconverted
    assert "Sample rates." not in _plain(response)


def test_a_currency_that_is_not_offered_falls_back_to_us_dollars(world: World) -> None:
    response = client_for(world.personas.requesting_officer).get(_home("?currency=XYZ"))
    assert response.status_code == 200
    assert _cell(response, "all", "frozen") == "1 asset 80,000.00 USD"
    assert "could not be used" in _plain(response)


# --- the case page -------------------------------------------------------------------------


def test_the_case_page_lists_the_asset_with_its_expiry_warning(world: World) -> None:
    before = _audits(Code.ASSET_LEDGER_VIEWED)
    response = client_for(world.personas.requesting_officer).get(_case(world))
    assert response.status_code == 200
    assert _cell(response, "all", "frozen") == "1 asset 80,000.00 USD"
    assets = _text(response).split('data-testid="assets"')[1].split("</table>")[0]
    assert world.account.identifier in assets
    assert "Kyrgyzstan" in assets
    assert '<span class="badge text-bg-warning">22 days left</span>' in assets
    timeline = _text(response).split('data-testid="asset-timeline"')[1]
    assert "Order recorded" in timeline
    assert "Record an asset" in _plain(response)
    assert _audits(Code.ASSET_LEDGER_VIEWED) == before + 1


def test_an_expired_order_shows_a_danger_badge(world: World) -> None:
    Order.objects.filter(pk=world.freezing.pk).update(expiry_date=TODAY - datetime.timedelta(1))
    assets = _text(client_for(world.personas.requested_officer).get(_case(world)))
    assert '<span class="badge text-bg-danger">Expired</span>' in assets


def test_the_requested_side_opens_the_case_but_does_not_record_assets_outside_a_request(
    world: World,
) -> None:
    response = client_for(world.personas.requested_officer).get(_case(world))
    assert response.status_code == 200
    assert _asset(world.account) in _text(response)
    create = reverse("assets:asset_create", kwargs={"id": world.case.public_id})
    assert create + '"' not in _text(response)
    assert client_for(world.personas.requested_officer).get(create).status_code == 403


def test_a_hidden_case_answers_like_a_missing_one(world: World) -> None:
    outsider = client_for(world.personas.outsider)
    hidden = outsider.get(_case(world))
    missing = outsider.get(reverse("assets:case", kwargs={"id": uuid.uuid4()}))
    assert hidden.status_code == missing.status_code == 404
    assert _same_page(hidden, missing)


def test_agreements_show_gross_expenses_and_net(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    response = client.post(
        reverse("assets:agreement_create", kwargs={"id": world.case.public_id}),
        {
            "kind": "return",
            "basis": "uncac_57_3b",
            "transferring_state": "KGZ",
            "receiving_state": "KAZ",
            "concluded_on": "2026-10-01",
            "terms": "Return of the frozen balance less the bank's costs.",
            "expenses_deductible": "on",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _case(world) + "#agreements"
    response = client.post(
        reverse("assets:transfer_create", kwargs={"id": agreement.public_id}),
        {
            "asset": str(world.account.public_id),
            "transferred_on": "2026-11-02",
            "gross_amount": "80,000.00",
            "expenses": "1 250,50",
            "currency": "usd",
        },
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.expenses == Decimal("1250.50")
    assert transfer.net_amount == Decimal("78749.50")
    page = client.get(_case(world))
    agreements = _text(page).split('id="agreements"')[1].split("</section>")[0]
    assert "80,000.00 USD" in agreements
    assert "1,250.50 USD" in agreements
    assert "78,749.50 USD" in agreements
    assert _cell(page, "all", "returned") == "1 asset 78,749.50 USD"


def test_a_transfer_with_expenses_above_the_gross_is_refused_at_the_field(world: World) -> None:
    agreement = services.agreement_record(
        user=world.personas.requesting_officer,
        case=world.case,
        data=services.AgreementData(
            kind="return",
            basis="uncac_57_3a",
            transferring_state=state("KGZ"),
            receiving_state=state("KAZ"),
            concluded_on=datetime.date(2026, 10, 1),
            terms="Return.",
        ),
    )
    response = client_for(world.personas.requested_officer).post(
        reverse("assets:transfer_create", kwargs={"id": agreement.public_id}),
        {"transferred_on": "2026-11-02", "gross_amount": "10", "expenses": "11", "currency": "USD"},
    )
    assert response.status_code == 400
    assert _field_error(response, "expenses") == "Expenses cannot exceed the gross amount."
    assert not Transfer.objects.exists()


# --- the asset page ------------------------------------------------------------------------


def test_the_asset_page_warns_of_the_expiry_and_is_audited(world: World) -> None:
    before = _audits(Code.ASSET_VIEWED)
    response = client_for(world.personas.requesting_officer).get(_asset(world.account))
    assert response.status_code == 200
    page = _plain(response)
    assert "An order on this asset expires on Dec. 20, 2026, in 22 days" in page
    assert "Amount executed 80,000.00 USD" in page
    assert "Record an order" in page
    assert _audits(Code.ASSET_VIEWED) == before + 1
    event = AuditEvent.objects.filter(code=int(Code.ASSET_VIEWED)).latest("id")
    assert event.subject_id == str(world.account.public_id)


def test_a_reviewer_reads_the_asset_but_gets_no_forms(world: World) -> None:
    reviewer = client_for(world.personas.requesting_reviewer)
    response = reviewer.get(_asset(world.account))
    assert response.status_code == 200
    assert "Record an order" not in _plain(response)
    assert 'name="status"' not in _text(response)
    assert reviewer.get(_asset(world.account, "order_create")).status_code == 403
    assert reviewer.post(_asset(world.account, "asset_status"), {}).status_code == 403
    assert reviewer.get(_create_url(world, with_request=False)).status_code == 403
    assert reviewer.get(_order(world.freezing, "order_execution")).status_code == 403


def test_a_hidden_asset_answers_like_a_missing_one(world: World) -> None:
    outsider = client_for(world.personas.outsider)
    hidden = outsider.get(_asset(world.account))
    missing = outsider.get(reverse("assets:asset_detail", kwargs={"id": uuid.uuid4()}))
    assert hidden.status_code == missing.status_code == 404
    assert _same_page(hidden, missing)
    # Another authority's asset is hidden from the world's officers too.
    other = client_for(world.personas.requesting_officer).get(_asset(world.other_asset))
    assert other.status_code == 404
    for action in ("asset_edit", "order_create", "holder_add"):
        assert outsider.get(_asset(world.account, action)).status_code == 404
    assert outsider.get(_order(world.freezing, "order_renew")).status_code == 404
    assert outsider.post(_asset(world.account, "asset_status"), {}).status_code == 404


def test_nominee_and_beneficial_owner_are_shown_apart(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    response = client.post(
        _asset(world.account, "holder_add"),
        {"party": "new", "role": "nominee", "kind": "person", "name": "Aibek Usenov"},
    )
    assert response.status_code == 302
    response = client.post(
        _asset(world.account, "holder_add"),
        {
            "party": "new",
            "role": "beneficial_owner",
            "kind": "person",
            "name": "Nurlan Akhmetov",
            "birth_date": "1984-03-02",
            "state": "KAZ",
            "share": "100",
        },
    )
    assert response.status_code == 302
    page = _text(client.get(_asset(world.account)))
    holders = page.split('data-testid="holders"')[1].split("</ul>")[0]
    owners = page.split('data-testid="beneficial-owners"')[1].split("</ul>")[0]
    assert "Aibek Usenov" in holders and "Nominee" in holders
    assert "Nurlan Akhmetov" in owners and "Nurlan Akhmetov" not in holders
    # A known holder is offered again by name.
    form = _text(client.get(_asset(world.account, "holder_add")))
    assert ">Aibek Usenov</option>" in form


def test_a_holder_without_a_name_is_refused_at_the_field(world: World) -> None:
    response = client_for(world.personas.requesting_officer).post(
        _asset(world.account, "holder_add"),
        {"party": "new", "role": "owner", "kind": "person", "name": "", "birth_date": "2.3.84"},
    )
    assert response.status_code == 400
    assert _field_error(response, "name") == "Give the holder&#x27;s name."
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in _field_error(response, "birth_date")
    assert not Holding.objects.exists()


def test_the_status_is_changed_by_hand_with_a_reason(world: World) -> None:
    client = client_for(world.personas.requested_officer)
    refused = client.post(_asset(world.account, "asset_status"), {"status": "released"})
    assert refused.status_code == 400
    assert _field_error(refused, "reason") == "Say why the status changes."
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.FROZEN
    response = client.post(
        _asset(world.account, "asset_status"),
        {"status": "released", "reason": "The court lifted the freeze."},
    )
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.RELEASED


def test_a_status_that_cannot_follow_is_refused(world: World) -> None:
    response = client_for(world.personas.requested_officer).post(
        _asset(world.account, "asset_status"), {"status": "identified", "reason": "Undo"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in _field_error(response, "status")


# --- recording an asset --------------------------------------------------------------------


def _asset_post(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "bank_account",
        "status": "identified",
        "location_state": "KAZ",
        "identifier": "KZ86 125K ZT50 0410 0100",
        "institution": "Bank Y, Almaty",
        "estimated_value": "10 000,00",
        "currency": "kzt",
        "valuation_date": "2026-11-01",
    }
    data.update(overrides)
    return data


def _create_url(world: World, with_request: bool = True) -> str:
    url = reverse("assets:asset_create", kwargs={"id": world.case.public_id})
    return f"{url}?request={world.request.public_id}" if with_request else url


def test_the_requested_side_records_an_asset_on_the_request(world: World) -> None:
    client = client_for(world.personas.requested_officer)
    form = client.get(_create_url(world))
    assert form.status_code == 200
    assert '<option value="KGZ" selected>' in _text(form)  # the requested state first
    response = client.post(_create_url(world), _asset_post())
    asset = Asset.objects.exclude(pk__in=[world.account.pk, world.other_asset.pk]).get()
    assert response.status_code == 302
    assert response["Location"] == _asset(asset)
    assert asset.identifier == "KZ86125KZT5004100100"
    assert asset.estimated_value == Decimal("10000.00")
    assert asset.currency == "KZT"
    assert asset.request == world.request


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"identifier": BAD_IBAN},
            "identifier",
            f"{BAD_IBAN} is not a valid IBAN (check the length and the check digits).",
        ),
        ({"currency": "XYZ"}, "currency", "XYZ is not an ISO 4217 currency code."),
        ({"estimated_value": "-5"}, "estimated_value", "An amount cannot be negative."),
        ({"estimated_value": "12abc"}, "estimated_value", "Enter a number."),
        ({"valuation_date": "2099-01-01"}, "valuation_date", "cannot be in the future"),
    ],
)
def test_bad_asset_input_is_shown_at_its_field_and_nothing_is_saved(
    world: World, overrides: dict[str, str], field: str, message: str
) -> None:
    before = (Asset.objects.count(), AuditEvent.objects.count())
    response = client_for(world.personas.requested_officer).post(
        _create_url(world), _asset_post(**overrides)
    )
    assert response.status_code == 400
    assert message in _field_error(response, field)
    assert f'aria-describedby="id_{field}_error"' in _text(response)
    assert (Asset.objects.count(), AuditEvent.objects.count()) == before


def test_a_request_of_another_case_or_unseen_is_not_found(world: World) -> None:
    client = client_for(world.personas.requested_officer)
    url = reverse("assets:asset_create", kwargs={"id": world.case.public_id})
    assert client.get(f"{url}?request={uuid.uuid4()}").status_code == 404
    assert client.get(f"{url}?request=nonsense").status_code == 404


def test_editing_the_asset_keeps_field_errors(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    form = client.get(_asset(world.account, "asset_edit"))
    assert 'value="1240020000123456"' in _text(form)
    response = client.post(
        _asset(world.account, "asset_edit"),
        _asset_post(location_state="KGZ", identifier="1240020000123456", currency="ABC"),
    )
    assert response.status_code == 400
    assert _field_error(response, "currency") == "ABC is not an ISO 4217 currency code."
    response = client.post(
        _asset(world.account, "asset_edit"),
        _asset_post(location_state="KGZ", identifier="1240020000123456", currency="USD"),
    )
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.estimated_value == Decimal("10000.00")


# --- orders --------------------------------------------------------------------------------


def _order_post(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "confiscation",
        "confiscation_basis": "conviction",
        "execution": "executed",
        "issuing_state": "KGZ",
        "issuing_authority": "Bishkek City Court",
        "order_date": "2026-11-20",
        "amount": "80000",
        "currency": "USD",
    }
    data.update(overrides)
    return data


def test_a_confiscation_order_moves_the_asset_and_the_ledger(world: World) -> None:
    client = client_for(world.personas.requested_officer)
    form = client.get(_asset(world.account, "order_create"))
    assert f'<option value="{world.request.public_id}" selected>' in _text(form)
    response = client.post(
        _asset(world.account, "order_create"),
        _order_post(request=str(world.request.public_id)),
    )
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.status == AssetStatus.CONFISCATED
    assert _cell(client.get(_home()), "all", "confiscated") == "1 asset 80,000.00 USD"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"kind": "freezing", "confiscation_basis": "", "expiry_date": "2026-11-01"},
            "expiry_date",
            "The expiry date must be after the order date.",
        ),
        ({"amount": "-1"}, "amount", "An amount cannot be negative."),
        ({"currency": "ZZZ"}, "currency", "ZZZ is not an ISO 4217 currency code."),
        ({"confiscation_basis": ""}, "confiscation_basis", "conviction-based or not"),
        ({"issuing_authority": ""}, "issuing_authority", "Name the court or authority"),
    ],
)
def test_bad_order_input_is_shown_at_its_field(
    world: World, overrides: dict[str, str], field: str, message: str
) -> None:
    before = Order.objects.count()
    response = client_for(world.personas.requested_officer).post(
        _asset(world.account, "order_create"), _order_post(**overrides)
    )
    assert response.status_code == 400
    assert message in _field_error(response, field)
    assert Order.objects.count() == before


def test_a_partial_execution_is_reported_with_its_amount(world: World) -> None:
    order = services.order_record(
        user=world.personas.requested_officer,
        asset=world.account,
        data=freezing_data(
            request=world.request, execution="requested", amount=None, reference="FR-2"
        ),
    )
    client = client_for(world.personas.requested_officer)
    refused = client.post(_order(order, "order_execution"), {"execution": "partial"})
    assert refused.status_code == 400
    assert "how much was found" in _field_error(refused, "amount")
    response = client.post(
        _order(order, "order_execution"),
        {"execution": "partial", "amount": "60,000.50", "note": "Only one account found."},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.execution == "partial"
    assert order.amount == Decimal("60000.50")


def test_renewing_an_order_keeps_its_history(world: World) -> None:
    client = client_for(world.personas.requested_officer)
    refused = client.post(
        _order(world.freezing, "order_renew"),
        {"new_expiry": "2026-12-01", "renewed_on": "2026-11-25"},
    )
    assert refused.status_code == 400
    assert _field_error(refused, "new_expiry") == (
        "The new expiry date must be after the current one."
    )
    response = client.post(
        _order(world.freezing, "order_renew"),
        {"new_expiry": "2027-06-20", "renewed_on": "2026-11-25", "reference": "FR-77/R1"},
    )
    assert response.status_code == 302
    renewal = OrderRenewal.objects.get()
    assert renewal.previous_expiry == datetime.date(2026, 12, 20)
    page = client.get(_asset(world.account))
    assert "FR-77/R1" in _text(page)
    assert "June 20, 2027" in _plain(page)
    assert 'data-testid="expiry-warning"' not in _text(page)


# --- rates and expiring orders -------------------------------------------------------------


def test_officers_read_the_rates_and_coordinators_add_them(world: World) -> None:
    rate("KZT", "USD", "0.00198")
    officer = client_for(world.personas.requesting_officer)
    response = officer.get(reverse("assets:rates"))
    assert response.status_code == 200
    assert "0.00198" in _plain(response)
    assert 'name="rate"' not in _text(response)
    assert officer.post(reverse("assets:rates"), {"currency": "KGS"}).status_code == 403
    coordinator = client_for(world.personas.coordinator)
    refused = coordinator.post(
        reverse("assets:rates"),
        {"currency": "ABC", "quote": "USD", "rate": "1", "rate_date": "2026-11-27", "source": ""},
    )
    assert refused.status_code == 400
    assert _field_error(refused, "currency") == "ABC is not an ISO 4217 currency code."
    assert "Name the source" in _field_error(refused, "source")
    response = coordinator.post(
        reverse("assets:rates"),
        {
            "currency": "KGS",
            "quote": "USD",
            "rate": "0,0114",
            "rate_date": "2026-11-27",
            "source": "National Bank of the Kyrgyz Republic",
        },
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="KGS").rate == Decimal("0.0114")


def test_expiring_orders_are_listed_for_both_sides_only(world: World) -> None:
    for user in (world.personas.requesting_officer, world.personas.requested_officer):
        response = client_for(user).get(reverse("assets:expiring"))
        upcoming = _text(response).split('data-testid="upcoming"')[1]
        assert _asset(world.account) in upcoming
        assert "22 days left" in upcoming
    narrow = client_for(world.personas.requested_officer).get(
        reverse("assets:expiring") + "?days=7"
    )
    assert _asset(world.account) not in _text(narrow)
    outsider = client_for(world.personas.outsider).get(reverse("assets:expiring"))
    assert outsider.status_code == 200
    assert _asset(world.account) not in _text(outsider)


# --- the request's page --------------------------------------------------------------------


def test_the_request_page_links_to_the_assets_and_shows_asset_events(world: World) -> None:
    url = reverse("cooperation:detail", kwargs={"id": world.request.public_id})
    page = _text(client_for(world.personas.requested_officer).get(url))
    panel = page.split('id="assets-panel-heading"')[1].split("</section>")[0]
    assert _case(world) in panel
    assert f"?request={world.request.public_id}" in panel
    timeline = page.split('id="timeline-heading"')[1]
    assert "Order recorded · Freezing" in " ".join(re.sub(r"<[^>]+>", " ", timeline).split())
    assert _asset(world.account) in timeline


# --- language ------------------------------------------------------------------------------


def test_the_asset_page_reads_right_to_left_in_persian(world: World) -> None:
    reader = client_for(world.personas.requesting_officer)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    response = reader.get(_asset(world.account))
    assert response.status_code == 200
    page = _text(response)
    assert 'lang="fa" dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page
    assert "۸۰٬۰۰۰٫۰۰ USD" in page  # 80,000.00 in Persian digits and separators


# --- query counts --------------------------------------------------------------------------


def _agreement(world: World) -> Agreement:
    return services.agreement_record(
        user=world.personas.requesting_officer,
        case=world.case,
        data=services.AgreementData(
            kind="return",
            basis="uncac_57_3b",
            transferring_state=state("KGZ"),
            receiving_state=state("KAZ"),
            concluded_on=datetime.date(2026, 10, 1),
            terms="Return.",
        ),
    )


def _more_assets(world: World, agreement: Agreement, count: int) -> None:
    """Assets like the world's account, each with an order, a holder and a transfer."""
    user = world.personas.requesting_officer
    for n in range(count):
        asset = services.asset_create(
            user=user,
            case=world.case,
            request=world.request,
            data=account_data(identifier=f"12400200001234{n:02d}", currency="KGS"),
        )
        services.order_record(
            user=world.personas.requested_officer,
            asset=asset,
            data=freezing_data(request=world.request, currency="KGS"),
        )
        services.holder_add(
            user=user,
            asset=asset,
            role="nominee",
            new_party=services.PartyData(kind="person", name=f"Nominee {n}"),
        )
        services.transfer_record(
            user=user,
            agreement=agreement,
            asset=asset,
            transferred_on=datetime.date(2026, 11, 2),
            gross_amount=Decimal(100),
            currency="KGS",
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["home", "case", "asset", "expiring"])
def test_pages_read_a_fixed_number_of_queries(world: World, page: str) -> None:
    client = client_for(world.personas.requesting_officer)
    urls = {
        "home": _home("?pair=all&stage=frozen"),
        "case": _case(world) + "?stage=frozen",
        "asset": _asset(world.account),
        "expiring": reverse("assets:expiring"),
    }
    services.holder_add(
        user=world.personas.requesting_officer,
        asset=world.account,
        role="owner",
        new_party=services.PartyData(kind="person", name="Owner"),
    )
    agreement = _agreement(world)
    _more_assets(world, agreement, 1)
    one = _queries(client, urls[page])
    _more_assets(world, agreement, 3)
    assert _queries(client, urls[page]) == one


def test_query_counts_are_pinned(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world.personas.requesting_officer)
    _more_assets(world, _agreement(world), 2)
    with django_assert_num_queries(13):
        client.get(_home())
    with django_assert_num_queries(23):
        client.get(_case(world))
    with django_assert_num_queries(15):
        client.get(_asset(world.account))
