"""Demo asset ledger: one Kazakh case whose proceeds were hidden in Kyrgyzstan, Uzbekistan
and Kazakhstan itself, followed from tracing to a partial return.

Kazakhstan's GPO (``kaz.officer``) sends a freezing request to Kyrgyzstan and a
confiscation request to Uzbekistan. The requested sides' officers record the orders their
courts made:

- a bank account in Kyrgyzstan (US dollars) held by a nominee, partly frozen: the freezing
  order expires in ten days, so the expiry warning shows;
- a car in Kyrgyzstan (som), seized, its order already renewed once;
- a flat in Tashkent (sum), seized, confiscated, sold at auction, and partly returned to
  Kazakhstan under a UNCAC art. 57 agreement with the sale costs deducted;
- shares of a company in Uzbekistan (sum, with an ISIN), confiscation ordered and pending;
- a crypto wallet in Kazakhstan (tenge), still being traced.

Every date counts back from today, so the demo stays current. Everything goes through the
services (comity/assets/services.py), so the timelines and the audit log look as after real
work. Every person, company, account and wallet here is invented.

The exchange rates come from ``reference/sample_rates.csv``: round SAMPLE figures marked
``sample`` and named as such in their source, for the demo only. They are not real rates.

Building twice adds nothing: the case is looked up by its reference first, and a rate that
exists for its day is left alone.
"""

from __future__ import annotations

import csv
import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from comity.accounts.models import User
from comity.assets import services
from comity.assets.models import Asset, AssetStatus, ExchangeRate, Party
from comity.cooperation import services as cooperation
from comity.cooperation.models import Case, Request
from comity.cooperation.notifications import emails_paused
from comity.directory.models import State

log = logging.getLogger(__name__)

CASE_REFERENCE = "DEMO-KZ-2026-0230"
SAMPLE_RATES = Path(__file__).parent / "reference" / "sample_rates.csv"

REQUESTER = "kaz.officer"
KGZ_OFFICER = "kgz.officer"
UZB_OFFICER = "uzb.officer"
RATE_KEEPER = "hub.coordinator"

# Days before today.
KGZ_REQUEST_SENT = 260
UZB_REQUEST_SENT = 420
# The account's freezing order runs out within the 14-day reminder.
FREEZING_EXPIRES_IN = 10


@dataclass
class AssetsDemo:
    rates_created: int = 0
    assets_created: int = 0
    case: Case | None = None
    skipped: list[str] = field(default_factory=list)


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _state(iso3: str) -> State:
    return State.objects.get(iso3=iso3)


# Exchange rates --------------------------------------------------------------------------


def load_sample_rates(*, user: User | None, path: Path = SAMPLE_RATES) -> int:
    """Load the sample table; rows dated after today and days already recorded are left
    alone (a coordinator's real rate is never overwritten). Returns the rows created."""
    today = timezone.localdate()
    created = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day = datetime.date.fromisoformat(row["rate_date"])
            if day > today:
                continue
            if ExchangeRate.objects.filter(
                currency=row["currency"], quote=row["quote"], rate_date=day
            ).exists():
                continue
            services.rate_set(
                user=user,
                currency=row["currency"],
                quote=row["quote"],
                rate=Decimal(row["rate"]),
                rate_date=day,
                source=row["source"],
                sample=row["sample"].strip().lower() == "true",
            )
            created += 1
    return created


# Requests --------------------------------------------------------------------------------

_OFFENCES = [
    cooperation.OffenceData(
        "0703", "Art. 189 Criminal Code of Kazakhstan", "Embezzlement of budget funds"
    ),
    cooperation.OffenceData("07041", "Art. 218 Criminal Code of Kazakhstan", "Money laundering"),
]
_FACTS = (
    "Between 2022 and 2025 the director of a regional roads department paid invented "
    "contractors for repairs that were never made and moved the money through companies "
    "and front persons in Kyrgyzstan and Uzbekistan."
)
_SUSPECT = cooperation.PersonData("accused", "Серик Байжанов", datetime.date(1972, 5, 14), "KAZ")


