"""`comity documents render`: generate a request's document from the console.

    comity documents render --request ID --lang fa --format pdf --output FILE
        [--lang en --lang fa | --lang en,fa]  [--user USERNAME]

ID is the request's public id or its reference. Two languages give the side-by-side
layout. The version is kept and audited as if the user (default: the request's creator)
had generated it on the page; the file is also written to FILE. Refusals go to stderr
with a non-zero exit and no traceback.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Generate a request's document (PDF or DOCX) and write it to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        render = actions.add_parser("render", help="Generate a new version of the document.")
        render.add_argument(
            "--request", required=True, metavar="ID", help="Public id or reference."
        )
        render.add_argument(
            "--lang",
            action="append",
            default=[],
            metavar="LANG",
            help="en, ru or fa; twice (or en,fa) for two languages side by side. "
            "Default: the requested authority's accepted languages, else en.",
        )
        render.add_argument("--format", default="pdf", choices=["pdf", "docx"])
        render.add_argument("--output", required=True, metavar="FILE")
        render.add_argument("--user", default="", metavar="USERNAME", help="Who generates it.")

    def handle(self, *args: Any, **options: Any) -> None:
        from comity.documents.models import Layout
        from comity.documents.services import document_render
        from comity.documents.storage import path_of

        request = _request(options["request"])
        actor = _user(options["user"], request)
        languages = [code for value in options["lang"] for code in value.split(",") if code.strip()]
        layout = Layout.BILINGUAL if len(languages) == 2 else Layout.SINGLE
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: no such folder: {output.parent}")
        try:
            version = document_render(
                request=request,
                languages=languages or None,
                fmt=options["format"],
                layout=layout,
                actor=actor,
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(f"--user {actor.username}: {exc}") from None
        try:
            output.write_bytes(path_of(version.storage_name).read_bytes())
        except OSError as exc:
            raise CommandError(f"--output: {exc.strerror}: {output}") from None
        self.stdout.write(
            f"{request.reference} version {version.number} ({version.format}, "
            f"{'+'.join(version.languages)}) -> {output}\n"
            f"verification code {version.code_display}\nsha256 {version.sha256}"
        )


def _request(value: str) -> Any:
    from comity.cooperation.models import Request

    query = Request.objects.select_related("requested_authority", "created_by")
    try:
        found = query.filter(public_id=uuid.UUID(value)).first()
    except ValueError:
        found = query.filter(reference=value.strip()).first()
    if found is None:
        raise CommandError(f"--request: no request with the id or reference {value!r}")
    return found


def _user(username: str, request: Any) -> Any:
    from comity.accounts.models import User

    if not username:
        return request.created_by
    user = User.objects.select_related("authority").filter(username=username).first()
    if user is None:
        raise CommandError(f"--user: no user {username!r}")
    return user


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        flag = {"languages": "--lang", "format": "--format", "layout": "--lang"}
        return "; ".join(
            f"{flag.get(name, name)}: {' '.join(texts)}"
            for name, texts in error.message_dict.items()
        )
    return " ".join(error.messages)
