"""The node's admin: who gets in, what loads, and what stays read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from comity.accounts.models import ApiToken, Role, User
from comity.accounts.tokens import token_create
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.audit.services import audit_record
from comity.cooperation.models import Request
from comity.directory.models import Authority
from tests.builders import submitted
from tests.personas import Personas


@pytest.fixture
def node_admin(personas: Personas) -> User:
    User.objects.filter(pk=personas.node_admin.pk).update(is_staff=True)
    personas.node_admin.refresh_from_db()
    return personas.node_admin


def _changelist(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _change(obj: Model | None) -> str:
    assert obj is not None
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_every_admin_list_loads_for_a_superuser(admin_client: Client, personas: Personas) -> None:
    submitted(personas.requesting_officer)
    token_create(user=personas.requesting_officer, name="reports")
    TOTPDevice.objects.create(user=personas.requesting_officer, name="phone")
    assert admin_client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        response = admin_client.get(_changelist(model))
        assert response.status_code == 200, model


def test_the_detail_pages_load_for_a_superuser(admin_client: Client, personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    token, _ = token_create(user=personas.requesting_officer)
    objects = [
        personas.requesting_officer,
        Authority.objects.get(key="kaz-gpo"),
        request,
        request.case,
        token,
        AuditEvent.objects.order_by("seq").first(),
    ]
    for obj in objects:
        assert admin_client.get(_change(obj)).status_code == 200, obj
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert admin_client.get(reverse("admin:directory_authority_add")).status_code == 200


def test_the_audit_admin_offers_no_change_and_no_delete(
    admin_client: Client, personas: Personas
) -> None:
    event = audit_record(code=Code.LOGIN, actor=personas.requesting_officer)
    listing = admin_client.get(_changelist(AuditEvent)).content.decode()
    assert "delete_selected" not in listing
    assert 'name="action"' not in listing
    detail = admin_client.get(_change(event)).content.decode()
    assert 'name="_save"' not in detail
    assert "/delete/" not in detail
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_client.post(_change(event), {"action": "tampered"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.action == "login"


def test_requests_are_shown_read_only_and_without_their_substance(
    admin_client: Client, personas: Personas
) -> None:
    request = submitted(personas.requesting_officer)
    html = admin_client.get(_change(request)).content.decode()
    assert request.reference in html
    assert 'name="_save"' not in html
    assert request.summary_of_facts not in html
    assert admin_client.get(reverse("admin:cooperation_request_add")).status_code == 403
    delete_url = reverse("admin:cooperation_request_delete", args=[request.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Request.objects.filter(pk=request.pk).exists()


def test_a_node_administrator_with_staff_status_may_use_the_admin(
    client: Client, node_admin: User
) -> None:
    client.force_login(node_admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(_changelist(User)).status_code == 200
    assert client.get(_changelist(AuditEvent)).status_code == 200


def test_a_node_administrator_without_staff_status_is_refused(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.node_admin)
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    assert client.get(_changelist(User), follow=True).status_code == 403


def test_an_officer_with_staff_status_is_still_refused(client: Client, personas: Personas) -> None:
    User.objects.filter(pk=personas.requesting_officer.pk).update(is_staff=True)
    client.force_login(personas.requesting_officer)
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    assert client.get(_changelist(AuditEvent), follow=True).status_code == 403


def test_an_anonymous_visitor_is_sent_to_comitys_own_sign_in_page(client: Client, db: None) -> None:
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=%2Fadmin%2F"


def test_a_node_administrator_cannot_make_anyone_a_superuser(
    client: Client, node_admin: User, personas: Personas
) -> None:
    officer = personas.requesting_officer
    client.force_login(node_admin)
    response = client.post(
        _change(officer),
        {
            "username": officer.username,
            "first_name": "Aigerim",
            "last_name": "",
            "email": officer.email,
            "language": "ru",
            "authority": officer.authority_id,
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.SUPERVISOR
    assert officer.first_name == "Aigerim"
    assert not officer.is_superuser


def test_a_node_administrator_cannot_change_a_superuser(
    client: Client, node_admin: User, admin_user: User
) -> None:
    client.force_login(node_admin)
    assert 'name="_save"' not in client.get(_change(admin_user)).content.decode()
    response = client.post(_change(admin_user), {"username": "renamed", "is_active": ""})
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.username == "admin"


def test_resetting_two_factor_removes_the_users_devices_and_is_audited(
    client: Client, node_admin: User, personas: Personas
) -> None:
    officer = personas.requesting_officer
    TOTPDevice.objects.create(user=officer, name="lost phone", confirmed=True)
    client.force_login(node_admin)
    response = client.post(
        _changelist(User), {"action": "reset_two_factor", "_selected_action": [officer.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(code=Code.OTP_DEVICES_RESET)
    assert event.actor == node_admin
    assert event.subject_id == str(officer.public_id)
    assert event.details == {"devices": 1}


def test_the_token_admin_revokes_through_the_service_and_edits_nothing(
    client: Client, node_admin: User, personas: Personas
) -> None:
    token, _ = token_create(user=personas.requesting_officer, name="reports")
    client.force_login(node_admin)
    assert 'name="_save"' not in client.get(_change(token)).content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    response = client.post(
        _changelist(ApiToken), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(code=Code.TOKEN_REVOKED)
    assert event.actor == node_admin


def test_signing_out_of_the_admin_is_audited_like_any_sign_out(
    client: Client, node_admin: User
) -> None:
    client.force_login(node_admin)
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.get(code=Code.LOGOUT).actor == node_admin
