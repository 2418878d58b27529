"""Spelling rules the generator uses to write one name in another script or romanisation.

These are the rules clerks, passport offices and the press apply, written down plainly; the
customary spellings that no rule gives (Islom/Ислам, Rahmon/Рахмонов) are in names/*.csv.
They serve the benchmark only: the engine under test has its own rules and must not import
these.
"""

from __future__ import annotations

import unicodedata

# Russian Cyrillic -> Latin, ICAO Doc 9303 (2013): what Russian passports print.
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# Russian Cyrillic -> Latin, BGN/PCGN as the English-language press writes it (no diacritics).
_BGN = {
    **_ICAO, "ё": "yo", "й": "y", "ъ": "", "ю": "yu", "я": "ya",
}  # fmt: skip

# Russian Cyrillic -> Latin as the German-language press writes it (Duden).
_GERMAN = {
    **_ICAO, "в": "w", "ё": "jo", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ю": "ju", "я": "ja",
}  # fmt: skip

_RU_VOWELS = set("аеёиоуыэюя")

# Letters of the national Cyrillic alphabets -> the Russian letters Russian clerks write.
_KK_TO_RU = str.maketrans({
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И",
})  # fmt: skip
_KY_TO_RU = str.maketrans({"ө": "о", "ү": "у", "ң": "н", "Ө": "О", "Ү": "У", "Ң": "Н"})
_TG_TO_RU = str.maketrans({
    "ҳ": "х", "қ": "к", "ғ": "г", "ӣ": "и", "ӯ": "у", "ҷ": "дж",
    "Ҳ": "Х", "Қ": "К", "Ғ": "Г", "Ӣ": "И", "Ӯ": "У", "Ҷ": "Дж",
})  # fmt: skip

# Uzbek Latin letters (lower case, apostrophes folded to ') -> Uzbek Cyrillic.
_UZ_DIGRAPHS = {"o'": "ў", "g'": "ғ", "sh": "ш", "ch": "ч", "yo": "ё", "yu": "ю", "ya": "я"}
_UZ_LETTERS = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з", "'": "ъ",
}  # fmt: skip
_UZ_APOSTROPHES = str.maketrans({"ʻ": "'", "‘": "'", "’": "'", "ʼ": "'", "`": "'"})
_UZCYR_TO_RU = str.maketrans({"ў": "у", "ғ": "г", "қ": "к", "ҳ": "х", "ъ": ""})

# Turkmen Latin (lower case) -> Russian Cyrillic.
_TK_DIGRAPHS = {"ýa": "я", "ýu": "ю", "ýe": "е", "ýo": "ё"}
_TK_LETTERS = {
    "a": "а", "b": "б", "ç": "ч", "d": "д", "e": "е", "ä": "а", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "дж", "ž": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "ň": "н", "o": "о",
    "ö": "о", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ü": "у", "w": "в",
    "y": "ы", "ý": "й", "z": "з",
}  # fmt: skip

# Perso-Arabic: Pashto letters as a Persian (Iranian) writer spells them.
_PS_TO_FA = str.maketrans({
    "ګ": "گ", "ړ": "ر", "ټ": "ت", "ډ": "د", "ښ": "ش", "ځ": "ز", "څ": "چ", "ږ": "ژ",
    "ۍ": "ی", "ې": "ی", "ڼ": "ن",
})  # fmt: skip
# Urdu letters as a Persian writer spells them.
_UR_TO_FA = str.maketrans({
    "ہ": "ه", "ۃ": "ه", "ھ": "ه", "ے": "ی", "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن",
    "\u0670": None, "ئ": "ی",
})  # fmt: skip

# Letters a Latin fold leaves that are not plain ASCII.
_FOLD_EXTRA = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})


def _capitalise(text: str) -> str:
    out: list[str] = []
    start = True
    for char in text:
        out.append(char.upper() if start else char)
        start = char in " -"
    return "".join(out)


