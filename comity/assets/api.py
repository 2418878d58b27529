"""The asset ledger over the API (docs/assets.md): /api/v1/assets.

The same rules as the pages, all through comity.policy: an asset is seen by its case's
authority and by the other side of the request it travels with; officers and supervisors
write, reviewers read; the exchange-rate table is the coordinators'. Hidden and missing
objects both answer 404; a write the user may not make, 403. Bad input answers 400 with the
services' messages per field. Every read of an asset, a ledger or an export is audited.

Money is a string with its currency, never a float (comity/assets/schemas.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from comity import policy
from comity.accounts.models import User
from comity.api.auth import api_user
from comity.api.errors import ApiError
from comity.api.errors import error_responses as _errors
from comity.api.pagination import PageParams, paginate
from comity.assets import selectors, services, tasks
from comity.assets.ledger import build_ledger, ledger_by_pair
from comity.assets.models import Agreement, Asset, Holding, Order, Party
from comity.assets.money import is_currency
from comity.assets.schemas import (
    AgreementIn,
    AgreementOut,
    AssetFilter,
    AssetIn,
    AssetOut,
    AssetPage,
    ExecutionIn,
    ExpiringOut,
    ExpiringQuery,
    FtmOut,
    GroupOut,
    HolderIn,
    HolderOut,
    LedgerOut,
    LedgerQuery,
    OrderIn,
    OrderOut,
    RateIn,
    RateOut,
    RatePage,
    RegionLedgerOut,
    RenewalIn,
    RenewalOut,
    StatusIn,
    TransferIn,
    TransferOut,
    agreement_out,
    asset_out,
    asset_summary_out,
    expiring_out,
    holder_out,
    ledger_out,
    order_out,
    rate_out,
    renewal_out,
    transfer_out,
)
from comity.assets.status import manual_targets
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.models import Case, Request
from comity.directory.models import State

router = Router(tags=["assets"])

_READ = (400, 401, 404)
_WRITE = (400, 401, 403, 404, 415)

Fields = dict[str, list[str]]


# ---------------------------------------------------------------------------- helpers


def _invalid(fields: Fields) -> ApiError:
    texts = [text for messages in fields.values() for text in messages]
    message = (
        texts[0] if len(texts) == 1 else _("Some of the data sent is not valid; see the fields.")
    )
    return ApiError(status=400, code="invalid", message=message, fields=fields)


def _from_service(error: services.AssetError) -> ApiError:
    """The services' messages per field ("" is the whole form: ``__all__``)."""
    fields: Fields = {}
    for name, texts in error.errors.items():
        fields.setdefault(name or NON_FIELD_ERRORS, []).extend(texts)
    return _invalid(fields)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


def _state(fields: Fields, name: str, code: str, *, required: bool) -> State | None:
    code = (code or "").strip().upper()
    if not code:
        if required:
            fields.setdefault(name, []).append(_("This field is required."))
        return None
    found = State.objects.filter(iso3=code).first()
    if found is None:
        fields.setdefault(name, []).append(
            _("%(code)s is not an ISO 3166 alpha-3 code of a known state.") % {"code": code}
        )
    return found


def _case(user: User, id: str | uuid.UUID) -> Case:
    case = selectors.case_for(user, _uuid(str(id)))
    if case is None:
        raise Http404
    return case


def _asset(user: User, id: str) -> Asset:
    asset = selectors.asset_for(user, _uuid(id))
    if asset is None:
        raise Http404
    return asset


def _order(user: User, id: str) -> Order:
    order = selectors.order_for(user, _uuid(id))
    if order is None:
        raise Http404
    return order


def _writable(user: User, asset: Asset) -> None:
    if not policy.can_write_asset(user, asset):
        raise PermissionDenied(_("You may not record on this asset."))


def _request_of(fields: Fields, case: Case, id: uuid.UUID | None) -> Request | None:
    if id is None:
        return None
    found = Request.objects.filter(case=case, public_id=id).first()
    if found is None:
        fields.setdefault("request", []).append(_("No request with this id in the case."))
    return found


def _assets(user: User) -> QuerySet[Asset]:
    return selectors.visible_assets(user).select_related(
        "case__authority", "request", "location_state", "created_by_authority"
    )


