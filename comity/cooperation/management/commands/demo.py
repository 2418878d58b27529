from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Set up a demo node: migrate, load the reference data, create demo users and sample "
        "requests (idempotent), then serve it on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Build the demo data and stop.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")
        parser.add_argument("--addr", default="127.0.0.1", help="Address to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.cooperation.demo import DEMO_PASSWORD, demo_build
        from comity.cooperation.notifications import emails_paused
        from comity.cooperation.tasks import tick
        from comity.directory.services import reference_load

        verbosity = int(options["verbosity"])
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        # The hashed static names only resolve with DEBUG off once they are collected.
        call_command("collectstatic", interactive=False, verbosity=max(verbosity - 1, 0))
        loaded = reference_load()
        self.stdout.write(f"Reference data: {loaded.summary()}.")
        result = demo_build()
        with emails_paused():  # the staged deadlines are not news to mail out
            ticked = tick()
        self.stdout.write(
            f"Demo data: {result.users_created} users and {result.requests_created} requests "
            f"created now ({len(result.accounts)} demo accounts in all)."
        )
        self.stdout.write(f"Deadlines: {ticked.summary()}.")
        self._print_accounts(result.accounts)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Password for every demo account: {DEMO_PASSWORD}"))
        if settings.COMITY_OTP_REQUIRED_ROLES:
            roles = ", ".join(settings.COMITY_OTP_REQUIRED_ROLES)
            self.stdout.write(
                self.style.WARNING(
                    f"Two-factor sign-in is required for: {roles}. Demo users will have to "
                    "enrol a TOTP device at first sign-in; set COMITY_OTP_REQUIRED_ROLES=none "
                    "to turn it off for the demo (make demo does)."
                )
            )
        else:
            self.stdout.write("Two-factor sign-in is off in this demo.")
        if options["no_serve"]:
            return
        address = f"{options['addr']}:{options['port']}"
        self.stdout.write(f"Serving the demo on http://{address}/ (Ctrl-C to stop).")
        call_command("runserver", address, use_reloader=False)

    def _print_accounts(self, accounts: list[Any]) -> None:
        width = max((len(a.username) for a in accounts), default=10) + 2
        self.stdout.write("")
        self.stdout.write(
            f"{'username'.ljust(width)}{'role'.ljust(12)}{'language'.ljust(10)}authority"
        )
        for account in accounts:
            self.stdout.write(
                f"{account.username.ljust(width)}{account.role.ljust(12)}"
                f"{account.language.ljust(10)}{account.authority_key or '(node)'}"
            )
