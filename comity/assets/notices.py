"""Who hears about an asset: the authority of its case and the other side of the requests
it travels with (the requested central authority and the executing authority)."""

from __future__ import annotations

from typing import Any

from comity.assets.models import Asset
from comity.cooperation.notifications import notify_authority
from comity.directory.models import Authority


def asset_sides(asset: Asset) -> list[Authority]:
    """Every authority that sees the asset, the case's first."""
    found: dict[int, Authority] = {asset.case.authority_id: asset.case.authority}
    requests = [asset.request] if asset.request is not None else []
    requests += [
        order.request
        for order in asset.orders.select_related(
            "request__requested_authority", "request__executing_authority"
        )
        if order.request is not None
    ]
    for request in requests:
        if request.submitted_at is None:
            continue
        for authority in (request.requested_authority, request.executing_authority):
            if authority is not None:
                found.setdefault(authority.pk, authority)
    return list(found.values())


def notify_asset_sides(
    *,
    asset: Asset,
    kind: str,
    params: dict[str, Any],
    key: str,
    exclude_authority: int | None = None,
) -> int:
    """Notify every side of the asset but ``exclude_authority``; idempotent by ``key``."""
    label = asset.identifier or asset.get_kind_display()
    full = {"reference": f"{asset.case.reference} / {label}", "asset": str(asset.public_id)}
    full.update(params)
    raised = 0
    for authority in asset_sides(asset):
        if authority.pk == exclude_authority:
            continue
        raised += notify_authority(
            authority=authority, request=asset.request, kind=kind, params=full, key=key
        )
    return raised