def _asset_detail(user: User, asset: Asset) -> AssetOut:
    full = (
        Asset.objects.filter(pk=asset.pk)
        .select_related("case__authority", "request", "location_state", "created_by_authority")
        .prefetch_related(
            Prefetch(
                "holdings", queryset=Holding.objects.select_related("party__state").order_by("id")
            ),
            Prefetch(
                "orders",
                queryset=Order.objects.select_related(
                    "asset", "issuing_state", "request", "recorded_by_authority"
                )
                .prefetch_related("renewals")
                .order_by("order_date", "id"),
            ),
        )
        .get()
    )
    return asset_out(full, next_statuses=manual_targets(full.status))


def _order_detail(order: Order) -> OrderOut:
    full = (
        Order.objects.select_related("asset", "issuing_state", "request", "recorded_by_authority")
        .prefetch_related("renewals")
        .get(pk=order.pk)
    )
    return order_out(full)


def _reporting(fields: Fields, code: str) -> str:
    code = (code or "").strip().upper() or "USD"
    if not is_currency(code):
        fields.setdefault("currency", []).append(
            _("%(code)s is not an ISO 4217 currency code.") % {"code": code}
        )
    return code


def _audit_ledger(user: User, *, subject_type: str, subject_id: str, **details: Any) -> None:
    audit_record(
        code=Code.ASSET_LEDGER_VIEWED,
        actor=user,
        subject_type=subject_type,
        subject_id=subject_id,
        details={**details, "via": "api"},
    )


# ---------------------------------------------------------------------------- fixed paths
# Registered before "/{id}" so that "ledger", "rates" and "expiring" are not taken for ids.


@router.get("/ledger", response={200: RegionLedgerOut, **_errors(_READ)}, url_name="assets_ledger")
def region_ledger(request: HttpRequest, query: Query[LedgerQuery]) -> RegionLedgerOut:
    """The region's ledger over the assets you see, whole and by pair of states (requesting
    state, state where the asset is): traced, frozen, confiscated, realised, returned, in
    counts and totals in the reporting currency. The read is audited."""
    user = api_user(request)
    fields: Fields = {}
    currency = _reporting(fields, query.currency)
    if fields:
        raise _invalid(fields)
    as_of = query.as_of or timezone.localdate()
    whole, groups = ledger_by_pair(selectors.ledger_assets(user), reporting=currency, as_of=as_of)
    _audit_ledger(
        user, subject_type="region", subject_id="", currency=currency, as_of=as_of.isoformat()
    )
    return RegionLedgerOut(
        whole=ledger_out(whole),
        pairs=[GroupOut(key=g.key, label=g.label, ledger=ledger_out(g.ledger)) for g in groups],
    )


@router.get("/rates", response={200: RatePage, **_errors(_READ)}, url_name="assets_rates")
def rate_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """The exchange-rate table, by currency pair, latest first."""
    api_user(request)
    return paginate(request, selectors.rates(), page, rate_out)


@router.post("/rates", response={201: RateOut, **_errors(_WRITE)}, url_name="assets_rate_set")
def rate_set(request: HttpRequest, payload: RateIn) -> Status[RateOut]:
    """Record (or correct) the rate of one day: 1 currency = rate quote, with its source.
    Network coordinators only."""
    user = api_user(request)
    if not policy.can_manage_rates(user):
        raise PermissionDenied(_("The exchange-rate table is kept by the coordinators."))
    try:
        row = services.rate_set(
            user=user,
            currency=payload.currency,
            quote=payload.quote,
            rate=payload.rate,
            rate_date=payload.rate_date,
            source=payload.source,
            sample=payload.sample,
        )
    except services.AssetError as error:
        raise _from_service(error) from error
    return Status(201, rate_out(row))


@router.get("/expiring", response={200: ExpiringOut, **_errors(_READ)}, url_name="assets_expiring")
def expiring(request: HttpRequest, query: Query[ExpiringQuery]) -> ExpiringOut:
    """Orders in effect on assets you see that expire within ``days`` (default 30), soonest
    first, and those already expired without renewal (``expired``)."""
    user = api_user(request)
    as_of = query.as_of or timezone.localdate()
    orders = tasks.watched_orders(today=as_of, days=query.days)
    visible = set(
        selectors.visible_assets(user)
        .filter(pk__in={o.asset_id for o in orders})
        .values_list("pk", flat=True)
    )
    return expiring_out([o for o in orders if o.asset_id in visible], as_of=as_of, days=query.days)


# ---------------------------------------------------------------------------- orders


