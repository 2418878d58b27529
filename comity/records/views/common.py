"""What every records page shares: the signed-in member, candidates from the register with
their explanation, and the audit of what a page showed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.records import matching, search
from comity.records.explain import Explanation, explain
from comity.records.models import ConvictionNotice, ExtractRequest, Person, Register
from comity.records.views.display import partial_date_text, state_names

# Candidates shown to an officer who confirms an identity.
TOP = 10
_NAME_SEPARATORS = re.compile(r"[;\n]+")


def member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def split_names(text: str) -> list[str]:
    """Other names as typed: separated by semicolons or on lines of their own."""
    return [" ".join(name.split()) for name in _NAME_SEPARATORS.split(text) if name.strip()]


@dataclass(frozen=True)
class CandidateRow:
    """One candidate as an officer weighs it: the register's data beside the reasons."""

    person: Person
    score: float
    explanation: Explanation
    english: str  # the engine's own text, kept for the record and the API
    reasons: tuple[matching.Reason, ...]
    birth_date: str
    nationalities: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def find_candidates(
    *,
    register: Register,
    names: Sequence[str],
    birth_date: str = "",
    nationality: str = "",
    top: int = TOP,
) -> list[CandidateRow]:
    """The best ``top`` persons of ``register`` for any of ``names``, best first.

    Each name is searched; a person found by several keeps the best score. The persons'
    names, documents and nationalities are read in a fixed number of queries.
    """
    best: dict[int, search.Candidate] = {}
    for name in dict.fromkeys(n for n in names if n.strip()):
        for candidate in search.search_persons(
            name=name,
            birth_date=birth_date or None,
            nationality=nationality or None,
            register=register,
            top=top,
        ):
            known = best.get(candidate.person_id)
            if known is None or candidate.score > known.score:
                best[candidate.person_id] = candidate
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.ref))[:top]
    persons = Person.objects.prefetch_related("other_names", "documents").in_bulk(
        [c.person_id for c in ranked]
    )
    names_of = state_names(
        [nationality, *(code for person in persons.values() for code in person.nationality_list)]
    )
    return [
        CandidateRow(
            person=persons[c.person_id],
            score=c.score,
            explanation=explain(c.reasons, birth=partial_date_text, states=names_of),
            english=c.explanation,
            reasons=c.reasons,
            birth_date=partial_date_text(persons[c.person_id].birth_date),
            nationalities=[names_of[code] for code in persons[c.person_id].nationality_list],
        )
        for c in ranked
        if c.person_id in persons
    ]


def extract_names(extract: ExtractRequest, also: str = "") -> list[str]:
    return [extract.subject_name, *split_names(extract.subject_other_names), *split_names(also)]


def notice_names(notice: ConvictionNotice, also: str = "") -> list[str]:
    person = notice.content.get("person") or {}
    names = [str(person.get("full_name") or "")]
    names += [str(name) for name in person.get("other_names") or ()]
    return [*(name for name in names if name.strip()), *split_names(also)]


def audit_search(
    user: User,
    *,
    register: Register,
    context: str,
    names: Iterable[str],
    rows: Sequence[CandidateRow],
    **more: Any,
) -> None:
    """Who searched a register for whom, and whom it showed (by register reference)."""
    audit_record(
        code=Code.RECORDS_SEARCHED,
        actor=user,
        subject_type="register",
        subject_id=register.state.iso3,
        details={
            "context": context,
            "names": list(names),
            "shown": [row.person.ref for row in rows],
            **more,
        },
    )
