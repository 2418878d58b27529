"""Name structure: a full name as a tuple of analysed parts with roles.

A name is split into words; titles and particles are set aside; Abd- compounds and
Central Asian patronymic words ("uly", "kyzy") are joined; each remaining word becomes a
``Part`` with its phonetic forms, its consonant skeleton, its stem and its role (given name,
surname, patronymic). Names are analysed once (lru_cache).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from comity.records.matching import tables, text

GIVEN, SURNAME, PATRONYMIC = "given", "surname", "patronymic"

_SPLIT = re.compile(r"[\s\-‐‑‒–—―_.,;:/\\()\[\]{}\"«»„“”+*&|!?#@]+")
# Digits typed for look-alike letters inside a word ("Ig0r Sech1n").
_LOOKALIKE = str.maketrans("013456789", "oieasgtbg")
_APOSTROPHES = "‘ʻ'’`´ʼ"
_MRZ = re.compile(r"^[A-Z0-9<]+$")
# "s/o X", "son of X", "d/o X", "daughter of X": the father's name follows (South Asian use).
# It may have two words (ولد نور محمد, s/o Gul Ahmad), up to the next particle.
_FATHER_WORDS = 2
_SON_OF = re.compile(r"\b(?:[sd]\s*/\s*o|son\s+of|daughter\s+of)\b", re.IGNORECASE)
_MRZ_HEADER = re.compile(r"^[A-Z][A-Z<][A-Z<]{3}")

_COMMON = frozenset(text.abd_compound(text.canonical(n)) for n in tables.COMMON_NAMES)
_MUHAMMAD = frozenset(text.canonical(n) for n in tables.MUHAMMAD_FORMS)
_PATRONYMIC_WORDS = (
    frozenset(text.canonical(text.romanisations(w)[0]) for w in tables.PATRONYMIC_WORDS)
    | tables.PATRONYMIC_WORDS
)


@dataclass(frozen=True, slots=True)
class Part:
    """One analysed word of a name."""

    display: str  # as written (case kept), for explanations
    key: str  # folded word: identity for caches
    script: str
    forms: tuple[str, ...]  # canonical phonetic forms, primary first
    skeleton: str
    stem: str  # canonical primary form without a name-forming suffix ("" if none)
    weight: float  # 1 normal, 0.5 very common given name or initial
    initial: bool = False
    patronymic: bool = False


@dataclass(frozen=True, slots=True)
class Name:
    """An analysed full name."""

    raw: str
    parts: tuple[Part, ...]
    roles: tuple[str, ...]  # one per part

    def role_of(self, index: int) -> str:
        return self.roles[index]


def _stem(form: str) -> str:
    for suffix in tables.SURNAME_SUFFIXES:
        if form.endswith(suffix) and len(form) - len(suffix) >= 4:
            return form[: -len(suffix)]
    return ""


def _patronymic_stem(form: str) -> str:
    for suffix in (*tables.PATRONYMIC_SUFFIXES, tables.CYRILLIC_PATRONYMIC_SUFFIX):
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            return form[: -len(suffix)]
    return ""


@lru_cache(maxsize=262_144)
def _word(key: str, display: str, patronymic: bool) -> Part:
    """Analyse one folded word. ``patronymic``: the word is a patronymic (stem compared)."""
    script = text.script_of(key)
    romans = text.romanisations(key)
    primary = romans[0] if romans else key
    forms: dict[str, None] = {}
    for roman in romans[:4]:
        forms.setdefault(text.abd_compound(text.canonical(roman)), None)
    canon = next(iter(forms), "")
    if script == text.ARABIC:
        skeleton = text.arabic_skeleton(key)
    elif canon.startswith("abd"):
        skeleton = text.latin_skeleton(canon)
    else:
        skeleton = text.latin_skeleton(primary)
    weight = 1.0
    if canon in _MUHAMMAD or (script == text.ARABIC and skeleton == "mhmd"):
        forms, skeleton = {tables.MUHAMMAD: None}, "mhmd"
        canon = tables.MUHAMMAD
    if canon in _COMMON or (script == text.ARABIC and skeleton in tables.COMMON_SKELETONS):
        weight = 0.5
    if patronymic:
        stems = {_patronymic_stem(f) or f: None for f in forms}
        forms = stems
        canon = next(iter(stems))
        skeleton = text.latin_skeleton(canon) if script != text.ARABIC else skeleton
        weight = 0.7
    initial = len(canon) == 1 and script != text.ARABIC
    if initial:
        weight = 0.5
    return Part(
        display=display,
        key=key + ("\x00p" if patronymic else ""),
        script=script,
        forms=tuple(forms),
        skeleton=skeleton,
        stem="" if patronymic else _stem(canon),
        weight=weight,
        initial=initial,
        patronymic=patronymic,
    )


@lru_cache(maxsize=262_144)
def _kind(key: str) -> tuple[bool, bool, bool, bool]:
    """(title, particle, patronymic marker word, ends in a patronymic suffix) of a word."""
    canon = text.canonical(text.romanisations(key)[0]) if key else ""
    if text.script_of(key) == text.ARABIC:
        # Perso-Arabic words are listed as written: ولی (Wali) is not the Turkic "uli".
        return (key in tables.TITLES, key in tables.PARTICLES, key in _PATRONYMIC_WORDS, False)
    suffixed = any(
        canon.endswith(s) and len(canon) - len(s) >= 3 for s in tables.PATRONYMIC_SUFFIXES
    ) or (
        text.script_of(key) == text.CYRILLIC
        and canon.endswith(tables.CYRILLIC_PATRONYMIC_SUFFIX)
        and len(canon) >= 6
    )
    return (
        key in tables.TITLES or canon in tables.TITLES,
        key in tables.PARTICLES or canon in tables.PARTICLES,
        key in _PATRONYMIC_WORDS or canon in _PATRONYMIC_WORDS,
        suffixed,
    )


@lru_cache(maxsize=262_144)
def _clean(display: str) -> str:
    """The folded form of one written word; "" when it holds no letter."""
    key = text.fold(display)
    key = "".join(c for c in key if c.isalnum() or c in _APOSTROPHES).strip(_APOSTROPHES)
    if any(c.isdigit() for c in key):
        if not any(c.isalpha() for c in key):
            return ""
        key = key.translate(_LOOKALIKE)
    return key


def _mrz(name: str) -> tuple[str, bool]:
    """ICAO Doc 9303 name field: SURNAME<<GIVEN<NAMES, optionally with the P<UTO header."""
    stripped = name.strip()
    if "<" not in stripped or not _MRZ.match(stripped):
        return name, False
    if _MRZ_HEADER.match(stripped) and stripped[1] == "<" and "<<" in stripped[5:]:
        stripped = stripped[5:]
    surname, _, given = stripped.partition("<<")
    return f"{surname.replace('<', ' ')}, {given.replace('<', ' ')}".strip(" ,"), True


def _words(name: str) -> tuple[list[tuple[str, str]], bool]:
    """(folded word, display word) pairs and whether the surname is written first."""
    name, surname_first = _mrz(name)
    if "/" in name or " of " in name.casefold():
        name = _SON_OF.sub(" bin ", name)
    if "," in name:
        surname_first = True
    words: list[tuple[str, str]] = []
    for display in _SPLIT.split(name):
        key = _clean(display)
        if key:
            words.append((key, display))
    return words, surname_first


def _join_compounds(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Abd + (al) + word -> one word; عبد + word -> one word; word + ul/ur/ud + word -> one
    word (Fazl-ur-Rahman, Zia ul Haq, Nizam-ud-Din, as فضل‌الرحمن is one word)."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(words):
        key, display = words[index]
        if (
            out
            and key in tables.LINKING_WORDS
            and index + 1 < len(words)
            and words[index + 1][0] not in tables.PARTICLES
        ):
            last_key, last_display = out.pop()
            nxt_key, nxt_display = words[index + 1]
            out.append((last_key + key + nxt_key, f"{last_display}-{display}-{nxt_display}"))
            index += 2
            continue
        if (key in tables.ABD_WORDS or key in tables.ABD_WORDS_ARABIC) and index + 1 < len(words):
            nxt = index + 1
            if words[nxt][0] in ("al", "el", "ul", "ال") and nxt + 1 < len(words):
                key, display = key + words[nxt][0], display + " " + words[nxt][1]
                nxt += 1
            key, display = key + words[nxt][0], display + " " + words[nxt][1]
            index = nxt
        out.append((key, display))
        index += 1
    return out


def _roles(parts: list[Part], surname_first: bool, upper: list[bool]) -> tuple[str, ...]:
    roles = [PATRONYMIC if p.patronymic else GIVEN for p in parts]
    names = [i for i, p in enumerate(parts) if not p.patronymic and not p.initial]
    if len(names) < 2:
        return tuple(roles)
    surname = next((i for i in names if upper[i] and not all(upper[j] for j in names)), None)
    if surname is None:
        surname = next((i for i in names if parts[i].stem), None)
    if surname is None:
        patronymic_last = bool(parts) and parts[-1].patronymic
        surname = names[0] if surname_first or patronymic_last else names[-1]
    roles[surname] = SURNAME
    return tuple(roles)


@lru_cache(maxsize=131_072)
def analyse(name: str) -> Name:
    """The parts and roles of a full name in any script and order."""
    words, surname_first = _words(name)
    words = _join_compounds(words)
    significant: list[tuple[str, str]] = []
    father_next = 0  # words of the father's name still to come (Gul Ahmad, Noor Mohammad)
    for position, (key, display) in enumerate(words):
        is_title, is_particle, is_marker, _suffixed = _kind(key)
        if is_title:
            continue
        if is_particle and not (position == 0 and key in tables.FIRST_CAN_BE_NAME):
            father_next = _FATHER_WORDS if key in tables.FATHER_PARTICLES and significant else 0
            continue
        if is_marker and significant:
            prev_key, prev_display = significant.pop()
            significant.append((prev_key + "\x00uly", prev_display + " " + display))
            continue
        significant.append((key + "\x00uly" if father_next else key, display))
        father_next = max(0, father_next - 1)
    parts: list[Part] = []
    upper: list[bool] = []
    seen: set[str] = set()
    count = len(significant)
    for position, (key, display) in enumerate(significant):
        marked = key.endswith("\x00uly")
        word = key.removesuffix("\x00uly")
        patronymic = marked or (count >= 3 and position > 0 and _kind(word)[3])
        if word in seen:
            continue
        seen.add(word)
        part = _word(word, display, patronymic)
        if not part.forms or not part.forms[0]:
            continue
        parts.append(part)
        upper.append(display.isupper() and len(display) > 1)
    return Name(raw=name, parts=tuple(parts), roles=_roles(parts, surname_first, upper))


def word_cache_clear() -> None:
    for cached in (_word, _kind, _clean):
        cached.cache_clear()
