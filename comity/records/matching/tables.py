"""Letter tables and word lists of the matching engine (docs/MATCHING-ENGINE.md).

Every table is written out here, so what the engine does to a letter can be read, tested and
changed in one place. anyascii is only the fallback for scripts no table covers.
"""

from __future__ import annotations

# --- Folding before anything else -----------------------------------------------------------

# Arabic-script letters that are written interchangeably (Arabic vs Persian keyboards,
# hamza carriers, the forms of heh), characters that carry no letter (tatweel, zero-width
# joiners and marks) and digits. Harakat are removed separately (a code-point range).
FOLD: dict[int, str | None] = {
    0x064A: "ی",  # ي Arabic yeh
    0x0649: "ی",  # ى alef maksura
    0x06D0: "ی",  # ې Pashto/Uighur e: a vowel letter like yeh
    0x0643: "ک",  # ك Arabic kaf
    0x06AA: "ک",  # ڪ swash kaf
    0x0629: "ه",  # ة teh marbuta
    0x06C0: "ه",  # ۀ heh with yeh
    0x06C1: "ه",  # ہ Urdu heh goal
    0x06BE: "ه",  # ھ heh doachashmee
    0x06D5: "ه",  # ە ae
    0x0623: "ا",  # أ
    0x0625: "ا",  # إ
    0x0622: "ا",  # آ
    0x0671: "ا",  # ٱ
    0x0672: "ا",
    0x0673: "ا",
    0x0624: "و",  # ؤ
    0x0626: "ی",  # ئ
    0x06CD: "ی",  # ۍ Pashto yeh with tail
    0x06D2: "ی",  # ے Urdu yeh barree
    0x06D3: "ی",
    0x0640: None,  # tatweel
    0x200B: None,  # zero-width space
    0x200C: None,  # zero-width non-joiner
    0x200D: None,  # zero-width joiner
    0x200E: None,  # left-to-right mark
    0x200F: None,  # right-to-left mark
    0x2060: None,  # word joiner
    0xFEFF: None,  # byte-order mark
    0x00AD: None,  # soft hyphen
}
for _offset in range(10):
    FOLD[0x0660 + _offset] = str(_offset)  # Arabic-Indic digits
    FOLD[0x06F0 + _offset] = str(_offset)  # Persian digits
for _mark in (*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)):
    FOLD[_mark] = None  # harakat, superscript alef, Quranic marks

# --- Latin letters of the region (Turkmen, Uzbek, Azerbaijani, Kazakh Latin, Turkish) --------

LATIN_SPECIAL: dict[int, str] = {
    ord(k): v
    for k, v in {
        "ş": "sh",
        "ș": "sh",
        "ç": "ch",
        "ž": "zh",
        "ň": "n",
        "ñ": "n",
        "ý": "y",
        "ä": "a",
        "ə": "a",
        "ö": "o",
        "ü": "u",
        "ğ": "g",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "č": "ch",
        "š": "sh",
        "ś": "s",
        "ć": "c",
        "ź": "z",
        "ż": "z",
        "ḥ": "h",
        "ḫ": "kh",
        "ṣ": "s",
        "ṭ": "t",
        "ẓ": "z",
        "ḍ": "d",
        "ʻ": "",  # Uzbek o‘ g‘ (turned comma), also ʼ and ordinary apostrophes
        "ʼ": "",
        "‘": "",
        "’": "",
        "'": "",
        "`": "",
        "´": "",
        "ʿ": "",
        "ʾ": "",
    }.items()
}

# --- Cyrillic: four customary romanisations --------------------------------------------------
# Letters every system writes alike.
_CYR_COMMON: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "з": "z",
    "и": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "ч": "ch",
    "ш": "sh",
    "ь": "",
    "ъ": "",
    "э": "e",
    # Kazakh, Kyrgyz, Tajik, Uzbek, Ukrainian, Belarusian letters
    "ә": "a",
    "ғ": "gh",
    "қ": "q",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "і": "i",
    "ӣ": "i",
    "ӯ": "u",
    "ў": "o",
    "ҳ": "h",
    "ҷ": "j",
    "ґ": "g",
    "ї": "yi",
    "є": "ye",
    "ј": "j",
    "ђ": "dj",
    "ћ": "c",
    "џ": "dzh",
    "љ": "lj",
    "њ": "nj",
    "ѓ": "g",
    "ќ": "k",
    "ѕ": "dz",
}

