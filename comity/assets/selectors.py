"""Reads of the asset ledger, always through comity.policy: what a user may not see is
missing (views answer 404 for it, exactly like an unknown id)."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from comity import policy
from comity.accounts.models import User
from comity.assets.ledger import with_ledger_data
from comity.assets.models import Agreement, Asset, AssetEvent, ExchangeRate, Order
from comity.cooperation.models import Case


def visible_assets(user: User) -> QuerySet[Asset]:
    return Asset.objects.filter(policy.asset_visibility_q(user))


def asset_for(user: User, public_id: uuid.UUID | str) -> Asset | None:
    return (
        visible_assets(user)
        .select_related(
            "case__authority__state", "location_state", "request", "created_by_authority"
        )
        .filter(public_id=public_id)
        .first()
    )


def order_for(user: User, public_id: uuid.UUID | str) -> Order | None:
    order = (
        Order.objects.select_related("asset__case", "issuing_state", "request")
        .filter(public_id=public_id)
        .first()
    )
    if order is None or not policy.can_view_asset(user, order.asset):
        return None
    return order


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(policy.asset_case_visibility_q(user))


def case_for(user: User, public_id: uuid.UUID | str) -> Case | None:
    return (
        visible_cases(user).select_related("authority__state").filter(public_id=public_id).first()
    )


def case_assets(user: User, case: Case) -> QuerySet[Asset]:
    return with_ledger_data(visible_assets(user).filter(case=case)).prefetch_related(
        "holdings__party"
    )


def ledger_assets(user: User) -> QuerySet[Asset]:
    return with_ledger_data(visible_assets(user))


def case_agreements(user: User, case: Case) -> QuerySet[Agreement]:
    """Agreements of a case, for those who see any of its assets."""
    if not visible_assets(user).filter(case=case).exists():
        return Agreement.objects.none()
    return (
        Agreement.objects.filter(case=case)
        .select_related("transferring_state", "receiving_state")
        .prefetch_related("transfers__asset")
    )


def agreement_for(user: User, public_id: uuid.UUID | str) -> Agreement | None:
    agreement = Agreement.objects.select_related("case").filter(public_id=public_id).first()
    if agreement is None or not visible_assets(user).filter(case=agreement.case).exists():
        return None
    return agreement


def case_timeline(user: User, case: Case) -> QuerySet[AssetEvent]:
    """The asset events of the case that the user may see: those of visible assets, and the
    case-wide ones (agreements) for anyone who sees an asset of the case."""
    visible = visible_assets(user).filter(case=case)
    q = Q(asset__in=visible)
    if visible.exists():
        q |= Q(asset__isnull=True)
    return (
        AssetEvent.objects.filter(case=case)
        .filter(q)
        .select_related("actor", "actor_authority", "asset")
        .order_by("-created_at", "-id")
    )


def asset_timeline(asset: Asset) -> QuerySet[AssetEvent]:
    return asset.events.select_related("actor", "actor_authority").order_by("-created_at", "-id")


def rates() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.order_by("currency", "quote", "-rate_date")
