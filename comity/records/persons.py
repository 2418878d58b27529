"""Writing persons of a register with their blocking keys, one by one or by the million.

Every write of a person's names rewrites that person's ``NameKey`` rows in the same
transaction, so the search index is always current. Imports go in batches: each batch is
one transaction, and an import may be run again (persons are matched by ``ref``).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comity.records import matching
from comity.records.dates import PARTIAL_DATE, PartialDateError, partial_date
from comity.records.models import NameKey, Person, PersonName, Register, Source

BATCH = 2000
STATELESS = frozenset({"XXA", "XXB", "XXC", "XXX"})  # ICAO Doc 9303 codes for no nationality


@functools.cache
def iso3_codes() -> frozenset[str]:
    """ISO 3166 alpha-3 codes (from ICU) and the ICAO codes for stateless persons."""
    import icu

    codes = {icu.Locale("", code).getISO3Country() for code in icu.Locale.getISOCountries()}
    return frozenset(codes) | STATELESS


class RowError(ValueError):
    pass


def nationalities(value: str) -> str:
    """Space-separated alpha-3 codes, from a value separated by spaces, commas or semicolons."""
    codes = value.replace(",", " ").replace(";", " ").upper().split()
    unknown = [code for code in codes if code not in iso3_codes()]
    if unknown:
        raise RowError(
            _("Unknown nationality code: %(codes)s (use ISO 3166 alpha-3, e.g. TJK).")
            % {"codes": ", ".join(unknown)}
        )
    return " ".join(dict.fromkeys(codes))


@dataclass(frozen=True, slots=True)
class PersonRow:
    ref: str
    full_name: str
    birth_date: str
    nationalities: str


def person_row(*, ref: str, full_name: str, birth_date: str, nationality: str) -> PersonRow:
    """A checked row, or RowError with the reason in the user's language."""
    ref = ref.strip()
    full_name = " ".join(full_name.split())
    if not ref:
        raise RowError(_("The reference (ref) is empty."))
    if len(ref) > 64:
        raise RowError(_("The reference is longer than 64 characters."))
    if not full_name:
        raise RowError(_("The name is empty."))
    if len(full_name) > 255:
        raise RowError(_("The name is longer than 255 characters."))
    try:
        birth = partial_date(birth_date)
    except PartialDateError as error:
        raise RowError(str(error)) from None
    return PersonRow(ref, full_name, birth, nationalities(nationality))


def person_keys(person: Person, other_names: Iterable[str] = ()) -> set[str]:
    return _names_keys(person.full_name, other_names)


