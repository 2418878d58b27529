"""Folding text for search, so that the spelling a user types finds the stored one."""

from __future__ import annotations

import unicodedata

# Arabic code points that Persian writers type with the Persian letter, and the zero-width
# non-joiner that some keyboards put inside compound names.
_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                          "\u200c": None})  # fmt: skip


def fold(text: str) -> str:
    """NFKC, case-folded (Latin and Cyrillic alike), Arabic letter variants unified."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_PERSIAN)


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII ones (what a Persian keyboard types)."""
    return text.translate(_DIGITS)
