"""A statistics table as the page, the chart and the PDF show it: every figure written in the
reader's language (digits, separators, decimals), suppressed cells marked, and the chart's
data with a sentence that says what the chart shows for those who cannot see it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comity.core import formatting, languages
from comity.stats.queries import Cell, Column, Table

# Shown in place of a suppressed figure; the legend above the tables explains it.
SUPPRESSED_MARK = "x"
# How many of a chart's figures its spoken summary names; the table has all of them.
SUMMARY_ITEMS = 6
TEXT = "text"
DAYS = "days"
PERCENT = "percent"
MONEY = "money"
DECIMALS = {DAYS: 1, PERCENT: 1, MONEY: 2}
# Chart heights, in rem: a line chart's, and a bar chart's frame (legend, axis), the space
# of each category and of each bar in it, within limits.
LINE_CHART_HEIGHT = 18
CHART_FRAME = 4.5
BAR_GAP = 1.0
BAR = 1.1
MIN_CHART_HEIGHT = 9
MAX_CHART_HEIGHT = 44


@dataclass(frozen=True)
class ShownCell:
    column: str  # the column's key
    text: str  # the figure as the reader writes it; "" when suppressed or empty
    suppressed: bool
    empty: bool
    numeric: bool


@dataclass(frozen=True)
class ShownRow:
    label: str
    cells: list[ShownCell]


@dataclass(frozen=True)
class ShownTable:
    table: Table
    label_column: Column
    columns: list[Column]  # the columns after the label column
    rows: list[ShownRow]
    chart: dict[str, Any] | None
    chart_summary: str

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def chart_height(self) -> str:
        """The chart's height in rem: a line chart's is fixed; a bar chart grows with its
        bars, which lie along the reading direction with their labels beside them."""
        if self.chart is None or self.chart["kind"] == "line":
            return f"{LINE_CHART_HEIGHT}"
        bars = 1 if self.chart["kind"] == "stacked" else len(self.chart["datasets"])
        height = CHART_FRAME + len(self.rows) * (BAR_GAP + BAR * bars)
        return f"{min(MAX_CHART_HEIGHT, max(MIN_CHART_HEIGHT, height)):.1f}"

    @property
    def chart_id(self) -> str:
        """The id of the chart's data (a JSON script element)."""
        return f"chart-data-{self.table.key}"


def _written() -> languages.Language:
    """The language the page's numbers are written in: the reader's if the interface is
    translated into it, else the fallback's (as comity.core.formatting does)."""
    language = languages.get(get_language())
    return language if language.ui_complete else languages.get(languages.FALLBACK)


def percent_sign() -> str:
    """The percent sign of the numbers' script: ٪ where the digits are Persian."""
    return "%" if formatting.digits(_written().code) == formatting.ASCII_DIGITS else "٪"


def number_text(value: int | Decimal, kind: str) -> str:
    places = DECIMALS.get(kind)
    text = formatting.local_number(value, places)
    return f"{text}{percent_sign()}" if kind == PERCENT else text


def shown_cell(value: str | Cell | None, column: Column) -> ShownCell:
    if column.kind == TEXT or not isinstance(value, Cell):
        text = "" if value is None else str(value)
        return ShownCell(column.key, text, suppressed=False, empty=not text, numeric=False)
    if value.suppressed:
        return ShownCell(column.key, "", suppressed=True, empty=False, numeric=True)
    if value.value is None:
        return ShownCell(column.key, "", suppressed=False, empty=True, numeric=True)
    text = number_text(value.value, column.kind)
    return ShownCell(column.key, text, suppressed=False, empty=False, numeric=True)


def label_column(table: Table) -> Column:
    """The column that names each row (the chart's labels): it is the rows' header cell."""
    by_key = {column.key: column for column in table.columns}
    if table.chart_label_column in by_key:
        return by_key[table.chart_label_column]
    texts = [column for column in table.columns if column.kind == TEXT]
    return texts[0] if texts else table.columns[0]


def chart_number(value: str | Cell | None) -> float | None:
    if not isinstance(value, Cell) or value.suppressed or value.value is None:
        return None
    return float(value.value)


def number_locale() -> str:
    """The locale of the numbers on the page, for the chart's axis (Intl.NumberFormat)."""
    language = _written()
    return (language.locale or language.code).replace("_", "-")


def chart_data(table: Table, labels: list[str]) -> dict[str, Any] | None:
    """What the chart script draws: labels, one series per value column (with the figures
    as the table writes them, for the tooltips), and the page's direction and locale."""
    columns = {column.key: column for column in table.columns}
    keys = [key for key in table.chart_value_columns if key in columns]
    if table.chart == "none" or not keys or not table.rows:
        return None
    datasets = []
    for key in keys:
        column = columns[key]
        values = [row.get(key) for row in table.rows]
        datasets.append(
            {
                "key": key,
                "label": str(column.label),
                "kind": column.kind,
                "data": [chart_number(value) for value in values],
                "text": [_cell_words(value, column) for value in values],
            }
        )
    if not any(number for dataset in datasets for number in dataset["data"]):
        return None  # nothing but zeros and hidden figures: the table says it better
    return {
        "kind": table.chart,
        "labels": labels,
        "datasets": datasets,
        "rtl": languages.get(get_language()).rtl,
        "locale": number_locale(),
        "percentSign": percent_sign(),
        "decimals": dict(DECIMALS),
    }


def _cell_words(value: str | Cell | None, column: Column) -> str:
    cell = shown_cell(value, column)
    if cell.suppressed:
        return _("not shown")
    if cell.empty:
        return _("none")
    return cell.text


def chart_summary(table: Table, data: dict[str, Any] | None) -> str:
    """One sentence for the canvas's aria-label: the chart's title and its first figures,
    each label with the figure of every series."""
    if data is None:
        return ""
    datasets = data["datasets"]
    items = []
    for index, label in enumerate(data["labels"][:SUMMARY_ITEMS]):
        if len(datasets) == 1:
            items.append(f"{label}: {datasets[0]['text'][index]}")
        else:
            figures = ", ".join(f"{d['label']} {d['text'][index]}" for d in datasets)
            items.append(f"{label}: {figures}")
    more = "; …" if len(data["labels"]) > SUMMARY_ITEMS else ""
    return _("Chart of %(title)s. %(figures)s%(more)s. The table gives every figure.") % {
        "title": table.title,
        "figures": "; ".join(items),
        "more": more,
    }


def shown_table(table: Table) -> ShownTable:
    header = label_column(table)
    others = [column for column in table.columns if column.key != header.key]
    rows = []
    for row in table.rows:
        label = row.get(header.key)
        rows.append(
            ShownRow(
                label="" if label is None else str(label),
                cells=[shown_cell(row.get(column.key), column) for column in others],
            )
        )
    data = chart_data(table, [row.label for row in rows])
    return ShownTable(
        table=table,
        label_column=header,
        columns=others,
        rows=rows,
        chart=data,
        chart_summary=chart_summary(table, data),
    )
