"""Labels, money and panels of the asset ledger: ``{% load assets_tags %}``."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comity import policy
from comity.assets.models import (
    AssetEventKind,
    AssetStatus,
    Execution,
    HoldingRole,
    OrderKind,
)
from comity.assets.money import currency_choices, minor_units
from comity.core import formatting

register = template.Library()

# Request types that deal with assets: their page shows the assets panel.
ASSET_REQUEST_TYPES = frozenset({"freezing", "seizure", "confiscation", "asset_return", "mla"})
_MAX_PLACES = 4
_RATE_PLACES = 10


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


@register.filter
def can_use_assets(user: Any) -> bool:
    """Caseworkers of an authority: the asset ledger is open to them."""
    return policy.can_use_assets(user)


@register.filter
def can_manage_rates(user: Any) -> bool:
    """The network's coordinators keep the exchange-rate table."""
    return policy.can_manage_rates(user)


@register.filter
def asset_status_label(value: object) -> str:
    return _label(AssetStatus, value)


@register.filter
def order_kind_label(value: object) -> str:
    return _label(OrderKind, value)


@register.filter
def execution_label(value: object) -> str:
    return _label(Execution, value)


@register.filter
def asset_event_label(value: object) -> str:
    return _label(AssetEventKind, value)


@register.filter
def holding_role_label(value: object) -> str:
    return _label(HoldingRole, value)


@register.filter
def status_badge(value: object) -> str:
    """A Bootstrap badge colour for an asset's status (text colours keep the contrast)."""
    return {
        "frozen": "text-bg-primary",
        "confiscated": "text-bg-dark",
        "under_management": "text-bg-dark",
        "realised": "text-bg-info",
        "shared_or_returned": "text-bg-success",
        "released": "text-bg-secondary",
        "closed": "text-bg-secondary",
    }.get(str(value), "text-bg-light border")


def amount_text(value: object, code: str = "") -> str:
    """An amount in the reader's digits, with the currency's minor units (more only when the
    amount has them: nothing entered is hidden by rounding)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = minor_units(code) if code else 2
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        places = min(-exponent, _MAX_PLACES)
    return formatting.local_number(amount, places)


@register.filter
def money(value: object, code: str = "") -> SafeString | str:
    """``{{ amount|money:"USD" }}``: the amount and its currency, kept together."""
    if value is None or value == "":
        return ""
    return format_html(
        '<span class="comity-money text-nowrap">{} {}</span>', amount_text(value, code), code
    )


@register.filter
def number(value: object, code: str = "") -> str:
    """An amount without its currency (in tables whose column names it)."""
    if value is None or value == "":
        return ""
    return amount_text(value, code)


@register.inclusion_tag("assets/_request_panel.html", takes_context=True)
def request_assets_panel(context: template.Context, req: Any) -> dict[str, Any]:
    """The assets box of a request's page, for the request types that deal with assets."""
    user = context.get("user")
    if user is None or req is None or req.type not in ASSET_REQUEST_TYPES:
        return {"shown": False}
    if not policy.can_use_assets(user):
        return {"shown": False}
    return {
        "shown": True,
        "req": req,
        "can_record": policy.can_record_asset(user, req.case, req),
    }


@register.inclusion_tag("assets/_currencies.html")
def currency_datalist() -> dict[str, Any]:
    """The ISO 4217 codes offered while typing a currency (any code may still be typed)."""
    return {"currency_options": currency_choices()}


@register.filter
def iso_date(value: object) -> str:
    """A date kept as ISO text (in an event's details), in the reader's format."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return formatting.local_date(day)


@register.filter
def rate_number(value: object) -> str:
    """An exchange rate with the digits it has (up to ten decimals), in the reader's digits."""
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    exponent = rate.normalize().as_tuple().exponent
    places = min(max(-exponent, 2), _RATE_PLACES) if isinstance(exponent, int) else 2
    return formatting.local_number(rate, places)
