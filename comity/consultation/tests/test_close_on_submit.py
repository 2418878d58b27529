"""Submitting (or withdrawing) the draft closes its consultation in the same transaction."""

from __future__ import annotations

import pytest

from comity.consultation.models import Consultation, ConsultationStatus
from comity.consultation.services import consultation_open
from comity.cooperation import services
from tests.builders import draft
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_the_draft_leaving_closes_its_consultation_at_once(personas: Personas, action: str) -> None:
    request = draft(personas.requesting_officer)
    consultation = consultation_open(actor=personas.requesting_officer, request=request)
    assert consultation.status == ConsultationStatus.OPEN
    services.request_transition(
        actor=personas.requesting_officer, request=request, action=action, reason="Not needed."
    )
    closed = Consultation.objects.get(pk=consultation.pk)
    assert closed.status == ConsultationStatus.CLOSED
    assert closed.closed_by == personas.requesting_officer
