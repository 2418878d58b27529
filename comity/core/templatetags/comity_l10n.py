"""Dates and numbers in the reader's language: ``{% load comity_l10n %}``.

``{{ day|local_date }}``, ``{{ moment|local_date:"SHORT_DATETIME_FORMAT" }}``,
``{{ total|local_number }}``, ``{{ amount|local_number:2 }}``. Keep machine-readable values
(``<time datetime>``, URLs, form values) on Django's ``date`` filter with a fixed format.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.html import format_html

from comity.core import formatting

register = template.Library()


@register.filter(expects_localtime=True)
def local_date(value: date | datetime | None, format_name: str = "DATE_FORMAT") -> str:
    if not isinstance(value, date):
        return ""
    return formatting.local_date(value, format_name)


@register.filter
def local_number(value: int | float | Decimal | str | None, decimal_pos: int | None = None) -> str:
    if value is None or value == "":
        return ""
    return formatting.local_number(value, decimal_pos)


@register.filter
def local_digits(value: object) -> str:
    """Any text with its digits in the reader's language (counts, page numbers)."""
    return formatting.native_digits(str(value))


@register.filter
def isolate(value: object) -> str:
    """A name, code or reference set apart from the text around it, in its own direction:
    ``{% blocktranslate with reference=req.reference|isolate %}``."""
    return format_html('<bdi class="comity-ref">{}</bdi>', value)
