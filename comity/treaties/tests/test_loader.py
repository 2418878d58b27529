"""The shipped treaty files: consistent with each other, loaded completely, loaded once.

Loading again changes nothing; a new version changes what it changes, but never a correction
a coordinator made on this node.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.core.models import IccsCode, ReferenceDataset
from comity.directory.models import State
from comity.treaties.loader import (
    COLUMNS,
    REFERENCE_DIR,
    TABLES,
    TreatyDataError,
    dataset_name,
    import_csv,
    load_treaties,
)
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
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ORIGINAL_PARTY_COLUMNS = [
    "state_iso3",
    "state_name",
    "instrument_code",
    "status",
    "signed",
    "ratified_or_acceded",
    "source",
    "confidence",
]


def _rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(name: str) -> list[str]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _new_version(directory: Path, table: str) -> None:
    version = directory / "VERSION"
    lines = [
        line.replace(",2026.11,", ",2026.12,") if line.startswith(f"{table},") else line
        for line in version.read_text(encoding="utf-8").splitlines()
    ]
    version.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


# --- The files themselves ------------------------------------------------------------------


def test_every_file_has_the_documented_columns() -> None:
    for table in TABLES:
        assert tuple(_header(f"{table}.csv")) == COLUMNS[table], table
    assert _header("parties.csv")[:8] == ORIGINAL_PARTY_COLUMNS


def test_every_instrument_code_used_anywhere_is_defined_once() -> None:
    codes = [r["code"] for r in _rows("instruments.csv")]
    assert len(codes) == len(set(codes))
    used = {r["instrument_code"] for r in _rows("parties.csv")}
    used |= {r["instrument"] for r in _rows("articles.csv")}
    used |= {r["instrument"] for r in _rows("declarations.csv") if r["instrument"]}
    for row in _rows("instruments.csv"):
        used |= {c for c in row["supersedes"].split(";") if c}
    assert used <= set(codes)
    assert {r["instrument_code"] for r in _rows("parties.csv")} == set(codes)


def test_each_bilateral_treaty_appears_once_for_each_party_named_in_its_code() -> None:
    instruments = {r["code"]: r for r in _rows("instruments.csv")}
    rows = [r for r in _rows("parties.csv") if r["instrument_code"].startswith("BIL_")]
    by_code: dict[str, list[str]] = {}
    for row in rows:
        by_code.setdefault(row["instrument_code"], []).append(row["state_iso3"])
    assert len(by_code) == 37
    for code, states in by_code.items():
        assert sorted(states) == sorted(code.split("_")[2:4]), code
        assert instruments[code]["kind"] == InstrumentKind.BILATERAL
    assert {c for c, r in instruments.items() if r["kind"] == "bilateral"} == set(by_code)


def test_bilateral_treaties_have_no_invented_articles() -> None:
    assert not [r for r in _rows("articles.csv") if r["instrument"].startswith("BIL_")]


def test_every_value_is_valid_and_every_row_is_sourced() -> None:
    states = {r["iso3"] for r in _rows("../../directory/reference/states.csv")}
    iccs = {r["code"] for r in _rows("../../core/reference/iccs.csv")}
    confidences = set(Confidence.values)
    for row in _rows("parties.csv"):
        assert row["state_iso3"] in states
        assert row["status_code"] in PartyStatus.values
        assert row["source"] and row["confidence"] in confidences
        for name in ("signed", "ratified_or_acceded", "entry_into_force"):
            assert not row[name] or date.fromisoformat(row[name])
        if row["confidence"] != "high" or row["status_code"] in ("disputed", "reported"):
            assert row["caveat"], row
    for row in _rows("instruments.csv"):
        assert row["source"] and row["confidence"] in confidences
        assert set(row["cooperation"].split(";")) <= set(Cooperation.values)
        assert {c.removesuffix("?") for c in row["scope_iccs"].split(";") if c} <= iccs
        assert row["title_en"] and row["title_ru"] and row["short_title"]
        for name in ("adopted", "in_force", "as_of"):
            assert not row[name] or date.fromisoformat(row[name])
    for row in _rows("declarations.csv"):
        assert row["state"] in states
        assert row["topic"] in DeclarationTopic.values
        assert row["source"] and row["confidence"] in confidences
        assert row["value"] in ("", "0", "1") and row["lodged"] in ("", "0", "1")
    for row in _rows("articles.csv"):
        assert row["cooperation"] in ["", *Cooperation.values]
        assert row["verify"] in ("0", "1")


def test_the_status_codes_follow_the_status_text() -> None:
    status = {(r["instrument_code"], r["state_iso3"]): r for r in _rows("parties.csv")}
    assert status["UNTOC", "IRN"]["status_code"] == "signatory"
    assert status["BIL_EXT_AUS_CHN_2007", "AUS"]["status_code"] == "withdrawn"
    assert status["BIL_EXT_PAK_USA_1931", "USA"]["status_code"] == "disputed"
    assert status["COE_ETS024_EXTRADITION", "RUS"]["status_code"] == "disputed"
    assert status["COE_ETS030_MLA", "RUS"]["status_code"] == "disputed"
    assert status["BIL_EXT_IND_TJK", "TJK"]["status_code"] == "reported"
    assert status["BIL_EXT_AFG_TJK_2016", "AFG"]["status_code"] == "reported"
    assert status["BIL_EXT_CHN_UZB_1999", "CHN"]["status_code"] == "signatory"
    assert status["SCO_SHANGHAI_2001", "IND"]["status_code"] == "party"
    assert "inferred" in status["SCO_SHANGHAI_2001", "IND"]["caveat"]
    assert status["CIS_CHISINAU_2002", "UZB"]["status_code"] == "not_party"
    assert status["CIS_MINSK_1993", "RUS"]["entry_into_force"] == "1994-12-10"
    assert status["CIS_CHISINAU_2002", "RUS"]["entry_into_force"] == "2023-06-28"
    assert "1998-06-29" in status["UN1988", "KAZ"]["caveat"]


def test_the_state_names_in_the_parties_file_are_only_the_sources_spelling() -> None:
    # state_name is informative: the state is identified by its ISO code.
    names = {r["state_iso3"]: r["state_name"] for r in _rows("parties.csv")}
    assert names["TUR"] == "Turkey (Türkiye)"


# --- Loading ---------------------------------------------------------------------------------


def test_the_shipped_files_load_completely(reference: None) -> None:
    result = load_treaties()
    assert result.instruments == len(_rows("instruments.csv"))
    assert result.articles == len(_rows("articles.csv"))
    assert result.participations == len(_rows("parties.csv")) == 171
    assert result.declarations == len(_rows("declarations.csv"))
    untoc = Instrument.objects.get(code="UNTOC")
    assert untoc.kind == InstrumentKind.MULTILATERAL
    assert untoc.eif_days_after_deposit == 30
    assert untoc.in_force == date(2003, 9, 29)
    assert "09051" in untoc.scope_iccs and untoc.scope_conditional
    assert untoc.title_ru.startswith("Конвенция Организации Объединенных Наций")
    chisinau = Instrument.objects.get(code="CIS_CHISINAU_2002")
    assert list(chisinau.supersedes.values_list("code", flat=True)) == ["CIS_MINSK_1993"]
    assert Article.objects.filter(instrument=untoc, cooperation="mla", article="18(15)").exists()


def test_entry_into_force_is_recorded_or_computed_from_the_instruments_rule(
    reference: None,
) -> None:
    load_treaties()
    kaz = Participation.objects.get(instrument__code="UNTOC", state__iso3="KAZ")
    assert kaz.deposited == date(2008, 7, 31)
    assert kaz.effective_entry_into_force() == (date(2008, 8, 30), True)
    russia = Participation.objects.get(instrument__code="CIS_MINSK_1993", state__iso3="RUS")
    assert russia.effective_entry_into_force() == (date(1994, 12, 10), False)
    bilateral = Participation.objects.get(
        instrument__code="BIL_EXT_KAZ_KGZ_1997", state__iso3="KGZ"
    )
    assert bilateral.effective_entry_into_force() == (date(2000, 7, 2), False)
    assert bilateral.as_of == date(2026, 11, 28)


def test_declarations_name_own_nationals_languages_and_extradition_basis(
    reference: None,
) -> None:
    load_treaties()
    kaz = Declaration.objects.get(state__iso3="KAZ", topic="own_nationals")
    assert kaz.value is False and kaz.confidence == "high" and kaz.instrument is None
    russia = Declaration.objects.get(state__iso3="RUS", topic="own_nationals")
    assert russia.confidence == "low" and "61" in russia.text
    basis = Declaration.objects.get(
        state__iso3="KAZ", instrument__code="UNCAC", topic="extradition_basis"
    )
    assert basis.value is True
    languages = Declaration.objects.filter(
        state__iso3="KGZ", topic="languages", instrument__code="BIL_EXT_KAZ_KGZ_1997"
    )
    assert "Russian" in languages.get().text


def test_loading_again_changes_nothing(reference: None) -> None:
    load_treaties()
    history = Participation.history.count() + Declaration.history.count()
    events = AuditEvent.objects.filter(code=Code.TREATIES_LOADED).count()
    result = load_treaties()
    assert result.applied == ()
    assert Participation.history.count() + Declaration.history.count() == history
    assert AuditEvent.objects.filter(code=Code.TREATIES_LOADED).count() == events
    recorded = ReferenceDataset.objects.get(name=dataset_name("parties"))
    assert (recorded.version, recorded.as_of) == ("2026.11", date(2026, 11, 28))


def test_a_first_load_is_audited(reference: None) -> None:
    Instrument.objects.all().delete()
    Declaration.objects.all().delete()
    for model in (Instrument, Article, Participation, Declaration):
        model.history.all().delete()
    ReferenceDataset.objects.filter(name__startswith="treaty_").delete()
    result = load_treaties()
    assert result.applied == TABLES
    event = AuditEvent.objects.filter(code=Code.TREATIES_LOADED).latest("seq")
    assert event.actor is None
    assert event.details["applied"] == dict.fromkeys(TABLES, "2026.11")
    assert event.details["changes"]["parties"]["created"] == 171


def test_a_new_version_applies_its_changes_but_keeps_a_coordinators_correction(
    personas: Personas, copy_dir: Path, tmp_path: Path
) -> None:
    load_treaties()
    # A coordinator corrects Iran's UNTOC row on this node.
    corrected = tmp_path / "correction.csv"
    row = next(
        r
        for r in _rows("parties.csv")
        if (r["instrument_code"], r["state_iso3"]) == ("UNTOC", "IRN")
    )
    _write(corrected, [{**row, "status_code": "party", "ratified_or_acceded": "2025-06-30"}])
    import_csv("parties", corrected, personas.coordinator)
    # The next shipped version changes that row and another one, and drops a third.
    rows = _rows("parties.csv", copy_dir)
    for r in rows:
        if (r["instrument_code"], r["state_iso3"]) == ("UNTOC", "IRN"):
            r["caveat"] = "Shipped wording."
        if (r["instrument_code"], r["state_iso3"]) == ("UNTOC", "KAZ"):
            r["caveat"] = "A new caveat."
    rows = [r for r in rows if (r["instrument_code"], r["state_iso3"]) != ("UNTOC", "AUS")]
    _write(copy_dir / "parties.csv", rows)
    _new_version(copy_dir, "parties")

    result = load_treaties(directory=copy_dir)

    assert result.applied == ("parties",)
    assert result.kept == ("UNTOC IRN",)
    iran = Participation.objects.get(instrument__code="UNTOC", state__iso3="IRN")
    assert iran.status == PartyStatus.PARTY and iran.caveat != "Shipped wording."
    assert iran.history.first().history_user == personas.coordinator
    kaz = Participation.objects.get(instrument__code="UNTOC", state__iso3="KAZ")
    assert kaz.caveat == "A new caveat."
    assert not Participation.objects.filter(instrument__code="UNTOC", state__iso3="AUS").exists()
    assert ReferenceDataset.objects.get(name=dataset_name("parties")).version == "2026.12"
    assert load_treaties(directory=copy_dir).applied == ()


def test_a_new_version_leaves_the_declarations_of_a_state_a_coordinator_corrected(
    personas: Personas, copy_dir: Path, tmp_path: Path
) -> None:
    load_treaties()
    pak = [r for r in _rows("declarations.csv") if r["state"] == "PAK"]
    pak[0]["text"] = "Corrected on this node."
    corrected = tmp_path / "pak.csv"
    _write(corrected, pak)
    import_csv("declarations", corrected, personas.coordinator)
    rows = [r for r in _rows("declarations.csv", copy_dir) if r["state"] not in ("PAK", "TJK")]
    _write(copy_dir / "declarations.csv", rows)
    _new_version(copy_dir, "declarations")

    result = load_treaties(directory=copy_dir)

    assert result.kept == ("declarations of PAK",)
    assert Declaration.objects.filter(state__iso3="PAK", text="Corrected on this node.").exists()
    assert not Declaration.objects.filter(state__iso3="TJK").exists()


def test_a_broken_shipped_file_fails_loudly_and_writes_nothing(
    reference: None, copy_dir: Path
) -> None:
    load_treaties()
    rows = _rows("articles.csv", copy_dir)
    rows[0]["instrument"] = "NO_SUCH_TREATY"
    rows[1]["verify"] = "maybe"
    _write(copy_dir / "articles.csv", rows)
    _new_version(copy_dir, "articles")
    before = Article.history.count()
    with pytest.raises(TreatyDataError) as raised:
        load_treaties(directory=copy_dir)
    assert raised.value.errors == [
        "line 2: instrument: unknown value “NO_SUCH_TREATY”",
        "line 3: verify must be 0 or 1, not “maybe”",
    ]
    assert Article.history.count() == before
    assert ReferenceDataset.objects.get(name=dataset_name("articles")).version == "2026.11"


def test_the_states_and_offence_codes_the_files_use_exist(reference: None) -> None:
    load_treaties()
    used = set(Participation.objects.values_list("state__iso3", flat=True))
    assert used <= set(State.objects.values_list("iso3", flat=True))
    for instrument in Instrument.objects.exclude(scope_iccs=[]):
        codes = [code.removesuffix("?") for code in instrument.scope_iccs]
        assert IccsCode.objects.filter(code__in=codes).count() == len(codes)
    assert Instrument.objects.get(code="UNCAC").scope_iccs == ["0703", "0806", "07041?"]
