"""Demo registers: fictional persons written as each register writes them, an extract
request waiting in Kyrgyzstan's register, an answered one, and a conviction notice that
travels from Kyrgyzstan to Kazakhstan. Every person here is invented.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from comity.accounts.models import Role, User
from comity.records import services
from comity.records.models import ExtractRequest, Person, Register
from comity.records.services import ConvictionData, OffenceData, PenaltyData, PersonData

# (register, ref, full name as that register writes it, birth date, nationalities)
PERSONS: list[tuple[str, str, str, str, str]] = [
    ("KGZ", "KG-000101", "Мамытов Азамат Турсунбекович", "1986-04-12", "KGZ"),
    ("KGZ", "KG-000102", "Мамытов Азамат Эркинович", "1991-09-30", "KGZ"),
    ("KGZ", "KG-000103", "Мамытова Айгерим Азаматовна", "1990", "KGZ"),
    ("KGZ", "KG-000104", "Сапаров Нурлан Болатович", "1984-02-07", "KAZ"),
    ("KGZ", "KG-000105", "Жээнбеков Бакыт Ормонович", "1979-11", "KGZ"),
    ("KGZ", "KG-000106", "Токтогулов Эрлан Садырбекович", "1995-06-21", "KGZ"),
    ("KGZ", "KG-000107", "Юсупов Шерзод Алишерович", "1988-01-15", "UZB"),
    ("KGZ", "KG-000108", "Абдрахманов Нурбек Кубанычбекович", "1982-08-03", "KGZ"),
    ("KAZ", "KZ-002001", "Сапаров Нұрлан Болатұлы", "1984-02-07", "KAZ"),
    ("KAZ", "KZ-002002", "Сапарова Әйгерім Нұрланқызы", "2006-05-19", "KAZ"),
    ("KAZ", "KZ-002003", "Қасымов Ержан Серікұлы", "1975-12-01", "KAZ"),
    ("KAZ", "KZ-002004", "Жұмабаев Тимур Бауыржанұлы", "1993-03-28", "KAZ"),
    ("KAZ", "KZ-002005", "Ахметова Гүлнар Қайратқызы", "1987", "KAZ"),
    ("UZB", "UZ-300001", "Yusupov Sherzod Alisherovich", "1988-01-15", "UZB"),
    ("UZB", "UZ-300002", "To‘xtayev O‘tkir G‘ayratovich", "1980-07-09", "UZB"),
    ("UZB", "UZ-300003", "Qodirova Shahnoza Bahodirovna", "1992-10", "UZB"),
    ("IRN", "IR-0000451", "مختار رحیمی", "1983", "IRN"),
    ("IRN", "IR-0000452", "مختار رحیم‌زاده", "1971-05-02", "IRN"),
    ("IRN", "IR-0000453", "زهرا کریمی", "1990-01-20", "IRN"),
    ("RUS", "RU-7000001", "Волков Андрей Петрович", "1977-02-14", "RUS"),
    ("RUS", "RU-7000002", "Рахимов Фарход Саидович", "1985-09-09", "TJK RUS"),
]

# Records officers at the bureaus that keep the demo registers: (username, names, language).
RECORDS_USERS: dict[str, tuple[str, tuple[str, str], str]] = {
    "KGZ": ("kgz.records", ("Айзада", "Бекова"), "ru"),
    "KAZ": ("kaz.records", ("Динара", "Есенова"), "ru"),
    "UZB": ("uzb.records", ("Malika", "Rashidova"), "en"),
    "IRN": ("irn.records", ("نسرین", "احمدی"), "fa"),
    "RUS": ("rus.records", ("Ольга", "Лебедева"), "ru"),
}


@dataclass
class RecordsDemo:
    users: list[tuple[str, str, str]]  # username, authority key, language
    persons_created: int = 0
    extracts_created: int = 0


def _person(register: Register, ref: str, name: str, birth: str, nationalities: str) -> Person:
    existing = Person.objects.filter(register=register, ref=ref).first()
    if existing is not None:
        return existing
    return services.person_save(
        actor=None,
        register=register,
        data=PersonData(ref=ref, full_name=name, birth_date=birth, nationalities=nationalities),
    )


def _convict(person: Person, court: str, when: datetime.date, iccs: str, provision: str) -> None:
    if person.convictions.exists():
        return
    services.conviction_record(
        actor=None,
        person=person,
        data=ConvictionData(
            court=court,
            decision_date=when,
            final_date=when + datetime.timedelta(days=30),
            offences=(OffenceData(iccs=iccs, provision=provision),),
            penalties=(
                PenaltyData(kind="imprisonment", months=36, suspended=True, suspended_months=24),
            ),
        ),
    )


def records_demo(
    *, make_user: Callable[..., tuple[User, bool]], people: dict[str, User]
) -> RecordsDemo:
    """Registers, their records officers and sample records; idempotent."""
    registers = {r.state.iso3: r for r in services.registers_ensure()}
    demo = RecordsDemo(users=[])
    for iso3, (username, names, language) in RECORDS_USERS.items():
        register = registers.get(iso3)
        if register is None:
            continue
        user, _created = make_user(
            username=username,
            names=names,
            authority=register.keeper,
            role=Role.OFFICER,
            language=language,
        )
        people[username] = user
        demo.users.append((username, register.keeper.key, language))
    persons: dict[str, Person] = {}
    with transaction.atomic():
        for iso3, ref, name, birth, nationalities in PERSONS:
            if iso3 in registers:
                before = Person.objects.filter(register=registers[iso3], ref=ref).exists()
                persons[ref] = _person(registers[iso3], ref, name, birth, nationalities)
                demo.persons_created += int(not before)
        if "KG-000101" in persons:
            _convict(
                persons["KG-000101"],
                "Октябрьский районный суд г. Бишкек",
                datetime.date(2021, 3, 15),
                "0502",
                "ст. 201 УК КР",
            )
        if "KG-000104" in persons:
            # A Kazakh national convicted in Kyrgyzstan: Kazakhstan's register is notified.
            _convict(
                persons["KG-000104"],
                "Ошский городской суд",
                datetime.date(2025, 10, 2),
                "0601",
                "ст. 283 УК КР",
            )
        if "IR-0000451" in persons:
            _convict(
                persons["IR-0000451"],
                "دادگاه کیفری یک استان تهران",
                datetime.date(2018, 11, 20),
                "0601",
                "ماده ۸ قانون مبارزه با مواد مخدر",
            )
        if "UZ-300001" in persons:
            _convict(
                persons["UZ-300001"],
                "Toshkent shahar jinoyat ishlari sudi",
                datetime.date(2019, 6, 4),
                "0701",
                "JK 168-modda",
            )
    demo.extracts_created = _extracts(people)
    return demo


def _extracts(people: dict[str, User]) -> int:
    created = 0
    asker = people.get("kaz.officer")
    if (
        asker is not None
        and not ExtractRequest.objects.filter(requesting_authority=asker.authority).exists()
    ):
        services.extract_request(
            actor=asker,
            data=services.ExtractData(
                register_state="KGZ",
                purpose="criminal",
                purpose_detail="Pre-trial investigation of a fraud case in Almaty",
                subject_name="Azamat Mamytov",
                subject_birth_date="1986-04-12",
                subject_nationality="KGZ",
            ),
        )
        created += 1
    asker = people.get("afg.officer")
    keeper = people.get("irn.records")
    if (
        asker is not None
        and keeper is not None
        and not ExtractRequest.objects.filter(requesting_authority=asker.authority).exists()
    ):
        extract = services.extract_request(
            actor=asker,
            data=services.ExtractData(
                register_state="IRN",
                purpose="criminal",
                subject_name="Mukhtar Rahimi",
                subject_birth_date="1983",
                subject_nationality="IRN",
            ),
        )
        person = Person.objects.get(register__state__iso3="IRN", ref="IR-0000451")
        services.extract_answer(
            actor=keeper,
            extract=extract,
            person=person,
            identity_note=(
                "Name and birth year match; father's name confirmed by phone with the "
                "requesting authority."
            ),
        )
        created += 1
    return created
