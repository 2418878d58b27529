"""Scoring: names in any script and order, birth dates, explanations, compare()."""

from __future__ import annotations

import pytest

from comity.records.matching import (
    REASON_TEXTS,
    THRESHOLD,
    PersonRecord,
    Query,
    Reason,
    compare,
    reason_text,
    score,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gulbuddin Hekmatyar", "گلبدین حکمتیار"),
        ("Emomali Rahmon", "Эмомали Рахмон"),
        ("Emomali Rahmon", "Рахмонов Эмомали"),
        ("Emomali Rahmon", "امامعلی رحمان"),
        ("RAKHMONOV<<EMOMALI", "Эмомалӣ Раҳмон"),
        ("Mohammad Javad Zarif", "محمد جواد ظریف"),
        ("Hamid Karzai", "حامد کرزی"),
        ("Shahbaz Sharif", "شہباز شریف"),
        ("Kassym-Jomart Tokayev", "Қасым-Жомарт Тоқаев"),
        ("Shavkat Mirziyoyev", "Шавкат Миромонович Мирзиёев"),
        ("Abdurrahman Wahid", "Abdul Rahman Wahid"),
        ("Muhammed Yusuf", "Mohammad Yousuf"),
        ("Aigul Bolat kyzy Sadykova", "Айгуль Болат кызы Садыкова"),
        ("Rahimzoda Ramazon", "Ramazon Rahimzade"),
        ("Xurshid Xo‘jayev", "Хуршид Хўжаев"),
    ],
)
def test_one_person_in_two_scripts_or_orders_matches(a: str, b: str) -> None:
    value, same = compare(a, b)
    assert same, value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Emomali Rahmon", "Gulbuddin Hekmatyar"),
        ("Olaf Scholz", "Octavian Scholz"),
        ("Mohammad Javad Zarif", "Mohammad Nabi Karimi"),
        ("Sergey Viktorovich Lavrov", "Sergey Ivanovich Lavrov"),
        ("Muhammad bin Salman", "Salman bin Muhammad"),
        ("Ali Karimov", "Ali Rashidov"),
        ("Hamid Karzai", "حامد کریمی"),
    ],
)
def test_different_persons_stay_below_the_threshold(a: str, b: str) -> None:
    value, same = compare(a, b)
    assert not same, value


@pytest.mark.parametrize(
    ("persian", "arabic"),
    [("علی کریمی", "علي كريمي"), ("مصطفی کاظمی", "مصطفى كاظمي"), ("فاطمه", "فاطمة")],
)
def test_arabic_keyboard_variants_are_equal(persian: str, arabic: str) -> None:
    assert compare(persian, arabic) == (1.0, True)


def test_compare_is_symmetric_enough_and_bounded() -> None:
    for a, b in [("Emomali Rahmon", "Рахмонов Эмомали"), ("Olaf Scholz", "Olaf Schulze")]:
        ab, ba = compare(a, b)[0], compare(b, a)[0]
        assert 0.0 <= ab <= 1.0
        assert abs(ab - ba) < 0.05


def test_the_decision_is_the_threshold() -> None:
    value, same = compare("Olaf Scholz", "Olaf Scholze")
    assert same is (value >= THRESHOLD)


def person(birth_date: str | None = None, **extra: str) -> PersonRecord:
    return PersonRecord(
        ref="P1",
        names=("Рахмонов Эмомали Шарипович",),
        birth_date=birth_date,
        nationalities=("TJK",),
        father_name=extra.get("father"),
    )


def test_birth_date_evidence_is_ordered() -> None:
    def value(query_date: str, stored: str) -> float:
        return score(Query(name="Emomali Rahmon", birth_date=query_date), person(stored)).score

    exact = value("1952-10-05", "1952-10-05")
    year_month = value("1952-10", "1952-10-05")
    year = value("1952", "1952-10-05")
    transposed = value("1952-05-10", "1952-10-05")
    unknown = score(Query(name="Emomali Rahmon"), person()).score
    conflicting = value("1961-03-01", "1952-10-05")
    assert exact > year_month > year > transposed > conflicting
    assert conflicting < unknown < exact


def test_a_contradicting_patronymic_lowers_the_score() -> None:
    same = compare("Эмомали Шарипович Рахмонов", "Rahmonov Emomali Sharipovich")[0]
    other = compare("Эмомали Каримович Рахмонов", "Rahmonov Emomali Sharipovich")[0]
    assert other < same
    assert other < THRESHOLD


def test_a_contradicting_father_name_lowers_the_score() -> None:
    record = PersonRecord(ref="P2", names=("Emomali Rahmon",), father_name="Sharif")
    fits = score(Query(name="Emomali Sharipovich Rahmon"), record)
    contradicts = score(Query(name="Emomali Karimovich Rahmon"), record)
    assert fits.score > contradicts.score
    assert "father_name" in {r.code for r in fits.reasons}
    assert "father_conflict" in {r.code for r in contradicts.reasons}


def test_nationality_counts_a_little() -> None:
    same = score(Query(name="Emomali Rahmon", nationality="TJK"), person()).score
    other = score(Query(name="Emomali Rahmon", nationality="AFG"), person()).score
    assert same > other


def test_the_best_alias_is_used_and_named() -> None:
    record = PersonRecord(ref="P3", names=("Ivan Petrov", "گلبدین حکمتیار"))
    result = score(Query(name="Gulbuddin Hekmatyar"), record)
    assert result.score >= THRESHOLD
    assert result.reasons[0] == Reason("alias", {"candidate": "گلبدین حکمتیار"})


