"""Name structure: MRZ, order, particles, patronymics, compounds, roles."""

from __future__ import annotations

import pytest

from comity.records.matching import names


def forms(name: str) -> list[str]:
    return [part.forms[0] for part in names.analyse(name).parts]


def roles(name: str) -> dict[str, str]:
    analysed = names.analyse(name)
    return {p.forms[0]: analysed.roles[i] for i, p in enumerate(analysed.parts)}


@pytest.mark.parametrize(
    ("mrz", "surname", "given"),
    [
        ("RAKHMONOV<<EMOMALI", "rahmonov", "emomali"),
        ("P<TJKRAKHMONOV<<EMOMALI<SHARIPOVICH<<<<<<<", "rahmonov", "emomali"),
        ("TOKAYEV<<KASSYM<JOMART", "tokaev", "kasym"),
    ],
)
def test_mrz_names_put_the_surname_first(mrz: str, surname: str, given: str) -> None:
    found = roles(mrz)
    assert found[surname] == names.SURNAME
    assert found[given] == names.GIVEN


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Emomali Rahmon", "rahmon"),
        ("Рахмонов Эмомали", "rahmonov"),
        ("Lavrov, Sergey", "lavrov"),
        ("Sergey Viktorovich LAVROV", "lavrov"),
        ("Иванов Иван Иванович", "ivanov"),
    ],
)
def test_the_surname_is_found_in_either_order(name: str, surname: str) -> None:
    assert roles(name)[surname] == names.SURNAME


@pytest.mark.parametrize(
    ("name", "patronymic"),
    [
        ("Sergey Viktorovich Lavrov", "viktor"),
        ("Иванов Иван Иванович", "ivan"),
        ("Анна Сергеевна Петрова", "serg"),
        ("Kassym-Jomart Kemeluly Tokayev", "kemel"),
        ("Нурсултан Әбішұлы Назарбаев", "abish"),
        ("Alisher Usmon o‘g‘li Karimov", "usmon"),
        ("Aigul Bolat kyzy Sadykova", "bolat"),
        ("Muhammad bin Salman Al Saud", "salman"),
    ],
)
def test_patronymics_are_recognised_with_their_stem(name: str, patronymic: str) -> None:
    parts = names.analyse(name).parts
    assert [p.forms[0] for p in parts if p.patronymic] == [patronymic]


def test_two_word_names_are_not_read_as_patronymics() -> None:
    assert not any(p.patronymic for p in names.analyse("Novak Djokovich").parts)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sheikh Isa Bin Tarif", ["isa", "tarif"]),
        ("Haji Mullah Akhtar Mansour", ["ahtar", "mansur"]),
        ("Ahmad al-Mosuli", ["ahmad", "mosuli"]),
        ("Ludwig van Beethoven", ["ludvig", "bethoven"]),
        ("Abdul Rahman Wahid", ["abdrahman", "vahid"]),
        ("Abd al-Rahman Wahid", ["abdrahman", "vahid"]),
        ("Abdul-Rahman Wahid", ["abdrahman", "vahid"]),
        ("Abdurrahman Wahid", ["abdrahman", "vahid"]),
        ("Shoigu Shoigu Sergey", ["shoigu", "sergei"]),
        ("Ig0r Sech1n", ["igor", "sechin"]),
    ],
)
def test_titles_particles_compounds_and_repeats(name: str, expected: list[str]) -> None:
    assert forms(name) == expected


@pytest.mark.parametrize(
    "spelling", ["Mohammad", "Muhammad", "Mohammed", "Muhammed", "Mukhammad", "Мухаммад", "محمد"]
)
def test_muhammad_is_one_name_in_every_spelling(spelling: str) -> None:
    part = names.analyse(spelling).parts[0]
    assert part.skeleton == "mhmd"
    assert part.weight < 1.0  # very common: counts half


def test_hyphenated_given_names_are_two_parts() -> None:
    assert forms("Kassym-Jomart Tokayev") == ["kasym", "jomart", "tokaev"]


@pytest.mark.parametrize(
    "name",
    [
        "Nawaz Dogar s/o Abdul Ghafar",
        "Nawaz Dogar son of Abdul Ghafar",
        "Nawaz Dogar walad Abdul Ghafar",
        "نواز ڈوگر ولد عبدالغفار",
    ],
)
def test_a_father_clause_makes_a_patronymic(name: str) -> None:
    parts = names.analyse(name).parts
    assert [p.patronymic for p in parts] == [False, False, True]


def test_a_compound_with_ur_is_one_word() -> None:
    assert len(names.analyse("Fazl-ur-Rahman Amiri").parts) == 2
    assert len(names.analyse("AMIRI<<FAZL<UR<RAHMAN").parts) == 2


@pytest.mark.parametrize(
    "name", ["نازیه بنت گل احمد", "Nazia d/o Gul Ahmad", "Sayed walad Noor Mohammad"]
)
def test_a_father_name_of_two_words_is_all_patronymic(name: str) -> None:
    parts = names.analyse(name).parts
    assert [p.patronymic for p in parts] == [False, True, True]


def test_the_father_name_ends_at_the_next_particle() -> None:
    parts = names.analyse("Muhammad bin Rashid Al Maktoum").parts
    assert [p.patronymic for p in parts] == [False, True, False]


def test_russian_patronymics_in_ich_are_patronymics_but_heinrich_is_not() -> None:
    nikitich = names.analyse("Алексеев Сергей Никитич").parts[2]
    assert nikitich.patronymic
    assert nikitich.forms == ("nikit",)
    assert names.analyse("Кузьмин Иван Кузьмич").parts[2].patronymic
    assert not any(part.patronymic for part in names.analyse("Olaf Heinrich Scholz").parts)
