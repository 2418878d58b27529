"""Dates in documents: Gregorian everywhere, Solar Hijri beside it for Iran and Afghanistan.

The calendars are shared with the pages and live in comity/core/calendars.py; this module
keeps the documents' imports working.
"""

from __future__ import annotations

from comity.core.calendars import (
    SOLAR_HIJRI_STATES,
    gregorian_date,
    solar_hijri_date,
    solar_hijri_parts,
    uses_solar_hijri,
)

__all__ = [
    "SOLAR_HIJRI_STATES",
    "gregorian_date",
    "solar_hijri_date",
    "solar_hijri_parts",
    "uses_solar_hijri",
]