# (name, table of the ambiguous letters). The first system is the primary romanisation
# (BGN/PCGN-like, what most passports of the region now print); ICAO Doc 9303 part 3 is the
# machine-readable-zone one; "regional" is the customary Central Asian and French-influenced
# spelling (h, j, c); "german" is the Central European one (j for й, ju/ja).
CYRILLIC_SYSTEMS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "bgn",
        {
            "е": "e",
            "ё": "yo",
            "ж": "zh",
            "й": "y",
            "х": "kh",
            "ц": "ts",
            "щ": "shch",
            "ы": "y",
            "ю": "yu",
            "я": "ya",
        },
    ),
    (
        "icao",
        {
            "е": "e",
            "ё": "e",
            "ж": "zh",
            "й": "i",
            "х": "kh",
            "ц": "ts",
            "щ": "shch",
            "ы": "y",
            "ъ": "ie",
            "ю": "iu",
            "я": "ia",
            "ў": "u",
            "є": "ie",
            "ї": "i",
            "ғ": "g",
            "қ": "k",
            "ң": "n",
        },
    ),
    (
        "regional",
        {
            "е": "e",
            "ё": "e",
            "ж": "j",
            "й": "y",
            "х": "h",
            "ц": "c",
            "щ": "sch",
            "ы": "i",
            "ю": "yu",
            "я": "ya",
            "ғ": "g",
            "қ": "k",
            "ң": "n",
            "ҳ": "kh",
        },
    ),
    (
        "german",
        {
            "е": "e",
            "ё": "jo",
            "ж": "zh",
            "й": "j",
            "х": "kh",
            "ц": "c",
            "щ": "shch",
            "ы": "y",
            "ю": "ju",
            "я": "ja",
            "ҷ": "ch",
        },
    ),
)


def cyrillic_table(ambiguous: dict[str, str]) -> dict[int, str]:
    table = {ord(k): v for k, v in _CYR_COMMON.items()}
    table.update({ord(k): v for k, v in ambiguous.items()})
    return table


# --- Perso-Arabic (Arabic, Persian, Dari, Pashto, Urdu) ---------------------------------------
# (romanisation, skeleton class). Skeleton classes: one ASCII letter per consonant class;
# "" means the letter carries no consonant (alef, ain, hamza; waw/yeh as vowels).
ARABIC_LETTERS: dict[str, tuple[str, str]] = {
    "ا": ("a", ""),
    "ء": ("", ""),
    "ع": ("", ""),
    "ب": ("b", "b"),
    "پ": ("p", "p"),
    "ت": ("t", "t"),
    "ٹ": ("t", "t"),
    "ټ": ("t", "t"),
    "ث": ("s", "s"),
    "ج": ("j", "j"),
    "چ": ("ch", "c"),
    "ح": ("h", "h"),
    "خ": ("kh", "h"),
    "د": ("d", "d"),
    "ڈ": ("d", "d"),
    "ډ": ("d", "d"),
    "ذ": ("z", "z"),
    "ر": ("r", "r"),
    "ڑ": ("r", "r"),
    "ړ": ("r", "r"),
    "ز": ("z", "z"),
    "ژ": ("zh", "j"),
    "ږ": ("zh", "j"),
    "س": ("s", "s"),
    "ش": ("sh", "x"),
    "ښ": ("sh", "x"),
    "ص": ("s", "s"),
    "ض": ("z", "z"),
    "ط": ("t", "t"),
    "ظ": ("z", "z"),
    "غ": ("gh", "g"),
    "ف": ("f", "f"),
    "ق": ("q", "k"),
    "ک": ("k", "k"),
    "گ": ("g", "g"),
    "ګ": ("g", "g"),
    "ل": ("l", "l"),
    "م": ("m", "m"),
    "ن": ("n", "n"),
    "ں": ("n", "n"),
    "ڼ": ("n", "n"),
    "ځ": ("dz", "z"),
    "څ": ("ts", "s"),
    "و": ("u", ""),  # a consonant (v) only word-initially
    "ه": ("h", "h"),  # silent (dropped) word-finally
    "ی": ("i", ""),  # a consonant (y) only word-initially, and y is not a skeleton class
}

# --- Words with a role rather than a name ----------------------------------------------------

# Honorifics and ranks: ignored.
TITLES: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "madam",
        "mme",
        "herr",
        "frau",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "shaik",
        "haji",
        "hajji",
        "hadji",
        "hajj",
        "alhaj",
        "alhajj",
        "mullah",
        "mulla",
        "molla",
        "maulvi",
        "mawlawi",
        "mawlavi",
        "moulvi",
        "maulana",
        "mawlana",
        "qari",
        "hafiz",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "сайид",
        "шейх",
        "хаджи",
        "мулла",
        "حاجی",
        "ملا",
        "مولوی",
        "شیخ",
        "قاری",
    ]
)

# Particles: joined to no name, given no weight.
PARTICLES: frozenset[str] = frozenset(
    [
        "al",
        "el",
        "ul",
        "ud",
        "ad",
        "ar",
        "as",
        "at",
        "az",
        "ash",
        "bin",
        "ibn",
        "bint",
        "binti",
        "ben",
        "bte",
        "ibni",
        "ould",
        "abu",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "dos",
        "das",
        "le",
        "la",
        "y",
        "ال",
        "بن",
        "ابن",
        "بنت",
        "ابو",
        "walad",
        "wald",
        "ولد",
    ]
)
# Particles after which comes the father's name: "Muhammad bin Salman".
FATHER_PARTICLES: frozenset[str] = frozenset(
    [
        "bin",
        "ibn",
        "bint",
        "binti",
        "ben",
        "ibni",
        "ould",
        "walad",
        "wald",
        "بن",
        "ابن",
        "بنت",
        "ولد",
    ]
)
# The article written between the two words of a compound name (Fazl-ur-Rahman, Zia ul
# Haq, Shams-ud-Din, Saif-ul-Islam): the compound is one word in Perso-Arabic script
# (فضل‌الرحمن), so it is joined into one word.
LINKING_WORDS: frozenset[str] = frozenset({"ul", "ur", "ud", "un", "us", "uz", "ush", "ut"})
# Particles that are also given names when they come first ("Ben", "Abu").
FIRST_CAN_BE_NAME: frozenset[str] = frozenset({"ben", "abu", "ابو"})

