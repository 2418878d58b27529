"""What the assets API reads and writes, and how rows become that JSON.

Money is never a float: an amount travels as a string with its currency,
``{"amount": "80000.0000", "currency": "USD"}``, exactly as kept (four decimals) or, for a
converted total, rounded to the reporting currency's minor units. Amounts sent in are
strings too ("80000.00"); the services read them as decimals and refuse negative or
malformed ones with field errors. States are ISO 3166 alpha-3 codes, currencies ISO 4217.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints

from comity.api.pagination import PageOut, PageParams
from comity.assets.ledger import STAGES, Entry, Ledger
from comity.assets.models import (
    AMOUNT_PLACES,
    Agreement,
    Asset,
    ExchangeRate,
    Execution,
    Holding,
    Order,
    OrderRenewal,
    Party,
    Transfer,
)
from comity.assets.money import Rate, Total
from comity.cooperation.schemas import Line, Ref, Text

Code3 = Annotated[str, StringConstraints(max_length=3)]
# An amount as a string: "125000.00" (at most four decimals).
AmountIn = Annotated[str, StringConstraints(max_length=32)] | None
_AMOUNT = 'A decimal number as a string, e.g. "125000.00"; never a float.'


# ---------------------------------------------------------------------------- input


class AssetFilter(PageParams):
    case: uuid.UUID | None = Field(None, description="Only the assets of this case (its id)")
    status: Line = Field("", description="An asset status, e.g. frozen")
    kind: Line = Field("", description="An asset kind, e.g. bank_account")
    location_state: Code3 = Field("", description="Where the asset is, ISO 3166 alpha-3")


class AssetIn(Schema):
    case: uuid.UUID = Field(..., description="The case's id")
    request: uuid.UUID | None = Field(
        None, description="The request of the case the asset travels with (its id)"
    )
    kind: Line = Field(..., description="bank_account, real_estate, vehicle, vessel, …")
    location_state: Code3 = Field(..., description="ISO 3166 alpha-3")
    identifier: Line = Field("", description="IBAN, account number, IMO, ISIN, VIN, …")
    description: Text = ""
    institution: Line = Field("", description="Bank, registry or issuer")
    address: Line = ""
    estimated_value: AmountIn = Field(None, description=_AMOUNT)
    currency: Code3 = Field("", description="ISO 4217")
    valuation_date: datetime.date | None = None
    status: Line = Field("identified", description="identified, or tracing_request")


class StatusIn(Schema):
    status: Line
    reason: Text


class PartyIn(Schema):
    kind: Line = Field(..., description="person, company or organisation")
    name: Line
    birth_date: Annotated[str, StringConstraints(max_length=10)] = Field(
        "", description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    registration_number: Ref = ""
    state: Code3 = Field("", description="Nationality or jurisdiction, ISO 3166 alpha-3")
    notes: Text = ""


class HolderIn(Schema):
    role: Line = Field(
        ..., description="owner, co_owner, nominee, front, beneficial_owner or signatory"
    )
    party: uuid.UUID | None = Field(None, description="A holder already recorded on the case")
    new_party: PartyIn | None = Field(None, description="Or a new holder")
    share: AmountIn = Field(None, description="Share in per cent, as a string")


class OrderIn(Schema):
    kind: Line = Field(..., description="tracing, freezing, seizure, confiscation, …")
    issuing_state: Code3 = Field(..., description="ISO 3166 alpha-3")
    issuing_authority: Line
    order_date: datetime.date | None
    execution: Line = Field(Execution.EXECUTED.value, description="requested, executed, …")
    confiscation_basis: Line = Field("", description="conviction or non_conviction")
    legal_basis: Line = ""
    reference: Ref = ""
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    requested_amount: AmountIn = Field(None, description=_AMOUNT)
    amount: AmountIn = Field(None, description=f"What was executed. {_AMOUNT}")
    currency: Code3 = Field("", description="ISO 4217")
    execution_note: Text = ""
    request: uuid.UUID | None = Field(None, description="The request the order answers")


class ExecutionIn(Schema):
    execution: Line = Field(..., description="executed, partial, not_executed or lifted")
    amount: AmountIn = Field(None, description=_AMOUNT)
    note: Text = ""


class RenewalIn(Schema):
    new_expiry: datetime.date | None
    renewed_on: datetime.date | None
    reference: Ref = ""
    note: Text = ""


class AgreementIn(Schema):
    kind: Line = Field(..., description="return or sharing")
    basis: Line = Field(..., description="uncac_57_3a, uncac_57_3b, …, bilateral, other")
    transferring_state: Code3
    receiving_state: Code3
    concluded_on: datetime.date | None
    terms: Text
    reference: Ref = ""
    receiving_share: AmountIn = Field(None, description="Per cent, as a string")
    expenses_deductible: bool = True


class TransferIn(Schema):
    asset: uuid.UUID | None = Field(None, description="The asset transferred, if one")
    transferred_on: datetime.date | None
    gross_amount: AmountIn = Field(..., description=_AMOUNT)
    currency: Code3
    expenses: AmountIn = Field(None, description=_AMOUNT)
    reference: Ref = ""
    note: Text = ""


class RateIn(Schema):
    currency: Code3
    quote: Code3
    rate: AmountIn = Field(..., description="1 currency = rate quote, as a string")
    rate_date: datetime.date | None
    source: Line
    sample: bool = False


class LedgerQuery(Schema):
    currency: Code3 = Field("USD", description="The reporting currency, ISO 4217 (USD)")
    as_of: datetime.date | None = Field(None, description="Rates on or before; default today")


class ExpiringQuery(Schema):
    days: int = Field(30, ge=0, le=3660, description="Within this many days")
    as_of: datetime.date | None = Field(None, description="Count from this day; default today")


# ---------------------------------------------------------------------------- output


class Out(BaseModel):
    """Plain pydantic output, like the other APIs."""


class MoneyOut(Out):
    amount: str = Field(..., description="Decimal as a string")
    currency: str = Field(..., description="ISO 4217")


_STORED = Decimal(1).scaleb(-AMOUNT_PLACES)
_RATE = Decimal(1).scaleb(-ExchangeRate._meta.get_field("rate").decimal_places)


def money(amount: Decimal | None, currency: str) -> MoneyOut | None:
    """An amount as kept: four decimals, whether it was just entered or read back."""
    if amount is None or not currency:
        return None
    return MoneyOut(amount=str(Decimal(amount).quantize(_STORED)), currency=currency)


def exact(amount: Decimal, currency: str) -> MoneyOut:
    """A computed amount (a converted total), already rounded to its currency."""
    return MoneyOut(amount=str(amount), currency=currency)


class CaseRefOut(Out):
    id: uuid.UUID
    reference: str
    authority: str = Field(..., description="The case's authority (its key)")


class RequestRefOut(Out):
    id: uuid.UUID
    reference: str


class PartyOut(Out):
    id: uuid.UUID
    kind: str
    name: str
    birth_date: str
    registration_number: str
    state: str | None


class HolderOut(Out):
    party: PartyOut
    role: str
    share: str | None = Field(..., description="Per cent, as a string")


class RenewalOut(Out):
    previous_expiry: datetime.date
    new_expiry: datetime.date
    renewed_on: datetime.date
    reference: str
    note: str


class OrderOut(Out):
    id: uuid.UUID
    asset: uuid.UUID
    kind: str
    confiscation_basis: str
    issuing_state: str
    issuing_authority: str
    legal_basis: str
    reference: str
    order_date: datetime.date
    effective_date: datetime.date | None
    expiry_date: datetime.date | None
    execution: str
    requested_amount: MoneyOut | None
    amount: MoneyOut | None = Field(..., description="What was executed (found, realised)")
    execution_note: str
    request: RequestRefOut | None
    recorded_by_authority: str
    renewals: list[RenewalOut]


class AssetSummaryOut(Out):
    id: uuid.UUID
    case: CaseRefOut
    request: RequestRefOut | None
    kind: str
    status: str
    identifier: str
    description: str
    institution: str
    address: str
    location_state: str
    estimated_value: MoneyOut | None
    valuation_date: datetime.date | None
    created_by_authority: str
    created_at: datetime.datetime


class AssetOut(AssetSummaryOut):
    holders: list[HolderOut]
    orders: list[OrderOut]
    next_statuses: list[str] = Field(..., description="Statuses that may be set by hand")


class AssetPage(PageOut):
    items: list[AssetSummaryOut]


class TransferOut(Out):
    id: uuid.UUID
    asset: uuid.UUID | None
    transferred_on: datetime.date
    gross_amount: MoneyOut
    expenses: MoneyOut
    net_amount: MoneyOut
    reference: str
    note: str


class AgreementOut(Out):
    id: uuid.UUID
    case: uuid.UUID
    kind: str
    basis: str
    transferring_state: str
    receiving_state: str
    concluded_on: datetime.date
    reference: str
    terms: str
    receiving_share: str | None
    expenses_deductible: bool
    transfers: list[TransferOut]


class RateOut(Out):
    currency: str
    quote: str
    rate: str = Field(..., description="1 currency = rate quote, decimal as a string")
    rate_date: datetime.date
    source: str
    sample: bool = Field(..., description="A sample rate, not for real use")


class RatePage(PageOut):
    items: list[RateOut]


class RateUsedOut(Out):
    currency: str
    quote: str
    rate: str
    rate_date: datetime.date
    sources: list[str]
    sample: bool
    path: list[str] = Field(..., description='e.g. ["KGS", "USD", "KZT"] through the dollar')


class TotalOut(Out):
    count: int
    by_currency: list[MoneyOut] = Field(..., description="In their own currencies")
    converted: MoneyOut = Field(..., description="What could be converted, in the reporting")
    unconverted: list[MoneyOut] = Field(..., description="Left out of `converted`: no rate")
    complete: bool


class EntryOut(Out):
    amount: MoneyOut | None = Field(..., description="null: stage reached, amount unknown")
    converted: MoneyOut | None


class RowOut(Out):
    asset: uuid.UUID
    kind: str
    identifier: str
    status: str
    location_state: str
    stages: dict[str, list[EntryOut]] = Field(..., description="Only the stages reached")


class LedgerOut(Out):
    currency: str = Field(..., description="The reporting currency")
    as_of: datetime.date
    stages: list[str]
    totals: dict[str, TotalOut]
    complete: bool = Field(..., description="Every amount could be converted")
    sample_rates: bool = Field(..., description="Some rate used is a sample rate")
    rates: list[RateUsedOut]
    rows: list[RowOut]


class GroupOut(Out):
    key: str = Field(..., description='Requesting state and state of the asset: "KAZ-KGZ"')
    label: str
    ledger: LedgerOut


class RegionLedgerOut(Out):
    whole: LedgerOut
    pairs: list[GroupOut]


class ExpiringOrderOut(Out):
    order: uuid.UUID
    kind: str
    reference: str
    issuing_state: str
    issuing_authority: str
    expiry_date: datetime.date
    days_left: int = Field(..., description="Negative once expired")
    expired: bool
    asset: uuid.UUID
    asset_kind: str
    identifier: str
    location_state: str
    case: str = Field(..., description="The case's reference")
    case_authority: str = Field(..., description="The case's authority (its key)")
    request: str | None = Field(..., description="The request's reference")


class ExpiringOut(Out):
    as_of: datetime.date
    days: int
    orders: list[ExpiringOrderOut]


class FtmOut(Out):
    case: str
    entities: list[dict[str, Any]] = Field(..., description="FollowTheMoney entities")


# ---------------------------------------------------------------------------- rendering


def _request_ref(request: Any) -> RequestRefOut | None:
    if request is None:
        return None
    return RequestRefOut(id=request.public_id, reference=request.reference)


def party_out(party: Party) -> PartyOut:
    return PartyOut(
        id=party.public_id,
        kind=party.kind,
        name=party.name,
        birth_date=party.birth_date,
        registration_number=party.registration_number,
        state=party.state.iso3 if party.state is not None else None,
    )


def _share(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def holder_out(holding: Holding) -> HolderOut:
    return HolderOut(party=party_out(holding.party), role=holding.role, share=_share(holding.share))


def renewal_out(renewal: OrderRenewal) -> RenewalOut:
    return RenewalOut(
        previous_expiry=renewal.previous_expiry,
        new_expiry=renewal.new_expiry,
        renewed_on=renewal.renewed_on,
        reference=renewal.reference,
        note=renewal.note,
    )


def order_out(order: Order) -> OrderOut:
    """Needs asset, issuing_state, request, recorded_by_authority and renewals."""
    return OrderOut(
        id=order.public_id,
        asset=order.asset.public_id,
        kind=order.kind,
        confiscation_basis=order.confiscation_basis,
        issuing_state=order.issuing_state.iso3,
        issuing_authority=order.issuing_authority,
        legal_basis=order.legal_basis,
        reference=order.reference,
        order_date=order.order_date,
        effective_date=order.effective_date,
        expiry_date=order.expiry_date,
        execution=order.execution,
        requested_amount=money(order.requested_amount, order.currency),
        amount=money(order.amount, order.currency),
        execution_note=order.execution_note,
        request=_request_ref(order.request),
        recorded_by_authority=order.recorded_by_authority.key,
        renewals=[renewal_out(r) for r in order.renewals.all()],
    )


def _summary_fields(asset: Asset) -> dict[str, Any]:
    return {
        "id": asset.public_id,
        "case": CaseRefOut(
            id=asset.case.public_id,
            reference=asset.case.reference,
            authority=asset.case.authority.key,
        ),
        "request": _request_ref(asset.request),
        "kind": asset.kind,
        "status": asset.status,
        "identifier": asset.identifier,
        "description": asset.description,
        "institution": asset.institution,
        "address": asset.address,
        "location_state": asset.location_state.iso3,
        "estimated_value": money(asset.estimated_value, asset.currency),
        "valuation_date": asset.valuation_date,
        "created_by_authority": asset.created_by_authority.key,
        "created_at": asset.created_at,
    }


def asset_summary_out(asset: Asset) -> AssetSummaryOut:
    """Needs case__authority, request, location_state and created_by_authority."""
    return AssetSummaryOut(**_summary_fields(asset))


def asset_out(asset: Asset, *, next_statuses: list[str]) -> AssetOut:
    """Needs what asset_summary_out needs, and holdings__party__state and the orders with
    their joins (see api._asset_detail)."""
    return AssetOut(
        **_summary_fields(asset),
        holders=[holder_out(h) for h in asset.holdings.all()],
        orders=[order_out(o) for o in asset.orders.all()],
        next_statuses=next_statuses,
    )


def transfer_out(transfer: Transfer) -> TransferOut:
    gross = money(transfer.gross_amount, transfer.currency)
    expenses = money(transfer.expenses, transfer.currency)
    net = money(transfer.net_amount, transfer.currency)
    assert gross is not None and expenses is not None and net is not None  # noqa: S101
    return TransferOut(
        id=transfer.public_id,
        asset=transfer.asset.public_id if transfer.asset is not None else None,
        transferred_on=transfer.transferred_on,
        gross_amount=gross,
        expenses=expenses,
        net_amount=net,
        reference=transfer.reference,
        note=transfer.note,
    )


def agreement_out(agreement: Agreement) -> AgreementOut:
    return AgreementOut(
        id=agreement.public_id,
        case=agreement.case.public_id,
        kind=agreement.kind,
        basis=agreement.basis,
        transferring_state=agreement.transferring_state.iso3,
        receiving_state=agreement.receiving_state.iso3,
        concluded_on=agreement.concluded_on,
        reference=agreement.reference,
        terms=agreement.terms,
        receiving_share=_share(agreement.receiving_share),
        expenses_deductible=agreement.expenses_deductible,
        transfers=[transfer_out(t) for t in agreement.transfers.all()],
    )


def rate_out(rate: ExchangeRate) -> RateOut:
    return RateOut(
        currency=rate.currency,
        quote=rate.quote,
        rate=str(Decimal(rate.rate).quantize(_RATE)),
        rate_date=rate.rate_date,
        source=rate.source,
        sample=rate.sample,
    )


def _rate_used(rate: Rate) -> RateUsedOut:
    return RateUsedOut(
        currency=rate.currency,
        quote=rate.quote,
        rate=str(rate.rate),
        rate_date=rate.rate_date,
        sources=list(rate.sources),
        sample=rate.sample,
        path=list(rate.path),
    )


def _monies(amounts: dict[str, Decimal]) -> list[MoneyOut]:
    return [exact(amounts[code], code) for code in sorted(amounts)]


def total_out(total: Total) -> TotalOut:
    return TotalOut(
        count=total.count,
        by_currency=_monies(total.by_currency),
        converted=exact(total.converted, total.reporting),
        unconverted=_monies(total.unconverted),
        complete=total.complete,
    )


def _entry_out(entry: Entry) -> EntryOut:
    converted = entry.converted
    return EntryOut(
        amount=money(entry.amount, entry.currency),
        converted=exact(converted.amount, converted.currency) if converted else None,
    )


def ledger_out(ledger: Ledger) -> LedgerOut:
    rates: list[Rate] = [r for r in ledger.rates_used() if isinstance(r, Rate)]
    return LedgerOut(
        currency=ledger.reporting,
        as_of=ledger.as_of,
        stages=list(STAGES),
        totals={stage: total_out(ledger.totals[stage]) for stage in STAGES},
        complete=ledger.complete,
        sample_rates=ledger.sample_rates,
        rates=[_rate_used(rate) for rate in rates],
        rows=[
            RowOut(
                asset=row.asset.public_id,
                kind=row.asset.kind,
                identifier=row.asset.identifier,
                status=row.asset.status,
                location_state=row.asset.location_state.iso3,
                stages={
                    stage: [_entry_out(e) for e in row.stages[stage]]
                    for stage in STAGES
                    if stage in row.stages
                },
            )
            for row in ledger.rows
        ],
    )


def expiring_out(orders: list[Order], *, as_of: datetime.date, days: int) -> ExpiringOut:
    """The orders of tasks.watched_orders, as the API and `comity assets expiring` show
    them (one shape for both)."""
    rows: list[ExpiringOrderOut] = []
    for order in orders:
        assert order.expiry_date is not None  # noqa: S101 (watched orders have one)
        days_left = (order.expiry_date - as_of).days
        asset = order.asset
        rows.append(
            ExpiringOrderOut(
                order=order.public_id,
                kind=order.kind,
                reference=order.reference,
                issuing_state=order.issuing_state.iso3,
                issuing_authority=order.issuing_authority,
                expiry_date=order.expiry_date,
                days_left=days_left,
                expired=days_left < 0,
                asset=asset.public_id,
                asset_kind=asset.kind,
                identifier=asset.identifier,
                location_state=asset.location_state.iso3,
                case=asset.case.reference,
                case_authority=asset.case.authority.key,
                request=asset.request.reference if asset.request is not None else None,
            )
        )
    return ExpiringOut(as_of=as_of, days=days, orders=rows)
