"""The exchange-rate table (kept by the coordinators) and the orders about to lapse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from comity import policy
from comity.assets import selectors, services, tasks
from comity.assets.forms import DaysForm, RateForm, add_asset_errors, amount_text
from comity.assets.models import Order
from comity.assets.views.common import Expiry, audit_ledger, member, order_expiry, user_of_assets

# Rows of the rate table shown; the table is small (a rate a month per currency).
RATES_SHOWN = 500
DEFAULT_DAYS = 30


@require_http_methods(["GET", "POST"])
@login_required
def rates(request: HttpRequest) -> HttpResponse:
    user = member(request)
    can_manage = policy.can_manage_rates(user)
    if not (can_manage or policy.can_use_assets(user)):
        raise PermissionDenied(_("The asset ledger is open to the authorities' caseworkers."))
    data = request.POST if request.method == "POST" else None
    if data is not None and not can_manage:
        raise PermissionDenied(_("The exchange-rate table is kept by the network's coordinators."))
    form = RateForm(data, initial={"quote": "USD", "rate_date": timezone.localdate()})
    if data is not None and form.is_valid():
        try:
            services.rate_set(
                user=user,
                currency=form.cleaned_data["currency"],
                quote=form.cleaned_data["quote"],
                rate=amount_text(form.cleaned_data["rate"]) or None,
                rate_date=form.cleaned_data["rate_date"],
                source=form.cleaned_data["source"],
                sample=form.cleaned_data["sample"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The rate was recorded."))
            return redirect(reverse("assets:rates"))
    context: dict[str, Any] = {
        "rates": list(selectors.rates()[:RATES_SHOWN]),
        "form": form if can_manage else None,
    }
    return render(request, "assets/rates.html", context, status=400 if data else 200)


@dataclass(frozen=True)
class ExpiringLine:
    order: Order
    expiry: Expiry


@require_GET
@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """Orders in effect that lapse within ``?days=`` (30 by default) on assets the user sees,
    and those already lapsed without renewal."""
    user = user_of_assets(request)
    form = DaysForm(request.GET or None, initial={"days": DEFAULT_DAYS})
    days = form.value(DEFAULT_DAYS)
    today = timezone.localdate()
    watched = tasks.watched_orders(today=today, days=days)
    visible = set(
        selectors.visible_assets(user)
        .filter(pk__in={o.asset_id for o in watched})
        .values_list("pk", flat=True)
    )
    lines = []
    for order in watched:
        expiry = order_expiry(order, today)
        if order.asset_id in visible and expiry is not None:
            lines.append(ExpiringLine(order, expiry))
    audit_ledger(
        user,
        subject_type="expiring",
        subject_id="",
        days=days,
        assets=sorted(str(line.order.asset.public_id) for line in lines),
    )
    context: dict[str, Any] = {
        "form": form,
        "days": days,
        "expired": [line for line in lines if line.expiry.expired],
        "upcoming": [line for line in lines if not line.expiry.expired],
    }
    return render(request, "assets/expiring.html", context)
