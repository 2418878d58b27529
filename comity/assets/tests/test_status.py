"""The asset pipeline (docs/DOMAIN.md §5.4): forward only, release before confiscation,
closed is the end; orders move the asset to the stage they stand for."""

from __future__ import annotations

import pytest

from comity.assets.models import AssetStatus as S
from comity.assets.status import PIPELINE, manual_targets, may_move, next_status


def test_forward_moves_only() -> None:
    for i, current in enumerate(PIPELINE):
        for j, target in enumerate(PIPELINE):
            assert may_move(current, target) is (j > i), (current, target)


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        (S.IDENTIFIED, True),
        (S.FROZEN, True),
        (S.CONFISCATION_REQUESTED, True),
        (S.CONFISCATED, False),
        (S.REALISED, False),
        (S.SHARED_OR_RETURNED, False),
    ],
)
def test_release_only_before_confiscation(current: str, allowed: bool) -> None:
    assert may_move(current, S.RELEASED) is allowed


def test_a_released_asset_can_be_frozen_again_and_closed_is_final() -> None:
    assert may_move(S.RELEASED, S.FROZEN)
    assert not may_move(S.RELEASED, S.CONFISCATED)
    assert all(not may_move(S.CLOSED, status) for status in S.values)
    assert manual_targets(S.CLOSED) == []
    assert S.CLOSED in manual_targets(S.FROZEN)


@pytest.mark.parametrize(
    ("current", "kind", "execution", "expected"),
    [
        (S.TRACING_REQUEST, "tracing", "executed", S.IDENTIFIED),
        (S.IDENTIFIED, "freezing", "requested", S.FREEZING_REQUESTED),
        (S.FREEZING_REQUESTED, "freezing", "partial", S.FROZEN),
        (S.IDENTIFIED, "seizure", "executed", S.FROZEN),
        (S.FROZEN, "freezing", "lifted", S.RELEASED),
        (S.FROZEN, "confiscation", "requested", S.CONFISCATION_REQUESTED),
        (S.FROZEN, "confiscation", "executed", S.CONFISCATED),
        (S.CONFISCATED, "management", "executed", S.UNDER_MANAGEMENT),
        (S.CONFISCATED, "disposal", "partial", S.REALISED),
        (S.REALISED, "return", "executed", S.SHARED_OR_RETURNED),
        # No step back: a late tracing record, a not-executed order, a lifted confiscation.
        (S.FROZEN, "tracing", "executed", None),
        (S.FREEZING_REQUESTED, "freezing", "not_executed", None),
        (S.CONFISCATED, "freezing", "lifted", None),
        (S.CLOSED, "confiscation", "executed", None),
    ],
)
def test_orders_move_the_asset(
    current: str, kind: str, execution: str, expected: str | None
) -> None:
    assert next_status(current, kind, execution) == expected