@router.post(
    "/orders/{id}/execution",
    response={200: OrderOut, **_errors(_WRITE)},
    url_name="assets_order_execution",
)
def order_execution(request: HttpRequest, id: str, payload: ExecutionIn) -> OrderOut:
    """Report how far an order was executed (e.g. only part of the balance found: partial,
    with the amount), or that it was lifted."""
    user = api_user(request)
    order = _order(user, id)
    _writable(user, order.asset)
    try:
        services.order_report_execution(
            user=user,
            order=order,
            execution=payload.execution,
            amount=payload.amount,
            note=payload.note,
        )
    except services.AssetError as error:
        raise _from_service(error) from error
    return _order_detail(order)


@router.post(
    "/orders/{id}/renewals",
    response={201: RenewalOut, **_errors(_WRITE)},
    url_name="assets_order_renew",
)
def order_renew(request: HttpRequest, id: str, payload: RenewalIn) -> Status[RenewalOut]:
    """Extend an order's expiry date; the order keeps the new date and its history."""
    user = api_user(request)
    order = _order(user, id)
    _writable(user, order.asset)
    try:
        renewal = services.order_renew(
            user=user,
            order=order,
            new_expiry=payload.new_expiry,
            renewed_on=payload.renewed_on,
            reference=payload.reference,
            note=payload.note,
        )
    except services.AssetError as error:
        raise _from_service(error) from error
    return Status(201, renewal_out(renewal))


# ---------------------------------------------------------------------------- cases


@router.get(
    "/cases/{id}/ledger", response={200: LedgerOut, **_errors(_READ)}, url_name="assets_case_ledger"
)
def case_ledger(request: HttpRequest, id: str, query: Query[LedgerQuery]) -> LedgerOut:
    """A case's ledger over the assets of it you see, each row traceable to its asset. The
    read is audited."""
    user = api_user(request)
    case = _case(user, id)
    fields: Fields = {}
    currency = _reporting(fields, query.currency)
    if fields:
        raise _invalid(fields)
    as_of = query.as_of or timezone.localdate()
    ledger = build_ledger(selectors.case_assets(user, case), reporting=currency, as_of=as_of)
    _audit_ledger(
        user,
        subject_type="case",
        subject_id=str(case.public_id),
        case=case.reference,
        currency=currency,
        as_of=as_of.isoformat(),
    )
    return ledger_out(ledger)


@router.post(
    "/cases/{id}/agreements",
    response={201: AgreementOut, **_errors(_WRITE)},
    url_name="assets_agreement_create",
)
def agreement_create(request: HttpRequest, id: str, payload: AgreementIn) -> Status[AgreementOut]:
    """Record a return or asset-sharing agreement (UNCAC art. 57) for the case's assets."""
    user = api_user(request)
    case = _case(user, id)
    if not policy.can_record_agreement(user, case):
        raise PermissionDenied(_("You may not record agreements for this case."))
    fields: Fields = {}
    giving = _state(fields, "transferring_state", payload.transferring_state, required=True)
    taking = _state(fields, "receiving_state", payload.receiving_state, required=True)
    _refuse_unless_service_will(fields, {"transferring_state", "receiving_state"})
    try:
        agreement = services.agreement_record(
            user=user,
            case=case,
            data=services.AgreementData(
                kind=payload.kind,
                basis=payload.basis,
                transferring_state=giving,
                receiving_state=taking,
                concluded_on=payload.concluded_on,
                terms=payload.terms,
                reference=payload.reference,
                receiving_share=payload.receiving_share,
                expenses_deductible=payload.expenses_deductible,
            ),
        )
    except services.AssetError as error:
        raise _merged(fields, error) from error
    return Status(201, _agreement_detail(agreement))


def _refuse_unless_service_will(fields: Fields, required: set[str]) -> None:
    """Refuse now what only the API could check (an unknown id), unless the only errors are
    unknown codes of fields the service requires: it then refuses too, and every field's
    message comes back at once."""
    if set(fields) - required:
        raise _invalid(fields)


def _merged(fields: Fields, error: services.AssetError) -> ApiError:
    """The API's own field errors (unknown state codes) with the services' ones; a field
    the API already refused keeps only the API's message."""
    merged: Fields = {name: list(texts) for name, texts in fields.items()}
    for name, texts in error.errors.items():
        key = name or NON_FIELD_ERRORS
        if key not in fields:
            merged.setdefault(key, []).extend(texts)
    return _invalid(merged)


