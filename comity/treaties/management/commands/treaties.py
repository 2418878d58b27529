from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

TABLE_HELP = "instruments, articles, parties or declarations"


class Command(BaseCommand):
    help = (
        "Treaty reference data. `treaties load` applies the shipped files (idempotent); "
        "`treaties export TABLE [--output FILE]` writes a table as CSV; "
        "`treaties import TABLE FILE [--dry-run]` checks a corrected file and applies it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("load", help="Apply the shipped files where their version changed.")
        export = actions.add_parser("export", help="Write a table as CSV.")
        export.add_argument("table", help=TABLE_HELP)
        export.add_argument("--output", "-o", help="File to write (default: standard output).")
        load = actions.add_parser("import", help="Check a CSV file and apply it.")
        load.add_argument("table", help=TABLE_HELP)
        load.add_argument("file", help="CSV file with the columns `export` writes.")
        load.add_argument(
            "--dry-run", action="store_true", help="Check and count the changes; write nothing."
        )
        load.add_argument(
            "--user", help="Username of the coordinator or node administrator importing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.treaties.loader import TreatyDataError

        try:
            if options["action"] == "load":
                self._load()
            elif options["action"] == "export":
                self._export(options["table"], options["output"])
            else:
                self._import(options["table"], options["file"], options)
        except TreatyDataError as exc:
            raise CommandError("\n".join(exc.errors)) from exc

    def _load(self) -> None:
        from comity.treaties.loader import load_treaties

        result = load_treaties()
        applied = ", ".join(result.applied) or _("nothing (no file changed)")
        self.stdout.write(
            _(
                "treaty data: %(i)d instruments, %(a)d articles, %(p)d participations, "
                "%(d)d declarations; applied: %(applied)s"
            )
            % {
                "i": result.instruments,
                "a": result.articles,
                "p": result.participations,
                "d": result.declarations,
                "applied": applied,
            }
        )
        for kept in result.kept:
            self.stdout.write(_("kept the correction made on this node: %(row)s") % {"row": kept})

    def _export(self, table: str, output: str | None) -> None:
        from comity.treaties.loader import export_csv, require_table

        require_table(table)
        if output is None:
            count = export_csv(table, self.stdout)
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    count = export_csv(table, handle)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc}
                ) from exc
            self.stderr.write(_("%(n)d rows written to %(file)s") % {"n": count, "file": output})

    def _import(self, table: str, path: str, options: dict[str, Any]) -> None:
        from comity.accounts.models import User
        from comity.treaties.loader import import_csv

        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user “%(u)s”.") % {"u": options["user"]})
        try:
            result = import_csv(table, path, user, dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(
                _("Only coordinators and node administrators may change treaty data.")
            ) from exc
        message = _(
            "%(table)s: %(rows)d rows; %(c)d created, %(u)d updated, %(d)d deleted, %(n)d unchanged"
        ) % {
            "table": table,
            "rows": result.rows,
            "c": result.created,
            "u": result.updated,
            "d": result.deleted,
            "n": result.unchanged,
        }
        if result.dry_run:
            message += _(" (dry run: nothing written)")
        self.stdout.write(message)
