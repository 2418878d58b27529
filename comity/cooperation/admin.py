"""Requests and cases as node administrators may see them: metadata only, read only.

Administrators keep the node running; they are not parties to the casework, so the
substance of a request (facts, persons, messages, files) is not shown here. Every change
goes through comity.cooperation.services, never through the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from comity.accounts.adminsite import ReadOnlyNodeAdminPermissions
from comity.cooperation.models import Case, Request


@admin.register(Request)
class RequestAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "reference",
        "type",
        "status",
        "urgency",
        "requesting_authority",
        "requested_authority",
        "executing_authority",
        "submitted_at",
        "response_due",
    )
    list_filter = ("status", "type", "urgency", "requested_state")
    list_select_related = ("requesting_authority", "requested_authority", "executing_authority")
    search_fields = ("=reference",)
    date_hierarchy = "created_at"
    fields = (
        "reference",
        "public_id",
        "case_reference",
        "type",
        "status",
        "urgency",
        "requesting_authority",
        "requested_state",
        "requested_authority",
        "executing_authority",
        "created_at",
        "submitted_at",
        "acknowledgement_due",
        "acknowledged_at",
        "response_due",
        "completed_at",
        "version",
    )
    readonly_fields = fields

    @admin.display(description=_("case reference"))
    def case_reference(self, obj: Request) -> str:
        return obj.case.reference

    def get_queryset(self, request: HttpRequest) -> QuerySet[Request]:
        return super().get_queryset(request).select_related("case")


@admin.register(Case)
class CaseAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "authority", "created_at")
    list_filter = ("authority__state",)
    list_select_related = ("authority",)
    search_fields = ("=reference",)
    fields = ("reference", "public_id", "authority", "created_at")
    readonly_fields = fields
