from __future__ import annotations

from django.contrib import admin

from comity.accounts.adminsite import NodeAdminPermissions, ReadOnlyNodeAdminPermissions
from comity.core.models import IccsCode, ReferenceDataset


@admin.register(IccsCode)
class IccsCodeAdmin(NodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "label", "level", "checked")
    list_filter = ("level", "checked")
    search_fields = ("code", "label")


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """Which reference files were loaded; only the loader writes here."""

    list_display = ("name", "version", "as_of", "loaded_at", "sha256")
    search_fields = ("name",)
