from __future__ import annotations

from django.contrib import admin

from comity.accounts.adminsite import ReadOnlyNodeAdminPermissions
from comity.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit chain, to read. Events are never changed or deleted, here or anywhere."""

    list_display = (
        "seq",
        "created_at",
        "action",
        "code",
        "actor_label",
        "authority_key",
        "subject_type",
        "subject_id",
    )
    list_filter = ("action", "authority_key", "subject_type")
    search_fields = ("=actor_label", "=subject_id", "=authority_key")
    date_hierarchy = "created_at"
    ordering = ("-seq",)
    # Counting a long chain on every page is slow; the total is not needed to browse it.
    show_full_result_count = False
    # No bulk actions at all, not even Django's "delete selected".
    actions = None
    fields = (
        "seq",
        "public_id",
        "created_at",
        "code",
        "action",
        "actor_label",
        "authority_key",
        "subject_type",
        "subject_id",
        "details",
        "prev_hash",
        "hash",
    )
