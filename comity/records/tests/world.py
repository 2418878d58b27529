"""Data the records page, API and access tests start from.

Kazakhstan's GPO (the requesting persona) asks Kyrgyzstan's register, kept by kgz-mia, about
a person written in Latin letters whom the register holds in Cyrillic. Kazakhstan's register
convicts a Kyrgyz national, which sends a notice to Kyrgyzstan's register.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.test import Client

from comity.accounts.models import Role, User
from comity.records import services
from comity.records.models import ConvictionNotice, ExtractRequest, Person, Register
from comity.records.services import (
    ConvictionData,
    ExtractData,
    OffenceData,
    PenaltyData,
    PersonData,
)
from tests.personas import Personas, make_user

THEFT = ConvictionData(
    court="Октябрьский районный суд г. Бишкек",
    case_number="1-245/2021",
    decision_date=datetime.date(2021, 3, 15),
    final_date=datetime.date(2021, 4, 15),
    offences=(OffenceData(iccs="0502", provision="ст. 201 УК КР"),),
    penalties=(PenaltyData(kind="imprisonment", months=36, suspended=True, suspended_months=24),),
)
FRAUD_IN_KAZ = ConvictionData(
    court="Алмалинский районный суд г. Алматы",
    decision_date=datetime.date(2022, 6, 1),
    offences=(OffenceData(iccs="0701", provision="ст. 190 УК РК"),),
    penalties=(PenaltyData(kind="fine", amount=Decimal("150000"), currency="KZT"),),
)


def person(
    register: Register,
    ref: str,
    name: str,
    birth: str = "",
    nationalities: str = "",
    *,
    other_names: tuple[tuple[str, str], ...] = (),
) -> Person:
    return services.person_save(
        actor=None,
        register=register,
        data=PersonData(
            ref=ref,
            full_name=name,
            birth_date=birth,
            nationalities=nationalities,
            other_names=other_names,
        ),
    )


def ask(actor: User, **changes: Any) -> ExtractRequest:
    data = ExtractData(
        register_state="KGZ",
        purpose="criminal",
        subject_name="Rustam Mukhtarov",
        subject_birth_date="1985-03-14",
        subject_nationality="KGZ",
    )
    return services.extract_request(actor=actor, data=replace(data, **changes))


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


@dataclass
class World:
    personas: Personas
    kgz: Register
    kaz: Register
    keeper: User  # kgz-mia officer
    keeper_reviewer: User  # kgz-mia reviewer
    kaz_keeper: User  # kaz-colssagp officer (another register's keeper)
    mukhtarov: Person  # in KGZ's register, in Cyrillic, convicted
    namesake: Person  # in KGZ's register: same surname, another man
    asanov: Person  # in KGZ's register, in Latin letters: the man of the notice
    kaz_person: Person  # in KAZ's register: a Kyrgyz national, convicted there
    extract: ExtractRequest  # kaz-gpo -> KGZ register, awaiting an answer
    notice: ConvictionNotice  # KAZ register -> KGZ register, to be matched


def build_world(personas: Personas, kgz: Register, kaz: Register) -> World:
    keeper = make_user("kgz.records.officer", kgz.keeper.key, Role.OFFICER)
    keeper_reviewer = make_user("kgz.records.reviewer", kgz.keeper.key, Role.REVIEWER)
    kaz_keeper = make_user("kaz.records.officer", kaz.keeper.key, Role.OFFICER)
    mukhtarov = person(kgz, "KG-0001", "Мухтаров Рустам Алиевич", "1985-03-14", "KGZ")
    services.conviction_record(actor=keeper, person=mukhtarov, data=THEFT)
    namesake = person(kgz, "KG-0002", "Мухтаров Бакыт", "1990-07-01", "KGZ")
    asanov = person(
        kgz, "KG-0003", "Asanov Nurlan", "1979-11-02", "KGZ", other_names=(("Asanov N.", "alias"),)
    )
    kaz_person = person(kaz, "KZ-0001", "Асанов Нурлан", "1979-11-02", "KGZ KAZ")
    services.conviction_record(actor=kaz_keeper, person=kaz_person, data=FRAUD_IN_KAZ)
    notice = ConvictionNotice.objects.get(recipient=kgz)
    return World(
        personas=personas,
        kgz=kgz,
        kaz=kaz,
        keeper=keeper,
        keeper_reviewer=keeper_reviewer,
        kaz_keeper=kaz_keeper,
        mukhtarov=mukhtarov,
        namesake=namesake,
        asanov=asanov,
        kaz_person=kaz_person,
        extract=ask(personas.requesting_officer),
        notice=notice,
    )
