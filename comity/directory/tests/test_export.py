"""vCards and the CSV export read back with standard parsers; the console commands audit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import vobject
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import DjangoAssertNumQueries

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory.export import CSV_COLUMNS, authority_vcard, contact_vcard, directory_csv
from comity.directory.models import Authority, ContactPoint

pytestmark = pytest.mark.django_db


def _parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_contact_vcard_parses_back_with_its_cyrillic_name(reference: None) -> None:
    contact = ContactPoint.objects.select_related("authority__state").get(
        name_latin="Aibek Osmonov"
    )
    text = contact_vcard(contact)
    card = vobject.readOne(text)
    assert card.fn.value == "Айбек Осмонов"
    assert card.n.value.family == "Осмонов"
    assert card.n.value.given == "Айбек"
    assert card.org.value == [contact.authority.name_en]
    assert card.title.value == contact.role
    assert card.email.value == "a.osmonov@kgz.example.org"
    assert sorted(line.value for line in card.contents["lang"]) == ["en", "ky", "ru"]
    note = card.note.value
    assert "Aibek Osmonov" in note
    assert "Demo data" in note
    assert card.version.value == "3.0"


def test_a_persian_contact_vcard_keeps_the_script(reference: None) -> None:
    contact = ContactPoint.objects.select_related("authority__state").get(name_latin="Mahdi Rezaei")
    card = vobject.readOne(contact_vcard(contact))
    assert card.fn.value == "مهدی رضایی"


def test_an_authority_vcard_has_published_contact_data_and_the_caveat(reference: None) -> None:
    authority = Authority.objects.select_related("state").get(key="usa-djcdoia")
    card = vobject.readOne(authority_vcard(authority))
    assert card.fn.value == authority.name_en
    numbers = [line.value for line in card.contents["tel"]]
    assert "+1 202 514 0000" in numbers
    assert card.adr.value.street == authority.address
    assert card.adr.value.country == "United States of America"
    assert "+1 202 514 5000" in card.note.value  # the after-hours line
    assert "office_hours" in card.note.value  # named as a demo value


def test_an_authority_vcard_with_names_in_every_script(reference: None) -> None:
    authority = Authority.objects.select_related("state").get(key="kaz-gpo")
    card = vobject.readOne(authority_vcard(authority))
    assert "Генеральная прокуратура Республики Казахстан" in card.note.value
    assert "Қазақстан Республикасының Бас прокуратурасы" in card.note.value
    assert card.url.value == "https://prokuror.gov.kz"
    assert sorted(line.value for line in card.contents["lang"]) == ["kk", "ru"]


def test_the_csv_has_every_authority_once(reference: None) -> None:
    out = io.StringIO(newline="")
    written = directory_csv(out, Authority.objects.all())
    rows = _parse_csv(out.getvalue())
    assert written == len(rows) == Authority.objects.count()
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert {r["key"] for r in rows} == set(Authority.objects.values_list("key", flat=True))
    kgz = next(r for r in rows if r["key"] == "kgz-gpo")
    assert kgz["name_ru"] == "Генеральная прокуратура Кыргызской Республики"
    assert kgz["accepted_languages"] == "ky; ru"
    assert kgz["is_primary"] == "yes"
    assert kgz["contacts"] == "1"
    assert kgz["stale"] == "no"
    assert json.loads(kgz["channels"])[0]["channel"] == "central_authority"
    assert kgz["channels"].startswith('[{"channel"')  # keys sorted, whatever the database
    assert next(r for r in rows if r["key"] == "tjk-gpo")["stale"] == "yes"


def test_csv_export_runs_in_two_queries(
    reference: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):  # the authorities and their states, the counts
        directory_csv(io.StringIO(), Authority.objects.all())


def test_a_cell_that_looks_like_a_formula_is_neutralised(reference: None) -> None:
    authority = Authority.objects.get(key="kgz-gpo")
    authority.office_hours = '=HYPERLINK("http://evil.example")'
    authority.urgent_contact = "+996 312 000 000 (duty)"
    out = io.StringIO(newline="")
    directory_csv(out, [authority])
    row = _parse_csv(out.getvalue())[0]
    assert row["office_hours"].startswith("'=")
    assert row["urgent_contact"] == "+996 312 000 000 (duty)"


def test_the_export_command_writes_a_file_and_audits(reference: None, tmp_path: Path) -> None:
    target = tmp_path / "directory.csv"
    call_command("directory", "export", "--output", str(target), stderr=io.StringIO())
    rows = _parse_csv(target.read_text(encoding="utf-8"))
    assert len(rows) == Authority.objects.count()
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    event = AuditEvent.objects.get(code=Code.DIRECTORY_EXPORTED)
    assert event.details["rows"] == len(rows)


def test_the_export_command_filters_by_state_and_refuses_unknown_ones(reference: None) -> None:
    out = io.StringIO()
    call_command("directory", "export", "--state", "kgz", stdout=out)
    assert {r["state"] for r in _parse_csv(out.getvalue())} == {"KGZ"}
    with pytest.raises(CommandError, match="Unknown state"):
        call_command("directory", "export", "--state", "XXX")


def test_the_vcard_command_prints_an_authority_or_a_contact(reference: None) -> None:
    out = io.StringIO()
    call_command("directory", "vcard", "kgz-gpo", stdout=out)
    assert vobject.readOne(out.getvalue()).fn.value.startswith("General Prosecutor")
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    out = io.StringIO()
    call_command("directory", "vcard", str(contact.public_id), stdout=out)
    assert vobject.readOne(out.getvalue()).fn.value == "Айбек Осмонов"
    assert AuditEvent.objects.filter(code=Code.CONTACT_EXPORTED).count() == 2


def test_the_vcard_command_refuses_an_unknown_key(reference: None) -> None:
    with pytest.raises(CommandError, match="No authority"):
        call_command("directory", "vcard", "nowhere-gpo")