def _agreement_detail(agreement: Agreement) -> AgreementOut:
    full = (
        Agreement.objects.select_related("case", "transferring_state", "receiving_state")
        .prefetch_related("transfers__asset")
        .get(pk=agreement.pk)
    )
    return agreement_out(full)


@router.post(
    "/agreements/{id}/transfers",
    response={201: TransferOut, **_errors(_WRITE)},
    url_name="assets_transfer_create",
)
def transfer_create(request: HttpRequest, id: str, payload: TransferIn) -> Status[TransferOut]:
    """Record what was handed over under an agreement: gross, expenses deducted, net."""
    user = api_user(request)
    agreement = selectors.agreement_for(user, _uuid(id))
    if agreement is None:
        raise Http404
    if not policy.can_record_agreement(user, agreement.case):
        raise PermissionDenied(_("You may not record transfers for this case."))
    fields: Fields = {}
    asset: Asset | None = None
    if payload.asset is not None:
        asset = selectors.asset_for(user, payload.asset)
        if asset is None or asset.case_id != agreement.case_id:
            fields["asset"] = [_("No asset with this id in the case.")]
    _refuse_unless_service_will(fields, set())
    try:
        transfer = services.transfer_record(
            user=user,
            agreement=agreement,
            asset=asset,
            transferred_on=payload.transferred_on,
            gross_amount=payload.gross_amount,
            currency=payload.currency,
            expenses=payload.expenses,
            reference=payload.reference,
            note=payload.note,
        )
    except services.AssetError as error:
        raise _merged(fields, error) from error
    return Status(201, transfer_out(transfer))


@router.get(
    "/cases/{id}/ftm", response={200: FtmOut, **_errors((*_READ, 503))}, url_name="assets_case_ftm"
)
def case_ftm(request: HttpRequest, id: str) -> FtmOut:
    """The case's persons, companies, assets and ownership links as FollowTheMoney
    entities (validated with the followthemoney library); only the assets you see. For the
    JSON-lines file that FtM tools import, see the case page's download. Audited."""
    user = api_user(request)
    case = _case(user, id)
    try:
        from comity.assets import ftm
    except ImportError as error:
        message = _("The FollowTheMoney export is not installed on this node.")
        raise ApiError(status=503, code="unavailable", message=message) from error
    export = ftm.export_case(
        actor=user, case=case, assets=selectors.visible_assets(user), via="api", fmt="json"
    )
    return FtmOut(case=case.reference, entities=export.dicts())


# ---------------------------------------------------------------------------- assets


@router.get("", response={200: AssetPage, **_errors(_READ)}, url_name="assets_list")
def asset_list(request: HttpRequest, filters: Query[AssetFilter]) -> dict[str, Any]:
    """The assets you see, oldest first; filter by case, status, kind and location state."""
    user = api_user(request)
    rows = _assets(user)
    if filters.case is not None:
        rows = rows.filter(case__public_id=filters.case)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.location_state:
        rows = rows.filter(location_state__iso3=filters.location_state.upper())
    return paginate(request, rows.order_by("created_at", "id"), filters, asset_summary_out)


@router.post("", response={201: AssetOut, **_errors(_WRITE)}, url_name="assets_create")
def asset_create(request: HttpRequest, payload: AssetIn) -> Status[AssetOut]:
    """Record an asset on a case: your own case, or the case of a request your authority
    received (then with ``request``). Identifiers are checked where a standard exists."""
    user = api_user(request)
    case = _case(user, payload.case)
    fields: Fields = {}
    linked = _request_of(fields, case, payload.request)
    if not fields and not policy.can_record_asset(user, case, linked):
        raise PermissionDenied(_("You may not record assets on this case."))
    where = _state(fields, "location_state", payload.location_state, required=True)
    data = services.AssetData(
        kind=payload.kind,
        location_state=where,
        identifier=payload.identifier,
        description=payload.description,
        institution=payload.institution,
        address=payload.address,
        estimated_value=payload.estimated_value,
        currency=payload.currency,
        valuation_date=payload.valuation_date,
    )
    _refuse_unless_service_will(fields, {"location_state"})
    try:
        asset = services.asset_create(
            user=user, case=case, data=data, request=linked, status=payload.status
        )
    except services.AssetError as error:
        raise _merged(fields, error) from error
    return Status(201, _asset_detail(user, asset))


