"""Who may read the directory, keep an entry current, review changes and edit treaty data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from comity import policy
from comity.accounts.models import Role
from tests.personas import Personas, make_user

pytestmark = pytest.mark.django_db


def test_members_coordinators_and_node_admins_view_the_directory(personas: Personas) -> None:
    assert policy.can_view_directory(personas.requesting_reviewer)
    assert policy.can_view_directory(personas.outsider)
    assert policy.can_view_directory(personas.coordinator)
    assert policy.can_view_directory(personas.node_admin)
    assert not policy.can_view_directory(AnonymousUser())


def test_a_signed_in_user_without_authority_or_role_does_not(personas: Personas) -> None:
    stray = make_user("stray.user", None)
    assert not policy.can_view_directory(stray)


def test_an_inactive_user_is_refused_everything(personas: Personas) -> None:
    officer = personas.requested_officer
    officer.is_active = False
    assert not policy.can_view_directory(officer)
    assert not policy.can_propose_directory_change(officer, personas.kgz)
    assert not policy.can_use_legal_basis_finder(officer)
    coordinator = personas.coordinator
    coordinator.is_active = False
    assert not policy.can_review_directory_changes(coordinator)
    assert not policy.can_manage_treaties(coordinator)


def test_only_an_authoritys_own_officers_and_supervisors_propose(personas: Personas) -> None:
    assert policy.can_propose_directory_change(personas.requested_officer, personas.kgz)
    supervisor = make_user("kgz.supervisor", "kgz-gpo", Role.SUPERVISOR)
    assert policy.can_propose_directory_change(supervisor, personas.kgz)
    assert not policy.can_propose_directory_change(personas.requested_reviewer, personas.kgz)
    assert not policy.can_propose_directory_change(personas.requesting_officer, personas.kgz)
    assert not policy.can_propose_directory_change(personas.executing_officer, personas.kgz)
    assert not policy.can_propose_directory_change(personas.coordinator, personas.kgz)
    assert not policy.can_propose_directory_change(AnonymousUser(), personas.kgz)


def test_only_coordinators_review_directory_changes(personas: Personas) -> None:
    assert policy.can_review_directory_changes(personas.coordinator)
    assert not policy.can_review_directory_changes(personas.node_admin)
    assert not policy.can_review_directory_changes(personas.requested_officer)
    assert not policy.can_review_directory_changes(AnonymousUser())


def test_coordinators_and_node_admins_manage_treaties(personas: Personas) -> None:
    assert policy.can_manage_treaties(personas.coordinator)
    # A node administrator as in the admin: only with is_staff.
    assert not policy.can_manage_treaties(personas.node_admin)
    personas.node_admin.is_staff = True
    assert policy.can_manage_treaties(personas.node_admin)
    assert not policy.can_manage_treaties(personas.requested_officer)
    assert not policy.can_manage_treaties(AnonymousUser())


def test_every_signed_in_user_uses_the_finder(personas: Personas) -> None:
    assert policy.can_use_legal_basis_finder(personas.outsider)
    assert policy.can_use_legal_basis_finder(personas.node_admin)
    assert not policy.can_use_legal_basis_finder(AnonymousUser())
