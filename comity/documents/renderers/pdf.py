"""PDF through WeasyPrint: the HTML of html.py, A4, fonts embedded (subsetted)."""

from __future__ import annotations

import weasyprint
from weasyprint.urls import URLFetcher

from comity.documents.content import Document
from comity.documents.renderers import Renderer
from comity.documents.renderers.html import document_html


class _NoFetching(URLFetcher):  # type: ignore[misc]
    """Everything a document shows is inline: typed text must never make it fetch a URL."""

    def fetch(self, url: str, headers: object = None) -> None:
        raise ValueError(f"documents load nothing from outside: {url}")


def render(document: Document) -> bytes:
    html = weasyprint.HTML(string=document_html(document), url_fetcher=_NoFetching())
    data: bytes = html.write_pdf(pdf_identifier=document.content_sha256[:32].encode())
    return data


RENDERER = Renderer(format="pdf", content_type="application/pdf", render=render)