@router.get("/{id}", response={200: AssetOut, **_errors(_READ)}, url_name="assets_detail")
def asset_detail(request: HttpRequest, id: str) -> AssetOut:
    """One asset with its holders, and its orders with their renewals. The read is
    audited."""
    user = api_user(request)
    asset = _asset(user, id)
    audit_record(
        code=Code.ASSET_VIEWED,
        actor=user,
        subject_type="asset",
        subject_id=str(asset.public_id),
        details={"case": asset.case.reference, "via": "api"},
    )
    return _asset_detail(user, asset)


@router.post("/{id}/status", response={200: AssetOut, **_errors(_WRITE)}, url_name="assets_status")
def asset_status(request: HttpRequest, id: str, payload: StatusIn) -> AssetOut:
    """Set a status by hand, with a reason (``next_statuses`` of the asset lists the ones
    allowed)."""
    user = api_user(request)
    asset = _asset(user, id)
    _writable(user, asset)
    try:
        services.asset_set_status(
            user=user, asset=asset, status=payload.status, reason=payload.reason
        )
    except services.AssetError as error:
        raise _from_service(error) from error
    return _asset_detail(user, asset)


_PARTY_FIELDS = {
    "kind": "new_party.kind",
    "name": "new_party.name",
    "birth_date": "new_party.birth_date",
}


@router.post(
    "/{id}/holders", response={201: HolderOut, **_errors(_WRITE)}, url_name="assets_holder_add"
)
def holder_add(request: HttpRequest, id: str, payload: HolderIn) -> Status[HolderOut]:
    """Link a holder: one already recorded on the case (``party``) or a new one
    (``new_party``). A nominee or front is one holding; the beneficial owner behind them is
    another, on the same asset."""
    user = api_user(request)
    asset = _asset(user, id)
    _writable(user, asset)
    fields: Fields = {}
    party: Party | None = None
    if payload.party is not None:
        party = Party.objects.filter(case=asset.case, public_id=payload.party).first()
        if party is None:
            fields["party"] = [_("No holder with this id in the case.")]
    new_party: services.PartyData | None = None
    if payload.new_party is not None:
        given = payload.new_party
        new_party = services.PartyData(
            kind=given.kind,
            name=given.name,
            birth_date=given.birth_date,
            registration_number=given.registration_number,
            state=_state(fields, "new_party.state", given.state, required=False),
            notes=given.notes,
        )
    _refuse_unless_service_will(fields, set())
    try:
        holding = services.holder_add(
            user=user,
            asset=asset,
            role=payload.role,
            party=party,
            new_party=new_party,
            share=payload.share,
        )
    except services.AssetError as error:
        aliased = services.AssetError(
            {_PARTY_FIELDS.get(name, name): texts for name, texts in error.errors.items()}
        )
        raise _merged(fields, aliased) from error
    holding = Holding.objects.select_related("party__state").get(pk=holding.pk)
    return Status(201, holder_out(holding))


@router.post(
    "/{id}/orders", response={201: OrderOut, **_errors(_WRITE)}, url_name="assets_order_create"
)
def order_create(request: HttpRequest, id: str, payload: OrderIn) -> Status[OrderOut]:
    """Record an order on the asset (by either side); the asset moves to the stage the
    order stands for. An expiry date must follow the order date."""
    user = api_user(request)
    asset = _asset(user, id)
    _writable(user, asset)
    fields: Fields = {}
    issuing = _state(fields, "issuing_state", payload.issuing_state, required=True)
    linked = _request_of(fields, asset.case, payload.request)
    data = services.OrderData(
        kind=payload.kind,
        issuing_state=issuing,
        issuing_authority=payload.issuing_authority,
        order_date=payload.order_date,
        execution=payload.execution,
        confiscation_basis=payload.confiscation_basis,
        legal_basis=payload.legal_basis,
        reference=payload.reference,
        effective_date=payload.effective_date,
        expiry_date=payload.expiry_date,
        requested_amount=payload.requested_amount,
        amount=payload.amount,
        currency=payload.currency,
        execution_note=payload.execution_note,
        request=linked,
    )
    _refuse_unless_service_will(fields, {"issuing_state"})
    try:
        order = services.order_record(user=user, asset=asset, data=data)
    except services.AssetError as error:
        raise _merged(fields, error) from error
    return Status(201, _order_detail(order))
