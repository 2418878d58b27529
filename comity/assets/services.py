"""Writes of the asset ledger. Each function checks its input field by field, runs in one
transaction, leaves an event on the case's asset timeline (and on the request's timeline
when the asset travels with a request), and writes the audit log. Access is checked by the
caller through comity.policy; these functions trust the user they are given.

Bad input raises ``AssetError`` with messages per field, in the active language, and
changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comity.accounts.models import User
from comity.assets import status as flow
from comity.assets.identifiers import clean_identifier
from comity.assets.models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    Agreement,
    AgreementBasis,
    AgreementKind,
    Asset,
    AssetEvent,
    AssetEventKind,
    AssetKind,
    AssetStatus,
    ConfiscationBasis,
    ExchangeRate,
    Execution,
    Holding,
    HoldingRole,
    Order,
    OrderKind,
    OrderRenewal,
    Party,
    PartyKind,
    Transfer,
)
from comity.assets.money import is_currency
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.models import Case, EventKind, Request, TimelineEvent
from comity.directory.models import Authority, State

_MAX = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES)
RATE_PLACES = 10  # ExchangeRate.rate: 1 UZS = 0.0000833 USD


class AssetError(Exception):
    """Input the ledger refuses, with the messages per field ("" for the whole form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise AssetError(self.errors)


def _authority(user: User) -> Authority:
    authority = user.authority
    if authority is None:
        raise AssetError({"": [_("Only a user of an authority can record assets.")]})
    return authority


def _amount(  # noqa: PLR0911
    errors: _Errors, name: str, value: Any, *, places: int = AMOUNT_PLACES
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(name, _("Enter a number."))
        return None
    if not amount.is_finite():
        errors.add(name, _("Enter a number."))
        return None
    if amount < 0:
        errors.add(name, _("An amount cannot be negative."))
        return None
    if amount >= _MAX:
        errors.add(name, _("This amount is too large."))
        return None
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        errors.add(name, _("At most %(places)d decimal places.") % {"places": places})
        return None
    return amount


def _currency(errors: _Errors, name: str, code: str, *, required: bool) -> str:
    code = (code or "").strip().upper()
    if not code:
        if required:
            errors.add(name, _("Give the currency of the amount."))
        return ""
    if not is_currency(code):
        errors.add(name, _("%(code)s is not an ISO 4217 currency code.") % {"code": code})
        return ""
    return code


def _choice(errors: _Errors, name: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        errors.add(name, _("Choose one of the offered values."))
        return ""
    return value


def _now() -> datetime.datetime:
    return timezone.now()


def _event(
    *,
    asset: Asset | None,
    case: Case,
    kind: str,
    user: User | None,
    authority: Authority | None,
    details: dict[str, Any],
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    request: Request | None = None,
) -> AssetEvent:
    """The case's asset timeline, and the timeline of the request it travels with."""
    moment = _now()
    event = AssetEvent.objects.create(
        case=case,
        asset=asset,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=user,
        actor_authority=authority,
        reason=reason,
        details=details,
        created_at=moment,
    )
    target = request or (asset.request if asset is not None else None)
    if target is not None:
        TimelineEvent.objects.create(
            request=target,
            kind=EventKind.ASSET,
            actor=user,
            actor_authority=authority,
            reason=reason,
            details={
                "asset_event": kind,
                "asset": str(asset.public_id) if asset is not None else "",
                "from_status": from_status,
                "to_status": to_status,
                **{k: v for k, v in details.items() if isinstance(v, str | int | bool)},
            },
            created_at=moment,
        )
    return event


def _move(
    *, asset: Asset, target: str | None, user: User | None, reason: str, cause: dict[str, Any]
) -> bool:
    if target is None or target == asset.status:
        return False
    before = asset.status
    asset.status = target
    asset.save(update_fields=["status", "updated_at"])
    _event(
        asset=asset,
        case=asset.case,
        kind=AssetEventKind.STATUS,
        user=user,
        authority=user.authority if user is not None else None,
        details=cause,
        from_status=before,
        to_status=target,
        reason=reason,
    )
    audit_record(
        code=Code.ASSET_STATUS_CHANGED,
        actor=user,
        subject_type="asset",
        subject_id=str(asset.public_id),
        details={"from": before, "to": target, **cause},
    )
    return True


# Assets ---------------------------------------------------------------------------------


@dataclass
class AssetData:
    kind: str
    location_state: State | None
    identifier: str = ""
    description: str = ""
    institution: str = ""
    address: str = ""
    estimated_value: Any = None
    currency: str = ""
    valuation_date: datetime.date | None = None


def _clean_asset(data: AssetData) -> dict[str, Any]:
    errors = _Errors()
    kind = _choice(errors, "kind", data.kind, AssetKind)
    if data.location_state is None:
        errors.add("location_state", _("Choose the state where the asset is."))
    identifier = ""
    if kind:
        try:
            identifier = clean_identifier(
                kind,
                data.identifier,
                state_iso3=data.location_state.iso3 if data.location_state else None,
            )
        except ValueError as error:
            errors.add("identifier", str(error))
    value = _amount(errors, "estimated_value", data.estimated_value)
    currency = _currency(errors, "currency", data.currency, required=value is not None)
    if data.valuation_date is not None and data.valuation_date > timezone.localdate():
        errors.add("valuation_date", _("A valuation date cannot be in the future."))
    if not identifier and not data.description.strip() and "identifier" not in errors.errors:
        errors.add("description", _("Give an identifier or describe the asset."))
    errors.raise_any()
    return {
        "kind": kind,
        "identifier": identifier,
        "description": data.description.strip(),
        "institution": data.institution.strip(),
        "address": data.address.strip(),
        "location_state": data.location_state,
        "estimated_value": value,
        "currency": currency,
        "valuation_date": data.valuation_date,
    }


def asset_create(
    *,
    user: User,
    case: Case,
    data: AssetData,
    request: Request | None = None,
    status: str = AssetStatus.IDENTIFIED,
) -> Asset:
    authority = _authority(user)
    fields = _clean_asset(data)
    if status not in (AssetStatus.TRACING_REQUEST, AssetStatus.IDENTIFIED):
        raise AssetError({"status": [_("A new asset is either being traced or identified.")]})
    if request is not None and request.case_id != case.pk:
        raise AssetError({"request": [_("The request belongs to another case.")]})
    with transaction.atomic():
        asset = Asset.objects.create(
            case=case,
            request=request,
            status=status,
            created_by=user,
            created_by_authority=authority,
            **fields,
        )
        _event(
            asset=asset,
            case=case,
            kind=AssetEventKind.RECORDED,
            user=user,
            authority=authority,
            details={"kind": asset.kind, "identifier": asset.identifier},
            to_status=asset.status,
        )
        audit_record(
            code=Code.ASSET_RECORDED,
            actor=user,
            subject_type="asset",
            subject_id=str(asset.public_id),
            details={"case": case.reference, "kind": asset.kind},
        )
    return asset


def asset_update(*, user: User, asset: Asset, data: AssetData) -> Asset:
    authority = _authority(user)
    fields = _clean_asset(data)
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        changed = {
            name: str(value) for name, value in fields.items() if getattr(locked, name) != value
        }
        if not changed:
            return locked
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        _event(
            asset=locked,
            case=locked.case,
            kind=AssetEventKind.EDITED,
            user=user,
            authority=authority,
            details={"fields": sorted(changed)},
        )
        audit_record(
            code=Code.ASSET_UPDATED,
            actor=user,
            subject_type="asset",
            subject_id=str(locked.public_id),
            details={"fields": sorted(changed)},
        )
    return locked


def asset_set_status(*, user: User, asset: Asset, status: str, reason: str) -> Asset:
    """A status chosen by hand (identified, released, closed, ...), with a reason."""
    _authority(user)
    errors = _Errors()
    if not reason.strip():
        errors.add("reason", _("Say why the status changes."))
    with transaction.atomic():
        locked = Asset.objects.select_for_update().select_related("case").get(pk=asset.pk)
        if status not in AssetStatus.values or not flow.may_move(locked.status, status):
            errors.add("status", _("This status cannot follow the current one."))
        errors.raise_any()
        _move(asset=locked, target=status, user=user, reason=reason.strip(), cause={"by": "hand"})
    return locked


# Holders --------------------------------------------------------------------------------


@dataclass
class PartyData:
    kind: str
    name: str
    birth_date: str = ""
    registration_number: str = ""
    state: State | None = None
    notes: str = ""


def holder_add(
    *,
    user: User,
    asset: Asset,
    role: str,
    party: Party | None = None,
    new_party: PartyData | None = None,
    share: Any = None,
) -> Holding:
    """Link a holder to the asset: an existing party of the case, or a new one."""
    from comity.records.dates import partial_date

    authority = _authority(user)
    errors = _Errors()
    _choice(errors, "role", role, HoldingRole)
    share_value = _amount(errors, "share", share)
    if share_value is not None and share_value > 100:
        errors.add("share", _("A share is at most 100%."))
    if party is None and new_party is None:
        errors.add("party", _("Choose a holder or enter a new one."))
    if party is not None and party.case_id != asset.case_id:
        errors.add("party", _("This holder belongs to another case."))
    if new_party is not None:
        _choice(errors, "kind", new_party.kind, PartyKind)
        if not new_party.name.strip():
            errors.add("name", _("Give the holder's name."))
        if new_party.birth_date.strip():
            try:
                partial_date(new_party.birth_date.strip())
            except ValueError:
                errors.add("birth_date", _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD."))
    errors.raise_any()
    with transaction.atomic():
        if party is None:
            assert new_party is not None  # noqa: S101 (checked above)
            party = Party.objects.create(
                case=asset.case,
                kind=new_party.kind,
                name=new_party.name.strip(),
                birth_date=new_party.birth_date.strip(),
                registration_number=new_party.registration_number.strip(),
                state=new_party.state,
                notes=new_party.notes.strip(),
            )
        holding, created = Holding.objects.get_or_create(
            asset=asset, party=party, role=role, defaults={"share": share_value}
        )
        if not created:
            raise AssetError({"party": [_("This holder is already recorded in this role.")]})
        _event(
            asset=asset,
            case=asset.case,
            kind=AssetEventKind.HOLDER,
            user=user,
            authority=authority,
            details={"party": party.name, "role": role},
        )
        audit_record(
            code=Code.ASSET_HOLDER_RECORDED,
            actor=user,
            subject_type="asset",
            subject_id=str(asset.public_id),
            details={"party": str(party.public_id), "role": role},
        )
    return holding


# Orders ---------------------------------------------------------------------------------


@dataclass
class OrderData:
    kind: str
    issuing_state: State | None
    issuing_authority: str
    order_date: datetime.date | None
    execution: str = Execution.EXECUTED
    confiscation_basis: str = ""
    legal_basis: str = ""
    reference: str = ""
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    requested_amount: Any = None
    amount: Any = None
    currency: str = ""
    execution_note: str = ""
    request: Request | None = None


def _clean_order(data: OrderData, asset: Asset) -> dict[str, Any]:  # noqa: PLR0912
    errors = _Errors()
    kind = _choice(errors, "kind", data.kind, OrderKind)
    execution = _choice(errors, "execution", data.execution, Execution)
    if data.issuing_state is None:
        errors.add("issuing_state", _("Choose the state whose authority issued the order."))
    if not data.issuing_authority.strip():
        errors.add("issuing_authority", _("Name the court or authority that issued the order."))
    if data.order_date is None:
        errors.add("order_date", _("Give the date of the order."))
    elif data.order_date > timezone.localdate():
        errors.add("order_date", _("An order date cannot be in the future."))
    basis = data.confiscation_basis or ""
    if kind == OrderKind.CONFISCATION:
        if basis not in ConfiscationBasis.values:
            errors.add(
                "confiscation_basis",
                _("Say whether the confiscation is conviction-based or not."),
            )
    elif basis:
        errors.add("confiscation_basis", _("Only a confiscation has a confiscation basis."))
    if data.order_date is not None:
        if data.expiry_date is not None and data.expiry_date <= data.order_date:
            errors.add("expiry_date", _("The expiry date must be after the order date."))
        if data.effective_date is not None and data.effective_date < data.order_date:
            errors.add("effective_date", _("An order cannot take effect before it was made."))
    requested = _amount(errors, "requested_amount", data.requested_amount)
    amount = _amount(errors, "amount", data.amount)
    has_amount = requested is not None or amount is not None
    currency = _currency(errors, "currency", data.currency, required=has_amount)
    if execution == Execution.PARTIAL and amount is None and "amount" not in errors.errors:
        errors.add("amount", _("A partial execution says how much was found or realised."))
    if execution == Execution.REQUESTED and amount is not None:
        errors.add("amount", _("An order not yet executed has no executed amount."))
    if data.request is not None and data.request.case_id != asset.case_id:
        errors.add("request", _("The request belongs to another case."))
    errors.raise_any()
    return {
        "kind": kind,
        "execution": execution,
        "confiscation_basis": basis,
        "issuing_state": data.issuing_state,
        "issuing_authority": data.issuing_authority.strip(),
        "legal_basis": data.legal_basis.strip(),
        "reference": data.reference.strip(),
        "order_date": data.order_date,
        "effective_date": data.effective_date,
        "expiry_date": data.expiry_date,
        "requested_amount": requested,
        "amount": amount,
        "currency": currency,
        "execution_note": data.execution_note.strip(),
        "request": data.request,
    }


def _order_details(order: Order) -> dict[str, Any]:
    return {
        "order": str(order.public_id),
        "order_kind": order.kind,
        "execution": order.execution,
        "reference": order.reference,
        "expiry": order.expiry_date.isoformat() if order.expiry_date else "",
        "amount": str(order.amount) if order.amount is not None else "",
        "currency": order.currency,
    }


def _order_logged(
    *,
    asset: Asset,
    order: Order,
    kind: str,
    code: Code,
    user: User,
    details: dict[str, Any],
    reason: str = "",
) -> None:
    """An order's change on the timelines (the case's, and the request it answers) and in
    the audit log."""
    _event(
        asset=asset,
        case=asset.case,
        kind=kind,
        user=user,
        authority=user.authority,
        details=details,
        reason=reason,
        request=order.request,
    )
    audit_record(
        code=code,
        actor=user,
        subject_type="asset",
        subject_id=str(asset.public_id),
        details=details,
    )


def order_record(*, user: User, asset: Asset, data: OrderData) -> Order:
    """Record an order on the asset; the asset moves to the stage the order stands for."""
    authority = _authority(user)
    with transaction.atomic():
        locked = Asset.objects.select_for_update().select_related("case").get(pk=asset.pk)
        fields = _clean_order(data, locked)
        order = Order.objects.create(
            asset=locked, recorded_by=user, recorded_by_authority=authority, **fields
        )
        details = _order_details(order)
        _order_logged(
            asset=locked,
            order=order,
            kind=AssetEventKind.ORDER,
            code=Code.ASSET_ORDER_RECORDED,
            user=user,
            details=details,
        )
        _move(
            asset=locked,
            target=flow.next_status(locked.status, order.kind, order.execution),
            user=user,
            reason="",
            cause={"order": str(order.public_id), "order_kind": order.kind},
        )
        _notify_other_side(asset=locked, user=user, order=order, what="order")
    return order


def order_report_execution(
    *, user: User, order: Order, execution: str, amount: Any = None, note: str = ""
) -> Order:
    """The executing side reports how far an order was carried out (e.g. only part of the
    balance was found), or that it was lifted."""
    _authority(user)
    errors = _Errors()
    _choice(errors, "execution", execution, Execution)
    value = _amount(errors, "amount", amount)
    if execution == Execution.PARTIAL and value is None:
        errors.add("amount", _("A partial execution says how much was found or realised."))
    if execution == Execution.REQUESTED:
        errors.add("execution", _("Report what was done: executed, partly, not, or lifted."))
    if value is not None and not order.currency:
        errors.add("amount", _("The order has no currency; record the amount on a new order."))
    errors.raise_any()
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("asset__case").get(pk=order.pk)
        before = locked.execution
        locked.execution = execution
        if value is not None:
            locked.amount = value
        if note.strip():
            locked.execution_note = f"{locked.execution_note}\n{note.strip()}".strip()
        locked.save()
        asset = Asset.objects.select_for_update().select_related("case").get(pk=locked.asset_id)
        details = {**_order_details(locked), "before": before}
        _order_logged(
            asset=asset,
            order=locked,
            kind=AssetEventKind.EXECUTION,
            code=Code.ASSET_ORDER_EXECUTION,
            user=user,
            details=details,
            reason=note.strip(),
        )
        _move(
            asset=asset,
            target=flow.next_status(asset.status, locked.kind, locked.execution),
            user=user,
            reason=note.strip(),
            cause={"order": str(locked.public_id), "order_kind": locked.kind},
        )
        _notify_other_side(asset=asset, user=user, order=locked, what="execution")
    return locked


def order_renew(
    *,
    user: User,
    order: Order,
    new_expiry: datetime.date | None,
    renewed_on: datetime.date | None,
    reference: str = "",
    note: str = "",
) -> OrderRenewal:
    _authority(user)
    errors = _Errors()
    if new_expiry is None:
        errors.add("new_expiry", _("Give the new expiry date."))
    if renewed_on is None:
        errors.add("renewed_on", _("Give the date of the renewal."))
    elif renewed_on > timezone.localdate():
        errors.add("renewed_on", _("A renewal date cannot be in the future."))
    errors.raise_any()
    assert new_expiry is not None and renewed_on is not None  # noqa: S101
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("asset__case").get(pk=order.pk)
        if locked.expiry_date is None:
            raise AssetError({"": [_("This order has no expiry date to renew.")]})
        if new_expiry <= locked.expiry_date:
            raise AssetError(
                {"new_expiry": [_("The new expiry date must be after the current one.")]}
            )
        if renewed_on < locked.order_date:
            raise AssetError({"renewed_on": [_("An order cannot be renewed before it was made.")]})
        renewal = OrderRenewal.objects.create(
            order=locked,
            previous_expiry=locked.expiry_date,
            new_expiry=new_expiry,
            renewed_on=renewed_on,
            reference=reference.strip(),
            note=note.strip(),
            recorded_by=user,
        )
        locked.expiry_date = new_expiry
        locked.save(update_fields=["expiry_date", "updated_at"])
        details = {
            **_order_details(locked),
            "previous_expiry": renewal.previous_expiry.isoformat(),
        }
        _order_logged(
            asset=locked.asset,
            order=locked,
            kind=AssetEventKind.RENEWAL,
            code=Code.ASSET_ORDER_RENEWED,
            user=user,
            details=details,
        )
        _notify_other_side(asset=locked.asset, user=user, order=locked, what="renewal")
    return renewal


def _notify_other_side(*, asset: Asset, user: User, order: Order, what: str) -> None:
    """Tell the authorities on the other side of the asset that an order changed."""
    from comity.assets.notices import notify_asset_sides

    notify_asset_sides(
        asset=asset,
        kind="asset_order",
        params={"order": str(order.public_id), "what": what, "order_kind": order.kind},
        key=f"asset-order:{order.public_id}:{what}:{order.updated_at.isoformat()}",
        exclude_authority=user.authority_id,
    )


# Agreements and transfers ---------------------------------------------------------------


@dataclass
class AgreementData:
    kind: str
    basis: str
    transferring_state: State | None
    receiving_state: State | None
    concluded_on: datetime.date | None
    terms: str
    reference: str = ""
    receiving_share: Any = None
    expenses_deductible: bool = True


def agreement_record(*, user: User, case: Case, data: AgreementData) -> Agreement:
    authority = _authority(user)
    errors = _Errors()
    kind = _choice(errors, "kind", data.kind, AgreementKind)
    basis = _choice(errors, "basis", data.basis, AgreementBasis)
    if data.transferring_state is None:
        errors.add("transferring_state", _("Choose the state that transfers the assets."))
    if data.receiving_state is None:
        errors.add("receiving_state", _("Choose the state that receives them."))
    if (
        data.transferring_state is not None
        and data.receiving_state is not None
        and data.transferring_state.pk == data.receiving_state.pk
    ):
        errors.add("receiving_state", _("The receiving state must be another state."))
    if data.concluded_on is None:
        errors.add("concluded_on", _("Give the date of the agreement."))
    elif data.concluded_on > timezone.localdate():
        errors.add("concluded_on", _("An agreement date cannot be in the future."))
    if not data.terms.strip():
        errors.add("terms", _("Write down the terms agreed."))
    share = _amount(errors, "receiving_share", data.receiving_share)
    if share is not None and share > 100:
        errors.add("receiving_share", _("A share is at most 100%."))
    if kind == AgreementKind.SHARING and share is None:
        errors.add("receiving_share", _("A sharing agreement says the receiving state's share."))
    errors.raise_any()
    assert data.transferring_state and data.receiving_state and data.concluded_on  # noqa: S101
    with transaction.atomic():
        agreement = Agreement.objects.create(
            case=case,
            kind=kind,
            basis=basis,
            transferring_state=data.transferring_state,
            receiving_state=data.receiving_state,
            concluded_on=data.concluded_on,
            reference=data.reference.strip(),
            terms=data.terms.strip(),
            receiving_share=share,
            expenses_deductible=data.expenses_deductible,
            recorded_by=user,
            recorded_by_authority=authority,
        )
        details = {"agreement": str(agreement.public_id), "kind": kind, "basis": basis}
        _event(
            asset=None,
            case=case,
            kind=AssetEventKind.AGREEMENT,
            user=user,
            authority=authority,
            details=details,
        )
        audit_record(
            code=Code.ASSET_AGREEMENT_RECORDED,
            actor=user,
            subject_type="case",
            subject_id=str(case.public_id),
            details=details,
        )
    return agreement


def transfer_record(
    *,
    user: User,
    agreement: Agreement,
    asset: Asset | None,
    transferred_on: datetime.date | None,
    gross_amount: Any,
    currency: str,
    expenses: Any = None,
    reference: str = "",
    note: str = "",
) -> Transfer:
    """Money or property handed over: net = gross - expenses (UNCAC art. 57(4))."""
    authority = _authority(user)
    errors = _Errors()
    if transferred_on is None:
        errors.add("transferred_on", _("Give the date of the transfer."))
    elif transferred_on > timezone.localdate():
        errors.add("transferred_on", _("A transfer date cannot be in the future."))
    elif transferred_on < agreement.concluded_on:
        errors.add("transferred_on", _("A transfer cannot precede its agreement."))
    gross = _amount(errors, "gross_amount", gross_amount)
    if gross is None and "gross_amount" not in errors.errors:
        errors.add("gross_amount", _("Give the amount transferred."))
    costs = _amount(errors, "expenses", expenses) or Decimal(0)
    code = _currency(errors, "currency", currency, required=True)
    if costs and not agreement.expenses_deductible:
        errors.add("expenses", _("This agreement does not allow expenses to be deducted."))
    if gross is not None and costs > gross:
        errors.add("expenses", _("Expenses cannot exceed the gross amount."))
    if asset is not None and asset.case_id != agreement.case_id:
        errors.add("asset", _("This asset belongs to another case."))
    errors.raise_any()
    assert gross is not None and transferred_on is not None  # noqa: S101
    with transaction.atomic():
        transfer = Transfer.objects.create(
            agreement=agreement,
            asset=asset,
            transferred_on=transferred_on,
            gross_amount=gross,
            expenses=costs,
            net_amount=gross - costs,
            currency=code,
            reference=reference.strip(),
            note=note.strip(),
            recorded_by=user,
            recorded_by_authority=authority,
        )
        details = {
            "transfer": str(transfer.public_id),
            "agreement": str(agreement.public_id),
            "net": str(transfer.net_amount),
            "currency": code,
        }
        _event(
            asset=asset,
            case=agreement.case,
            kind=AssetEventKind.TRANSFER,
            user=user,
            authority=authority,
            details=details,
        )
        audit_record(
            code=Code.ASSET_TRANSFER_RECORDED,
            actor=user,
            subject_type="case",
            subject_id=str(agreement.case.public_id),
            details=details,
        )
        if asset is not None:
            locked = Asset.objects.select_for_update().select_related("case").get(pk=asset.pk)
            _move(
                asset=locked,
                target=(
                    AssetStatus.SHARED_OR_RETURNED
                    if flow.may_move(locked.status, AssetStatus.SHARED_OR_RETURNED)
                    else None
                ),
                user=user,
                reason="",
                cause={"transfer": str(transfer.public_id)},
            )
    return transfer


# Exchange rates -------------------------------------------------------------------------


def rate_set(
    *,
    user: User | None,
    currency: str,
    quote: str,
    rate: Any,
    rate_date: datetime.date | None,
    source: str,
    sample: bool = False,
) -> ExchangeRate:
    """Record (or correct) the rate of one day. The source is required: no invented rates."""
    errors = _Errors()
    code = _currency(errors, "currency", currency, required=True)
    quote_code = _currency(errors, "quote", quote, required=True)
    if code and quote_code and code == quote_code:
        errors.add("quote", _("A rate converts between two different currencies."))
    value = _amount(errors, "rate", rate, places=RATE_PLACES)
    if value is not None and value == 0:
        errors.add("rate", _("A rate must be above zero."))
    elif value is None and "rate" not in errors.errors:
        errors.add("rate", _("Give the rate."))
    if rate_date is None:
        errors.add("rate_date", _("Give the date of the rate."))
    elif rate_date > timezone.localdate():
        errors.add("rate_date", _("A rate date cannot be in the future."))
    if not source.strip():
        errors.add("source", _("Name the source of the rate (e.g. the central bank)."))
    errors.raise_any()
    assert value is not None and rate_date is not None  # noqa: S101 (checked above)
    with transaction.atomic():
        row, _created = ExchangeRate.objects.update_or_create(
            currency=code,
            quote=quote_code,
            rate_date=rate_date,
            defaults={
                "rate": value,
                "source": source.strip(),
                "sample": sample,
                "recorded_by": user,
            },
        )
        audit_record(
            code=Code.EXCHANGE_RATE_RECORDED,
            actor=user,
            subject_type="exchange_rate",
            subject_id=f"{code}/{quote_code}/{rate_date}",
            details={"rate": str(value), "source": source.strip(), "sample": sample},
        )
    return row
