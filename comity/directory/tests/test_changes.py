"""An authority's own users propose changes to its entry; a coordinator reviews them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from comity.accounts.models import Role
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory import changes
from comity.directory.changes import ChangeError, approve, confirm_current, propose, reject
from comity.directory.models import (
    Authority,
    ChangeStatus,
    ContactPoint,
    MeasureFiche,
    is_stale,
)
from comity.directory.search import search_authorities, search_contacts
from comity.directory.services import reference_load
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HOURS = {"office_hours": "Mon-Fri 08:30-17:30"}


def _audited(code: Code) -> int:
    return AuditEvent.objects.filter(code=code).count()


# Proposing ------------------------------------------------------------------------------


def test_an_officer_proposes_a_change_to_its_own_entry(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS, comment="new")
    assert change.status == ChangeStatus.PENDING
    assert change.proposed == HOURS
    assert change.previous == {"office_hours": "Mon-Fri 09:00-18:00"}
    assert _audited(Code.DIRECTORY_CHANGE_PROPOSED) == 1
    # Nothing is applied before review.
    personas.kgz.refresh_from_db()
    assert personas.kgz.office_hours == "Mon-Fri 09:00-18:00"


def test_an_officer_of_another_authority_is_refused(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        propose(personas.requesting_officer, personas.kgz, "authority", HOURS)


def test_a_read_only_reviewer_cannot_propose(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        propose(personas.requested_reviewer, personas.kgz, "authority", HOURS)


def test_a_proposal_without_a_difference_is_refused(personas: Personas) -> None:
    with pytest.raises(ChangeError, match="Nothing changed"):
        propose(
            personas.requested_officer,
            personas.kgz,
            "authority",
            {"office_hours": "Mon-Fri 09:00-18:00"},
        )


@pytest.mark.parametrize(
    "values",
    [
        {"key": "kgz-new"},  # not editable
        {"is_primary": False},  # a reference field
        {"email": "not an address"},
        {"accepted_languages": ["russian"]},
        {"channels": [{"channel": "pigeon"}]},
        {"channels": [{"channel": "interpol", "measures": ["teleportation"]}]},
        {"documents": {"mla": 5}},
        {"time_zone": "Asia/Nowhere"},
        {"dual_criminality": "sometimes"},
        {"typical_execution_days": "-3"},
    ],
)
def test_bad_values_are_refused_naming_the_field_and_change_nothing(
    personas: Personas, values: dict[str, object]
) -> None:
    with pytest.raises(ChangeError) as refused:
        propose(personas.requested_officer, personas.kgz, "authority", values)
    assert refused.value.field == next(iter(values))
    assert not personas.kgz.changes.exists()


def test_a_refusal_about_the_whole_proposal_names_no_field(personas: Personas) -> None:
    with pytest.raises(ChangeError) as refused:
        propose(
            personas.requested_officer, personas.kgz, "authority", {"key": "x", "is_primary": False}
        )
    assert refused.value.field is None
    with pytest.raises(ChangeError, match="Nothing changed") as refused:
        propose(
            personas.requested_officer,
            personas.kgz,
            "authority",
            {"office_hours": "Mon-Fri 09:00-18:00"},
        )
    assert refused.value.field is None


def test_a_new_contact_without_a_name_is_refused_naming_the_field(personas: Personas) -> None:
    with pytest.raises(ChangeError) as refused:
        propose(personas.requested_officer, personas.kgz, "contact", {"role": "Analyst"})
    assert refused.value.field == "name"


def test_values_are_cleaned_into_their_stored_shape(personas: Personas) -> None:
    change = propose(
        personas.requested_officer,
        personas.kgz,
        "authority",
        {
            "accepted_languages": "KY; ru; en",
            "typical_execution_days": "45",
            "translation_certified": True,
            "email": " mla@example.org ",
            "channels": [{"channel": "interpol", "measures": ["provisional_arrest"]}],
        },
    )
    assert change.proposed == {
        "accepted_languages": ["ky", "ru", "en"],
        "typical_execution_days": 45,
        "translation_certified": True,
        "email": "mla@example.org",
        "channels": [{"channel": "interpol", "measures": ["provisional_arrest"], "note": ""}],
    }


# Reviewing ------------------------------------------------------------------------------


def test_a_coordinator_approves_and_the_change_is_applied_with_history(
    personas: Personas,
) -> None:
    change = propose(
        personas.requested_officer,
        personas.kgz,
        "authority",
        {**HOURS, "name_ru": "Генпрокуратура Кыргызстана"},
    )
    approve(personas.coordinator, change, note="checked by phone")
    kgz = Authority.objects.get(pk=personas.kgz.pk)
    assert kgz.office_hours == HOURS["office_hours"]
    assert kgz.last_verified == timezone.localdate()
    assert kgz.verified_by == personas.coordinator
    assert "office_hours" not in kgz.unsourced_fields  # given by the authority itself
    history = list(kgz.history.order_by("history_date"))
    assert len(history) == 2  # loaded, then this change
    assert history[-1].history_user == personas.coordinator
    assert "kgz.officer" in (history[-1].history_change_reason or "")
    assert "checked by phone" in (history[-1].history_change_reason or "")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.reviewed_by == personas.coordinator
    assert _audited(Code.DIRECTORY_CHANGE_APPROVED) == 1
    assert kgz in search_authorities("Генпрокуратура")


def test_a_reviewer_of_an_authority_cannot_approve(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    with pytest.raises(PermissionDenied):
        approve(personas.requested_reviewer, change)
    with pytest.raises(PermissionDenied):
        approve(personas.node_admin, change)


def test_nobody_approves_their_own_proposal(personas: Personas) -> None:
    officer = personas.requested_officer
    change = propose(officer, personas.kgz, "authority", HOURS)
    officer.role = Role.COORDINATOR
    officer.save()
    with pytest.raises(ChangeError):
        approve(officer, change)


def test_a_stale_proposal_is_refused(personas: Personas) -> None:
    first = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    second = propose(
        personas.requested_officer, personas.kgz, "authority", {"office_hours": "24/7"}
    )
    approve(personas.coordinator, second)
    with pytest.raises(ChangeError, match="changed since"):
        approve(personas.coordinator, first)
    first.refresh_from_db()
    assert first.status == ChangeStatus.PENDING
    assert Authority.objects.get(pk=personas.kgz.pk).office_hours == "24/7"


def test_a_closed_proposal_cannot_be_reviewed_again(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    approve(personas.coordinator, change)
    with pytest.raises(ChangeError):
        approve(personas.coordinator, change)
    with pytest.raises(ChangeError):
        reject(personas.coordinator, change, "too late")


def test_rejecting_needs_a_reason_and_applies_nothing(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    with pytest.raises(ChangeError):
        reject(personas.coordinator, change, "  ")
    reject(personas.coordinator, change, "Please cite the order that set these hours.")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert change.review_note.startswith("Please cite")
    assert Authority.objects.get(pk=personas.kgz.pk).office_hours == "Mon-Fri 09:00-18:00"
    assert _audited(Code.DIRECTORY_CHANGE_REJECTED) == 1


def test_only_the_proposer_withdraws_and_only_while_pending(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    with pytest.raises(PermissionDenied):
        changes.withdraw(personas.coordinator, change)
    changes.withdraw(personas.requested_officer, change)
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    with pytest.raises(ChangeError):
        changes.withdraw(personas.requested_officer, change)
    with pytest.raises(ChangeError):
        approve(personas.coordinator, change)


# Contact points and fiches ----------------------------------------------------------------


def test_a_new_contact_point_is_created_on_approval(personas: Personas) -> None:
    change = propose(
        personas.requested_officer,
        personas.kgz,
        "contact",
        {
            "name": "Чолпон Бекова",
            "name_latin": "Cholpon Bekova",
            "languages": ["ky", "ru"],
            "measures": ["bank_records"],
            "email": "c.bekova@example.org",
        },
    )
    assert not ContactPoint.objects.filter(name="Чолпон Бекова").exists()
    approve(personas.coordinator, change)
    contact = ContactPoint.objects.get(name="Чолпон Бекова")
    assert contact.authority == personas.kgz
    assert not contact.is_demo
    assert contact.last_verified == timezone.localdate()
    change.refresh_from_db()
    assert change.target_id == contact.pk
    assert contact in search_contacts("Bekova")
    assert contact in search_contacts("бекова", language="ky", measure="bank_records")


def test_a_contact_email_must_be_one_valid_address(personas: Personas) -> None:
    contact = personas.kgz.contacts.get()
    for email in ("a@example.org; b@example.org", "nobody"):
        with pytest.raises(ChangeError):
            propose(
                personas.requested_officer,
                personas.kgz,
                "contact",
                {"email": email},
                target_id=contact.pk,
            )


def test_a_contact_is_deactivated_through_a_proposal(personas: Personas) -> None:
    contact = personas.kgz.contacts.get()
    change = propose(
        personas.requested_officer,
        personas.kgz,
        "contact",
        {"is_active": False},
        target_id=contact.pk,
    )
    approve(personas.coordinator, change)
    contact.refresh_from_db()
    assert not contact.is_active
    assert contact not in search_contacts()


def test_another_authoritys_contact_cannot_be_targeted(personas: Personas) -> None:
    foreign = ContactPoint.objects.filter(authority__key="kaz-gpo").first()
    assert foreign is not None
    with pytest.raises(ChangeError):
        propose(
            personas.requested_officer,
            personas.kgz,
            "contact",
            {"role": "x"},
            target_id=foreign.pk,
        )


def test_a_fiche_of_the_own_state_is_changed_after_review(personas: Personas) -> None:
    fiche = MeasureFiche.objects.get(state__iso3="KGZ", measure="video_hearing")
    change = propose(
        personas.requested_officer,
        personas.kgz,
        "fiche",
        {"availability": "yes", "conditions": "Court hearings by video since 2022."},
        target_id=fiche.pk,
    )
    approve(personas.coordinator, change)
    fiche.refresh_from_db()
    assert fiche.availability == "yes"
    assert fiche.last_verified == timezone.localdate()
    other = MeasureFiche.objects.get(state__iso3="KAZ", measure="video_hearing")
    with pytest.raises(ChangeError):
        propose(
            personas.requested_officer,
            personas.kgz,
            "fiche",
            {"availability": "yes"},
            target_id=other.pk,
        )


def test_the_reference_loader_keeps_what_the_network_approved(personas: Personas) -> None:
    change = propose(personas.requested_officer, personas.kgz, "authority", HOURS)
    approve(personas.coordinator, change)
    reference_load()
    kgz = Authority.objects.get(pk=personas.kgz.pk)
    assert kgz.office_hours == HOURS["office_hours"]
    assert kgz.is_primary  # reference fields still come from the file


# Confirming and staleness -----------------------------------------------------------------


def test_confirming_an_entry_marks_it_verified_today(personas: Personas) -> None:
    assert personas.kgz.last_verified is not None
    Authority.objects.filter(pk=personas.kgz.pk).update(last_verified=date(2024, 1, 1))
    assert Authority.objects.get(pk=personas.kgz.pk).is_stale()
    confirmed = confirm_current(personas.requested_officer, personas.kgz)
    assert confirmed.last_verified == timezone.localdate()
    assert confirmed.verified_by == personas.requested_officer
    assert not confirmed.is_stale()
    assert _audited(Code.DIRECTORY_ENTRY_CONFIRMED) == 1
    with pytest.raises(PermissionDenied):
        confirm_current(personas.outsider, personas.kgz)


def test_an_entry_is_stale_after_a_year_or_when_never_verified() -> None:
    today = date(2026, 11, 28)
    assert is_stale(None, today)
    assert not is_stale(today - timedelta(days=365), today)
    assert is_stale(today - timedelta(days=366), today)
    assert not Authority(last_verified=today).is_stale(today)
