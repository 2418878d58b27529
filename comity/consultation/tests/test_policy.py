"""Who may see and do what with a consultation (comity.policy, Consultation section)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from comity import policy
from comity.consultation.models import Consultation
from comity.cooperation import services as cooperation
from comity.cooperation.lifecycle import Party
from tests.personas import Personas

from .conftest import PERSONAS, persona

pytestmark = pytest.mark.django_db

# persona: (side, sees, comments, shares again and closes)
OPEN_MATRIX = {
    "anonymous": (None, False, False, False),
    "requesting": (Party.REQUESTING, True, True, True),
    "requesting_reviewer": (Party.REQUESTING, True, False, False),
    "requested": (Party.REQUESTED, True, True, False),
    "requested_reviewer": (Party.REQUESTED, True, False, False),
    "executing": (None, False, False, False),
    "outsider": (None, False, False, False),
    "coordinator": (None, False, False, False),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_two_authorities_see_an_open_consultation_and_only_officers_act(
    personas: Personas, consultation: Consultation, name: str
) -> None:
    user = persona(personas, name)
    side, sees, comments, manages = OPEN_MATRIX[name]
    who = user if user is not None else AnonymousUser()
    assert policy.consultation_side(who, consultation) == side
    assert policy.can_view_consultation(who, consultation) is sees
    assert policy.can_comment_on_consultation(who, consultation) is comments
    assert policy.can_manage_consultation(who, consultation) is manages
    visible = Consultation.objects.filter(policy.consultation_visibility_q(who)).exists()
    assert visible is sees


@pytest.mark.parametrize("name", PERSONAS)
def test_after_submission_it_is_read_only_for_everyone(
    personas: Personas, consultation: Consultation, name: str
) -> None:
    cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    consultation.request.refresh_from_db()
    user = persona(personas, name)
    if user is None:
        return
    assert not policy.consultation_is_open(consultation)
    assert policy.can_view_consultation(user, consultation) is OPEN_MATRIX[name][1]
    assert not policy.can_comment_on_consultation(user, consultation)
    assert not policy.can_manage_consultation(user, consultation)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("requesting", True),
        ("requesting_reviewer", False),
        ("requested", False),
        ("requested_reviewer", False),
        ("outsider", False),
        ("coordinator", False),
    ],
)
def test_only_the_requesting_sides_officers_open_one_and_only_on_a_draft(
    personas: Personas, consultation: Consultation, name: str, allowed: bool
) -> None:
    user = persona(personas, name)
    assert user is not None
    assert policy.can_open_consultation(user, consultation.request) is allowed
    cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    consultation.request.refresh_from_db()
    assert not policy.can_open_consultation(user, consultation.request)


def test_the_menu_item_is_for_caseworkers_only(personas: Personas) -> None:
    assert policy.can_use_consultations(personas.requesting_reviewer)
    assert policy.can_use_consultations(personas.outsider)  # sees an empty list
    assert not policy.can_use_consultations(personas.coordinator)
    assert not policy.can_use_consultations(personas.node_admin)
