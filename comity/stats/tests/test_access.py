"""Who sees which statistics (comity.policy.can_view_stats, can_view_network_stats)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from comity import policy
from comity.accounts.models import Role
from comity.stats.queries import Cell, Dashboard, Filters, Scope, dashboard, scope_for
from tests.personas import Personas, make_user

from .helpers import Clock
from .scenario import build
from .test_queries import values

pytestmark = pytest.mark.django_db


def test_scopes(personas: Personas) -> None:
    p = personas
    assert scope_for(p.requesting_officer) == Scope(authority_id=p.kaz.pk, network=False)
    assert scope_for(p.requesting_reviewer) == Scope(authority_id=p.kaz.pk, network=False)
    assert scope_for(p.requested_officer) == Scope(authority_id=p.kgz.pk, network=False)
    assert scope_for(p.coordinator) == Scope(authority_id=None, network=True)  # only that
    assert scope_for(p.executing_officer) is None  # a competent authority, not central
    assert scope_for(p.node_admin) is None
    assert scope_for(AnonymousUser()) is None
    supervisor = make_user("kaz.supervisor", "kaz-gpo", Role.SUPERVISOR)
    assert policy.can_view_stats(supervisor)
    p.requested_reviewer.is_active = False
    assert scope_for(p.requested_reviewer) is None
    assert not policy.can_view_network_stats(p.requesting_officer)


def _numbers(board: Dashboard) -> int:
    total = 0
    for row in board.table("volumes_by_type").rows:
        cell = row.get("total") or row.get("outgoing") or row.get("incoming")
        assert isinstance(cell, Cell) and isinstance(cell.value, int)
        total += cell.value
    return total


def test_an_authority_never_sees_an_outsiders_requests(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TJK's R9 to KGZ: counted by KGZ and TJK, never by KAZ, whatever the filters."""
    build(personas, Clock(monkeypatch))
    kaz = scope_for(personas.requesting_officer)
    tjk = scope_for(personas.outsider)
    kgz = scope_for(personas.requested_officer)
    assert kaz is not None and tjk is not None and kgz is not None
    assert _numbers(dashboard(kaz, Filters())) == 7  # R1-R6 and R8
    assert _numbers(dashboard(tjk, Filters())) == 1  # R9 only
    assert _numbers(dashboard(kgz, Filters())) == 8  # R1-R6 and R9 in, R8 out
    outsider_view = dashboard(kaz, Filters(counterpart="TJK"))
    assert all(
        not table.rows
        or table.key
        in ("turnaround", "turnaround_distribution", "info_rounds", "backlog_by_age", "extracts")
        for table in outsider_view.tables
    )
    assert values(outsider_view, "info_rounds")[0]["requests"] == 0
    counterparts = [
        r["counterpart"] for r in values(dashboard(kgz, Filters()), "volumes_by_counterpart")
    ]
    assert counterparts == ["KAZ · Kazakhstan", "TJK · Tajikistan"]
    assert [
        r["counterpart"] for r in values(dashboard(kaz, Filters()), "volumes_by_counterpart")
    ] == ["KGZ · Kyrgyzstan"]
