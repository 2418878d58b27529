"""What the statistics API answers (docs/stats.md).

A table is its columns (key, translated label, kind) and its rows: a text column holds a
plain string, every other column a cell ``{"value": ..., "suppressed": false}``. Values are
whole numbers (counts) or decimals as strings ("12.5": days, percentages, US dollars), never
floats; a suppressed cell is ``{"value": null, "suppressed": true}``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from comity.stats.queries import Cell, Dashboard, Filters, Table

Short = Annotated[str, StringConstraints(max_length=64)]


class StatsQuery(Schema):
    start: Short = Field("", description="Submitted on or after this day, YYYY-MM-DD")
    end: Short = Field("", description="Submitted on or before this day, YYYY-MM-DD")
    type: list[Short] = Field(
        default_factory=list, description="Request types (repeat the parameter), e.g. mla"
    )
    counterpart: Short = Field("", description="The other state, ISO 3166 alpha-3")
    instrument: Short = Field("", description="The first instrument cited, e.g. UNTOC")
    offence: Short = Field("", description="ICCS section of the first offence: two digits")
    direction: Short = Field(
        "both", description="An authority's outgoing, incoming or both (ignored for the network)"
    )


class CellOut(Schema):
    value: int | Decimal | None
    suppressed: bool = False


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(..., description="text, int, days, percent or money")


class TableOut(Schema):
    key: str
    title: str
    note: str
    chart: str = Field(..., description="bar, stacked, line or none")
    chart_label_column: str
    chart_value_columns: list[str]
    columns: list[ColumnOut]
    rows: list[dict[str, str | CellOut]]


class ScopeOut(Schema):
    kind: str = Field(..., description="authority or network")
    authority: str | None = Field(None, description="The authority's key (authority scope)")


class FiltersOut(Schema):
    start: datetime.date | None
    end: datetime.date | None
    types: list[str]
    counterpart: str | None
    instrument: str | None
    offence: str | None
    direction: str


class DashboardOut(Schema):
    scope: ScopeOut
    filters: FiltersOut
    generated_at: datetime.datetime
    suppressed_cells: int
    tables: list[TableOut]


def _cell(cell: str | Cell) -> str | CellOut:
    if isinstance(cell, str):
        return cell
    return CellOut(value=cell.value, suppressed=cell.suppressed)


def table_out(table: Table) -> TableOut:
    return TableOut(
        key=table.key,
        title=table.title,
        note=table.note,
        chart=table.chart,
        chart_label_column=table.chart_label_column,
        chart_value_columns=list(table.chart_value_columns),
        columns=[ColumnOut(key=c.key, label=c.label, kind=c.kind) for c in table.columns],
        rows=[{k: _cell(v) for k, v in row.items()} for row in table.rows],
    )


def filters_out(filters: Filters) -> FiltersOut:
    return FiltersOut(
        start=filters.start,
        end=filters.end,
        types=list(filters.types),
        counterpart=filters.counterpart,
        instrument=filters.instrument,
        offence=filters.offence,
        direction=filters.direction,
    )


def dashboard_out(dashboard: Dashboard, authority_key: str | None) -> DashboardOut:
    kind = "network" if dashboard.scope.network else "authority"
    return DashboardOut(
        scope=ScopeOut(kind=kind, authority=authority_key),
        filters=filters_out(dashboard.filters),
        generated_at=dashboard.generated_at,
        suppressed_cells=dashboard.suppressed_cells,
        tables=[table_out(t) for t in dashboard.tables],
    )
