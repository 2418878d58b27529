"""Signing in and out, the second factor, and the small decisions around them.

Password checks go through ``django.contrib.auth.authenticate(request=...)`` so that the
login-throttling backend sees every attempt and can refuse a locked-out username + address.
"""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass
from typing import TYPE_CHECKING

import django_otp
import qrcode
from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from comity.audit.codes import Code
from comity.audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.accounts.models import User

# Longest username kept in a failed-login audit event (the column's own limit).
_USERNAME_MAX = 150


def user_requires_two_factor(user: User | AnonymousUser) -> bool:
    """The node's settings make this user's role sign in with a second factor."""
    return bool(
        user.is_authenticated and getattr(user, "role", "") in settings.COMITY_OTP_REQUIRED_ROLES
    )


def two_factor_enforced() -> bool:
    """At least one role must use a second factor on this node."""
    return bool(settings.COMITY_OTP_REQUIRED_ROLES)


def login_attempt(*, request: HttpRequest, username: str, password: str) -> User | None:
    """Check the password, sign the user in and audit the attempt either way.

    Returns the signed-in user, or None when the credentials are wrong, the account is
    inactive or the username + address is locked out (the caller cannot tell which, so
    neither can the person at the keyboard). The password hash is checked outside any
    transaction: on SQLite a transaction takes the write lock, and hashing is slow.
    """
    user: User | None = auth.authenticate(request=request, username=username, password=password)
    if user is None:
        details: dict[str, object] = {"username": username[:_USERNAME_MAX]}
        if getattr(request, "axes_locked_out", False):
            details["locked_out"] = True
        audit_record(code=Code.LOGIN_FAILED, actor=None, details=details)
        return None
    auth.login(request, user)
    audit_record(code=Code.LOGIN, actor=user, subject_type="user", subject_id=str(user.public_id))
    return user


def logout(*, request: HttpRequest) -> None:
    """Audit the sign-out, then end the session (which also forgets the second factor)."""
    user = request.user
    if user.is_authenticated:
        audit_record(
            code=Code.LOGOUT, actor=user, subject_type="user", subject_id=str(user.public_id)
        )
    auth.logout(request)


def otp_confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def otp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created on first use.

    Reusing it means reloading the set-up page shows the same secret, so a code from an
    authenticator that already scanned it still works.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(settings.OTP_TOTP_ISSUER), confirmed=False
        )
    return device


def otp_secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an authenticator by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the user's new device if ``token`` is its current code.

    The row is locked while the code is checked so two submissions of the same code cannot
    both succeed; wrong codes count towards the device's own throttling.
    """
    with transaction.atomic():
        locked = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if locked is None or not locked.verify_token(token):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        audit_record(
            code=Code.OTP_DEVICE_CONFIRMED,
            actor=user,
            subject_type="otp_device",
            subject_id=str(locked.pk),
        )
    device.refresh_from_db()
    return True


@dataclass(frozen=True)
class OtpOutcome:
    ok: bool
    # Seconds to wait before the device accepts another code; 0 unless throttled.
    wait_seconds: int = 0


def otp_wait_seconds(device: TOTPDevice) -> int:
    """Seconds before the device accepts another attempt after repeated wrong codes."""
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    remaining: float = (data["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining))


def otp_check(*, user: User, device: TOTPDevice, token: str) -> OtpOutcome:
    """Check ``token`` against the user's confirmed device.

    Each wrong code doubles the wait before the next one is accepted (the device's own
    throttling); while the wait runs, codes are refused unchecked.
    """
    wait = otp_wait_seconds(device)
    if wait:
        return OtpOutcome(ok=False, wait_seconds=wait)
    verified = django_otp.verify_token(user, device.persistent_id, token)
    return OtpOutcome(ok=verified is not None)


def otp_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no image request)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg


def otp_devices_reset(*, user: User, actor: User) -> int:
    """Remove all of a user's authenticator devices, so they set up a new one at sign-in.

    For a node administrator helping someone who lost their phone. Returns how many devices
    were removed.
    """
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            code=Code.OTP_DEVICES_RESET,
            actor=actor,
            subject_type="user",
            subject_id=str(user.public_id),
            details={"devices": removed},
        )
    return int(removed)
