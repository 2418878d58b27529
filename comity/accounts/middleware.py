"""Require a second factor for the roles the node lists in COMITY_OTP_REQUIRED_ROLES."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a signed-in user may reach before the second factor: sign-in, set-up, sign-out,
# static files and the API (which uses tokens, not sessions).
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "role", "") in settings.COMITY_OTP_REQUIRED_ROLES
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect("accounts:otp")
        return self.get_response(request)