def _age(request: Request, days: int) -> None:
    """Date the request back to when it was sent (the services stamp the real time and
    there is no other way to age a request); it is answered, so nothing falls due."""
    sent = timezone.now() - datetime.timedelta(days=days)
    Request.objects.filter(pk=request.pk).update(
        submitted_at=sent,
        acknowledged_at=sent + datetime.timedelta(days=3),
        acknowledgement_due=sent + datetime.timedelta(days=10),
        response_due=sent + datetime.timedelta(days=90),
    )


def _freezing_request(requester: User, kgz: User) -> Request:
    data = cooperation.RequestData(
        type="freezing",
        requested_state="KGZ",
        title="Freezing of an account and a car bought with embezzled road funds",
        urgency="urgent",
        urgency_reason="Money left the account in small transfers during the last month.",
        proceedings_nature="investigation",
        proceedings_reference=CASE_REFERENCE,
        case_reference=CASE_REFERENCE,
        conducting_authority="Anti-Corruption Service, Almaty",
        summary_of_facts=_FACTS,
        purpose="To keep the proceeds in Kyrgyzstan until a court in Kazakhstan decides.",
        legal_basis="UN Convention against Corruption (2003), arts. 46, 54(2) and 55",
        offences=list(_OFFENCES),
        assistance_sought=[
            cooperation.MeasureData("freeze_assets", "An account in Osh and a car in Bishkek")
        ],
        persons=[_SUSPECT],
        properties=[
            cooperation.PropertyData(
                kind="bank_account",
                description="Current account in US dollars opened by a nominee",
                location="Osh",
                identifier="1031200012345678",
                estimated_value=Decimal("240000.00"),
                currency="USD",
                offence_link="Payments for road repairs that were never made",
            ),
            cooperation.PropertyData(
                kind="vehicle",
                description="Toyota Land Cruiser 200, 2021",
                location="Bishkek",
                identifier="JTMDEM0V000000001",
                estimated_value=Decimal("5200000.00"),
                currency="KGS",
                offence_link="Bought with money from the nominee's account",
            ),
        ],
    )
    request = cooperation.request_create_draft(actor=requester, data=data)
    request = cooperation.request_transition(actor=requester, request=request, action="submit")
    request = cooperation.request_transition(actor=kgz, request=request, action="acknowledge")
    request = cooperation.request_transition(actor=kgz, request=request, action="start_execution")
    request = cooperation.request_transition(
        actor=kgz,
        request=request,
        action="execute_partially",
        reason="Счёт арестован частично: на нём найдено 180 000 долларов США из 240 000.",
    )
    _age(request, KGZ_REQUEST_SENT)
    return request


def _confiscation_request(requester: User, uzb: User) -> Request:
    data = cooperation.RequestData(
        type="confiscation",
        requested_state="UZB",
        title="Enforcement of a confiscation order over a flat and shares in Tashkent",
        proceedings_nature="confiscation",
        proceedings_reference=CASE_REFERENCE,
        case_reference=CASE_REFERENCE,
        conducting_authority="Specialised Inter-District Criminal Court, Almaty",
        summary_of_facts=_FACTS,
        purpose="To enforce the confiscation order and return the proceeds to Kazakhstan.",
        legal_basis="UN Convention against Corruption (2003), arts. 46, 54(1)(a), 55 and 57",
        offences=list(_OFFENCES),
        assistance_sought=[
            cooperation.MeasureData(
                "confiscate_assets", "A flat in Yunusabad and shares of a company in Tashkent"
            )
        ],
        persons=[_SUSPECT],
        properties=[
            cooperation.PropertyData(
                kind="real_estate",
                description="Three-room flat, Yunusabad district, Tashkent",
                location="Tashkent",
                estimated_value=Decimal("1650000000.00"),
                currency="UZS",
                offence_link="Bought in the name of the accused's sister with embezzled funds",
                order_reference="2-117/2025",
                order_date=_days_ago(UZB_REQUEST_SENT + 20),
                order_authority="Specialised Inter-District Criminal Court, Almaty",
            ),
            cooperation.PropertyData(
                kind="company_shares",
                description="35% of the shares of a construction company",
                location="Tashkent",
                identifier="UZDEMO000016",
                estimated_value=Decimal("3100000000.00"),
                currency="UZS",
                offence_link="Paid for with embezzled funds through a nominee company",
                order_reference="2-117/2025",
                order_date=_days_ago(UZB_REQUEST_SENT + 20),
                order_authority="Specialised Inter-District Criminal Court, Almaty",
            ),
        ],
    )
    request = cooperation.request_create_draft(actor=requester, data=data)
    request = cooperation.request_transition(actor=requester, request=request, action="submit")
    request = cooperation.request_transition(actor=uzb, request=request, action="acknowledge")
    request = cooperation.request_transition(actor=uzb, request=request, action="start_execution")
    _age(request, UZB_REQUEST_SENT)
    return request


