"""Partial birth dates and working-day deadlines for the records exchange."""

from __future__ import annotations

import datetime
import functools
import re
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Weekly rest days (Monday = 0) where they are not Saturday and Sunday. Public holidays are
# not counted: a node may set COMITY_RECORDS_WEEKENDS from its state's official calendar.
DEFAULT_WEEKENDS: dict[str, tuple[int, ...]] = {"IRN": (4,), "AFG": (4,)}
SATURDAY_SUNDAY = (5, 6)


class PartialDateError(ValueError):
    pass


def partial_date(value: str) -> str:
    """``value`` checked as YYYY, YYYY-MM or YYYY-MM-DD (empty stays empty)."""
    value = value.strip()
    if not value:
        return ""
    match = PARTIAL_DATE.match(value)
    if match is None:
        raise PartialDateError(
            _("A birth date is written YYYY, YYYY-MM or YYYY-MM-DD; “%(value)s” is not.")
            % {"value": value}
        )
    year_text, month, day = (int(part) if part else None for part in match.groups())
    year = int(year_text or 0)
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise PartialDateError(_("“%(value)s” is not a date.") % {"value": value}) from None
    if not 1850 <= year <= _this_year(int(time.time() // 3600)):
        raise PartialDateError(
            _("The birth year %(year)s is outside 1850 to this year.") % {"year": year}
        )
    return value


@functools.lru_cache(maxsize=2)
def _this_year(hour: int) -> int:
    """This year, computed once an hour (an import checks a million dates)."""
    return timezone.localdate().year


def weekend(iso3: str) -> tuple[int, ...]:
    configured: dict[str, tuple[int, ...]] = getattr(settings, "COMITY_RECORDS_WEEKENDS", {})
    return tuple(configured.get(iso3, DEFAULT_WEEKENDS.get(iso3, SATURDAY_SUNDAY)))


def add_working_days(start: datetime.date, days: int, *, iso3: str) -> datetime.date:
    """The day ``days`` working days after ``start`` in the state ``iso3``."""
    rest = weekend(iso3)
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() not in rest:
            remaining -= 1
    return current
