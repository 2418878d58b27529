"""Reads, already scoped to what the user may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from comity import policy
from comity.accounts.models import User
from comity.consultation.models import (
    Consultation,
    ConsultationComment,
    ConsultationRevision,
    ConsultationStatus,
)
from comity.cooperation.lifecycle import Status
from comity.directory.models import ContactPoint


def consultation_list(*, user: User | AnonymousUser) -> QuerySet[Consultation]:
    """The consultations of the user's authority, both sides: open ones first, then by the
    latest activity. Each row carries ``comment_count``, ``is_live`` and ``shared_title``:
    the title as last shared, not as the draft has it now (the other side sees only what was
    shared)."""
    live = When(status=ConsultationStatus.OPEN, request__status=Status.DRAFT, then=Value(1))
    title = ConsultationRevision.objects.filter(
        consultation=OuterRef("pk"), number=OuterRef("revision")
    ).values("snapshot__fields__title")[:1]
    return (
        Consultation.objects.filter(policy.consultation_visibility_q(user))
        .select_related(
            "request",
            "requesting_authority__state",
            "requested_authority__state",
            "contact_point",
        )
        .annotate(
            comment_count=Count("comments"),
            is_live=Case(live, default=Value(0), output_field=IntegerField()),
            shared_title=Subquery(title),
        )
        .order_by("-is_live", "-last_activity_at", "-id")
    )


def revision_list(*, consultation: Consultation) -> list[ConsultationRevision]:
    return list(
        ConsultationRevision.objects.filter(consultation=consultation)
        .select_related("shared_by")
        .order_by("number")
    )


def comment_list(*, consultation: Consultation) -> QuerySet[ConsultationComment]:
    return (
        ConsultationComment.objects.filter(consultation=consultation)
        .select_related("author", "author_authority__state")
        .order_by("created_at", "id")
    )


def contact_points_for(*, authority_id: int) -> list[ContactPoint]:
    """Active contact points of the requested authority, to address a consultation to."""
    return list(ContactPoint.objects.filter(authority_id=authority_id, is_active=True))


def open_consultation_of(*, request_id: int) -> Consultation | None:
    return Consultation.objects.filter(
        request_id=request_id, status=ConsultationStatus.OPEN
    ).first()
