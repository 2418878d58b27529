"""The directory in the node's admin: states, entries with their history, proposed changes.

Entries are kept current by their authorities through reviewed proposals (directory/changes.py);
the admin is the node administrator's way to correct one directly. Such a save is audited,
recorded in the entry's history with the administrator, and refreshes the search text.
Proposed changes are read-only here: they are reviewed in the directory's own pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from comity.accounts.adminsite import NodeAdminPermissions, ReadOnlyNodeAdminPermissions
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.directory.models import Authority, ContactPoint, EntryChange, MeasureFiche, State
from comity.directory.search import refresh_search_text

ADMIN_REASON = "admin"


def _audit(request: HttpRequest, obj: models.Model, fields: list[str]) -> None:
    user = request.user if request.user.is_authenticated else None
    audit_record(
        code=Code.DIRECTORY_ENTRY_EDITED,
        actor=user,
        subject_type=f"directory.{obj._meta.model_name}",
        subject_id=str(getattr(obj, "public_id", obj.pk)),
        details={"via": "admin", "fields": sorted(fields)},
    )


class _EntryAdmin(NodeAdminPermissions, SimpleHistoryAdmin):  # type: ignore[misc]
    """Saves are audited and carry a history reason; old versions are looked at, not restored."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            obj._change_reason = ADMIN_REASON
            super().save_model(request, obj, form, change)
            if isinstance(obj, Authority | ContactPoint):
                refresh_search_text(obj)
            if isinstance(obj, Authority):
                for contact in obj.contacts.select_related("authority__state"):
                    refresh_search_text(contact)
            _audit(request, obj, list(form.changed_data))

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(State)
class StateAdmin(NodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("iso3", "name_en", "name_ru", "name_fa", "is_member")
    list_filter = ("is_member",)
    search_fields = ("iso3", "name_en", "name_ru", "name_fa")
    ordering = ("name_en",)


@admin.register(Authority)
class AuthorityAdmin(_EntryAdmin):
    list_display = (
        "name_en",
        "key",
        "state",
        "kind",
        "is_central_authority",
        "is_primary",
        "confidence",
        "last_verified",
        "is_demo",
    )
    list_filter = ("state", "kind", "is_central_authority", "is_primary", "is_demo", "confidence")
    list_select_related = ("state",)
    search_fields = ("name_en", "name_ru", "name_local", "key", "email")
    readonly_fields = ("public_id", "last_verified", "verified_by")


@admin.register(MeasureFiche)
class MeasureFicheAdmin(_EntryAdmin):
    list_display = ("state", "measure", "availability", "confidence", "is_demo", "last_verified")
    list_filter = ("state", "measure", "availability", "is_demo")
    list_select_related = ("state",)
    readonly_fields = ("public_id", "last_verified")


@admin.register(ContactPoint)
class ContactPointAdmin(_EntryAdmin):
    list_display = ("name", "name_latin", "authority", "role", "is_active", "is_demo")
    list_filter = ("authority__state", "is_active", "is_demo", "available_24_7")
    list_select_related = ("authority",)
    search_fields = ("name", "name_latin", "name_cyrillic", "email", "authority__name_en")
    readonly_fields = ("public_id", "last_verified")


@admin.register(EntryChange)
class EntryChangeAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "proposed_at",
        "authority",
        "target",
        "status",
        "proposed_by",
        "reviewed_by",
        "reviewed_at",
    )
    list_filter = ("status", "target", "authority__state")
    list_select_related = ("authority", "proposed_by", "reviewed_by")
    search_fields = ("authority__key", "authority__name_en", "comment", "review_note")
    date_hierarchy = "proposed_at"
