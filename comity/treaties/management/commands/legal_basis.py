"""`comity legal-basis`: the legal-basis finder on the command line.

    comity legal-basis --from KAZ --to KGZ --measure extradition --offence 0601 \
        [--date YYYY-MM-DD] [--json] [--language ru]

The same answer as the page and the API (docs/legal-basis.md). With --json it prints the
API's JSON on stdout and nothing else; refusals go to stderr with a non-zero exit.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from comity.treaties import finder


class Command(BaseCommand):
    help = "Which instruments a request from one state to another may rest on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="requesting", required=True, metavar="ISO3", help="Requesting state."
        )
        parser.add_argument(
            "--to", dest="requested", required=True, metavar="ISO3", help="Requested state."
        )
        parser.add_argument(
            "--measure",
            required=True,
            help="mla, extradition, confiscation, criminal_records, transfer_of_proceedings, "
            "or a request type or measure (provisional_arrest, bank_records, ...).",
        )
        parser.add_argument("--offence", required=True, metavar="ICCS", help="e.g. 0601.")
        parser.add_argument("--date", default="", metavar="YYYY-MM-DD", help="Default: today.")
        parser.add_argument("--json", action="store_true", help="Print the answer as JSON.")
        parser.add_argument(
            "--language",
            default="",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the answer (default: the node's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            answer = self._answer(options)
            if options["json"]:
                self.stdout.write(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write(render_text(answer))

    def _answer(self, options: dict[str, Any]) -> finder.Answer:
        try:
            query = finder.parse_query(
                options["requesting"],
                options["requested"],
                options["measure"],
                options["offence"],
                options["date"],
            )
        except finder.FinderError as exc:
            raise CommandError(f"--{exc.field}: {exc}") from None
        return finder.find(query)


def _lines(title: str, items: tuple[str, ...] | list[str], indent: str = "    ") -> list[str]:
    if not items:
        return []
    return [f"{indent}{title}", *(f"{indent}  - {item}" for item in items)]


def _instrument_text(number: int, item: finder.Applicable) -> list[str]:
    lines = [
        f"{number}. {item.citation}  [{item.kind}; {_('confidence')}: {item.confidence}]",
        f"    {item.title} ({item.code})",
    ]
    lines += _lines(_("Why:"), item.reasons)
    lines += _lines(
        _("Articles:"),
        [
            f"{a.article} {a.topic}" + (f" ({_('numbering to verify')})" if a.verify else "")
            for a in item.articles
        ],
    )
    lines += _lines(
        _("Declarations of the requested state:"),
        [
            f"{d.instrument or _('national law')} {d.article} {d.topic}: {d.text}".replace(
                "  ", " "
            )
            for d in item.declarations
        ],
    )
    lines += _lines(_("Caveats:"), item.caveats)
    in_force = ", ".join(
        f"{iso3} {day.isoformat() if day else '?'}" for iso3, day in item.in_force.items()
    )
    lines.append(f"    {_('In force')}: {in_force}")
    if item.as_of:
        lines.append(f"    {_('As of')}: {item.as_of.isoformat()}")
    return lines


def render_text(answer: finder.Answer) -> str:
    """The answer for a person at a terminal."""
    q = answer.query
    lines = [
        _("Legal basis: %(from)s -> %(to)s, %(measure)s, offence %(offence)s, on %(date)s")
        % {
            "from": q.requesting,
            "to": q.requested,
            "measure": q.measure,
            "offence": q.offence,
            "date": q.on.isoformat(),
        },
        "",
    ]
    if answer.instruments:
        for number, item in enumerate(answer.instruments, start=1):
            lines += [*_instrument_text(number, item), ""]
    else:
        lines += [_("No instrument applies."), f"  {answer.fallback}", ""]
    if answer.notes:
        lines += [*_lines(_("Notes:"), answer.notes, indent=""), ""]
    if answer.excluded:
        lines.append(_("Not applicable:"))
        for excluded in answer.excluded:
            lines.append(f"  - {excluded.code}: {' '.join(excluded.reasons)}")
    return "\n".join(lines).rstrip() + "\n"
