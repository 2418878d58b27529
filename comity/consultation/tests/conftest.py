"""A draft of KAZ shared with KGZ: what every consultation test starts from."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.accounts.models import User
from comity.consultation import services
from comity.consultation.models import Consultation
from tests.builders import draft
from tests.personas import Personas

# The personas of the access tests, by the name the report and the matrix use.
PERSONAS = (
    "anonymous",
    "requesting",
    "requesting_reviewer",
    "requested",
    "requested_reviewer",
    "executing",
    "outsider",
    "coordinator",
)


def persona(personas: Personas, name: str) -> User | None:
    return {
        "anonymous": None,
        "requesting": personas.requesting_officer,
        "requesting_reviewer": personas.requesting_reviewer,
        "requested": personas.requested_officer,
        "requested_reviewer": personas.requested_reviewer,
        "executing": personas.executing_officer,  # kgz-sfismf: same state, another authority
        "outsider": personas.outsider,
        "coordinator": personas.coordinator,
    }[name]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


def share(personas: Personas, **overrides: object) -> Consultation:
    request = draft(personas.requesting_officer, **overrides)
    return services.consultation_open(
        actor=personas.requesting_officer, request=request, message="Could you check this?"
    )


@pytest.fixture
def consultation(personas: Personas) -> Consultation:
    return share(personas)
