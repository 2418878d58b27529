from __future__ import annotations

from django.contrib import admin

from comity.accounts.adminsite import NodeAdminPermissions
from comity.directory.models import Authority, State


@admin.register(State)
class StateAdmin(NodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("iso3", "name_en", "name_ru", "name_fa", "is_member")
    list_filter = ("is_member",)
    search_fields = ("iso3", "name_en", "name_ru", "name_fa")
    ordering = ("name_en",)


@admin.register(Authority)
class AuthorityAdmin(NodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name_en",
        "key",
        "state",
        "kind",
        "is_central_authority",
        "is_primary",
        "is_demo",
    )
    list_filter = ("state", "kind", "is_central_authority", "is_primary", "is_demo")
    list_select_related = ("state",)
    search_fields = ("name_en", "name_local", "key", "email")
    readonly_fields = ("public_id",)
