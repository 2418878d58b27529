"""The DOCX: it opens, it holds the fields, Persian paragraphs are right to left."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from comity.cooperation.models import Request
from comity.documents.tests.conftest import PERSIAN_NAME, file_bytes, render
from tests.personas import Personas


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _bidi(paragraph: Paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:bidi")) is not None


def test_the_docx_opens_and_holds_the_fields(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["en"], fmt="docx")
    document = _open(file_bytes(version, document_dir))
    text = _all_text(document)
    for expected in (
        iran_draft.reference,
        iran_draft.title,
        iran_draft.summary_of_facts,
        iran_draft.purpose,
        "Art. 297 Criminal Code",
        "Accounts at Bank X, 2024-2026",
        PERSIAN_NAME,
        "Mutual legal assistance",
        version.code_display,
        version.content_sha256,
    ):
        assert expected in text, expected
    assert iran_draft.reference in document.sections[0].header.paragraphs[0].text
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_persian_paragraphs_are_right_to_left_with_a_persian_font(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["fa"], fmt="docx")
    document = _open(file_bytes(version, document_dir))
    heading = next(p for p in document.paragraphs if p.text == "خلاصهٔ وقایع")
    assert _bidi(heading)
    properties = heading.runs[0]._r.rPr
    assert properties is not None
    assert properties.find(qn("w:rtl")) is not None
    fonts = properties.find(qn("w:rFonts"))
    assert fonts is not None and fonts.get(qn("w:cs")) == "Noto Naskh Arabic"
    assert properties.find(qn("w:szCs")) is not None
    language = properties.find(qn("w:lang"))
    assert language is not None and language.get(qn("w:bidi")) == "fa-IR"
    assert document.sections[0]._sectPr.find(qn("w:bidi")) is not None
    persons = document.tables[-1]
    assert persons._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    assert persons.rows[1].cells[1].text == PERSIAN_NAME
    assert _bidi(persons.rows[1].cells[1].paragraphs[0])


def test_an_english_paragraph_in_a_persian_document_stays_left_to_right(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["fa"], fmt="docx")
    document = _open(file_bytes(version, document_dir))
    facts = next(p for p in document.paragraphs if p.text.startswith(iran_draft.summary_of_facts))
    assert not _bidi(facts)
    assert "[" in facts.text  # marked: translation required


def test_the_bilingual_docx_is_a_two_column_table(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["ru", "fa"], "docx", "bilingual")
    table = _open(file_bytes(version, document_dir)).tables[0]
    assert len(table.columns) == 2
    russian, persian = (cell.text for cell in table.rows[0].cells)
    assert "Взаимная правовая помощь" in russian
    assert "معاضدت حقوقی متقابل" in persian
    assert any(_bidi(p) for p in table.rows[0].cells[1].paragraphs)
    assert not any(_bidi(p) for p in table.rows[0].cells[0].paragraphs)
