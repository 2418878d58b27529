"""The engine's compare() on OpenSanctions' name_bench (person pairs), beside a baseline.

    .venv/bin/python bench/matching/name_bench.py CASES.csv            # in process
    .venv/bin/python bench/matching/name_bench.py CASES.csv --cli      # through the command
    .venv/bin/python bench/matching/name_bench.py CASES.csv --failures # also list the misses

CASES.csv is ``cases.csv`` of name_bench (columns case_group, schema, name1, name2, is_match,
...); only rows with schema ``Person`` are scored. Prints precision, recall and F1 at the
engine's fixed THRESHOLD beside OpenSanctions' published F1 0.790, the F1 a sweep of
thresholds would reach (to show how sensitive the figure is, not to choose the threshold),
the baseline (rapidfuzz token_sort_ratio on anyascii forms at its best threshold) with its
F1, the speed ratio of engine and baseline, and the per-call costs of score() and
index_keys().
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz

from comity.records import matching
from comity.records.matching import names as engine_names
from comity.records.matching import scoring

PUBLISHED = {"precision": 0.762, "recall": 0.821, "f1": 0.790, "threshold": 0.7}


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    a: str
    b: str
    match: bool


def load(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["schema"] == "Person"]
    return [
        Case(str(n), row["name1"], row["name2"], row["is_match"].strip().lower() == "true")
        for n, row in enumerate(rows)
    ]


def metrics(cases: Sequence[Case], decisions: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for c, d in zip(cases, decisions, strict=True) if d and c.match)
    fp = sum(1 for c, d in zip(cases, decisions, strict=True) if d and not c.match)
    fn = sum(1 for c, d in zip(cases, decisions, strict=True) if not d and c.match)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def best_threshold(
    cases: Sequence[Case], scores: Sequence[float]
) -> tuple[float, dict[str, float]]:
    best = (0.0, metrics(cases, [True] * len(cases)))
    for step in range(1, 100):
        threshold = step / 100
        found = metrics(cases, [s >= threshold for s in scores])
        if found["f1"] > best[1]["f1"]:
            best = (threshold, found)
    return best


def engine_scores(cases: Sequence[Case]) -> list[float]:
    return [matching.compare(c.a, c.b)[0] for c in cases]


def cli_scores(cases: Sequence[Case]) -> tuple[list[float], list[bool]]:
    command = [str(Path(sys.executable).parent / "comity"), "records", "compare"]
    lines = "".join(json.dumps({"id": c.id, "a": c.a, "b": c.b}) + "\n" for c in cases)
    done = subprocess.run(command, input=lines, capture_output=True, text=True, check=True)
    by_id = {}
    for line in done.stdout.splitlines():
        if line.strip():
            row = json.loads(line)
            by_id[str(row["id"])] = (float(row["score"]), bool(row["match"]))
    return [by_id[c.id][0] for c in cases], [by_id[c.id][1] for c in cases]


def baseline_score(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(anyascii(a).lower(), anyascii(b).lower()) / 100.0


def seconds(call: Callable[[], object], rounds: int = 5) -> float:
    """Best wall time of ``rounds`` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def cold_engine(cases: Sequence[Case]) -> None:
    matching.clear_caches()
    engine_scores(cases)


def baseline_all(cases: Sequence[Case]) -> None:
    for case in cases:
        baseline_score(case.a, case.b)


