"""Signing in and out: the generic error, the lockout, the audit trail, safe redirects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.audit.services import audit_verify
from tests.personas import PASSWORD, Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
DASHBOARD = "/"


@pytest.fixture(autouse=True)
def _no_lockouts(db: None) -> Iterator[None]:
    axes_reset()
    yield
    axes_reset()


def _sign_in(
    client: Client, username: str, password: str, **extra: str
) -> _MonkeyPatchedWSGIResponse:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _main_without_tokens(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _signed_in_user_id(client: Client) -> str | None:
    value = client.session.get("_auth_user_id")
    return str(value) if value is not None else None


def test_it_signs_in_with_the_right_password_and_opens_the_dashboard(
    client: Client, personas: Personas
) -> None:
    response = _sign_in(client, "kaz.officer", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert _signed_in_user_id(client) == str(personas.requesting_officer.pk)


def test_the_sign_in_page_has_labelled_fields_with_autocomplete_hints(client: Client) -> None:
    html = client.get(LOGIN).content.decode()
    assert '<label class="form-label" for="id_username">' in html
    assert '<label class="form-label" for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_it_refuses_a_wrong_password_without_saying_whether_the_user_exists(
    client: Client, personas: Personas
) -> None:
    wrong_password = _sign_in(client, "kaz.officer", "not the password").content.decode()
    no_such_user = _sign_in(client, "nobody.here", "not the password").content.decode()
    assert _signed_in_user_id(client) is None
    message = "The username or password is not correct."
    assert message in wrong_password
    assert message in no_such_user
    assert 'role="alert"' in wrong_password
    # Apart from the username typed back into the form and the CSRF token, the pages match.
    assert _main_without_tokens(wrong_password.replace("kaz.officer", "X")) == _main_without_tokens(
        no_such_user.replace("nobody.here", "X")
    )


def test_it_refuses_an_inactive_user_with_the_same_message(
    client: Client, personas: Personas
) -> None:
    User.objects.filter(pk=personas.requesting_officer.pk).update(is_active=False)
    html = _sign_in(client, "kaz.officer", PASSWORD).content.decode()
    assert "The username or password is not correct." in html
    assert _signed_in_user_id(client) is None


def test_it_records_sign_in_failures_and_successes_in_the_audit_chain(
    client: Client, personas: Personas
) -> None:
    _sign_in(client, "kaz.officer", "not the password")
    _sign_in(client, "kaz.officer", PASSWORD)
    failed = AuditEvent.objects.get(code=Code.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.details == {"username": "kaz.officer"}
    login = AuditEvent.objects.get(code=Code.LOGIN)
    assert login.actor == personas.requesting_officer
    assert login.subject_id == str(personas.requesting_officer.public_id)
    assert audit_verify()[1] is None


def test_it_locks_the_account_out_after_five_wrong_passwords_and_refuses_even_the_right_one(
    client: Client, personas: Personas
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _sign_in(client, "kaz.officer", "not the password").status_code == 200
    fifth = _sign_in(client, "kaz.officer", "not the password")
    assert fifth.status_code == 429
    assert "Sign-in blocked" in fifth.content.decode()
    right = _sign_in(client, "kaz.officer", PASSWORD)
    assert right.status_code == 429
    assert _signed_in_user_id(client) is None
    assert not AuditEvent.objects.filter(code=Code.LOGIN).exists()
    assert AuditEvent.objects.filter(code=Code.LOGIN_FAILED, details__locked_out=True).exists()


def test_the_lockout_of_one_account_leaves_other_accounts_alone(
    client: Client, personas: Personas
) -> None:
    for _ in range(5):
        _sign_in(client, "kaz.officer", "not the password")
    response = _sign_in(client, "kgz.officer", PASSWORD)
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(personas.requested_officer.pk)


def test_the_lockout_page_speaks_the_readers_language(client: Client, personas: Personas) -> None:
    for _ in range(5):
        response = client.post(
            LOGIN,
            {"username": "kaz.officer", "password": "not the password"},
            headers={"accept-language": "fa"},
        )
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html


def test_it_signs_out_only_by_post(client: Client, personas: Personas) -> None:
    client.force_login(personas.requesting_officer)
    assert client.get(LOGOUT).status_code == 405
    assert _signed_in_user_id(client) == str(personas.requesting_officer.pk)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None
    logout = AuditEvent.objects.get(code=Code.LOGOUT)
    assert logout.actor == personas.requesting_officer


def test_it_ignores_a_next_address_on_another_site(client: Client, personas: Personas) -> None:
    response = _sign_in(client, "kaz.officer", PASSWORD, next="https://evil.example/phish")
    assert response["Location"] == reverse("web:dashboard")


def test_it_ignores_a_next_address_given_in_the_query_string_of_the_form(
    client: Client, personas: Personas
) -> None:
    html = client.get(LOGIN, {"next": "//evil.example/"}).content.decode()
    assert 'name="next" value="//evil.example/"' not in html


def test_it_returns_to_the_page_that_asked_for_sign_in(client: Client, personas: Personas) -> None:
    html = client.get(LOGIN, {"next": "/requests/"}).content.decode()
    assert 'name="next" value="/requests/"' in html
    response = _sign_in(client, "kaz.officer", PASSWORD, next="/requests/")
    assert response["Location"] == "/requests/"


def test_a_signed_in_user_who_opens_the_sign_in_page_goes_on_to_the_dashboard(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


def test_it_switches_to_the_users_preferred_language(client: Client, personas: Personas) -> None:
    User.objects.filter(pk=personas.requesting_officer.pk).update(language="ru")
    response = _sign_in(client, "kaz.officer", PASSWORD)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_it_leaves_the_language_alone_when_the_user_has_none(
    client: Client, personas: Personas
) -> None:
    response = _sign_in(client, "kaz.officer", PASSWORD)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_sign_in_page_says_when_two_factor_is_off(client: Client, db: None) -> None:
    notice = "Two-factor sign-in is turned off on this demo node."
    assert notice in client.get(LOGIN).content.decode()
    with override_settings(COMITY_OTP_REQUIRED_ROLES=["officer"]):
        assert notice not in client.get(LOGIN).content.decode()


def test_the_persian_sign_in_page_is_right_to_left(client: Client, db: None) -> None:
    html = client.get(LOGIN, headers={"accept-language": "fa"}).content.decode()
    assert '<html lang="fa" dir="rtl">' in html


def test_the_sign_in_page_is_not_cached(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert "no-store" in response["Cache-Control"]
