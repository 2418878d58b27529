"""Blocking keys: short ASCII strings stored per name and looked up per query.

Prefixes (the register may weight by them; docs/MATCHING-ENGINE.md):

- ``p:`` pair key: the key codes of two name parts, sorted (order-free). The main key: it
  survives romanisation, script and word order, and two parts together are selective.
- ``k:`` key code of one uncommon name part (three consonants or more): the fallback when
  only one part is shared or spelled alike.
- ``t:`` phonetic form of one uncommon name part (Latin and Cyrillic only: Perso-Arabic
  spelling has no short vowels): the fallback for names whose skeletons are too short.

A key code is a part's consonant skeleton made coarser (``text.coarse()``), so that spellings
the skeleton keeps apart still meet: k = g (Persian ق is written gh: Sadeghi = صادقی),
s = z (German press s for з: Sacharow = Захаров), an h after b, p, t, d, j, ch is an
aspirate (Urdu بھ تھ: Bhatt = بٹ), kh = h (Urdu کھ: Khosa = کھوسہ). Scoring still uses the
finer skeleton. A part may have several codes: Latin x read as kh and as ks; a compound
written as one word (محمدمهدی, Gulahmad, Mohammadyusuf) also gives its two halves.

Very common given names (Muhammad, Ali, ...) give no single-part key, only pair keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations, pairwise

from comity.records.matching import names, tables, text

_MAX_PARTS = 6
_MAX_LENGTH = 32
# Compound given names written as one word: a first half from this list and a second of
# three letters or more (Muhammad Mahdi = محمدمهدی, Gul Ahmad = Gulahmad).
_GERMAN_CH = re.compile(r"(?<![ts])ch")
_PREFIXES_ARABIC = ("محمد", "گل")
_PREFIXES_LATIN = tuple(sorted({*tables.MUHAMMAD_FORMS, "gul"} - {"md", "mohd"}, key=len))


def _codes(part: names.Part, query: bool) -> tuple[str, ...]:
    """The key codes of one part: its coarse skeleton; for a Latin x the other reading (kh,
    ks); a Latin dh also as d; an Arabic-script ال also as letters; for a query, a Latin ch
    also read as the German kh (Sacharow = Захаров)."""
    if not part.skeleton:
        return ("_" + part.forms[0][:8],)
    codes = {text.coarse(part.skeleton): None}
    if part.script == text.ARABIC and part.key.startswith("ال") and len(part.key) > 3:
        # ال is the article in عبدالله but the first letters of الهام (Elham), الیاس (Ilyas).
        codes.setdefault(text.coarse("l" + part.skeleton), None)
    if part.script == text.LATIN and not part.patronymic:
        if "dh" in part.key:  # South Asian aspirate d (Chaudhry = چوہدری), not Arabic ذ
            codes.setdefault(text.coarse(text.latin_skeleton(part.key.replace("dh", "d"))), None)
        if "x" in part.key:
            for roman in text.romanisations(part.key)[:2]:
                codes.setdefault(text.coarse(text.latin_skeleton(roman)), None)
        if query and "ch" in part.key:
            german = _GERMAN_CH.sub("kh", part.key)
            if german != part.key:
                codes.setdefault(text.coarse(text.latin_skeleton(german)), None)
    return tuple(codes)


def _halves(part: names.Part) -> tuple[str, str] | None:
    """The key codes of the two halves of a compound written as one word, if it is one."""
    if part.patronymic or part.initial:
        return None
    word = part.key
    prefixes = _PREFIXES_ARABIC if part.script == text.ARABIC else _PREFIXES_LATIN
    for prefix in prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            if part.script == text.ARABIC:
                first, second = text.arabic_skeleton(prefix), text.arabic_skeleton(rest)
            else:
                first = "mhmd" if prefix != "gul" else "gl"
                second = text.latin_skeleton(text.romanisations(rest)[0])
            if len(second) >= 2:
                return text.coarse(first), text.coarse(second)
    return None


def _slots(
    parts: list[names.Part], query: bool
) -> tuple[list[tuple[int, tuple[str, ...]]], set[str]]:
    """One slot per part (its alternative codes); a compound adds its halves as a group of
    two more slots, paired with the other parts but not with the compound itself. Also the
    keys of the halves themselves."""
    slots: list[tuple[int, tuple[str, ...]]] = []
    keys: set[str] = set()
    for group, part in enumerate(parts):
        slots.append((group, _codes(part, query)))
        halves = _halves(part)
        if halves is not None:
            first, second = halves
            slots.append((-1 - group, (first,)))
            slots.append((-1 - group, (second,)))
            keys.add(f"p:{min(first, second)}.{max(first, second)}"[:_MAX_LENGTH])
            if len(second) >= 3:
                keys.add(f"k:{second}"[:_MAX_LENGTH])
    return slots, keys


def _pair_keys(slots: list[tuple[int, tuple[str, ...]]]) -> set[str]:
    keys: set[str] = set()
    for (g1, codes1), (g2, codes2) in combinations(slots, 2):
        if g1 == g2 or g1 == -1 - g2 or g2 == -1 - g1:
            continue
        for first in codes1:
            for second in codes2:
                if first != second:
                    low, high = sorted((first, second))
                    keys.add(f"p:{low}.{high}"[:_MAX_LENGTH])
    return keys


def _single_keys(parts: list[names.Part], query: bool) -> set[str]:
    keys: set[str] = set()
    for part in parts:
        if part.weight < 1.0 and not part.patronymic:
            continue
        for code in _codes(part, query):
            if len(code) >= 3 and not code.startswith("_"):
                keys.add(f"k:{code}"[:_MAX_LENGTH])
        if part.script != text.ARABIC:
            for form in part.forms[:3]:
                if len(form) >= 3:
                    keys.add(f"t:{form}"[:_MAX_LENGTH])
    return keys


@lru_cache(maxsize=65_536)
def _keys(name: str, query: bool = False) -> frozenset[str]:
    parts = [p for p in names.analyse(name).parts if not p.initial][:_MAX_PARTS]
    slots, keys = _slots(parts, query)
    keys |= _pair_keys(slots)
    keys |= _single_keys(parts, query)
    if not keys:
        codes = {code for _group, part_codes in slots for code in part_codes}
        if len(codes) == 1:
            keys.add(f"k:{codes.pop()}"[:_MAX_LENGTH])
    return frozenset(keys)


def index_keys(name: str) -> set[str]:
    """Blocking keys to store for one full name."""
    return set(_keys(name))


def query_keys(name: str) -> set[str]:
    """Blocking keys to look up for a query name: the stored kinds, plus the code of the
    query's neighbouring words written together (a name joined or split differently)."""
    keys = set(_keys(name, query=True))
    parts = [p for p in names.analyse(name).parts if not p.initial and p.script != text.ARABIC]
    if len(parts) >= 2:
        for left, right in pairwise(parts):
            joined = text.coarse(text.latin_skeleton(left.forms[0] + right.forms[0]))
            if len(joined) >= 4:
                keys.add(f"k:{joined}"[:_MAX_LENGTH])
    return keys


