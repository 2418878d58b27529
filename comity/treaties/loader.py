"""Loading, importing and exporting the treaty reference data (comity/treaties/reference/).

Four tables, each with a natural key:

- instruments: the instrument code;
- articles: (instrument, cooperation, article);
- parties: (instrument, state);
- declarations: (state, instrument, topic, article, text). A declarations file is the full list
  for every state it names: rows of those states that the file no longer has are deleted.

`load_treaties()` applies a shipped file only when its version or SHA-256 differs from the one
recorded in ReferenceDataset, so running it again changes nothing. When a new version is
applied, a row is overwritten (or deleted, when the new file drops it) only if the loader wrote
its latest version: a correction made on this node, in the admin or by an import, is kept and
reported instead. For declarations the same rule holds per state: a state's declarations are
replaced only if none of them was changed or deleted on this node.

`import_csv()` checks every row of a file first and reports all errors with their line
numbers; only a file without errors is applied, in one transaction, with the importing user in
the history. `export_csv()` writes the columns of the shipped files, so an export can be
corrected and imported again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core.models import IccsCode, ReferenceDataset
from comity.directory.models import State
from comity.directory.services import assign_changed
from comity.treaties.models import (
    Article,
    Confidence,
    Cooperation,
    Declaration,
    DeclarationTopic,
    Instrument,
    InstrumentKind,
    Participation,
    PartyStatus,
)

if TYPE_CHECKING:
    from comity.accounts.models import User

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ICCS_FILE = Path(__file__).resolve().parent.parent / "core" / "reference" / "iccs.csv"
TABLES = ("instruments", "articles", "parties", "declarations")
LOAD_REASON = "reference load"

COLUMNS: dict[str, tuple[str, ...]] = {
    "instruments": (
        "code",
        "kind",
        "title_en",
        "title_ru",
        "short_title",
        "cooperation",
        "all_offences",
        "scope_iccs",
        "scope_conditional",
        "scope_note",
        "adopted",
        "in_force",
        "eif_days_after_deposit",
        "depositary",
        "request_content",
        "supersedes",
        "notes",
        "source",
        "confidence",
        "as_of",
    ),
    "articles": ("instrument", "cooperation", "article", "topic", "summary", "verify", "order"),
    "parties": (
        "state_iso3",
        "state_name",
        "instrument_code",
        "status",
        "signed",
        "ratified_or_acceded",
        "source",
        "confidence",
        "status_code",
        "entry_into_force",
        "caveat",
    ),
    "declarations": (
        "state",
        "instrument",
        "topic",
        "article",
        "text",
        "value",
        "lodged",
        "source",
        "confidence",
        "as_of",
    ),
}


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


class TreatyDataError(ValueError):
    """A file that cannot be loaded or imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class TreatyLoadResult:
    instruments: int
    articles: int
    participations: int
    declarations: int
    applied: tuple[str, ...]  # tables whose shipped file was (re)applied
    kept: tuple[str, ...]  # rows corrected on this node that the new files did not overwrite


@dataclass(frozen=True)
class ImportResult:
    table: str
    rows: int
    created: int
    updated: int
    deleted: int
    unchanged: int
    dry_run: bool


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    key: tuple[str, ...]
    values: dict[str, Any]
    extra: dict[str, Any]  # what is not a plain field (supersedes), or a foreign key's code


@dataclass(frozen=True)
class _Writer:
    """Who writes: the loader (user None) or an importing user, and the history reason."""

    reason: str
    user: User | None
    stamp: date | None  # as_of for changed rows that do not carry their own
    protected: bool  # True for the loader: keep rows corrected on this node

    def save(self, obj: models.Model) -> None:
        obj._change_reason = self.reason  # type: ignore[attr-defined]  # read by simple_history
        obj._history_user = self.user  # type: ignore[attr-defined]  # read by simple_history
        obj.save()

    def delete(self, obj: models.Model) -> None:
        obj._change_reason = self.reason  # type: ignore[attr-defined]
        obj._history_user = self.user  # type: ignore[attr-defined]
        obj.delete()


