"""The criminal-records matching benchmark: Comity's register search against the plain approach.

    .venv/bin/python bench/matching/run.py [--persons 200000] [--queries 2000]
        [--work-dir DIR] [--database-url postgres://...] [--reuse] [--plain-sample N]
        [--register-state KAZ] [--json FILE]

Steps, each timed:

1. generate (or reuse) a synthetic register of N persons and its evaluation set
   (generate.py; DIR/register.csv, queries.jsonl, answers.jsonl);
2. a fresh database: SQLite at DIR/bench.sqlite3 (DATABASE_URL=sqlite:///...), or the
   PostgreSQL database given with --database-url (it must be empty); `comity migrate`,
   `comity load_reference`, `comity records registers --create <state>`;
3. `comity records import-persons DIR/register.csv` (target: 1,000,000 persons < 5 min);
4. `comity records match --top 10` on every query (JSON lines in and out): recall@10 and
   top-1 per split and per kind (script pair);
5. in process, `comity.records.search.search_persons()` per query: p50/p95 latency,
   searches per second on one core, peak RSS of the process; the index size (the
   records_namekey table and its indexes; the database file);
6. the plain approach (plain.py: ICU Any-Latin + rapidfuzz over every record, in memory) on
   the same register and a sample of the queries, each query searched by Comity just before
   (both timed in turn, under the same load); the speed ratio and both recalls on that
   sample.

Prints a markdown block for docs/benchmarks.md. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the bench package importable
    sys.path.insert(0, str(ROOT))

from bench.matching import evalset, plain  # noqa: E402
from bench.matching.generate import EVALUATION, generate  # noqa: E402
from bench.timing import figures as timing_figures  # noqa: E402
from bench.timing import ms  # noqa: E402

TARGETS = {
    "recall_at_10": 0.95,
    "top_1": 0.85,
    "p95_ms": 50.0,
    "speedup": 20.0,
    "searches_per_second": 20.0,
    "import_seconds_1m": 300.0,
}


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


# --- the command line of the project -------------------------------------------------------


def comity_executable() -> list[str]:
    local = ROOT / ".venv" / "bin" / "comity"
    if local.exists():
        return [str(local)]
    found = shutil.which("comity")
    if found:
        return [found]
    raise BenchError("The `comity` command is not installed (pip install -e . in the venv).")


def environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "COMITY_DATA_DIR": str(data_dir),
            "COMITY_SECURE": "0",
            "DJANGO_SETTINGS_MODULE": "comity.config.settings",
        }
    )
    return env


def comity(
    args: Sequence[str], env: dict[str, str], *, stdin: Path | None = None
) -> subprocess.CompletedProcess[str]:
    command = [*comity_executable(), *args]
    with stdin.open(encoding="utf-8") if stdin else open(os.devnull, encoding="utf-8") as feed:
        done = subprocess.run(
            command, env=env, stdin=feed, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        if "Unknown command" in tail or "invalid choice" in tail:
            raise BenchError(
                f"`comity {' '.join(args[:2])}` does not exist yet in this checkout: the "
                f"register side (comity records import-persons / match) is needed.\n{tail}"
            )
        raise BenchError(f"`comity {' '.join(args)}` failed ({done.returncode}):\n{tail}")
    return done


def check_commands(env: dict[str, str]) -> None:
    comity(["records", "import-persons", "--help"], env)
    comity(["records", "match", "--help"], env)


# --- steps ---------------------------------------------------------------------------------


def ensure_data(work: Path, persons: int, queries: int, seed: int) -> dict[str, Any]:
    manifest_path = work / "manifest.json"
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (manifest["persons"], manifest["queries"], manifest["seed"]) == (
            persons,
            queries,
            seed,
        ) and manifest.get("evaluation") == EVALUATION:
            print(f"register and queries reused from {work}")
            return manifest
    print(f"generating {persons:,} persons and {queries:,} queries into {work} ...")
    manifest = generate(persons=persons, out=work, queries=queries, seed=seed)
    print(f"  generated in {manifest['seconds']:.1f} s")
    return manifest


def prepare_database(env: dict[str, str], *, state: str, sqlite_file: Path | None) -> None:
    if sqlite_file is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    comity(["migrate", "--verbosity", "0"], env)
    comity(["load_reference"], env)
    comity(["records", "registers", "--create", state], env)
    print(f"database migrated and reference data loaded in {time.perf_counter() - started:.1f} s")


def import_register(env: dict[str, str], work: Path, state: str) -> float:
    started = time.perf_counter()
    done = comity(
        ["records", "import-persons", str(work / "register.csv"), "--register", state,
         "--no-progress"],
        env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    print(f"import: {done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ''}")
    print(f"  in {seconds:.1f} s")
    return seconds


def match_command(env: dict[str, str], work: Path, items: Sequence[evalset.Item]) -> dict[str, Any]:
    queries = work / "queries.jsonl"
    started = time.perf_counter()
    done = comity(["records", "match", "--top", "10"], env, stdin=queries)
    seconds = time.perf_counter() - started
    by_id = {item.id: item for item in items}
    ranks: dict[str, int | None] = {}
    ranks_indistinct: dict[str, int | None] = {}
    for line in done.stdout.splitlines():
        if not line.strip():
            continue
        answer = json.loads(line)
        item = by_id.get(answer["id"])
        if item is not None:
            refs = [c["ref"] for c in answer["candidates"]]
            ranks[item.id] = evalset.rank(item, refs)
            ranks_indistinct[item.id] = evalset.rank(item, refs, indistinct=True)
    missing = len(items) - len(ranks)
    if missing:
        print(f"  warning: {missing} queries without an answer line (counted as not found)")
    return {"ranks": ranks, "ranks_indistinct": ranks_indistinct, "seconds": seconds}


def _resident_kinds() -> dict[str, float]:
    """Anonymous and file-backed resident memory of this process now, in MB (Linux)."""
    kinds = {"anon_rss_mb": 0.0, "file_rss_mb": 0.0}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("RssAnon", "RssFile"):
                kinds[f"{name[3:].lower()}_rss_mb"] = int(value.split()[0]) / 1024
    return kinds


def in_process(env: dict[str, str], items: Sequence[evalset.Item]) -> dict[str, Any]:
    """Latency of search_persons() per query in this process, peak RSS, searches/s."""
    os.environ.update(env)
    import django

    django.setup()
    try:
        from comity.records.search import search_persons
    except ImportError as error:
        raise BenchError(f"comity.records.search.search_persons is missing: {error}") from None
    # Warm up: the first calls load the engine's tables and fill its caches.
    for item in items[:20]:
        search_persons(name=item.name, birth_date=item.birth_date, nationality=item.nationality)
    latencies: list[float] = []
    cpu_started = time.process_time()
    for item in items:
        began = time.perf_counter()
        search_persons(
            name=item.name, birth_date=item.birth_date, nationality=item.nationality, top=10
        )
        latencies.append(ms(time.perf_counter() - began))
    cpu = time.process_time() - cpu_started
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        # RSS counts the database pages SQLite maps into memory (mmap_size): the index as
        # the operating system caches it. The process's own memory is the anonymous part.
        **_resident_kinds(),
        "latency": timing_figures(latencies),
        "latencies": latencies,
        "mean_ms": statistics.fmean(latencies),
        # One process runs on one core at a time: its CPU seconds per search give the rate.
        "searches_per_second": len(items) / cpu if cpu else 0.0,
        "peak_rss_mb": peak_rss_mb,
    }


def index_size(sqlite_file: Path | None) -> dict[str, float]:
    """Megabytes of records_namekey with its indexes, and of the whole database."""
    from django.db import DatabaseError, connection

    mb = 1024 * 1024
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('records_namekey'), "
                "pg_database_size(current_database())"
            )
            namekey, total = cursor.fetchone()
            return {"namekey_mb": namekey / mb, "database_mb": total / mb}
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = sqlite_file.stat().st_size if sqlite_file else 0
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name = 'records_namekey' OR name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name = 'records_namekey')"
            )
            row = cursor.fetchone()
            namekey = float(row[0] or 0) if row else -1.0
        except DatabaseError:  # dbstat is an optional SQLite module
            namekey = -1.0
    return {"namekey_mb": namekey / mb if namekey >= 0 else -1.0, "database_mb": total / mb}


# --- the whole run -------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    work: Path = (
        args.work_dir or Path(tempfile.gettempdir()) / f"comity-bench-matching-{args.persons}"
    )
    work.mkdir(parents=True, exist_ok=True)
    manifest = ensure_data(work, args.persons, args.queries, args.seed)
    items = evalset.load(work)
    sqlite_file = None if args.database_url else work / "bench.sqlite3"
    database_url = args.database_url or f"sqlite:///{sqlite_file}"
    env = environment(database_url, work / "data")
    check_commands(env)
    import_seconds = None
    if not args.reuse:
        prepare_database(env, state=args.register_state, sqlite_file=sqlite_file)
        import_seconds = import_register(env, work, args.register_state)
    matched = match_command(env, work, items)
    print(f"match command: {len(items)} queries in {matched['seconds']:.1f} s")
    search = in_process(env, items)
    sizes = index_size(sqlite_file)
    sample_size = args.plain_sample
    if sample_size is None:
        sample_size = len(items) if args.persons <= 200_000 else 200
    print(f"plain approach on {sample_size} queries, each after Comity's search ...")
    from comity.records.matching import clear_caches
    from comity.records.search import search_persons

    # The sample's queries were searched above: forget the words and names the engine keeps,
    # so that Comity does not meet them again warm (it starts colder than in step 5).
    clear_caches()

    def comity_search(item: evalset.Item) -> object:
        return search_persons(
            name=item.name, birth_date=item.birth_date, nationality=item.nationality, top=10
        )

    baseline = plain.run(work, sample_size=sample_size, alongside=comity_search)
    sampled = baseline["items"]
    comity_on_sample = evalset.figures(matched["ranks"].get(i.id) for i in sampled)
    plain_on_sample = evalset.figures(baseline["ranks"].get(i.id) for i in sampled)
    comity_on_sample_indistinct = evalset.figures(
        matched["ranks_indistinct"].get(i.id) for i in sampled
    )
    plain_on_sample_indistinct = evalset.figures(
        baseline["ranks_indistinct"].get(i.id) for i in sampled
    )
    # Both timed query by query in turn (plain.run's "alongside"): a shared machine's load
    # then weighs on both alike, which two phases minutes apart do not ensure.
    speedup = statistics.median(baseline["latencies"]) / statistics.median(
        baseline["alongside_latencies"]
    )
    return {
        "manifest": manifest,
        "database": "postgresql" if args.database_url else "sqlite",
        "import_seconds": import_seconds,
        "comity": evalset.breakdown(items, matched["ranks"]),
        "plain": evalset.breakdown(sampled, baseline["ranks"]),
        "comity_on_sample": comity_on_sample,
        "plain_on_sample": plain_on_sample,
        "comity_indistinct": evalset.breakdown(items, matched["ranks_indistinct"]),
        "plain_indistinct": evalset.breakdown(sampled, baseline["ranks_indistinct"]),
        "comity_on_sample_indistinct": comity_on_sample_indistinct,
        "plain_on_sample_indistinct": plain_on_sample_indistinct,
        "search": search,
        "sizes": sizes,
        "plain_latency": baseline["latency"],
        "plain_load_seconds": baseline["load_seconds"],
        "speedup_p50": speedup,
        "comity_sample_latency": timing_figures(baseline["alongside_latencies"]),
        "sample_size": len(sampled),
    }


def report(result: dict[str, Any]) -> str:
    search = result["search"]
    latency = search["latency"]
    manifest = result["manifest"]
    plain_latency = result["plain_latency"]
    overall = result["comity"]["all"]
    loose = result["comity_indistinct"]["all"]
    imported = result["import_seconds"]
    lines = [
        f"### Matching at {manifest['persons']:,} persons ({result['database']})",
        "",
        f"Register: {manifest['persons']:,} synthetic persons of 9 states in their registers' "
        f"scripts; {manifest['queries']:,} cross-script queries ({manifest['tune']} tune, "
        f"{manifest['holdout']} held-out); seed {manifest['seed']}.",
        "",
        "| figure | Comity | plain (ICU + rapidfuzz) | target |",
        "|---|---:|---:|---:|",
        f"| recall@10, all queries (a record the query cannot tell apart counts) | "
        f"{loose.recall_at_10:.3f} | - | >= 0.95 |",
        f"| top-1, all queries (idem) | {loose.top_1:.3f} | - | >= 0.85 |",
        f"| recall@10, all queries (only the same full name counts) | "
        f"{overall.recall_at_10:.3f} | - | |",
        f"| top-1, all queries (idem) | {overall.top_1:.3f} | - | |",
        f"| recall@10 on the plain sample ({result['sample_size']}), both rules | "
        f"{result['comity_on_sample_indistinct'].recall_at_10:.3f} / "
        f"{result['comity_on_sample'].recall_at_10:.3f} | "
        f"{result['plain_on_sample_indistinct'].recall_at_10:.3f} / "
        f"{result['plain_on_sample'].recall_at_10:.3f} | |",
        f"| top-1 on the plain sample, both rules | "
        f"{result['comity_on_sample_indistinct'].top_1:.3f} / "
        f"{result['comity_on_sample'].top_1:.3f} | "
        f"{result['plain_on_sample_indistinct'].top_1:.3f} / "
        f"{result['plain_on_sample'].top_1:.3f} | |",
        f"| p50 ms per query | {latency['median_ms']:.1f} | {plain_latency['median_ms']:.1f} | |",
        f"| p95 ms per query | {latency['p95_ms']:.1f} | {plain_latency['p95_ms']:.1f} | <= 50 |",
        f"| p50 ms on the plain sample, each query by both in turn | "
        f"{result['comity_sample_latency']['median_ms']:.1f} | "
        f"{plain_latency['median_ms']:.1f} | |",
        f"| speed ratio (plain p50 / Comity p50, same sample, in turn) | "
        f"{result['speedup_p50']:.1f}x | 1x | >= 20x |",
        f"| searches per second, one core | {search['searches_per_second']:.1f} | "
        f"{1000 / plain_latency['median_ms']:.1f} | >= 20 |",
        f"| import | {imported:.0f} s | {result['plain_load_seconds']:.0f} s (transliterate all) "
        f"| < 300 s at 1M |"
        if imported is not None
        else "| import | reused | - | |",
        f"| records_namekey + indexes | {result['sizes']['namekey_mb']:.0f} MB | - | |",
        f"| database | {result['sizes']['database_mb']:.0f} MB | - | |",
        f"| peak RSS of the search process | {search['peak_rss_mb']:.0f} MB | - | < 1 GB |",
        f"| of which its own memory (anonymous) / mapped database pages, at the end | "
        f"{search.get('anon_rss_mb', 0):.0f} MB / {search.get('file_rss_mb', 0):.0f} MB | - | |",
        "",
        "Per group, a record the query cannot tell apart counting:",
        "",
        evalset.table({"Comity": result["comity_indistinct"], "plain": result["plain_indistinct"]}),
        "",
        "Per group, only the same full name counting:",
        "",
        evalset.table({"Comity": result["comity"], "plain": result["plain"]}),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--reuse", action="store_true", help="keep the imported database")
    parser.add_argument("--plain-sample", type=int, default=None)
    parser.add_argument("--register-state", default="KAZ", help="the register imported into")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print()
    print(report(result))
    if args.json:
        serialisable = {
            key: value
            for key, value in result.items()
            if not key.startswith(("comity", "plain_on_sample", "plain_indistinct"))
            and key != "plain"
        }
        serialisable["search"] = {k: v for k, v in result["search"].items() if k != "latencies"}
        serialisable["comity"] = {k: v.as_dict() for k, v in result["comity"].items()}
        serialisable["plain"] = {k: v.as_dict() for k, v in result["plain"].items()}
        for key in ("comity_indistinct", "plain_indistinct"):
            serialisable[key] = {k: v.as_dict() for k, v in result[key].items()}
        for key in (
            "comity_on_sample", "plain_on_sample",
            "comity_on_sample_indistinct", "plain_on_sample_indistinct",
        ):  # fmt: skip
            serialisable[key] = result[key].as_dict()
        args.json.write_text(json.dumps(serialisable, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
