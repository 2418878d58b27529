"""Demo data: people for every member state and a dozen requests in varied states.

Everything is created through the services, so the timeline, the audit chain, the outbox
and the notices look exactly as they would after real work. Building twice adds nothing:
users are found by username, and each sample request lives in a case whose reference
(``DEMO-…``) is looked up first. The authorities are the real ones from the reference
file; nothing is invented there.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from comity.accounts.models import Role, User
from comity.cooperation import services
from comity.cooperation.models import Case, Request
from comity.cooperation.notifications import emails_paused
from comity.cooperation.services import (
    MeasureData,
    OffenceData,
    PersonData,
    PropertyData,
    RequestData,
)
from comity.directory.models import Authority, AuthorityKind, State
from comity.treaties.finder import FinderError, find, parse_query

log = logging.getLogger(__name__)

DEMO_PASSWORD = "comity-demo-2026"  # noqa: S105 (published on purpose: demo only)
DEMO_EMAIL_DOMAIN = "demo.comity.example"
ADMIN_USERNAME = "hub.admin"
# Reviews the changes authorities propose to their directory entries.
COORDINATOR_USERNAME = "hub.coordinator"
COORDINATOR_AUTHORITY = "uzb-gpo"

# Which non-central authority of a state gets the demo competent-authority user.
_COMPETENT_PREFERENCE = (AuthorityKind.FIU, AuthorityKind.POLICE)

_LANGUAGE = {"AFG": "fa", "IRN": "fa", "KAZ": "ru", "KGZ": "ru", "TJK": "ru", "TKM": "ru"}
_LANGUAGE |= {"UZB": "ru", "RUS": "ru"}

# (officer, reviewer, competent-authority user): first and last names.
_NAMES: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "AFG": (("فریده", "احمدی"), ("محمد", "رحیمی"), ("نجیب‌الله", "صافی")),
    "AUS": (("Emma", "Wilson"), ("James", "O'Brien"), ("Olivia", "Chen")),
    "IRN": (("مریم", "حسینی"), ("علی", "کریمی"), ("رضا", "محمدی")),
    "KAZ": (("Айгерим", "Жумабекова"), ("Ерлан", "Касымов"), ("Динара", "Ахметова")),
    "KGZ": (("Бакыт", "Осмонов"), ("Жылдыз", "Токтогулова"), ("Азамат", "Абдылдаев")),
    "PAK": (("Ayesha", "Khan"), ("Imran", "Qureshi"), ("Bilal", "Ahmed")),
    "RUS": (("Анна", "Соколова"), ("Дмитрий", "Волков"), ("Сергей", "Морозов")),
    "TJK": (("Фаррух", "Рахимов"), ("Нигора", "Саидова"), ("Шерзод", "Каримов")),
    "TKM": (("Merdan", "Annaýew"), ("Aýgül", "Nurmuhammedowa"), ("Serdar", "Orazow")),
    "USA": (("Sarah", "Mitchell"), ("David", "Nguyen"), ("Maria", "Lopez")),
    "UZB": (("Dilnoza", "Yusupova"), ("Javlon", "Toshmatov"), ("Rustam", "Ergashev")),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    authority_key: str
    language: str


@dataclass
class DemoResult:
    accounts: list[DemoAccount] = field(default_factory=list)
    users_created: int = 0
    requests_created: int = 0


def competent_authority(state: State) -> Authority | None:
    """The state's FIU if it has one, else its police, else any other non-central body."""
    candidates = list(
        Authority.objects.filter(state=state, is_central_authority=False).order_by("key")
    )
    for kind in _COMPETENT_PREFERENCE:
        for authority in candidates:
            if authority.kind == kind:
                return authority
    return candidates[0] if candidates else None


