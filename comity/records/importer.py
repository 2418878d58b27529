"""Reading a register's persons from CSV: streamed, checked row by row, in batches."""

from __future__ import annotations

import codecs
import contextlib
import csv
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from django.db import connection, models
from django.utils.translation import gettext as _

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.records.models import NameKey, Person, Register
from comity.records.persons import (
    BATCH,
    ImportReport,
    PersonRow,
    RowError,
    import_batch,
    keys_of_names,
    person_row,
)

COLUMNS = ("ref", "full_name", "birth_date", "nationality")


class ImportFileError(ValueError):
    pass


def count_lines(path: Path) -> int:
    """The file's line count; ImportFileError if it is not UTF-8 (checked before any write)."""
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = lines + chunk[: error.start].count(b"\n") + 1
                raise ImportFileError(
                    _("The file is not UTF-8 text (line %(line)s).") % {"line": line}
                ) from error
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not UTF-8 text (at its end).")) from error
    return lines


def read_rows(path: Path, report: ImportReport) -> Iterator[tuple[int, PersonRow]]:
    """Checked rows with their line numbers; bad rows go to ``report.errors``."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ImportFileError(
                _("The file lacks the columns %(columns)s (it needs %(all)s).")
                % {"columns": ", ".join(missing), "all": ",".join(COLUMNS)}
            )
        try:
            for record in reader:
                line = reader.line_num
                try:
                    values = {column: record[column] or "" for column in COLUMNS}
                    if None in record:
                        raise RowError(_("The row has more fields than the header."))
                    yield (
                        line,
                        person_row(
                            ref=values["ref"],
                            full_name=values["full_name"],
                            birth_date=values["birth_date"],
                            nationality=values["nationality"],
                        ),
                    )
                except RowError as error:
                    report.errors.append((line, str(error)))
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file is not UTF-8 text (after line %(line)s).") % {"line": reader.line_num}
            ) from error
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)s is not valid CSV: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error


# Files longer than this get their keys computed by worker processes, one per core.
PARALLEL_FROM = 20_000
LOOKAHEAD = 4


@contextlib.contextmanager
def _key_workers(lines: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for the keys (pure computation, no database), or None.

    Forked, so they need no setup; they touch nothing of the parent's but the engine.
    """
    cores = os.cpu_count() or 1
    if lines < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    with ProcessPoolExecutor(
        max_workers=cores, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        yield pool


# A first import (no key in the node yet) of a file this long writes the rows without the
# search indexes and builds them at the end (deferred_search_indexes).
DEFER_INDEXES_FROM = PARALLEL_FROM


_SEARCHED: tuple[type[models.Model], ...] = (Person, NameKey)


def _search_indexes() -> list[tuple[type[models.Model], models.Index]]:
    """The indexes only searches read: an import's own lookups use the unique (register, ref)."""
    return [(model, index) for model in _SEARCHED for index in model._meta.indexes]


def restore_search_indexes() -> None:
    """Create any search index that is missing: an import stopped between dropping and
    building them (a killed process) leaves them out, and the next import puts them back
    before it writes. Plain SQL, so that it also runs inside a transaction on SQLite."""
    editor = connection.schema_editor()  # only to write the statements
    with connection.cursor() as cursor:
        present = {
            name
            for model in _SEARCHED
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }
        for model, index in _search_indexes():
            if index.name not in present:
                cursor.execute(str(index.create_sql(model, editor)))


@contextlib.contextmanager
def deferred_search_indexes(lines: int) -> Iterator[bool]:
    """Around an import: when no register of the node has keys yet and the file has
    DEFER_INDEXES_FROM lines or more, drop the search indexes first and build them after
    (yields True), because building an index from all rows at once is several times faster
    than keeping it current row by row; then ANALYZE the two tables, so that the first
    searches are planned on their real sizes. Otherwise only make sure they exist."""
    restore_search_indexes()
    if (
        lines < DEFER_INDEXES_FROM
        or connection.in_atomic_block  # a caller's transaction: no DDL in the middle of it
        or NameKey.objects.exists()
    ):
        yield False
        return
    with connection.cursor() as cursor:
        for _model, index in _search_indexes():
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")
    try:
        yield True
    finally:
        restore_search_indexes()
        with connection.cursor() as cursor:
            for model in _SEARCHED:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def import_persons_csv(
    *,
    register: Register,
    path: Path,
    progress: Callable[[int], object] | None = None,
    lines: int | None = None,
) -> ImportReport:
    """Import ``path`` into ``register``; each batch of rows is one transaction.

    ``lines`` is the file's count_lines() if the caller has it (it also checks UTF-8).
    """
    report = ImportReport()
    total = count_lines(path) if lines is None else lines
    with deferred_search_indexes(total), _key_workers(total) as workers:
        pending: deque[tuple[list[PersonRow], Future[dict[str, frozenset[str]]] | None]] = deque()

        def finish_one() -> None:
            rows, keys = pending.popleft()
            known = keys.result() if keys is not None else None
            import_batch(register=register, rows=rows, report=report, known_keys=known)

        batch: list[PersonRow] = []
        last_line = 1
        for line, row in read_rows(path, report):
            batch.append(row)
            if len(batch) < BATCH:
                continue
            names = [r.full_name for r in batch]
            pending.append((batch, workers.submit(keys_of_names, names) if workers else None))
            batch = []
            # Keep the workers a few batches ahead while this process writes.
            while len(pending) > (LOOKAHEAD if workers else 0):
                finish_one()
            if progress is not None:
                progress(line - last_line)
                last_line = line
        if batch:
            pending.append((batch, None))
        while pending:
            finish_one()
    if progress is not None:
        progress(max(0, total - last_line))
    audit_record(
        code=Code.RECORDS_IMPORTED,
        actor=None,
        subject_type="register",
        subject_id=register.state.iso3,
        details={
            "file": path.name,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
        },
    )
    return report
