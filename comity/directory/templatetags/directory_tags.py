"""Filters for the directory pages: vocabularies, badges, links built from stored text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import template

from comity import policy
from comity.directory.models import is_stale
from comity.directory.views import display

register = template.Library()

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)


@register.filter
def unsourced(entry: Any, field: str) -> bool:
    """The field's value was filled for the demo, not taken from a published source."""
    return field in (getattr(entry, "unsourced_fields", None) or [])


@register.filter
def stale(last_verified: date | None) -> bool:
    return is_stale(last_verified)


@register.filter
def language_names(codes: Any) -> str:
    return display.names(codes or [], display.language_name)


@register.filter
def measure_names(codes: Any) -> str:
    return display.names(codes or [], display.measure_name)


@register.filter
def measure_name(code: str) -> str:
    return display.measure_name(code)


@register.filter
def availability_badge(value: str) -> str:
    return display.AVAILABILITY_BADGES.get(value, display.AVAILABILITY_BADGES["unknown"])


@register.filter
def confidence_badge(value: str) -> str:
    return display.CONFIDENCE_BADGES.get(
        value, "text-secondary-emphasis bg-secondary-subtle border"
    )


@register.filter
def confidence_label(value: str) -> str:
    label = display.CONFIDENCE_LABELS.get(value)
    return str(label) if label is not None else value or "—"


@register.filter
def yes_no(value: bool | None) -> str:
    return display.yes_no(value)


@register.filter
def emails(value: str) -> list[str]:
    """The e-mail addresses in a published contact cell (other text is left out)."""
    parts = re.split(r"[;,\s]+", value or "")
    return [part for part in parts if _EMAIL.match(part)]


@register.filter
def website_url(value: str) -> str:
    """A link for a published website: http(s) only; a bare domain gets https://."""
    text = (value or "").strip().split()[0] if (value or "").strip() else ""
    if re.match(r"^https?://", text, re.IGNORECASE):
        return text
    if _DOMAIN.match(text):
        return f"https://{text}"
    return ""


@register.filter
def can_view_directory(user: Any) -> bool:
    return policy.can_view_directory(user)


@register.filter
def other_names(authority: Any) -> list[str]:
    return display.other_names(authority)


@register.filter
def contact_other_names(contact: Any) -> list[str]:
    return display.contact_names(contact)


@register.filter
def language_name(code: str) -> str:
    return display.language_name(code)
