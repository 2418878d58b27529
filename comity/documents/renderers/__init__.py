"""Document renderers, one module per format, each with the same shape (docs/documents.md).

A renderer turns a `content.Document` into the bytes of one file format. It must not read
the database: everything it shows is in the document, so the hash printed in it covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from comity.documents.content import Document


class RenderFunction(Protocol):
    def __call__(self, document: Document) -> bytes: ...


@dataclass(frozen=True)
class Renderer:
    format: str
    content_type: str
    render: RenderFunction


def renderer_for(fmt: str) -> Renderer:
    """The renderer of a format; KeyError for a format that has none."""
    from comity.documents.renderers import docx, pdf

    return {"pdf": pdf.RENDERER, "docx": docx.RENDERER}[fmt]
