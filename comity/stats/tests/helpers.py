"""Building request histories for the statistics tests, at chosen times, through the
real services (the clock is moved, not the rows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.models import Request
from comity.stats import facts
from tests.builders import draft

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The time the services read (django.utils.timezone.now), moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: datetime = T0) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, when: datetime) -> None:
        self.now = when

    @contextmanager
    def at(self, when: datetime) -> Iterator[None]:
        before = self.now
        self.now = when
        try:
            yield
        finally:
            self.now = before


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def act(
    clock: Clock,
    actor: User,
    request: Request,
    action: str,
    at: datetime,
    *,
    reason: str = "",
    ground: str = "",
) -> Request:
    clock.set(at)
    done = services.request_transition(
        actor=actor, request=request, action=action, reason=reason, ground=ground
    )
    # Idempotent: request_transition refreshes the fact itself (test_facts checks that).
    facts.refresh(done)
    return done


def submit(clock: Clock, actor: User, at: datetime, **overrides: object) -> Request:
    clock.set(at)
    done = services.request_transition(
        actor=actor, request=draft(actor, **overrides), action="submit"
    )
    facts.refresh(done)
    return done