def insert_rows(*, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert many rows at once: COPY on PostgreSQL (one stream instead of a statement per
    row, about twice as fast for an import), executemany elsewhere. ``table`` is quoted."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def born_number(birth_date: str) -> int | None:
    """A partial birth date as YYYYMMDD with 00 for what is unknown: 1986-04 -> 19860400;
    None for an empty or malformed one."""
    if not PARTIAL_DATE.match(birth_date.strip()):
        return None
    year, _, rest = birth_date.strip().partition("-")
    month, _, day = rest.partition("-")
    return int(year) * 10000 + int(month or 0) * 100 + int(day or 0)


KeyItem = tuple[int, set[str], int | None]  # person id, keys, born_number()


def _key_rows(
    register_id: int, items: Iterable[KeyItem]
) -> Iterator[tuple[int, int, str, int | None]]:
    for person_id, keys, born in items:
        for key in keys:
            yield (register_id, person_id, key, born)


def write_keys(*, register_id: int, items: Sequence[KeyItem], fresh: bool = False) -> int:
    """Replace the keys of the persons in ``items`` (``fresh``: new persons, no keys yet);
    one executemany, no model instances."""
    if not fresh:
        person_ids = [item[0] for item in items]
        NameKey.objects.filter(person_id__in=person_ids).delete()
    rows = list(_key_rows(register_id, items))
    quote = connection.ops.quote_name
    table = quote(NameKey._meta.db_table)
    insert_rows(table=table, columns=("register_id", "person_id", "key", "born"), rows=rows)
    return len(rows)


def reindex_person(person: Person) -> None:
    names = list(person.other_names.values_list("name", flat=True))
    write_keys(
        register_id=person.register_id,
        items=[(person.pk, person_keys(person, names), born_number(person.birth_date))],
    )


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


# Columns an import writes; the others keep their defaults ("" for text).
_INSERTED = (
    "public_id",
    "register_id",
    "ref",
    "full_name",
    "surname",
    "given_name",
    "patronymic",
    "father_name",
    "birth_date",
    "birth_place",
    "sex",
    "nationalities",
    "source",
    "created_at",
    "updated_at",
)


def _names_keys(
    full_name: str, others: Iterable[str] = (), known: dict[str, frozenset[str]] | None = None
) -> set[str]:
    keys = set(known[full_name] if known and full_name in known else matching.index_keys(full_name))
    for name in others:
        keys |= matching.index_keys(name)
    return keys


def keys_of_names(full_names: list[str]) -> dict[str, frozenset[str]]:
    """The keys of many names: what an import's worker processes compute (no database)."""
    return {name: frozenset(matching.index_keys(name)) for name in full_names}


def import_batch(
    *,
    register: Register,
    rows: Sequence[PersonRow],
    report: ImportReport,
    known_keys: dict[str, frozenset[str]] | None = None,
) -> None:
    """Create or update one batch of persons and their keys, in one transaction.

    Plain executemany rather than bulk_create: building a model instance per row cost
    more than the whole insert (bench/matching/, docs/records.md).
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    public_id = Person._meta.get_field("public_id")
    unique = {row.ref: row for row in rows}  # a ref twice in a batch: the last row wins
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    with transaction.atomic():
        existing = {
            ref: (pk, (full_name, birth_date, nations))
            for pk, ref, full_name, birth_date, nations in Person.objects.filter(
                register=register, ref__in=list(unique)
            ).values_list("pk", "ref", "full_name", "birth_date", "nationalities")
        }
        new = [row for ref, row in unique.items() if ref not in existing]
        changed = [
            (existing[ref][0], row)
            for ref, row in unique.items()
            if ref in existing
            and existing[ref][1] != (row.full_name, row.birth_date, row.nationalities)
        ]
        report.unchanged += len(existing) - len(changed)
        with connection.cursor() as cursor:
            if new:
                insert_rows(
                    table=table,
                    columns=_INSERTED,
                    rows=[
                        (
                            public_id.get_db_prep_value(uuid.uuid4(), connection),
                            register.pk,
                            row.ref,
                            row.full_name,
                            "",
                            "",
                            "",
                            "",
                            row.birth_date,
                            "",
                            "",
                            row.nationalities,
                            Source.IMPORT,
                            now,
                            now,
                        )
                        for row in new
                    ],
                )
            if changed:
                cursor.executemany(
                    f"UPDATE {table} SET {quote('full_name')} = %s, "  # noqa: S608
                    f"{quote('birth_date')} = %s, {quote('nationalities')} = %s, "
                    f"{quote('updated_at')} = %s WHERE {quote('id')} = %s",
                    [
                        (row.full_name, row.birth_date, row.nationalities, now, pk)
                        for pk, row in changed
                    ],
                )
        ids = dict(
            Person.objects.filter(register=register, ref__in=[row.ref for row in new]).values_list(
                "ref", "pk"
            )
        )
        other = other_names_of([pk for pk, _row in changed])
        items: list[KeyItem] = [
            (
                ids[row.ref],
                _names_keys(row.full_name, known=known_keys),
                born_number(row.birth_date),
            )
            for row in new
        ]
        items += [
            (
                pk,
                _names_keys(row.full_name, other.get(pk, ()), known_keys),
                born_number(row.birth_date),
            )
            for pk, row in changed
        ]
        if items:
            write_keys(register_id=register.pk, items=items, fresh=len(changed) == 0)
    report.created += len(new)
    report.updated += len(changed)


def other_names_of(person_ids: list[int]) -> dict[int, list[str]]:
    """The other names of each person, in the order they were entered (one query)."""
    names: dict[int, list[str]] = {}
    rows = PersonName.objects.filter(person_id__in=person_ids).order_by("id")
    for person_id, name in rows.values_list("person_id", "name"):
        names.setdefault(person_id, []).append(name)
    return names


def reindex_register(*, register: Register, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild every key of a register (after the engine's keys change); returns persons.

    One transaction per batch, like an import: a search meanwhile sees each person either
    with its old keys or its new ones.
    """
    done = 0
    last = 0
    while True:
        ids = list(
            Person.objects.filter(register=register, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "full_name", "birth_date")[:BATCH]
        )
        if not ids:
            return done
        others = other_names_of([pk for pk, _name, _born in ids])
        known = keys_of_names([name for _pk, name, _born in ids])
        with transaction.atomic():
            write_keys(
                register_id=register.pk,
                items=[
                    (pk, _names_keys(name, others.get(pk, ()), known), born_number(born))
                    for pk, name, born in ids
                ],
            )
        done += len(ids)
        last = ids[-1][0]
        if progress is not None:
            progress(len(ids))