# --- Reading and checking files --------------------------------------------------------------


@contextmanager
def _text(path_or_file: str | Path | IO[str] | IO[bytes]) -> Iterator[IO[str]]:
    if isinstance(path_or_file, str | Path):
        with Path(path_or_file).open(encoding="utf-8-sig", newline="") as handle:
            yield handle
        return
    sample = path_or_file.read()
    if isinstance(sample, bytes):
        sample = sample.decode("utf-8-sig")
    yield io.StringIO(sample.removeprefix("\ufeff"), newline="")


def _read(table: str, path_or_file: str | Path | IO[str] | IO[bytes]) -> list[dict[str, str]]:
    try:
        with _text(path_or_file) as handle:
            reader = csv.DictReader(handle, restkey="__surplus__", restval="")
            header = tuple(reader.fieldnames or ())
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise TreatyDataError([_("The file is not UTF-8 text.")]) from exc
    except csv.Error as exc:
        raise TreatyDataError([_("The file is not valid CSV: %(error)s") % {"error": exc}]) from exc
    except OSError as exc:
        raise TreatyDataError([_("The file cannot be read: %(error)s") % {"error": exc}]) from exc
    expected = COLUMNS[table]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    if missing or unknown:
        errors = []
        if missing:
            errors.append(_("line 1: missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            errors.append(_("line 1: unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
        raise TreatyDataError(errors)
    return rows


class _Checker:
    """Turns one CSV cell into a value, collecting errors against the row's line number."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.line = 0

    def fail(self, message: str, **params: Any) -> None:
        self.errors.append(_("line %(line)d: ") % {"line": self.line} + message % params)

    def required(self, row: dict[str, str], name: str, max_length: int | None = None) -> str:
        value = row.get(name, "").strip()
        if not value:
            self.fail(_("%(column)s is required"), column=name)
        elif max_length is not None and len(value) > max_length:
            self.fail(
                _("%(column)s is longer than %(max)d characters"), column=name, max=max_length
            )
        return value

    def choice(
        self, row: dict[str, str], name: str, choices: Iterable[str], blank: bool = False
    ) -> str:
        value = row.get(name, "").strip()
        allowed = list(choices)
        if (value or not blank) and value not in allowed:
            self.fail(
                _("%(column)s must be one of %(allowed)s, not “%(value)s”"),
                column=name,
                allowed=", ".join(allowed),
                value=value,
            )
        return value

    def known(
        self, row: dict[str, str], name: str, known: Iterable[str], blank: bool = False
    ) -> str:
        value = row.get(name, "").strip()
        if (value or not blank) and value not in known:
            self.fail(_("%(column)s: unknown value “%(value)s”"), column=name, value=value)
        return value

    def day(self, row: dict[str, str], name: str) -> date | None:
        value = row.get(name, "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(
                _("%(column)s must be a date YYYY-MM-DD, not “%(value)s”"), column=name, value=value
            )
            return None

    def flag(self, row: dict[str, str], name: str) -> bool:
        value = row.get(name, "").strip()
        if value not in ("0", "1"):
            self.fail(_("%(column)s must be 0 or 1, not “%(value)s”"), column=name, value=value)
        return value == "1"

    def tristate(self, row: dict[str, str], name: str) -> bool | None:
        value = row.get(name, "").strip()
        if value not in ("", "0", "1"):
            self.fail(
                _("%(column)s must be 0, 1 or empty, not “%(value)s”"), column=name, value=value
            )
        return None if value == "" else value == "1"

    def number(self, row: dict[str, str], name: str, blank: bool = False) -> int | None:
        value = row.get(name, "").strip()
        if blank and not value:
            return None
        if not value.isdigit() or int(value) > 32767:
            self.fail(
                _("%(column)s must be a whole number, not “%(value)s”"), column=name, value=value
            )
            return None
        return int(value)

    def listed(self, row: dict[str, str], name: str, known: set[str]) -> list[str]:
        items = [item.strip() for item in row.get(name, "").split(";") if item.strip()]
        for item in items:
            if item not in known:
                self.fail(_("%(column)s: unknown value “%(value)s”"), column=name, value=item)
        return items


@dataclass(frozen=True)
class _Known:
    states: set[str]
    instruments: dict[str, str]  # code -> kind
    iccs: set[str]


def _known(extra_instruments: dict[str, str] | None = None) -> _Known:
    iccs = set(IccsCode.objects.values_list("code", flat=True))
    with ICCS_FILE.open(encoding="utf-8", newline="") as handle:
        iccs |= {row["code"] for row in csv.DictReader(handle)}
    instruments = dict(Instrument.objects.values_list("code", "kind"))
    instruments.update(extra_instruments or {})
    return _Known(set(State.objects.values_list("iso3", flat=True)), instruments, iccs)


def _conditional(codes: set[str]) -> set[str]:
    # "07041?": in scope only under the condition in scope_note (e.g. laundering of the
    # proceeds of the offences the instrument covers).
    return {f"{code}?" for code in codes}


def _common(check: _Checker, row: dict[str, str]) -> tuple[str, str]:
    if row.get("__surplus__"):
        check.fail(_("the row has more cells than the header"))
    source = check.required(row, "source")
    confidence = check.choice(row, "confidence", Confidence.values)
    return source, confidence


def _parse_instruments(rows: list[dict[str, str]], known: _Known, check: _Checker) -> list[_Row]:
    parsed = []
    codes = set(known.instruments) | {r.get("code", "").strip() for r in rows}
    for check.line, row in enumerate(rows, start=2):
        source, confidence = _common(check, row)
        code = check.required(row, "code", 64)
        if code and not all(c.isascii() and (c.isalnum() or c in "_-") for c in code):
            check.fail(_("code may contain only letters, digits, “_” and “-”"))
        values: dict[str, Any] = {
            "kind": check.choice(row, "kind", InstrumentKind.values),
            "title_en": check.required(row, "title_en", 300),
            "title_ru": row["title_ru"].strip(),
            "short_title": row["short_title"].strip(),
            "cooperation": check.listed(row, "cooperation", set(Cooperation.values)),
            "all_offences": check.flag(row, "all_offences"),
            "scope_iccs": check.listed(row, "scope_iccs", known.iccs | _conditional(known.iccs)),
            "scope_conditional": check.flag(row, "scope_conditional"),
            "scope_note": row["scope_note"].strip(),
            "adopted": check.day(row, "adopted"),
            "in_force": check.day(row, "in_force"),
            "eif_days_after_deposit": check.number(row, "eif_days_after_deposit", blank=True),
            "depositary": row["depositary"].strip(),
            "request_content": row["request_content"].strip(),
            "notes": row["notes"].strip(),
            "source": source,
            "confidence": confidence,
            "as_of": check.day(row, "as_of"),
        }
        if len(values["title_ru"]) > 300 or len(values["short_title"]) > 80:
            check.fail(_("title_ru or short_title is too long"))
        if len(values["depositary"]) > 200:
            check.fail(_("depositary is longer than %(max)d characters"), max=200)
        if not values["cooperation"]:
            check.fail(_("cooperation is required"))
        supersedes = check.listed(row, "supersedes", codes)
        if code in supersedes:
            check.fail(_("an instrument cannot supersede itself"))
        parsed.append(_Row(check.line, (code,), values, {"supersedes": sorted(supersedes)}))
    return parsed


def _parse_articles(rows: list[dict[str, str]], known: _Known, check: _Checker) -> list[_Row]:
    parsed = []
    for check.line, row in enumerate(rows, start=2):
        if row.get("__surplus__"):
            check.fail(_("the row has more cells than the header"))
        code = check.known(row, "instrument", known.instruments)
        cooperation = check.choice(row, "cooperation", Cooperation.values, blank=True)
        article = check.required(row, "article", 40)
        values = {
            "topic": check.required(row, "topic", 200),
            "summary": row["summary"].strip(),
            "verify": check.flag(row, "verify"),
            "order": check.number(row, "order") or 0,
        }
        parsed.append(_Row(check.line, (code, cooperation, article), values, {}))
    return parsed


def _parse_parties(rows: list[dict[str, str]], known: _Known, check: _Checker) -> list[_Row]:
    parsed = []
    for check.line, row in enumerate(rows, start=2):
        source, confidence = _common(check, row)
        state = check.known(row, "state_iso3", known.states)
        code = check.known(row, "instrument_code", known.instruments)
        bilateral = known.instruments.get(code) == InstrumentKind.BILATERAL
        if bilateral and state in known.states and state not in code.split("_")[2:4]:
            check.fail(
                _("%(state)s is not a party named in the bilateral code %(code)s"),
                state=state,
                code=code,
            )
        values = {
            "status": check.choice(row, "status_code", PartyStatus.values),
            "status_text": row["status"].strip(),
            "signed": check.day(row, "signed"),
            "deposited": check.day(row, "ratified_or_acceded"),
            "entry_into_force": check.day(row, "entry_into_force"),
            "caveat": row["caveat"].strip(),
            "source": source,
            "confidence": confidence,
        }
        parsed.append(_Row(check.line, (code, state), values, {}))
    return parsed


def _parse_declarations(rows: list[dict[str, str]], known: _Known, check: _Checker) -> list[_Row]:
    parsed = []
    for check.line, row in enumerate(rows, start=2):
        source, confidence = _common(check, row)
        state = check.known(row, "state", known.states)
        code = check.known(row, "instrument", known.instruments, blank=True)
        topic = check.choice(row, "topic", DeclarationTopic.values)
        article = row["article"].strip()
        if len(article) > 40:
            check.fail(_("%(column)s is longer than %(max)d characters"), column="article", max=40)
        text = check.required(row, "text")
        values = {
            "value": check.tristate(row, "value"),
            "lodged": check.tristate(row, "lodged"),
            "source": source,
            "confidence": confidence,
            "as_of": check.day(row, "as_of"),
        }
        parsed.append(_Row(check.line, (state, code, topic, article, text), values, {}))
    return parsed


_PARSERS: dict[str, Callable[[list[dict[str, str]], _Known, _Checker], list[_Row]]] = {
    "instruments": _parse_instruments,
    "articles": _parse_articles,
    "parties": _parse_parties,
    "declarations": _parse_declarations,
}


def _parse(table: str, rows: list[dict[str, str]], known: _Known) -> list[_Row]:
    check = _Checker()
    parsed = _PARSERS[table](rows, known, check)
    seen: dict[tuple[str, ...], int] = {}
    for row in parsed:
        if row.key in seen:
            check.line = row.line
            check.fail(_("the same row as line %(other)d"), other=seen[row.key])
        seen.setdefault(row.key, row.line)
    if check.errors:
        raise TreatyDataError(check.errors)
    return parsed


def check_file(table: str, path_or_file: str | Path | IO[str] | IO[bytes]) -> int:
    """Check a file without writing anything; returns its number of rows."""
    require_table(table)
    rows = _read(table, path_or_file)
    return len(_parse(table, rows, _known(_instrument_kinds(table, rows))))


def _instrument_kinds(table: str, rows: list[dict[str, str]]) -> dict[str, str]:
    if table != "instruments":
        return {}
    return {r.get("code", "").strip(): r.get("kind", "").strip() for r in rows}


def require_table(table: str) -> None:
    """Raise TreatyDataError unless `table` is one of TABLES."""
    if table not in TABLES:
        raise TreatyDataError(
            [
                _("Unknown table “%(table)s”: use one of %(tables)s.")
                % {
                    "table": table,
                    "tables": ", ".join(TABLES),
                }
            ]
        )


# --- Writing rows ----------------------------------------------------------------------------


def _locally_changed(model: type[models.Model], *fields: str) -> dict[int, tuple[Any, ...]]:
    """Rows whose latest version was not written by the loader: id -> (fields...)."""
    history = model.history.model  # type: ignore[attr-defined]
    latest: dict[int, tuple[str, tuple[Any, ...]]] = {}
    for row in history.objects.order_by("history_date", "history_id").values_list(
        "id", "history_change_reason", *fields
    ):
        latest[row[0]] = (row[1] or "", tuple(row[2:]))
    return {pk: rest for pk, (reason, rest) in latest.items() if not reason.startswith(LOAD_REASON)}


def _upsert(
    obj: models.Model, values: dict[str, Any], writer: _Writer, counts: _Counts, new: bool
) -> None:
    if not assign_changed(obj, values) and not new:
        counts.unchanged += 1
        return
    if writer.stamp is not None and values.get("as_of") is None and not isinstance(obj, Article):
        obj.as_of = writer.stamp  # type: ignore[attr-defined]  # the other tables have as_of
    writer.save(obj)
    if new:
        counts.created += 1
    else:
        counts.updated += 1


def _write_instruments(parsed: list[_Row], writer: _Writer) -> _Counts:
    counts = _Counts()
    existing = {i.code: i for i in Instrument.objects.prefetch_related("supersedes")}
    protected = _locally_changed(Instrument) if writer.protected else {}
    written: list[tuple[Instrument, list[str]]] = []
    for row in parsed:
        (code,) = row.key
        instrument = existing.get(code)
        if instrument is not None and instrument.pk in protected:
            counts.kept.append(code)
            continue
        new = instrument is None
        instrument = instrument or Instrument(code=code)
        _upsert(instrument, row.values, writer, counts, new)
        written.append((instrument, row.extra["supersedes"]))
    codes = {i.code: i for i in Instrument.objects.all()}
    for instrument, supersedes in written:
        current = sorted(s.code for s in instrument.supersedes.all())
        if current != supersedes:
            instrument.supersedes.set([codes[c] for c in supersedes])
    return counts


def _write_rows(
    model: type[Article] | type[Participation],
    parsed: list[_Row],
    writer: _Writer,
    *,
    key: Callable[[Any], tuple[str, ...]],
    build: Callable[[tuple[str, ...]], models.Model],
    delete_missing: bool,
) -> _Counts:
    counts = _Counts()
    existing = {key(obj): obj for obj in model.objects.select_related("instrument")}
    protected = _locally_changed(model) if writer.protected else {}
    for row in parsed:
        obj = existing.pop(row.key, None)
        if obj is not None and obj.pk in protected:
            counts.kept.append(" ".join(row.key))
            continue
        _upsert(obj or build(row.key), row.values, writer, counts, obj is None)
    if delete_missing:
        for left_key, obj in existing.items():
            if obj.pk in protected:
                counts.kept.append(" ".join(left_key))
            else:
                writer.delete(obj)
                counts.deleted += 1
    return counts


def _write_articles(parsed: list[_Row], writer: _Writer) -> _Counts:
    instruments = dict(Instrument.objects.values_list("code", "pk"))

    def build(key: tuple[str, ...]) -> Article:
        return Article(instrument_id=instruments[key[0]], cooperation=key[1], article=key[2])

    return _write_rows(
        Article,
        parsed,
        writer,
        key=lambda a: (a.instrument.code, a.cooperation, a.article),
        build=build,
        delete_missing=writer.protected,
    )


def _write_parties(parsed: list[_Row], writer: _Writer) -> _Counts:
    instruments = dict(Instrument.objects.values_list("code", "pk"))
    states = dict(State.objects.values_list("iso3", "pk"))

    def build(key: tuple[str, ...]) -> Participation:
        return Participation(instrument_id=instruments[key[0]], state_id=states[key[1]])

    return _write_rows(
        Participation,
        parsed,
        writer,
        key=lambda p: (p.instrument.code, p.state.iso3),
        build=build,
        delete_missing=writer.protected,
    )


def _declaration_key(d: Declaration) -> tuple[str, ...]:
    return (d.state.iso3, d.instrument.code if d.instrument else "", d.topic, d.article, d.text)


def _write_declarations(parsed: list[_Row], writer: _Writer) -> _Counts:
    """Each state named in the file gets exactly the file's declarations (see module doc)."""
    counts = _Counts()
    instruments = dict(Instrument.objects.values_list("code", "pk"))
    states = dict(State.objects.values_list("iso3", "pk"))
    by_state: dict[str, list[_Row]] = {}
    for row in parsed:
        by_state.setdefault(row.key[0], []).append(row)
    existing: dict[str, dict[tuple[str, ...], Declaration]] = {}
    for declaration in Declaration.objects.select_related("state", "instrument"):
        existing.setdefault(declaration.state.iso3, {})[_declaration_key(declaration)] = declaration
    protected_states: set[str] = set()
    if writer.protected:
        state_iso3 = dict(State.objects.values_list("pk", "iso3"))
        changed = _locally_changed(Declaration, "state_id")
        protected_states = {state_iso3[state_id] for (state_id,) in changed.values()}
        by_state.update({iso3: [] for iso3 in existing if iso3 not in by_state})
    for iso3, rows in by_state.items():
        if iso3 in protected_states:
            counts.kept.append(_("declarations of %(state)s") % {"state": iso3})
            continue
        current = existing.get(iso3, {})
        for row in rows:
            obj = current.pop(row.key, None)
            new = obj is None
            if obj is None:
                _iso3, code, topic, article, text = row.key
                obj = Declaration(
                    state_id=states[iso3],
                    instrument_id=instruments[code] if code else None,
                    topic=topic,
                    article=article,
                    text=text,
                )
            _upsert(obj, row.values, writer, counts, new)
        for obj in current.values():
            writer.delete(obj)
            counts.deleted += 1
    return counts


_WRITERS: dict[str, Callable[[list[_Row], _Writer], _Counts]] = {
    "instruments": _write_instruments,
    "articles": _write_articles,
    "parties": _write_parties,
    "declarations": _write_declarations,
}


# --- The shipped files -----------------------------------------------------------------------


def _versions(directory: Path) -> dict[str, tuple[str, date, str]]:
    versions: dict[str, tuple[str, date, str]] = {}
    for line in (directory / "VERSION").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, version, as_of, source = line.split(",", 3)
        versions[name] = (version, date.fromisoformat(as_of), source)
    missing = [t for t in TABLES if t not in versions]
    if missing:
        raise TreatyDataError([_("VERSION has no line for %(t)s") % {"t": ", ".join(missing)}])
    return versions


def dataset_name(table: str) -> str:
    """The ReferenceDataset name under which a treaty table's version is recorded."""
    return f"treaty_{table}"


def load_treaties(*, directory: Path | None = None) -> TreatyLoadResult:
    """Bring the treaty tables in line with the shipped files (idempotent; see module doc)."""
    directory = directory or REFERENCE_DIR
    versions = _versions(directory)
    applied: list[str] = []
    kept: list[str] = []
    counts: dict[str, _Counts] = {}
    with transaction.atomic():
        for table in TABLES:
            path = directory / f"{table}.csv"
            version, as_of, source = versions[table]
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            recorded = ReferenceDataset.objects.filter(name=dataset_name(table)).first()
            if recorded and (recorded.version, recorded.sha256) == (version, sha):
                continue
            rows = _read(table, path)
            parsed = _parse(table, rows, _known(_instrument_kinds(table, rows)))
            if table == "parties":
                for row in parsed:
                    row.values["as_of"] = as_of
            writer = _Writer(f"{LOAD_REASON}: {table} {version}", None, None, protected=True)
            counts[table] = _WRITERS[table](parsed, writer)
            kept += counts[table].kept
            applied.append(table)
            ReferenceDataset.objects.update_or_create(
                name=dataset_name(table),
                defaults={"version": version, "as_of": as_of, "source": source, "sha256": sha},
            )
        result = TreatyLoadResult(
            instruments=Instrument.objects.count(),
            articles=Article.objects.count(),
            participations=Participation.objects.count(),
            declarations=Declaration.objects.count(),
            applied=tuple(applied),
            kept=tuple(kept),
        )
        if applied:
            audit_record(
                code=Code.TREATIES_LOADED,
                actor=None,
                subject_type="reference",
                subject_id="treaties",
                details={
                    "applied": {t: versions[t][0] for t in applied},
                    "changes": {t: _summary(c) for t, c in counts.items()},
                    "kept": kept,
                },
            )
    return result


def _summary(counts: _Counts) -> dict[str, int]:
    return {
        "created": counts.created,
        "updated": counts.updated,
        "deleted": counts.deleted,
        "unchanged": counts.unchanged,
        "kept": len(counts.kept),
    }


# --- Import and export -----------------------------------------------------------------------


class _DryRun(Exception):
    pass


def import_csv(
    table: str,
    path_or_file: str | Path | IO[str] | IO[bytes],
    user: User | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Check the whole file, then apply it in one transaction (nothing at all on any error).

    Rows are created or updated by their natural key; rows the file does not mention are left
    alone, except declarations (the file is the full list for each state it names). With
    `dry_run` the changes are computed and rolled back.
    """
    from comity.policy import can_manage_treaties

    require_table(table)
    if user is not None and not can_manage_treaties(user):
        raise PermissionDenied
    rows = _read(table, path_or_file)
    parsed = _parse(table, rows, _known(_instrument_kinds(table, rows)))
    by = user.get_username() if user is not None else _("command line")
    writer = _Writer(
        _("import of %(table)s by %(user)s") % {"table": table, "user": by},
        user,
        timezone.localdate(),
        protected=False,
    )
    counts = _Counts()
    try:
        with transaction.atomic():
            counts = _WRITERS[table](parsed, writer)
            if dry_run:
                raise _DryRun
            audit_record(
                code=Code.TREATY_DATA_IMPORTED,
                actor=user,
                subject_type="treaties",
                subject_id=table,
                details={"rows": len(parsed), **_summary(counts)},
            )
    except _DryRun:
        pass
    return ImportResult(
        table=table,
        rows=len(parsed),
        created=counts.created,
        updated=counts.updated,
        deleted=counts.deleted,
        unchanged=counts.unchanged,
        dry_run=dry_run,
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _export_rows(table: str) -> Iterator[list[Any]]:
    if table == "instruments":
        for i in Instrument.objects.prefetch_related("supersedes").order_by("code"):
            supersedes = sorted(s.code for s in i.supersedes.all())
            yield [
                i.code,
                i.kind,
                i.title_en,
                i.title_ru,
                i.short_title,
                i.cooperation,
                i.all_offences,
                i.scope_iccs,
                i.scope_conditional,
                i.scope_note,
                i.adopted,
                i.in_force,
                i.eif_days_after_deposit,
                i.depositary,
                i.request_content,
                supersedes,
                i.notes,
                i.source,
                i.confidence,
                i.as_of,
            ]
    elif table == "articles":
        for a in Article.objects.select_related("instrument").order_by(
            "instrument__code", "order", "id"
        ):
            yield [
                a.instrument.code,
                a.cooperation,
                a.article,
                a.topic,
                a.summary,
                a.verify,
                a.order,
            ]
    elif table == "parties":
        for p in Participation.objects.select_related("instrument", "state").order_by(
            "instrument__code", "state__iso3"
        ):
            yield [
                p.state.iso3,
                p.state.name_en,
                p.instrument.code,
                p.status_text,
                p.signed,
                p.deposited,
                p.source,
                p.confidence,
                p.status,
                p.entry_into_force,
                p.caveat,
            ]
    else:
        for d in Declaration.objects.select_related("state", "instrument").order_by(
            "state__iso3", "instrument__code", "topic", "id"
        ):
            yield [
                d.state.iso3,
                d.instrument.code if d.instrument else "",
                d.topic,
                d.article,
                d.text,
                d.value,
                d.lodged,
                d.source,
                d.confidence,
                d.as_of,
            ]


def export_csv(table: str, out: Writable, user: User | None = None) -> int:
    """Write a table with the columns of the shipped file; returns the number of rows."""
    require_table(table)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[table])
    count = 0
    for row in _export_rows(table):
        writer.writerow([_cell(v) for v in row])
        count += 1
    audit_record(
        code=Code.TREATY_DATA_EXPORTED,
        actor=user,
        subject_type="treaties",
        subject_id=table,
        details={"rows": count},
    )
    return count
