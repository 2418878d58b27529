"""Registers and the extract deadlines agreed between states, for node administrators.

Persons, convictions, extracts and notices are casework: they are not shown here.
"""

from __future__ import annotations

from django.contrib import admin

from comity.accounts.adminsite import NodeAdminPermissions, ReadOnlyNodeAdminPermissions
from comity.records.models import ExtractDeadline, Register


@admin.register(Register)
class RegisterAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("state", "keeper", "created_at")
    list_select_related = ("state", "keeper")


@admin.register(ExtractDeadline)
class ExtractDeadlineAdmin(NodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "requesting_state",
        "requested_state",
        "criminal_days",
        "other_days",
        "agreement",
    )
    list_select_related = ("requesting_state", "requested_state")
