"""Every table of an authority's dashboard against the hand-computed scenario (scenario.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from comity.stats.queries import AUTHORITY_TABLES, Cell, Dashboard, Filters, Scope, dashboard
from tests.personas import Personas

from .helpers import Clock
from .scenario import build

pytestmark = pytest.mark.django_db


def values(board: Dashboard, key: str) -> list[dict[str, object]]:
    """The rows with each cell's value (suppressed cells as "x")."""
    rows = []
    for row in board.table(key).rows:
        out: dict[str, object] = {}
        for column, cell in row.items():
            if isinstance(cell, Cell):
                out[column] = "x" if cell.suppressed else cell.value
            else:
                out[column] = cell
        rows.append(out)
    return rows


@pytest.fixture
def kaz_board(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> Dashboard:
    build(personas, Clock(monkeypatch))
    return dashboard(Scope(authority_id=personas.kaz.pk, network=False), Filters())


def test_the_tables_come_in_the_contract_order(kaz_board: Dashboard) -> None:
    assert [t.key for t in kaz_board.tables] == list(AUTHORITY_TABLES)
    assert kaz_board.suppressed_cells == 0  # an authority's own figures are not suppressed


def test_volumes(kaz_board: Dashboard) -> None:
    assert values(kaz_board, "volumes_by_type") == [
        {"type": "Mutual legal assistance", "outgoing": 4, "incoming": 1, "total": 5},
        {"type": "Extradition", "outgoing": 1, "incoming": 0, "total": 1},
        {"type": "Criminal-record extract", "outgoing": 1, "incoming": 0, "total": 1},
    ]
    assert values(kaz_board, "volumes_by_counterpart") == [
        {"counterpart": "KGZ · Kyrgyzstan", "outgoing": 6, "incoming": 1, "total": 7}
    ]
    assert values(kaz_board, "volumes_by_month") == [
        {"month": "2026-03", "outgoing": 5, "incoming": 1, "total": 6},
        {"month": "2026-04", "outgoing": 1, "incoming": 0, "total": 1},
    ]
    table = kaz_board.table("volumes_by_month")
    assert (table.chart, table.chart_label_column, table.chart_value_columns) == (
        "line",
        "month",
        ["outgoing", "incoming"],
    )


def test_turnaround_medians_and_90th_percentiles(kaz_board: Dashboard) -> None:
    rows = values(kaz_board, "turnaround")
    assert [(r["n"], r["median_days"], r["p90_days"]) for r in rows] == [
        (5, Decimal("0.8"), Decimal("1.8")),  # 10, 20, 20, 30, 50 h
        (3, Decimal("1.0"), Decimal("1.8")),  # 10, 24, 48 h
        (2, Decimal("14.0"), Decimal("17.2")),  # 240, 432 h
        (3, Decimal("11.4"), Decimal("19.0")),  # 100, 274, 500 h
    ]
    assert [c.kind for c in kaz_board.table("turnaround").columns] == [
        "text",
        "int",
        "days",
        "days",
    ]


def test_the_distribution_of_each_step(kaz_board: Dashboard) -> None:
    rows = values(kaz_board, "turnaround_distribution")
    buckets = ["d0_7", "d8_30", "d31_90", "d91_180", "d181_365", "d366"]
    assert [[r[b] for b in buckets] for r in rows] == [
        [5, 0, 0, 0, 0, 0],
        [3, 0, 0, 0, 0, 0],
        [0, 2, 0, 0, 0, 0],  # 10 and 18 days
        [1, 2, 0, 0, 0, 0],  # 4, 11 and 20 days
    ]


def test_rounds_refusals_and_backlog(kaz_board: Dashboard) -> None:
    assert values(kaz_board, "info_rounds") == [
        {"rounds": "0", "requests": 6},
        {"rounds": "1", "requests": 0},
        {"rounds": "2", "requests": 1},
        {"rounds": "3+", "requests": 0},
    ]
    assert values(kaz_board, "refusals_by_ground") == [
        {"ground": "No dual criminality", "refused": 1, "share": Decimal("100.0")}
    ]
    backlog = {r["age"]: (r["open"], r["overdue"]) for r in values(kaz_board, "backlog_by_age")}
    assert backlog == {
        "0–7 days": (0, 0),
        "8–30 days": (1, 1),  # R5: not acknowledged 10 days after submission
        "31–90 days": (2, 0),  # R4 and R8
        "91–180 days": (0, 0),
        "181–365 days": (0, 0),
        "over 365 days": (0, 0),
    }


def test_extracts_and_assets_without_any(kaz_board: Dashboard) -> None:
    assert values(kaz_board, "extracts") == [
        {
            "direction": "Sent by this authority",
            "requests": 0,
            "answered": 0,
            "median_days": None,
            "p90_days": None,
            "hit_rate": None,
        },
        {
            "direction": "Answered by this authority",
            "requests": 0,
            "answered": 0,
            "median_days": None,
            "p90_days": None,
            "hit_rate": None,
        },
    ]
    assets = kaz_board.table("assets")
    assert assets.rows == [] and assets.note == ""


@pytest.mark.parametrize(
    ("filters", "by_type"),
    [
        (Filters(direction="outgoing"), {"Mutual legal assistance": 4, "Extradition": 1}),
        (Filters(direction="incoming"), {"Mutual legal assistance": 1}),
        (Filters(types=("extradition",)), {"Extradition": 1}),
        (Filters(start=date(2026, 4, 1)), {"Extradition": 1}),
        (Filters(end=date(2026, 3, 31)), {"Mutual legal assistance": 5}),
        (Filters(start=date(2026, 4, 10), end=date(2026, 4, 10)), {"Extradition": 1}),
        (Filters(counterpart="KGZ"), {"Mutual legal assistance": 5, "Extradition": 1}),
        (Filters(counterpart="TJK"), {}),
        (Filters(instrument="UNTOC"), {"Mutual legal assistance": 1}),
        (Filters(offence="06"), {"Mutual legal assistance": 5, "Extradition": 1}),
        (Filters(offence="07"), {}),
    ],
)
def test_filters(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, filters: Filters, by_type: dict[str, int]
) -> None:
    build(personas, Clock(monkeypatch))
    board = dashboard(Scope(authority_id=personas.kaz.pk, network=False), filters)
    found = {}
    for row in values(board, "volumes_by_type"):
        number = row.get("total", row.get("outgoing", row.get("incoming")))
        if row["type"] != "Criminal-record extract":
            found[row["type"]] = number
    assert found == by_type


def test_one_direction_drops_the_other_columns(kaz_board: Dashboard, personas: Personas) -> None:
    board = dashboard(
        Scope(authority_id=personas.kaz.pk, network=False), Filters(direction="incoming")
    )
    assert [c.key for c in board.table("volumes_by_type").columns] == ["type", "incoming"]
    assert board.table("volumes_by_type").chart == "bar"
    assert values(board, "turnaround")[0]["n"] == 1  # R8, acknowledged by KAZ after 30 h


def test_filters_from_get_parameters() -> None:
    from django.http import QueryDict

    query = QueryDict(
        "start=2026-01-01&end=2026-03-31&type=mla&type=extradition&counterpart=kgz"
        "&instrument=UNTOC&offence=06&direction=outgoing"
    )
    filters, errors = Filters.from_query(query)
    assert errors == {}
    assert filters == Filters(
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        types=("mla", "extradition"),
        counterpart="KGZ",
        instrument="UNTOC",
        offence="06",
        direction="outgoing",
    )
    bad, errors = Filters.from_query(
        QueryDict("start=1.1.2026&end=2025-01-01&type=visa&counterpart=XXX&offence=6&direction=up")
    )
    assert set(errors) == {"start", "type", "counterpart", "offence", "direction"}
    assert bad == Filters(end=date(2025, 1, 1))
    _filters, errors = Filters.from_query(QueryDict("start=2026-02-01&end=2026-01-01"))
    assert set(errors) == {"end"}
