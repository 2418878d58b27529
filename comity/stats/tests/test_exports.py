"""The downloads open in the tools people use and hold exactly the page's tables: CSV read
with the csv module, XLSX with openpyxl, the PDF report with pypdf. Suppressed figures stay
empty, each download is audited, and nobody downloads what they may not see."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from pypdf import PdfReader

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.stats.exports import BOM
from comity.stats.tests.helpers import Clock
from comity.stats.tests.web import DASHBOARD, NETWORK, World, build, client_for, rows_of, text_of
from tests.personas import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> World:
    return build(personas, Clock(monkeypatch))


# A figure of the page as a file writes it: no grouping, no percent sign.
_PLAIN = str.maketrans("", "", ",%")


def _export(key: str, fmt: str, *, network: bool = False) -> str:
    name = "stats:network_export" if network else "stats:export"
    return reverse(name, kwargs={"key": key, "fmt": fmt})


def _csv_rows(response: Response) -> list[list[str]]:
    body = response.content
    assert body.startswith(BOM.encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _table_part(rows: list[list[str]]) -> list[list[str]]:
    """The header and data rows: the notes follow an empty row."""
    return rows[: rows.index([])] if [] in rows else rows


def _page_as_file(rows: list[list[str]]) -> list[list[str]]:
    return [[cell.translate(_PLAIN) if i else cell for i, cell in enumerate(r)] for r in rows]


@pytest.mark.parametrize(
    "key", ["volumes_by_type", "volumes_by_counterpart", "turnaround", "refusals_by_ground"]
)
def test_the_csv_holds_the_pages_table(world: World, key: str) -> None:
    client = client_for(world.personas.requesting_officer)
    page = text_of(client.get(DASHBOARD))
    response = client.get(_export(key, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="comity-{key}_')
    table = _table_part(_csv_rows(response))
    assert table[1:] == _page_as_file(rows_of(page, key))


def test_the_csv_follows_the_filters_and_says_them(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    query = {"type": "extradition", "start": "2026-03-01"}
    rows = _csv_rows(client.get(_export("volumes_by_type", "csv"), query))
    assert _table_part(rows) == [
        ["Type", "Outgoing", "Incoming", "Total"],
        ["Extradition", "0", "1", "1"],
    ]
    notes = [row[0] for row in rows[rows.index([]) + 1 :]]
    assert "Types of request: Extradition" in notes
    assert any(note.startswith("Period: March 1, 2026 to ") for note in notes), notes


def test_the_csv_keeps_cyrillic_and_persian_text(world: World) -> None:
    client = client_for(world.personas.requesting_officer, "ru")
    rows = _csv_rows(client.get(_export("volumes_by_type", "csv")))
    assert rows[0][0] == "Тип" or any("а" <= c <= "я" for c in "".join(rows[0])), rows[0]
    persian = client_for(world.personas.requesting_officer, "fa")
    header = _csv_rows(persian.get(_export("turnaround", "csv")))[0]
    assert any("\u0600" <= c <= "\u06ff" for c in "".join(header)), header


def test_the_xlsx_holds_numbers_with_a_bold_header(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    page = text_of(client.get(DASHBOARD))
    response = client.get(_export("turnaround", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Time taken at each step"
    assert [c.value for c in sheet[2]] == [
        "Step",
        "Requests",
        "Median (days)",
        "90th percentile (days)",
    ]
    assert all(c.font.bold for c in sheet[2])
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=6)]
    assert rows[0] == ["Submitted → acknowledged", 2, 1.5, 1.9]
    assert isinstance(rows[0][1], int)
    assert sheet["C3"].number_format == "0.0"
    # The same figures as the page (a spreadsheet keeps 1.0 as the number 1).
    shown = _page_as_file(rows_of(page, "turnaround"))
    assert [r[0] for r in rows] == [r[0] for r in shown]
    assert [[Decimal(str(v)) for v in r[1:]] for r in rows] == [
        [Decimal(v) for v in r[1:]] for r in shown
    ]
    assert Decimal(str(rows[3][2])) == Decimal("8.5")


def test_the_networks_xlsx_leaves_suppressed_cells_empty_with_a_note(world: World) -> None:
    response = client_for(world.personas.coordinator).get(
        _export("volumes_by_type", "xlsx", network=True)
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == ["Mutual legal assistance", None]
    assert [c.value for c in sheet[4]] == ["Extradition", None]
    notes = [row[0].value for row in sheet.iter_rows(min_row=6) if row[0].value]
    assert any("not shown" in note and "fewer than 5 requests" in note for note in notes), notes


def test_the_persian_xlsx_reads_right_to_left(world: World) -> None:
    client = client_for(world.personas.requesting_officer, "fa")
    sheet = load_workbook(io.BytesIO(client.get(_export("turnaround", "xlsx")).content)).active
    assert sheet.sheet_view.rightToLeft is True


def test_the_pdf_report_holds_every_table(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    page = text_of(client.get(DASHBOARD))
    response = client.get(reverse("stats:report"), {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Statistics of cooperation: General Prosecutor" in text
    assert "March 1, 2026 to March 31, 2026" in text
    for title in (
        "Requests by type",
        "Requests by counterpart state",
        "Time taken at each step",
        "Refusals by ground",
        "Open requests by age",
    ):
        assert title in text
        assert title in page
    assert "Submitted → executed or refused 2 8.5 12.1" in text


def test_the_persian_pdf_report_is_in_persian_script_and_digits(world: World) -> None:
    client = client_for(world.personas.requesting_officer, "fa")
    response = client.get(reverse("stats:report"))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {name for page in reader.pages for name in _font_names(page)}
    assert any("Naskh" in font or "Arabic" in font for font in fonts), fonts
    text = " ".join(page.extract_text() for page in reader.pages)
    assert any("\u0600" <= c <= "\u06ff" for c in text)
    # The figures in Persian digits: 3 MLA requests sent, 1 extradition request received.
    assert "۳" in text
    assert "۱" in text


def _font_names(page: Any) -> list[str]:
    fonts = page["/Resources"].get_object().get("/Font") or {}
    return [str(font.get_object()["/BaseFont"]) for font in fonts.values()]


def test_the_networks_report_is_the_networks(world: World) -> None:
    response = client_for(world.personas.coordinator).get(reverse("stats:network_report"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "By pair of states" in " ".join(text.split())
    for request in [*world.outgoing, *world.incoming, world.elsewhere]:
        assert request.reference not in text


def test_each_download_is_audited(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    client.get(_export("refusals_by_ground", "xlsx"), {"type": "mla"})
    event = AuditEvent.objects.filter(code=Code.STATS_EXPORTED).latest("seq")
    assert event.actor == world.personas.requesting_officer
    assert (event.details["table"], event.details["format"]) == ("refusals_by_ground", "xlsx")
    assert event.details["filters"]["types"] == ["mla"]


def test_unknown_tables_and_formats_are_missing(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    assert client.get(_export("nothing", "csv")).status_code == 404
    # The pairs of states are the network's table.
    assert client.get(_export("pairs", "csv")).status_code == 404
    assert client.get("/stats/export/volumes_by_type.pdf").status_code == 404
    coordinator = client_for(world.personas.coordinator)
    assert coordinator.get(_export("pairs", "csv", network=True)).status_code == 200
    assert coordinator.get(_export("volumes_by_type", "csv")).status_code == 403
    assert client.get(NETWORK).status_code == 403
