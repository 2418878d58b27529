"""Small-cell suppression in the network's figures (comity/stats/suppression.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comity.stats.queries import NETWORK_TABLES, Cell, Dashboard, Filters, Scope, dashboard
from comity.stats.suppression import Plan, suppressed_cells
from tests.personas import Personas

from .helpers import T0, Clock, act, hours, submit
from .test_queries import values

NETWORK = Scope(authority_id=None, network=True)


def test_a_count_of_4_is_suppressed_and_5_shown_and_0_shown() -> None:
    plan = Plan()
    plan.count((0, "n"), 4)
    plan.count((1, "n"), 5)
    plan.count((2, "n"), 0)
    plan.computed((0, "median"), 4)
    plan.computed((1, "median"), 5)
    plan.computed((2, "median"), 0)  # from no request: empty, not suppressed
    assert suppressed_cells(plan) == {(0, "n"), (0, "median")}


def test_a_lone_suppressed_cell_of_a_partition_takes_the_smallest_other_with_it() -> None:
    """The partition adds up to a total shown elsewhere: hiding one cell alone would let
    anyone recover it by subtraction."""
    plan = Plan()
    for row, n in enumerate([3, 9, 6, 0, 40]):
        plan.count((row, "n"), n)
    plan.partition([(row, "n") for row in range(5)])
    assert suppressed_cells(plan) == {(0, "n"), (2, "n")}  # 3, then 6 (zeros are skipped)


def test_two_small_cells_adding_up_to_5_need_nothing_more() -> None:
    plan = Plan()
    for row, n in enumerate([2, 3, 8]):
        plan.count((row, "n"), n)
    plan.partition([(row, "n") for row in range(3)])
    assert suppressed_cells(plan) == {(0, "n"), (1, "n")}


def test_two_small_cells_adding_up_to_less_than_5_take_a_third() -> None:
    plan = Plan()
    for row, n in enumerate([1, 2, 8, 7]):
        plan.count((row, "n"), n)
    plan.partition([(row, "n") for row in range(4)])
    assert suppressed_cells(plan) == {(0, "n"), (1, "n"), (3, "n")}


@pytest.mark.django_db
def test_the_network_dashboard(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    """KAZ -> KGZ: 5 requests (all acknowledged, 4 in execution); TJK -> KGZ: 4; KGZ -> KAZ: 3.
    Pairs: 5 shown, 4 and 3 suppressed (together 7 from two cells: nothing more to hide).
    Turnaround: acknowledgement from 5 requests shown, execution from 4 suppressed."""
    clock = Clock(monkeypatch)
    kaz, kgz, tjk = personas.requesting_officer, personas.requested_officer, personas.outsider
    for i in range(5):
        request = submit(clock, kaz, T0 + hours(i))
        act(clock, kgz, request, "acknowledge", T0 + hours(10 + 10 * i))
        if i < 4:
            act(clock, kgz, request, "start_execution", T0 + hours(100 + i))
    for i in range(4):
        submit(clock, tjk, T0 + hours(i))
    for i in range(3):
        submit(clock, kgz, T0 + hours(i), requested_state="KAZ")
    clock.set(T0 + hours(200))
    board = dashboard(NETWORK, Filters())
    assert [t.key for t in board.tables] == list(NETWORK_TABLES)
    pairs = {r["pair"]: r for r in values(board, "pairs")}
    assert pairs["KAZ → KGZ"]["requests"] == 5
    assert pairs["TJK → KGZ"]["requests"] == "x"
    assert pairs["KGZ → KAZ"]["requests"] == "x"
    assert pairs["KAZ → KGZ"]["median_days"] is None  # none decided: empty, not hidden
    turnaround = values(board, "turnaround")
    assert turnaround[0] == {
        "step": "Submitted → acknowledged",
        "n": 5,
        "median_days": Decimal("1.2"),  # 10, 19, 28, 37, 46 h: median 28 h
        "p90_days": Decimal("1.8"),  # 37 + 0.6 * 9 = 42.4 h
    }
    assert turnaround[1]["n"] == turnaround[1]["median_days"] == "x"  # from 4 requests
    assert values(board, "volumes_by_type") == [{"type": "Mutual legal assistance", "requests": 12}]
    assert values(board, "info_rounds")[0] == {"rounds": "0", "requests": 12}
    assert board.suppressed_cells == sum(
        1
        for table in board.tables
        for row in table.rows
        for cell in row.values()
        if isinstance(cell, Cell) and cell.suppressed
    )


@pytest.mark.django_db
def test_no_cell_of_the_network_shows_a_figure_from_1_to_4_requests(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .scenario import build

    build(personas, Clock(monkeypatch))
    board = dashboard(NETWORK, Filters())
    shown_small = [
        (table.key, column, cell.value)
        for table in board.tables
        for row in table.rows
        for column, cell in row.items()
        if isinstance(cell, Cell)
        and not cell.suppressed
        and table.columns[[c.key for c in table.columns].index(column)].kind == "int"
        and isinstance(cell.value, int)
        and 0 < cell.value < 5
    ]
    assert shown_small == []
    by_type = values(board, "volumes_by_type")
    # MLA 6, extradition 1, extract 1: the two small cells add up to 2, so MLA goes too.
    assert [r["requests"] for r in by_type] == ["x", "x", "x"]


def test_dashboards_are_plain_data() -> None:
    """What the pages, exports and API read has no per-request field anywhere."""
    from dataclasses import fields

    from comity.stats.queries import Table

    assert [f.name for f in fields(Table)] == [
        "key",
        "title",
        "columns",
        "rows",
        "note",
        "chart",
        "chart_label_column",
        "chart_value_columns",
    ]
    assert Dashboard.__dataclass_fields__.keys() == {
        "scope",
        "filters",
        "tables",
        "suppressed_cells",
        "generated_at",
    }
