"""The expiry watch: reminders to both sides at each lead time, once; a renewal starts the
count again; an expired order is flagged once; `comity tick` runs it."""

from __future__ import annotations

import datetime

from django.test import override_settings

from comity.assets import services
from comity.assets.models import AssetEvent
from comity.assets.tasks import lead_for, orders_expiring
from comity.assets.tests.world import World, freezing_data
from comity.cooperation.models import Notification
from comity.cooperation.tasks import tick

EXPIRY = datetime.date(2026, 12, 20)  # the world's freezing order


def _day(days_before: int) -> datetime.date:
    return EXPIRY - datetime.timedelta(days=days_before)


def _reminders(world: World) -> list[str]:
    return list(
        AssetEvent.objects.filter(asset=world.account, kind="expiry")
        .order_by("id")
        .values_list("details__stage", flat=True)
    )


def test_lead_times_are_reached_in_turn() -> None:
    leads = (30, 14, 3)
    assert [lead_for(d, leads) for d in (31, 30, 20, 14, 10, 3, 0)] == [
        None,
        30,
        30,
        14,
        14,
        3,
        3,
    ]


def test_reminders_at_30_14_and_3_days_then_expired(world: World) -> None:
    for day in (_day(40), _day(30), _day(29), _day(14), _day(3), _day(3), _day(-1), _day(-5)):
        orders_expiring(today=day)
    assert _reminders(world) == ["lead-30", "lead-14", "lead-3", "expired"]
    # Both sides: the Kazakh requesting office and the Kyrgyz requested one.
    sides = set(
        Notification.objects.filter(kind="asset_expiry").values_list(
            "user__authority__key", flat=True
        )
    )
    assert sides == {"kaz-gpo", "kgz-gpo"}
    assert Notification.objects.filter(kind="asset_expired").exists()


def test_an_order_recorded_late_gets_only_the_nearest_reminder(world: World) -> None:
    orders_expiring(today=_day(10))
    assert _reminders(world) == ["lead-14"]


def test_a_renewal_starts_the_count_again(world: World) -> None:
    orders_expiring(today=_day(3))
    services.order_renew(
        user=world.personas.requested_officer,
        order=world.freezing,
        new_expiry=EXPIRY + datetime.timedelta(days=180),
        renewed_on=_day(30),
    )
    orders_expiring(today=_day(-1))  # the old date has passed, the order has not expired
    orders_expiring(today=EXPIRY + datetime.timedelta(days=170))
    assert _reminders(world) == ["lead-3", "lead-14"]


def test_lifted_or_released_orders_are_not_watched(world: World) -> None:
    services.order_report_execution(
        user=world.personas.requested_officer, order=world.freezing, execution="lifted"
    )
    assert orders_expiring(today=_day(3)).warned == 0


@override_settings(COMITY_ASSET_EXPIRY_LEAD_DAYS=[7])
def test_lead_times_are_configurable(world: World) -> None:
    orders_expiring(today=_day(10))
    orders_expiring(today=_day(7))
    assert _reminders(world) == ["lead-7"]


def test_tick_runs_the_watch_once(world: World) -> None:
    moment = datetime.datetime.combine(_day(2), datetime.time(9), tzinfo=datetime.UTC)
    first = tick(now=moment)
    second = tick(now=moment)
    assert first.asset_orders_expiring == 1
    assert second.asset_orders_expiring == 0
    assert "asset orders expiring 1" in first.summary()


def test_a_freeze_is_not_watched_once_the_asset_is_confiscated(world: World) -> None:
    services.order_record(
        user=world.personas.requested_officer,
        asset=world.account,
        data=freezing_data(
            kind="confiscation",
            confiscation_basis="conviction",
            expiry_date=None,
            execution="executed",
        ),
    )
    assert orders_expiring(today=_day(3)).warned == 0
    assert _reminders(world) == []
