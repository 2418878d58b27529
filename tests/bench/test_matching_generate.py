"""The matching benchmark's generator: deterministic, well-formed, with a held-out split."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench.matching import evalset, scripts
from bench.matching.generate import Drawer, compatible, generate, name_as_given
from bench.matching.namelists import STATES, load

PERSONS = 3000
QUERIES = 400
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Letters only the register script of each state uses (at least one record shows them).
SCRIPT_OF = {
    "RUS": re.compile(r"^[А-ЯЁа-яё \-]+$"),
    "KAZ": re.compile(r"[әғқңөұүһі]", re.IGNORECASE),
    "KGZ": re.compile(r"[өүң]", re.IGNORECASE),
    "TJK": re.compile(r"[ҳқғӣӯҷ]", re.IGNORECASE),
    "UZB": re.compile(r"^[A-Za-zʻ‘' \-]+$"),
    "TKM": re.compile(r"[çşžňýäöü]", re.IGNORECASE),
    "IRN": re.compile(r"^[\u0600-\u06ff\u200c ]+$"),
    "AFG": re.compile(r"^[\u0600-\u06ff\u200c ]+$"),
    "PAK": re.compile(r"[ہھٹڈڑے]"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("matching")
    generate(persons=PERSONS, out=out, queries=QUERIES, seed=7)
    return out


def _register(directory: Path) -> list[dict[str, str]]:
    with (directory / "register.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_same_seed_writes_the_same_files(generated: Path, tmp_path: Path) -> None:
    generate(persons=PERSONS, out=tmp_path, queries=QUERIES, seed=7)
    for name in ("register.csv", "queries.jsonl", "answers.jsonl"):
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name


def test_another_seed_writes_another_register(generated: Path, tmp_path: Path) -> None:
    generate(persons=PERSONS, out=tmp_path, queries=QUERIES, seed=8)
    assert (tmp_path / "register.csv").read_bytes() != (generated / "register.csv").read_bytes()


def test_register_has_the_import_columns_and_every_state(generated: Path) -> None:
    rows = _register(generated)
    assert len(rows) == PERSONS
    assert list(rows[0]) == ["ref", "full_name", "birth_date", "nationality"]
    assert len({row["ref"] for row in rows}) == PERSONS
    assert {row["nationality"] for row in rows} == set(STATES)


def test_each_state_is_written_in_its_registers_script(generated: Path) -> None:
    rows = _register(generated)
    # Nationals of Central Asian states also appear in the Russian register, in Russian:
    # judge each state on the records only its own script can hold.
    for state, pattern in SCRIPT_OF.items():
        names = [row["full_name"] for row in rows if row["nationality"] == state]
        matching = [name for name in names if pattern.search(name)]
        assert len(matching) > len(names) / 5, state


def test_patronymics_and_father_clauses_are_present(generated: Path) -> None:
    names = [row["full_name"] for row in _register(generated)]
    assert any(name.endswith(("ович", "евич", "овна", "евна")) for name in names)
    assert any(name.endswith(("ұлы", "қызы")) for name in names)
    assert any(" уулу " in name for name in names)
    assert any(name.endswith(("oʻgʻli", "o‘g‘li", "o'g'li")) for name in names)
    assert any(" ولد " in name for name in names)


def test_birth_dates_are_valid_and_about_fifteen_percent_partial(generated: Path) -> None:
    dates = [row["birth_date"] for row in _register(generated)]
    assert all(value == "" or DATE.match(value) for value in dates)
    for value in dates:
        if len(value) == 10:
            assert date.fromisoformat(value).isoformat() == value
    partial = sum(1 for value in dates if len(value) in (4, 7)) / len(dates)
    empty = sum(1 for value in dates if not value)
    assert 0.10 < partial < 0.20
    assert empty > 0


def test_namesakes_share_a_name_with_another_birth_date(generated: Path) -> None:
    seen: dict[str, set[str]] = {}
    for row in _register(generated):
        seen.setdefault(row["full_name"], set()).add(row["birth_date"])
    assert any(len(dates) > 1 for dates in seen.values())


def test_queries_name_existing_refs_and_both_splits(generated: Path) -> None:
    refs = {row["ref"] for row in _register(generated)}
    items = evalset.load(generated)
    assert len(items) == QUERIES
    assert {item.split for item in items} == {"tune", "holdout"}
    assert all(item.accepted <= refs for item in items)
    assert all(item.birth_date is None or DATE.match(item.birth_date) for item in items)
    kinds = {item.kind for item in items}
    assert {"tg-Cyrl>ru-Cyrl", "fa-Arab>Latn", "uz-Latn>MRZ", "prs-Arab>fa-Arab"} <= kinds


def test_queries_are_written_in_another_form_than_the_record(generated: Path) -> None:
    names = {row["ref"]: row["full_name"] for row in _register(generated)}
    items = evalset.load(generated)
    unchanged = sum(1 for item in items if names[item.ref] == item.name)
    assert unchanged < len(items) * 0.05


def test_queries_file_does_not_reveal_the_answer(generated: Path) -> None:
    with (generated / "queries.jsonl").open(encoding="utf-8") as handle:
        keys = set().union(*(json.loads(line).keys() for line in handle))
    assert keys <= {"id", "name", "birth_date", "nationality"}


def test_equivalents_have_the_same_name_and_a_compatible_date(generated: Path) -> None:
    rows = {row["ref"]: row for row in _register(generated)}
    for item in evalset.load(generated):
        for ref in item.accepted - {item.ref}:
            assert rows[ref]["full_name"] == rows[item.ref]["full_name"]
            assert compatible(item.birth_date, rows[ref]["birth_date"])


def test_indistinct_records_share_the_name_the_query_gives(generated: Path) -> None:
    rows = {row["ref"]: row for row in _register(generated)}
    drawer = Drawer(7)
    persons = {f"R{i + 1:07d}": drawer.next() for i in range(PERSONS)}
    items = evalset.load(generated)
    widened = 0
    for item in items:
        assert item.accepted <= item.indistinct
        target = persons[item.ref]
        # A Russian patronymic in the query names the father: he must be the same.
        names_father = bool(re.search(r"(вич|вна)\b", item.name))
        for ref in item.indistinct - {item.ref}:
            assert name_as_given(persons[ref]) == name_as_given(target)
            assert compatible(item.birth_date, rows[ref]["birth_date"])
            if names_father:
                assert persons[ref].father == target.father
        widened += bool(item.indistinct - item.accepted)
    assert widened > 0  # some queries cannot tell the person from another record


def test_name_lists_have_spellings_for_every_entry() -> None:
    for state in STATES:
        names = load(state)
        assert len(names.male) >= 20 and len(names.female) >= 10 and len(names.surnames) >= 20
        if state != "RUS":
            assert all(entry.latin for entry in names.male + names.female + names.surnames)


def test_spelling_rules() -> None:
    assert scripts.ru_icao("Рахмонов Эмомали") == "Rakhmonov Emomali"
    assert scripts.ru_german("Рахмонов") == "Rachmonow"
    assert scripts.tg_to_ru("Раҳмонов Ҷамшед") == "Рахмонов Джамшед"
    assert scripts.uz_cyrillic("Gʻulomov") == "Ғуломов"
    assert scripts.mrz("Rakhmonov", "Emomali") == "RAKHMONOV<<EMOMALI"
    assert scripts.arabic_keyboard("کریمی") == "كريمي"
