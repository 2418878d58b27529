"""The incoming-box benchmark: the incoming box of a busy central authority, under load.

Seeds a fresh database with 100,000 requests (bench/seed.py), starts gunicorn with two
workers on 127.0.0.1, and drives these targets in turn with wrk:

    trivial  GET /healthz                          (the baseline: a plain Django view)
    api      GET /api/v1/requests?box=incoming     (bearer token of kgz.officer)
    page     GET /requests/?box=incoming           (session cookie of kgz.officer)
    api-empty, page-empty                          (the same for an officer whose incoming
                                                    box is empty: a reference, not judged)

Each round runs every target once, for a fixed duration; the figures are medians over the
rounds, and throughput is reported as a ratio to the trivial view measured in the same
round, because the machine it runs on is shared and noisy. Nothing is asserted: it prints
the figures and PASS/FAIL against the targets of docs/benchmarks.md.

    .venv/bin/python bench/incoming_box.py --engine both
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = Path(__file__).resolve().with_name("percentiles.lua")
HOST = "127.0.0.1"  # all traffic stays on the loopback interface
PG_PORT = 55499
API_PATH = "/api/v1/requests?box=incoming"
PAGE_PATH = "/requests/?box=incoming"
WORKERS = 2

P95_LIMIT_MS = 50.0
RATIO_FLOOR = 0.40
RSS_LIMIT_MB = 250.0


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: tuple[str, ...] = ()
    role: str = "goal"  # "baseline" (the trivial view), "goal" (judged), "reference"

    @property
    def baseline(self) -> bool:
        return self.role == "baseline"


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Outcome:
    target: Target
    status: int = 0  # HTTP status of the check before the load
    body_bytes: int = 0
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    queries: int | None = None  # SQL queries one request runs (bench/explain.py)

    @property
    def available(self) -> bool:
        return self.status == 200

    def median(self, name: str) -> float:
        return statistics.median(float(getattr(run, name)) for run in self.runs)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 0.0

    @property
    def max_rss_mb(self) -> float:
        return max(self.rss_mb, default=0.0)

    def verdict(self) -> str:
        if not self.available:
            return f"SKIPPED (HTTP {self.status or 'no answer'})"
        misses = []
        if self.max_rss_mb >= RSS_LIMIT_MB:
            misses.append(f"RSS >= {RSS_LIMIT_MB:.0f} MB")
        if self.target.role == "goal":
            if self.median("p95_ms") > P95_LIMIT_MS:
                misses.append(f"p95 > {P95_LIMIT_MS:.0f} ms")
            if self.ratio < RATIO_FLOOR:
                misses.append(f"throughput < {RATIO_FLOOR:.0%} of trivial")
        if any(run.errors for run in self.runs):
            misses.append("errors")
        if misses:
            return "FAIL: " + ", ".join(misses)
        return "PASS" if self.target.role == "goal" else self.target.role


# -- processes --------------------------------------------------------------------------


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "COMITY_DATA_DIR"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "comity.config.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            "COMITY_SECURE": "0",  # plain HTTP on loopback: no redirect to https
            "COMITY_OTP_REQUIRED_ROLES": "none",
            "COMITY_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def _python(args: Sequence[str], env: dict[str, str]) -> str:
    """Run a Python module of this checkout; returns its last line of output."""
    done = subprocess.run(
        [str(BIN / "python"), *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    done.check_returncode()
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _pg(script: str, *args: str) -> None:
    subprocess.run(
        ["bash", "-c", f"source .ci/postgres.sh && {script}", "pg", *args], cwd=ROOT, check=True
    )


_PG_RESUME = (
    'bin=$(pg_bin) && { runuser -u postgres -- "$bin/pg_ctl" -D "$1/data" status >/dev/null '
    '|| runuser -u postgres -- "$bin/pg_ctl" -D "$1/data" -w -l "$1/log" '
    '-o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; }'
)


@contextmanager
def database(engine: str, work: Path, *, reuse: bool, url: str | None) -> Iterator[dict[str, str]]:
    """The environment that points Comity at this engine's database, for the duration."""
    if not reuse:
        if (work / "cluster" / "data").exists():
            _pg('pg_stop "$1"', str(work / "cluster"))
        shutil.rmtree(work, ignore_errors=True)
    (work / "data").mkdir(parents=True, exist_ok=True)
    env = {"COMITY_DATA_DIR": str(work / "data")}
    if engine == "sqlite":
        yield env
        return
    if url:
        yield {**env, "DATABASE_URL": url}
        return
    if os.geteuid() != 0:
        raise SystemExit("a throw-away PostgreSQL cluster needs root; or pass --database-url")
    cluster = work / "cluster"
    cluster.mkdir(exist_ok=True)
    if (cluster / "data").exists():
        _pg(_PG_RESUME, str(cluster), str(PG_PORT))
    elif _port_in_use(PG_PORT):
        raise SystemExit(f"port {PG_PORT} is taken: stop what listens there, or --database-url")
    else:
        _pg('pg_start "$1" "$2"', str(cluster), str(PG_PORT))
    try:
        yield {**env, "DATABASE_URL": f"postgres://postgres@{HOST}:{PG_PORT}/comity"}
    finally:
        _pg('pg_stop "$1"', str(cluster))


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _get(port: int, path: str, headers: Sequence[str] = ()) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        if children.exists():
            return [int(p) for p in children.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return found

    def rss_mb(self, key: str = "VmRSS") -> float:
        """The largest resident set of the workers, in MB (VmHWM: the peak so far)."""
        largest = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                largest = max(largest, int(match.group(1)))
        return largest / 1024


@contextmanager
def server(env: dict[str, str], log: Path, *, workers: int = WORKERS) -> Iterator[Server]:
    port = _free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "comity.config.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn stopped (exit {process.returncode}); see {log}")
                try:
                    if _get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")
                time.sleep(0.25)
            yield Server(port=port, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- load -------------------------------------------------------------------------------

_BENCH_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


def wrk(port: int, target: Target, *, seconds: int, connections: int, threads: int) -> Run:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={LUA}",
    ]
    for header in target.headers:
        command += ["--header", header]
    command.append(f"http://{HOST}:{port}{target.path}")
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 60)
    match = _BENCH_LINE.search(done.stdout)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    errors = sum(values[k] for k in values if k.endswith("errors") or k == "timeouts")
    return Run(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p90_ms=values["p90_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        errors=errors,
    )


def measure(running: Server, targets: list[Target], args: argparse.Namespace) -> list[Outcome]:
    port = running.port
    outcomes = [Outcome(target=t) for t in targets]
    for outcome in outcomes:
        outcome.status, body = _get(port, outcome.target.path, outcome.target.headers)
        outcome.body_bytes = len(body)
        print(f"  check {outcome.target.name}: HTTP {outcome.status}, {len(body)} bytes")
    live = [o for o in outcomes if o.available]
    load = {"connections": args.connections, "threads": args.threads}
    for outcome in live:  # warm-up: imports, templates, caches, database pages
        wrk(port, outcome.target, seconds=2, **load)
    for number in range(1, args.rounds + 1):
        baseline: Run | None = None
        for outcome in live:
            run = wrk(port, outcome.target, seconds=args.duration, **load)
            outcome.runs.append(run)
            outcome.rss_mb.append(running.rss_mb())
            if outcome.target.baseline:
                baseline = run
            if baseline is not None and baseline.rps:
                outcome.ratios.append(run.rps / baseline.rps)
            print(
                f"  round {number} {outcome.target.name:10} p50 {run.p50_ms:7.1f} ms  "
                f"p95 {run.p95_ms:7.1f} ms  {run.rps:8.1f} req/s"
                + (f"  {run.errors} errors" if run.errors else "")
            )
    return outcomes


# -- report -----------------------------------------------------------------------------


def table(engine: str, outcomes: list[Outcome], peak_mb: float) -> str:
    head = (
        f"{'engine':8} {'target':10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'req/s':>8} {'x trivial':>9} {'RSS MB':>7} {'SQL':>4}  verdict"
    )
    lines = [head, "-" * len(head)]
    for o in outcomes:
        if not o.available:
            lines.append(f"{engine:8} {o.target.name:10} {'':>55}  {o.verdict()}")
            continue
        lines.append(
            f"{engine:8} {o.target.name:10} {o.median('p50_ms'):7.1f} {o.median('p95_ms'):7.1f} "
            f"{o.median('p99_ms'):7.1f} {o.median('rps'):8.1f} {o.ratio:9.2f} "
            f"{o.max_rss_mb:7.0f} {'' if o.queries is None else o.queries:>4}  {o.verdict()}"
        )
    lines.append(f"{engine:8} peak resident memory of a worker (VmHWM): {peak_mb:.0f} MB")
    return "\n".join(lines)


def as_json(
    engine: str, seeded: dict[str, int], outcomes: list[Outcome], peak_mb: float
) -> dict[str, Any]:
    return {
        "engine": engine,
        "database": seeded,
        "peak_worker_rss_mb": peak_mb,
        "targets": [
            {
                "target": o.target.name,
                "path": o.target.path,
                "http_status": o.status,
                "body_bytes": o.body_bytes,
                "rounds": [run.__dict__ | {"rps": run.rps} for run in o.runs],
                "median_p50_ms": o.median("p50_ms") if o.runs else None,
                "median_p95_ms": o.median("p95_ms") if o.runs else None,
                "median_rps": o.median("rps") if o.runs else None,
                "ratio_to_trivial": o.ratio if o.runs else None,
                "max_worker_rss_mb": o.max_rss_mb,
                "queries_per_request": o.queries,
                "verdict": o.verdict(),
            }
            for o in outcomes
        ],
    }


def markdown(figures: list[dict[str, Any]]) -> str:
    lines = [
        "| engine | target | p50 ms | p95 ms | req/s | × trivial | worker RSS MB | SQL | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for engine in figures:
        for t in engine["targets"]:
            if t["median_rps"] is None:
                lines.append(f"| {engine['engine']} | {t['target']} | | | | | | | {t['verdict']} |")
                continue
            lines.append(
                f"| {engine['engine']} | {t['target']} | {t['median_p50_ms']:.1f} | "
                f"{t['median_p95_ms']:.1f} | {t['median_rps']:.0f} | "
                f"{t['ratio_to_trivial']:.2f} | {t['max_worker_rss_mb']:.0f} | "
                f"{t['queries_per_request'] or ''} | {t['verdict']} |"
            )
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------


def bench_engine(engine: str, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    work: Path = args.work_dir / engine
    secret = _env({"SECRET_KEY": secrets.token_urlsafe(50)})
    with database(engine, work, reuse=args.reuse, url=args.database_url) as db:
        env = secret | db
        # A reused database gets the migrations written since it was seeded.
        subprocess.run(
            [str(BIN / "comity"), "migrate", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        seeded = json.loads(_python(["-m", "bench.seed", "status"], env))
        if not args.reuse or not seeded["requests"]:
            print(f"[{engine}] seeding {args.requests} requests…")
            _python(["-m", "bench.seed", "seed", "--requests", str(args.requests)], env)
            seeded = json.loads(_python(["-m", "bench.seed", "status"], env))
        elif seeded["requests"] != args.requests:
            print(f"[{engine}] note: reusing {seeded['requests']} requests, not {args.requests}")
        print(
            f"[{engine}] {seeded['requests']} requests, "
            f"{seeded['incoming']} in kgz.officer's incoming box"
        )
        busy = json.loads(_python(["-m", "bench.seed", "credentials"], env))
        empty = json.loads(
            _python(["-m", "bench.seed", "credentials", "--user", "kaz.court.officer"], env)
        )
        subprocess.run(
            [str(BIN / "comity"), "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        targets = [Target("trivial", "/healthz", role="baseline")]
        for suffix, credentials, role in (("", busy, "goal"), ("-empty", empty, "reference")):
            token = credentials["token"] or "none-yet"
            targets += [
                Target(f"api{suffix}", API_PATH, (f"Authorization: Bearer {token}",), role),
                Target(
                    f"page{suffix}",
                    PAGE_PATH,
                    (f"Cookie: sessionid={credentials['session']}",),
                    role,
                ),
            ]
        try:
            queries = json.loads(_python(["-m", "bench.explain", "--json", "--repeat", "2"], env))
        except subprocess.CalledProcessError:
            queries = {}
        with server(env, work / "gunicorn.log", workers=args.workers) as running:
            print(f"[{engine}] gunicorn on {HOST}:{running.port}, workers {running.workers()}")
            outcomes = measure(running, targets, args)
            for outcome in outcomes:
                outcome.queries = queries.get(outcome.target.name)
            peak = running.rss_mb("VmHWM")
            print(f"[{engine}] peak worker RSS {peak:.0f} MB")
    return table(engine, outcomes, peak), as_json(engine, seeded, outcomes, peak)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Latency and throughput of the incoming box, beside a trivial view."
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=100_000, help="requests to seed")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all targets")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help=f"gunicorn sync workers ({WORKERS})"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the last seeded databases")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of a throw-away one"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "comity-bench",
        help="where the databases, static files and server logs go",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the table for docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    started = datetime.now(UTC)
    print(
        f"incoming-box benchmark, {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{args.workers} gunicorn workers, wrk {args.threads} threads, {args.connections} "
        f"connections, {args.rounds} rounds of {args.duration} s"
    )
    tables, figures = [], []
    for engine in engines:
        text, data = bench_engine(engine, args)
        tables.append(text)
        figures.append(data)
    print()
    print("\n\n".join(tables))
    print(
        f"\ntargets: p95 <= {P95_LIMIT_MS:.0f} ms, throughput >= {RATIO_FLOOR:.0%} of the "
        f"trivial view, worker RSS < {RSS_LIMIT_MB:.0f} MB (medians over {args.rounds} rounds)"
    )
    if args.markdown:
        print()
        print(markdown(figures))
    if args.json:
        args.json.write_text(
            json.dumps({"started": started.isoformat(), "engines": figures}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
