"""The asset ledger's pages (docs/assets.md): the region's and a case's ledger, an asset
with its orders and holders, agreements and transfers, exchange rates, expiring orders."""

from __future__ import annotations

from comity.assets.views.agreements import agreement_create, transfer_create
from comity.assets.views.assets import (
    asset_create,
    asset_detail,
    asset_edit,
    asset_status,
    holder_add,
)
from comity.assets.views.ledger import case_ledger, ledger_home
from comity.assets.views.orders import order_create, order_execution, order_renew
from comity.assets.views.rates import expiring, rates

__all__ = [
    "agreement_create",
    "asset_create",
    "asset_detail",
    "asset_edit",
    "asset_status",
    "case_ledger",
    "expiring",
    "holder_add",
    "ledger_home",
    "order_create",
    "order_execution",
    "order_renew",
    "rates",
    "transfer_create",
]
