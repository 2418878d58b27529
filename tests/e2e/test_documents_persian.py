"""A Persian request document in a real browser: laid out right to left, shaped, not blank.

kaz.officer drafts a request to Iran with a suspect's name typed in Persian, opens the
documents panel on the request page (loaded by htmx), sees Persian marked as accepted by
Iran's central authority, generates the Persian PDF, checks its code on the verification
page, and opens the preview of the Persian document: the page is right to left, its
Persian heading sits at the right edge, and the screenshot has ink on it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from PIL import Image
from playwright.sync_api import Page, expect

from comity.cooperation.services import PersonData
from comity.documents.models import DocumentVersion
from tests.builders import draft
from tests.e2e.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSIAN_NAME = "محمد رضایی"


def _ink(png: bytes) -> float:
    """The share of pixels that are not (nearly) white."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[240:]) / (image.width * image.height)


@pytest.fixture
def document_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(COMITY_ATTACHMENT_DIR=tmp_path):
        yield tmp_path


def test_the_persian_document_is_laid_out_right_to_left(
    page: Page, live_server: object, personas: Personas, document_dir: Path
) -> None:
    base = str(live_server)
    request = draft(
        personas.requesting_officer,
        requested_state="IRN",
        persons=[PersonData("suspect", PERSIAN_NAME, date(1980, 3, 21), "IRN")],
    )
    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(f"{base}/requests/{request.public_id}/")
    panel = page.locator("#documents")
    expect(panel.locator("#id_document_language")).to_be_visible()
    expect(panel.locator("#id_document_language option[value=fa]")).to_contain_text(
        "accepted by the requested authority"
    )
    assert_accessible(page)
    panel.get_by_role("button", name="Generate").click()
    expect(panel.locator("#document-versions tbody tr")).to_have_count(1)
    expect(panel.get_by_role("status")).to_contain_text("Version 1")
    version = DocumentVersion.objects.get(request=request)
    assert version.languages == ["fa"] and version.format == "pdf"
    assert (document_dir / version.storage_name).is_file()

    page.goto(f"{base}/documents/verify/")
    page.get_by_label("Verification code").fill(version.code_display.lower())
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verification-valid")).to_be_visible()
    expect(page.locator("#file-sha256")).to_have_text(version.sha256)
    assert_accessible(page)

    page.goto(f"{base}/documents/requests/{request.public_id}/preview/?lang=fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    heading = page.locator("h1")
    expect(heading).to_contain_text("معاضدت حقوقی متقابل")
    expect(page.locator(".section-persons table")).to_contain_text(PERSIAN_NAME)
    # Right to left: the heading's text hugs the right edge of the page, not the left one.
    gaps = page.evaluate(
        """() => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector('h1'));
            const text = range.getBoundingClientRect();
            const body = document.body.getBoundingClientRect();
            const style = getComputedStyle(document.body);
            return {start: body.right - parseFloat(style.paddingRight) - text.right,
                    end: text.left - body.left - parseFloat(style.paddingLeft)};
        }"""
    )
    assert gaps["start"] < 2 < gaps["end"], gaps
    screenshot = page.screenshot(full_page=True)
    assert _ink(screenshot) > 0.01, "the page is blank"
