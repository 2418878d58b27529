from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from comity.accounts import services
from comity.accounts.forms import LoginForm, OtpTokenForm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.accounts.models import User


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` address if it stays on this site, else empty (no open redirects)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _destination(next_url: str) -> str:
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


def _is_verified(user: User | AnonymousUser) -> bool:
    # Only the user object the OTP middleware wrapped knows whether it is verified; the one
    # just signed in is not, since its session has no device yet.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _after_sign_in(user: User | AnonymousUser, next_url: str) -> str:
    if services.user_requires_two_factor(user) and not _is_verified(user):
        member: User = user  # type: ignore[assignment]  # signed in, so not anonymous
        if services.otp_confirmed_device(user=member) is None:
            return _with_next("accounts:otp_setup", next_url)
        return _with_next("accounts:otp", next_url)
    return _destination(next_url)


def _remember_language(response: HttpResponse, user: User) -> None:
    if user.language not in dict(settings.LANGUAGES):
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_after_sign_in(request.user, next_url))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = services.login_attempt(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            response = HttpResponseRedirect(_after_sign_in(user, next_url))
            _remember_language(response, user)
            return response
        # One message for every failure, so it does not tell who has an account.
        form.add_error(None, _("The username or password is not correct."))
    context = {
        "form": form,
        "next": next_url,
        "two_factor_off": not services.two_factor_enforced(),
    }
    return render(request, "accounts/login.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.logout(request=request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _wrong_code(form: OtpTokenForm, wait_seconds: int) -> None:
    if wait_seconds:
        message = ngettext(
            "Too many wrong codes. Try again in %(seconds)d second.",
            "Too many wrong codes. Try again in %(seconds)d seconds.",
            wait_seconds,
        ) % {"seconds": wait_seconds}
    else:
        message = _("That code is not correct. Check that the clock on your phone is right.")
    form.add_error("token", message)


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    next_url = _safe_next(request)
    if _is_verified(user):
        return redirect(_destination(next_url))
    device = services.otp_confirmed_device(user=user)
    if device is None:
        return redirect(_with_next("accounts:otp_setup", next_url))
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome = services.otp_check(user=user, device=device, token=form.cleaned_data["token"])
        if outcome.ok:
            django_otp.login(request, device)
            return redirect(_destination(next_url))
        _wrong_code(form, outcome.wait_seconds)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    next_url = _safe_next(request)
    if services.otp_confirmed_device(user=user) is not None:
        # Replacing a confirmed device needs an administrator's reset, or a stolen password
        # alone would be enough to enrol the thief's phone.
        return redirect(_with_next("accounts:otp", next_url))
    device = services.otp_device_for_setup(user=user)
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        wait = services.otp_wait_seconds(device)
        token = form.cleaned_data["token"]
        if not wait and services.otp_confirm(user=user, device=device, token=token):
            django_otp.login(request, device)
            return redirect(_destination(next_url))
        _wrong_code(form, wait)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": services.otp_qr_svg(device),
        "secret": services.otp_secret_text(device),
    }
    return render(request, "accounts/otp_setup.html", context)
