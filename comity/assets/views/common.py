"""What every asset page shares: the signed-in member, fetch-with-permission (hidden and
missing raise the same Http404), the expiry of orders, and the audit of what a page showed."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.assets import selectors
from comity.assets.models import Agreement, Asset, Execution, Order
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation.models import Case
from comity.directory.models import State

# An order in effect that lapses within this many days is flagged.
EXPIRY_WARNING_DAYS = 30
IN_EFFECT = (Execution.EXECUTED, Execution.PARTIAL)
OPEN_STATUSES_EXCLUDED = ("closed", "released")


def member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def user_of_assets(request: HttpRequest) -> User:
    """The member, if the asset ledger is open to them (the authorities' caseworkers)."""
    user = member(request)
    if not policy.can_use_assets(user):
        raise PermissionDenied(_("The asset ledger is open to the authorities' caseworkers."))
    return user


def access_asset(*, user: User, id: uuid.UUID | str) -> Asset:
    asset = selectors.asset_for(user, id)
    if asset is None:
        raise Http404
    return asset


def access_case(*, user: User, id: uuid.UUID | str) -> Case:
    case = selectors.case_for(user, id)
    if case is None:
        raise Http404
    return case


def access_order(*, user: User, id: uuid.UUID | str) -> Order:
    order = selectors.order_for(user, id)
    if order is None:
        raise Http404
    return order


def access_agreement(*, user: User, id: uuid.UUID | str) -> Agreement:
    agreement = selectors.agreement_for(user, id)
    if agreement is None:
        raise Http404
    return agreement


def writer(user: User, asset: Asset) -> None:
    """403 for a reader of a visible asset (404 came earlier for a hidden one)."""
    if not policy.can_write_asset(user, asset):
        raise PermissionDenied(_("You may read this asset but not change it."))


def states() -> list[State]:
    return list(State.objects.all())


@dataclass(frozen=True)
class Expiry:
    """How close an order in effect is to lapsing."""

    date: datetime.date
    days_left: int

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= EXPIRY_WARNING_DAYS

    @property
    def level(self) -> str:
        """The Bootstrap colour: danger once lapsed, warning within the warning days."""
        if self.expired:
            return "danger"
        return "warning" if self.soon else ""


def order_expiry(order: Order, today: datetime.date) -> Expiry | None:
    """The expiry of an order that is in effect on an open asset, else None."""
    if order.expiry_date is None or order.execution not in IN_EFFECT:
        return None
    return Expiry(order.expiry_date, (order.expiry_date - today).days)


def next_expiry(asset: Asset, orders: list[Order], today: datetime.date) -> Expiry | None:
    """The nearest expiry among the asset's orders in effect (from prefetched orders)."""
    if asset.status in OPEN_STATUSES_EXCLUDED:
        return None
    found = [e for e in (order_expiry(o, today) for o in orders) if e is not None]
    return min(found, key=lambda e: e.date) if found else None


def audit_ledger(user: User, *, subject_type: str, subject_id: str, **details: Any) -> None:
    audit_record(
        code=Code.ASSET_LEDGER_VIEWED,
        actor=user,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )


def audit_asset(user: User, asset: Asset) -> None:
    audit_record(
        code=Code.ASSET_VIEWED,
        actor=user,
        subject_type="asset",
        subject_id=str(asset.public_id),
        details={"case": asset.case.reference, "kind": asset.kind},
    )
