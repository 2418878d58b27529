"""Letters: folding, script detection, romanisations, phonetic forms and consonant skeletons.

Everything here works on one word (a token) at a time and is cached, because the same words
come back in millions of names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from comity.records.matching import tables

LATIN, CYRILLIC, ARABIC, OTHER = "latin", "cyrillic", "arabic", "other"

_CYRILLIC_TABLES = tuple(
    (name, tables.cyrillic_table(ambiguous)) for name, ambiguous in tables.CYRILLIC_SYSTEMS
)
_ARABIC_ROMAN = {ord(k): v[0] for k, v in tables.ARABIC_LETTERS.items()}


def fold(text: str) -> str:
    """Unicode NFKC, Arabic/Persian letter folding, no joiners/harakat/tatweel, lower case."""
    return unicodedata.normalize("NFKC", text).translate(tables.FOLD).casefold()


def script_of(token: str) -> str:
    for char in token:
        code = ord(char)
        if 0x0400 <= code <= 0x052F:
            return CYRILLIC
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFC:
            return ARABIC
        if char.isalpha():
            return LATIN if code < 0x0250 or 0x1E00 <= code <= 0x1EFF else OTHER
    return LATIN


def _latin_ascii(token: str) -> str:
    token = token.translate(tables.LATIN_SPECIAL)
    decomposed = unicodedata.normalize("NFD", token)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not plain.isascii():
        plain = anyascii(plain).lower()
    return "".join(c for c in plain if c.isalnum())


def _x_variants(word: str, uzbek: bool) -> tuple[str, ...]:
    """Latin x is "kh" in Uzbek Latin and "ks" elsewhere: both, the likelier first."""
    if "x" not in word:
        return (word,)
    kh, ks = word.replace("x", "kh"), word.replace("x", "ks")
    return (kh, ks) if uzbek or word.startswith("x") else (ks, kh)


@lru_cache(maxsize=262_144)
def romanisations(token: str) -> tuple[str, ...]:
    """Lower-case ASCII romanisations of one folded token, the primary one first.

    Cyrillic gets one spelling per customary system (BGN/PCGN, ICAO Doc 9303, regional,
    Central European); Latin with x gets kh and ks; Perso-Arabic gets its consonantal
    spelling (short vowels are not written, so none is invented).
    """
    script = script_of(token)
    if script == CYRILLIC:
        seen: dict[str, None] = {}
        for _name, table in _CYRILLIC_TABLES:
            word = anyascii(token.translate(table)).lower()
            seen.setdefault("".join(c for c in word if c.isalnum()), None)
        return tuple(seen)
    if script == ARABIC:
        word = anyascii(token.translate(_ARABIC_ROMAN)).lower()
        return ("".join(c for c in word if c.isalnum()),)
    uzbek = "‘" in token or "ʻ" in token or "'" in token
    variants = _x_variants(_latin_ascii(token), uzbek)
    if uzbek and _UZBEK_O.search(token):
        # Uzbek oʻ is Cyrillic ў, which Russian writes у: Joʻrayev = Жўраев = Juraev.
        seen = dict.fromkeys(variants)
        seen.update(dict.fromkeys(_x_variants(_latin_ascii(_UZBEK_O.sub("u", token)), True)))
        variants = tuple(seen)
    return variants


_UZBEK_O = re.compile("o[ʻ‘'’`]")


# --- Phonetic (canonical) form ---------------------------------------------------------------

_DIGRAPHS = {
    "shch": "sh",
    "tsch": "ch",
    "dzh": "j",
    "sch": "sh",
    "tch": "ch",
    "zh": "j",
    "dj": "j",
    "kh": "h",
    "gh": "g",
    "ph": "f",
    "ck": "k",
    "ts": "c",
    "tz": "c",
    "q": "k",
    "w": "v",
    "iu": "yu",
    "ia": "ya",
    "ou": "u",
    "oo": "u",
}
_DIGRAPH_RE = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))
_Y_BETWEEN_VOWELS = re.compile(r"(?<=[aeiou])y(?=[aeiou])")
_FINAL_Y = re.compile(r"(?:iy|ii|yi|ij|ey|ei|y)$")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


@lru_cache(maxsize=262_144)
def canonical(word: str) -> str:
    """A romanisation brought to one spelling of its sounds: kh=h, zh=j, ts=c, q=k, w=v,
    iu=yu, ou=oo=u, y between vowels dropped, initial ye=e, final -iy/-ii/-y = -i, doubles
    single, final h after a vowel dropped. Equal canonical forms sound alike."""
    out = _DIGRAPH_RE.sub(lambda m: _DIGRAPHS[m.group(0)], word)
    out = _Y_BETWEEN_VOWELS.sub("", out)
    if out.startswith("ye") and len(out) > 3:
        out = out[1:]
    out = _FINAL_H.sub("", out)
    if len(out) > 3:
        ending = _FINAL_Y.search(out)
        if ending is not None:
            keep = "e" if ending.group(0) in ("ey", "ei") else ""
            out = out[: ending.start()] + keep + "i"
    out = _DOUBLE.sub(r"\1", out)
    for zoda in tables.ZODA_FORMS:
        if out.endswith(zoda) and len(out) > len(zoda) + 2:
            return out[: -len(zoda)] + "zoda"
    return out


# --- Consonant skeletons ---------------------------------------------------------------------

_SKEL_DIGRAPHS = {
    "shch": "x",
    "sch": "x",
    "sh": "x",
    "tsch": "c",
    "tch": "c",
    "ch": "c",
    "dzh": "j",
    "zh": "j",
    "dj": "j",
    "kh": "h",
    "gh": "g",
    "ph": "f",
    "th": "t",
    "dh": "z",
    "ck": "k",
    "q": "k",
    "c": "k",
    "w": "v",
    "x": "ks",
}
_SKEL_RE = re.compile("|".join(sorted(_SKEL_DIGRAPHS, key=len, reverse=True)))
_VOWELS = str.maketrans("", "", "aeiouy")
_ARABIC_SKEL = {ord(k): v[1] for k, v in tables.ARABIC_LETTERS.items()}


@lru_cache(maxsize=262_144)
def latin_skeleton(word: str) -> str:
    """Consonant classes of a romanisation: sh=x, ch=c, zh=j=dj, kh=h, gh=g, q=k, w=v;
    vowels and y dropped, v kept only word-initially, final h dropped, doubles single."""
    if word.endswith("h") and len(word) > 2 and word[-2] in "aeiou":
        word = word[:-1]
    classes = _SKEL_RE.sub(lambda m: _SKEL_DIGRAPHS[m.group(0)], word)
    initial_v = classes.startswith("v")
    body = classes.translate(_VOWELS).replace("v", "")
    if initial_v:
        body = "v" + body
    return _DOUBLE.sub(r"\1", body)


@lru_cache(maxsize=262_144)
def arabic_skeleton(token: str) -> str:
    """Consonant classes of a Perso-Arabic word (same classes as latin_skeleton): waw is v
    only word-initially, yeh and alef and ain carry none, final heh is silent, the article
    al- is dropped (also after Abd: عبدالله = abd + allah)."""
    if token.startswith("عبدال") and len(token) > 5:
        token = "عبد" + token[5:]
    elif token.startswith("ال") and len(token) > 3:
        token = token[2:]
    if token.endswith("ه") and len(token) > 2:
        token = token[:-1]
    elif token.endswith("وف") and len(token) > 4:
        token = token[:-1]  # Russian -ov written in Perso-Arabic letters: کریموف = Karimov
    initial_v = token.startswith("و")
    body = token.translate(_ARABIC_SKEL)
    body = "".join(c for c in body if c.isascii() and c.isalpha())
    if initial_v:
        body = "v" + body
    return _DOUBLE.sub(r"\1", body)


def skeleton(token: str, primary: str) -> str:
    """The skeleton of a folded token whose primary romanisation is ``primary``."""
    if script_of(token) == ARABIC:
        return arabic_skeleton(token)
    return latin_skeleton(primary)


_ASPIRATE = re.compile(r"(?<=[bptdc])h")
_COARSE = str.maketrans("gz", "ks", "j")


@lru_cache(maxsize=65_536)
def coarse(skeleton: str) -> str:
    """A skeleton made coarser, for blocking keys and as weak evidence: spellings the
    skeleton keeps apart meet here. kh = h (Urdu کھ: Khosa = کھوسہ), an h after b p t d ch
    is an aspirate (Urdu بھ: Bhatt = بٹ), g = k (Persian ق written gh: Sadeghi = صادقی),
    z = s (German press s for з), dz = z (Pashto ځ: Dzalmai = ځلمی), j carries no class
    (German and Central European j for й, English j for ж and дж), doubles single."""
    out = _ASPIRATE.sub("", skeleton.replace("kh", "h").replace("dz", "z")).translate(_COARSE)
    return _DOUBLE.sub(r"\1", out)


# --- Abd- compounds --------------------------------------------------------------------------

_ABD_RE = re.compile(r"^abd[aeiou]?(?:l(?=[^aeiou])|l(?=l))?")


def abd_compound(word: str) -> str:
    """Abdurrahman, Abdul Rahman, Abd al-Rahman, Abdel-Rahman, Abdirahman -> abdrahman."""
    if not word.startswith("abd") or len(word) < 6:
        return word
    rest = _ABD_RE.sub("", word)
    if rest.startswith("al") and len(rest) > 4:
        rest = rest[1:]
    if len(rest) > 1 and rest[0] == rest[1]:
        rest = rest[1:]
    if rest.startswith("l") and len(rest) > 3 and rest[1] not in "aeiou":
        rest = rest[1:]
    return "abd" + rest


def normalise(name: str) -> str:
    """The folded, lower-case, single-spaced form of a name (any script): a display and
    search form, not a transliteration."""
    return " ".join(fold(name).split())


def cache_clear() -> None:
    for cached in (romanisations, canonical, latin_skeleton, arabic_skeleton, coarse):
        cached.cache_clear()
