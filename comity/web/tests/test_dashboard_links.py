from __future__ import annotations

import pytest
from django.test import Client

from comity.cooperation import services
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_each_dashboard_count_matches_the_list_its_card_opens(personas: Personas) -> None:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    submitted(kaz)
    draft(kaz)
    executed = submitted(kaz)
    for action in ("acknowledge", "start_execution", "execute"):
        executed = services.request_transition(actor=kgz, request=executed, action=action)
    submitted(kgz, requested_state="KAZ")
    for user in (kaz, kgz):
        client = Client()
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        for card in response.context["cards"]:
            listed = client.get(card.url)
            assert listed.context["page"].paginator.count == card.count, (user, card.key)
