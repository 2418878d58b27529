"""The expiry watch, run by `comity tick` beside the requests' deadlines.

An order in effect (executed or partly) with an expiry date raises a reminder to both sides
when the days left reach each lead time (COMITY_ASSET_EXPIRY_LEAD_DAYS, default 30, 14 and 3):
one reminder per lead time and expiry date, so a renewal starts the count again, and an
order recorded with 10 days left gets the 14-day reminder only, not the 30-day one too. An
order whose date has passed without renewal raises "expired" once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comity.assets.models import Asset, AssetEvent, AssetEventKind, Execution, Order
from comity.assets.notices import notify_asset_sides
from comity.assets.status import RESTRAINTS
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.notifications import Kind

IN_EFFECT = (Execution.EXECUTED, Execution.PARTIAL)
# A freeze or seizure matters until the asset is confiscated (the state owns it then),
# released or closed; orders of other kinds until the asset is closed.
_PAST_RESTRAINT = ("confiscated", "under_management", "realised", "shared_or_returned")


def lead_days() -> tuple[int, ...]:
    values = getattr(settings, "COMITY_ASSET_EXPIRY_LEAD_DAYS", (30, 14, 3))
    return tuple(sorted({int(v) for v in values}, reverse=True))


def watched_orders(*, today: datetime.date, days: int) -> list[Order]:
    """Orders in effect on assets still open that expire within ``days`` (and the ones
    already expired, which ``expiring`` lists apart)."""
    return list(
        Order.objects.filter(
            execution__in=IN_EFFECT,
            expiry_date__isnull=False,
            expiry_date__lte=today + datetime.timedelta(days=days),
        )
        .exclude(asset__status__in=("closed", "released"))
        .exclude(kind__in=RESTRAINTS, asset__status__in=_PAST_RESTRAINT)
        .select_related(
            "asset__case__authority",
            "asset__location_state",
            "asset__request",
            "issuing_state",
        )
        .order_by("expiry_date", "id")
    )


def lead_for(days_left: int, leads: tuple[int, ...]) -> int | None:
    """The smallest lead time that has been reached, or None when none has."""
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


@dataclass(frozen=True)
class ExpiryResult:
    warned: int = 0
    expired: int = 0
    notifications: int = 0


def orders_expiring(*, today: datetime.date | None = None) -> ExpiryResult:
    day = today or timezone.localdate()
    leads = lead_days()
    warned = expired = raised = 0
    for order in watched_orders(today=day, days=max(leads, default=0)):
        assert order.expiry_date is not None  # noqa: S101 (filtered)
        days_left = (order.expiry_date - day).days
        if days_left < 0:
            stage, kind = "expired", Kind.ASSET_EXPIRED
        else:
            lead = lead_for(days_left, leads)
            if lead is None:
                continue
            stage, kind = f"lead-{lead}", Kind.ASSET_EXPIRY
        key = f"asset-expiry:{order.public_id}:{order.expiry_date.isoformat()}:{stage}"
        new = _warn(order=order, kind=kind, stage=stage, key=key, days_left=days_left)
        if new >= 0:
            raised += new
            if stage == "expired":
                expired += 1
            else:
                warned += 1
    return ExpiryResult(warned=warned, expired=expired, notifications=raised)


def _warn(*, order: Order, kind: str, stage: str, key: str, days_left: int) -> int:
    """Timeline, audit and notices for one reminder, once (-1 if it was already given)."""
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("case").get(pk=order.asset_id)
        if AssetEvent.objects.filter(
            asset=asset, kind=AssetEventKind.EXPIRY, details__key=key
        ).exists():
            return -1
        assert order.expiry_date is not None  # noqa: S101
        details = {
            "key": key,
            "order": str(order.public_id),
            "order_kind": order.kind,
            "expiry": order.expiry_date.isoformat(),
            "stage": stage,
            "days_left": days_left,
        }
        AssetEvent.objects.create(
            case=asset.case,
            asset=asset,
            kind=AssetEventKind.EXPIRY,
            details=details,
            created_at=timezone.now(),
        )
        audit_record(
            code=Code.ASSET_ORDER_EXPIRY_WARNED,
            actor=None,
            subject_type="asset",
            subject_id=str(asset.public_id),
            details=details,
        )
        due = timezone.make_aware(datetime.datetime.combine(order.expiry_date, datetime.time()))
        return notify_asset_sides(
            asset=asset,
            kind=kind,
            params={"order": str(order.public_id), "due": due.isoformat(), "stage": stage},
            key=key,
        )
