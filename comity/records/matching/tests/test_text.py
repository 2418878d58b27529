"""Letters: folding, romanisation of the region's scripts, phonetic forms, skeletons."""

from __future__ import annotations

import pytest

from comity.records.matching import normalise, text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Kazakh
        ("ә", "a"),
        ("ғ", "gh"),
        ("қ", "q"),
        ("ң", "ng"),
        ("ө", "o"),
        ("ұ", "u"),
        ("ү", "u"),
        ("һ", "h"),
        ("і", "i"),
        # Tajik
        ("ҳ", "h"),
        ("ҷ", "j"),
        ("ӣ", "i"),
        ("ӯ", "u"),
        # Uzbek Cyrillic
        ("ў", "o"),
    ],
)
def test_central_asian_cyrillic_letters_have_a_primary_romanisation(
    word: str, expected: str
) -> None:
    assert text.romanisations(word)[0] == expected


@pytest.mark.parametrize(
    ("word", "spellings"),
    [
        ("хан", {"khan", "han"}),
        ("жанна", {"zhanna", "janna"}),
        ("юрий", {"yuriy", "iurii", "jurij"}),
        ("цой", {"tsoy", "coj"}),
        ("щукин", {"shchukin", "schukin"}),
        ("ёлкин", {"yolkin", "elkin"}),
        ("быков", {"bykov", "bikov"}),
        ("чехов", {"chekhov"}),
        ("шамиль", {"shamil"}),
    ],
)
def test_russian_letters_with_several_customary_romanisations(
    word: str, spellings: set[str]
) -> None:
    assert spellings <= set(text.romanisations(word))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("o‘tkir", "otkir"),  # Uzbek Latin o‘ with turned comma
        ("g'ulom", "gulom"),  # Uzbek Latin g' with apostrophe
        ("oʻgʻli", "ogli"),
        ("şükür", "shukur"),  # Turkmen
        ("çary", "chary"),
        ("žeňiş", "zhenish"),
        ("ýazmyrat", "yazmyrat"),
        ("ärkin", "arkin"),
        ("öwez", "owez"),
        ("josé", "jose"),
    ],
)
def test_turkic_latin_letters_and_diacritics(word: str, expected: str) -> None:
    assert text.romanisations(text.fold(word))[0] == expected


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("كريم", "کریم"),  # Arabic kaf
        ("فاطمة", "فاطمه"),  # teh marbuta
        ("أحمد", "احمد"),  # hamza on alef
        ("مُحَمَّد", "محمد"),  # harakat
        ("محـــمد", "محمد"),  # tatweel
        ("محمد\u200cعلی", "محمدعلی"),  # zero-width non-joiner
        ("شہباز", "شهباز"),  # Urdu heh goal
        ("۱۲۳", "123"),  # Persian digits
    ],
)
def test_arabic_script_folding(written: str, folded: str) -> None:
    assert text.fold(written) == folded


@pytest.mark.parametrize(
    ("word", "skeleton"),
    [
        ("پرویز", "prz"),  # Persian peh, yeh as vowel
        ("چنگیز", "cngz"),  # tcheh
        ("ژاله", "jl"),  # jeh, silent final heh
        ("گل", "gl"),  # gaf
        ("ٹیپو", "tp"),  # Urdu tteh
        ("ڈار", "dr"),  # Urdu ddal
        ("ړ", "r"),  # Pashto rreh
        ("ښکلی", "xkl"),  # Pashto sheen with dot
        ("وحید", "vhd"),  # waw is v word-initially
        ("جواد", "jd"),  # ... and a vowel elsewhere
    ],
)
def test_perso_arabic_letters_in_skeletons(word: str, skeleton: str) -> None:
    assert text.arabic_skeleton(text.fold(word)) == skeleton


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("gulbuddin", "گلبدین"),
        ("hekmatyar", "حکمتیار"),
        ("rahmon", "رحمان"),
        ("emomali", "امامعلی"),
        ("mukhtar", "مختار"),
        ("javad", "جواد"),
        ("zarif", "ظریف"),
        ("karzai", "کرزی"),
        ("shahbaz", "شہباز"),
        ("abdullah", "عبدالله"),
        ("fatima", "فاطمه"),
    ],
)
def test_latin_and_perso_arabic_spellings_share_a_skeleton(latin: str, arabic: str) -> None:
    assert text.latin_skeleton(latin) == text.arabic_skeleton(text.fold(arabic))


def test_unrelated_names_have_different_skeletons() -> None:
    assert text.latin_skeleton("gulbuddin") != text.arabic_skeleton("حکمتیار")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("rakhmonov", "rahmonov"),
        ("zhomart", "jomart"),
        ("tsoy", "coy"),
        ("tokayev", "tokaev"),
        ("sergey", "sergei"),
        ("yevgeniy", "evgeny"),
        ("dmitrii", "dmitry"),
        ("nooristani", "nuristani"),
        ("abdullah", "abdulla"),
        ("rahimzoda", "rahimzadeh"),
    ],
)
def test_canonical_forms_merge_customary_spellings(a: str, b: str) -> None:
    assert text.canonical(a) == text.canonical(b)


@pytest.mark.parametrize(("a", "b"), [("karimov", "kasimov"), ("olaf", "olga")])
def test_canonical_forms_keep_different_names_apart(a: str, b: str) -> None:
    assert text.canonical(a) != text.canonical(b)


@pytest.mark.parametrize(
    ("word", "compound"),
    [
        ("abdurrahman", "abdrahman"),
        ("abdulrahman", "abdrahman"),
        ("abdalrahman", "abdrahman"),
        ("abdirahman", "abdrahman"),
    ],
)
def test_abd_compounds_take_one_form(word: str, compound: str) -> None:
    assert text.abd_compound(text.canonical(word)) == compound


def test_normalise_folds_case_spacing_and_letters() -> None:
    assert normalise("  Мухаммад   ALI  ") == "мухаммад ali"
    assert normalise("علي كريمي") == "علی کریمی"


@pytest.mark.parametrize(
    ("word", "also"),
    [("joʻrayev", "jurayev"), ("o‘rinboyev", "urinboyev"), ("to'xtayev", "tukhtayev")],
)
def test_uzbek_o_with_its_sign_is_also_read_as_the_russian_u(word: str, also: str) -> None:
    romans = text.romanisations(word)
    assert romans[0] != also  # the Uzbek reading stays the primary one
    assert also in romans


def test_latin_words_without_the_uzbek_sign_keep_their_o() -> None:
    assert text.romanisations("jorayev") == ("jorayev",)
