"""Two-factor sign-in with an authenticator app (TOTP), for the roles the node requires."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axes.utils import reset as axes_reset
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from tests.personas import PASSWORD, Personas

LOGIN = "/accounts/login/"
OTP = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
DASHBOARD = "/"

pytestmark = pytest.mark.usefixtures("_officers_need_two_factor")


@pytest.fixture
def _officers_need_two_factor(db: None) -> Iterator[None]:
    axes_reset()
    with override_settings(COMITY_OTP_REQUIRED_ROLES=["officer"]):
        yield


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A code the device does not accept now (none of the codes its tolerance allows)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp.time = timezone.now().timestamp() + offset * device.step
        accepted.add(f"{totp.token():06d}")
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def _sign_in(client: Client, user: User) -> str:
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def _confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_an_officer_without_a_device_is_sent_to_set_one_up_after_signing_in(
    client: Client, personas: Personas
) -> None:
    assert _sign_in(client, personas.requesting_officer) == reverse("accounts:otp_setup")


def test_an_officer_with_a_device_is_asked_for_a_code_after_signing_in(
    client: Client, personas: Personas
) -> None:
    _confirmed_device(personas.requesting_officer)
    assert _sign_in(client, personas.requesting_officer) == reverse("accounts:otp")


def test_a_role_the_node_does_not_list_signs_in_with_a_password_alone(
    client: Client, personas: Personas
) -> None:
    assert _sign_in(client, personas.requesting_reviewer) == reverse("web:dashboard")
    assert client.get(DASHBOARD).status_code == 200


def test_the_dashboard_sends_an_unverified_officer_to_the_two_factor_pages(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, personas.requesting_officer)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{OTP}?next=%2F"
    # Without a device, the code page passes the officer on to the set-up page.
    response = client.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2F"


def test_an_htmx_request_from_an_unverified_officer_reloads_the_whole_page(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, personas.requesting_officer)
    response = client.get(DASHBOARD, headers={"hx-request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == OTP


def test_the_set_up_page_shows_a_qr_code_and_the_secret_of_one_unconfirmed_device(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    first = client.get(SETUP)
    assert first.status_code == 200
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=personas.requesting_officer)
    assert not device.confirmed
    html = first.content.decode()
    assert "<svg" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert 'autocomplete="one-time-code"' in html
    assert "no-store" in first["Cache-Control"]


def test_a_correct_code_confirms_the_device_and_lets_the_officer_in(
    client: Client, personas: Personas
) -> None:
    officer = personas.requesting_officer
    _sign_in(client, officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(SETUP, {"token": _code(device), "next": "/requests/"})
    assert response.status_code == 302
    assert response["Location"] == "/requests/"
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(code=Code.OTP_DEVICE_CONFIRMED)
    assert event.actor == officer
    assert client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_neither_confirms_the_device_nor_lets_the_officer_in(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, personas.requesting_officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=personas.requesting_officer)
    response = client.post(SETUP, {"token": _wrong_code(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That code is not correct." in html
    assert 'role="alert"' in html
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(DASHBOARD).status_code == 302


def test_a_code_that_is_not_six_digits_is_refused_before_it_is_checked(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, personas.requesting_officer)
    client.get(SETUP)
    response = client.post(SETUP, {"token": "12ab56"})
    assert "Enter the six digits your authenticator app shows." in response.content.decode()
    device = TOTPDevice.objects.get(user=personas.requesting_officer)
    assert device.throttling_failure_count == 0


def test_a_code_typed_with_persian_digits_and_a_space_is_accepted(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, personas.requesting_officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=personas.requesting_officer)
    code = _code(device).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.post(SETUP, {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_an_officer_with_a_device_gets_in_with_its_current_code(
    client: Client, personas: Personas
) -> None:
    device = _confirmed_device(personas.requesting_officer)
    _sign_in(client, personas.requesting_officer)
    assert client.get(DASHBOARD).status_code == 302
    response = client.post(OTP, {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_at_sign_in_is_refused_and_counted(client: Client, personas: Personas) -> None:
    device = _confirmed_device(personas.requesting_officer)
    _sign_in(client, personas.requesting_officer)
    response = client.post(OTP, {"token": _wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not correct." in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get(DASHBOARD).status_code == 302


def test_after_repeated_wrong_codes_even_the_right_code_must_wait(
    client: Client, personas: Personas
) -> None:
    device = _confirmed_device(personas.requesting_officer)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    _sign_in(client, personas.requesting_officer)
    response = client.post(OTP, {"token": _code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes. Try again in" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    # Once the wait is over the right code works again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    assert client.post(OTP, {"token": _code(device)}).status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_a_code_cannot_be_used_twice(client: Client, personas: Personas) -> None:
    device = _confirmed_device(personas.requesting_officer)
    code = _code(device)
    _sign_in(client, personas.requesting_officer)
    assert client.post(OTP, {"token": code}).status_code == 302
    client.post("/accounts/logout/")
    _sign_in(client, personas.requesting_officer)
    assert client.post(OTP, {"token": code}).status_code == 200
    assert client.get(DASHBOARD).status_code == 302


def test_a_confirmed_device_cannot_be_replaced_by_setting_up_another(
    client: Client, personas: Personas
) -> None:
    _confirmed_device(personas.requesting_officer)
    _sign_in(client, personas.requesting_officer)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == OTP
    assert TOTPDevice.objects.filter(user=personas.requesting_officer).count() == 1


def test_the_two_factor_pages_need_a_signed_in_user(client: Client, db: None) -> None:
    for path in (OTP, SETUP):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_verified_officer_who_opens_the_code_page_goes_on(
    client: Client, personas: Personas
) -> None:
    device = _confirmed_device(personas.requesting_officer)
    _sign_in(client, personas.requesting_officer)
    client.post(OTP, {"token": _code(device)})
    response = client.get(OTP, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
