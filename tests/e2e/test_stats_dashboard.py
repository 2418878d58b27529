"""The statistics dashboards in a real browser.

Kazakhstan's officer opens the authority's dashboard: every chart is drawn (its canvas has
pixels) beside its table, a filter by type changes the figures, and axe-core finds nothing
wrong. In Persian the page and the charts run right to left, the figures are in Persian
digits, and axe-core is satisfied again. The network's coordinator sees the aggregates with
the small cells marked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from comity.stats.tests.helpers import Clock
from comity.stats.tests.web import PERSIAN_DIGITS, build
from tests.e2e.conftest import assert_accessible, sign_in, sign_out
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pixels of a canvas that are not transparent: a drawn chart has many.
PAINTED = """canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
    return painted;
}"""
# What Chart.js was told about the direction of a chart.
DIRECTION = """canvas => {
    const chart = Chart.getChart(canvas);
    return [chart.options.scales.x.reverse, chart.options.plugins.tooltip.rtl,
            chart.options.scales.y.position];
}"""


def _charts_drawn(page: Page) -> int:
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    assert count > 0
    expect(page.locator("canvas[data-drawn=true]")).to_have_count(count)
    for index in range(count):
        canvas = canvases.nth(index)
        assert canvas.evaluate(PAINTED) > 100, canvas.get_attribute("id")
        assert canvas.get_attribute("role") == "img"
        assert (canvas.get_attribute("aria-label") or "").strip()
    return count


def _cells(page: Page, key: str) -> list[str]:
    return page.locator(f"[data-testid=table-{key}] tbody tr").all_inner_texts()


def test_the_dashboards_draw_their_charts_in_english_and_persian(
    page: Page, live_server: object, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(personas, Clock(monkeypatch))
    monkeypatch.undo()  # the clock moved only while the history was written
    base = str(live_server)
    url = base + reverse("stats:dashboard")

    sign_in(page, base, personas.requesting_officer.username, PASSWORD)
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistics of")
    assert page.url.startswith(url)
    _charts_drawn(page)
    expect(page.locator("[data-testid=table-volumes_by_type] caption")).to_have_text(
        "Requests by type"
    )
    assert _cells(page, "volumes_by_type") == [
        "Mutual legal assistance\t3\t0\t3",
        "Extradition\t0\t1\t1",
    ]
    assert_accessible(page)

    # A filter by type: only the extradition request is left.
    page.get_by_label("Type of request").select_option("extradition")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "type=extradition" in page.url
    assert _cells(page, "volumes_by_type") == ["Extradition\t0\t1\t1"]
    _charts_drawn(page)

    # In Persian: right to left, the charts too, Persian digits.
    with page.expect_navigation():
        page.get_by_role("button", name="فارسی").click()
    page.goto(url)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    _charts_drawn(page)
    assert page.locator("canvas#chart-volumes_by_type").evaluate(DIRECTION) == [
        True,
        True,
        "right",
    ]
    volumes = _cells(page, "volumes_by_type")
    assert volumes[0].split("\t")[1:] == ["۳", "۰", "۳"], volumes
    turnaround = " ".join(_cells(page, "turnaround"))
    assert any(digit in turnaround for digit in PERSIAN_DIGITS), turnaround
    wide, seen = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert wide <= seen + 1, f"the dashboard scrolls sideways ({wide} > {seen})"
    assert_accessible(page)
    sign_out(page)

    # The network's coordinator: aggregates, small cells marked.
    sign_in(page, base, personas.coordinator.username, PASSWORD)
    page.goto(base + reverse("stats:network"))
    expect(page.get_by_test_id("suppression-legend")).to_be_visible()
    _charts_drawn(page)
    assert_accessible(page)
