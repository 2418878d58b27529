"""Who hears of a consultation: the requested authority when a draft is shared with it or
the requesting side comments, the drafter when the requested side comments.

Built on comity.cooperation.notifications: notices are idempotent by key and their e-mails
leave only after the transaction commits. The requested side's notices name no request: it
cannot open the draft itself, only the consultation.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from comity.accounts.models import User
from comity.consultation.models import Consultation, ConsultationComment
from comity.cooperation.models import Notification
from comity.cooperation.notifications import Kind, notifications_email, notify_authority

SHARED = Kind.CONSULTATION_SHARED
COMMENTED = Kind.CONSULTATION_COMMENT


def _params(consultation: Consultation, **extra: object) -> dict[str, object]:
    return {
        "reference": consultation.request.reference,
        "consultation": str(consultation.public_id),
        **extra,
    }


def announce_shared(*, consultation: Consultation, number: int) -> int:
    """Tell the requested authority that a draft (or a new revision of it) awaits comments."""
    return notify_authority(
        authority=consultation.requested_authority,
        request=None,
        kind=SHARED,
        params=_params(consultation, revision=number),
        key=f"consultation:{consultation.public_id}:revision:{number}",
    )


def _drafters(consultation: Consultation, author: User) -> list[User]:
    people = {u.pk: u for u in (consultation.request.created_by, consultation.opened_by)}
    return [u for u in people.values() if u.is_active and u.pk != author.pk]


def announce_comment(*, consultation: Consultation, comment: ConsultationComment) -> int:
    """A comment of the requested side goes to the drafter; one of the requesting side to
    the requested authority. Returns how many notices were raised."""
    key = f"consultation-comment:{comment.public_id}"
    params = _params(consultation, comment=str(comment.public_id))
    if comment.author_authority_id == consultation.requested_authority_id:
        return _notify_users(
            users=_drafters(consultation, comment.author),
            consultation=consultation,
            params=params,
            key=key,
        )
    return notify_authority(
        authority=consultation.requested_authority,
        request=None,
        kind=COMMENTED,
        params=params,
        key=key,
    )


def _notify_users(
    *, users: list[User], consultation: Consultation, params: dict[str, object], key: str
) -> int:
    if not users:
        return 0
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                request=consultation.request,
                key=key,
                kind=COMMENTED,
                params=params,
                created_at=now,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    ids = [u.pk for u in users]
    transaction.on_commit(lambda: notifications_email(key=key, user_ids=ids))
    return len(users)
