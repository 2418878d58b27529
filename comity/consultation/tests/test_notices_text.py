"""Consultation notices say what happened and lead to the consultation, not the request."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comity.consultation.services import consultation_comment, consultation_open
from comity.cooperation.models import Notification
from comity.cooperation.notifications import notification_path, notification_text
from tests.builders import draft
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_shared_draft_and_a_comment_are_announced_with_a_link_to_the_consultation(
    personas: Personas,
) -> None:
    request = draft(personas.requesting_officer, title="Bank records")
    consultation = consultation_open(actor=personas.requesting_officer, request=request)
    shared = Notification.objects.get(user=personas.requested_officer)
    link = reverse("consultation:detail", kwargs={"id": consultation.public_id})
    assert notification_text(shared) == (
        f"A draft ({request.reference}) was shared with you for comments"
    )
    assert notification_path(shared) == link

    consultation_comment(
        actor=personas.requested_officer, consultation=consultation, body="Add the IBAN."
    )
    comment = Notification.objects.get(user=personas.requesting_officer)
    assert notification_text(comment) == (f"New comment in the consultation on {request.reference}")
    client = Client()
    client.force_login(personas.requested_officer)
    page = client.get(reverse("web:notifications")).content.decode()
    assert f'href="{link}"' in page
