from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from comity.accounts import services
from comity.accounts.adminsite import NodeAdminPermissions, ReadOnlyNodeAdminPermissions
from comity.accounts.models import ApiToken, User

# Comity decides access by role (comity.policy), never by Django groups or permissions.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

_SUPERUSER_ONLY_FIELDS = ("is_superuser",)


@admin.register(User)
class UserAdmin(NodeAdminPermissions, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "authority", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "authority__state", "authority")
    list_select_related = ("authority",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("authority",)
    readonly_fields = ("public_id", "last_login", "date_joined")
    ordering = ("username",)
    actions = ("reset_two_factor",)
    fieldsets = (
        (None, {"fields": ("username", "password", "public_id")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Work"), {"fields": ("authority", "role")}),
        (
            _("Access"),
            {
                "fields": ("is_active", "is_staff", "is_superuser"),
                "description": _(
                    "Node administrators need both the role “Node administrator” and "
                    "“Staff status” to use this administration."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "authority",
                    "role",
                    "email",
                ),
            },
        ),
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A node administrator must not be able to make anyone (themselves included) a
            # superuser, who would then stand above the node's own rules.
            readonly += _SUPERUSER_ONLY_FIELDS
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("name"))
    def display_name(self, obj: User) -> str:
        return obj.display_name

    @admin.action(description=_("Reset two-factor sign-in (the user sets up a new device)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor: User = request.user  # type: ignore[assignment]  # only administrators get here
        users = [u for u in queryset if self.has_change_permission(request, u)]
        for user in users:
            services.otp_devices_reset(user=user, actor=actor)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d user.",
                "Two-factor sign-in was reset for %(count)d users.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    # The hash is useless to a person and need not be shown anywhere.
    exclude = ("token_hash",)
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        from comity.accounts.tokens import token_revoke

        actor: User = request.user  # type: ignore[assignment]  # only administrators get here
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token, actor=actor)
        self.message_user(
            request,
            ngettext("%(count)d token was revoked.", "%(count)d tokens were revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )


# Replace django-otp's own device admin, which shows the secret key and allows edits: here
# devices can be looked at, and reset only through the user action above (audited).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyNodeAdminPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = (
        "user",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    )


# Sign-in lockouts: deleting a record lifts the lockout it caused.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(NodeAdminPermissions, AccessAttemptAdmin):  # type: ignore[misc]
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