def synthetic_names(cases: Sequence[Case], count: int) -> list[str]:
    """Distinct names made of the benchmark's words (first word x last word x middle)."""
    words = sorted({w for c in cases for n in (c.a, c.b) for w in n.split() if len(w) > 1})
    out: list[str] = []
    step = max(1, len(words) // 97)
    for i, first in enumerate(words):
        for j in range(0, len(words), step):
            out.append(f"{first} {words[j]} {words[(i * 7 + j) % len(words)]}")
            if len(out) >= count:
                return out
    return out


def print_row(label: str, found: dict[str, float], threshold: float) -> None:
    print(
        f"{label:<42} threshold {threshold:4.2f}  precision {found['precision']:.3f}  "
        f"recall {found['recall']:.3f}  F1 {found['f1']:.3f}"
    )


def timings(cases: Sequence[Case]) -> None:
    records = [matching.PersonRecord(ref=c.id, names=(c.b,)) for c in cases]
    queries = [matching.Query(name=c.a) for c in cases]

    def score_all() -> None:
        for query, record in zip(queries, records, strict=True):
            matching.score(query, record)

    def score_cold() -> None:
        matching.clear_caches()
        score_all()

    def score_names_cold() -> float:
        matching.clear_caches()
        for query in queries:
            matching.index_keys(query.name)
        for record in records:
            matching.index_keys(record.names[0])
        scoring.clear_pairs()
        engine_names.analyse.cache_clear()
        started = time.perf_counter()
        score_all()
        return time.perf_counter() - started

    cold = seconds(score_cold) / len(cases) * 1e6
    words_warm = min(score_names_cold() for _ in range(5)) / len(cases) * 1e6
    warm = seconds(score_all) / len(cases) * 1e6
    print(
        f"score(): µs per candidate: {cold:.1f} all caches cold, {words_warm:.1f} names new "
        f"but words known, {warm:.1f} warm (target < 200)"
    )
    names = synthetic_names(cases, 50_000)

    def key_all() -> None:
        matching.clear_caches()
        for name in names:
            matching.index_keys(name)

    per_name = seconds(key_all, rounds=2) / len(names) * 1e6
    keys = sum(len(matching.index_keys(n)) for n in islice(names, 5000)) / min(5000, len(names))
    print(
        f"index_keys(): {per_name:.1f} µs per name over {len(names):,} distinct names "
        f"(cold caches; 1,000,000 names ≈ {per_name:.0f} s), {keys:.1f} keys per name"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cases", type=Path, help="name_bench cases.csv")
    parser.add_argument("--cli", action="store_true", help="score through `comity records compare`")
    parser.add_argument("--failures", action="store_true", help="list the pairs decided wrong")
    args = parser.parse_args(argv)
    cases = load(args.cases)
    print(f"name_bench: {len(cases)} person pairs, {sum(c.match for c in cases)} true matches")

    started = time.perf_counter()
    if args.cli:
        scores, decisions = cli_scores(cases)
        label = "engine via `comity records compare`"
    else:
        scores = engine_scores(cases)
        decisions = [s >= matching.THRESHOLD for s in scores]
        label = "engine compare() in process"
    wall = time.perf_counter() - started
    ours = metrics(cases, decisions)
    print_row(label, ours, matching.THRESHOLD)
    print_row("OpenSanctions logic-v2 (published)", PUBLISHED, PUBLISHED["threshold"])
    sweep_threshold, sweep = best_threshold(cases, scores)
    print_row("engine, best threshold in hindsight", sweep, sweep_threshold)
    base_scores = [baseline_score(c.a, c.b) for c in cases]
    base_threshold, base = best_threshold(cases, base_scores)
    print_row("baseline token_sort_ratio, best threshold", base, base_threshold)
    print(
        f"F1 {ours['f1']:.3f} vs published 0.790: {'above' if ours['f1'] > 0.79 else 'NOT above'}"
    )
    print(f"wall time of the run above: {wall * 1000:.0f} ms for {len(cases)} pairs")

    engine_time = seconds(lambda: cold_engine(cases))
    base_time = seconds(lambda: baseline_all(cases))
    print(
        f"speed: engine {engine_time / len(cases) * 1e6:.1f} µs per pair (cold caches), "
        f"baseline {base_time / len(cases) * 1e6:.1f} µs per pair; "
        f"engine/baseline time ratio {engine_time / base_time:.1f}x"
    )
    timings(cases)
    if args.failures:
        print("\nmisses (label, score, name1 | name2):")
        for case, value, decided in zip(cases, scores, decisions, strict=True):
            if decided != case.match:
                kind = "FN" if case.match else "FP"
                print(f"  {kind} {value:.3f}  {case.a} | {case.b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
