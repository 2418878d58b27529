"""The plain approach, as a user would build it first: the baseline of the matching benchmark.

Every register name is put into Latin letters with ICU's "Any-Latin; Latin-ASCII" and kept in
memory; a query is put into Latin letters the same way and compared with every record by
rapidfuzz's token_sort_ratio (process.extract); among the 50 best, a record whose birth date
agrees with the query's gets a small bonus (a tie-breaker, nothing more).

    .venv/bin/python bench/matching/plain.py DIR [--sample 200] [--json FILE]

DIR is what generate.py wrote. Prints recall@10 and top-1 per split and kind, and p50/p95
latency per query (transliterating the query included, loading the register not).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icu
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the bench package importable
    sys.path.insert(0, str(ROOT))

from bench.matching import evalset  # noqa: E402
from bench.timing import figures as timing_figures  # noqa: E402
from bench.timing import ms  # noqa: E402

SHORTLIST = 50
BIRTH_BONUS = 5.0  # points of token_sort_ratio (0..100) for an agreeing birth date
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


@dataclass(slots=True)
class PlainRegister:
    refs: list[str]
    names: list[str]  # ASCII, lower case, words separated by single spaces
    births: list[str]


class Plain:
    """ICU transliteration + rapidfuzz over every record."""

    def __init__(self) -> None:
        self.transliterator = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")

    def latin(self, text: str) -> str:
        ascii_text = str(self.transliterator.transliterate(text)).lower()
        return _NOT_LETTERS.sub(" ", ascii_text).strip()

    def load(self, path: Path) -> PlainRegister:
        refs: list[str] = []
        names: list[str] = []
        births: list[str] = []
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                refs.append(row["ref"])
                names.append(self.latin(row["full_name"]))
                births.append(row["birth_date"])
        return PlainRegister(refs, names, births)

    def search(
        self, register: PlainRegister, name: str, birth_date: str | None = None, top: int = 10
    ) -> list[str]:
        query = self.latin(name.replace("<", " "))
        found = process.extract(
            query, register.names, scorer=fuzz.token_sort_ratio, limit=SHORTLIST
        )
        scored = []
        for _choice, value, index in found:
            bonus = 0.0
            born = register.births[index]
            if birth_date and born:
                size = min(len(birth_date), len(born))
                bonus = BIRTH_BONUS if birth_date[:size] == born[:size] else 0.0
            scored.append((value + bonus, index))
        scored.sort(key=lambda pair: -pair[0])
        return [register.refs[index] for _value, index in scored[:top]]


def run(
    directory: Path,
    *,
    sample_size: int | None = None,
    alongside: Callable[[evalset.Item], object] | None = None,
) -> dict[str, Any]:
    """Load the register, run the (sampled) queries, return figures and per-query ranks.

    ``alongside`` (Comity's search) is run and timed just before each plain query, so that
    the two are measured under the same load of a shared machine ("alongside_latencies")."""
    plain = Plain()
    started = time.perf_counter()
    register = plain.load(directory / "register.csv")
    load_seconds = time.perf_counter() - started
    items = evalset.sample(evalset.load(directory), sample_size)
    ranks: dict[str, int | None] = {}
    ranks_indistinct: dict[str, int | None] = {}
    latencies: list[float] = []
    alongside_latencies: list[float] = []
    for item in items:
        if alongside is not None:
            began = time.perf_counter()
            alongside(item)
            alongside_latencies.append(ms(time.perf_counter() - began))
        began = time.perf_counter()
        refs = plain.search(register, item.name, item.birth_date)
        latencies.append(ms(time.perf_counter() - began))
        ranks[item.id] = evalset.rank(item, refs)
        ranks_indistinct[item.id] = evalset.rank(item, refs, indistinct=True)
    return {
        "persons": len(register.refs),
        "load_seconds": load_seconds,
        "items": items,
        "ranks": ranks,
        "ranks_indistinct": ranks_indistinct,
        "latency": timing_figures(latencies),
        "latencies": latencies,
        "alongside_latencies": alongside_latencies,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("directory", type=Path, help="what generate.py wrote")
    parser.add_argument("--sample", type=int, default=None, help="queries to run (default all)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    result = run(args.directory, sample_size=args.sample)
    latency = result["latency"]
    print(
        f"plain: {result['persons']:,} persons transliterated in {result['load_seconds']:.1f} s; "
        f"{latency['calls']} queries, p50 {latency['median_ms']:.1f} ms, "
        f"p95 {latency['p95_ms']:.1f} ms"
    )
    per = evalset.breakdown(result["items"], result["ranks"])
    print()
    print(evalset.table({"plain": per}))
    if args.json:
        summary = {
            "persons": result["persons"],
            "latency": latency,
            "figures": {k: v.as_dict() for k, v in per.items()},
        }
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
