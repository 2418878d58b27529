"""Blocking keys: cross-script spellings of one person share keys, strangers do not."""

from __future__ import annotations

import pytest

from comity.records.matching import index_keys, query_keys, redundant_keys

SAME_PERSON = [
    ("Emomali Rahmon", "Эмомали Рахмон"),
    ("Emomali Rahmon", "Рахмонов Эмомали"),
    ("Emomali Rahmon", "امامعلی رحمان"),
    ("RAKHMONOV<<EMOMALI", "Эмомалӣ Раҳмон"),
    ("Gulbuddin Hekmatyar", "گلبدین حکمتیار"),
    ("Mohammad Javad Zarif", "محمد جواد ظریف"),
    ("Hamid Karzai", "حامد کرزی"),
    ("Shahbaz Sharif", "شہباز شریف"),
    ("Kassym-Jomart Tokayev", "Қасым-Жомарт Кемелұлы Тоқаев"),
    ("Mukhtar Karimov", "مختار کریموف"),
    ("Shavkat Mirziyoyev", "Шавкат Мирзиёев"),
    ("Sadyr Japarov", "Садыр Жапаров"),
    ("Ali Karimi", "علي كريمي"),  # Arabic keyboard letters
    ("SADEGHI<<ABBAS", "عباس صادقی"),  # Persian ق written gh
    ("Maksim Sacharow", "Захаров Максим"),  # German press: s = з, ch = х, w = в
    ("Jegor Tschernyschjow", "Чернышёв Егор"),  # German press: tsch, sch, j
    ("KHOSA<<RABIA", "رابعہ کھوسہ"),  # Urdu aspirate کھ = kh
    ("Bhatt Sana", "ثناء بٹ"),  # aspirate bh
    ("Bakhtiyor Normatov", "Normatov Baxtiyor"),  # Uzbek Latin x = kh
    ("AMIRI<<FAZL<UR<RAHMAN", "فضل‌الرحمن امیری"),  # compound with ur = one word
    ("محمدمهدی نوری", "محمد مهدی نوری"),  # Muhammad compound joined / apart
    ("Osmani Gulahmad", "گل احمد عثمانی"),  # Gul compound joined / apart
    ("WALI<<FATIMA", "فاطمه بنت ولی"),  # ولی is a name, not the Turkic "uli"
    ("CHAUDHRY<<ZEESHAN", "ذیشان چوہدری"),  # South Asian dh is an aspirate d
    ("SOLEIMANI<<ELHAM", "الهام سلیمانی"),  # ال as letters, not the article
]


@pytest.mark.parametrize(("query", "stored"), SAME_PERSON)
def test_spellings_of_one_person_share_a_pair_key(query: str, stored: str) -> None:
    shared = query_keys(query) & index_keys(stored)
    assert any(key.startswith("p:") for key in shared)


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("Emomali Rahmon", "Gulbuddin Hekmatyar"),
        ("Mohammad Javad Zarif", "Mohammad Nabi Karimi"),
        ("Sadyr Japarov", "Askar Akayev"),
        ("Hamid Karzai", "Ashraf Ghani"),
    ],
)
def test_strangers_share_no_key(query: str, stored: str) -> None:
    assert not query_keys(query) & index_keys(stored)


def test_a_common_given_name_alone_gives_no_single_part_key() -> None:
    keys = index_keys("Muhammad Karimov")
    assert not any(key.endswith("muhamad") or key == "k:mhmd" for key in keys)
    assert "p:krm.mhmd" in keys


def test_keys_are_short_ascii() -> None:
    keys = index_keys("Абдурахмон Абдурахмонович Абдурахмонов-Абдурахмонзода " * 3)
    assert keys
    assert all(key.isascii() and len(key) <= 32 for key in keys)


@pytest.mark.parametrize("name", ["", "   ", "<<<", "--", "123"])
def test_names_without_letters_give_no_key(name: str) -> None:
    assert index_keys(name) == set()


def test_pashto_dz_meets_its_letter() -> None:
    shared = query_keys("Dzalmai Abdulla") & index_keys("عبدالله ولد ځلمی")
    assert any(key.startswith("p:") for key in shared)


@pytest.mark.parametrize("query", ["Kozlov Evgenii", "Baxtiyor Karimov", "Duyshonbiev Asan"])
def test_phonetic_keys_are_redundant_beside_the_key_codes_of_their_part(query: str) -> None:
    keys = query_keys(query)
    redundant = redundant_keys(query, keys)
    assert redundant
    assert all(key.startswith("t:") for key in redundant)
    # every stored name that shares a redundant t: key shares a k: key that is kept
    for stored in ["Козлов Евгений", "Normatov Bakhtiyor", "Дүйшөнбиев Асан"]:
        shared = index_keys(stored) & keys
        if shared & redundant:
            assert shared & {key for key in keys - redundant if key.startswith("k:")}


def test_no_key_is_redundant_when_its_key_code_is_not_looked_up() -> None:
    keys = query_keys("Kozlov Evgenii")
    without_codes = {key for key in keys if not key.startswith("k:")}
    assert not redundant_keys("Kozlov Evgenii", without_codes)
    assert not redundant_keys("حامد کرزی", query_keys("حامد کرزی"))  # no t: keys at all