# Assets ----------------------------------------------------------------------------------


def _beneficial_owner(case: Case, kaz: User, asset: Asset) -> None:
    """The accused is the beneficial owner of every asset of the case: one party, recorded
    with the first asset and linked to the others."""
    accused = Party.objects.filter(case=case, name=_SUSPECT.name).first()
    services.holder_add(
        user=kaz,
        asset=asset,
        role="beneficial_owner",
        party=accused,
        new_party=None
        if accused is not None
        else services.PartyData(
            kind="person", name=_SUSPECT.name, birth_date="1972-05-14", state=_state("KAZ")
        ),
    )


def _account(case: Case, request: Request, kaz: User, kgz: User) -> Asset:
    account = services.asset_create(
        user=kaz,
        case=case,
        request=request,
        data=services.AssetData(
            kind="bank_account",
            location_state=_state("KGZ"),
            identifier="1031200012345678",
            description="Current account in US dollars opened by a nominee",
            institution="Demo Commercial Bank, Osh branch",
            estimated_value=Decimal("240000.00"),
            currency="USD",
            valuation_date=_days_ago(KGZ_REQUEST_SENT + 10),
        ),
    )
    services.holder_add(
        user=kaz,
        asset=account,
        role="nominee",
        new_party=services.PartyData(
            kind="person",
            name="Айбек Сыдыков",
            birth_date="1990-08-02",
            state=_state("KGZ"),
            notes="Opened the account and signed every transfer; a driver by occupation.",
        ),
    )
    _beneficial_owner(case, kaz, account)
    services.order_record(
        user=kgz,
        asset=account,
        data=services.OrderData(
            kind="freezing",
            issuing_state=_state("KGZ"),
            issuing_authority="Osh City Court",
            legal_basis="UNCAC art. 54(2)(a); Criminal Procedure Code of Kyrgyzstan",
            reference="3-1450/2026",
            order_date=_days_ago(KGZ_REQUEST_SENT - 80),
            effective_date=_days_ago(KGZ_REQUEST_SENT - 80),
            expiry_date=_in_days(FREEZING_EXPIRES_IN),
            execution="partial",
            requested_amount=Decimal("240000.00"),
            amount=Decimal("180000.00"),
            currency="USD",
            execution_note="Only part of the balance was found; 60,000 USD had left the account.",
            request=request,
        ),
    )
    return account


