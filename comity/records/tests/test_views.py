"""The records pages through HTTP: an extract asked, answered across scripts and read in the
reader's language; notices matched or recorded as new persons; the register's own pages."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.records import services
from comity.records.models import (
    Answer,
    Conviction,
    ConvictionNotice,
    ExtractRequest,
    ExtractStatus,
    NoticeStatus,
    Person,
    Register,
    Source,
)
from comity.records.tests.world import (
    FRAUD_IN_KAZ,
    World,
    ask,
    build_world,
    client_for,
    person,
)
from tests.personas import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas: Personas, kgz_register: Register, kaz_register: Register) -> World:
    return build_world(personas, kgz_register, kaz_register)


def _extract_url(extract: ExtractRequest, action: str = "") -> str:
    name = f"records:extract_{action}" if action else "records:extract_detail"
    return reverse(name, kwargs={"id": extract.public_id})


def _notice_url(notice: ConvictionNotice, action: str = "") -> str:
    name = f"records:notice_{action}" if action else "records:notice_detail"
    return reverse(name, kwargs={"id": notice.public_id})


def _text(response: Response) -> str:
    return response.content.decode()


def _codes(code: Code) -> int:
    return AuditEvent.objects.filter(code=int(code)).count()


# --- asking for an extract -------------------------------------------------------------------


def test_the_form_offers_other_states_registers_and_states_the_deadline_rule(
    world: World,
) -> None:
    response = client_for(world.personas.requesting_officer).get(reverse("records:extract_new"))
    assert response.status_code == 200
    page = _text(response)
    assert 'value="KGZ"' in page
    assert 'value="KAZ"' not in page  # the officer's own state is asked directly
    assert re.search(r"within 10 working days for criminal proceedings and 20", page)
    for name in ("register_state", "purpose", "subject_name", "subject_birth_date"):
        assert f'<label class="form-label" for="id_{name}">' in page


def test_asking_sends_the_request_and_lands_on_it(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    response = client.post(
        reverse("records:extract_new"),
        {
            "register_state": "KGZ",
            "purpose": "employment",
            "subject_name": "  Bakyt   Mukhtarov ",
            "subject_other_names": "Мухтаров Бакыт; Muxtarov Baqyt",
            "subject_birth_date": "1990-07",
            "subject_nationality": "kgz",
        },
    )
    extract = ExtractRequest.objects.exclude(pk=world.extract.pk).get()
    assert response.status_code == 302
    assert response["Location"] == _extract_url(extract)
    assert extract.subject_name == "Bakyt Mukhtarov"
    assert extract.subject_nationality == "KGZ"
    assert extract.requesting_authority == world.personas.kaz
    assert extract.due_on > timezone.localdate()


def test_bad_input_is_shown_at_the_fields_and_nothing_is_saved(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    before = (ExtractRequest.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("records:extract_new"),
        {
            "register_state": "KGZ",
            "purpose": "criminal",
            "subject_name": "Rustam Mukhtarov",
            "subject_birth_date": "14.03.1985",
            "subject_nationality": "QQQ",
        },
    )
    assert response.status_code == 400
    page = _text(response)
    assert 'id="id_subject_birth_date_error"' in page
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in page
    assert 'id="id_subject_nationality_error"' in page
    assert 'aria-invalid="true"' in page
    assert (ExtractRequest.objects.count(), AuditEvent.objects.count()) == before


def test_the_own_state_cannot_be_chosen(world: World) -> None:
    client = client_for(world.personas.requesting_officer)
    response = client.post(
        reverse("records:extract_new"),
        {"register_state": "KAZ", "purpose": "criminal", "subject_name": "Nurlan Asanov"},
    )
    assert response.status_code == 400
    assert 'id="id_register_state_error"' in _text(response)
    assert ExtractRequest.objects.count() == 1


# --- answering it ---------------------------------------------------------------------------


def test_the_keeper_sees_candidates_across_scripts_with_what_agrees_and_what_differs(
    world: World,
) -> None:
    response = client_for(world.keeper).get(_extract_url(world.extract))
    assert response.status_code == 200
    page = _text(response)
    first, second = (
        page.index(f"candidate-{world.mukhtarov.public_id}"),
        page.index(f"candidate-{world.namesake.public_id}"),
    )
    assert first < second  # the man asked about ranks first
    assert "Мухтаров Рустам Алиевич" in page
    assert "written in another script or romanisation" in page
    assert "the birth date is the same" in page
    # The namesake: the reasons against are shown, in the reader's terms.
    assert "the birth dates differ" in page
    assert "What differs or is missing" in page
    assert 'name="identity_note"' in page
    event = AuditEvent.objects.filter(code=int(Code.RECORDS_SEARCHED)).latest("seq")
    assert event.details["shown"][:2] == ["KG-0001", "KG-0002"]
    assert event.details["reference"] == world.extract.reference
    assert _codes(Code.EXTRACT_VIEWED) == 1


def test_the_requesting_side_never_sees_the_candidates(world: World) -> None:
    response = client_for(world.personas.requesting_officer).get(_extract_url(world.extract))
    assert response.status_code == 200
    page = _text(response)
    assert "KG-0001" not in page
    assert "Мухтаров" not in page
    assert "candidate-" not in page
    assert _codes(Code.RECORDS_SEARCHED) == 0
    assert "Withdraw the request" in page


def test_the_keeper_can_search_another_spelling(world: World) -> None:
    response = client_for(world.keeper).get(_extract_url(world.extract), {"also": "Asanov"})
    assert f"candidate-{world.asanov.public_id}" in _text(response)


def test_confirming_a_candidate_sends_the_extract_read_in_the_readers_language(
    world: World,
) -> None:
    keeper = client_for(world.keeper)
    response = keeper.post(
        _extract_url(world.extract, "answer"),
        {
            "person": str(world.mukhtarov.public_id),
            "identity_note": "Name, birth date and nationality agree.",
        },
    )
    assert response.status_code == 302
    extract = ExtractRequest.objects.get(pk=world.extract.pk)
    assert extract.status == ExtractStatus.ANSWERED
    assert extract.answer == Answer.EXTRACT
    assert extract.matched_person == world.mukhtarov
    assert _codes(Code.EXTRACT_IDENTITY_CONFIRMED) == 1

    reader = client_for(world.personas.requesting_officer)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = _text(reader.get(_extract_url(extract)))
    assert 'lang="ru"' in page
    assert "Кыргызстан" in page  # the register's state, named in Russian
    assert "ICCS 0502" in page
    assert "ст. 201 УК КР" in page
    assert "15 марта 2021" in page  # the decision date, written the Russian way
    assert "Name, birth date and nationality agree." in page
    assert "KG-0002" not in page  # the other candidate never leaves the register
    assert "Withdraw the request" not in page

    english = _text(client_for(world.personas.requesting_officer).get(_extract_url(extract)))
    assert "Kyrgyzstan" in english
    assert "March 15, 2021" in english
    assert "imprisonment" in english
    assert "36 months" in english
    assert "suspended for 24 months" in english


def test_no_record_is_an_answer_too(world: World) -> None:
    response = client_for(world.keeper).post(
        _extract_url(world.extract, "answer"),
        {"person": "none", "identity_note": "Only namesakes, born in other years."},
    )
    assert response.status_code == 302
    extract = ExtractRequest.objects.get(pk=world.extract.pk)
    assert (extract.status, extract.answer, extract.matched_person) == (
        ExtractStatus.ANSWERED,
        Answer.NO_RECORD,
        None,
    )
    page = _text(client_for(world.personas.requesting_officer).get(_extract_url(extract)))
    assert "The register holds no record of this person." in page


@pytest.mark.parametrize(
    "data",
    [
        {"person": "none", "identity_note": "  "},  # the note is required
        {"identity_note": "Agree."},  # a choice is required
        {"person": "00000000-0000-4000-8000-000000000000", "identity_note": "Agree."},
    ],
)
def test_an_incomplete_answer_changes_nothing(world: World, data: dict[str, str]) -> None:
    before = AuditEvent.objects.filter(code=int(Code.EXTRACT_ANSWERED)).count()
    response = client_for(world.keeper).post(_extract_url(world.extract, "answer"), data)
    assert response.status_code == 400
    assert "invalid-feedback" in _text(response)
    extract = ExtractRequest.objects.get(pk=world.extract.pk)
    assert extract.status == ExtractStatus.SUBMITTED
    assert extract.extract == {}
    assert AuditEvent.objects.filter(code=int(Code.EXTRACT_ANSWERED)).count() == before


def test_a_person_of_another_register_cannot_be_confirmed(world: World) -> None:
    response = client_for(world.keeper).post(
        _extract_url(world.extract, "answer"),
        {"person": str(world.kaz_person.public_id), "identity_note": "Agree."},
    )
    assert response.status_code == 400
    assert ExtractRequest.objects.get(pk=world.extract.pk).status == ExtractStatus.SUBMITTED


def test_withdrawing_closes_the_request_for_both_sides(world: World) -> None:
    response = client_for(world.personas.requesting_officer).post(
        _extract_url(world.extract, "withdraw")
    )
    assert response.status_code == 302
    assert ExtractRequest.objects.get(pk=world.extract.pk).status == ExtractStatus.WITHDRAWN
    keeper = client_for(world.keeper)
    page = _text(keeper.get(_extract_url(world.extract)))
    assert "withdrew this request" in page
    assert 'name="identity_note"' not in page
    late = keeper.post(
        _extract_url(world.extract, "answer"), {"person": "none", "identity_note": "Late."}
    )
    assert late.status_code == 403


def test_the_keepers_reviewer_reads_candidates_but_cannot_answer(world: World) -> None:
    client = client_for(world.keeper_reviewer)
    page = _text(client.get(_extract_url(world.extract)))
    assert f"candidate-{world.mukhtarov.public_id}" in page
    assert 'name="identity_note"' not in page
    answer = client.post(
        _extract_url(world.extract, "answer"), {"person": "none", "identity_note": "No."}
    )
    assert answer.status_code == 403


# --- the home page --------------------------------------------------------------------------


def test_the_keepers_home_lists_incoming_requests_with_overdue_ones_marked(world: World) -> None:
    ExtractRequest.objects.filter(pk=world.extract.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = _text(client_for(world.keeper).get(reverse("records:home")))
    assert world.extract.reference in page
    assert "Overdue" in page
    assert "Асанов Нурлан" in page  # the notice received, to be matched
    assert 'id="extracts-incoming"' in page


def test_requests_awaiting_an_answer_come_before_answered_ones(world: World) -> None:
    later = ask(world.personas.requesting_officer, subject_name="Bakyt Mukhtarov")
    client_for(world.keeper).post(
        _extract_url(world.extract, "answer"), {"person": "none", "identity_note": "No one."}
    )
    page = _text(client_for(world.keeper).get(reverse("records:home")))
    assert page.index(later.reference) < page.index(world.extract.reference)


def test_notices_to_match_come_before_handled_ones(world: World) -> None:
    handled = world.notice
    client_for(world.keeper).post(_notice_url(handled, "create_person"), {"ref": "KG-0100"})
    newer = person(world.kaz, "KZ-0002", "Бекова Айгуль", "1991", "KGZ")
    services.conviction_record(actor=world.kaz_keeper, person=newer, data=FRAUD_IN_KAZ)
    older = person(world.kaz, "KZ-0003", "Осмонов Эрлан", "1988", "KGZ")
    services.conviction_record(actor=world.kaz_keeper, person=older, data=FRAUD_IN_KAZ)
    page = _text(client_for(world.keeper).get(reverse("records:home")))
    received = page[page.index('id="notices-received"') :]
    assert received.index("Осмонов Эрлан") < received.index("Асанов Нурлан")
    assert received.index("Бекова Айгуль") < received.index("Асанов Нурлан")


def test_the_extract_reads_right_to_left_in_persian(world: World) -> None:
    client_for(world.keeper).post(
        _extract_url(world.extract, "answer"),
        {"person": str(world.mukhtarov.public_id), "identity_note": "Agree."},
    )
    reader = client_for(world.personas.requesting_officer)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    response = reader.get(_extract_url(world.extract))
    assert response.status_code == 200
    page = _text(response)
    assert 'dir="rtl"' in page
    assert "ICCS 0502" in page
    assert "۲۰۲۱" in page  # the decision's year in Persian digits


def test_the_requesting_home_lists_what_it_sent_and_no_register(world: World) -> None:
    page = _text(client_for(world.personas.requesting_officer).get(reverse("records:home")))
    assert 'id="extracts-outgoing"' in page
    assert world.extract.reference in page
    assert 'id="extracts-incoming"' not in page
    assert "Conviction notices received" not in page


def test_the_home_page_costs_the_same_with_more_rows(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(5):
        ask(world.personas.requesting_officer, subject_name=f"Person {number}")
    client = client_for(world.keeper)
    client.get(reverse("records:home"))  # sessions and caches warm
    with django_assert_max_num_queries(10):
        assert client.get(reverse("records:home")).status_code == 200
    requesting = client_for(world.personas.requesting_officer)
    requesting.get(reverse("records:home"))
    with django_assert_max_num_queries(10):
        assert requesting.get(reverse("records:home")).status_code == 200


def test_the_extract_page_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world.keeper)
    client.get(_extract_url(world.extract))
    with django_assert_max_num_queries(25):
        assert client.get(_extract_url(world.extract)).status_code == 200


# --- notices --------------------------------------------------------------------------------


def test_a_notice_received_is_matched_to_a_person_across_scripts(world: World) -> None:
    client = client_for(world.keeper)
    page = _text(client.get(_notice_url(world.notice)))
    assert "Асанов Нурлан" in page
    assert f"candidate-{world.asanov.public_id}" in page
    assert "ICCS 0701" in page
    assert _codes(Code.NOTICE_VIEWED) == 1
    response = client.post(
        _notice_url(world.notice, "match"), {"person": str(world.asanov.public_id)}
    )
    assert response.status_code == 302
    notice = ConvictionNotice.objects.get(pk=world.notice.pk)
    assert (notice.status, notice.person) == (NoticeStatus.MATCHED, world.asanov)
    recorded = Conviction.objects.get(person=world.asanov)
    assert recorded.offences.get().iccs.code == "0701"
    assert recorded.court == "Алмалинский районный суд г. Алматы"


def test_a_notice_about_someone_new_creates_the_person(world: World) -> None:
    response = client_for(world.keeper).post(
        _notice_url(world.notice, "create_person"), {"ref": "KG-0100"}
    )
    assert response.status_code == 302
    created = Person.objects.get(register=world.kgz, ref="KG-0100")
    assert created.full_name == "Асанов Нурлан"
    assert created.source == Source.NOTICE
    assert created.convictions.count() == 1
    assert ConvictionNotice.objects.get(pk=world.notice.pk).status == NoticeStatus.CREATED


def test_a_taken_reference_creates_nothing(world: World) -> None:
    response = client_for(world.keeper).post(
        _notice_url(world.notice, "create_person"), {"ref": "KG-0001"}
    )
    assert response.status_code == 400
    assert 'id="id_create_ref_error"' in _text(response)
    assert ConvictionNotice.objects.get(pk=world.notice.pk).status == NoticeStatus.RECEIVED
    assert Person.objects.filter(register=world.kgz).count() == 3


def test_the_sender_reads_the_notice_without_candidates(world: World) -> None:
    page = _text(client_for(world.kaz_keeper).get(_notice_url(world.notice)))
    assert "Асанов Нурлан" in page
    assert "candidate-" not in page
    assert 'id="match-form"' not in page


# --- the register's pages -------------------------------------------------------------------


def test_the_register_lists_persons_and_searches_them_with_reasons(world: World) -> None:
    client = client_for(world.keeper)
    listing = _text(client.get(reverse("records:person_list")))
    assert "KG-0001" in listing and "KG-0003" in listing
    found = client.get(reverse("records:person_list"), {"q": "Rustam Mukhtarov"})
    page = _text(found)
    assert page.index(f"candidate-{world.mukhtarov.public_id}") < page.index(
        f"candidate-{world.namesake.public_id}"
    )
    assert "written in another script or romanisation" in page
    event = AuditEvent.objects.filter(code=int(Code.RECORDS_SEARCHED)).latest("seq")
    assert event.details["names"] == ["Rustam Mukhtarov"]


def test_a_search_with_a_bad_birth_date_says_so(world: World) -> None:
    response = client_for(world.keeper).get(
        reverse("records:person_list"), {"q": "Mukhtarov", "birth_date": "85"}
    )
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in _text(response)
    assert _codes(Code.RECORDS_SEARCHED) == 0


def test_opening_a_person_is_audited(world: World) -> None:
    url = reverse("records:person_detail", kwargs={"id": world.mukhtarov.public_id})
    page = _text(client_for(world.keeper).get(url))
    assert "Мухтаров Рустам Алиевич" in page
    assert "ICCS 0502" in page
    event = AuditEvent.objects.filter(code=int(Code.PERSON_VIEWED)).get()
    assert event.subject_id == str(world.mukhtarov.public_id)


def test_a_person_is_entered_by_hand_with_other_names_and_found_by_them(world: World) -> None:
    client = client_for(world.keeper)
    response = client.post(
        reverse("records:person_new"),
        {
            "ref": "KG-0200",
            "full_name": "Тошматов Алишер",
            "birth_date": "1970",
            "nationalities": "KGZ UZB",
            "other_names": "spelling: Toshmatov Alisher\nalias: Ali",
        },
    )
    created = Person.objects.get(register=world.kgz, ref="KG-0200")
    assert response.status_code == 302
    assert sorted(created.other_names.values_list("kind", "name")) == [
        ("alias", "Ali"),
        ("spelling", "Toshmatov Alisher"),
    ]
    assert _codes(Code.PERSON_CREATED) >= 1
    edit = reverse("records:person_edit", kwargs={"id": created.public_id})
    assert "spelling: Toshmatov Alisher" in _text(client.get(edit))


def test_bad_person_input_saves_nothing(world: World) -> None:
    response = client_for(world.keeper).post(
        reverse("records:person_new"),
        {"ref": "KG-0001", "full_name": "Someone", "other_names": "nickname Ali"},
    )
    assert response.status_code == 400
    assert 'id="id_other_names_error"' in _text(response)
    response = client_for(world.keeper).post(
        reverse("records:person_new"), {"ref": "KG-0001", "full_name": "Someone"}
    )
    assert response.status_code == 400
    assert 'id="id_ref_error"' in _text(response)
    assert Person.objects.filter(register=world.kgz).count() == 3


def test_a_conviction_is_recorded_with_its_offences_and_penalties(world: World) -> None:
    url = reverse("records:conviction_new", kwargs={"id": world.namesake.public_id})
    client = client_for(world.keeper)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "court": "Первомайский районный суд г. Бишкек",
            "decision_date": "2023-05-02",
            "offence-0-iccs": "0601",
            "offence-0-provision": "ст. 247 УК КР",
            "penalty-0-kind": "fine",
            "penalty-0-amount": "50000",
            "penalty-0-currency": "kgs",
        },
    )
    assert response.status_code == 302
    conviction = Conviction.objects.get(person=world.namesake)
    assert conviction.offences.get().provision == "ст. 247 УК КР"
    assert conviction.penalties.get().currency == "KGS"


def test_a_conviction_without_offences_is_refused_and_nothing_saved(world: World) -> None:
    url = reverse("records:conviction_new", kwargs={"id": world.namesake.public_id})
    response = client_for(world.keeper).post(
        url, {"court": "Суд", "decision_date": "2023-05-02", "penalty-0-kind": "fine"}
    )
    assert response.status_code == 400
    assert "Give at least one offence." in _text(response)
    assert not Conviction.objects.filter(person=world.namesake).exists()
