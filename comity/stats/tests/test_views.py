"""The statistics pages through HTTP: the right page for each persona and 403 for the others,
the filters change the figures, the network page hides small cells and every request, the
Persian page reads right to left in Persian digits, each read is audited, and the number
of queries does not grow with the number of requests."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.stats import display
from comity.stats.queries import Cell, Column
from comity.stats.tests.helpers import T0, Clock, hours, submit
from comity.stats.tests.web import (
    DASHBOARD,
    NETWORK,
    World,
    build,
    client_for,
    rows_of,
    section,
    text_of,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> World:
    return build(personas, Clock(monkeypatch))


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["requesting_officer", "requesting_reviewer", "requested_officer", "outsider"]
)
def test_the_caseworkers_of_a_central_authority_see_its_dashboard(
    world: World, persona: str
) -> None:
    user = getattr(world.personas, persona)
    response = client_for(user).get(DASHBOARD)
    assert response.status_code == 200
    assert user.authority is not None
    assert user.authority.name in unescape(text_of(response))


@pytest.mark.parametrize("persona", ["executing_officer", "node_admin"])
def test_others_are_refused_the_dashboard_and_its_downloads(world: World, persona: str) -> None:
    client = client_for(getattr(world.personas, persona))
    for url in (
        DASHBOARD,
        NETWORK,
        reverse("stats:export", kwargs={"key": "volumes_by_type", "fmt": "csv"}),
        reverse("stats:report"),
        reverse("stats:network_export", kwargs={"key": "pairs", "fmt": "xlsx"}),
        reverse("stats:network_report"),
    ):
        assert client.get(url).status_code == 403, url


def test_an_authority_is_refused_the_network_page(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    assert client.get(NETWORK).status_code == 403
    assert client.get(reverse("stats:network_report")).status_code == 403


def test_a_coordinator_is_sent_to_the_network_page(world: World) -> None:
    response = client_for(world.personas.coordinator).get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == NETWORK


def test_anonymous_visitors_are_asked_to_sign_in(world: World) -> None:
    for url in (DASHBOARD, NETWORK, reverse("stats:report")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_the_menu_shows_statistics_to_those_who_may_see_them(world: World) -> None:
    home = reverse("web:dashboard")
    officer = text_of(client_for(world.personas.requesting_officer).get(home))
    assert f'href="{DASHBOARD}"' in officer
    coordinator = text_of(client_for(world.personas.coordinator).get(home))
    assert f'href="{NETWORK}"' in coordinator
    executing = text_of(client_for(world.personas.executing_officer).get(home))
    assert "/stats/" not in executing


# --- the figures ---------------------------------------------------------------------------


def test_the_dashboard_shows_the_authoritys_own_requests(world: World) -> None:
    page = text_of(client_for(world.personas.requesting_officer).get(DASHBOARD))
    # Outgoing, incoming, total.
    assert rows_of(page, "volumes_by_type") == [
        ["Mutual legal assistance", "3", "0", "3"],
        ["Extradition", "0", "1", "1"],
    ]
    counterparts = rows_of(page, "volumes_by_counterpart")
    assert [row[0] for row in counterparts] == ["KGZ · Kyrgyzstan"]
    assert counterparts[0][1:] == ["3", "1", "4"]
    turnaround = {row[0]: row[1:] for row in rows_of(page, "turnaround")}
    # Acknowledged after 48 and 23 hours: median 35.5 h = 1.5 days, 90th percentile
    # 23 + 0.9 x 25 = 45.5 h = 1.9 days. Decided after 312 (executed) and 95 hours (refused):
    # median 203.5 h = 8.5 days, 90th percentile 95 + 0.9 x 217 = 290.3 h = 12.1 days.
    assert turnaround["Submitted → acknowledged"] == ["2", "1.5", "1.9"]
    assert turnaround["Submitted → executed or refused"] == ["2", "8.5", "12.1"]
    assert rows_of(page, "refusals_by_ground") == [["Political offence", "1", "100.0%"]]
    # Tajikistan's request is not Kazakhstan's: in no figure (the filter still offers it).
    figures = page.split('data-testid="filter-lines"')[1]
    assert "TJK" not in figures
    assert "Tajikistan" not in figures


def test_the_filters_change_the_figures(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    page = text_of(client.get(DASHBOARD, {"type": "extradition"}))
    assert rows_of(page, "volumes_by_type") == [["Extradition", "0", "1", "1"]]
    assert 'value="extradition" selected' in page
    outgoing = text_of(client.get(DASHBOARD, {"direction": "outgoing"}))
    assert rows_of(outgoing, "volumes_by_type") == [["Mutual legal assistance", "3"]]
    later = text_of(client.get(DASHBOARD, {"start": "2026-03-03"}))
    assert 'data-testid="empty-volumes_by_type"' in later
    # The download links and the report carry the filters.
    assert "/stats/export/volumes_by_type.csv?direction=outgoing" in outgoing
    assert "/stats/report.pdf?direction=outgoing" in outgoing


def test_a_wrong_filter_is_said_beside_its_field(world: World) -> None:
    page = text_of(
        client_for(world.personas.requesting_officer).get(
            DASHBOARD, {"start": "2026-13-01", "counterpart": "XXX"}
        )
    )
    assert 'id="filter_start_error"' in page
    assert 'id="filter_counterpart_error"' in page
    assert 'aria-invalid="true"' in page
    # The figures are those of no filter.
    assert rows_of(page, "volumes_by_type")[0] == ["Mutual legal assistance", "3", "0", "3"]


def test_each_chart_has_a_label_and_its_data(world: World) -> None:
    page = text_of(client_for(world.personas.requesting_officer).get(DASHBOARD))
    canvases = re.findall(r"<canvas [^>]*>", page)
    assert canvases
    for canvas in canvases:
        assert 'role="img"' in canvas
        label = re.search(r'aria-label="([^"]+)"', canvas)
        assert label and "Chart of" in label.group(1), canvas
    assert (
        'aria-label="Chart of Requests by type. Mutual legal assistance: Outgoing 3, Incoming 0;'
        ' Extradition: Outgoing 0, Incoming 1. The table gives every figure."'
    ) in page
    assert '<script id="chart-data-volumes_by_type" type="application/json">' in page
    assert "vendor/chartjs/chart.umd.min.js" in page


def test_the_network_page_suppresses_small_cells_and_shows_no_request(world: World) -> None:
    client = client_for(world.personas.coordinator)
    page = text_of(client.get(NETWORK))
    assert 'data-testid="suppression-legend"' in page
    # Five requests in all, four MLA and one extradition: both counts are under five.
    assert rows_of(page, "volumes_by_type") == [
        ["Mutual legal assistance", "x"],
        ["Extradition", "x"],
    ]
    assert "not shown" in section(page, "volumes_by_type")
    # All five in one month: shown.
    assert rows_of(page, "volumes_by_month") == [["2026-03", "5"]]
    for request in [*world.outgoing, *world.incoming, world.elsewhere]:
        assert request.reference not in page
        assert str(request.public_id) not in page
    assert "direction" not in re.search(r"<form.*?</form>", page, re.S).group(0)  # type: ignore[union-attr]


def test_each_read_is_audited(world: World) -> None:
    client_for(world.personas.requesting_officer).get(DASHBOARD, {"type": "mla"})
    event = AuditEvent.objects.filter(code=Code.STATS_VIEWED).latest("seq")
    assert event.actor == world.personas.requesting_officer
    assert event.subject_id == "kaz-gpo"
    assert event.details["filters"]["types"] == ["mla"]
    client_for(world.personas.coordinator).get(NETWORK)
    assert AuditEvent.objects.filter(code=Code.STATS_VIEWED).latest("seq").subject_id == "network"


# --- language ------------------------------------------------------------------------------


def test_the_persian_page_reads_right_to_left_in_persian_digits(world: World) -> None:
    page = text_of(client_for(world.personas.requesting_officer, "fa").get(DASHBOARD))
    assert 'lang="fa" dir="rtl"' in page
    volumes = rows_of(page, "volumes_by_type")
    assert volumes[0][1:] == ["۳", "۰", "۳"]
    turnaround = rows_of(page, "turnaround")
    assert any(cell == "۱٫۵" for row in turnaround for cell in row), turnaround
    assert '"rtl": true' in page
    assert '"locale": "fa-IR"' in page


# --- queries -------------------------------------------------------------------------------


def _queries(user: User, url: str) -> int:
    client = client_for(user)
    client.get(url)  # the session and the caches, once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_requests(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    build(personas, clock, outgoing=2)
    officer, coordinator = personas.requesting_officer, personas.coordinator
    few = (_queries(officer, DASHBOARD), _queries(coordinator, NETWORK))
    for i in range(4):
        submit(clock, personas.requesting_officer, T0 + hours(100 + i), type="extradition")
        submit(clock, personas.outsider, T0 + hours(110 + i), requested_state="KAZ")
    many = (_queries(officer, DASHBOARD), _queries(coordinator, NETWORK))
    assert many == few


# --- how a figure is written ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "kind", "value", "text"),
    [
        ("en", "int", 12345, "12,345"),
        ("en", "days", Decimal("3.5"), "3.5"),
        ("en", "percent", Decimal("12.5"), "12.5%"),
        ("en", "money", Decimal("1234567.8"), "1,234,567.80"),
        ("ru", "days", Decimal("3.5"), "3,5"),
        ("fa", "int", 12345, "۱۲٬۳۴۵"),
        ("fa", "percent", Decimal("12.5"), "۱۲٫۵٪"),
    ],
)
def test_figures_are_written_in_the_readers_language(
    language: str, kind: str, value: int | Decimal, text: str
) -> None:
    with translation.override(language):
        shown = display.shown_cell(Cell(value), Column("figure", "Figure", kind))
    assert (shown.text, shown.numeric, shown.suppressed, shown.empty) == (text, True, False, False)


def test_a_suppressed_or_missing_figure_is_no_number() -> None:
    column = Column("median_days", "Median (days)", "days")
    hidden = display.shown_cell(Cell(None, suppressed=True), column)
    missing = display.shown_cell(Cell(None), column)
    assert (hidden.text, hidden.suppressed, hidden.empty) == ("", True, False)
    assert (missing.text, missing.suppressed, missing.empty) == ("", False, True)
    assert display.chart_number(Cell(None, suppressed=True)) is None
