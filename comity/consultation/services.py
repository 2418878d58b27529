"""Every change to a consultation goes through here.

Each service checks the policy, runs in one transaction, writes its audit event and raises
its notices inside it (their e-mails leave after commit). Nothing here writes to the request:
a consultation's revisions and comments never become part of the formal request, its
timeline, its messages or its documents.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.consultation import notices
from comity.consultation.models import (
    ClosedBecause,
    Consultation,
    ConsultationComment,
    ConsultationRevision,
    ConsultationStatus,
)
from comity.consultation.snapshot import changed_parts, part_names, snapshot_of
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import Request
from comity.directory.models import ContactPoint

MAX_TEXT = 20000


def _text(value: str, name: str, errors: dict[str, list[str]], *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[name] = [_("Write something first.")]
    elif len(value) > MAX_TEXT:
        errors[name] = [_("Keep it under 20,000 characters.")]
    elif "\x00" in value:
        errors[name] = [_("Text may not contain NUL characters.")]
    return value


def _audit(code: Code, actor: User | None, consultation: Consultation, **details: object) -> None:
    audit_record(
        code=code,
        actor=actor,
        subject_type="consultation",
        subject_id=str(consultation.public_id),
        details={"request": str(consultation.request.public_id), **details},
    )


def _closed_error() -> ValidationError:
    return ValidationError(
        {"consultation": [_("This consultation is closed: it can no longer change.")]}
    )


def _contact_point(
    request: Request, contact_point: uuid.UUID | None, errors: dict[str, list[str]]
) -> ContactPoint | None:
    if contact_point is None:
        return None
    found = ContactPoint.objects.filter(
        public_id=contact_point, authority_id=request.requested_authority_id, is_active=True
    ).first()
    if found is None:
        errors["contact_point"] = [_("Choose a contact point of the requested authority.")]
    return found


def consultation_open(
    *,
    actor: User,
    request: Request,
    contact_point: uuid.UUID | None = None,
    message: str = "",
) -> Consultation:
    """Share a draft with the requested central authority (revision 1). Refused with
    PermissionDenied for anyone but the requesting side's officers, with ValidationError for a
    request that is no longer a draft or a draft already shared; nothing changes then."""
    if not policy.can_open_consultation(actor, request):
        raise PermissionDenied(_("Only an officer of the requesting authority can share a draft."))
    errors: dict[str, list[str]] = {}
    message = _text(message, "message", errors, required=False)
    contact = _contact_point(request, contact_point, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Request.objects.select_for_update(of=("self",))
            .select_related("requested_state", "requested_authority", "created_by")
            .get(pk=request.pk)
        )
        if locked.status != Status.DRAFT:
            raise ValidationError({"request": [_("Only a draft can be shared for comments.")]})
        if Consultation.objects.filter(request=locked, status=ConsultationStatus.OPEN).exists():
            raise ValidationError(
                {"request": [_("This draft is already shared: share it again from there.")]}
            )
        now = timezone.now()
        consultation = Consultation.objects.create(
            request=locked,
            requesting_authority_id=locked.requesting_authority_id,
            requested_authority=locked.requested_authority,
            contact_point=contact,
            opened_by=actor,
            opened_at=now,
            last_activity_at=now,
        )
        ConsultationRevision.objects.create(
            consultation=consultation,
            number=1,
            snapshot=snapshot_of(locked),
            note=message,
            shared_by=actor,
            shared_at=now,
        )
        _audit(
            Code.CONSULTATION_OPENED,
            actor,
            consultation,
            reference=locked.reference,
            requested_authority=locked.requested_authority.key,
            contact_point=str(contact.public_id) if contact else "",
        )
        notices.announce_shared(consultation=consultation, number=1)
    return consultation


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related(
            "request__requested_state",
            "request__created_by",
            "requested_authority",
            "opened_by",
        )
        .get(pk=consultation.pk)
    )


def consultation_share_again(
    *, actor: User, consultation: Consultation, note: str = ""
) -> ConsultationRevision:
    """Share the draft as it is now: a new revision; the earlier ones stay as they were."""
    if not policy.may_manage_consultation(actor, consultation):
        raise PermissionDenied(_("Only the requesting authority's officers can share again."))
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(consultation)
        if not policy.consultation_is_open(locked):
            raise _closed_error()
        request = locked.request
        if request.requested_authority_id != locked.requested_authority_id:
            raise ValidationError(
                {
                    "draft": [
                        _(
                            "The draft is now addressed to another authority: close this "
                            "consultation and share the draft with that authority."
                        )
                    ]
                }
            )
        last = locked.revisions.order_by("-number").first()
        taken = snapshot_of(request)
        if last is not None and last.snapshot == taken:
            raise ValidationError(
                {
                    "draft": [
                        _("The draft has not changed since revision %(number)s was shared.")
                        % {"number": last.number}
                    ]
                }
            )
        now = timezone.now()
        revision = ConsultationRevision.objects.create(
            consultation=locked,
            number=locked.revision + 1,
            snapshot=taken,
            note=note,
            shared_by=actor,
            shared_at=now,
        )
        locked.revision = revision.number
        locked.last_activity_at = now
        locked.save(update_fields=["revision", "last_activity_at"])
        changed = changed_parts(last.snapshot, taken) if last is not None else []
        _audit(
            Code.CONSULTATION_SHARED_AGAIN,
            actor,
            locked,
            revision=revision.number,
            changed=changed,
        )
        notices.announce_shared(consultation=locked, number=revision.number)
    return revision


def consultation_comment(
    *, actor: User, consultation: Consultation, body: str, field: str = ""
) -> ConsultationComment:
    """Comment on the shared draft, on the whole or on one part of the current revision.
    The comment stays in the consultation: it is never copied into the request."""
    if not policy.may_comment_on_consultation(actor, consultation):
        raise PermissionDenied(_("You cannot comment on this consultation."))
    errors: dict[str, list[str]] = {}
    body = _text(body, "body", errors, required=True)
    field = (field or "").strip()
    if errors:
        raise ValidationError(errors)
    assert actor.authority is not None  # noqa: S101 (policy: only members comment)
    with transaction.atomic():
        locked = _lock(consultation)
        if not policy.consultation_is_open(locked):
            raise _closed_error()
        current = locked.revisions.get(number=locked.revision)
        if field and field not in part_names(current.snapshot):
            raise ValidationError({"field": [_("Choose a part of the shared draft.")]})
        now = timezone.now()
        comment = ConsultationComment.objects.create(
            consultation=locked,
            author=actor,
            author_authority=actor.authority,
            body=body,
            field=field,
            revision=locked.revision,
            created_at=now,
        )
        locked.last_activity_at = now
        locked.save(update_fields=["last_activity_at"])
        _audit(
            Code.CONSULTATION_COMMENTED,
            actor,
            locked,
            comment=str(comment.public_id),
            revision=locked.revision,
            field=field,
        )
        notices.announce_comment(consultation=locked, comment=comment)
    return comment


def _close(consultation: Consultation, *, actor: User | None, because: str) -> None:
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_by = actor
    consultation.closed_at = timezone.now()
    consultation.closed_because = because
    consultation.save(update_fields=["status", "closed_by", "closed_at", "closed_because"])
    _audit(Code.CONSULTATION_CLOSED, actor, consultation, because=because)


def consultation_close(*, actor: User, consultation: Consultation) -> Consultation:
    """End the consultation before submission (the requesting side). It stays readable."""
    if not policy.may_manage_consultation(actor, consultation):
        raise PermissionDenied(_("Only the requesting authority's officers can close it."))
    with transaction.atomic():
        locked = _lock(consultation)
        if locked.status != ConsultationStatus.OPEN:
            raise _closed_error()
        _close(locked, actor=actor, because=ClosedBecause.CLOSED)
    return locked


def close_for_request(request: Request, *, actor: User | None = None) -> int:
    """Close the open consultations of a request that is no longer a draft; returns how
    many. Meant for the submit and withdraw transitions (call it inside their transaction);
    a request still in draft is left alone. Safe to call more than once."""
    if request.status == Status.DRAFT:
        return 0
    because = (
        ClosedBecause.WITHDRAWN
        if request.status == Status.WITHDRAWN and request.submitted_at is None
        else ClosedBecause.SUBMITTED
    )
    with transaction.atomic():
        still_open = list(
            Consultation.objects.select_for_update(of=("self",))
            .select_related("request")
            .filter(request_id=request.pk, status=ConsultationStatus.OPEN)
        )
        for consultation in still_open:
            _close(consultation, actor=actor, because=because)
    return len(still_open)


def consultation_settle(*, consultation: Consultation) -> Consultation:
    """Close a consultation whose request left draft since it was last seen (the request's
    own services do not know of consultations), and return it as it now stands."""
    if consultation.status != ConsultationStatus.OPEN:
        return consultation
    if consultation.request.status == Status.DRAFT:
        return consultation
    close_for_request(consultation.request)
    consultation.refresh_from_db(fields=["status", "closed_by", "closed_at", "closed_because"])
    return consultation


def consultation_record_view(*, reader: User, consultation: Consultation, revision: int) -> None:
    """Audit a read of the shared draft and its comments."""
    _audit(Code.CONSULTATION_VIEWED, reader, consultation, revision=revision)
