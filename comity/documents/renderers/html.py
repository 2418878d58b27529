"""The HTML a PDF is printed from; the same page serves as the on-screen preview."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from comity.core import languages
from comity.documents.content import Document, Page, css_page_counter


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters, digits and plain punctuation
    is written as a hex escape, so no text can end the string or the style sheet."""
    out = []
    for char in text:
        if char.isalnum() or char in " .,:;-_/()·":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def _counter(page: Page) -> str:
    return css_page_counter(
        page.labels["page_of"], "persian" if languages.get(page.language).solar_hijri else "decimal"
    )


def margin_css(document: Document) -> str:
    """Page header (reference, version) and footer (page X of Y, in every language)."""
    first = document.first
    start, end = ("right", "left") if first.rtl else ("left", "right")
    reference = css_string(document.meta.reference)
    version = css_string(f"{first.labels['version']} {document.meta.number}")
    footer = ' " / " '.join(_counter(page) for page in document.pages)
    box = (
        'font-family: "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", sans-serif;'
        " font-size: 8.5pt; color: #333;"
    )
    return (
        "@page {"
        f" @top-{start} {{ content: {reference}; {box} }}"
        f" @top-{end} {{ content: {version}; {box} }}"
        f" @bottom-center {{ content: {footer}; {box} }}"
        " }"
    )


STYLESHEET = "documents/document.css"


def stylesheet() -> str:
    """The style sheet every document shares (the page margins are each document's own)."""
    return render_to_string(STYLESHEET)


def document_html(
    document: Document, *, preview: bool = False, inline_stylesheet: bool = True
) -> str:
    """The document as HTML. ``inline_stylesheet=False`` leaves out the shared style sheet,
    for a renderer that passes it already parsed (see pdf.py)."""
    context = {
        "doc": document,
        "margin_css": mark_safe(margin_css(document)),  # noqa: S308 (built from css_string)
        "inline_stylesheet": inline_stylesheet,
        "preview": preview,
        "preview_note": _("Preview of the current data: not a document version, not for sending."),
    }
    return render_to_string("documents/document.html", context)
