"""Dates in the Gregorian and the Solar Hijri calendars, through ICU.

ICU writes both in the reader's language, with the digits and month names its locale data
gives (Persian digits and month names in Persian, "Azar 7, 1405 AP" in English). Request
documents use it (comity/documents/content.py), and so do the pages: beside a Gregorian
date, a reader whose language uses the Solar Hijri calendar (comity.core.languages) sees
that date too.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import icu

# States whose official calendar is the Solar Hijri (Persian) one.
SOLAR_HIJRI_STATES: frozenset[str] = frozenset({"IRN", "AFG"})

# ICU's date styles, by the name Comity gives them.
_STYLES = {
    "long": icu.DateFormat.LONG,
    "medium": icu.DateFormat.MEDIUM,
    "short": icu.DateFormat.SHORT,
}


def _noon_utc(day: date) -> float:
    # Noon, so that no time-zone shift can move the day.
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.clear()
    calendar.set(day.year, day.month - 1, day.day, 12, 0, 0)
    moment: float = calendar.getTime()
    return moment


# An ICU formatter is not safe to share between threads: one set per thread, kept.
_local = threading.local()


def _formatter(locale: str, style: str) -> icu.DateFormat:
    cache: dict[tuple[str, str], icu.DateFormat] = _local.__dict__.setdefault("formatters", {})
    formatter = cache.get((locale, style))
    if formatter is None:
        formatter = icu.DateFormat.createDateInstance(_STYLES[style], icu.Locale(locale))
        formatter.setTimeZone(icu.TimeZone.getGMT())
        cache[(locale, style)] = formatter
    return formatter


def _format(day: date, locale: str, style: str = "long") -> str:
    if isinstance(day, datetime):
        day = day.date()
    text: str = _formatter(locale, style).format(_noon_utc(day))
    return text


def gregorian_date(day: date, language: str, style: str = "long") -> str:
    return _format(day, f"{language}@calendar=gregorian", style)


def solar_hijri_date(day: date, language: str = "fa", style: str = "long") -> str:
    return _format(day, f"{language}@calendar=persian", style)


def solar_hijri_parts(day: date) -> tuple[int, int, int]:
    """(year, month, day) in the Solar Hijri calendar; month 1 is Farvardin."""
    calendar = icu.Calendar.createInstance(icu.TimeZone.getGMT(), icu.Locale("fa@calendar=persian"))
    calendar.setTime(_noon_utc(day))
    fields = icu.UCalendarDateFields
    return (
        int(calendar.get(fields.YEAR)),
        int(calendar.get(fields.MONTH)) + 1,
        int(calendar.get(fields.DATE)),
    )


def uses_solar_hijri(*iso3: str) -> bool:
    return any(code.upper() in SOLAR_HIJRI_STATES for code in iso3)
