"""The in-memory engine (comity/stats/columnar.py) against the SQL engine, and how it
stays current as requests move."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from comity.cooperation import services
from comity.cooperation.models import Request
from comity.directory.models import Authority
from comity.stats import columnar, facts, queries
from comity.stats.models import FactsRevision, RequestFact
from comity.stats.tests.helpers import Clock, submit
from tests.builders import draft
from tests.personas import Personas


def _cells(dashboard: queries.Dashboard) -> dict[str, Any]:
    return {
        table.key: [
            {
                column: (cell if isinstance(cell, str) else (cell.value, cell.suppressed))
                for column, cell in row.items()
            }
            for row in table.rows
        ]
        for table in dashboard.tables
    }


def _both(scope: queries.Scope, **given: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    filters, errors = queries.Filters.parse(**given)
    assert not errors
    with override_settings(COMITY_STATS_ENGINE="sql"):
        by_sql = _cells(queries.dashboard(scope, filters))
    with override_settings(COMITY_STATS_ENGINE="memory"):
        in_memory = _cells(queries.dashboard(scope, filters))
    return by_sql, in_memory


FILTERS: tuple[dict[str, Any], ...] = (
    {},
    {"start": "2025-06-01"},
    {"start": "2024-01-01", "end": "2024-12-31"},
    {"types": ["mla"]},
    {"types": ["extradition", "freezing"]},
    {"counterpart": "KGZ"},
    {"instrument": "UNTOC"},
    {"instrument": "NO_SUCH_TREATY"},
    {"offence": "06"},
    {"direction": "incoming"},
    {"start": "2025-01-01", "types": ["mla"], "counterpart": "KAZ"},
)


@pytest.mark.django_db
def test_the_engines_agree_on_every_table_and_filter(reference: None) -> None:
    call_command("stats", "seed", "--requests", "3000", "--no-progress", stdout=None)
    busiest = (
        Authority.objects.filter(outgoing_requests__isnull=False)
        .order_by("key")
        .values_list("pk", flat=True)
        .first()
    )
    assert busiest is not None
    scopes = (
        queries.Scope(authority_id=None, network=True),
        queries.Scope(authority_id=busiest, network=False),
    )
    compared = 0
    for scope in scopes:
        for given in FILTERS:
            by_sql, in_memory = _both(scope, **given)
            assert in_memory == by_sql, (scope, given)
            compared += sum(len(rows) for rows in by_sql.values())
    assert compared > 500  # the tables were not empty


@pytest.mark.django_db
def test_an_empty_node_gives_empty_tables_in_both_engines(reference: None) -> None:
    scope = queries.Scope(authority_id=None, network=True)
    by_sql, in_memory = _both(scope)
    assert in_memory == by_sql
    assert in_memory["volumes_by_type"] == []


def _requests_by_type(scope: queries.Scope) -> dict[str, int]:
    table = queries.dashboard(scope, queries.Filters()).table("volumes_by_type")
    found: dict[str, int] = {}
    for row in table.rows:
        cell = row["total"] if "total" in row else row["requests"]
        assert not isinstance(cell, str) and isinstance(cell.value, int)
        found[str(row["type"])] = cell.value
    return found


@pytest.mark.django_db(transaction=True)
def test_the_copy_follows_each_transition_without_reloading(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, timezone.now() - datetime.timedelta(days=20))
    officer = personas.requesting_officer
    scope = queries.Scope(authority_id=officer.authority_id, network=False)
    first = submit(clock, officer, clock.now)
    assert _requests_by_type(scope) == {"Mutual legal assistance": 1}
    loads = columnar.loads()

    second = submit(clock, officer, clock.now + datetime.timedelta(hours=2))
    assert _requests_by_type(scope) == {"Mutual legal assistance": 2}
    held = columnar.current()
    assert columnar.loads() == loads  # merged, not reloaded
    assert held.revision == FactsRevision.objects.get(pk=1).revision
    assert sorted(held.columns["request_id"].tolist()) == [first.pk, second.pk]

    # A transition rewrites one fact: the copy holds it once, with its new outcome.
    clock.set(clock.now + datetime.timedelta(days=1))
    services.request_transition(actor=officer, request=second, action="withdraw", reason="x")
    table = queries.dashboard(scope, queries.Filters()).table("backlog_by_age")
    opened = [row["open"] for row in table.rows]
    assert sum(c.value or 0 for c in opened if isinstance(c, queries.Cell)) == 1
    assert columnar.loads() == loads
    assert sorted(columnar.current().columns["request_id"].tolist()) == [first.pk, second.pk]


@pytest.mark.django_db(transaction=True)
def test_a_deleted_request_starts_a_new_generation(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, timezone.now() - datetime.timedelta(days=5))
    officer = personas.requesting_officer
    kept = submit(clock, officer, clock.now)
    gone = submit(clock, officer, clock.now + datetime.timedelta(hours=1))
    assert len(columnar.current()) == 2
    loads = columnar.loads()
    before = FactsRevision.objects.get(pk=1).generation
    Request.objects.filter(pk=gone.pk).delete()
    assert FactsRevision.objects.get(pk=1).generation != before
    held = columnar.current()
    assert columnar.loads() == loads + 1
    assert held.columns["request_id"].tolist() == [kept.pk]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_starts_a_new_generation(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, timezone.now() - datetime.timedelta(days=5))
    request = submit(clock, personas.requesting_officer, clock.now)
    columnar.current()
    loads = columnar.loads()
    RequestFact.objects.filter(request=request).update(type="extradition")  # behind its back
    facts.rebuild()
    held = columnar.current()
    assert columnar.loads() == loads + 1
    assert held.vocabularies["type"].values[int(held.columns["type"][0])] == "mla"


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_kept(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, timezone.now() - datetime.timedelta(days=5))
    submit(clock, personas.requesting_officer, clock.now)
    loads = columnar.loads()
    assert len(columnar.current()) == 1
    assert len(columnar.current()) == 1
    assert columnar.loads() == loads + 2  # each read loads: a rollback may still come


def _decoded(held: columnar.Facts) -> list[tuple[Any, ...]]:
    names = list(held.columns)
    rows = []
    for i in range(len(held)):
        row = []
        for name in names:
            value = held.columns[name][i].item()
            if name in held.vocabularies:
                value = held.vocabularies[name].values[value]
            row.append(value)
        rows.append(tuple(row))
    return sorted(rows)


@pytest.mark.django_db(transaction=True)
def test_a_merged_copy_equals_a_fresh_load(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch, timezone.now() - datetime.timedelta(days=30))
    officer, receiver = personas.requesting_officer, personas.requested_officer
    early = draft(officer)  # the oldest request, submitted last: appended to the copy
    sent = [submit(clock, officer, clock.now + datetime.timedelta(hours=i)) for i in range(3)]
    columnar.current()
    loads = columnar.loads()
    clock.set(clock.now + datetime.timedelta(days=1))
    early = services.request_transition(actor=officer, request=early, action="submit")
    assert len(columnar.current()) == 4
    clock.set(clock.now + datetime.timedelta(days=2))
    # Facts rewritten whose places in the copy are not in the order of their requests.
    for request in (sent[1], early, sent[0]):
        services.request_transition(actor=receiver, request=request, action="acknowledge")
    merged = columnar.current()
    assert columnar.loads() == loads
    columnar.forget()
    fresh = columnar.current()
    assert columnar.loads() == loads + 1
    assert _decoded(merged) == _decoded(fresh)
    acknowledged = fresh.columns["acknowledged"].tolist()
    ids = fresh.columns["request_id"].tolist()
    assert {i for i, a in zip(ids, acknowledged, strict=True) if a} == {
        early.pk,
        sent[0].pk,
        sent[1].pk,
    }
