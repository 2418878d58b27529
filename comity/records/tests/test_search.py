"""The register search: keys first, birth date in the index, common keys left out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comity.records import matching, search, services
from comity.records.models import NameKey, Register
from comity.records.services import PersonData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    search._counts.clear()


def _person(register: Register, ref: str, name: str, birth: str = "") -> None:
    services.person_save(
        actor=None,
        register=register,
        data=PersonData(ref=ref, full_name=name, birth_date=birth, nationalities="KGZ"),
    )


def test_the_index_carries_the_birth_date(kgz_register: Register) -> None:
    _person(kgz_register, "KG1", "Мамытов Азамат", "1986-04")
    _person(kgz_register, "KG2", "Мамытов Азамат")
    assert set(NameKey.objects.filter(person__ref="KG1").values_list("born", flat=True)) == {
        19860400
    }
    assert set(NameKey.objects.filter(person__ref="KG2").values_list("born", flat=True)) == {None}


def test_among_namesakes_the_one_born_when_asked_comes_first(kgz_register: Register) -> None:
    for n, year in enumerate(range(1970, 1990)):
        _person(kgz_register, f"KG{n}", "Мамытов Азамат", f"{year}-05-01")
    pool = search.candidate_ids(
        register_ids=[kgz_register.pk],
        keys=matching.query_keys("Azamat Mamytov"),
        limit=3,
        birth_date="1984-05-01",
    )
    assert pool[0][0] == kgz_register.persons.get(birth_date="1984-05-01").pk
    assert pool[0][1] > pool[1][1]


def test_one_part_keys_shared_by_too_many_are_left_out(
    kgz_register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "COMMON", 2)
    for n, surname in enumerate(["Мамытов", "Токтогулов", "Абдрахманов"]):
        _person(kgz_register, f"KG{n}", f"{surname} Нурлан")
    keys = matching.query_keys("Nurlan Toktogulov")
    kept = search.selective_keys([kgz_register.pk], keys)
    assert {key for key in keys if key.startswith("p:")} <= kept
    assert kept < keys  # the given name's own keys are gone: three persons share them
    only_common = keys - kept
    assert search.selective_keys([kgz_register.pk], only_common) == only_common
    found = search.search_persons(name="Nurlan Toktogulov", register=kgz_register)
    assert found[0].ref == "KG1"


def test_the_asked_day_and_the_day_with_day_and_month_swapped() -> None:
    assert search.asked_days("1977-04-08") == ["1977-04-08", "1977-08-04"]
    assert search.asked_days("1977-04-04") == ["1977-04-04"]
    assert search.asked_days("1977-04-18") == ["1977-04-18"]
    assert search.asked_days("1977-04") == []
    assert search.asked_days("") == []


def test_a_name_no_key_finds_is_found_by_its_birth_date(kgz_register: Register) -> None:
    _person(kgz_register, "AF1", "سیما بنت یونس", "1949-09-06")
    _person(kgz_register, "AF2", "صائمہ شیخ", "1949-09-06")
    _person(kgz_register, "AF3", "فرید ولد حامد", "1951-02-16")
    _person(kgz_register, "AF4", "سیما بنت یونس", "1960-01-01")
    # One given name alone has no key of its own (two consonants): only its date finds it.
    assert "AF1" not in {c.ref for c in search.search_persons(name="سیما", register=kgz_register)}
    found = search.search_persons(name="سیما", birth_date="1949-09-06", register=kgz_register)
    assert [c.ref for c in found][:1] == ["AF1"]
    assert "AF4" not in {c.ref for c in found}  # a namesake born another day is not read
    # A typing error in the given name, the father's name as a surname: found by the day.
    found = search.search_persons(
        name="FKRID HAMID", birth_date="1951-02-16", register=kgz_register
    )
    assert [c.ref for c in found] == ["AF3"]
    assert "birth date matches" in found[0].explanation


def test_a_day_is_not_read_when_the_keys_found_the_person_born_that_day(
    kgz_register: Register,
) -> None:
    _person(kgz_register, "KG1", "Мамытов Азамат Бакытович", "1986-04-12")

    def reads_the_day(birth_date: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            found = search.search_persons(
                name="Azamat Mamytov", birth_date=birth_date, register=kgz_register
            )
        assert found[0].ref == "KG1"
        return any('"birth_date" IN' in query["sql"] for query in queries.captured_queries)

    assert not reads_the_day("1986-04-12")  # a pair key and the day: found by its keys
    assert reads_the_day("1986-04-13")  # the keys found him born another day: read the day
