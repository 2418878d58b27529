"""Orders on an asset: recording one, reporting how far it was executed, renewing it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.assets import services
from comity.assets.forms import (
    ExecutionForm,
    OrderForm,
    RenewalForm,
    add_asset_errors,
    amount_text,
)
from comity.assets.models import Asset, Order
from comity.assets.views.assets import asset_url
from comity.assets.views.common import (
    access_asset,
    access_order,
    states,
    user_of_assets,
    writer,
)
from comity.cooperation.models import Request


def _requests(user: User, asset: Asset) -> list[Request]:
    """The case's requests this user sees: an order may be made under one of them."""
    return list(
        Request.objects.filter(policy.request_visibility_q(user), case_id=asset.case_id).order_by(
            "reference"
        )
    )


def _order_initial(user: User, asset: Asset) -> dict[str, Any]:
    authority = user.authority
    return {
        "issuing_state": authority.state.iso3 if authority is not None else "",
        "currency": asset.currency,
        "request": str(asset.request.public_id) if asset.request is not None else "",
    }


@require_http_methods(["GET", "POST"])
@login_required
def order_create(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    asset = access_asset(user=user, id=id)
    writer(user, asset)
    data = request.POST if request.method == "POST" else None
    form = OrderForm(
        data,
        initial=_order_initial(user, asset),
        requests=_requests(user, asset),
        states=states(),
    )
    if data is not None and form.is_valid():
        try:
            services.order_record(user=user, asset=asset, data=form.data_for_service())
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The order was recorded."))
            return redirect(asset_url(asset))
    context = {"asset": asset, "case": asset.case, "form": form}
    return render(request, "assets/order_form.html", context, status=400 if data else 200)


def _writable_order(request: HttpRequest, id: uuid.UUID) -> tuple[User, Order]:
    user = user_of_assets(request)
    order = access_order(user=user, id=id)
    writer(user, order.asset)
    return user, order


@require_http_methods(["GET", "POST"])
@login_required
def order_execution(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    """The executing side says how far the order went (e.g. part of the balance found)."""
    user, order = _writable_order(request, id)
    data = request.POST if request.method == "POST" else None
    form = ExecutionForm(data, initial={"execution": order.execution})
    if data is not None and form.is_valid():
        try:
            services.order_report_execution(
                user=user,
                order=order,
                execution=form.cleaned_data["execution"],
                amount=amount_text(form.cleaned_data["amount"]) or None,
                note=form.cleaned_data["note"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The execution was reported."))
            return redirect(asset_url(order.asset))
    context = {"order": order, "asset": order.asset, "case": order.asset.case, "form": form}
    return render(request, "assets/execution_form.html", context, status=400 if data else 200)


@require_http_methods(["GET", "POST"])
@login_required
def order_renew(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user, order = _writable_order(request, id)
    data = request.POST if request.method == "POST" else None
    form = RenewalForm(data)
    if data is not None and form.is_valid():
        try:
            services.order_renew(
                user=user,
                order=order,
                new_expiry=form.cleaned_data["new_expiry"],
                renewed_on=form.cleaned_data["renewed_on"],
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The order was renewed."))
            return redirect(asset_url(order.asset))
    context = {
        "order": order,
        "asset": order.asset,
        "case": order.asset.case,
        "form": form,
        "renewals": list(order.renewals.all()),
    }
    return render(request, "assets/renewal_form.html", context, status=400 if data else 200)
