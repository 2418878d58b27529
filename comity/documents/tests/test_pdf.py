"""The PDF: Persian and Russian text extracted in logical order, fonts embedded, page
numbers, the verification block on the last page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, cast

import pypdf

from comity.cooperation.models import Request
from comity.documents.tests.conftest import PERSIAN_DETAILS, PERSIAN_NAME, file_bytes, render
from tests.personas import Personas


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _fonts(data: bytes) -> set[str]:
    names: set[str] = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources = cast(dict[str, Any], page["/Resources"])
        fonts = cast(dict[str, Any], resources["/Font"])
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def test_a_persian_pdf_holds_the_persian_text_in_logical_order(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    data = file_bytes(render(iran_draft, personas.requesting_officer, ["fa"]), document_dir)
    text = "\n".join(_pages(data))
    assert "معاضدت حقوقی متقابل" in text  # the type of request, a fixed text
    assert "خلاصهٔ وقایع" in text  # a heading
    assert PERSIAN_NAME in text  # typed by the officer
    assert PERSIAN_DETAILS.split("،")[0] in text
    assert "ایران" in text  # the requested state, named in Persian
    assert "Noto-Naskh-Arabic" in _fonts(data)


def test_a_russian_pdf_has_russian_headings(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    data = file_bytes(render(iran_draft, personas.requesting_officer, ["ru"]), document_dir)
    text = "\n".join(_pages(data))
    assert "Изложение фактических обстоятельств" in text
    assert "Взаимная правовая помощь" in text
    assert "Запрашиваемая помощь" in text
    assert "Иран (Исламская Республика)" in text


def test_the_bilingual_pdf_has_both_languages(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    data = file_bytes(
        render(iran_draft, personas.requesting_officer, ["ru", "fa"], layout="bilingual"),
        document_dir,
    )
    text = "\n".join(_pages(data))
    assert "Изложение фактических обстоятельств" in text
    assert "خلاصهٔ وقایع" in text


def test_every_page_has_the_reference_and_its_number_and_the_last_the_verification_block(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["en"])
    pages = _pages(file_bytes(version, document_dir))
    for number, page in enumerate(pages, start=1):
        assert iran_draft.reference in page
        assert f"Page {number} of {len(pages)}" in page
    last = pages[-1].replace("\n", " ")
    assert version.code_display in last
    assert version.content_sha256 in last.replace(" ", "")
    assert "/documents/verify/" in last
