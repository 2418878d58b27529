"""Reads of the records exchange, already scoped to what the user may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from comity import policy
from comity.accounts.models import User
from comity.records.models import (
    ConvictionNotice,
    ExtractRequest,
    ExtractStatus,
    NoticeStatus,
    Person,
    Register,
)


def extract_incoming(*, user: User | AnonymousUser) -> QuerySet[ExtractRequest]:
    """Extract requests to the user's register, oldest due first."""
    return (
        ExtractRequest.objects.filter(
            register__in=Register.objects.filter(policy.records_registers_q(user))
        )
        .select_related("register__state", "requesting_authority__state")
        # Awaiting an answer first ("answered" sorts before "submitted" by name).
        .alias(
            done=Case(
                When(status=ExtractStatus.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("done", "due_on", "submitted_at")
    )


def extract_outgoing(*, user: User | AnonymousUser) -> QuerySet[ExtractRequest]:
    """Extract requests the user's authority sent, newest first."""
    if not isinstance(user, User) or not policy.can_use_records_exchange(user):
        return ExtractRequest.objects.none()
    return (
        ExtractRequest.objects.filter(requesting_authority_id=user.authority_id)
        .select_related("register__state", "requesting_authority__state")
        .order_by("-submitted_at")
    )


def extract_is_overdue(extract: ExtractRequest) -> bool:
    return extract.status == ExtractStatus.SUBMITTED and extract.due_on < timezone.localdate()


def notice_inbox(*, user: User | AnonymousUser) -> QuerySet[ConvictionNotice]:
    return (
        ConvictionNotice.objects.filter(
            recipient__in=Register.objects.filter(policy.records_registers_q(user))
        )
        .select_related("sender__state", "recipient__state", "person")
        # To be matched first ("created" and "matched" sort before "received" by name).
        .alias(
            done=Case(
                When(status=NoticeStatus.RECEIVED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("done", "-sent_at")
    )


def notice_sent(*, user: User | AnonymousUser) -> QuerySet[ConvictionNotice]:
    return (
        ConvictionNotice.objects.filter(
            sender__in=Register.objects.filter(policy.records_registers_q(user))
        )
        .select_related("sender__state", "recipient__state", "person")
        .order_by("-sent_at")
    )


def person_list(*, register: Register) -> QuerySet[Person]:
    return Person.objects.filter(register=register).order_by("ref")
