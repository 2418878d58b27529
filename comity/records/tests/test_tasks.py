"""`comity tick` flags extract requests left unanswered past their due day, once."""

from __future__ import annotations

import datetime

import pytest

from comity.accounts.models import User
from comity.cooperation.models import Notification
from comity.cooperation.notifications import notification_path, notification_text
from comity.cooperation.tasks import tick
from comity.records import services
from comity.records.models import Register
from comity.records.services import ExtractData
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_an_unanswered_extract_past_due_is_flagged_to_both_sides_once(
    personas: Personas, kgz_register: Register, kgz_records: User
) -> None:
    extract = services.extract_request(
        actor=personas.requesting_officer,
        data=ExtractData(register_state="KGZ", purpose="criminal", subject_name="Azamat Mamytov"),
    )
    on_time = tick(now=datetime.datetime.combine(extract.due_on, datetime.time(12), datetime.UTC))
    assert on_time.extract_overdue == 0
    late = datetime.datetime.combine(
        extract.due_on + datetime.timedelta(days=1), datetime.time(12), datetime.UTC
    )
    assert tick(now=late).extract_overdue == 1
    tick(now=late)
    notices = Notification.objects.filter(kind="extract_overdue")
    assert set(notices.values_list("user", flat=True)) == {
        kgz_records.pk,
        personas.requesting_officer.pk,
        personas.requesting_reviewer.pk,
    }
    notice = notices.filter(user=kgz_records).get()
    assert extract.reference in notification_text(notice)
    assert notification_path(notice) == f"/records/extracts/{extract.public_id}/"


def test_an_answered_extract_is_never_overdue(
    personas: Personas, kgz_register: Register, kgz_records: User
) -> None:
    extract = services.extract_request(
        actor=personas.requesting_officer,
        data=ExtractData(register_state="KGZ", purpose="criminal", subject_name="Azamat Mamytov"),
    )
    services.extract_answer(
        actor=kgz_records, extract=extract, person=None, identity_note="No one by that name."
    )
    late = datetime.datetime.combine(
        extract.due_on + datetime.timedelta(days=5), datetime.time(12), datetime.UTC
    )
    assert tick(now=late).extract_overdue == 0
