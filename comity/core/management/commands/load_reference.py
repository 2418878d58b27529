from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (states, authorities, fiches, contacts, ICCS codes, "
        "treaties). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.directory.services import reference_load

        result = reference_load()
        self.stdout.write(f"reference data loaded: {result.summary()}")
