"""Timing helpers shared by the in-process benchmarks (legal_basis.py, documents.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(call: Callable[[], object]) -> float:
    """Milliseconds of wall time one call takes."""
    started = time.perf_counter()
    call()
    return ms(time.perf_counter() - started)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def figures(values: Sequence[float]) -> dict[str, float]:
    return {
        "calls": len(values),
        "median_ms": statistics.median(values),
        "p95_ms": percentile(values, 0.95),
        "max_ms": max(values),
    }
