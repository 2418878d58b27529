from __future__ import annotations

from decimal import Decimal

from comity.assets.models import AssetEvent, AssetStatus
from comity.assets.tests.world import World
from comity.cooperation.models import TimelineEvent


def test_world_builds_a_partly_frozen_account(world: World) -> None:
    assert world.account.status == AssetStatus.FROZEN
    assert world.freezing.amount == Decimal("80000.00")
    kinds = list(AssetEvent.objects.filter(asset=world.account).values_list("kind", flat=True))
    assert kinds == ["recorded", "order", "status"]
    assert TimelineEvent.objects.filter(request=world.request, kind="asset").count() == 3
