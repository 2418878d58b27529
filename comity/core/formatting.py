"""Dates and numbers as the reader's language writes them.

Django's localisation does the work (its format files, plus Comity's own in
comity/core/formats/ where Django's fall short). On top of it, two things Django does not do:

- the digits of the language's locale (Persian digits in Persian and Pashto), from ICU;
- the Solar Hijri date beside the Gregorian one, for a language whose readers expect it.

Templates use them through ``{% load comity_l10n %}``: ``|local_date`` and ``|local_number``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache

import icu
from django.utils import formats
from django.utils.dateformat import format as date_format_with
from django.utils.translation import get_language, override

from comity.core import calendars, languages

ASCII_DIGITS = "0123456789"


@cache
def digits(code: str) -> str:
    """The ten digits the language's locale writes numbers with."""
    locale = languages.get(code).locale or code
    description = str(icu.NumberingSystem.createInstance(icu.Locale(locale)).getDescription())
    return description if len(description) == 10 else ASCII_DIGITS


def native_digits(text: str, code: str | None = None) -> str:
    """``text`` with its ASCII digits written in the language's own digits."""
    own = digits(languages.get(code or get_language()).code)
    if own == ASCII_DIGITS:
        return text
    return text.translate(str.maketrans(ASCII_DIGITS, own))


def _written(language: languages.Language) -> languages.Language:
    """The language dates and numbers are written in: the reader's, if its interface is
    translated; else the fallback's, like the rest of the page."""
    return language if language.ui_complete else languages.get(languages.FALLBACK)


# Format names that show the day alone: their text depends on the day and the language
# only, so it is kept (a list page writes the same few days again and again).
_DAY_FORMATS = frozenset({"DATE_FORMAT", "SHORT_DATE_FORMAT"})


def local_date(value: date | datetime, format_name: str = "DATE_FORMAT") -> str:
    """The date in the active language's format and digits; for a language whose readers
    use the Solar Hijri calendar (Persian, Pashto), that date follows in brackets.

    ``format_name`` is one of Django's format names (DATE_FORMAT, SHORT_DATE_FORMAT,
    DATETIME_FORMAT, SHORT_DATETIME_FORMAT) or a format string. A datetime is written as
    it is given: make it local time first (the template filter does).
    """
    if format_name in _DAY_FORMATS:
        day = value.date() if isinstance(value, datetime) else value
        return local_day(day, format_name, get_language() or "")
    return _local_date(value, format_name, get_language() or "")


@lru_cache(maxsize=4096)
def local_day(day: date, format_name: str, language_code: str) -> str:
    """local_date() of a day in a DAY format, for a language given: for loops that write many
    dates (list rows), which read the active language once instead of for each."""
    return _local_date(day, format_name, language_code)


def _local_date(value: date | datetime, format_name: str, language_code: str) -> str:
    language = languages.get(language_code)
    written = _written(language)
    with override(written.code):
        text = date_format_with(value, formats.get_format(format_name))
    text = native_digits(text, written.code)
    if language.solar_hijri:
        day = value.date() if isinstance(value, datetime) else value
        style = "short" if format_name.startswith("SHORT") else "long"
        text = f"{text} ({calendars.solar_hijri_date(day, written.code, style)})"
    return text


def local_number(value: int | float | Decimal | str, decimal_pos: int | None = None) -> str:
    """A number grouped and separated as the active language does it, in its digits."""
    written = _written(languages.get(get_language()))
    with override(written.code):
        text = formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)
    return native_digits(text, written.code)
