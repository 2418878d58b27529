"""The records exchange's writes: extracts, identity confirmation, notices, deadlines."""

from __future__ import annotations

import datetime

import pytest

from comity.accounts.models import User
from comity.audit.models import AuditEvent
from comity.cooperation.models import Notification
from comity.records import services
from comity.records.models import (
    Answer,
    Conviction,
    ConvictionNotice,
    ConvictionStatus,
    ExtractDeadline,
    ExtractRequest,
    ExtractStatus,
    NameKey,
    NoticeStatus,
    Person,
    Register,
)
from comity.records.services import (
    ConvictionData,
    ExtractData,
    OffenceData,
    PenaltyData,
    PersonData,
    RecordsError,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

THEFT = ConvictionData(
    court="Октябрьский районный суд г. Бишкек",
    decision_date=datetime.date(2021, 3, 15),
    final_date=datetime.date(2021, 4, 15),
    offences=(OffenceData(iccs="0502", provision="ст. 201 УК КР"),),
    penalties=(PenaltyData(kind="imprisonment", months=36, suspended=True, suspended_months=24),),
)


def _person(register: Register, ref: str, name: str, birth: str, nationalities: str) -> Person:
    return services.person_save(
        actor=None,
        register=register,
        data=PersonData(ref=ref, full_name=name, birth_date=birth, nationalities=nationalities),
    )


def _ask(personas: Personas, **changes: str) -> ExtractRequest:
    data = {
        "register_state": "KGZ",
        "purpose": "criminal",
        "subject_name": "Azamat Mamytov",
        "subject_birth_date": "1986-04-12",
        "subject_nationality": "kgz",
        **changes,
    }
    return services.extract_request(actor=personas.requesting_officer, data=ExtractData(**data))


def test_person_save_writes_keys_and_audits(kgz_register: Register, kgz_records: User) -> None:
    person = services.person_save(
        actor=kgz_records,
        register=kgz_register,
        data=PersonData(
            ref="KG1",
            full_name="Мамытов  Азамат",
            birth_date="1986-04",
            nationalities="KGZ, KAZ",
            other_names=(("Mamytov Azamat", "spelling"),),
        ),
    )
    assert person.full_name == "Мамытов Азамат"
    assert person.nationalities == "KGZ KAZ"
    assert NameKey.objects.filter(person=person).count() > 0
    assert AuditEvent.objects.filter(action="person_created", subject_id=str(person.public_id))


def test_person_save_refuses_bad_input_and_saves_nothing(kgz_register: Register) -> None:
    with pytest.raises(RecordsError) as refused:
        services.person_save(
            actor=None,
            register=kgz_register,
            data=PersonData(ref="", full_name=" ", birth_date="1986-13", nationalities="QQQ"),
        )
    assert set(refused.value.errors) == {"ref", "full_name", "birth_date", "nationalities"}
    assert not Person.objects.exists()


def test_duplicate_ref_is_refused(kgz_register: Register) -> None:
    _person(kgz_register, "KG1", "Мамытов Азамат", "1986", "KGZ")
    with pytest.raises(RecordsError) as refused:
        _person(kgz_register, "KG1", "Другой Человек", "1990", "KGZ")
    assert "ref" in refused.value.errors
    assert Person.objects.count() == 1


def test_extract_is_due_in_working_days_per_purpose(
    personas: Personas, kgz_register: Register
) -> None:
    criminal = _ask(personas)
    other = _ask(personas, purpose="employment")
    submitted = criminal.submitted_at.date()
    assert criminal.due_on > submitted
    assert (criminal.due_on - submitted).days in range(12, 17)  # 10 working days
    assert (other.due_on - submitted).days in range(26, 31)  # 20 working days
    assert criminal.reference.startswith("KAZ-CR-")
    assert criminal.reference != other.reference


def test_an_agreement_sets_its_own_deadline(personas: Personas, kgz_register: Register) -> None:
    ExtractDeadline.objects.create(
        requesting_state=personas.kaz.state,
        requested_state=kgz_register.state,
        criminal_days=3,
        other_days=5,
    )
    extract = _ask(personas)
    assert (extract.due_on - extract.submitted_at.date()).days in range(3, 6)


def test_extract_request_is_refused_with_reasons(
    personas: Personas, kgz_register: Register
) -> None:
    with pytest.raises(RecordsError) as refused:
        _ask(
            personas,
            register_state="ZZZ",
            purpose="curiosity",
            subject_name=" ",
            subject_birth_date="soon",
            subject_nationality="KGZ UZB",
        )
    assert set(refused.value.errors) == {
        "register_state",
        "purpose",
        "subject_name",
        "subject_birth_date",
        "subject_nationality",
    }
    assert not ExtractRequest.objects.exists()


def test_the_keeper_is_notified_and_answers_with_the_extract(
    personas: Personas, kgz_register: Register, kgz_records: User
) -> None:
    person = _person(kgz_register, "KG1", "Мамытов Азамат Турсунбекович", "1986-04-12", "KGZ")
    services.conviction_record(actor=kgz_records, person=person, data=THEFT)
    extract = _ask(personas)
    assert Notification.objects.filter(user=kgz_records, kind="extract_requested").exists()
    answered = services.extract_answer(
        actor=kgz_records, extract=extract, person=person, identity_note="Name and date match."
    )
    assert answered.status == ExtractStatus.ANSWERED
    assert answered.answer == Answer.EXTRACT
    [conviction] = answered.extract["convictions"]
    assert conviction["offences"] == [
        {"iccs": "0502", "provision": "ст. 201 УК КР", "committed_on": ""}
    ]
    assert conviction["penalties"][0]["kind"] == "imprisonment"
    assert answered.extract["person"]["ref"] == "KG1"
    assert Notification.objects.filter(
        user=personas.requesting_officer, kind="extract_answered"
    ).exists()
    actions = set(
        AuditEvent.objects.filter(subject_id=str(extract.public_id)).values_list(
            "action", flat=True
        )
    )
    assert {"extract_requested", "extract_identity_confirmed", "extract_answered"} <= actions


def test_spent_convictions_are_left_out_for_other_purposes(
    personas: Personas, kgz_register: Register, kgz_records: User
) -> None:
    person = _person(kgz_register, "KG1", "Мамытов Азамат", "1986-04-12", "KGZ")
    conviction = services.conviction_record(actor=kgz_records, person=person, data=THEFT)
    Conviction.objects.filter(pk=conviction.pk).update(status=ConvictionStatus.SPENT)
    for_court = services.extract_answer(
        actor=kgz_records, extract=_ask(personas), person=person, identity_note="Checked."
    )
    for_job = services.extract_answer(
        actor=kgz_records,
        extract=_ask(personas, purpose="employment"),
        person=person,
        identity_note="Checked.",
    )
    assert for_court.answer == Answer.EXTRACT and len(for_court.extract["convictions"]) == 1
    assert for_job.answer == Answer.NO_RECORD and for_job.extract["convictions"] == []


def test_no_record_answer_and_no_second_answer(
    personas: Personas, kgz_register: Register, kgz_records: User
) -> None:
    extract = _ask(personas)
    with pytest.raises(RecordsError):
        services.extract_answer(actor=kgz_records, extract=extract, person=None, identity_note="")
    answered = services.extract_answer(
        actor=kgz_records, extract=extract, person=None, identity_note="Nobody with this name."
    )
    assert answered.answer == Answer.NO_RECORD and answered.extract["person"] is None
    with pytest.raises(RecordsError):
        services.extract_answer(
            actor=kgz_records, extract=extract, person=None, identity_note="Again."
        )
    with pytest.raises(RecordsError):
        services.extract_withdraw(actor=personas.requesting_officer, extract=extract)


def test_a_person_of_another_register_cannot_be_disclosed(
    personas: Personas, kgz_register: Register, kaz_register: Register, kgz_records: User
) -> None:
    stranger = _person(kaz_register, "KZ1", "Мамытов Азамат", "1986-04-12", "KAZ")
    extract = _ask(personas)
    with pytest.raises(RecordsError):
        services.extract_answer(
            actor=kgz_records, extract=extract, person=stranger, identity_note="Same."
        )
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.SUBMITTED


def test_a_conviction_of_a_foreign_national_notifies_their_state(
    kgz_register: Register, kaz_register: Register, kgz_records: User, kaz_records: User
) -> None:
    convicted = _person(kgz_register, "KG4", "Сапаров Нурлан Болатович", "1984-02-07", "KAZ")
    conviction = services.conviction_record(actor=kgz_records, person=convicted, data=THEFT)
    notice = ConvictionNotice.objects.get(conviction=conviction)
    assert (notice.sender, notice.recipient) == (kgz_register, kaz_register)
    assert notice.content["person"]["full_name"] == "Сапаров Нурлан Болатович"
    assert notice.content["conviction"]["convicting_state"] == "KGZ"
    assert Notification.objects.filter(user=kaz_records, kind="conviction_notice").exists()
    # The Kazakh register writes him in Kazakh; the officer matches him.
    own = _person(kaz_register, "KZ1", "Сапаров Нұрлан Болатұлы", "1984-02-07", "KAZ")
    handled = services.notice_match(actor=kaz_records, notice=notice, person=own)
    assert handled.status == NoticeStatus.MATCHED
    recorded = handled.recorded_conviction
    assert recorded is not None and recorded.person == own
    assert recorded.convicting_state == kgz_register.state
    assert list(recorded.offences.values_list("iccs__code", flat=True)) == ["0502"]
    # A recorded foreign conviction does not travel back.
    assert ConvictionNotice.objects.count() == 1
    with pytest.raises(RecordsError):
        services.notice_match(actor=kaz_records, notice=notice, person=own)


def test_a_notice_may_create_the_person(
    kgz_register: Register, kaz_register: Register, kgz_records: User, kaz_records: User
) -> None:
    convicted = _person(kgz_register, "KG4", "Сапаров Нурлан", "1984-02-07", "KAZ")
    services.conviction_record(actor=kgz_records, person=convicted, data=THEFT)
    notice = ConvictionNotice.objects.get()
    handled = services.notice_create_person(actor=kaz_records, notice=notice, ref="KZ-NEW-1")
    assert handled.status == NoticeStatus.CREATED
    assert handled.person is not None and handled.person.register == kaz_register
    assert handled.person.full_name == "Сапаров Нурлан"
    assert handled.person.convictions.count() == 1


def test_nationals_of_the_register_state_send_no_notice(
    kgz_register: Register, kaz_register: Register, kgz_records: User
) -> None:
    own = _person(kgz_register, "KG1", "Мамытов Азамат", "1986", "KGZ")
    services.conviction_record(actor=kgz_records, person=own, data=THEFT)
    assert not ConvictionNotice.objects.exists()


def test_a_bad_conviction_is_refused_whole(kgz_register: Register, kgz_records: User) -> None:
    person = _person(kgz_register, "KG1", "Мамытов Азамат", "1986", "KAZ")
    bad = ConvictionData(
        court="",
        decision_date=datetime.date(2021, 3, 15),
        final_date=datetime.date(2021, 3, 1),
        offences=(OffenceData(iccs="9999", provision=""),),
        penalties=(),
    )
    with pytest.raises(RecordsError) as refused:
        services.conviction_record(actor=kgz_records, person=person, data=bad)
    assert set(refused.value.errors) == {"court", "final_date", "offences", "penalties"}
    assert not Conviction.objects.exists() and not ConvictionNotice.objects.exists()


def test_identity_documents_are_kept_and_checked(kgz_register: Register) -> None:
    person = services.person_save(
        actor=None,
        register=kgz_register,
        data=PersonData(
            ref="KG1",
            full_name="Мамытов Азамат",
            documents=(("passport", "AC1234567", "KGZ"),),
        ),
    )
    assert list(person.documents.values_list("kind", "number", "issuing_state")) == [
        ("passport", "AC1234567", "KGZ")
    ]
    with pytest.raises(RecordsError) as refused:
        services.person_save(
            actor=None,
            register=kgz_register,
            person=person,
            data=PersonData(
                ref="KG1", full_name="Мамытов Азамат", documents=(("visa", "", "QQQ"),)
            ),
        )
    assert set(refused.value.errors) == {"documents"}
    assert person.documents.count() == 1


def test_a_conviction_becomes_spent(kgz_register: Register, kgz_records: User) -> None:
    person = _person(kgz_register, "KG1", "Мамытов Азамат", "1986", "KGZ")
    conviction = services.conviction_record(actor=kgz_records, person=person, data=THEFT)
    with pytest.raises(RecordsError):
        services.conviction_status_set(
            actor=kgz_records,
            conviction=conviction,
            status="spent",
            since=datetime.date(2020, 1, 1),  # before the decision
        )
    services.conviction_status_set(
        actor=kgz_records, conviction=conviction, status="spent", since=datetime.date(2024, 3, 15)
    )
    conviction.refresh_from_db()
    assert (conviction.status, conviction.status_date) == ("spent", datetime.date(2024, 3, 15))
    assert AuditEvent.objects.filter(
        action="conviction_status_changed", subject_id=str(conviction.public_id)
    ).exists()
