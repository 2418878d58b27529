"""The session store reads what Django's database store reads, and refuses what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comity.accounts.sessions import SessionStore
from tests.personas import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def test_the_project_uses_it() -> None:
    assert settings.SESSION_ENGINE == "comity.accounts.sessions"


def test_it_reads_what_django_wrote_and_django_reads_what_it_wrote() -> None:
    theirs = DjangoStore()
    theirs["language"] = "fa"
    theirs["values"] = [1, "двa", {"x": None}]
    theirs.save()
    assert dict(SessionStore(theirs.session_key).items()) == dict(theirs.items())

    ours = SessionStore()
    ours["otp_device_id"] = "otp_totp.totpdevice/7"
    ours.save()
    assert DjangoStore(ours.session_key)["otp_device_id"] == "otp_totp.totpdevice/7"


@pytest.mark.parametrize("key", [None, "", "short", "x" * 32, "not-a-key-" * 4])
def test_an_unknown_key_reads_as_a_new_empty_session(key: str | None) -> None:
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_an_expired_session_is_not_read() -> None:
    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    fresh = SessionStore(store.session_key)
    assert dict(fresh.items()) == {}
    assert fresh.session_key is None


def test_a_tampered_session_reads_as_empty() -> None:
    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(session_data="forged:data")
    assert dict(SessionStore(store.session_key).items()) == {}


def test_sign_in_and_sign_out_go_through_it(personas: Personas) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": personas.requesting_officer.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).get("_auth_user_id") == str(personas.requesting_officer.pk)
    assert client.get(reverse("web:dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie signs nobody in.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stale.get(reverse("web:dashboard")).status_code == 302
