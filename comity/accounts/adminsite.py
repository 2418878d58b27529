"""The node's admin site: superusers and node administrators, and coordinators for treaty data.

A node administrator needs ``is_staff`` (the flag Django's admin checks first) and the role
``node_admin``; Django's per-model permissions and groups play no part, since what a node
administrator may do is decided here and in each ModelAdmin through ``comity.policy``.
A network coordinator gets in too (by the role alone), but sees and edits only the ModelAdmins
that use ``TreatyDataPermissions`` (the treaty reference data); every other ModelAdmin stays
closed to them.
Signing in and out of the admin goes through Comity's own pages, so the login throttling,
the second factor and the audit trail apply there too.

This module is loaded while apps are still being set up: it must not import models at the
top level.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def _administers(request: HttpRequest) -> bool:
    from comity.policy import can_administer_node

    user = request.user
    return bool(user.is_active and user.is_staff and can_administer_node(user))


def _manages_treaties(request: HttpRequest) -> bool:
    from comity.policy import can_manage_treaties

    user = request.user
    # The coordinator role alone opens the treaty tables: is_staff stays the node administrator's.
    return _administers(request) or can_manage_treaties(user)


class ComityAdminSite(admin.AdminSite):
    site_header = _("Comity administration")
    site_title = _("Comity administration")
    index_title = _("Node administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return _administers(request) or _manages_treaties(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.user.is_authenticated:
            # Signed in, but not an administrator: sending them to sign in again would loop.
            raise PermissionDenied
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        login_url = reverse("accounts:login")
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': next_url})}")

    def logout(  # type: ignore[override]  # a redirect, not Django's "logged out" page
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        from comity.accounts.views import logout

        return logout(request)


class ComityAdminConfig(AdminConfig):
    default_site = "comity.accounts.adminsite.ComityAdminSite"


class NodeAdminPermissions:
    """Everything in this ModelAdmin is open to the node's administrators, and to nobody else."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _administers(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _administers(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _administers(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _administers(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _administers(request)


class ReadOnlyNodeAdminPermissions(NodeAdminPermissions):
    """Administrators may look, but writes go through services (or nowhere)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class TreatyDataPermissions:
    """Coordinators and node administrators (with staff status) read and edit treaty data."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_treaties(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_treaties(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _manages_treaties(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_treaties(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _manages_treaties(request)
