"""Node administrators correct directory entries in the admin, with history and audit;
proposed changes are read-only there."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory.changes import propose
from comity.directory.models import Authority, ContactPoint, EntryChange, MeasureFiche
from comity.directory.search import search_contacts
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _staff(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def _url(model: type[Model], view: str = "changelist", *args: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _form(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_a_node_administrator_lists_entries_history_and_changes(
    client: Client, personas: Personas
) -> None:
    propose(personas.requested_officer, personas.kgz, "authority", {"office_hours": "24/7"})
    client.force_login(_staff(personas.node_admin))
    for model in (Authority, MeasureFiche, ContactPoint, EntryChange):
        assert client.get(_url(model)).status_code == 200, model
    assert client.get(_url(Authority, "history", personas.kgz.pk)).status_code == 200


def test_proposed_changes_cannot_be_edited_in_the_admin(client: Client, personas: Personas) -> None:
    change = propose(
        personas.requested_officer, personas.kgz, "authority", {"office_hours": "24/7"}
    )
    client.force_login(_staff(personas.node_admin))
    assert client.get(_url(EntryChange, "add")).status_code == 403
    response = client.post(_url(EntryChange, "change", change.pk), {"status": "approved"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"


def test_a_coordinator_with_staff_status_cannot_edit_entries_in_the_admin(
    client: Client, personas: Personas
) -> None:
    client.force_login(_staff(personas.coordinator))
    assert client.get(_url(Authority)).status_code == 403
    assert client.get(_url(EntryChange)).status_code == 403


def test_an_admin_correction_is_audited_kept_in_history_and_searchable(
    client: Client, personas: Personas
) -> None:
    admin = _staff(personas.node_admin)
    client.force_login(admin)
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    url = _url(ContactPoint, "change", contact.pk)
    data = _form(client, url)
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
