"""Require a second factor for the roles the node lists in COMITY_OTP_REQUIRED_ROLES."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from comity.accounts.services import user_requires_two_factor

# Paths a signed-in user may reach before the second factor: sign-in, set-up, sign-out,
# static files and the API (which uses tokens, not sessions).
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not request.path.startswith(_EXEMPT_PREFIXES)
            and user_requires_two_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]  # added by OTPMiddleware
        ):
            return _to_second_factor(request)
        return self.get_response(request)


def _to_second_factor(request: HttpRequest) -> HttpResponse:
    url = reverse("accounts:otp")
    if request.headers.get("HX-Request") == "true":
        # An htmx request would swap the code form into a fragment of the page; have the
        # browser load it as a whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    return HttpResponseRedirect(url)
