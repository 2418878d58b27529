"""The draft's page leads to its consultation: "share" before, the thread after."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comity.consultation.services import consultation_open
from tests.builders import draft
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _page(client: Client, request_id: object) -> str:
    return client.get(reverse("cooperation:edit", kwargs={"id": request_id})).content.decode()


def test_the_drafter_is_offered_to_share_then_led_to_the_consultation(
    personas: Personas,
) -> None:
    request = draft(personas.requesting_officer)
    client = Client()
    client.force_login(personas.requesting_officer)
    assert reverse("consultation:new", kwargs={"request_id": request.public_id}) in _page(
        client, request.public_id
    )
    consultation = consultation_open(actor=personas.requesting_officer, request=request)
    page = _page(client, request.public_id)
    assert reverse("consultation:detail", kwargs={"id": consultation.public_id}) in page
    assert reverse("consultation:new", kwargs={"request_id": request.public_id}) not in page
