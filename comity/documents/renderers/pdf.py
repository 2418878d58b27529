"""PDF through WeasyPrint: the HTML of html.py, A4, fonts embedded (subsetted).

The fonts and the shared style sheet are loaded once per thread and reused by every
render: a fresh font configuration would open and parse the font files again each time.
WeasyPrint's font configuration is not safe to share between threads, hence one each.
"""

from __future__ import annotations

import threading

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from comity.documents.content import Document
from comity.documents.renderers import Renderer
from comity.documents.renderers.html import document_html, stylesheet


class NoFetching(URLFetcher):  # type: ignore[misc]
    """Everything a document shows is inline: typed text must never make it fetch a URL."""

    def fetch(self, url: str, headers: object = None) -> None:
        raise ValueError(f"documents load nothing from outside: {url}")


class _Loaded(threading.local):
    fonts: FontConfiguration | None = None
    css: weasyprint.CSS | None = None


_loaded = _Loaded()


def _fonts_and_css() -> tuple[FontConfiguration, weasyprint.CSS]:
    if _loaded.fonts is None or _loaded.css is None:
        fonts = FontConfiguration()
        _loaded.css = weasyprint.CSS(
            string=stylesheet(), font_config=fonts, url_fetcher=NoFetching()
        )
        _loaded.fonts = fonts
    return _loaded.fonts, _loaded.css


def render(document: Document) -> bytes:
    fonts, css = _fonts_and_css()
    html = weasyprint.HTML(
        string=document_html(document, inline_stylesheet=False), url_fetcher=NoFetching()
    )
    data: bytes = html.write_pdf(
        stylesheets=[css],
        font_config=fonts,
        pdf_identifier=document.content_sha256[:32].encode(),
    )
    return data


RENDERER = Renderer(format="pdf", content_type="application/pdf", render=render)
