"""Default time limits (docs/DOMAIN.md §5.4): when an answer is due if the request names none."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from comity.cooperation.models import RequestType, Urgency

ACKNOWLEDGEMENT_DAYS: dict[str, int] = {
    Urgency.NORMAL: 10,
    Urgency.URGENT: 3,
    Urgency.VERY_URGENT: 1,
}

# Days from acknowledgement (or submission) to the expected answer when none is requested.
RESPONSE_DAYS: dict[str, int] = {
    RequestType.MLA: 90,
    RequestType.EXTRADITION: 120,
    RequestType.PROVISIONAL_ARREST: 40,  # UN Model Treaty on Extradition art. 9(4)
    RequestType.FREEZING: 7,
    RequestType.SEIZURE: 30,
    RequestType.CONFISCATION: 180,
    RequestType.ASSET_RETURN: 180,
    RequestType.RECORDS_EXTRACT: 28,  # ECRIS: 20 working days
    RequestType.CONVICTION_NOTICE: 28,
    RequestType.TRANSFER_OF_PROCEEDINGS: 180,
}

REMINDER_BEFORE = timedelta(days=3)


def acknowledgement_due(*, submitted_at: datetime, urgency: str) -> datetime:
    return submitted_at + timedelta(days=ACKNOWLEDGEMENT_DAYS.get(urgency, 10))


def response_due(*, start: datetime, request_type: str, time_limit: date | None) -> datetime:
    if time_limit is not None:
        return datetime.combine(time_limit, time.max, tzinfo=UTC)
    return start + timedelta(days=RESPONSE_DAYS.get(request_type, 90))
