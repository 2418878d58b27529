"""Solar Hijri dates beside the Gregorian ones, checked against known dates."""

from __future__ import annotations

from datetime import date

import pytest

from comity.documents.calendars import (
    gregorian_date,
    solar_hijri_date,
    solar_hijri_parts,
    uses_solar_hijri,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 21), (1405, 1, 1)),  # Nowruz: 1 Farvardin 1405
        (date(2026, 11, 28), (1405, 9, 7)),  # 7 Azar 1405
        (date(2025, 3, 20), (1403, 12, 30)),  # the last day of the leap year 1403
        (date(2025, 3, 21), (1404, 1, 1)),
        (date(1979, 2, 11), (1357, 11, 22)),  # 22 Bahman 1357
    ],
)
def test_it_converts_known_dates(day: date, expected: tuple[int, int, int]) -> None:
    assert solar_hijri_parts(day) == expected


def test_it_writes_the_persian_date_with_persian_digits_and_month_names() -> None:
    assert solar_hijri_date(date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"
    assert solar_hijri_date(date(2026, 11, 28), "fa") == "۷ آذر ۱۴۰۵"


def test_it_writes_the_solar_hijri_date_in_the_document_language() -> None:
    assert solar_hijri_date(date(2026, 11, 28), "en") == "Azar 7, 1405 AP"
    assert "1405" in solar_hijri_date(date(2026, 11, 28), "ru")


def test_the_gregorian_date_follows_the_language() -> None:
    assert gregorian_date(date(2026, 11, 28), "en") == "November 28, 2026"
    assert gregorian_date(date(2026, 11, 28), "ru").startswith("28 ноября 2026")
    assert gregorian_date(date(2026, 11, 28), "fa") == "۲۸ نوامبر ۲۰۲۶"


def test_only_iran_and_afghanistan_use_the_solar_hijri_calendar() -> None:
    assert uses_solar_hijri("KAZ", "IRN")
    assert uses_solar_hijri("afg")
    assert not uses_solar_hijri("KAZ", "KGZ")