def _car(case: Case, request: Request, kaz: User, kgz: User) -> Asset:
    car = services.asset_create(
        user=kaz,
        case=case,
        request=request,
        data=services.AssetData(
            kind="vehicle",
            location_state=_state("KGZ"),
            identifier="JTMDEM0V000000001",
            description="Toyota Land Cruiser 200, 2021, white",
            institution="Registration Department of Bishkek",
            estimated_value=Decimal("5200000.00"),
            currency="KGS",
            valuation_date=_days_ago(KGZ_REQUEST_SENT + 5),
        ),
    )
    services.holder_add(
        user=kaz,
        asset=car,
        role="front",
        new_party=services.PartyData(kind="person", name="Эрмек Турдубаев", state=_state("KGZ")),
    )
    _beneficial_owner(case, kaz, car)
    seizure = services.order_record(
        user=kgz,
        asset=car,
        data=services.OrderData(
            kind="seizure",
            issuing_state=_state("KGZ"),
            issuing_authority="Pervomaisky District Court, Bishkek",
            legal_basis="UNCAC art. 54(2)(a); Criminal Procedure Code of Kyrgyzstan",
            reference="3-0981/2026",
            order_date=_days_ago(KGZ_REQUEST_SENT - 60),
            expiry_date=_days_ago(20),
            execution="executed",
            execution_note="The car is kept at the court's guarded car park.",
            request=request,
        ),
    )
    services.order_renew(
        user=kgz,
        order=seizure,
        new_expiry=_in_days(160),
        renewed_on=_days_ago(30),
        reference="3-0981/2026-П",
        note="Extended for six months at the request of Kazakhstan.",
    )
    return car


def _flat(case: Case, request: Request, kaz: User, uzb: User) -> Asset:
    flat = services.asset_create(
        user=kaz,
        case=case,
        request=request,
        data=services.AssetData(
            kind="real_estate",
            location_state=_state("UZB"),
            identifier="10:09:04:02:01:0017",
            description="Three-room flat",
            institution="Cadastre Agency of Tashkent",
            address="Yunusabad district, Tashkent",
            estimated_value=Decimal("1650000000.00"),
            currency="UZS",
            valuation_date=_days_ago(UZB_REQUEST_SENT + 20),
        ),
    )
    services.holder_add(
        user=kaz,
        asset=flat,
        role="owner",
        new_party=services.PartyData(
            kind="person", name="Гульнара Байжанова", birth_date="1976", state=_state("KAZ")
        ),
    )
    _beneficial_owner(case, kaz, flat)
    court = "Tashkent City Court for Criminal Cases"
    services.order_record(
        user=uzb,
        asset=flat,
        data=services.OrderData(
            kind="seizure",
            issuing_state=_state("UZB"),
            issuing_authority=court,
            legal_basis="UNCAC art. 54(2)(a)",
            reference="4-210/2025",
            order_date=_days_ago(UZB_REQUEST_SENT - 15),
            execution="executed",
            request=request,
        ),
    )
    services.order_record(
        user=uzb,
        asset=flat,
        data=services.OrderData(
            kind="confiscation",
            confiscation_basis="conviction",
            issuing_state=_state("UZB"),
            issuing_authority=court,
            legal_basis="UNCAC art. 54(1)(a) and 55(1)(b): the Almaty court's order recognised",
            reference="4-210/2025-К",
            order_date=_days_ago(UZB_REQUEST_SENT - 120),
            execution="executed",
            request=request,
        ),
    )
    services.order_record(
        user=uzb,
        asset=flat,
        data=services.OrderData(
            kind="disposal",
            issuing_state=_state("UZB"),
            issuing_authority="Enforcement Bureau of Tashkent",
            reference="АУК-2026-0388",
            order_date=_days_ago(150),
            execution="executed",
            amount=Decimal("1540000000.00"),
            currency="UZS",
            execution_note="Sold at a public auction.",
            request=request,
        ),
    )
    agreement = services.agreement_record(
        user=uzb,
        case=case,
        data=services.AgreementData(
            kind="return",
            basis="uncac_57_3a",
            transferring_state=_state("UZB"),
            receiving_state=_state("KAZ"),
            concluded_on=_days_ago(90),
            reference="UZB-KAZ/57/2026",
            terms=(
                "The proceeds of the sale of the flat are returned to Kazakhstan in two "
                "instalments, less the reasonable costs of the custody and the auction "
                "(UNCAC art. 57(3)(a) and 57(4))."
            ),
        ),
    )
    services.transfer_record(
        user=uzb,
        agreement=agreement,
        asset=flat,
        transferred_on=_days_ago(60),
        gross_amount=Decimal("800000000.00"),
        expenses=Decimal("42500000.00"),
        currency="UZS",
        reference="TR-2026-01",
        note="First instalment; the costs of custody and the auction are deducted.",
    )
    return flat


