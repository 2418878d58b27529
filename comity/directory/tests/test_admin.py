"""Node administrators correct directory entries in the admin, with history and audit;
proposed changes are read-only there."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory.changes import propose
from comity.directory.models import Authority, ContactPoint, EntryChange, MeasureFiche
from comity.directory.search import search_contacts
from comity.directory.tests.admin_forms import admin_form, admin_url, staff
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_node_administrator_lists_entries_history_and_changes(
    client: Client, personas: Personas
) -> None:
    propose(personas.requested_officer, personas.kgz, "authority", {"office_hours": "24/7"})
    client.force_login(staff(personas.node_admin))
    for model in (Authority, MeasureFiche, ContactPoint, EntryChange):
        assert client.get(admin_url(model)).status_code == 200, model
    assert client.get(admin_url(Authority, "history", personas.kgz.pk)).status_code == 200


def test_proposed_changes_cannot_be_edited_in_the_admin(client: Client, personas: Personas) -> None:
    change = propose(
        personas.requested_officer, personas.kgz, "authority", {"office_hours": "24/7"}
    )
    client.force_login(staff(personas.node_admin))
    assert client.get(admin_url(EntryChange, "add")).status_code == 403
    response = client.post(admin_url(EntryChange, "change", change.pk), {"status": "approved"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"


def test_a_coordinator_with_staff_status_cannot_edit_entries_in_the_admin(
    client: Client, personas: Personas
) -> None:
    client.force_login(staff(personas.coordinator))
    assert client.get(admin_url(Authority)).status_code == 403
    assert client.get(admin_url(EntryChange)).status_code == 403


def test_an_admin_correction_is_audited_kept_in_history_and_searchable(
    client: Client, personas: Personas
) -> None:
    admin = staff(personas.node_admin)
    client.force_login(admin)
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    url = admin_url(ContactPoint, "change", contact.pk)
    data = admin_form(client, url)
    data.update(name_latin="Aybek Osmonov", languages='["ky", "ru"]', measures='["mla"]')

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    contact.refresh_from_db()
    assert contact.name_latin == "Aybek Osmonov"
    latest = contact.history.first()
    assert latest is not None
    assert (latest.history_user, latest.history_change_reason) == (admin, "admin")
    event = AuditEvent.objects.get(code=Code.DIRECTORY_ENTRY_EDITED)
    assert event.actor == admin
    assert event.details["via"] == "admin"
    assert "name_latin" in event.details["fields"]
    assert contact in search_contacts("Aybek")
