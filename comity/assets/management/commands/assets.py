"""`comity assets`: the asset ledger from the console, node-wide, as run by an operator.

    comity assets expiring [--days 30] [--json] [--as-of YYYY-MM-DD]
    comity assets export-ftm CASE [--output FILE]
    comity assets rates --import FILE.csv | --list

expiring lists every order in effect that expires within the given days, soonest first, and
the ones already expired without renewal (flagged), with the JSON shape of the API's
/assets/expiring: {"as_of", "days", "orders": [{"order", "kind", "reference",
"issuing_state", "issuing_authority", "expiry_date", "days_left", "expired", "asset",
"asset_kind", "identifier", "location_state", "case", "case_authority", "request"}]}.
--as-of counts the days from another day than today.

export-ftm writes a case's persons, companies, assets and ownership links as FollowTheMoney
entities, one JSON object a line; CASE is the case's id or AUTHORITY_KEY:REFERENCE. Audited.

rates --import reads the columns currency,quote,rate,rate_date,source and optionally sample
(true/false), UTF-8 with a header line. Every row goes through the same checks as the page;
one bad row and nothing is imported: the errors are listed with their line numbers.
"""

from __future__ import annotations

import csv
import datetime
import json
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

COLUMNS = ("currency", "quote", "rate", "rate_date", "source")
_TRUE = frozenset({"1", "true", "yes", "y"})
_FALSE = frozenset({"", "0", "false", "no", "n"})


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class _Rollback(Exception):
    """Undo the import: some row was refused."""


class Command(BaseCommand):
    help = "List expiring orders, export a case to FollowTheMoney, keep the exchange rates."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        expiring = actions.add_parser(
            "expiring", help="Orders in effect that expire within N days, and expired ones."
        )
        expiring.add_argument("--days", type=int, default=30, metavar="N")
        expiring.add_argument("--json", action="store_true", help="One JSON document.")
        expiring.add_argument("--as-of", default="", metavar="YYYY-MM-DD", help="Not today.")
        export = actions.add_parser(
            "export-ftm", help="Write a case's assets and holders as FollowTheMoney entities."
        )
        export.add_argument("case", metavar="CASE", help="Case id, or AUTHORITY_KEY:REFERENCE.")
        export.add_argument("--output", metavar="FILE", help="Write here instead of stdout.")
        rates = actions.add_parser("rates", help="Import or list the exchange-rate table.")
        what = rates.add_mutually_exclusive_group(required=True)
        what.add_argument("--import", dest="import_file", metavar="FILE.csv")
        what.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "expiring":
            self._expiring(options["days"], options["json"], options["as_of"])
        elif action == "export-ftm":
            self._export(options["case"], options["output"])
        elif options["list"]:
            self._list_rates()
        else:
            self._import_rates(Path(options["import_file"]))

    # ------------------------------------------------------------------------ expiring

    def _expiring(self, days: int, as_json: bool, as_of: str) -> None:
        from comity.assets.schemas import expiring_out
        from comity.assets.tasks import watched_orders

        if days < 0:
            raise CommandError("--days must be 0 or more.")
        today = _day(as_of) if as_of else timezone.localdate()
        listing = expiring_out(watched_orders(today=today, days=days), as_of=today, days=days)
        if as_json:
            self.stdout.write(json.dumps(listing.model_dump(mode="json"), ensure_ascii=False))
            return
        if not listing.orders:
            self.stdout.write(f"No order in effect expires within {days} days of {today}.")
            return
        for row in listing.orders:
            when = f"EXPIRED {-row.days_left}d ago" if row.expired else f"{row.days_left}d left"
            self.stdout.write(
                f"{row.expiry_date}\t{when}\t{row.kind} {row.reference or '-'} "
                f"({row.issuing_state})\t{row.asset_kind} {row.identifier or '-'} "
                f"in {row.location_state}\t{row.case_authority}:{row.case}"
                + (f"\t{row.request}" if row.request else "")
            )

    # ------------------------------------------------------------------------ export

    def _export(self, reference: str, output: str | None) -> None:
        from comity.assets.models import Asset

        try:
            from comity.assets import ftm
        except ImportError:
            raise CommandError(
                "The FollowTheMoney export needs the followthemoney library "
                "(see docs/decisions/0004)."
            ) from None
        case = _case(reference)
        export = ftm.export_case(
            actor=None, case=case, assets=Asset.objects.all(), via="command line", fmt="jsonl"
        )
        text = "".join(export.lines())
        if output:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
            self.stderr.write(f"{len(export.entities)} entities written to {output}.")
        else:
            self.stdout.write(text, ending="")

    # ------------------------------------------------------------------------ rates

    def _list_rates(self) -> None:
        from comity.assets.selectors import rates

        for row in rates():
            sample = "\tsample" if row.sample else ""
            self.stdout.write(
                f"{row.currency}\t{row.quote}\t{row.rate}\t{row.rate_date}\t{row.source}{sample}"
            )

    def _import_rates(self, path: Path) -> None:
        from comity.assets.services import AssetError, rate_set

        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        errors: list[str] = []
        imported = 0
        try:
            with transaction.atomic(), path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(
                        f"{path.name}: the header lacks the columns {', '.join(missing)} "
                        f"(expected {','.join(COLUMNS)}[,sample])."
                    )
                for row in reader:
                    line = reader.line_num
                    try:
                        rate_set(user=None, **_rate_args(row))
                        imported += 1
                    except AssetError as error:
                        for field, texts in error.errors.items():
                            errors.extend(f"{path.name}:{line}: {field}: {t}" for t in texts)
                if errors:
                    raise _Rollback
        except _Rollback:
            for message in errors:
                self.stderr.write(message)
            raise CommandError(
                f"{path.name}: {len(errors)} error(s); nothing was imported."
            ) from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path.name}: not a UTF-8 CSV file: {error}") from None
        self.stdout.write(f"{imported} rates imported from {path.name}.")


def _rate_args(row: dict[str, str | None]) -> dict[str, Any]:
    """The row as rate_set's arguments; a value it cannot read is refused per field."""
    from comity.assets.services import AssetError

    def text(name: str) -> str:
        return (row.get(name) or "").strip()

    errors: dict[str, list[str]] = {}
    rate_date: datetime.date | None = None
    if text("rate_date"):
        try:
            rate_date = datetime.date.fromisoformat(text("rate_date"))
        except ValueError:
            errors["rate_date"] = [f"not a date (YYYY-MM-DD): {text('rate_date')!r}"]
    sample = text("sample").lower()
    if sample not in _TRUE | _FALSE:
        errors["sample"] = [f"write true or false, not {text('sample')!r}"]
    if errors:
        raise AssetError(errors)
    return {
        "currency": text("currency"),
        "quote": text("quote"),
        "rate": text("rate"),
        "rate_date": rate_date,
        "source": text("source"),
        "sample": sample in _TRUE,
    }


def _case(reference: str) -> Any:
    from comity.cooperation.models import Case

    if ":" in reference:
        key, _sep, ref = reference.partition(":")
        case = Case.objects.filter(authority__key=key, reference=ref).first()
    else:
        try:
            case = Case.objects.filter(public_id=uuid.UUID(reference)).first()
        except ValueError:
            raise CommandError(
                f"{reference!r}: give the case's id or AUTHORITY_KEY:REFERENCE."
            ) from None
    if case is None:
        raise CommandError(f"No case {reference!r} on this node.")
    return case