def _shares(case: Case, request: Request, kaz: User, uzb: User) -> Asset:
    shares = services.asset_create(
        user=kaz,
        case=case,
        request=request,
        data=services.AssetData(
            kind="company_shares",
            location_state=_state("UZB"),
            identifier="UZDEMO000016",
            description="35% of the shares of a construction company",
            institution="Central Securities Depository of Uzbekistan",
            estimated_value=Decimal("3100000000.00"),
            currency="UZS",
            valuation_date=_days_ago(UZB_REQUEST_SENT + 20),
        ),
    )
    services.holder_add(
        user=kaz,
        asset=shares,
        role="nominee",
        share=Decimal("35"),
        new_party=services.PartyData(
            kind="company",
            name="Orient Build Holding Ltd",
            registration_number="DEMO-305112",
            state=_state("UZB"),
        ),
    )
    _beneficial_owner(case, kaz, shares)
    court = "Tashkent City Court for Criminal Cases"
    services.order_record(
        user=uzb,
        asset=shares,
        data=services.OrderData(
            kind="seizure",
            issuing_state=_state("UZB"),
            issuing_authority=court,
            legal_basis="UNCAC art. 54(2)(a)",
            reference="4-211/2025",
            order_date=_days_ago(UZB_REQUEST_SENT - 15),
            execution="executed",
            request=request,
        ),
    )
    services.order_record(
        user=uzb,
        asset=shares,
        data=services.OrderData(
            kind="confiscation",
            confiscation_basis="conviction",
            issuing_state=_state("UZB"),
            issuing_authority=court,
            legal_basis="UNCAC art. 55(1)(b)",
            reference="4-211/2025-К",
            order_date=_days_ago(20),
            execution="requested",
            execution_note="Waiting for the depository to register the transfer.",
            request=request,
        ),
    )
    return shares


def _wallet(case: Case, kaz: User) -> Asset:
    wallet = services.asset_create(
        user=kaz,
        case=case,
        status=AssetStatus.TRACING_REQUEST,
        data=services.AssetData(
            kind="crypto",
            location_state=_state("KAZ"),
            identifier="0x5d1f3c0b9e8a27460d4c9f1e2b7a3c5d8e9f0a1b",
            description="Ether wallet that received transfers from the nominee's account",
            institution="An exchange registered in Astana (account holder not yet known)",
            estimated_value=Decimal("17000000.00"),
            currency="KZT",
            valuation_date=_days_ago(40),
        ),
    )
    _beneficial_owner(case, kaz, wallet)
    return wallet


# The whole story ---------------------------------------------------------------------------


def assets_demo(people: dict[str, User]) -> AssetsDemo:
    """Sample rates and the demo case's assets; idempotent."""
    result = AssetsDemo()
    with emails_paused():
        result.rates_created = load_sample_rates(user=people.get(RATE_KEEPER))
        kaz, kgz, uzb = (people.get(name) for name in (REQUESTER, KGZ_OFFICER, UZB_OFFICER))
        if kaz is None or kgz is None or uzb is None or kaz.authority is None:
            log.warning("demo assets skipped: an officer of KAZ, KGZ or UZB is missing")
            result.skipped.append(CASE_REFERENCE)
            return result
        existing = Case.objects.filter(authority=kaz.authority, reference=CASE_REFERENCE).first()
        if existing is not None:
            result.case = existing
            return result
        # All or nothing, so a failed run leaves no half-told case.
        with transaction.atomic():
            freezing = _freezing_request(kaz, kgz)
            case = freezing.case
            confiscation = _confiscation_request(kaz, uzb)
            assets = [
                _account(case, freezing, kaz, kgz),
                _car(case, freezing, kaz, kgz),
                _flat(case, confiscation, kaz, uzb),
                _shares(case, confiscation, kaz, uzb),
                _wallet(case, kaz),
            ]
        result.case = case
        result.assets_created = len(assets)
    return result
