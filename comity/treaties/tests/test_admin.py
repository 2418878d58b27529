"""Coordinators correct treaty data in the admin: only there, with history and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory.models import Authority
from comity.directory.tests.admin_forms import admin_form, admin_url, staff
from comity.treaties.loader import load_treaties
from comity.treaties.models import Article, Declaration, Instrument, Participation, PartyStatus
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(personas: Personas) -> User:
    load_treaties()
    # The role alone opens the treaty tables; is_staff is not needed.
    assert not personas.coordinator.is_staff
    return personas.coordinator


def test_a_coordinator_sees_only_the_treaty_data_in_the_admin(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert models == {"Instrument", "Participation", "Declaration"}
    for model in (Instrument, Participation, Declaration):
        assert client.get(admin_url(model)).status_code == 200
    assert client.get(admin_url(User)).status_code == 403
    assert client.get(admin_url(AuditEvent)).status_code == 403
    assert client.get(admin_url(Authority)).status_code == 403


def test_an_officer_with_staff_status_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(staff(personas.requesting_officer))
    assert client.get(admin_url(Participation), follow=True).status_code == 403


def test_a_node_administrator_keeps_full_access_including_treaty_data(
    client: Client, personas: Personas
) -> None:
    load_treaties()
    client.force_login(staff(personas.node_admin))
    index = client.get(reverse("admin:index"))
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert {"User", "AuditEvent", "Instrument", "Participation"} <= models
    assert client.get(admin_url(Participation)).status_code == 200


def test_a_coordinators_correction_is_saved_audited_and_kept_in_the_history(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    row = Participation.objects.get(instrument__code="UNTOC", state__iso3="IRN")
    url = admin_url(Participation, "change", row.pk)
    data = admin_form(client, url)
    data.update(status=PartyStatus.PARTY, deposited="2025-06-30", caveat="Deposit confirmed.")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert (row.status, row.caveat) == (PartyStatus.PARTY, "Deposit confirmed.")
    latest = row.history.first()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "admin"
    event = AuditEvent.objects.get(code=Code.TREATY_DATA_CHANGED)
    assert (event.actor, event.subject_id) == (coordinator, "UNTOC/IRN")
    assert event.details == {
        "action": "changed",
        "fields": ["status", "caveat", "deposited"],
    }
    history = client.get(admin_url(Participation, "history", row.pk))
    assert history.status_code == 200
    assert "net.coordinator" in history.content.decode()


def test_an_instrument_and_its_articles_are_edited_on_one_page(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    untoc = Instrument.objects.get(code="UNTOC")
    url = admin_url(Instrument, "change", untoc.pk)
    data = admin_form(client, url)
    assert data["scope_iccs"] == "09051;07041;0703;0806"
    data["scope_iccs"] = "09051;07041;0703;0806;0601?"
    first = next(k for k in data if k.endswith("-0-summary"))
    data[first] = "Corrected summary."

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    untoc.refresh_from_db()
    assert untoc.scope_iccs[-1] == "0601?"
    assert Article.objects.filter(instrument=untoc, summary="Corrected summary.").count() == 1
    events = AuditEvent.objects.filter(code=Code.TREATY_DATA_CHANGED)
    assert sorted(e.subject_type for e in events) == ["treaties.article", "treaties.instrument"]


def test_an_unknown_offence_code_is_refused_with_a_message(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    untoc = Instrument.objects.get(code="UNTOC")
    url = admin_url(Instrument, "change", untoc.pk)
    data = admin_form(client, url)
    data["scope_iccs"] = "0703;9999?"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Unknown ICCS codes: 9999?" in response.content.decode()
    untoc.refresh_from_db()
    assert "9999" not in untoc.scope_iccs


def test_a_deletion_is_audited_and_recorded(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    declaration = Declaration.objects.filter(state__iso3="TJK").first()
    assert declaration is not None
    response = client.post(admin_url(Declaration, "delete", declaration.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Declaration.objects.filter(pk=declaration.pk).exists()
    record = Declaration.history.filter(id=declaration.pk).first()
    assert (record.history_type, record.history_user) == ("-", coordinator)
    event = AuditEvent.objects.get(code=Code.TREATY_DATA_CHANGED)
    assert event.details["action"] == "deleted"


def test_the_history_cannot_be_used_to_restore_an_old_version(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    row = Participation.objects.get(instrument__code="UNTOC", state__iso3="IRN")
    version = row.history.first()
    url = reverse("admin:treaties_participation_simple_history", args=[row.pk, version.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "party"}).status_code == 403
    row.refresh_from_db()
    assert row.status == PartyStatus.SIGNATORY


def test_the_lists_do_not_query_per_row(
    client: Client, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(admin_url(Participation)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(admin_url(Declaration)).status_code == 200


def test_an_anonymous_visitor_gets_no_treaty_admin(client: Client, db: None) -> None:
    response = client.get(admin_url(Participation), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert b"Participation" not in response.content
