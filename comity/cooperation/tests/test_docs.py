from __future__ import annotations

from pathlib import Path

from comity.cooperation.lifecycle import as_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "lifecycle.md"


def test_the_lifecycle_document_shows_the_table_the_code_enforces() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- table:start -->\n", 1)[1].split("<!-- table:end -->", 1)[0]
    assert documented == as_markdown()