def test_the_explanation_reads_like_the_reasons() -> None:
    record = PersonRecord(ref="P4", names=("مختار کریموف",), birth_date="1970-05-01")
    result = score(Query(name="Mukhtar Karimov", birth_date="1970"), record)
    text = result.explanation()
    assert "given name 'Mukhtar' ≈ 'مختار' by consonant skeleton" in text
    assert "surname 'Karimov' ≈ 'کریموف' by consonant skeleton" in text
    assert text.endswith("birth year matches")


def test_explanation_of_a_transliteration_and_a_conflict() -> None:
    record = PersonRecord(ref="P5", names=("Эмомали Рахмон",), birth_date="1952-10-05")
    result = score(Query(name="Emomali Rahmon", birth_date="1961-01-01"), record)
    text = result.explanation()
    assert "surname matches by transliteration ('Rahmon' = 'Рахмон')" in text
    assert "birth date contradicts (1961-01-01 vs 1952-10-05)" in text


@pytest.mark.parametrize("code", sorted(REASON_TEXTS))
def test_every_reason_text_takes_its_parameters(code: str) -> None:
    params = {"query": "Q", "candidate": "C"}
    rendered = reason_text(Reason(code, params))
    assert "{" not in rendered
    assert rendered


def test_unknown_names_score_zero() -> None:
    assert compare("", "Emomali Rahmon") == (0.0, False)


def test_a_patronymic_written_on_one_side_only_costs_almost_nothing() -> None:
    with_patronymic = compare("Ivanov Petr", "Иванов Пётр Иванович")[0]
    middle_name = compare("Olaf Scholz", "Olaf Heinrich Scholz")[0]
    assert with_patronymic > 0.98
    assert with_patronymic < compare("Ivanov Petr", "Иванов Пётр")[0]
    assert middle_name < 0.9  # a plain middle name on one side still counts


def test_the_birth_date_ranks_full_name_matches_beyond_the_clipped_score() -> None:
    query = Query(name="IVANOV<<PETR", birth_date="1953-05-20")
    dated = score(query, PersonRecord("A", ("Иванов Пётр Иванович",), "1953-05-20"))
    undated = score(query, PersonRecord("B", ("Иванов Пётр",)))
    assert dated.score == undated.score == 1.0
    assert dated.rank_value > undated.rank_value


def test_a_day_and_month_swapped_against_a_year_and_month() -> None:
    def code(query_date: str, stored: str) -> str:
        record = PersonRecord("A", ("Яковлев Тимофей",), stored)
        result = score(Query(name="Iakovlev Timofei", birth_date=query_date), record)
        return result.reasons[-1].code

    assert code("1956-10-08", "1956-08") == "birth_transposed"
    assert code("1956-08", "1956-10-08") == "birth_transposed"
    assert code("1956-10-09", "1956-08") == "birth_conflict"


def test_the_father_name_written_as_a_surname_matches() -> None:
    assert compare("Younus Hamed", "حامد ولد یونس")[1]
    assert not compare("Muhammad bin Salman", "Salman bin Muhammad")[1]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hamid Reza Gholipour", "حمیدرضا قلی‌پور"),
        ("TAHERI<<MOHAMMAD<ALI", "محمدعلی طاهری"),
        ("Wardag Fazlur Rahman", "فضل‌الرحمن وردک"),
        ("RANA<<SHAHZAIB", "شاہ زیب رانا"),  # the final ہ is silent apart, not joined
        ("Shah Zaib Rana", "شاهزیب رانا"),
    ],
)
def test_one_word_against_two_across_scripts(a: str, b: str) -> None:
    value, same = compare(a, b)
    assert same, value
    explanation = score(Query(name=a), PersonRecord("A", (b,))).explanation()
    assert "written as one word or apart" in explanation


def test_two_words_joined_beat_a_similar_single_word() -> None:
    right = compare("TAHERI<<MOHAMMAD<ALI", "محمدعلی طاهری")[0]
    wrong = compare("TAHERI<<MOHAMMAD<ALI", "طاهره محمدی")[0]
    assert right > wrong


@pytest.mark.parametrize(
    ("latin", "written", "other"),
    [
        ("Leila Nouri", "لیلا نوری", "علی نوری"),  # same skeleton l: the long vowels tell
        ("Hossein Nazari", "حسین نظری", "حسن نظری"),  # hsn both: حسین has its ی
        ("Mostafa Ghasemi", "مصطفی قاسمی", "مصطفی کاظمی"),  # ksm both, coarsely
    ],
)
def test_the_long_vowels_a_perso_arabic_spelling_writes_break_a_skeleton_tie(
    latin: str, written: str, other: str
) -> None:
    assert compare(latin, written)[0] > compare(latin, other)[0]
    assert compare(latin, other)[1]  # still a match by skeleton, only ranked after


def test_an_uzbek_o_with_its_sign_is_a_spelling_of_the_russian_u() -> None:
    found = score(Query("Juraev Gairat"), PersonRecord("UZ1", ("Joʻrayev Gʻayrat",)))
    assert found.reasons[0].code == "surname_variant"  # not a mere likeness of skeletons
    cyrillic = score(Query("Жўраев Ғайрат"), PersonRecord("UZ1", ("Joʻrayev Gʻayrat",)))
    assert {reason.code for reason in cyrillic.reasons} == {"surname_translit", "given_translit"}