def _user(
    *,
    username: str,
    names: tuple[str, str],
    authority: Authority | None,
    role: str,
    language: str,
    admin: bool = False,
) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    user.first_name, user.last_name = names
    user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    user.authority = authority
    user.role = role
    user.language = language
    user.is_active = True
    user.is_staff = admin
    user.is_superuser = admin
    if created or not user.check_password(DEMO_PASSWORD):
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user, created


def demo_users(result: DemoResult) -> dict[str, User]:
    """Officer, reviewer and competent-authority user per member state, plus the admin."""
    people: dict[str, User] = {}
    primaries = Authority.objects.filter(is_primary=True, state__is_member=True).select_related(
        "state"
    )
    for central in primaries.order_by("state__iso3"):
        iso3 = central.state.iso3
        prefix = iso3.lower()
        officer, reviewer, competent = _NAMES.get(iso3, (("", ""), ("", ""), ("", "")))
        language = _LANGUAGE.get(iso3, "en")
        specs: list[tuple[str, tuple[str, str], Authority | None, str]] = [
            (f"{prefix}.officer", officer, central, Role.OFFICER),
            (f"{prefix}.reviewer", reviewer, central, Role.REVIEWER),
            (f"{prefix}.competent", competent, competent_authority(central.state), Role.OFFICER),
        ]
        for username, names, authority, role in specs:
            if authority is None:
                continue
            user, created = _user(
                username=username, names=names, authority=authority, role=role, language=language
            )
            people[username] = user
            result.users_created += int(created)
            result.accounts.append(DemoAccount(username, role, authority.key, language))
    admin, created = _user(
        username=ADMIN_USERNAME,
        names=("Hub", "Administrator"),
        authority=None,
        role=Role.NODE_ADMIN,
        language="en",
        admin=True,
    )
    people[ADMIN_USERNAME] = admin
    result.users_created += int(created)
    result.accounts.append(DemoAccount(ADMIN_USERNAME, Role.NODE_ADMIN, "", "en"))
    coordinator_home = Authority.objects.filter(key=COORDINATOR_AUTHORITY).first()
    if coordinator_home is not None:
        coordinator, created = _user(
            username=COORDINATOR_USERNAME,
            names=("Network", "Coordinator"),
            authority=coordinator_home,
            role=Role.COORDINATOR,
            language="en",
        )
        people[COORDINATOR_USERNAME] = coordinator
        result.users_created += int(created)
        result.accounts.append(
            DemoAccount(COORDINATOR_USERNAME, Role.COORDINATOR, COORDINATOR_AUTHORITY, "en")
        )
    return people


# Sample requests ------------------------------------------------------------------------


