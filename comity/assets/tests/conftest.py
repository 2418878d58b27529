from __future__ import annotations

import datetime

import pytest
from time_machine import TimeMachineFixture

from comity.assets.tests.world import TODAY, World, build_world
from tests.personas import Personas


@pytest.fixture(autouse=True)
def _the_worlds_day(time_machine: TimeMachineFixture) -> None:
    """The world's dates (a freezing order that expires on 20 December 2026, the rates of
    the day) were written for TODAY, and the pages count the days left from the clock: the
    clock starts on that morning (and runs) in every test here."""
    time_machine.move_to(
        datetime.datetime.combine(TODAY, datetime.time(9, 0), tzinfo=datetime.UTC), tick=True
    )


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)
