"""The register search: which postings it reads and how it ranks the persons it scores."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comity.records import matching, search, services
from comity.records.models import NameKind, Register
from comity.records.services import PersonData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    search._counts.clear()


def _person(register: Register, ref: str, name: str, birth: str = "", other: str = "") -> None:
    services.person_save(
        actor=None,
        register=register,
        data=PersonData(
            ref=ref,
            full_name=name,
            birth_date=birth,
            nationalities="KGZ",
            other_names=((other, NameKind.ALIAS),) if other else (),
        ),
    )


def test_a_year_off_by_one_ranks_above_another_year(kgz_register: Register) -> None:
    _person(kgz_register, "FAR", "Мамытов Азамат", "1970-05-01")
    _person(kgz_register, "NEAR", "Мамытов Азамат", "1985-05-01")
    pool = search.candidate_ids(
        register_ids=[kgz_register.pk],
        keys=matching.query_keys("Azamat Mamytov"),
        birth_date="1984-02-03",
    )
    near = kgz_register.persons.get(ref="NEAR").pk
    assert pool[0][0] == near
    assert pool[0][1] == pool[1][1] + 1


def test_the_full_name_born_when_asked_comes_before_a_shorter_record(
    kgz_register: Register,
) -> None:
    _person(kgz_register, "A1", "Мамытов Азамат")  # no patronymic, no birth date
    _person(kgz_register, "Z9", "Мамытов Азамат Бекович", "1984-05-01")
    found = search.search_persons(
        name="MAMYTOV<<AZAMAT", birth_date="1984-05-01", register=kgz_register
    )
    assert [c.ref for c in found] == ["Z9", "A1"]
    assert found[0].score == found[1].score == 1.0


def test_phonetic_keys_beside_their_key_code_are_not_looked_up(kgz_register: Register) -> None:
    _person(kgz_register, "KG1", "Токтогулов Нурлан")
    keys = matching.query_keys("Nurlan Toktogulov")
    assert "t:toktogulov" in matching.redundant_keys("Nurlan Toktogulov", keys)
    with CaptureQueriesContext(connection) as captured:
        found = search.search_persons(name="Nurlan Toktogulov", register=kgz_register)
    assert found[0].ref == "KG1"
    (sql,) = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert "k:tktkl" in sql
    assert "t:toktogulov" not in sql


def test_other_names_are_scored(kgz_register: Register) -> None:
    _person(kgz_register, "KG1", "Иванов Иван", other="Мамытов Азамат")
    found = search.search_persons(name="Azamat Mamytov", register=kgz_register)
    assert found[0].ref == "KG1"
    assert found[0].reasons[0].code == "alias"


def test_the_pool_reads_the_persons_in_the_order_of_their_weight(kgz_register: Register) -> None:
    _person(kgz_register, "KG1", "Мамытов Азамат", "1984-05-01")
    _person(kgz_register, "KG2", "Мамытов Азамат", "1990-01-01")
    _person(kgz_register, "KG3", "Мамытов Бакыт", "1984-05-01")
    keys = matching.query_keys("Azamat Mamytov")
    ids = search.candidate_ids(register_ids=[kgz_register.pk], keys=keys, birth_date="1984-05-01")
    pool = search.pool_rows(register_ids=[kgz_register.pk], keys=keys, birth_date="1984-05-01")
    assert [(row[0], weight) for row, weight in pool] == ids
    assert pool[0][0][1] == "KG1"
    assert pool[0][0][2:4] == ("Мамытов Азамат", "1984-05-01")
