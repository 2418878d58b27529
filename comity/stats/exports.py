"""The downloads of the statistics: each table as CSV or XLSX, and the PDF report of a
whole dashboard (docs/stats.md).

The files hold exactly the table of the page: the same rows, columns and figures. Numbers
are written as numbers (a point for decimals in CSV; real numbers with a display format in
XLSX); a suppressed figure is an empty cell, and the notes under the table say so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from comity.core import languages
from comity.documents.content import css_page_counter
from comity.stats.display import SUPPRESSED_MARK, ShownTable
from comity.stats.queries import Cell, Column, Table
from comity.stats.suppression import THRESHOLD

BOM = "\ufeff"  # spreadsheets read a CSV as UTF-8 only with it
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"
NUMBER_FORMATS = {
    "int": "#,##0",
    "days": "0.0",
    "percent": "0.0",
    "money": "#,##0.00",
}
SHEET_TITLE_LENGTH = 31  # the longest sheet name a spreadsheet accepts
HEADER_ROW = 2  # the title is in row 1


def suppression_note() -> str:
    return _(
        "Empty figures are not shown: computed from fewer than %(threshold)s requests, or "
        "they would let such a figure be worked out."
    ) % {"threshold": THRESHOLD}


def notes_of(table: Table, lines: Sequence[str], *, suppressed: bool) -> list[str]:
    """What is written under the table: its own note, the filters, the suppression."""
    notes = [table.note] if table.note else []
    notes += list(lines)
    if suppressed:
        notes.append(suppression_note())
    return notes


def has_suppressed(table: Table) -> bool:
    return any(isinstance(v, Cell) and v.suppressed for row in table.rows for v in row.values())


def plain(value: str | Cell | None, column: Column) -> str | int | Decimal | None:
    """A cell's value for a file: text as text, a figure as a number, else None."""
    if isinstance(value, Cell):
        return None if value.suppressed else value.value
    if value is None:
        return None
    return str(value)


def table_csv(table: Table, lines: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        values = [plain(row.get(column.key), column) for column in table.columns]
        writer.writerow(["" if value is None else str(value) for value in values])
    notes = notes_of(table, lines, suppressed=has_suppressed(table))
    if notes:
        writer.writerow([])
        for note in notes:
            writer.writerow([note])
    return (BOM + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table, lines: Sequence[str], *, rtl: bool = False) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:SHEET_TITLE_LENGTH]
    sheet.sheet_view.rightToLeft = rtl
    book.properties.title = table.title
    sheet.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=13)
    bold = Font(bold=True)
    hidden = PatternFill(fill_type="solid", start_color="FFE5E5E5", end_color="FFE5E5E5")
    for index, column in enumerate(table.columns, start=1):
        header = sheet.cell(row=HEADER_ROW, column=index, value=str(column.label))
        header.font = bold
        width = max(12, min(48, len(str(column.label)) + 2))
        sheet.column_dimensions[header.column_letter].width = width
    row_number = HEADER_ROW
    for row in table.rows:
        row_number += 1
        for index, column in enumerate(table.columns, start=1):
            value = row.get(column.key)
            cell = sheet.cell(row=row_number, column=index, value=plain(value, column))
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            if isinstance(value, Cell) and value.suppressed:
                cell.fill = hidden
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    notes = notes_of(table, lines, suppressed=has_suppressed(table))
    row_number += 1
    for note in notes:
        row_number += 1
        sheet.cell(row=row_number, column=1, value=note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    lines: list[str]
    tables: list[ShownTable]
    generated: str
    language: str
    rtl: bool
    suppressed: bool


def report_html(report: Report) -> str:
    style = "persian" if languages.get(report.language).solar_hijri else "decimal"
    # Built from the translated "Page X of Y" quoted as CSS strings (json.dumps).
    counter = mark_safe(css_page_counter(_("Page %(page)s of %(pages)s"), style))  # noqa: S308
    return render_to_string(
        "stats/report.html",
        {
            "report": report,
            "page_counter": counter,
            "suppression_note": suppression_note(),
            "suppressed_mark": SUPPRESSED_MARK,
        },
    )


def report_pdf(report: Report) -> bytes:
    # WeasyPrint is loaded on the first report, not by every worker at start (20 MB).
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from comity.documents.renderers.pdf import NoFetching

    fonts = FontConfiguration()
    html = weasyprint.HTML(string=report_html(report), url_fetcher=NoFetching())
    data: bytes = html.write_pdf(font_config=fonts)
    return data
