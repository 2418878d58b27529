"""`comity records`: the criminal-records register from the console.

    comity records import-persons FILE.csv [--register ISO3]
    comity records match [--top K] [--register ISO3]      < queries.jsonl > answers.jsonl
    comity records compare                                 < pairs.jsonl   > scores.jsonl
    comity records registers [--create ISO3 [--keeper AUTHORITY_KEY]]
    comity records reindex [--register ISO3]

import-persons reads the columns ref,full_name,birth_date,nationality (UTF-8; birth_date
empty, YYYY, YYYY-MM or YYYY-MM-DD), is idempotent by ref, shows a progress bar on a
terminal, and reports bad rows with their line numbers on stderr without importing them.
match reads {"id", "name", "birth_date"?, "nationality"?} per line and writes
{"id", "candidates": [{"ref", "score", "explanation"}]} best first. compare reads
{"id", "a", "b"} and writes {"id", "score", "match"} at the engine's fixed threshold.
Without --register, the node's only register is used (match: every register).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Import, match and compare persons of a criminal-records register."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import-persons", help="Import persons from a CSV file.")
        load.add_argument("file", metavar="FILE.csv")
        load.add_argument("--register", default="", metavar="ISO3")
        load.add_argument("--no-progress", action="store_true", help="No progress bar.")
        match = actions.add_parser("match", help="Search persons for JSON-lines queries.")
        match.add_argument("--top", type=int, default=10, metavar="K")
        match.add_argument("--register", default="", metavar="ISO3")
        actions.add_parser("compare", help="Score JSON-lines name pairs.")
        reindex = actions.add_parser(
            "reindex", help="Rebuild the search keys (after an upgrade of the matching engine)."
        )
        reindex.add_argument("--register", default="", metavar="ISO3")
        registers = actions.add_parser("registers", help="List or create registers.")
        registers.add_argument("--create", default="", metavar="ISO3")
        registers.add_argument("--keeper", default="", metavar="AUTHORITY_KEY")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import-persons":
            self._import(Path(options["file"]), options["register"], options["no_progress"])
        elif action == "match":
            self._match(options["top"], options["register"])
        elif action == "compare":
            _compare(sys.stdin, self.stdout)
        elif action == "reindex":
            self._reindex(options["register"])
        else:
            self._registers(options["create"], options["keeper"])

    def _import(self, path: Path, iso3: str, no_progress: bool) -> None:
        from tqdm import tqdm

        from comity.records.importer import ImportFileError, count_lines, import_persons_csv

        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        register = _register(iso3)
        show = not no_progress and sys.stderr.isatty()
        try:
            lines = count_lines(path)
            with tqdm(total=lines, unit=" lines", disable=not show, file=sys.stderr) as bar:
                report = import_persons_csv(
                    register=register, path=path, progress=bar.update, lines=lines
                )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for line, message in report.errors:
            self.stderr.write(f"{path.name}:{line}: skipped: {message}")
        self.stdout.write(
            f"{register.state.iso3}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} skipped "
            f"({report.read} rows read)."
        )

    def _match(self, top: int, iso3: str) -> None:
        from comity.records.models import Register
        from comity.records.search import search_persons

        if top < 1:
            raise CommandError("--top must be at least 1.")
        registers = [_register(iso3)] if iso3 else list(Register.objects.all())
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            query = _json_line(line, number, required=("id", "name"))
            candidates = search_persons(
                name=str(query["name"]),
                birth_date=_text(query.get("birth_date")),
                nationality=_text(query.get("nationality")),
                top=top,
                registers=registers,
            )
            answer = {
                "id": query["id"],
                "candidates": [
                    {"ref": c.ref, "score": c.score, "explanation": c.explanation}
                    for c in candidates
                ],
            }
            self.stdout.write(json.dumps(answer, ensure_ascii=False))

    def _reindex(self, iso3: str) -> None:
        from tqdm import tqdm

        from comity.records.models import Register
        from comity.records.persons import reindex_register

        registers = [_register(iso3)] if iso3 else list(Register.objects.select_related("state"))
        for register in registers:
            total = register.persons.count()
            show = sys.stderr.isatty()
            with tqdm(total=total, unit=" persons", disable=not show, file=sys.stderr) as bar:
                done = reindex_register(register=register, progress=bar.update)
            self.stdout.write(f"{register.state.iso3}: keys rebuilt for {done} persons.")

    def _registers(self, create: str, keeper: str) -> None:
        from comity.records.models import Register
        from comity.records.services import RegisterError, register_create

        if create:
            try:
                register = register_create(iso3=create.upper(), keeper_key=keeper or None)
            except RegisterError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{register.state.iso3}: kept by {register.keeper.key}")
            return
        for register in Register.objects.select_related("state", "keeper"):
            count = register.persons.count()
            self.stdout.write(f"{register.state.iso3}\t{register.keeper.key}\t{count} persons")


def _register(iso3: str) -> Any:
    from comity.records.models import Register

    if iso3:
        register = Register.objects.select_related("state").filter(state__iso3=iso3.upper()).first()
        if register is None:
            raise CommandError(
                f"No register for {iso3.upper()}: create it with "
                f"`comity records registers --create {iso3.upper()}`."
            )
        return register
    registers = list(Register.objects.select_related("state")[:2])
    if len(registers) == 1:
        return registers[0]
    if not registers:
        raise CommandError(
            "This node has no register: load the reference data (comity load_reference) and "
            "create one with `comity records registers --create ISO3`."
        )
    raise CommandError("This node has several registers: choose one with --register ISO3.")


def _json_line(line: str, number: int, *, required: tuple[str, ...]) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise CommandError(f"stdin line {number}: not JSON: {error}") from None
    if not isinstance(value, dict) or any(key not in value for key in required):
        raise CommandError(f"stdin line {number}: needs the keys {', '.join(required)}")
    return value


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _compare(stdin: IO[str], stdout: Any) -> None:
    from comity.records import matching

    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        pair = _json_line(line, number, required=("id", "a", "b"))
        score, match = matching.compare(str(pair["a"]), str(pair["b"]))
        stdout.write(json.dumps({"id": pair["id"], "score": round(score, 4), "match": match}))
