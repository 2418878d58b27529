"""`comity records import-persons`: the CSV contract, idempotence, bad rows by line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comity.audit.models import AuditEvent
from comity.records import search
from comity.records.models import NameKey, Person, Register

pytestmark = pytest.mark.django_db

HEADER = "ref,full_name,birth_date,nationality\n"


def _csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "persons.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def _import(path: Path, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("records", "import-persons", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_persons_with_keys(tmp_path: Path, kgz_register: Register) -> None:
    path = _csv(
        tmp_path,
        "KG1,Мамытов Азамат Турсунбекович,1986-04-12,KGZ\n"
        'KG2,"Юсупов Шерзод",1988,uzb\n'
        "KG3,Ахмедов Рустам,,\n",
    )
    out, err = _import(path)
    assert "3 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert err == ""
    person = Person.objects.get(register=kgz_register, ref="KG2")
    assert (person.full_name, person.birth_date, person.nationalities) == (
        "Юсупов Шерзод",
        "1988",
        "UZB",
    )
    assert NameKey.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(action="records_imported").count() == 1


def test_import_again_is_idempotent_and_updates_by_ref(
    tmp_path: Path, kgz_register: Register
) -> None:
    path = _csv(tmp_path, "KG1,Мамытов Азамат,1986,KGZ\nKG2,Юсупов Шерзод,1988,UZB\n")
    _import(path)
    keys_before = NameKey.objects.count()
    path = _csv(tmp_path, "KG1,Мамытов Азамат,1986,KGZ\nKG2,Юсупов Шерзод Алишерович,1988,UZB\n")
    out, _err = _import(path)
    assert "0 created, 1 updated, 1 unchanged" in out
    assert Person.objects.count() == 2
    person = Person.objects.get(ref="KG2")
    assert person.full_name == "Юсупов Шерзод Алишерович"
    assert NameKey.objects.count() >= keys_before
    assert not NameKey.objects.exclude(person__in=Person.objects.all()).exists()


def test_bad_rows_are_reported_by_line_and_skipped(tmp_path: Path, kgz_register: Register) -> None:
    path = _csv(
        tmp_path,
        "KG1,Мамытов Азамат,1986-04-12,KGZ\n"
        ",No Reference,1990,KGZ\n"
        "KG3,,1990,KGZ\n"
        "KG4,Bad Date,12.04.1986,KGZ\n"
        "KG5,Bad Country,1990,XYZ\n"
        '"KG6","Multi\nline name",1990,KGZ\n'
        "KG7,Good Person,1990-02,KGZ\n",
    )
    out, err = _import(path)
    assert "3 created" in out and "4 skipped" in out
    lines = [line.split(": skipped")[0] for line in err.splitlines()]
    assert lines == ["persons.csv:3", "persons.csv:4", "persons.csv:5", "persons.csv:6"]
    assert "XYZ" in err and "12.04.1986" in err
    # The quoted multi-line name is one row whose name is joined on one line.
    assert Person.objects.get(ref="KG6").full_name == "Multi line name"
    assert set(Person.objects.values_list("ref", flat=True)) == {"KG1", "KG6", "KG7"}


def test_a_file_without_the_columns_changes_nothing(tmp_path: Path, kgz_register: Register) -> None:
    path = _csv(tmp_path, "KG1,Мамытов,1986\n", header="ref,name,birth_date\n")
    with pytest.raises(CommandError, match="full_name"):
        _import(path)
    assert not Person.objects.exists()


def test_a_file_not_in_utf8_is_refused(tmp_path: Path, kgz_register: Register) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + "KG1,Мамытов,1986,KGZ\n").encode("cp1251"))
    with pytest.raises(CommandError, match="UTF-8"):
        _import(path)


def test_several_registers_need_a_choice(
    tmp_path: Path, kgz_register: Register, kaz_register: Register
) -> None:
    path = _csv(tmp_path, "KZ1,Сапаров Нұрлан,1984,KAZ\n")
    with pytest.raises(CommandError, match="--register"):
        _import(path)
    _import(path, "--register", "kaz")
    assert Person.objects.get(ref="KZ1").register == kaz_register


def test_large_files_go_in_batches(tmp_path: Path, kgz_register: Register) -> None:
    rows = "".join(f"KG{n},Мамытов Азамат {n},1986,KGZ\n" for n in range(4500))
    out, _err = _import(_csv(tmp_path, rows))
    assert "4500 created" in out
    assert Person.objects.count() == 4500


def test_worker_processes_compute_the_same_keys(
    tmp_path: Path, kgz_register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comity.records import importer

    rows = "".join(f"KG{n},Мамытов Азамат {n % 7} уулу,1986,KGZ\n" for n in range(5000))
    path = _csv(tmp_path, rows)
    _import(path)
    serial = set(NameKey.objects.values_list("person__ref", "key"))
    Person.objects.all().delete()
    monkeypatch.setattr(importer, "PARALLEL_FROM", 1000)
    out, _err = _import(path)
    assert "5000 created" in out
    assert set(NameKey.objects.values_list("person__ref", "key")) == serial


def _index_names() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = {
            name: connection.introspection.get_constraints(cursor, name)
            for name in ("records_namekey", "records_person")
        }
    return {name for constraints in tables.values() for name in constraints}


SEARCH_INDEXES = {"namekey_lookup", "namekey_person", "person_born"}


@pytest.mark.django_db(transaction=True)
def test_a_first_long_import_builds_the_search_indexes_after_its_rows(
    tmp_path: Path, kgz_register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comity.records import importer

    monkeypatch.setattr(importer, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(importer, "BATCH", 100)
    rows = (f"KG{n},Мамытов Азамат,19{50 + n % 50}-01-{1 + n % 28:02d},KGZ\n" for n in range(300))
    path = _csv(tmp_path, "".join(rows))
    seen: list[set[str]] = []
    importer.import_persons_csv(
        register=kgz_register, path=path, progress=lambda _n: seen.append(_index_names())
    )
    assert seen and all(not SEARCH_INDEXES & names for names in seen[:-1])
    assert _index_names() >= SEARCH_INDEXES
    found = search.search_persons(
        name="Azamat Mamytov", birth_date="1957-01-08", register=kgz_register
    )
    assert found[0].ref == "KG7"
    # A second import (keys exist now) keeps the indexes while it writes.
    seen.clear()
    path = _csv(tmp_path, "".join(f"KH{n},Токтогулов Нурлан {n},1990,KGZ\n" for n in range(300)))
    importer.import_persons_csv(
        register=kgz_register, path=path, progress=lambda _n: seen.append(_index_names())
    )
    assert all(names >= SEARCH_INDEXES for names in seen)


@pytest.mark.django_db(transaction=True)
def test_an_import_puts_back_search_indexes_a_stopped_import_left_out(
    tmp_path: Path, kgz_register: Register
) -> None:
    from django.db import connection

    from comity.records.models import NameKey

    with connection.cursor() as cursor:  # what a process killed mid-import leaves
        for index in NameKey._meta.indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
    assert not SEARCH_INDEXES - {"person_born"} <= _index_names()
    _import(_csv(tmp_path, "KG1,Мамытов Азамат,1986,KGZ\n"))
    assert _index_names() >= SEARCH_INDEXES
