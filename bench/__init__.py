"""Benchmarks: they print figures and ratios, they assert nothing (docs/benchmarks.md)."""
