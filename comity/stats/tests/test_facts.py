"""The facts: one per submitted request, derived from the request and its transitions."""

from __future__ import annotations

import pytest

from comity.cooperation import services
from comity.stats import facts
from comity.stats.models import RequestFact
from tests.builders import draft
from tests.personas import Personas

from .helpers import T0, Clock, act, hours, submit
from .scenario import build

pytestmark = pytest.mark.django_db


def test_every_transition_keeps_the_fact_current(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the service alone (no explicit refresh): request_transition calls
    facts.refresh."""
    Clock(monkeypatch)
    officer = personas.requesting_officer
    request = services.request_transition(actor=officer, request=draft(officer), action="submit")
    fact = RequestFact.objects.get(request=request)
    assert fact.outcome == "open" and fact.hours_to_ack is None
    services.request_transition(
        actor=personas.requested_officer, request=request, action="acknowledge"
    )
    fact.refresh_from_db()
    assert fact.acknowledged_at is not None and fact.hours_to_ack == 0


def test_the_scenario_facts(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    story = build(personas, Clock(monkeypatch))
    rows = {
        name: RequestFact.objects.filter(request=request).first()
        for name, request in story.requests.items()
    }
    assert rows["R7"] is None  # a draft has no fact
    r1, r2, r3 = rows["R1"], rows["R2"], rows["R3"]
    assert r1 is not None and r2 is not None and r3 is not None
    assert (r1.hours_to_ack, r1.hours_ack_to_execution, r1.hours_execution_to_done) == (10, 24, 240)
    assert (r1.hours_to_done, r1.outcome, r1.info_rounds) == (274, "executed", 0)
    assert (r2.outcome, r2.info_rounds, r2.hours_execution_to_done, r2.hours_to_done) == (
        "partially_executed",
        2,
        432,
        500,
    )
    assert r2.info_requested_at == T0 + hours(80)
    assert (r3.outcome, r3.refusal_ground, r3.hours_to_done) == (
        "refused",
        "no_dual_criminality",
        100,
    )
    assert r3.execution_started_at is None and r3.hours_execution_to_done is None
    r6 = rows["R6"]
    assert r6 is not None and r6.outcome == "withdrawn" and r6.hours_to_done is None
    r8 = rows["R8"]
    assert r8 is not None and r8.requesting_authority_id == personas.kgz.pk
    assert r8.requested_state_id == personas.kaz.state_id and r8.outcome == "open"
    assert r1.offence_category == "06" and r1.submitted_month.isoformat() == "2026-03-01"


def test_a_closed_request_keeps_its_outcome(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    request = submit(clock, kaz, T0)
    act(clock, kgz, request, "refuse", T0 + hours(5), reason="No.", ground="political_offence")
    act(clock, kaz, request, "close", T0 + hours(9))
    fact = RequestFact.objects.get(request=request)
    assert (fact.outcome, fact.refusal_ground, fact.hours_to_done) == (
        "refused",
        "political_offence",
        5,
    )


def test_a_draft_withdrawn_before_it_left_has_no_fact(personas: Personas) -> None:
    officer = personas.requesting_officer
    request = services.request_transition(
        actor=officer, request=draft(officer), action="withdraw", reason="Wrong state."
    )
    facts.refresh(request)
    assert not RequestFact.objects.filter(request=request).exists()


def test_rebuild_is_idempotent_and_equals_the_refreshed_facts(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(personas, Clock(monkeypatch))
    # The revision is the engine's bookkeeping: a rebuild starts a new generation instead.
    fields = [f.attname for f in RequestFact._meta.concrete_fields if f.name != "revision"]
    before = list(RequestFact.objects.order_by("pk").values_list(*fields))
    RequestFact.objects.filter(pk=before[0][0]).delete()  # a missing fact comes back
    RequestFact.objects.update(info_rounds=9)  # stale facts are corrected
    assert facts.rebuild(batch=3) == len(before)
    assert list(RequestFact.objects.order_by("pk").values_list(*fields)) == before
    assert facts.rebuild() == len(before)
    assert list(RequestFact.objects.order_by("pk").values_list(*fields)) == before


def test_refresh_reads_one_request_and_its_events(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: object
) -> None:
    clock = Clock(monkeypatch)
    request = submit(clock, personas.requesting_officer, T0)
    request.requesting_authority  # noqa: B018 (loaded, as request_transition does)
    for _again in range(2):  # idempotent: the same fact, the same cost
        with django_assert_max_num_queries(4):  # type: ignore[operator]
            facts.refresh(request)
    assert RequestFact.objects.filter(request=request).count() == 1