def demo_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the given lines of ASCII text."""
    text = "".join(
        f"BT /F1 12 Tf 72 {760 - 18 * i} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET\n"
        for i, line in enumerate(lines)
    ).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _authority_id(key: str) -> uuid.UUID:
    return Authority.objects.get(key=key).public_id


class _Story:
    """Helpers that read like the steps of a case."""

    def __init__(self, people: dict[str, User]) -> None:
        self.people = people

    def draft(self, who: str, data: RequestData) -> Request:
        actor = self.people[who]
        return services.request_create_draft(actor=actor, data=_cited(actor, data))

    def act(
        self,
        who: str,
        request: Request,
        action: str,
        *,
        reason: str = "",
        ground: str = "",
        executing: str = "",
    ) -> Request:
        return services.request_transition(
            actor=self.people[who],
            request=request,
            action=action,
            reason=reason,
            ground=ground,
            executing_authority=_authority_id(executing) if executing else None,
        )

    def say(
        self, who: str, request: Request, body: str, parent: uuid.UUID | None = None
    ) -> uuid.UUID:
        message = services.message_post(
            actor=self.people[who], request=request, body=body, parent=parent
        )
        return message.public_id

    def attach(
        self, who: str, request: Request, filename: str, content: bytes, description: str
    ) -> None:
        services.attachment_upload(
            actor=self.people[who],
            request=request,
            filename=filename,
            chunks=[content],
            description=description,
        )


def _data(
    *,
    case: str,
    type: str,
    to: str,
    title: str,
    facts: str,
    purpose: str,
    conducting: str,
    offences: list[OffenceData],
    measures: list[MeasureData],
    persons: list[PersonData],
    urgency: str = "normal",
    urgency_reason: str = "",
    legal_basis: str = "",
    nature: str = "investigation",
    **guided: Any,
) -> RequestData:
    """``guided``: the fields of the guided form the type needs (docs/checks.md)."""
    return RequestData(
        type=type,
        requested_state=to,
        title=title,
        urgency=urgency,
        urgency_reason=urgency_reason,
        proceedings_nature=nature,
        proceedings_reference=case,
        case_reference=case,
        conducting_authority=conducting,
        summary_of_facts=facts,
        purpose=purpose,
        legal_basis=legal_basis,
        offences=offences,
        assistance_sought=measures,
        persons=persons,
        **guided,
    )


# The instrument each demo request prefers; _cited() keeps it only if the finder lists it.
UNTOC = "UNTOC"
MINSK = "CIS_MINSK_1993"
VIENNA = "UN1988"
UNCAC = "UNCAC"


def _cited(actor: User, data: RequestData) -> RequestData:
    """Cite what the legal-basis finder answers, as an officer would choose in the panel.

    ``data.legal_basis`` holds the preferred instrument's code. The demo keeps it when the
    finder lists it for this pair, measure and offence (e.g. Minsk gives way to Chisinau
    between parties to both), and otherwise takes the finder's first, most specific answer.
    """
    preferred = data.legal_basis
    if not preferred or actor.authority is None or not data.offences:
        return data
    try:
        query = parse_query(
            actor.authority.state.iso3, data.requested_state, data.type, data.offences[0].iccs, None
        )
    except FinderError:
        return replace(data, legal_basis="")
    answer = find(query)
    chosen = [i for i in answer.instruments if i.code == preferred] or list(answer.instruments[:1])
    return replace(
        data,
        legal_basis="; ".join(i.citation for i in chosen),
        legal_basis_codes=[i.code for i in chosen],
    )


def _kaz_kgz_executed(s: _Story) -> Request:
    r = s.draft(
        "kaz.officer",
        _data(
            case="DEMO-KZ-2026-0142",
            type="mla",
            to="KGZ",
            title="Heroin trafficking through Osh: bank records and witness statements",
            facts=(
                "Between January 2024 and March 2026 an organised group moved heroin from "
                "Osh to Almaty in lorries carrying dried fruit. Payments went through "
                "accounts opened in Osh."
            ),
            purpose="To trace the proceeds and identify the organisers of the trafficking.",
            conducting="Investigation Department of the Almaty Police",
            legal_basis=VIENNA,
            offences=[
                OffenceData("0601", "Art. 297 Criminal Code of Kazakhstan", "Drug trafficking"),
                OffenceData("07041", "Art. 218 Criminal Code of Kazakhstan", "Money laundering"),
            ],
            measures=[
                MeasureData("bank_records", "Accounts at two banks in Osh, 2024-2026"),
                MeasureData("witness_statement", "Driver of the lorry stopped on 3 March 2026"),
            ],
            persons=[
                PersonData("suspect", "Нурлан Ахметов", date(1984, 3, 2), "KAZ"),
                PersonData("suspect", "Бакытбек Жолдошев", date(1979, 11, 17), "KGZ"),
                PersonData("witness", "Aliya Sarsenbayeva", None, "KAZ"),
            ],
        ),
    )
    r = s.act("kaz.officer", r, "submit")
    r = s.act("kgz.officer", r, "acknowledge")
    first = s.say(
        "kgz.officer",
        r,
        "Запрос получен. Уточните, пожалуйста, за какой период нужны выписки по счетам.",
    )
    s.say("kaz.officer", r, "Период: с 01.01.2024 по 31.03.2026. Спасибо.", parent=first)
    r = s.act("kgz.officer", r, "assign", executing="kgz-sfismf")
    r = s.act("kgz.competent", r, "start_execution")
    s.attach(
        "kgz.competent",
        r,
        "bank-statements-summary.pdf",
        demo_pdf(
            [
                "Summary of account statements, Osh branches, 2024-2026",
                "Prepared for request " + r.reference,
                "Demo document: no real data.",
            ]
        ),
        "Summary of the account statements",
    )
    return s.act("kgz.competent", r, "execute")


def _kgz_kaz_overdue(s: _Story) -> Request:
    r = s.draft(
        "kgz.officer",
        _data(
            case="DEMO-KG-2026-0077",
            type="mla",
            to="KAZ",
            title="Bank records of the “Ак-Суу Инвест” investment fraud",
            facts=(
                "The company “Ак-Суу Инвест” took deposits from 340 residents of Issyk-Kul "
                "region promising 40% a year and moved the money to accounts in Almaty."
            ),
            purpose="To establish where the deposits went and who controls the accounts.",
            conducting="Investigative Service of the Ministry of Internal Affairs, Karakol",
            legal_basis=MINSK,
            offences=[OffenceData("0701", "Art. 209 Criminal Code of Kyrgyzstan", "Fraud")],
            measures=[MeasureData("bank_records", "Three accounts at banks in Almaty")],
            persons=[PersonData("suspect", "Эрлан Мамытов", date(1981, 6, 9), "KGZ")],
        ),
    )
    r = s.act("kgz.officer", r, "submit")
    # The service stamps the real time; to show an overdue acknowledgement the demo moves
    # the submission back in time (there is no other way to age a request).
    submitted = timezone.now() - timedelta(days=16)
    Request.objects.filter(pk=r.pk).update(
        submitted_at=submitted,
        acknowledgement_due=submitted + timedelta(days=10),
        response_due=submitted + timedelta(days=90),
    )
    return r


def _tjk_rus_in_execution(s: _Story) -> Request:
    r = s.draft(
        "tjk.officer",
        _data(
            case="DEMO-TJ-2026-0031",
            type="extradition",
            to="RUS",
            title="Extradition of Далер Сафаров for trafficking in persons",
            facts=(
                "The person sought recruited eleven young men in Kulob for construction work "
                "in Russia, took their passports and held them in forced labour."
            ),
            purpose="Surrender of the person sought for prosecution in Tajikistan.",
            conducting="Prosecutor's Office of Khatlon Region",
            legal_basis=MINSK,
            nature="prosecution",
            urgency="urgent",
            urgency_reason="The person sought was provisionally arrested in Moscow.",
            offences=[
                OffenceData(
                    "02042",
                    "Art. 130.1 Criminal Code of Tajikistan",
                    "Trafficking in persons for forced labour",
                )
            ],
            measures=[MeasureData("arrest", "Arrest and surrender of the person sought")],
            persons=[
                PersonData(
                    "person_sought",
                    "Далер Сафаров",
                    date(1990, 4, 21),
                    "TJK",
                    "Рост 175 см; паспорт Таджикистана; задержан в Москве.",
                )
            ],
            extradition_basis="prosecution",
            warrant_reference="1-31/2026",
            warrant_date=date(2026, 2, 2),
            warrant_authority="Суд района Кулоб",
            max_penalty="до 15 лет лишения свободы",
            max_penalty_years=Decimal(15),
        ),
    )
    r = s.act("tjk.officer", r, "submit")
    r = s.act("rus.officer", r, "acknowledge")
    r = s.act("rus.officer", r, "assign", executing="rus-miaincbr")
    r = s.act("rus.officer", r, "start_execution")
    first = s.say(
        "rus.officer",
        r,
        "Лицо задержано в Москве. Просим направить заверенные копии постановления об "
        "аресте в течение 40 дней.",
    )
    s.say(
        "tjk.officer",
        r,
        "Заверенные копии направлены дипломатической почтой; электронные копии приложим.",
        parent=first,
    )
    return r


def _afg_irn_info_requested(s: _Story) -> Request:
    r = s.draft(
        "afg.officer",
        _data(
            case="DEMO-AF-2026-0009",
            type="mla",
            to="IRN",
            title="Opium smuggling network across Nimroz and Sistan-Baluchestan",
            facts=(
                "A network moved opium from Nimroz province across the border to Zahedan "
                "between 2023 and 2025, paying couriers through exchange offices."
            ),
            purpose="To identify the members of the network on the Iranian side.",
            conducting="Counter-Narcotics Prosecution, Kabul",
            legal_basis=VIENNA,
            offences=[OffenceData("0601", "Counter-Narcotics Law, art. 16", "Opium smuggling")],
            measures=[
                MeasureData("identify_locate", "Two persons believed to live in Zahedan"),
                MeasureData("bank_records", "Transfers through exchange offices in Zahedan"),
            ],
            persons=[
                PersonData("suspect", "عبدالرحمن نوری", date(1975, 1, 1), "AFG"),
                PersonData("suspect", "غلام سخی بلوچ", None, "IRN"),
            ],
        ),
    )
    r = s.act("afg.officer", r, "submit")
    r = s.act("irn.officer", r, "acknowledge")
    r = s.act("irn.officer", r, "assign", executing="irn-fic")
    r = s.act(
        "irn.officer",
        r,
        "request_info",
        reason="لطفاً شماره گذرنامه و تاریخ تولد دقیق مظنونین را ارسال کنید.",
    )
    s.say("afg.officer", r, "اطلاعات تکمیلی به زودی ارسال می‌شود. از همکاری شما سپاسگزاریم.")
    s.attach(
        "afg.officer",
        r,
        "couriers.txt",
        "فهرست پیک‌ها و دفاتر صرافی (نمونه، بدون داده واقعی)\n".encode(),
        "List of couriers and exchange offices",
    )
    return r


def _pak_usa_refused(s: _Story) -> Request:
    r = s.draft(
        "pak.officer",
        _data(
            case="DEMO-PK-2026-0210",
            type="mla",
            to="USA",
            title="Subscriber and account records for a cyber-fraud ring",
            facts=(
                "A group in Karachi used e-mail accounts hosted in the United States to "
                "defraud importers of about USD 1.2 million through fake invoices."
            ),
            purpose="To obtain subscriber information and stored content of four accounts.",
            conducting="Federal Investigation Agency, Cyber Crime Wing, Karachi",
            legal_basis=UNTOC,
            offences=[
                OffenceData("0701", "Section 420 Pakistan Penal Code", "Cheating"),
                OffenceData("0903", "PECA 2016, section 14", "Electronic fraud"),
            ],
            measures=[MeasureData("documents", "Subscriber records and stored content")],
            persons=[PersonData("suspect", "Usman Tariq", date(1992, 8, 14), "PAK")],
        ),
    )
    r = s.act("pak.officer", r, "submit")
    r = s.act("usa.officer", r, "acknowledge")
    s.say(
        "usa.officer",
        r,
        "The request does not link the accounts to the offence. Stored content needs facts "
        "establishing probable cause under U.S. law.",
    )
    return s.act(
        "usa.officer",
        r,
        "refuse",
        reason="Stored content cannot be disclosed without facts showing probable cause. "
        "Subscriber records may be requested again with the missing facts.",
        ground="domestic_law_prohibits",
    )


def _uzb_kaz_postponed(s: _Story) -> Request:
    r = s.draft(
        "uzb.officer",
        _data(
            case="DEMO-UZ-2026-0055",
            type="freezing",
            to="KAZ",
            title="Freezing of accounts linked to a bribery case in Tashkent",
            facts=(
                "A former customs official received bribes for clearing goods at the "
                "Yallama crossing and kept the money in accounts in Shymkent."
            ),
            purpose="To prevent the transfer of the proceeds before confiscation.",
            conducting="Department for Combating Economic Crimes, Tashkent",
            legal_basis=UNCAC,
            urgency="urgent",
            urgency_reason="Transfers out of the accounts were observed last week.",
            offences=[OffenceData("07031", "Art. 210 Criminal Code of Uzbekistan", "Bribery")],
            measures=[MeasureData("freeze_assets", "Two accounts at a bank in Shymkent")],
            persons=[PersonData("accused", "Шухрат Алимов", date(1969, 10, 4), "UZB")],
            properties=[
                PropertyData(
                    kind="bank_account",
                    description="Two current accounts in tenge",
                    location="A bank in Shymkent",
                    currency="KZT",
                    offence_link="Bribes paid in by importers at the Yallama crossing",
                )
            ],
        ),
    )
    r = s.act("uzb.officer", r, "submit")
    r = s.act("kaz.officer", r, "acknowledge")
    r = s.act("kaz.officer", r, "assign", executing="kaz-afm")
    return s.act(
        "kaz.officer",
        r,
        "postpone",
        reason="Исполнение отложено до завершения проверки АФМ по связанным счетам.",
    )


def _irn_afg_acknowledged(s: _Story) -> Request:
    r = s.draft(
        "irn.officer",
        _data(
            case="DEMO-IR-2026-0120",
            type="records_extract",
            to="AFG",
            title="Criminal-record extract for an Afghan national tried in Mashhad",
            facts="The accused is on trial in Mashhad for armed robbery of a jewellery shop.",
            purpose="To learn of earlier convictions before sentencing.",
            conducting="دادسرای عمومی و انقلاب مشهد",
            nature="trial",
            offences=[OffenceData("0401", "Islamic Penal Code, art. 652", "Armed robbery")],
            measures=[MeasureData("criminal_record", "Extract of the criminal record")],
            persons=[PersonData("accused", "محمد ظاهر هراتی", date(1988, 2, 3), "AFG")],
            record_purpose="criminal_proceedings",
        ),
    )
    r = s.act("irn.officer", r, "submit")
    r = s.act("afg.officer", r, "acknowledge")
    s.say("afg.officer", r, "درخواست دریافت شد و به اداره سوابق کیفری ارسال گردید.")
    # Aged so that the answer falls due within days and the reminder has something to show.
    acknowledged = timezone.now() - timedelta(days=26)
    Request.objects.filter(pk=r.pk).update(
        submitted_at=acknowledged - timedelta(days=1),
        acknowledgement_due=acknowledged + timedelta(days=9),
        acknowledged_at=acknowledged,
        response_due=acknowledged + timedelta(days=28),
    )
    return r


def _kaz_aus_draft(s: _Story) -> Request:
    return s.draft(
        "kaz.officer",
        _data(
            case="DEMO-KZ-2026-0199",
            type="mla",
            to="AUS",
            title="Proceeds of an investment fraud held in Sydney",
            facts="Investors in Astana lost about KZT 2 billion to a fake trading platform.",
            purpose="To trace funds sent to two accounts in Sydney.",
            conducting="Anti-Corruption Service, Astana",
            legal_basis=UNTOC,
            offences=[OffenceData("0701", "Art. 190 Criminal Code of Kazakhstan", "Fraud")],
            measures=[MeasureData("bank_records", "Two accounts in Sydney, 2025")],
            persons=[PersonData("suspect", "Arman Bekov", date(1987, 5, 30), "KAZ")],
        ),
    )


def _rus_kaz_withdrawn(s: _Story) -> Request:
    r = s.draft(
        "rus.officer",
        _data(
            case="DEMO-RU-2026-0408",
            type="seizure",
            to="KAZ",
            title="Seizure of a vehicle stolen in Omsk",
            facts="A Toyota Land Cruiser stolen in Omsk in January 2026 was seen in Petropavl.",
            purpose="To seize the vehicle and return it to its owner.",
            conducting="Следственный отдел УМВД России по г. Омску",
            legal_basis=MINSK,
            offences=[
                OffenceData("05021", "Art. 158 Criminal Code of Russia", "Theft of a vehicle")
            ],
            measures=[MeasureData("search_and_seizure", "Vehicle VIN JTMHV05J604123456")],
            persons=[PersonData("suspect", "Игорь Лебедев", date(1993, 12, 1), "RUS")],
            properties=[
                PropertyData(
                    kind="vehicle",
                    description="Toyota Land Cruiser, white",
                    location="Petropavl",
                    identifier="VIN JTMHV05J604123456",
                    offence_link="The stolen vehicle itself",
                )
            ],
        ),
    )
    r = s.act("rus.officer", r, "submit")
    return s.act(
        "rus.officer",
        r,
        "withdraw",
        reason="Транспортное средство возвращено владельцу, необходимость в изъятии отпала.",
    )


def _tkm_uzb_partially(s: _Story) -> Request:
    r = s.draft(
        "tkm.officer",
        _data(
            case="DEMO-TM-2026-0017",
            type="transfer_of_proceedings",
            to="UZB",
            title="Transfer of proceedings: smuggling of migrants near Dashoguz",
            facts=(
                "Two Uzbek nationals organised illegal crossings of the border near Dashoguz "
                "for payment in 2025 and returned to Uzbekistan."
            ),
            purpose="To have the accused prosecuted in their state of nationality.",
            conducting="Prosecutor's Office of Dashoguz Region",
            legal_basis=MINSK,
            nature="prosecution",
            offences=[OffenceData("0805", "Art. 214 Criminal Code of Turkmenistan", "Smuggling")],
            measures=[MeasureData("other", "Take over the criminal proceedings")],
            persons=[
                PersonData("accused", "Rustam Nazarov", date(1986, 7, 7), "UZB"),
                PersonData("accused", "Ботир Жураев", None, "UZB"),
            ],
        ),
    )
    r = s.act("tkm.officer", r, "submit")
    r = s.act("uzb.officer", r, "acknowledge")
    r = s.act("uzb.officer", r, "start_execution")
    return s.act(
        "uzb.officer",
        r,
        "execute_partially",
        reason="Дело принято в отношении одного обвиняемого; второй в Узбекистане не найден.",
    )


def _kgz_tjk_closed(s: _Story) -> Request:
    r = s.draft(
        "kgz.officer",
        _data(
            case="DEMO-KG-2026-0093",
            type="conviction_notice",
            to="TJK",
            title="Notice of conviction of a Tajik national by the Bishkek city court",
            facts="The Bishkek city court convicted a Tajik national of serious assault.",
            purpose="To inform the state of nationality of the conviction.",
            conducting="Bishkek City Court",
            nature="enforcement",
            offences=[OffenceData("020111", "Art. 130 Criminal Code of Kyrgyzstan", "Assault")],
            measures=[MeasureData("criminal_record", "Enter the conviction in the register")],
            persons=[PersonData("convicted", "Шахбоз Назаров", date(1995, 9, 12), "TJK")],
        ),
    )
    r = s.act("kgz.officer", r, "submit")
    r = s.act("tjk.officer", r, "acknowledge")
    r = s.act("tjk.officer", r, "start_execution")
    s.say("tjk.officer", r, "Сведения о судимости внесены в реестр.")
    r = s.act("tjk.officer", r, "execute")
    return s.act("kgz.officer", r, "close")


def _usa_pak_submitted(s: _Story) -> Request:
    r = s.draft(
        "usa.officer",
        _data(
            case="DEMO-US-2026-0311",
            type="confiscation",
            to="PAK",
            title="Enforcement of a U.S. forfeiture order over real estate in Lahore",
            facts=(
                "A U.S. court ordered the forfeiture of a house in Lahore bought with bribes "
                "paid by a contractor to a procurement official."
            ),
            purpose="To register and enforce the forfeiture order in Pakistan.",
            conducting="U.S. District Court for the Eastern District of Virginia",
            legal_basis=UNCAC,
            nature="confiscation",
            offences=[
                OffenceData("0703", "18 U.S.C. § 201", "Bribery of a public official"),
                OffenceData("07041", "18 U.S.C. § 1956", "Money laundering"),
            ],
            measures=[MeasureData("confiscate_assets", "House in DHA Phase 5, Lahore")],
            persons=[PersonData("convicted", "Kamran Malik", date(1970, 3, 23), "PAK")],
            properties=[
                PropertyData(
                    kind="real_estate",
                    description="House in DHA Phase 5, Lahore",
                    location="Lahore",
                    estimated_value=Decimal("450000.00"),
                    currency="USD",
                    offence_link="Bought with the bribes paid by the contractor",
                    order_reference="1:24-cr-00311",
                    order_date=date(2025, 11, 14),
                    order_authority="U.S. District Court for the Eastern District of Virginia",
                )
            ],
        ),
    )
    r = s.act("usa.officer", r, "submit")
    s.say(
        "usa.officer",
        r,
        "A certified copy of the final order follows by courier. Please confirm the "
        "documents Pakistan needs to register it.",
    )
    return r


_STORIES: tuple[tuple[str, str, Callable[[_Story], Request]], ...] = (
    ("kaz.officer", "DEMO-KZ-2026-0142", _kaz_kgz_executed),
    ("kgz.officer", "DEMO-KG-2026-0077", _kgz_kaz_overdue),
    ("tjk.officer", "DEMO-TJ-2026-0031", _tjk_rus_in_execution),
    ("afg.officer", "DEMO-AF-2026-0009", _afg_irn_info_requested),
    ("pak.officer", "DEMO-PK-2026-0210", _pak_usa_refused),
    ("uzb.officer", "DEMO-UZ-2026-0055", _uzb_kaz_postponed),
    ("irn.officer", "DEMO-IR-2026-0120", _irn_afg_acknowledged),
    ("kaz.officer", "DEMO-KZ-2026-0199", _kaz_aus_draft),
    ("rus.officer", "DEMO-RU-2026-0408", _rus_kaz_withdrawn),
    ("tkm.officer", "DEMO-TM-2026-0017", _tkm_uzb_partially),
    ("kgz.officer", "DEMO-KG-2026-0093", _kgz_tjk_closed),
    ("usa.officer", "DEMO-US-2026-0311", _usa_pak_submitted),
)


def demo_build() -> DemoResult:
    """Create the demo users and sample requests that do not exist yet."""
    result = DemoResult()
    with emails_paused():
        people = demo_users(result)
        story = _Story(people)
        for author, case_reference, tell in _STORIES:
            requester = people.get(author)
            if requester is None:
                log.warning("demo story %s skipped: %s is missing", case_reference, author)
                continue
            if Case.objects.filter(
                authority=requester.authority, reference=case_reference
            ).exists():
                continue
            # One story is all or nothing, so a failed run leaves no half-told case.
            with transaction.atomic():
                tell(story)
            result.requests_created += 1
        records_users(result, people)
        from comity.assets.demo import assets_demo  # the asset ledger builds on the requests

        assets_demo(people)
        # The stories move submission dates back after the transitions: recompute the facts.
        from comity.stats.facts import rebuild

        rebuild()
    return result


def records_users(result: DemoResult, people: dict[str, User]) -> None:
    """The records bureaus' officers and the demo registers (comity.records.demo)."""
    from comity.records.demo import records_demo

    with transaction.atomic():
        demo = records_demo(make_user=_user, people=people)
    for username, authority_key, language in demo.users:
        result.accounts.append(DemoAccount(username, Role.OFFICER, authority_key, language))
