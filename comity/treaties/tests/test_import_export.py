"""Coordinators correct the treaty data with a CSV file: checked whole, applied whole, audited."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.treaties.loader import (
    COLUMNS,
    REFERENCE_DIR,
    TABLES,
    TreatyDataError,
    export_csv,
    import_csv,
    load_treaties,
)
from comity.treaties.models import Declaration, Instrument, Participation, PartyStatus
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def treaties(reference: None) -> None:
    load_treaties()


def _export(table: str) -> str:
    out = io.StringIO()
    export_csv(table, out)
    return out.getvalue()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _shipped(table: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_export_has_the_shipped_columns_and_imports_back_unchanged(treaties: None) -> None:
    for table in TABLES:
        text = _export(table)
        assert tuple(text.splitlines()[0].split(",")) == COLUMNS[table]
        result = import_csv(table, io.StringIO(text))
        assert result.rows == len(_shipped(table)), table
        assert (result.created, result.updated, result.deleted) == (0, 0, 0), table
        assert result.unchanged == result.rows


def test_the_exported_parties_carry_every_shipped_value(treaties: None) -> None:
    def key(r: dict[str, str]) -> tuple[str, str]:
        return r["instrument_code"], r["state_iso3"]

    exported = {key(r): r for r in _rows(_export("parties"))}
    for row in _shipped("parties"):
        mine = exported[key(row)]
        for column in COLUMNS["parties"]:
            if column != "state_name":  # the directory's spelling of the name
                assert mine[column] == row[column], (key(row), column)


def test_a_coordinators_import_changes_the_rows_with_history_and_audit(
    treaties: None, personas: Personas
) -> None:
    rows = _rows(_export("parties"))
    iran = next(r for r in rows if (r["instrument_code"], r["state_iso3"]) == ("UNTOC", "IRN"))
    iran.update(status_code="party", ratified_or_acceded="2025-06-30", caveat="")

    result = import_csv("parties", io.StringIO(_csv([iran])), personas.coordinator)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    row = Participation.objects.get(instrument__code="UNTOC", state__iso3="IRN")
    assert row.status == PartyStatus.PARTY
    assert row.effective_entry_into_force() == (date(2025, 7, 30), True)
    assert row.as_of == timezone.localdate()
    latest = row.history.first()
    assert latest.history_user == personas.coordinator
    assert "net.coordinator" in latest.history_change_reason
    event = AuditEvent.objects.filter(code=Code.TREATY_DATA_IMPORTED).latest("seq")
    assert event.actor == personas.coordinator
    assert event.subject_id == "parties"
    assert event.details["updated"] == 1


def test_every_error_is_reported_with_its_line_and_nothing_is_written(
    treaties: None, personas: Personas
) -> None:
    rows = _rows(_export("parties"))[:4]
    rows[0]["caveat"] = "A valid change that must not be written."
    rows[1]["state_iso3"] = "XXX"
    rows[2]["status_code"] = "member"
    rows[3]["signed"] = "12/12/2000"
    bilateral = _rows(_export("parties"))
    wrong_party = next(r for r in bilateral if r["instrument_code"] == "BIL_EXT_KAZ_KGZ_1997")
    wrong_party["state_iso3"] = "UZB"
    before = Participation.history.count()

    with pytest.raises(TreatyDataError) as raised:
        import_csv("parties", io.StringIO(_csv([*rows, wrong_party])), personas.coordinator)

    assert raised.value.errors == [
        "line 3: state_iso3: unknown value “XXX”",
        "line 4: status_code must be one of party, signatory, not_party, withdrawn, "
        "disputed, reported, not “member”",
        "line 5: signed must be a date YYYY-MM-DD, not “12/12/2000”",
        "line 6: UZB is not a party named in the bilateral code BIL_EXT_KAZ_KGZ_1997",
    ]
    assert Participation.history.count() == before
    assert not AuditEvent.objects.filter(code=Code.TREATY_DATA_IMPORTED).exists()


def test_a_file_with_the_wrong_columns_or_a_duplicate_row_is_refused(treaties: None) -> None:
    with pytest.raises(TreatyDataError) as raised:
        import_csv("articles", io.StringIO("instrument,article,topic,colour\n"))
    assert raised.value.errors == [
        "line 1: missing columns: cooperation, summary, verify, order",
        "line 1: unknown columns: colour",
    ]
    rows = _rows(_export("articles"))[:1] * 2
    with pytest.raises(TreatyDataError) as raised:
        import_csv("articles", io.StringIO(_csv(rows)))
    assert raised.value.errors == ["line 3: the same row as line 2"]


def test_a_dry_run_counts_the_changes_and_writes_nothing(
    treaties: None, personas: Personas
) -> None:
    rows = _rows(_export("instruments"))
    untoc = next(r for r in rows if r["code"] == "UNTOC")
    untoc["notes"] = "Corrected."
    result = import_csv(
        "instruments", io.StringIO(_csv([untoc])), personas.coordinator, dry_run=True
    )
    assert (result.updated, result.dry_run) == (1, True)
    assert Instrument.objects.get(code="UNTOC").notes != "Corrected."
    assert not AuditEvent.objects.filter(code=Code.TREATY_DATA_IMPORTED).exists()


def test_an_instrument_import_sets_what_it_supersedes(treaties: None) -> None:
    rows = _rows(_export("instruments"))
    minsk = next(r for r in rows if r["code"] == "CIS_MINSK_1993")
    new = {
        **minsk,
        "code": "CIS_NEW_2030",
        "title_en": "A later convention",
        "supersedes": "CIS_CHISINAU_2002",
    }
    result = import_csv("instruments", io.StringIO(_csv([new])))
    assert result.created == 1
    later = Instrument.objects.get(code="CIS_NEW_2030")
    assert list(later.supersedes.values_list("code", flat=True)) == ["CIS_CHISINAU_2002"]


def test_a_declarations_file_is_the_full_list_for_each_state_it_names(
    treaties: None, personas: Personas
) -> None:
    rows = _rows(_export("declarations"))
    pakistan = [r for r in rows if r["state"] == "PAK"]
    kept, dropped = pakistan[0], pakistan[1]
    changed = {**pakistan[2], "text": "A corrected text."}
    others = Declaration.objects.exclude(state__iso3="PAK").count()

    result = import_csv("declarations", io.StringIO(_csv([kept, changed])), personas.coordinator)

    assert (result.created, result.deleted, result.unchanged) == (1, len(pakistan) - 1, 1)
    texts = set(Declaration.objects.filter(state__iso3="PAK").values_list("text", flat=True))
    assert texts == {kept["text"], "A corrected text."}
    assert dropped["text"] not in texts
    assert Declaration.objects.exclude(state__iso3="PAK").count() == others


def test_an_officer_may_not_import(treaties: None, personas: Personas) -> None:
    text = _export("parties")
    with pytest.raises(PermissionDenied):
        import_csv("parties", io.StringIO(text), personas.requesting_officer)


def test_an_export_is_audited(treaties: None, personas: Personas) -> None:
    assert export_csv("articles", io.StringIO(), personas.coordinator) == len(_shipped("articles"))
    event = AuditEvent.objects.filter(code=Code.TREATY_DATA_EXPORTED).latest("seq")
    assert (event.actor, event.subject_id) == (personas.coordinator, "articles")


# --- The command -----------------------------------------------------------------------------


def test_the_command_exports_to_standard_output_or_a_file(treaties: None, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("treaties", "export", "instruments", stdout=out)
    assert out.getvalue() == _export("instruments")
    target = tmp_path / "parties.csv"
    call_command("treaties", "export", "parties", "--output", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == _export("parties")


def test_the_command_imports_with_a_dry_run_and_names_the_user(
    treaties: None, personas: Personas, tmp_path: Path
) -> None:
    rows = _rows(_export("parties"))
    rows[0]["caveat"] = "Checked again."
    source = tmp_path / "fix.csv"
    source.write_text(_csv(rows), encoding="utf-8")
    out = io.StringIO()
    call_command("treaties", "import", "parties", str(source), "--dry-run", stdout=out)
    assert "1 updated" in out.getvalue() and "dry run" in out.getvalue()
    call_command(
        "treaties", "import", "parties", str(source), "--user", "net.coordinator", stdout=out
    )
    changed = Participation.objects.get(
        instrument__code=rows[0]["instrument_code"], state__iso3=rows[0]["state_iso3"]
    )
    assert changed.caveat == "Checked again."
    assert changed.history.first().history_user == personas.coordinator


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["export", "treaty"], "Unknown table “treaty”"),
        (["import", "parties", "/nonexistent/file.csv"], "The file cannot be read"),
        (["import", "parties", "{bad}"], "line 2: status_code must be one of"),
        (["import", "parties", "{good}", "--user", "nobody"], "No user “nobody”"),
        (["import", "parties", "{good}", "--user", "kaz.officer"], "Only coordinators"),
    ],
)
def test_the_command_refuses_bad_input_with_a_clear_message(
    treaties: None, personas: Personas, tmp_path: Path, arguments: list[str], message: str
) -> None:
    rows = _rows(_export("parties"))[:1]
    (tmp_path / "good.csv").write_text(_csv(rows), encoding="utf-8")
    (tmp_path / "bad.csv").write_text(_csv([{**rows[0], "status_code": "?"}]), encoding="utf-8")
    arguments = [
        a.replace("{good}", str(tmp_path / "good.csv")).replace("{bad}", str(tmp_path / "bad.csv"))
        for a in arguments
    ]
    before = Participation.history.count()
    with pytest.raises(CommandError, match=message):
        call_command("treaties", *arguments, stdout=io.StringIO())
    assert Participation.history.count() == before


def test_the_command_loads_the_shipped_files_idempotently(treaties: None) -> None:
    out = io.StringIO()
    call_command("treaties", "load", stdout=out)
    assert "171 participations" in out.getvalue()
    assert "nothing (no file changed)" in out.getvalue()
