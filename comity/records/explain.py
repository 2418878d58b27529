"""Why the register proposes a candidate, in the reader's language.

The matching engine gives each candidate reasons: a stable code and the name parts or dates
it compared (``query`` as asked, ``candidate`` as written in the register). Here each code
has its text to translate; a code the engine adds later reads in the engine's English until
it gets one. Reasons that speak against the match are kept apart, so that an officer sees
at a glance what agrees and what contradicts before confirming an identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from comity.records import matching

TEXTS: dict[str, Promise] = {
    # surname
    "surname_exact": _("surname “%(query)s” is the same"),
    "surname_translit": _(
        "surname “%(query)s” is “%(candidate)s” written in another script or romanisation"
    ),
    "surname_variant": _("surname “%(query)s” is a spelling variant of “%(candidate)s”"),
    "surname_skeleton": _(
        "surname “%(query)s” ≈ “%(candidate)s”: the same consonants, other vowels"
    ),
    "surname_fuzzy": _("surname “%(query)s” ≈ “%(candidate)s”: a similar spelling"),
    "surname_stem": _("surname “%(query)s” ≈ “%(candidate)s”: the same stem, another suffix"),
    "surname_joined": _("surname “%(query)s” = “%(candidate)s” written as one word or as two"),
    # given name
    "given_exact": _("given name “%(query)s” is the same"),
    "given_translit": _(
        "given name “%(query)s” is “%(candidate)s” written in another script or romanisation"
    ),
    "given_variant": _("given name “%(query)s” is a spelling variant of “%(candidate)s”"),
    "given_skeleton": _(
        "given name “%(query)s” ≈ “%(candidate)s”: the same consonants, other vowels"
    ),
    "given_fuzzy": _("given name “%(query)s” ≈ “%(candidate)s”: a similar spelling"),
    "given_stem": _("given name “%(query)s” ≈ “%(candidate)s”: the same stem, another suffix"),
    "given_initial": _("the initial “%(query)s” fits the given name “%(candidate)s”"),
    "given_joined": _("given name “%(query)s” = “%(candidate)s” written as one word or as two"),
    # patronymic and father's name
    "patronymic_exact": _("patronymic “%(query)s” is the same"),
    "patronymic_translit": _(
        "patronymic “%(query)s” is “%(candidate)s” written in another script or romanisation"
    ),
    "patronymic_variant": _("patronymic “%(query)s” is a spelling variant of “%(candidate)s”"),
    "patronymic_skeleton": _(
        "patronymic “%(query)s” ≈ “%(candidate)s”: the same consonants, other vowels"
    ),
    "patronymic_fuzzy": _("patronymic “%(query)s” ≈ “%(candidate)s”: a similar spelling"),
    "patronymic_stem": _("patronymic “%(query)s” ≈ “%(candidate)s”: the same stem"),
    "patronymic_conflict": _("patronymic “%(query)s” differs from “%(candidate)s”"),
    "father_name": _("patronymic “%(query)s” fits the father's name “%(candidate)s”"),
    "father_conflict": _("patronymic “%(query)s” does not fit the father's name “%(candidate)s”"),
    # name parts that do not pair up
    "name_conflict": _("name parts differ: “%(query)s” and “%(candidate)s”"),
    "name_extra_query": _("“%(query)s” is not part of the candidate's name"),
    "name_extra_candidate": _("the candidate's name has “%(candidate)s”, the query does not"),
    "name_none": _("no part of the name matches"),
    "alias": _("found by the other name “%(candidate)s”"),
    # birth date
    "birth_exact": _("the birth date is the same"),
    "birth_year_month": _("birth year and month are the same"),
    "birth_year": _("the birth year is the same"),
    "birth_transposed": _("the birth date is the same with day and month swapped"),
    "birth_year_near": _("birth years differ by one: %(query)s and %(candidate)s"),
    "birth_conflict": _("the birth dates differ: %(query)s and %(candidate)s"),
    # nationality
    "nationality": _("the nationality is the same: %(query)s"),
    "nationality_other": _("the nationalities differ: %(query)s and %(candidate)s"),
}

# Reasons that speak against the candidate being the person asked about.
AGAINST: frozenset[str] = frozenset(
    {
        "patronymic_conflict",
        "father_conflict",
        "name_conflict",
        "name_extra_query",
        "name_extra_candidate",
        "name_none",
        "birth_year_near",
        "birth_conflict",
        "nationality_other",
    }
)


# Reasons whose parameters are birth dates, and those whose parameters are ISO alpha-3 codes.
BIRTH_CODES: frozenset[str] = frozenset({"birth_year_near", "birth_conflict"})
NATIONALITY_CODES: frozenset[str] = frozenset({"nationality", "nationality_other"})


def reason_text(
    reason: matching.Reason,
    *,
    birth: Callable[[str], str] | None = None,
    states: Mapping[str, str] | None = None,
) -> str:
    """One reason in the active language; the engine's English for a code without a text.

    ``birth`` writes a (partial) birth date the reader's way; ``states`` names a state by
    its ISO code, so that the reader sees "Kyrgyzstan" in their language rather than "KGZ".
    """
    template = TEXTS.get(reason.code)
    if template is None:
        return matching.reason_text(reason)
    params = {"query": "", "candidate": "", **reason.params}
    if birth is not None and reason.code in BIRTH_CODES:
        params = {key: birth(value) for key, value in params.items()}
    if states is not None and reason.code in NATIONALITY_CODES:
        params = {key: states.get(value, value) for key, value in params.items()}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return matching.reason_text(reason)


@dataclass(frozen=True)
class Explanation:
    agrees: list[str]
    differs: list[str]

    @property
    def text(self) -> str:
        return "; ".join([*self.agrees, *self.differs])


def explain(
    reasons: Iterable[matching.Reason],
    *,
    birth: Callable[[str], str] | None = None,
    states: Mapping[str, str] | None = None,
) -> Explanation:
    agrees: list[str] = []
    differs: list[str] = []
    for reason in reasons:
        text = reason_text(reason, birth=birth, states=states)
        (differs if reason.code in AGAINST else agrees).append(text)
    return Explanation(agrees=agrees, differs=differs)
