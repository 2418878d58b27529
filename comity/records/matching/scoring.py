"""Scoring: name parts aligned in any order, then birth date, nationality, father's name."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from comity.records.matching import names, text
from comity.records.matching.reasons import (
    EXACT,
    FUZZY,
    INITIAL,
    JOINED,
    SKELETON,
    STEM,
    TRANSLIT,
    VARIANT,
    Reason,
    reason_text,
)

# compare() says "same person" from this score on. Chosen from what the score means (see
# docs/MATCHING-ENGINE.md): all parts paired with at most one part spelled differently or one
# middle name missing stay above it; one of two parts contradicting (0.5) stays well below.
THRESHOLD = 0.7

# Pairing two name parts
_MIN_PAIR = 0.45  # below this two parts are not the same name
_JOINED_MIN = 0.75  # one word against two written apart: from this similarity on
_CROSS_ROLE = 0.6  # a patronymic paired with a plain name part ("bin Salman" / "Salman")
# ... when the other name writes no patronymic at all: the father's name used as a surname
# (Afghan, Pakistani and Arab registers: "Hamed Younus" for "حامد ولد یونس"), not a
# contradiction of roles as in "Muhammad bin Salman" / "Salman bin Muhammad".
_FATHER_AS_SURNAME = 0.85
# Parts that do not pair, per unit of weight
_CONFLICT = 0.6  # factor: both names have parts left over, they contradict each other
_EXTRA = 0.35  # denominator: only one name has a part left over (a middle name on one side)
_PATRONYMIC_CONFLICT = 0.75  # factor when both names carry different patronymics
# A patronymic (or father's name) only one name writes is no evidence either way: passports,
# MRZ and most Latin documents leave it out. It costs this, per unit of weight, in place of
# _EXTRA, so the name written alike in full still comes first when nothing else differs.
_PATRONYMIC_EXTRA = 0.02
# Birth date, nationality and father's name: added to the name score
_BIRTH = {
    "birth_exact": 0.10,
    "birth_year_month": 0.06,
    "birth_year": 0.04,
    "birth_transposed": 0.02,
    "birth_year_near": -0.05,
    "birth_conflict": -0.30,
}
_NATIONALITY, _NATIONALITY_OTHER = 0.03, -0.03
_FATHER, _FATHER_CONFLICT = 0.04, -0.15


@dataclass(frozen=True, slots=True)
class PersonRecord:
    ref: str
    names: tuple[str, ...]
    birth_date: str | None = None
    nationalities: tuple[str, ...] = ()
    father_name: str | None = None


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    birth_date: str | None = None
    nationality: str | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    reasons: tuple[Reason, ...]
    # The evidence before it is clipped to 0..1: ranks candidates whose score is 1.0 (a
    # full name match with the birth date beats one without).
    strength: float | None = None

    @property
    def rank_value(self) -> float:
        return self.score if self.strength is None else self.strength

    def explanation(self) -> str:
        """The reasons in English, joined by "; "."""
        return "; ".join(reason_text(reason) for reason in self.reasons)


# --- Two name parts --------------------------------------------------------------------------

_PAIRS: dict[tuple[str, str], tuple[float, str]] = {}
_PAIRS_MAX = 400_000


_VOWEL_LETTERS = 0.06


def _fuzzy(similarity: float, slope: float = 1.6) -> float:
    """Edit similarity (0..1) of two phonetic forms -> evidence that they are one name."""
    return max(0.0, 1.0 - (1.0 - similarity) * slope)


def _best_form_similarity(a: names.Part, b: names.Part) -> float:
    best = 0.0
    for fa in a.forms:
        for fb in b.forms:
            best = max(best, Levenshtein.normalized_similarity(fa, fb))
    return best


def _initial(a: names.Part, b: names.Part) -> tuple[float, str]:
    if a.initial and b.initial:
        return (0.8, EXACT) if a.forms[0] == b.forms[0] else (0.0, INITIAL)
    full = b if a.initial else a
    short = a if a.initial else b
    if full.script == text.ARABIC:
        return 0.0, INITIAL
    return (0.75, INITIAL) if full.forms[0][:1] == short.forms[0] else (0.0, INITIAL)


def _skeleton(a: names.Part, b: names.Part) -> tuple[float, str]:
    return _skeletons(a.skeleton, b.skeleton), SKELETON


def _skeletons(sa: str, sb: str) -> float:
    """Evidence from two consonant skeletons (a Perso-Arabic spelling on one side at least)."""
    if not sa or not sb:
        return 0.0
    if sa == sb:
        return 0.92 if len(sa) >= 3 else 0.8
    coarse_a, coarse_b = text.coarse(sa), text.coarse(sb)
    if coarse_a == coarse_b and len(coarse_a) >= 2:
        return 0.85 if len(coarse_a) >= 3 else 0.75
    if min(len(sa), len(sb)) < 3:
        return 0.0
    similarity = max(
        Levenshtein.normalized_similarity(sa, sb),
        Levenshtein.normalized_similarity(coarse_a, coarse_b) - 0.05,
    )
    return 0.8 * similarity if similarity >= 0.7 else 0.0


def _compute_pair(a: names.Part, b: names.Part) -> tuple[float, str]:
    if a.initial or b.initial:
        return _initial(a, b)
    cross = a.script != b.script
    if not set(a.forms).isdisjoint(b.forms):
        return (1.0, TRANSLIT) if cross else (0.97, VARIANT)
    if text.ARABIC in (a.script, b.script):
        best = _skeleton(a, b)
        if a.script == b.script:
            fuzzy = _fuzzy(_best_form_similarity(a, b))
            best = max(best, (fuzzy, FUZZY))
        elif best[0] > 0:
            # A Perso-Arabic spelling writes its long vowels (ا و ی): how alike the letters
            # are, vowels included, moves the skeleton's evidence a little, so that Leila =
            # لیلا comes before Leila ≈ علی and Hossein = حسین before Hossein ≈ حسن.
            vowels = _VOWEL_LETTERS * (_best_form_similarity(a, b) - 0.5)
            best = (best[0] + vowels, best[1])
        return best
    best = (_fuzzy(_best_form_similarity(a, b)), FUZZY)
    if (a.stem or b.stem) and (a.stem or a.forms[0]) == (b.stem or b.forms[0]):
        best = max(best, (0.88, STEM))
    if a.skeleton == b.skeleton and len(a.skeleton) >= 3:
        best = max(best, (0.8, SKELETON))
    return best


def pair(a: names.Part, b: names.Part) -> tuple[float, str]:
    """How much two name parts look like one name (0..1) and by which method."""
    if a.key == b.key:
        return 1.0, EXACT
    cache_key = (a.key, b.key)
    found = _PAIRS.get(cache_key)
    if found is None:
        if len(_PAIRS) > _PAIRS_MAX:
            _PAIRS.clear()
        found = _compute_pair(a, b)
        if a.patronymic != b.patronymic:
            found = (found[0] * _CROSS_ROLE, found[1])
        _PAIRS[cache_key] = found
    return found


def clear_pairs() -> None:
    _PAIRS.clear()
    _JOINED.clear()


def clear_caches() -> None:
    """Forget every analysed word, name and pair (for cold-cache measurements)."""
    clear_pairs()
    names.analyse.cache_clear()
    names.word_cache_clear()
    text.cache_clear()


# --- Two names -------------------------------------------------------------------------------


def _role(query: names.Name, candidate: names.Name, i: int, j: int) -> str:
    if names.PATRONYMIC in (query.roles[i], candidate.roles[j]):
        return names.PATRONYMIC
    if len(candidate.parts) > 1:
        return candidate.roles[j]
    return query.roles[i]


def _joined(
    single: names.Part, left: names.Part, right: names.Part
) -> float:  # "Kassymjomart" / "Kassym Jomart"
    scripts = {single.script, left.script, right.script}
    if text.ARABIC in scripts and len(scripts) > 1:
        return _joined_skeleton(single, left, right)
    whole = single.forms[0]
    best = 0.0
    for first, second in ((left, right), (right, left)):
        joined = first.forms[0] + second.forms[0]
        best = max(best, Levenshtein.normalized_similarity(whole, joined))
    return _fuzzy(best)


def _joined_skeleton(single: names.Part, left: names.Part, right: names.Part) -> float:
    """One word against two, across scripts, by consonant skeleton: "Hamid Reza" / حمیدرضا,
    "Fazlur Rahman" / فضل‌الرحمن, "Shah Zaib" / شاہ زیب written apart or together."""
    best = 0.0
    for first, second in ((left, right), (right, left)):
        joined = first.skeleton + second.skeleton
        if joined:
            squeezed = joined[0] + "".join(b for a, b in pairwise(joined) if a != b)
            best = max(best, _skeletons(single.skeleton, squeezed))
        # The two words written as one: a final letter silent at the end of a word is not
        # inside one (شاہ زیب is x + zb, شاهزیب and Shahzaib are xhzb).
        if first.script == second.script:
            best = max(best, _skeletons(single.skeleton, _skeleton_of_join(first, second)))
    return best


def _skeleton_of_join(first: names.Part, second: names.Part) -> str:
    words = [part.key.split("\x00")[0] for part in (first, second)]
    if first.script == text.ARABIC:
        return text.arabic_skeleton("".join(words))
    return text.latin_skeleton("".join((text.romanisations(w) or (w,))[0] for w in words))


_JOINED: dict[tuple[str, str, str], float] = {}


def _joined_cached(single: names.Part, left: names.Part, right: names.Part) -> float:
    cache_key = (single.key, left.key, right.key)
    found = _JOINED.get(cache_key)
    if found is None:
        if len(_JOINED) > _PAIRS_MAX:
            _JOINED.clear()
        found = _JOINED[cache_key] = _joined(single, left, right)
    return found


@dataclass(slots=True)
class _Alignment:
    got: float = 0.0
    weight: float = 0.0
    reasons: list[Reason] | None = None


def _align_joined(
    query: names.Name,
    candidate: names.Name,
    *,
    free_q: list[int],
    free_c: list[int],
    result: _Alignment,
    reasons: list[Reason],
) -> None:
    """Pair one left-over part with two left-over parts of the other name written apart."""
    for side in (0, 1):
        singles, doubles = (free_q, free_c) if side == 0 else (free_c, free_q)
        single_parts = query.parts if side == 0 else candidate.parts
        double_parts = candidate.parts if side == 0 else query.parts
        for s in list(singles):
            if len(doubles) < 2:
                return
            for x in range(len(doubles) - 1):
                left, right = double_parts[doubles[x]], double_parts[doubles[x + 1]]
                similarity = _joined(single_parts[s], left, right)
                if similarity >= 0.75:
                    weight = (single_parts[s].weight + left.weight + right.weight) / 2
                    result.got += similarity * weight
                    result.weight += weight
                    shown = f"{left.display} {right.display}"
                    q, c = (
                        (single_parts[s].display, shown)
                        if side == 0
                        else (
                            shown,
                            single_parts[s].display,
                        )
                    )
                    role = candidate.roles[doubles[x]] if side == 0 else candidate.roles[s]
                    reasons.append(Reason(f"{role}_{JOINED}", {"query": q, "candidate": c}))
                    singles.remove(s)
                    del doubles[x : x + 2]
                    break


_Option = tuple[float, float, tuple[int, ...], tuple[int, ...], str]


def _joined_options(
    qp: tuple[names.Part, ...], cp: tuple[names.Part, ...], *, one_sided: bool
) -> list[_Option]:
    """One word of a name against two neighbouring words of the other, as alignment options
    that compete with the pairs: "Mohammad Ali" / محمدعلی must not pair Mohammad with
    محمدعلی by a similar skeleton and leave Ali over."""
    found: list[_Option] = []
    for singles, doubles, single_first in ((qp, cp, True), (cp, qp, False)):
        for s, single in enumerate(singles):
            if single.initial:
                continue
            for x, (left, right) in enumerate(pairwise(doubles)):
                if left.initial or right.initial or left.patronymic != right.patronymic:
                    continue
                similarity = _joined_cached(single, left, right)
                if single.patronymic != left.patronymic:
                    similarity *= _FATHER_AS_SURNAME if one_sided else _CROSS_ROLE
                if similarity < _JOINED_MIN:
                    continue
                weight = single.weight + left.weight + right.weight
                pair_of = (x, x + 1)
                if single_first:
                    found.append((similarity, weight, (s,), pair_of, JOINED))
                else:
                    found.append((similarity, weight, pair_of, (s,), JOINED))
    return found


def name_score(query: names.Name, candidate: names.Name) -> tuple[float, list[Reason]]:
    """Align the parts of two names (any order) and score the alignment (0..1)."""
    qp, cp = query.parts, candidate.parts
    if not qp or not cp:
        return 0.0, [Reason("name_none", {})]
    one_sided = any(p.patronymic for p in qp) != any(p.patronymic for p in cp)
    options: list[_Option] = []
    for i, a in enumerate(qp):
        for j, b in enumerate(cp):
            similarity, method = pair(a, b)
            if one_sided and a.patronymic != b.patronymic:
                similarity = similarity / _CROSS_ROLE * _FATHER_AS_SURNAME
            if similarity >= _MIN_PAIR:
                options.append((similarity, a.weight + b.weight, (i,), (j,), method))
    options += _joined_options(qp, cp, one_sided=one_sided)
    options.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    result = _Alignment()
    reasons: list[Reason] = []
    for similarity, _w, q_indexes, c_indexes, method in options:
        if not used_q.isdisjoint(q_indexes) or not used_c.isdisjoint(c_indexes):
            continue
        used_q.update(q_indexes)
        used_c.update(c_indexes)
        weight = (sum(qp[i].weight for i in q_indexes) + sum(cp[j].weight for j in c_indexes)) / 2
        result.got += similarity * weight
        result.weight += weight
        role = _role(query, candidate, q_indexes[0], c_indexes[0])
        params = {
            "query": " ".join(qp[i].display for i in q_indexes),
            "candidate": " ".join(cp[j].display for j in c_indexes),
        }
        reasons.append(Reason(f"{role}_{method}", params))
    free_q = [i for i in range(len(qp)) if i not in used_q]
    free_c = [j for j in range(len(cp)) if j not in used_c]
    if (free_q and len(free_c) >= 2) or (free_c and len(free_q) >= 2):
        _align_joined(
            query, candidate, free_q=free_q, free_c=free_c, result=result, reasons=reasons
        )
    if result.weight == 0:
        return 0.0, [Reason("name_none", {})]
    return _penalise(query, candidate, free_q=free_q, free_c=free_c, result=result, reasons=reasons)


def _only_patronymics(name: names.Name, free: list[int]) -> bool:
    return all(name.parts[i].patronymic for i in free)


def _penalise(
    query: names.Name,
    candidate: names.Name,
    *,
    free_q: list[int],
    free_c: list[int],
    result: _Alignment,
    reasons: list[Reason],
) -> tuple[float, list[Reason]]:
    left_q = sum(query.parts[i].weight for i in free_q)
    left_c = sum(candidate.parts[j].weight for j in free_c)
    conflict = min(left_q, left_c)
    extra = (max(left_q, left_c) - conflict) * _EXTRA
    if not conflict and _only_patronymics(query, free_q) and _only_patronymics(candidate, free_c):
        extra *= _PATRONYMIC_EXTRA / _EXTRA  # a patronymic one side does not write
    score = result.got / (result.weight + extra) * _CONFLICT**conflict
    patronymic_q = [i for i in free_q if query.parts[i].patronymic]
    patronymic_c = [j for j in free_c if candidate.parts[j].patronymic]
    if patronymic_q and patronymic_c:
        score *= _PATRONYMIC_CONFLICT
        params = {
            "query": query.parts[patronymic_q[0]].display,
            "candidate": candidate.parts[patronymic_c[0]].display,
        }
        reasons.append(Reason("patronymic_conflict", params))
        free_q = [i for i in free_q if i not in patronymic_q[:1]]
        free_c = [j for j in free_c if j not in patronymic_c[:1]]
    for i, j in zip(free_q, free_c, strict=False):
        params = {"query": query.parts[i].display, "candidate": candidate.parts[j].display}
        reasons.append(Reason("name_conflict", params))
    for i in free_q[len(free_c) :]:
        reasons.append(Reason("name_extra_query", {"query": query.parts[i].display}))
    for j in free_c[len(free_q) :]:
        reasons.append(Reason("name_extra_candidate", {"candidate": candidate.parts[j].display}))
    return min(1.0, score), reasons


# --- Birth date, nationality, father's name -------------------------------------------------


def _date(value: str | None) -> tuple[int, ...]:
    if not value:
        return ()
    out: list[int] = []
    for piece in value.strip().split("-")[:3]:
        if not piece.isdigit():
            break
        out.append(int(piece))
    return tuple(out)


def _birth_code(q: tuple[int, ...], c: tuple[int, ...]) -> str:
    if q[0] != c[0]:
        return "birth_year_near" if abs(q[0] - c[0]) == 1 else "birth_conflict"
    if len(q) < 2 or len(c) < 2:
        return "birth_year"
    if q[1] == c[1]:
        if len(q) < 3 or len(c) < 3:
            return "birth_year_month"
        return "birth_exact" if q[2] == c[2] else "birth_conflict"
    transposed = (
        (len(q) == 3 and len(c) == 3 and q[1] == c[2] and q[2] == c[1])
        or _month_is_the_day(q, c)
        or _month_is_the_day(c, q)
    )
    return "birth_transposed" if transposed else "birth_conflict"


def _month_is_the_day(full: tuple[int, ...], partial: tuple[int, ...]) -> bool:
    """A year and month only, whose month is the full date's day: the day and month were
    swapped when one of them was written (1956-10-08 and 1956-08)."""
    return len(full) == 3 and len(partial) == 2 and full[2] == partial[1]


def birth_reason(query: str | None, candidate: str | None) -> Reason | None:
    """Evidence from two birth dates ("YYYY", "YYYY-MM", "YYYY-MM-DD")."""
    q, c = _date(query), _date(candidate)
    if not q or not c:
        return None
    return Reason(_birth_code(q, c), {"query": query or "", "candidate": candidate or ""})


def _father(query: names.Name, father_name: str | None) -> tuple[float, Reason | None]:
    patronymics = [p for p in query.parts if p.patronymic]
    if not patronymics or not father_name:
        return 0.0, None
    father = names.analyse(father_name)
    if not father.parts:
        return 0.0, None
    own = patronymics[0]
    best = max(pair(own, part)[0] for part in father.parts) / _CROSS_ROLE
    params = {"query": own.display, "candidate": father_name}
    if best >= 0.7:
        return _FATHER, Reason("father_name", params)
    return _FATHER_CONFLICT, Reason("father_conflict", params)


def score(query: Query, person: PersonRecord) -> Scored:
    """Score one candidate person against a query: 0..1 and the reasons."""
    analysed = names.analyse(query.name)
    best, best_reasons, best_index = -1.0, [Reason("name_none", {})], 0
    for index, name in enumerate(person.names):
        value, reasons = name_score(analysed, names.analyse(name))
        if value > best:
            best, best_reasons, best_index = value, reasons, index
    best = max(best, 0.0)
    reasons = list(best_reasons)
    if best_index > 0:
        reasons.insert(0, Reason("alias", {"candidate": person.names[best_index]}))
    birth = birth_reason(query.birth_date, person.birth_date)
    if birth is not None:
        best += _BIRTH[birth.code]
        reasons.append(birth)
    if query.nationality and person.nationalities:
        if query.nationality in person.nationalities:
            best += _NATIONALITY
            reasons.append(Reason("nationality", {"query": query.nationality}))
        else:
            best += _NATIONALITY_OTHER
            params = {"query": query.nationality, "candidate": " ".join(person.nationalities)}
            reasons.append(Reason("nationality_other", params))
    adjustment, father = _father(analysed, person.father_name)
    if father is not None:
        best += adjustment
        reasons.append(father)
    return Scored(
        score=round(min(1.0, max(0.0, best)), 4),
        reasons=tuple(reasons),
        strength=round(best, 4),
    )


def compare(a: str, b: str) -> tuple[float, bool]:
    """Names only: the score and whether it reaches THRESHOLD."""
    value, _reasons = name_score(names.analyse(a), names.analyse(b))
    value = round(value, 4)
    return value, value >= THRESHOLD
