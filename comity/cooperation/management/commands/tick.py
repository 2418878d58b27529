from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Retry due deliveries and raise deadline notices. Idempotent: run it from cron "
        "every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.cooperation.tasks import tick

        result = tick()
        self.stdout.write(f"tick: {result.summary()}")
