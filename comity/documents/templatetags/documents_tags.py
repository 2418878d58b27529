"""Small helpers for the document templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comity.documents.content import Page, Text

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]``, or "" when it is missing (templates cannot index by a variable)."""
    return mapping.get(key, "")


@register.filter
def check_at(page: Any, url: str) -> str:
    """The page's "check it at <url>" sentence with the address filled in."""
    sentence: str = page.labels["check_at"] % {"url": url}
    return sentence


@register.filter
def in_page(text: Text, page: Page) -> SafeString:
    """A text as ``page`` shows it: in a span of its own language and direction when that
    differs from the page's, then its translation marker.

    Nothing around it, not even a line break: in the PDF every stray space is one more
    text box to lay out, and a trailing one makes the line be laid out again without it.
    The space before the marker is inside the marker's span for the same reason.
    """
    body: SafeString = linebreaksbr(text.text, autoescape=True)
    if text.lang != page.language:
        body = format_html('<span lang="{}" dir="{}">{}</span>', text.lang, text.direction, body)
    if text.status:
        label = page.status_labels.get(text.status, "")
        body = format_html('{}<span class="tr tr-{}"> [{}]</span>', body, text.status, label)
    return body
