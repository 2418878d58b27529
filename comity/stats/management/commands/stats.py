"""`comity stats`: the facts behind the statistics (docs/stats.md).

    comity stats rebuild               # recompute every fact from the requests and events
    comity stats seed --requests N     # add N synthetic requests with their facts (benchmarks)

``rebuild`` is idempotent and safe on a live node (one transaction). ``seed`` refuses a
database that holds any request it did not write itself.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Rebuild the statistics' facts, or seed synthetic requests for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("rebuild", help="Recompute every fact from the requests.")
        seed = actions.add_parser("seed", help="Add synthetic submitted requests and facts.")
        seed.add_argument("--requests", type=int, required=True, metavar="N")
        seed.add_argument("--seed", type=int, default=20261, help="Random seed.")
        seed.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            from comity.stats.facts import rebuild

            started = time.monotonic()
            count = rebuild()
            self.stdout.write(f"{count} facts in {time.monotonic() - started:.1f} s")
            return
        self._seed(options["requests"], options["seed"], options["no_progress"])

    def _seed(self, requests: int, seed: int, no_progress: bool) -> None:
        from tqdm import tqdm

        from comity.stats.seed import SeedRefused
        from comity.stats.seed import seed as seed_requests

        if requests < 1:
            raise CommandError("--requests must be at least 1")
        show = not no_progress and sys.stderr.isatty()
        started = time.monotonic()
        try:
            with tqdm(total=requests, unit=" requests", disable=not show, file=sys.stderr) as bar:

                def advance(count: int) -> None:
                    bar.update(count)

                seeded = seed_requests(requests=requests, seed=seed, progress=advance)
        except SeedRefused as refused:
            raise CommandError(f"seed refused: {refused}") from None
        self.stdout.write(
            f"{seeded.requests} requests (ids {seeded.first_id}-{seeded.last_id}) "
            f"in {time.monotonic() - started:.1f} s"
        )
