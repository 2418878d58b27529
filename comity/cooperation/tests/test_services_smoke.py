from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comity.audit.services import audit_verify
from comity.cooperation import services
from comity.cooperation.models import TimelineEvent
from comity.exchange.models import InboxEnvelope, OutboxEnvelope
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_travels_from_kazakhstan_to_kyrgyzstan_and_back(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    assert request.status == "submitted"
    assert request.acknowledgement_due is not None
    kgz = personas.requested_officer
    request = services.request_transition(actor=kgz, request=request, action="acknowledge")
    request = services.request_transition(
        actor=kgz, request=request, action="request_info", reason="Which bank branch?"
    )
    request = services.request_transition(
        actor=personas.requesting_officer,
        request=request,
        action="provide_info",
        reason="Osh main branch.",
    )
    request = services.request_transition(actor=kgz, request=request, action="execute")
    assert request.status == "executed"
    actions = list(
        TimelineEvent.objects.filter(request=request, kind="transition").values_list(
            "action", flat=True
        )
    )
    assert actions == ["submit", "acknowledge", "request_info", "provide_info", "execute"]
    assert OutboxEnvelope.objects.filter(status="delivered").count() == 5
    assert InboxEnvelope.objects.count() == 5
    checked, broken = audit_verify()
    assert broken is None
    assert checked > 5


def test_it_refuses_a_transition_from_the_wrong_state_and_changes_nothing(
    personas: Personas,
) -> None:
    request = draft(personas.requesting_officer)
    with pytest.raises(ValidationError):
        services.request_transition(
            actor=personas.requesting_officer, request=request, action="execute"
        )
    request.refresh_from_db()
    assert request.status == "draft"
    assert not TimelineEvent.objects.filter(request=request, kind="transition").exists()


def test_the_outsider_cannot_acknowledge(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    with pytest.raises(PermissionDenied):
        services.request_transition(actor=personas.outsider, request=request, action="acknowledge")


def test_a_draft_withdrawn_before_it_left_stays_hidden_from_the_requested_side(
    personas: Personas,
) -> None:
    from comity import policy
    from comity.cooperation.models import Request
    from comity.cooperation.selectors import RequestFilters, request_list

    request = draft(personas.requesting_officer)
    request = services.request_transition(
        actor=personas.requesting_officer, request=request, action="withdraw", reason="Not needed"
    )
    assert request.status == "withdrawn"
    kgz = personas.requested_officer
    assert not policy.can_view_request(kgz, request)
    assert not Request.objects.filter(policy.request_visibility_q(kgz), pk=request.pk).exists()
    assert request not in list(request_list(user=kgz, filters=RequestFilters(box="incoming")))
    assert not OutboxEnvelope.objects.filter(subject_id=request.public_id).exists()
    assert not policy.can_post_message(personas.requesting_officer, request)