@lru_cache(maxsize=16_384)
def name_codes(name: str) -> frozenset[str]:
    """The key codes of every part of a name, short ones too (سیما: sm), and of the halves
    of a compound: what the codes of stored keys are compared with when a search also reads
    the persons born on the asked day (``codes_of_keys``)."""
    parts = [p for p in names.analyse(name).parts if not p.initial][:_MAX_PARTS]
    slots, _halves_keys = _slots(parts, query=True)
    return frozenset(code for _group, codes in slots for code in codes if not code.startswith("_"))


def codes_of_keys(stored: Iterable[str]) -> set[str]:
    """The key codes in stored keys: both codes of a pair key, the code of a one-part key."""
    codes: set[str] = set()
    for key in stored:
        if key.startswith("p:"):
            codes.update(key[2:].split("."))
        elif key.startswith("k:"):
            codes.add(key[2:])
    return codes


@lru_cache(maxsize=16_384)
def _redundant(name: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    found = []
    for part in names.analyse(name).parts[:_MAX_PARTS]:
        if part.initial or part.script == text.ARABIC:
            continue
        if part.weight < 1.0 and not part.patronymic:
            continue
        codes = frozenset(
            f"k:{code}"[:_MAX_LENGTH]
            for code in _codes(part, True)
            if len(code) >= 3 and not code.startswith("_")
        )
        forms = frozenset(f"t:{form}"[:_MAX_LENGTH] for form in part.forms[:3] if len(form) >= 3)
        if codes and forms:
            found.append((codes, forms))
    return tuple(found)


def redundant_keys(name: str, looked_up: set[str]) -> set[str]:
    """The query's ``t:`` keys that ``looked_up`` makes redundant: a part's phonetic forms
    (``t:``) never match where none of its key codes (``k:``, coarser) does, so when every
    ``k:`` key of the part is looked up its ``t:`` keys only double the postings read."""
    redundant: set[str] = set()
    for codes, forms in _redundant(name):
        if codes <= looked_up:
            redundant |= forms
    return redundant


def cache_clear() -> None:
    _keys.cache_clear()
    name_codes.cache_clear()
    _redundant.cache_clear()
