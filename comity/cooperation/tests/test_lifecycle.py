"""The transition table is the only way a request moves (docs/lifecycle.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from comity import policy
from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.lifecycle import (
    BY_ACTION,
    TRANSITIONS,
    Action,
    Party,
    RefusalGround,
    Status,
    reachable_statuses,
)
from comity.cooperation.models import Request, TimelineEvent
from tests.builders import draft
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ACTOR_NAMES = (
    "requesting_officer",
    "requesting_reviewer",
    "requested_officer",
    "requested_reviewer",
    "executing_officer",
    "outsider",
)


def test_every_status_is_reachable_and_every_action_has_one_row() -> None:
    assert reachable_statuses() == frozenset(Status)
    assert sorted(BY_ACTION) == sorted(Action.values)


def test_only_the_requesting_side_submits_and_only_the_requested_side_acknowledges() -> None:
    assert BY_ACTION["submit"].parties == {Party.REQUESTING}
    assert BY_ACTION["acknowledge"].parties == {Party.REQUESTED}
    assert BY_ACTION["withdraw"].parties == {Party.REQUESTING}
    assert Party.REQUESTING not in BY_ACTION["refuse"].parties


def test_nothing_leaves_closed() -> None:
    assert not [t for t in TRANSITIONS if Status.CLOSED in t.sources]


def _fire(
    personas: Personas, request: Request, actor_name: str, action: str, with_reason: bool
) -> bool:
    actor: User = getattr(personas, actor_name)
    try:
        services.request_transition(
            actor=actor,
            request=request,
            action=action,
            reason="Because the file says so." if with_reason else "",
            ground=RefusalGround.POLITICAL_OFFENCE if with_reason else "",
            executing_authority=personas.kgz_executing.public_id if with_reason else None,
        )
    except (ValidationError, PermissionDenied):
        return False
    return True


def _legal_moves(personas: Personas, request: Request) -> list[tuple[str, str]]:
    return [
        (name, t.action.value)
        for name in ACTOR_NAMES
        for t in policy.allowed_transitions(getattr(personas, name), request)
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_action_sequences_stay_inside_the_table_and_lose_no_event(
    personas: Personas, data: st.DataObject
) -> None:
    request = draft(personas.requesting_officer)
    fired: list[tuple[str, str, str]] = []
    for _step in range(data.draw(st.integers(min_value=0, max_value=12), label="steps")):
        before = Request.objects.get(pk=request.pk)
        legal = _legal_moves(personas, before)
        # Mostly walk the table (so deep states are reached), sometimes try anything at all.
        if legal and data.draw(st.integers(0, 3), label="walk") > 0:
            actor_name, action = data.draw(st.sampled_from(legal), label="move")
        else:
            actor_name = data.draw(st.sampled_from(ACTOR_NAMES), label="actor")
            action = data.draw(st.sampled_from([*Action.values, "fly_to_the_moon"]), label="x")
        with_reason = data.draw(st.booleans(), label="reason")
        actor: User = getattr(personas, actor_name)
        transition = BY_ACTION.get(action)
        allowed = (
            transition is not None
            and before.status in transition.sources
            and policy.may_fire(actor, before, transition)
        )
        ok = _fire(personas, before, actor_name, action, with_reason)
        after = Request.objects.get(pk=request.pk)
        if ok:
            assert allowed, f"{actor_name} fired {action} from {before.status}"
            assert transition is not None
            assert after.status == (transition.target or before.status)
            assert after.version == before.version + 1
            fired.append((action, before.status, after.status))
        else:
            # A refused action changes nothing.
            assert (after.status, after.version) == (before.status, before.version)
        assert after.status in reachable_statuses()
        event(f"reached {after.status}")
    events = list(
        TimelineEvent.objects.filter(request=request, kind="transition")
        .order_by("created_at", "id")
        .values_list("action", "from_status", "to_status")
    )
    assert events == fired