# Central Asian and Turkic patronymic markers written as a separate word: "Kemel uly".
PATRONYMIC_WORDS: frozenset[str] = frozenset(
    [
        "uly",
        "uli",
        "ulu",
        "kyzy",
        "kizi",
        "qizi",
        "gizi",
        "kyz",
        "ogly",
        "ogli",
        "oglu",
        "ugli",
        "ogʻli",
        "улы",
        "уулу",
        "кызы",
        "қызы",
        "оглы",
        "угли",
        "ўғли",
        "қизи",
    ]
)
# ... and as a suffix (canonical forms, see text.canonical): "Kemeluly", "Viktorovich".
PATRONYMIC_SUFFIXES: tuple[str, ...] = (
    "uli",
    "kyzi",
    "ogli",
    "ovich",
    "evich",
    "ovitch",
    "evitch",
    "ovych",
    "evych",
    "ovna",
    "evna",
    "ichna",
    "ilyich",
    "ilich",
    "uly",
    "ulu",
    "kyzy",
    "kizi",
    "qizi",
    "ogly",
    "oglu",
    "ugli",
)
# Russian patronymics of names in -a and a few others: Никитич, Кузьмич, Фомич, Лукич. Only
# for words written in Cyrillic (Heinrich is a given name) and as the third word or later.
CYRILLIC_PATRONYMIC_SUFFIX = "ich"

# Name-forming surname suffixes (romanised). A token that ends in one of these is a surname;
# its stem (without the suffix) is compared when the full forms differ.
SURNAME_SUFFIXES: tuple[str, ...] = (
    "zoda",
    "zade",
    "zada",
    "zodah",
    "zadeh",
    "ova",
    "eva",
    "yeva",
    "ov",
    "ev",
    "yev",
    "ina",
    "in",
    "skaya",
    "skiy",
    "sky",
    "ski",
    "yan",
    "ian",
    "shvili",
    "dze",
    "enko",
    "uk",
    "chuk",
    "iy",
    "aya",
)
# Uniform spelling of the -zoda family (Tajik -zoda, Persian -zade/-zadeh, Azeri -zada).
ZODA_FORMS: tuple[str, ...] = ("zadeh", "zodah", "zade", "zada", "zoda")

# The Abdul- family: joined with the following word when written apart.
ABD_WORDS: frozenset[str] = frozenset(
    {"abd", "abdu", "abdul", "abdel", "abdal", "abdol", "abdil", "abdoul", "abdur"}
)
ABD_WORDS_ARABIC: frozenset[str] = frozenset({"عبد", "عبدال"})

# Muhammad and its spellings: one canonical form.
MUHAMMAD_FORMS: frozenset[str] = frozenset(
    [
        "muhammad",
        "muhammed",
        "mohammad",
        "mohammed",
        "mohamed",
        "mohamad",
        "muhamad",
        "muhamed",
        "mahomed",
        "mohamud",
        "mohamoud",
        "muhamet",
        "mukhammad",
        "mukhammed",
        "mukhamed",
        "magomed",
        "magomet",
        "mahammad",
        "mehmet",
        "mehmed",
        "mohammod",
        "muhammadi",
        "mohd",
        "md",
    ]
)
MUHAMMAD = "muhamad"  # canonical form

# Given names so common in the region that they say little about who a person is: they
# count half and give no single-word blocking key (canonical forms, see text.canonical).
COMMON_NAMES: frozenset[str] = frozenset(
    [
        "muhammad",
        "ahmad",
        "ahmed",
        "ali",
        "hasan",
        "hassan",
        "husain",
        "husein",
        "husayn",
        "hussein",
        "hussain",
        "abd",
        "abdulah",
        "abdlah",
        "mahmud",
        "mahmoud",
        "umar",
        "omar",
        "usman",
        "osman",
        "yusuf",
        "jusuf",
        "ibrahim",
        "ismail",
        "abdrahman",
        "abdrahim",
        "kim",
        "li",
        "lee",
        "park",
        "pak",
        "chen",
        "wang",
        "nguyen",
        "singh",
        "khan",
        "shah",
        "bibi",
        "begum",
        "gul",
        "nur",
        "mir",
        "sayed",
        "sayid",
        "syed",
        "said",
    ]
)
# The same, as consonant skeletons (for names written in Arabic script).
COMMON_SKELETONS: frozenset[str] = frozenset({"mhmd", "hmd", "l", "hsn", "bdl", "mr", "gl"})
