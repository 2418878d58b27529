"""The statistics dashboards at scale: seed, then time ``dashboard()`` beside a naive version.

    python -m bench.analytics.run --requests 1000000            # SQLite (COMITY_DATA_DIR)
    DATABASE_URL=postgres://... python -m bench.analytics.run --requests 1000000

The database is the one the settings name; it must be empty or hold only requests seeded by
this benchmark (``comity stats seed``), which are topped up to ``--requests``. Then each
dashboard (the busiest central authority's, the network's) is computed ``--runs`` times by
each engine (``memory``, the default, and ``sql``: comity/stats/columnar.py), cycling
through varied filters, after one warm-up call; figures are p50/p95 in ms. The in-memory
engine's cold load (every fact read into columns) and the cost of merging a changed fact
are measured too.

The naive version computes what it can of the same tables from the request rows in Python
(every matching row fetched, durations sorted, percentiles by statistics.quantiles): what
the dashboard would cost without the facts table. It runs on the first ``--naive-runs``
filters, and the ratio compares the medians on those same filters.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.config.settings")
    django.setup()


def _prepare(requests: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from comity.directory.models import State
    from comity.directory.services import reference_load
    from comity.stats.models import RequestFact
    from comity.stats.seed import seed

    call_command("migrate", interactive=False, verbosity=0)
    if not State.objects.exists():
        reference_load()
    have = RequestFact.objects.count()
    seconds = 0.0
    if have < requests:
        started = time.monotonic()
        print(f"seeding {requests - have} requests ...", file=sys.stderr, flush=True)
        seed(requests=requests - have)
        seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"facts": RequestFact.objects.count(), "seed_seconds": round(seconds, 1)}


def _busiest_authority() -> tuple[int, str, int]:
    from django.db.models import Count

    from comity.directory.models import Authority
    from comity.stats.models import RequestFact

    row = (
        RequestFact.objects.values("requested_authority_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert row is not None
    authority = Authority.objects.get(pk=row["requested_authority_id"])
    total = RequestFact.objects.filter(requesting_authority_id=authority.pk).count() + row["n"]
    return authority.pk, authority.key, total


def _filters(today: date, counterpart: str) -> list[Any]:
    """Varied filters, as people use the page: periods, types, a state, an instrument."""
    from comity.stats.queries import Filters

    year_ago = today - timedelta(days=365)
    return [
        Filters(),
        Filters(start=year_ago),
        Filters(start=today - timedelta(days=90)),
        Filters(types=("mla",)),
        Filters(types=("extradition", "provisional_arrest")),
        Filters(counterpart=counterpart),
        Filters(start=year_ago, types=("records_extract",)),
        Filters(start=date(today.year - 2, 1, 1), end=date(today.year - 2, 12, 31)),
        Filters(instrument="CIS_MINSK_1993"),
        Filters(direction="incoming"),
        Filters(offence="07"),
        Filters(start=year_ago, counterpart=counterpart, types=("mla",)),
    ]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(share * 100) - 1]


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000.0


# ---------------------------------------------------------------------------- naive


def naive_dashboard(scope: Any, filters: Any) -> dict[str, Any]:
    """The request-date tables computed from the request rows in Python."""
    from django.db.models import F, Q

    from comity.cooperation.models import Request
    from comity.directory.models import State

    requests = Request.objects.filter(submitted_at__isnull=False)
    if not scope.network:
        outgoing = Q(requesting_authority_id=scope.authority_id)
        incoming = Q(requested_authority_id=scope.authority_id)
        way = {"outgoing": outgoing, "incoming": incoming}.get(filters.direction)
        requests = requests.filter(way if way is not None else outgoing | incoming)
    if filters.start:
        requests = requests.filter(submitted_at__date__gte=filters.start)
    if filters.end:
        requests = requests.filter(submitted_at__date__lte=filters.end)
    if filters.types:
        requests = requests.filter(type__in=filters.types)
    if filters.counterpart:
        state = State.objects.get(iso3=filters.counterpart)
        requests = requests.filter(
            Q(requested_state_id=state.pk) | Q(requesting_authority__state_id=state.pk)
        )
    rows = requests.values_list(
        "type",
        "status",
        "submitted_at",
        "acknowledged_at",
        "completed_at",
        "refusal_ground",
        "legal_basis_codes",
        F("requesting_authority__state_id"),
        "requested_state_id",
        "response_due",
    )
    now = datetime.now(UTC)
    by_type: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    pairs: dict[tuple[int, int], list[float]] = {}
    to_ack: list[float] = []
    to_done: list[float] = []
    grounds: Counter[str] = Counter()
    backlog: Counter[int] = Counter()
    for kind, status, sent, ack, done, ground, codes, origin, target, due in rows:
        if filters.instrument and (not codes or codes[0] != filters.instrument):
            continue
        by_type[kind] += 1
        by_month[sent.strftime("%Y-%m")] += 1
        if ack is not None:
            to_ack.append((ack - sent).total_seconds() // 3600)
        if done is not None and status in ("executed", "partially_executed", "refused"):
            hours = (done - sent).total_seconds() // 3600
            to_done.append(hours)
            pairs.setdefault((origin, target), []).append(hours)
        if status == "refused":
            grounds[ground] += 1
        if done is None:
            backlog[(now - sent).days // 30] += int(due is not None and due < now) + 1

    def quantiles(values: list[float]) -> tuple[float, float] | None:
        if len(values) < 2:
            return None
        cuts = statistics.quantiles(sorted(values), n=10, method="inclusive")
        return statistics.median(values), cuts[8]

    return {
        "types": by_type,
        "months": by_month,
        "ack": quantiles(to_ack),
        "done": quantiles(to_done),
        "pairs": {pair: quantiles(values) for pair, values in pairs.items()},
        "grounds": grounds,
        "backlog": backlog,
    }


# ---------------------------------------------------------------------------- measuring


ENGINES = ("memory", "sql")


def measure(runs: int, naive_runs: int) -> dict[str, Any]:
    from django.db import connection

    from comity.stats.queries import Scope

    authority_id, authority_key, authority_facts = _busiest_authority()
    today = datetime.now(UTC).date()
    options = _filters(today, counterpart="KAZ" if authority_key != "kaz-gpo" else "UZB")
    scopes = {
        f"authority ({authority_key}, {authority_facts} requests)": Scope(authority_id, False),
        "network": Scope(None, True),
    }
    results: dict[str, Any] = {"engine": connection.vendor, "memory": _memory_copy()}
    for name, scope in scopes.items():
        results[name] = _measure_scope(name, scope, options, runs, naive_runs)
    results["memory"]["after_one_change"] = _after_one_change(scopes["network"])
    return results


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _memory_copy() -> dict[str, Any]:
    """The in-memory engine's cold start: every fact read into columns."""
    from comity.stats import columnar

    columnar.forget()
    before = _rss_mb()
    seconds = _timed(columnar.current) / 1000.0
    held = columnar.current()
    figures = {
        "load_seconds": round(seconds, 1),
        "arrays_mb": round(sum(a.nbytes for a in held.columns.values()) / 1e6, 1),
        "rss_growth_mb": round(_rss_mb() - before, 1),
    }
    print("memory copy", json.dumps(figures), file=sys.stderr, flush=True)
    return figures


