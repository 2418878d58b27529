"""The name-matching engine of the criminal-records exchange (docs/MATCHING-ENGINE.md).

Pure Python, no Django: normalisation and transliteration of the region's scripts, name
structure, consonant skeletons, blocking keys, and a scorer that explains itself.
"""

from __future__ import annotations

from comity.records.matching import keys as _keys
from comity.records.matching import scoring as _scoring
from comity.records.matching.keys import (
    codes_of_keys,
    index_keys,
    name_codes,
    query_keys,
    redundant_keys,
)
from comity.records.matching.reasons import REASON_TEXTS, Reason, reason_text
from comity.records.matching.scoring import (
    THRESHOLD,
    PersonRecord,
    Query,
    Scored,
    compare,
    score,
)
from comity.records.matching.text import normalise


def clear_caches() -> None:
    """Forget every analysed word, name, pair and key set (cold-cache measurements)."""
    _scoring.clear_caches()
    _keys.cache_clear()


__all__ = [
    "REASON_TEXTS",
    "THRESHOLD",
    "PersonRecord",
    "Query",
    "Reason",
    "Scored",
    "clear_caches",
    "codes_of_keys",
    "compare",
    "index_keys",
    "name_codes",
    "normalise",
    "query_keys",
    "reason_text",
    "redundant_keys",
    "score",
]