def _cyrillic_to_latin(text: str, table: dict[str, str], *, german: bool = False) -> str:
    lower = text.lower()
    out: list[str] = []
    for index, char in enumerate(lower):
        previous = lower[index - 1] if index else " "
        following = lower[index + 1] if index + 1 < len(lower) else " "
        word_start = previous in " -"
        if (
            char == "е"
            and table is not _ICAO
            and (word_start or previous in _RU_VOWELS | {"ь", "ъ"})
        ):
            out.append("je" if german else "ye")
        elif german and char == "с" and previous in _RU_VOWELS and following in _RU_VOWELS:
            out.append("ss")
        else:
            out.append(table.get(char, char))
    return _capitalise("".join(out))


def ru_icao(text: str) -> str:
    """Russian Cyrillic in Latin letters as a Russian passport prints it."""
    return _cyrillic_to_latin(text, _ICAO)


def ru_bgn(text: str) -> str:
    """Russian Cyrillic in Latin letters as the English-language press writes it."""
    return _cyrillic_to_latin(text, _BGN)


def ru_german(text: str) -> str:
    """Russian Cyrillic in Latin letters as the German-language press writes it."""
    return _cyrillic_to_latin(text, _GERMAN, german=True)


def kk_to_ru(text: str) -> str:
    return text.translate(_KK_TO_RU)


def ky_to_ru(text: str) -> str:
    return text.translate(_KY_TO_RU)


def tg_to_ru(text: str) -> str:
    return text.translate(_TG_TO_RU)


def _by_table(text: str, digraphs: dict[str, str], letters: dict[str, str]) -> str:
    lower = text.lower()
    out: list[str] = []
    index = 0
    while index < len(lower):
        pair = lower[index : index + 2]
        if pair in digraphs:
            out.append(digraphs[pair])
            index += 2
            continue
        char = lower[index]
        if char == "e" and (index == 0 or lower[index - 1] in " -"):
            out.append("э")
        else:
            out.append(letters.get(char, char))
        index += 1
    return _capitalise("".join(out))


def uz_cyrillic(text: str) -> str:
    """Uzbek Latin in the Uzbek Cyrillic alphabet (still used by many Uzbek records)."""
    return _by_table(text.translate(_UZ_APOSTROPHES), _UZ_DIGRAPHS, _UZ_LETTERS)


def uz_to_ru(text: str) -> str:
    """Uzbek Latin as a Russian clerk writes it letter for letter (j > дж, oʻ > у)."""
    cyrillic = uz_cyrillic(text).translate(_UZCYR_TO_RU)
    return cyrillic.replace("ж", "дж").replace("Ж", "Дж")


def tk_to_ru(text: str) -> str:
    """Turkmen Latin as a Russian clerk writes it letter for letter."""
    russian = _by_table(text, _TK_DIGRAPHS, _TK_LETTERS)
    words = [w[:-1] + "в" if w.endswith(("ов", "ев")) else w for w in russian.split(" ")]
    return " ".join(words)


def ps_to_fa(text: str) -> str:
    return text.translate(_PS_TO_FA)


def ur_to_fa(text: str) -> str:
    return text.translate(_UR_TO_FA)


def arabic_keyboard(text: str, *, final_forms: bool = False) -> str:
    """Persian typed on an Arabic keyboard: ي for ی, ك for ک; with ``final_forms`` also ى
    for a final ی and ة for a final ه, as Arabic spelling does."""
    if final_forms:
        words = []
        for word in text.split(" "):
            if word.endswith("ی"):
                words.append(word[:-1] + "ى")
            elif word.endswith("ه") and len(word) > 2:
                words.append(word[:-1] + "ة")
            else:
                words.append(word)
        text = " ".join(words)
    return text.replace("ی", "ي").replace("ک", "ك")


def ascii_fold(text: str) -> str:
    """Latin text without diacritics or apostrophes (what a passport's MRZ keeps)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in kept if c.isascii() and (c.isalnum() or c in " -"))


def mrz(surname: str, given: str) -> str:
    """The name field of a machine-readable zone: SURNAME<<GIVEN<NAMES (44 characters at most
    in a TD3 passport, of which 39 for the name)."""

    def part(text: str) -> str:
        words = ascii_fold(text).upper().replace("-", " ").split()
        return "<".join(words)

    field = f"{part(surname)}<<{part(given)}" if surname else part(given)
    return field[:39]
