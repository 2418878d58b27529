"""Small helpers for the document templates."""

from __future__ import annotations

from typing import Any

from django import template

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
