from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` walks the hash chain and reports the first break."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("verify", help="Check every link of the audit chain.")

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.audit.services import audit_verify

        if options["action"] != "verify":
            raise CommandError(f"unknown action {options['action']!r}")
        checked, broken = audit_verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at event #{broken.seq}: {broken.reason}")
        self.stdout.write(f"audit chain intact: {checked} events")
