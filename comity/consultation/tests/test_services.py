"""Sharing a draft, sharing it again, commenting and closing, through the services."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.audit.services import audit_verify
from comity.consultation import services
from comity.consultation.models import (
    ClosedBecause,
    Consultation,
    ConsultationRevision,
    ConsultationStatus,
)
from comity.consultation.notices import COMMENTED, SHARED
from comity.cooperation import services as cooperation
from comity.cooperation.models import Message, Notification, Request, TimelineEvent
from comity.directory.models import ContactPoint
from tests.builders import draft, submitted
from tests.personas import Personas

from .conftest import share

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
COMMENT = "Name the bank: our courts need it to issue the production order."


def _edit(personas: Personas, request: Request, **fields: Any) -> Request:
    data = cooperation.RequestData(provided=frozenset(fields))
    for name, value in fields.items():
        setattr(data, name, value)
    return cooperation.request_update_draft(
        actor=personas.requesting_officer, request=request, data=data
    )


def _comment(personas: Personas, consultation: Consultation, **kwargs: Any) -> Any:
    kwargs.setdefault("body", COMMENT)
    return services.consultation_comment(
        actor=personas.requested_officer, consultation=consultation, **kwargs
    )


def _codes(subject: Consultation) -> list[int]:
    return list(
        AuditEvent.objects.filter(
            subject_type="consultation", subject_id=str(subject.public_id)
        ).values_list("code", flat=True)
    )


# --- opening ------------------------------------------------------------------------------


def test_sharing_a_draft_takes_a_snapshot_of_what_a_formal_request_contains(
    personas: Personas,
) -> None:
    consultation = share(personas)
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.requesting_authority == personas.kaz
    assert consultation.requested_authority == personas.kgz
    revision = consultation.revisions.get()
    assert revision.number == 1
    assert revision.note == "Could you check this?"
    snap = revision.snapshot
    assert snap["reference"] == consultation.request.reference
    assert snap["fields"]["title"] == "Bank records of a drug-trafficking network"
    assert snap["fields"]["summary_of_facts"].startswith("Between 2024 and 2026")
    assert snap["offences"][0]["provision"] == "Art. 297 Criminal Code"
    assert snap["offences"][0]["iccs"].startswith("0601 ")
    assert snap["assistance_sought"] == [
        {"measure": "bank_records", "details": "Accounts at Bank X, 2024-2026"}
    ]
    assert snap["persons"][0]["name"] == "Нурлан Ахметов"
    assert snap["persons"][0]["nationality"] == "KAZ"
    assert snap["persons"][0]["birth_date"] == "1984-03-02"
    # Bookkeeping is not content.
    for name in ("status", "version", "search_text", "created_at", "submitted_at"):
        assert name not in snap["fields"]
    assert _codes(consultation) == [Code.CONSULTATION_OPENED]


def test_it_addresses_a_contact_point_of_the_requested_authority_only(
    personas: Personas,
) -> None:
    request = draft(personas.requesting_officer)
    theirs = ContactPoint.objects.filter(authority=personas.kgz, is_active=True).first()
    other = ContactPoint.objects.exclude(authority=personas.kgz).first()
    assert theirs is not None and other is not None
    with pytest.raises(ValidationError) as refused:
        services.consultation_open(
            actor=personas.requesting_officer, request=request, contact_point=other.public_id
        )
    assert "contact_point" in refused.value.message_dict
    assert not Consultation.objects.exists()
    opened = services.consultation_open(
        actor=personas.requesting_officer, request=request, contact_point=theirs.public_id
    )
    assert opened.contact_point == theirs


@pytest.mark.parametrize("who", ["requesting_reviewer", "requested_officer", "outsider"])
def test_only_the_requesting_sides_officers_share(personas: Personas, who: str) -> None:
    request = draft(personas.requesting_officer)
    with pytest.raises(PermissionDenied):
        services.consultation_open(actor=getattr(personas, who), request=request)
    assert not Consultation.objects.exists()


def test_it_refuses_to_share_a_submitted_request_or_a_draft_twice(personas: Personas) -> None:
    sent = submitted(personas.requesting_officer)
    with pytest.raises(PermissionDenied):
        services.consultation_open(actor=personas.requesting_officer, request=sent)
    consultation = share(personas)
    with pytest.raises(ValidationError) as refused:
        services.consultation_open(actor=personas.requesting_officer, request=consultation.request)
    assert "already shared" in str(refused.value)
    assert Consultation.objects.count() == 1


def test_a_closed_consultation_lets_the_draft_be_shared_anew(personas: Personas) -> None:
    consultation = share(personas)
    services.consultation_close(actor=personas.requesting_officer, consultation=consultation)
    again = services.consultation_open(
        actor=personas.requesting_officer, request=consultation.request
    )
    assert again.pk != consultation.pk


# --- revisions ----------------------------------------------------------------------------


def test_sharing_again_adds_a_revision_and_keeps_the_earlier_one_as_it_was(
    personas: Personas, consultation: Consultation
) -> None:
    _edit(personas, consultation.request, title="Bank records at Bank X, Osh branch")
    revision = services.consultation_share_again(
        actor=personas.requesting_officer, consultation=consultation, note="Bank named."
    )
    consultation.refresh_from_db()
    assert consultation.revision == 2
    assert revision.number == 2
    assert revision.note == "Bank named."
    first, second = ConsultationRevision.objects.filter(consultation=consultation)
    assert first.snapshot["fields"]["title"] == "Bank records of a drug-trafficking network"
    assert second.snapshot["fields"]["title"] == "Bank records at Bank X, Osh branch"
    shared_again = AuditEvent.objects.get(code=Code.CONSULTATION_SHARED_AGAIN)
    assert shared_again.details["changed"] == ["title"]
    assert shared_again.details["revision"] == 2


def test_it_refuses_to_share_again_what_has_not_changed(
    personas: Personas, consultation: Consultation
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.consultation_share_again(
            actor=personas.requesting_officer, consultation=consultation
        )
    assert "has not changed since revision 1" in str(refused.value)
    assert consultation.revisions.count() == 1


def test_it_refuses_to_share_again_with_an_authority_the_draft_no_longer_goes_to(
    personas: Personas, consultation: Consultation
) -> None:
    _edit(personas, consultation.request, requested_state="TJK")
    with pytest.raises(ValidationError) as refused:
        services.consultation_share_again(
            actor=personas.requesting_officer, consultation=consultation
        )
    assert "another authority" in str(refused.value)


@pytest.mark.parametrize("who", ["requested_officer", "requesting_reviewer"])
def test_only_the_requesting_sides_officers_share_again_or_close(
    personas: Personas, consultation: Consultation, who: str
) -> None:
    _edit(personas, consultation.request, title="Changed")
    with pytest.raises(PermissionDenied):
        services.consultation_share_again(actor=getattr(personas, who), consultation=consultation)
    with pytest.raises(PermissionDenied):
        services.consultation_close(actor=getattr(personas, who), consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.revision == 1
    assert consultation.status == ConsultationStatus.OPEN


# --- comments -----------------------------------------------------------------------------


def test_a_comment_records_the_revision_and_the_part_it_is_about(
    personas: Personas, consultation: Consultation
) -> None:
    comment = _comment(personas, consultation, field="summary_of_facts")
    assert comment.revision == 1
    assert comment.field == "summary_of_facts"
    assert comment.author_authority == personas.kgz
    event = AuditEvent.objects.get(code=Code.CONSULTATION_COMMENTED)
    assert event.details["field"] == "summary_of_facts"
    assert COMMENT not in str(event.details)  # the audit names the comment, never its text


@pytest.mark.parametrize(
    ("body", "field", "error"),
    [
        ("   ", "", "body"),
        ("x" * 20001, "", "body"),
        ("Fine", "status", "field"),
        ("Fine", "no_such_part", "field"),
    ],
)
def test_it_refuses_an_empty_or_misplaced_comment(
    personas: Personas, consultation: Consultation, body: str, field: str, error: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _comment(personas, consultation, body=body, field=field)
    assert error in refused.value.message_dict
    assert not consultation.comments.exists()


@pytest.mark.parametrize("who", ["requested_reviewer", "requesting_reviewer", "outsider"])
def test_reviewers_and_outsiders_do_not_comment(
    personas: Personas, consultation: Consultation, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.consultation_comment(
            actor=getattr(personas, who), consultation=consultation, body="Hello"
        )


def test_comments_never_become_part_of_the_formal_request(
    personas: Personas, consultation: Consultation
) -> None:
    request = consultation.request
    before = (
        Request.objects.get(pk=request.pk).version,
        TimelineEvent.objects.filter(request=request).count(),
    )
    _comment(personas, consultation, field="purpose")
    services.consultation_comment(
        actor=personas.requesting_officer, consultation=consultation, body="Thank you, done."
    )
    assert (
        Request.objects.get(pk=request.pk).version,
        TimelineEvent.objects.filter(request=request).count(),
    ) == before
    sent = cooperation.request_transition(
        actor=personas.requesting_officer, request=request, action="submit"
    )
    cooperation.message_post(actor=personas.requested_officer, request=sent, body="Received.")
    texts = [COMMENT, "Thank you, done.", "Could you check this?"]
    row = Request.objects.filter(pk=request.pk).values().get()
    for text in texts:
        assert not any(text in str(value) for value in row.values())
        for event in TimelineEvent.objects.filter(request=request):
            assert text not in event.reason
            assert text not in str(event.details)
        assert not Message.objects.filter(request=request, body__contains=text).exists()
    assert not request.attachments.exists()


# --- read-only after submission -------------------------------------------------------------


def test_submitting_the_request_makes_the_consultation_read_only(
    personas: Personas, consultation: Consultation
) -> None:
    cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    consultation.request.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _comment(personas, consultation)
    assert "closed" in str(refused.value)
    with pytest.raises(ValidationError):
        services.consultation_share_again(
            actor=personas.requesting_officer, consultation=consultation
        )
    assert not consultation.comments.exists()


def test_close_for_request_closes_once_and_says_why(
    personas: Personas, consultation: Consultation
) -> None:
    assert services.close_for_request(consultation.request) == 0  # still a draft
    sent = cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    # The submit transition closed it already, in its own transaction.
    assert services.close_for_request(sent, actor=personas.requesting_officer) == 0
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.closed_because == ClosedBecause.SUBMITTED
    assert consultation.closed_by == personas.requesting_officer
    assert _codes(consultation) == [Code.CONSULTATION_OPENED, Code.CONSULTATION_CLOSED]


def test_a_withdrawn_draft_closes_its_consultation_as_withdrawn(
    personas: Personas, consultation: Consultation
) -> None:
    withdrawn = cooperation.request_transition(
        actor=personas.requesting_officer,
        request=consultation.request,
        action="withdraw",
        reason="Not needed.",
    )
    settled = services.consultation_settle(
        consultation=Consultation.objects.select_related("request").get(pk=consultation.pk)
    )
    assert withdrawn.status == "withdrawn"
    assert settled.status == ConsultationStatus.CLOSED
    assert settled.closed_because == ClosedBecause.WITHDRAWN
    # Closed by the withdrawal itself, so it names who withdrew.
    assert settled.closed_by == personas.requesting_officer


def test_closing_twice_is_refused_and_changes_nothing(
    personas: Personas, consultation: Consultation
) -> None:
    services.consultation_close(actor=personas.requesting_officer, consultation=consultation)
    with pytest.raises(ValidationError):
        services.consultation_close(actor=personas.requesting_officer, consultation=consultation)
    assert _codes(consultation).count(Code.CONSULTATION_CLOSED) == 1
    consultation.refresh_from_db()
    assert consultation.closed_because == ClosedBecause.CLOSED


# --- notifications and audit ------------------------------------------------------------------


def test_sharing_notifies_the_requested_authority_and_e_mails_after_commit(
    personas: Personas, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        consultation = share(personas)
    notices = Notification.objects.filter(kind=SHARED)
    assert set(notices.values_list("user__username", flat=True)) == {
        "kgz.officer",
        "kgz.reviewer",
    }
    # The other side cannot open the draft itself: its notices point to no request.
    assert not notices.filter(request__isnull=False).exists()
    assert notices.first() is not None
    assert notices.first().params["consultation"] == str(consultation.public_id)  # type: ignore[union-attr]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kgz.officer@example.org",
        "kgz.reviewer@example.org",
    ]


def test_sharing_again_notifies_once_per_revision(
    personas: Personas, consultation: Consultation
) -> None:
    _edit(personas, consultation.request, purpose="To trace and freeze the proceeds.")
    services.consultation_share_again(actor=personas.requesting_officer, consultation=consultation)
    officer = Notification.objects.filter(user=personas.requested_officer, kind=SHARED)
    assert officer.count() == 2
    assert not Notification.objects.filter(user__authority=personas.kaz).exists()


def test_a_comment_of_the_requested_side_notifies_the_drafter(
    personas: Personas,
    consultation: Consultation,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _comment(personas, consultation)
    notices = Notification.objects.filter(kind=COMMENTED)
    assert list(notices.values_list("user__username", flat=True)) == ["kaz.officer"]
    assert notices.get().request == consultation.request
    assert [m.to[0] for m in mail.outbox] == ["kaz.officer@example.org"]


def test_a_reply_of_the_requesting_side_notifies_the_requested_authority(
    personas: Personas, consultation: Consultation
) -> None:
    services.consultation_comment(
        actor=personas.requesting_officer, consultation=consultation, body="Done."
    )
    notified = set(
        Notification.objects.filter(kind=COMMENTED).values_list("user__username", flat=True)
    )
    assert notified == {"kgz.officer", "kgz.reviewer"}


def test_a_refused_change_leaves_no_trace(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.consultation_open(
            actor=personas.requesting_officer, request=request, contact_point=uuid.uuid4()
        )
    assert AuditEvent.objects.count() == before
    assert not Notification.objects.exists()


def test_every_change_is_audited_in_the_chain(
    personas: Personas, consultation: Consultation
) -> None:
    _comment(personas, consultation)
    _edit(personas, consultation.request, title="New title")
    services.consultation_share_again(actor=personas.requesting_officer, consultation=consultation)
    services.consultation_record_view(
        reader=personas.requested_reviewer, consultation=consultation, revision=2
    )
    services.consultation_close(actor=personas.requesting_officer, consultation=consultation)
    assert _codes(consultation) == [
        Code.CONSULTATION_OPENED,
        Code.CONSULTATION_COMMENTED,
        Code.CONSULTATION_SHARED_AGAIN,
        Code.CONSULTATION_VIEWED,
        Code.CONSULTATION_CLOSED,
    ]
    viewed = AuditEvent.objects.get(code=Code.CONSULTATION_VIEWED)
    assert viewed.actor == personas.requested_reviewer
    assert viewed.authority_key == "kgz-gpo"
    assert audit_verify()[1] is None
