"""Building requests for tests through the real services."""

from __future__ import annotations

from datetime import date

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
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def draft(actor: User, **overrides: object) -> Request:
    return services.request_create_draft(actor=actor, data=complete_data(**overrides))


def submitted(actor: User, **overrides: object) -> Request:
    request = draft(actor, **overrides)
    return services.request_transition(actor=actor, request=request, action="submit")
