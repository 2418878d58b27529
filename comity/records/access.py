"""Fetch-with-permission. Hidden and missing records objects raise the same Http404."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from comity import policy
from comity.accounts.models import User
from comity.records.models import ConvictionNotice, ExtractRequest, Person, Register


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def access_register(*, user: User | AnonymousUser) -> Register:
    """The register the user's authority keeps; Http404 for everyone else."""
    register = (
        Register.objects.select_related("state", "keeper")
        .filter(policy.records_registers_q(user))
        .first()
    )
    if register is None:
        raise Http404
    return register


def access_person(*, user: User | AnonymousUser, id: uuid.UUID | str) -> Person:
    person = (
        Person.objects.select_related("register__state", "register__keeper")
        .filter(
            public_id=_uuid(id),
            register__in=Register.objects.filter(policy.records_registers_q(user)),
        )
        .first()
    )
    if person is None:
        raise Http404
    return person


def access_extract(*, user: User | AnonymousUser, id: uuid.UUID | str) -> ExtractRequest:
    extract = (
        ExtractRequest.objects.select_related(
            "register__state",
            "register__keeper",
            "requesting_authority__state",
            "created_by",
            "answered_by",
            "matched_person",
        )
        .filter(policy.extract_visibility_q(user), public_id=_uuid(id))
        .first()
    )
    if extract is None:
        raise Http404
    return extract


def access_notice(*, user: User | AnonymousUser, id: uuid.UUID | str) -> ConvictionNotice:
    notice = (
        ConvictionNotice.objects.select_related(
            "sender__state", "recipient__state", "recipient__keeper", "person", "handled_by"
        )
        .filter(policy.notice_visibility_q(user), public_id=_uuid(id))
        .first()
    )
    if notice is None:
        raise Http404
    return notice