def _after_one_change(scope: Any) -> dict[str, float]:
    """A fact written since the copy was made: the next dashboard merges it."""
    from django.db import transaction

    from comity.stats.facts import next_revision
    from comity.stats.models import RequestFact
    from comity.stats.queries import Filters, dashboard

    steady = [_timed(lambda: dashboard(scope, Filters())) for _ in range(3)]
    merged: list[float] = []
    for _ in range(3):
        with transaction.atomic():
            pk = RequestFact.objects.order_by("?").values_list("pk", flat=True)[0]
            RequestFact.objects.filter(pk=pk).update(revision=next_revision())
        merged.append(_timed(lambda: dashboard(scope, Filters())))
    return {
        "steady_p50_ms": round(statistics.median(steady), 1),
        "after_change_p50_ms": round(statistics.median(merged), 1),
    }


def _measure_scope(
    name: str, scope: Any, options: list[Any], runs: int, naive_runs: int
) -> dict[str, Any]:
    from django.test import override_settings

    from comity.stats.queries import dashboard

    def comity(chosen: Any) -> Callable[[], object]:
        return lambda: dashboard(scope, chosen)

    def naive(chosen: Any) -> Callable[[], object]:
        return lambda: naive_dashboard(scope, chosen)

    naive_filters = [f for f in options if not f.offence][:naive_runs]
    naive_times = [_timed(naive(c)) for c in naive_filters]
    figures: dict[str, Any] = {
        "naive_runs": len(naive_times),
        "naive_p50_ms": round(statistics.median(naive_times), 1) if naive_times else None,
    }
    for engine in ENGINES:
        with override_settings(COMITY_STATS_ENGINE=engine):
            dashboard(scope, options[0])  # warm-up: connection, caches, the copy
            times = [_timed(comity(options[i % len(options)])) for i in range(runs)]
            same = [_timed(comity(c)) for c in naive_filters]
        result: dict[str, Any] = {
            "runs": runs,
            "p50_ms": round(_percentile(times, 0.50), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "p50_same_filters_ms": round(statistics.median(same), 1) if same else None,
        }
        if naive_times and same:
            result["speedup"] = round(statistics.median(naive_times) / statistics.median(same), 1)
        figures[engine] = result
    print(name, json.dumps(figures), file=sys.stderr, flush=True)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=24, help="timed calls per dashboard")
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args(argv)
    _setup()
    prepared = _prepare(args.requests)
    print(json.dumps(prepared), file=sys.stderr, flush=True)
    results = {**prepared, **measure(args.runs, args.naive_runs)}
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
