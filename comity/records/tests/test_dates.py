from __future__ import annotations

import datetime
from typing import Any

import pytest

from comity.records.dates import PartialDateError, add_working_days, partial_date


@pytest.mark.parametrize("value", ["1984", "1984-02", "1984-02-29", " 2001-12-31 ", ""])
def test_partial_dates_accepted(value: str) -> None:
    assert partial_date(value) == value.strip()


@pytest.mark.parametrize(
    "value", ["84", "1984-2", "1985-02-29", "1984-13", "07.02.1984", "1800", "3000-01-01"]
)
def test_bad_dates_refused(value: str) -> None:
    with pytest.raises(PartialDateError):
        partial_date(value)


def test_working_days_skip_saturday_and_sunday() -> None:
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 1, iso3="KGZ") == datetime.date(2026, 11, 30)
    assert add_working_days(friday, 10, iso3="KGZ") == datetime.date(2026, 12, 11)


def test_working_days_in_iran_skip_friday_only() -> None:
    thursday = datetime.date(2026, 11, 26)
    assert add_working_days(thursday, 1, iso3="IRN") == datetime.date(2026, 11, 28)
    assert add_working_days(thursday, 2, iso3="IRN") == datetime.date(2026, 11, 29)


def test_weekends_come_from_settings(settings: Any) -> None:
    settings.COMITY_RECORDS_WEEKENDS = {"KGZ": [6]}
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 1, iso3="KGZ") == datetime.date(2026, 11, 28)
