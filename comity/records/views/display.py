"""Coded records data (an extract as sent, a notice as received) as a reader's page shows it.

An extract and a notice carry codes and facts only: penalty kinds, ICCS codes, ISO dates,
ISO 3166 codes. Here they become labels in the reader's language, and dates and numbers
written the reader's way, so the same extract reads in Russian in Bishkek and in Persian in
Kabul.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from comity.core import formatting
from comity.core.models import IccsCode
from comity.directory.models import State
from comity.records.models import ConvictionStatus, PenaltyKind, Purpose, Sex


def _date(value: object) -> datetime.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def partial_date_text(value: str) -> str:
    """A birth date known as YYYY, YYYY-MM or YYYY-MM-DD, written the reader's way."""
    value = (value or "").strip()
    if len(value) == 10:
        day = _date(value)
        return formatting.local_date(day) if day else value
    if len(value) == 7:
        try:
            month = datetime.date(int(value[:4]), int(value[5:7]), 1)
        except ValueError:
            return value
        return formatting.local_date(month, "YEAR_MONTH_FORMAT")
    return formatting.native_digits(value)


def _label(choices: Mapping[str, Any], value: str) -> str:
    label = choices.get(value)
    return str(label) if label is not None else value


def state_names(codes: Iterable[str]) -> dict[str, str]:
    """ISO alpha-3 code -> the state's name in the reader's language (the code if unknown)."""
    wanted = {code for code in codes if code}
    names = {state.iso3: state.name for state in State.objects.filter(iso3__in=wanted)}
    return {code: names.get(code, code) for code in wanted}


@dataclass(frozen=True)
class OffenceView:
    code: str
    label: str
    provision: str
    committed_on: datetime.date | None


@dataclass(frozen=True)
class PenaltyView:
    kind: str
    label: str
    months: int | None
    amount: Decimal | None
    currency: str
    suspended: bool
    suspended_months: int | None


@dataclass(frozen=True)
class ConvictionView:
    court: str
    case_number: str
    convicting_state: str
    decision_date: datetime.date | None
    final_date: datetime.date | None
    status: str
    status_label: str
    status_date: datetime.date | None
    offences: list[OffenceView] = field(default_factory=list)
    penalties: list[PenaltyView] = field(default_factory=list)


@dataclass(frozen=True)
class PersonView:
    ref: str
    full_name: str
    surname: str
    given_name: str
    patronymic: str
    father_name: str
    other_names: list[str]
    birth_date: str
    birth_place: str
    sex: str
    nationalities: list[str]


def _amount(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


class Reader:
    """Turns coded content into views; reads the ICCS labels and state names it needs in
    two queries, whatever the number of convictions."""

    def __init__(self, contents: Iterable[Mapping[str, Any]]) -> None:
        contents = list(contents)
        codes: set[str] = set()
        states: set[str] = set()
        for content in contents:
            person = content.get("person") or {}
            states.update(person.get("nationalities") or ())
            for conviction in content.get("convictions") or ():
                states.add(str(conviction.get("convicting_state") or ""))
                codes.update(str(o.get("iccs")) for o in conviction.get("offences") or ())
            if content.get("register"):
                states.add(str(content["register"]))
        self.iccs = dict(IccsCode.objects.filter(code__in=codes).values_list("code", "label"))
        self.states = state_names(states)

    def state(self, code: str) -> str:
        return self.states.get(code, code)

    def person(self, data: Mapping[str, Any] | None) -> PersonView | None:
        if not data:
            return None
        return PersonView(
            ref=str(data.get("ref") or ""),
            full_name=str(data.get("full_name") or ""),
            surname=str(data.get("surname") or ""),
            given_name=str(data.get("given_name") or ""),
            patronymic=str(data.get("patronymic") or ""),
            father_name=str(data.get("father_name") or ""),
            other_names=[str(name) for name in data.get("other_names") or ()],
            birth_date=partial_date_text(str(data.get("birth_date") or "")),
            birth_place=str(data.get("birth_place") or ""),
            sex=_label(dict(Sex.choices), str(data.get("sex") or "")) if data.get("sex") else "",
            nationalities=[self.state(code) for code in data.get("nationalities") or ()],
        )

    def conviction(self, data: Mapping[str, Any]) -> ConvictionView:
        status = str(data.get("status") or "")
        return ConvictionView(
            court=str(data.get("court") or ""),
            case_number=str(data.get("case_number") or ""),
            convicting_state=self.state(str(data.get("convicting_state") or "")),
            decision_date=_date(data.get("decision_date")),
            final_date=_date(data.get("final_date")),
            status=status,
            status_label=_label(dict(ConvictionStatus.choices), status),
            status_date=_date(data.get("status_date")),
            offences=[
                OffenceView(
                    code=str(o.get("iccs") or ""),
                    # ICCS labels come from the reference file; a catalogue may translate them.
                    label=gettext(self.iccs[o["iccs"]]) if o.get("iccs") in self.iccs else "",
                    provision=str(o.get("provision") or ""),
                    committed_on=_date(o.get("committed_on")),
                )
                for o in data.get("offences") or ()
            ],
            penalties=[
                PenaltyView(
                    kind=str(p.get("kind") or ""),
                    label=_label(dict(PenaltyKind.choices), str(p.get("kind") or "")),
                    months=_int(p.get("months")),
                    amount=_amount(p.get("amount")),
                    currency=str(p.get("currency") or ""),
                    suspended=bool(p.get("suspended")),
                    suspended_months=_int(p.get("suspended_months")),
                )
                for p in data.get("penalties") or ()
            ],
        )


@dataclass(frozen=True)
class ExtractView:
    register: str
    purpose: str
    answered_at: datetime.datetime | None
    person: PersonView | None
    convictions: list[ConvictionView]


def extract_view(extract: Mapping[str, Any]) -> ExtractView:
    reader = Reader([extract])
    answered = extract.get("answered_at")
    try:
        answered_at = datetime.datetime.fromisoformat(answered) if answered else None
    except (TypeError, ValueError):
        answered_at = None
    return ExtractView(
        register=reader.state(str(extract.get("register") or "")),
        purpose=_label(dict(Purpose.choices), str(extract.get("purpose") or "")),
        answered_at=answered_at,
        person=reader.person(extract.get("person")),
        convictions=[reader.conviction(c) for c in extract.get("convictions") or ()],
    )


@dataclass(frozen=True)
class NoticeView:
    person: PersonView | None
    conviction: ConvictionView


def notice_view(content: Mapping[str, Any]) -> NoticeView:
    conviction = content.get("conviction") or {}
    reader = Reader([{"person": content.get("person"), "convictions": [conviction]}])
    return NoticeView(
        person=reader.person(content.get("person")),
        conviction=reader.conviction(conviction),
    )
