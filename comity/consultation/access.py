"""Fetch-with-permission. Hidden and missing consultations raise the same Http404."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from comity import policy
from comity.accounts.models import User
from comity.consultation import services
from comity.consultation.models import Consultation


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def access_consultation(*, user: User | AnonymousUser, id: uuid.UUID | str) -> Consultation:
    """The consultation if this user's authority is one of its two; Http404 otherwise.

    A consultation whose request has left draft since is closed here, on first access, so
    that every caller sees it read-only.
    """
    consultation = (
        Consultation.objects.select_related(
            "request__requested_state",
            "request__created_by",
            "requesting_authority__state",
            "requested_authority__state",
            "contact_point",
            "opened_by",
            "closed_by",
        )
        .filter(policy.consultation_visibility_q(user), public_id=_uuid(id))
        .first()
    )
    if consultation is None:
        raise Http404
    return services.consultation_settle(consultation=consultation)
