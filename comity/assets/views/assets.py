"""One asset: its page (details, holders, orders with their renewals, timeline, expiry
warning), recording and editing it, its status by hand and its holders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comity import policy
from comity.accounts.models import User
from comity.assets import selectors, services
from comity.assets import status as flow
from comity.assets.forms import (
    AssetForm,
    HolderForm,
    NewAssetForm,
    StatusForm,
    add_asset_errors,
    amount_text,
)
from comity.assets.ledger import STAGES, stage_amounts
from comity.assets.models import Asset, Holding, HoldingRole, Order, Party, Transfer
from comity.assets.views.common import (
    Expiry,
    access_asset,
    access_case,
    audit_asset,
    next_expiry,
    order_expiry,
    states,
    user_of_assets,
    writer,
)
from comity.assets.views.display import STAGE_LABELS
from comity.cooperation.models import Case, Request

TIMELINE = 200
BENEFICIAL = (HoldingRole.BENEFICIAL_OWNER,)
INTERPOSED = (HoldingRole.NOMINEE, HoldingRole.FRONT)


def asset_url(asset: Asset) -> str:
    return reverse("assets:asset_detail", kwargs={"id": asset.public_id})


@dataclass(frozen=True)
class OrderLine:
    order: Order
    expiry: Expiry | None


def _load(asset: Asset) -> None:
    """Everything the asset page reads, in a fixed number of queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [asset],
        Prefetch(
            "orders",
            queryset=Order.objects.select_related(
                "issuing_state", "request", "recorded_by_authority"
            )
            .prefetch_related("renewals")
            .order_by("order_date", "id"),
        ),
        Prefetch(
            "transfers",
            queryset=Transfer.objects.select_related("agreement").order_by("transferred_on", "id"),
        ),
        Prefetch("holdings", queryset=Holding.objects.select_related("party__state")),
    )


def _asset_page(
    request: HttpRequest, user: User, asset: Asset, status_form: StatusForm | None = None
) -> HttpResponse:
    _load(asset)
    today = timezone.localdate()
    orders = list(asset.orders.all())
    holdings = list(asset.holdings.all())
    can_write = policy.can_write_asset(user, asset)
    amounts = stage_amounts(asset)
    context: dict[str, Any] = {
        "asset": asset,
        "case": asset.case,
        "orders": [OrderLine(o, order_expiry(o, today)) for o in orders],
        "expiry": next_expiry(asset, orders, today),
        "holders": [h for h in holdings if h.role not in BENEFICIAL],
        "beneficial": [h for h in holdings if h.role in BENEFICIAL],
        "interposed": INTERPOSED,
        "transfers": list(asset.transfers.all()),
        "stages": [(STAGE_LABELS[s], amounts[s]) for s in STAGES if s in amounts],
        "timeline": list(selectors.asset_timeline(asset)[:TIMELINE]),
        "can_write": can_write,
        "status_form": status_form
        or (StatusForm(targets=flow.manual_targets(asset.status)) if can_write else None),
    }
    return render(request, "assets/asset_detail.html", context, status=400 if status_form else 200)


@require_GET
@login_required
def asset_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    asset = access_asset(user=user, id=id)
    audit_asset(user, asset)
    return _asset_page(request, user, asset)


@require_POST
@login_required
def asset_status(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    asset = access_asset(user=user, id=id)
    writer(user, asset)
    form = StatusForm(request.POST, targets=flow.manual_targets(asset.status))
    if form.is_valid():
        try:
            services.asset_set_status(
                user=user,
                asset=asset,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The status of the asset was changed."))
            return redirect(asset_url(asset))
    audit_asset(user, asset)  # the page is shown again, with the asset
    return _asset_page(request, user, asset, status_form=form)


def _request_of(user: User, case: Case, public_id: str) -> Request | None:
    """The request named in ?request=, which must be one of the case's that the user sees."""
    if not public_id:
        return None
    try:
        key = uuid.UUID(public_id)
    except ValueError as exc:
        raise Http404 from exc
    found = (
        Request.objects.filter(policy.request_visibility_q(user), case=case, public_id=key)
        .select_related("case", "requested_state")
        .first()
    )
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
@login_required
def asset_create(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    case = access_case(user=user, id=id)
    req = _request_of(user, case, request.GET.get("request", ""))
    if not policy.can_record_asset(user, case, req):
        raise PermissionDenied(_("You may not record assets in this case."))
    data = request.POST if request.method == "POST" else None
    initial = {"location_state": req.requested_state.iso3} if req is not None else None
    form = NewAssetForm(data, initial=initial, states=states())
    if data is not None and form.is_valid():
        try:
            asset = services.asset_create(
                user=user,
                case=case,
                request=req,
                data=form.data_for_service(),
                status=form.cleaned_data["status"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The asset was recorded."))
            return redirect(asset_url(asset))
    context = {"case": case, "req": req, "form": form, "asset": None}
    return render(request, "assets/asset_form.html", context, status=400 if data else 200)


@require_http_methods(["GET", "POST"])
@login_required
def asset_edit(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    asset = access_asset(user=user, id=id)
    writer(user, asset)
    data = request.POST if request.method == "POST" else None
    form = AssetForm(data, initial=AssetForm.initial_for(asset), states=states())
    if data is not None and form.is_valid():
        try:
            services.asset_update(user=user, asset=asset, data=form.data_for_service())
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The asset was saved."))
            return redirect(asset_url(asset))
    context = {"case": asset.case, "req": asset.request, "form": form, "asset": asset}
    return render(request, "assets/asset_form.html", context, status=400 if data else 200)


def _parties(user: User, asset: Asset) -> list[Party]:
    """Holders already known in the case, among the assets this user sees."""
    visible = selectors.visible_assets(user).filter(case=asset.case)
    return list(
        Party.objects.filter(case=asset.case, holdings__asset__in=visible)
        .distinct()
        .order_by("name", "id")
    )


@require_http_methods(["GET", "POST"])
@login_required
def holder_add(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    asset = access_asset(user=user, id=id)
    writer(user, asset)
    data = request.POST if request.method == "POST" else None
    form = HolderForm(data, parties=_parties(user, asset), states=states())
    if data is not None and form.is_valid():
        try:
            services.holder_add(
                user=user,
                asset=asset,
                role=form.cleaned_data["role"],
                party=form.chosen_party(),
                new_party=form.new_party_data(),
                share=amount_text(form.cleaned_data["share"]) or None,
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The holder was recorded."))
            return redirect(asset_url(asset))
    context = {"asset": asset, "case": asset.case, "form": form}
    return render(request, "assets/holder_form.html", context, status=400 if data else 200)
