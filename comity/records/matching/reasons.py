"""Reason codes and their English texts.

A reason is a stable code plus parameters; the register translates by code and fills in the
parameters, so every text here is a template with named placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The method by which two name parts were found to be the same.
EXACT, TRANSLIT, VARIANT, SKELETON, FUZZY, STEM, INITIAL, JOINED = (
    "exact",
    "translit",
    "variant",
    "skeleton",
    "fuzzy",
    "stem",
    "initial",
    "joined",
)

REASON_TEXTS: dict[str, str] = {
    # surname
    "surname_exact": "surname '{query}' matches",
    "surname_translit": "surname matches by transliteration ('{query}' = '{candidate}')",
    "surname_variant": "surname '{query}' is a spelling variant of '{candidate}'",
    "surname_skeleton": "surname '{query}' ≈ '{candidate}' by consonant skeleton",
    "surname_fuzzy": "surname '{query}' ≈ '{candidate}' (similar spelling)",
    "surname_stem": "surname '{query}' ≈ '{candidate}' (same stem, other name-forming suffix)",
    "surname_joined": "surname '{query}' = '{candidate}' written as one word or apart",
    # given name
    "given_exact": "given name '{query}' matches",
    "given_translit": "given name matches by transliteration ('{query}' = '{candidate}')",
    "given_variant": "given name '{query}' is a spelling variant of '{candidate}'",
    "given_skeleton": "given name '{query}' ≈ '{candidate}' by consonant skeleton",
    "given_fuzzy": "given name '{query}' ≈ '{candidate}' (similar spelling)",
    "given_stem": "given name '{query}' ≈ '{candidate}' (same stem, other suffix)",
    "given_initial": "initial '{query}' fits given name '{candidate}'",
    "given_joined": "given name '{query}' = '{candidate}' written as one word or apart",
    # patronymic / father's name
    "patronymic_exact": "patronymic '{query}' matches",
    "patronymic_translit": "patronymic matches by transliteration ('{query}' = '{candidate}')",
    "patronymic_variant": "patronymic '{query}' is a spelling variant of '{candidate}'",
    "patronymic_skeleton": "patronymic '{query}' ≈ '{candidate}' by consonant skeleton",
    "patronymic_fuzzy": "patronymic '{query}' ≈ '{candidate}' (similar spelling)",
    "patronymic_stem": "patronymic '{query}' ≈ '{candidate}' (same stem)",
    "patronymic_conflict": "patronymic '{query}' contradicts '{candidate}'",
    "father_name": "patronymic '{query}' fits father's name '{candidate}'",
    "father_conflict": "patronymic '{query}' contradicts father's name '{candidate}'",
    # parts that do not pair up
    "name_conflict": "name parts differ: '{query}' vs '{candidate}'",
    "name_extra_query": "name part '{query}' is not in the candidate's name",
    "name_extra_candidate": "candidate's name part '{candidate}' is not in the query",
    "name_none": "no part of the name matches",
    "alias": "matched the other name '{candidate}'",
    # birth date
    "birth_exact": "birth date matches",
    "birth_year_month": "birth year and month match",
    "birth_year": "birth year matches",
    "birth_transposed": "birth date matches with day and month swapped",
    "birth_year_near": "birth years differ by one ({query} vs {candidate})",
    "birth_conflict": "birth date contradicts ({query} vs {candidate})",
    # nationality
    "nationality": "nationality matches ({query})",
    "nationality_other": "nationality differs ({query} vs {candidate})",
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))


def reason_text(reason: Reason) -> str:
    """The English text of a reason."""
    template = REASON_TEXTS.get(reason.code, reason.code)
    try:
        return template.format(**reason.params)
    except (KeyError, IndexError):
        return template
