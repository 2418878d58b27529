"""`comity directory export|vcard`: the directory from the console.

`export` writes the CSV that the web page offers (columns in directory/reference/README.md);
`vcard KEY` prints an authority's vCard, or a contact point's when KEY is its id. Both are
audited like the downloads, with no user as the actor.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from comity.audit.codes import Code
from comity.audit.services import audit_record


class Command(BaseCommand):
    help = "Export the directory as CSV, or print an authority or contact point as a vCard."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="Write every authority as one CSV row.")
        export.add_argument("--output", metavar="FILE", help="Write here instead of stdout.")
        export.add_argument("--state", metavar="ISO3", help="Only this state's authorities.")
        vcard = actions.add_parser("vcard", help="Print a vCard.")
        vcard.add_argument("key", metavar="KEY", help="An authority key (kgz-gpo) or contact id.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["output"], options["state"])
        else:
            self._vcard(options["key"])

    def _export(self, output: str | None, state: str | None) -> None:
        from comity.directory.export import directory_csv
        from comity.directory.models import Authority, State

        authorities = Authority.objects.order_by("state__iso3", "-is_primary", "name_en")
        if state:
            if not State.objects.filter(iso3=state.upper()).exists():
                raise CommandError(f"Unknown state {state!r}: give an ISO 3166 alpha-3 code.")
            authorities = authorities.filter(state__iso3=state.upper())
        buffer = io.StringIO(newline="")
        with transaction.atomic():
            written = directory_csv(buffer, authorities)
            audit_record(
                code=Code.DIRECTORY_EXPORTED,
                actor=None,
                subject_type="directory",
                details={"format": "csv", "rows": written, "via": "command line", "state": state},
            )
        if output:
            try:
                Path(output).write_text(buffer.getvalue(), encoding="utf-8", newline="")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from error
            self.stderr.write(f"{written} authorities written to {output}")
        else:
            self.stdout.write(buffer.getvalue(), ending="")

    def _vcard(self, key: str) -> None:
        from comity.directory.export import authority_vcard, contact_vcard
        from comity.directory.models import Authority, ContactPoint

        try:
            contact_id = uuid.UUID(key)
        except ValueError:
            authority = Authority.objects.select_related("state").filter(key=key).first()
            if authority is None:
                raise CommandError(f"No authority with the key {key!r}.") from None
            text, kind, public_id = authority_vcard(authority), "authority", authority.public_id
        else:
            contacts = ContactPoint.objects.select_related("authority__state")
            contact = contacts.filter(public_id=contact_id).first()
            if contact is None:
                raise CommandError(f"No contact point with the id {key}.")
            text, kind, public_id = contact_vcard(contact), "contact", contact.public_id
        audit_record(
            code=Code.CONTACT_EXPORTED,
            actor=None,
            subject_type=kind,
            subject_id=str(public_id),
            details={"format": "vcard", "via": "command line"},
        )
        self.stdout.write(text, ending="")
