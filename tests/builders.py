"""Building requests for tests through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.models import Request


def complete_data(**overrides: object) -> services.RequestData:
    data = services.RequestData(
        type="mla",
        requested_state="KGZ",
        title="Bank records of a drug-trafficking network",
        proceedings_nature="investigation",
        proceedings_reference="KZ-2026-0142",
        conducting_authority="Investigation Department, Almaty",
        summary_of_facts="Between 2024 and 2026 the suspects moved heroin through Osh.",
        offences=[
            services.OffenceData(
                iccs="0601",
                provision="Art. 297 Criminal Code",
                description="Trafficking in narcotic drugs",
            )
        ],
        assistance_sought=[
            services.MeasureData(measure="bank_records", details="Accounts at Bank X, 2024-2026")
        ],
        purpose="To trace the proceeds of the trafficking.",
        persons=[
            services.PersonData(
                role="suspect",
                name="Нурлан Ахметов",
                birth_date=date(1984, 3, 2),
                nationality="KAZ",
            )
        ],
    )
    for name, value in {**_type_extras(str(overrides.get("type", "mla"))), **overrides}.items():
        setattr(data, name, value)
    return data


def _type_extras(kind: str) -> dict[str, object]:
    """What a complete request of this type holds besides the MLA contents above."""
    if kind in {"extradition", "provisional_arrest"}:
        return {
            "extradition_basis": "prosecution",
            "warrant_reference": "No. 7-142/2026",
            "warrant_date": date(2026, 1, 15),
            "warrant_authority": "Specialised Inter-District Investigating Court, Almaty",
            "max_penalty": "15 years' imprisonment",
            "max_penalty_years": Decimal(15),
            "urgency_reason": "The person sought was seen in Bishkek and may leave.",
            "intention_to_request_extradition": True,
            "persons": [
                services.PersonData(
                    role="person_sought",
                    name="Нурлан Ахметов",
                    birth_date=date(1984, 3, 2),
                    nationality="KAZ",
                    details="Height 180 cm; passport N1234567; lives in Bishkek.",
                )
            ],
        }
    if kind in {"freezing", "seizure", "confiscation"}:
        return {
            "properties": [
                services.PropertyData(
                    kind="bank_account",
                    description="Current account in som",
                    location="Bank X, Osh branch",
                    identifier="KG12 3456 7890 1234 5678",
                    estimated_value=Decimal("125000.00"),
                    currency="USD",
                    offence_link="Proceeds of the heroin sales paid in by couriers",
                    order_reference="No. 2-55/2026",
                    order_date=date(2026, 2, 1),
                    order_authority="Almaty City Court",
                )
            ]
        }
    if kind == "records_extract":
        return {"record_purpose": "criminal_proceedings"}
    return {}


def draft(actor: User, **overrides: object) -> Request:
    return services.request_create_draft(actor=actor, data=complete_data(**overrides))


def submitted(actor: User, **overrides: object) -> Request:
    request = draft(actor, **overrides)
    return services.request_transition(actor=actor, request=request, action="submit")
