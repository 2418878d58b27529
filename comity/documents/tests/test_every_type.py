"""The walkthrough a newcomer does in the demo, for every type the request writer covers:
a complete draft passes the checks and its formal request is generated in English, Russian
and Persian, as DOCX for every pair and as PDF once per type."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdf
import pytest
from django.utils import translation

from comity.cooperation import checks
from comity.cooperation.models import RequestType
from comity.documents.tests.conftest import file_bytes, render
from tests.builders import draft
from tests.personas import Personas

pytestmark = pytest.mark.django_db

TYPES = ["mla", "extradition", "provisional_arrest", "freezing", "records_extract"]
LANGUAGES = ["en", "ru", "fa"]
# One PDF per type, the languages taking turns (Persian twice: it is the costly layout).
PDF_LANGUAGE = dict(zip(TYPES, ["en", "ru", "fa", "fa", "ru"], strict=True))


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _label(kind: str, language: str) -> str:
    with translation.override(language):
        return str(RequestType(kind).label)


@pytest.mark.parametrize("kind", TYPES)
def test_every_type_is_complete_and_written_in_three_languages(
    kind: str, personas: Personas, document_dir: Path
) -> None:
    request = draft(personas.requesting_officer, type=kind)
    assert checks.missing(request) == []
    for language in LANGUAGES:
        version = render(request, personas.requesting_officer, [language], fmt="docx")
        text = _docx_text(file_bytes(version, document_dir))
        assert _label(kind, language) in text, (kind, language)
        assert request.reference in text
    language = PDF_LANGUAGE[kind]
    version = render(request, personas.requesting_officer, [language])
    reader = pypdf.PdfReader(io.BytesIO(file_bytes(version, document_dir)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert _label(kind, language) in text, (kind, language)
