"""How an asset's status moves (docs/DOMAIN.md §5.4, docs/assets.md).

The pipeline runs forward: tracing, identified, freezing requested, frozen or seized,
confiscation requested, confiscated, under management, realised, returned or shared. An
order moves the asset forward to the stage it stands for, never back (an old tracing request
entered late does not undo a freeze). A release (lifting of the freeze, an order that was not
renewed, an acquittal) may happen at any stage before confiscation; a released asset can be
frozen again. Closed is the end. An officer may also set a status by hand, with a reason,
within the same rules.
"""

from __future__ import annotations

from comity.assets.models import AssetStatus, Execution, OrderKind

S = AssetStatus

PIPELINE: tuple[str, ...] = (
    S.TRACING_REQUEST,
    S.IDENTIFIED,
    S.FREEZING_REQUESTED,
    S.FROZEN,
    S.CONFISCATION_REQUESTED,
    S.CONFISCATED,
    S.UNDER_MANAGEMENT,
    S.REALISED,
    S.SHARED_OR_RETURNED,
)
_RANK = {status: rank for rank, status in enumerate(PIPELINE)}

# Where an order leaves the asset, by the order's kind and how far it was executed.
_REQUESTED_STAGE: dict[str, str] = {
    OrderKind.TRACING: S.TRACING_REQUEST,
    OrderKind.FREEZING: S.FREEZING_REQUESTED,
    OrderKind.SEIZURE: S.FREEZING_REQUESTED,
    OrderKind.CONFISCATION: S.CONFISCATION_REQUESTED,
}
_EXECUTED_STAGE: dict[str, str] = {
    OrderKind.TRACING: S.IDENTIFIED,
    OrderKind.FREEZING: S.FROZEN,
    OrderKind.SEIZURE: S.FROZEN,
    OrderKind.CONFISCATION: S.CONFISCATED,
    OrderKind.MANAGEMENT: S.UNDER_MANAGEMENT,
    OrderKind.DISPOSAL: S.REALISED,
    OrderKind.RETURN: S.SHARED_OR_RETURNED,
    OrderKind.SHARING: S.SHARED_OR_RETURNED,
    OrderKind.RELEASE: S.RELEASED,
}
# Orders whose lifting releases the asset.
RESTRAINTS = frozenset({OrderKind.FREEZING, OrderKind.SEIZURE})


def may_move(current: str, target: str) -> bool:
    """Whether the asset may go from ``current`` to ``target``."""
    if current in (target, S.CLOSED):
        return False
    if target == S.CLOSED:
        return True
    if target == S.RELEASED:
        # Released before it was confiscated; afterwards the property is the state's.
        return current in _RANK and _RANK[current] < _RANK[S.CONFISCATED]
    if current == S.RELEASED:
        return target in (S.FREEZING_REQUESTED, S.FROZEN, S.IDENTIFIED)
    return target in _RANK and current in _RANK and _RANK[target] > _RANK[current]


def stage_of_order(kind: str, execution: str) -> str | None:
    """The status an order stands for, or None when it moves nothing."""
    if execution == Execution.REQUESTED:
        return _REQUESTED_STAGE.get(kind)
    if execution in (Execution.EXECUTED, Execution.PARTIAL):
        return _EXECUTED_STAGE.get(kind)
    if execution == Execution.LIFTED and kind in RESTRAINTS:
        return S.RELEASED
    return None


def next_status(current: str, kind: str, execution: str) -> str | None:
    """The asset's status after this order, or None if it stays where it is."""
    target = stage_of_order(kind, execution)
    if target is None or not may_move(current, target):
        return None
    return target


def manual_targets(current: str) -> list[str]:
    """The statuses an officer may choose by hand from ``current``."""
    return [status for status in AssetStatus.values if may_move(current, status)]
