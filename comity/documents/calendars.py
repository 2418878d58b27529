"""Dates in documents: Gregorian everywhere, Solar Hijri beside it for Iran and Afghanistan.

ICU does both, in the document's language, with the digits and month names its locale
data gives (Persian digits and month names in Persian, "Azar 7, 1405 AP" in English).
"""

from __future__ import annotations

from datetime import date

import icu

# States whose official calendar is the Solar Hijri (Persian) one.
SOLAR_HIJRI_STATES: frozenset[str] = frozenset({"IRN", "AFG"})


def _noon_utc(day: date) -> float:
    # Noon, so that no time-zone shift can move the day.
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.clear()
    calendar.set(day.year, day.month - 1, day.day, 12, 0, 0)
    moment: float = calendar.getTime()
    return moment


def _format(day: date, locale: str) -> str:
    formatter = icu.DateFormat.createDateInstance(icu.DateFormat.LONG, icu.Locale(locale))
    formatter.setTimeZone(icu.TimeZone.getGMT())
    text: str = formatter.format(_noon_utc(day))
    return text


def gregorian_date(day: date, language: str) -> str:
    return _format(day, f"{language}@calendar=gregorian")


def solar_hijri_date(day: date, language: str = "fa") -> str:
    return _format(day, f"{language}@calendar=persian")


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
