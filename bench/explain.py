"""Where the time of one incoming-box request goes: its SQL queries, their plans and times.

    python -m bench.explain            # every query of the last fetch, with its plan
    python -m bench.explain --json     # only how many queries each target runs

Run it against a database seeded by bench/seed.py, with the same environment variables as
the benchmark (COMITY_DATA_DIR, or DATABASE_URL). It signs kgz.officer in through Django's
test client (in process, no server) and fetches the API and the page a few times.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

API_PATH = "/api/v1/requests?box=incoming"
PAGE_PATH = "/requests/?box=incoming"


def _plan(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    return "\n".join(
        f"      {row[-1] if connection.vendor == 'sqlite' else row[0]}" for row in rows
    )


def profile(username: str, repeat: int) -> list[dict[str, Any]]:
    """For each target: status, size, best time, and the queries of the last fetch."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from comity.accounts.models import User
    from comity.accounts.tokens import token_create

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    user = User.objects.get(username=username)
    _token, secret = token_create(user=user, name="profile")
    client = Client()
    client.force_login(user)
    targets = {"api": (API_PATH, {"Authorization": f"Bearer {secret}"}), "page": (PAGE_PATH, {})}
    results = []
    for name, (path, headers) in targets.items():
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                timings.append(time.perf_counter() - started)
        results.append(
            {
                "target": name,
                "path": path,
                "status": response.status_code,
                "bytes": len(response.content),
                "best_ms": round(min(timings) * 1000, 1),
                "queries": [
                    {"sql": q["sql"], "ms": round(float(q["time"]) * 1000, 1)}
                    for q in queries.captured_queries
                ],
            }
        )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    import django

    parser = argparse.ArgumentParser(description="Profile one incoming-box request.")
    parser.add_argument("--user", default="kgz.officer")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-explain", action="store_true", help="leave out the query plans")
    parser.add_argument("--json", action="store_true", help="print query counts as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.config.settings")
    django.setup()
    from django.conf import settings

    settings.DEBUG = True  # record the queries
    results = profile(args.user, args.repeat)
    if args.json:
        print(json.dumps({r["target"]: len(r["queries"]) for r in results}))
        return 0
    for result in results:
        sql_ms = sum(q["ms"] for q in result["queries"])
        print(
            f"{result['path']}: HTTP {result['status']}, {result['bytes']} bytes, best "
            f"{result['best_ms']} ms of {args.repeat}, {len(result['queries'])} queries "
            f"taking {sql_ms:.1f} ms"
        )
        for query in result["queries"]:
            print(f"  {query['ms']:7.1f} ms  {query['sql'][:400]}")
            if not args.no_explain and query["sql"].lstrip().upper().startswith("SELECT"):
                print(_plan(query["sql"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
