"""API tokens: created once, kept only as a hash, refused once revoked."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from comity.accounts.models import ApiToken, User
from comity.accounts.tokens import token_authenticate, token_create, token_revoke
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_sha256(personas: Personas) -> None:
    token, raw = token_create(user=personas.requesting_officer, name="ci")
    assert raw.startswith("cmy_") and len(raw) > 40
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw[:12] == token.prefix
    assert not ApiToken.objects.filter(token_hash=raw).exists()
    assert raw not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert AuditEvent.objects.filter(
        code=Code.TOKEN_CREATED, subject_id=str(token.public_id)
    ).exists()


def test_two_tokens_differ(personas: Personas) -> None:
    first = token_create(user=personas.requesting_officer)[1]
    second = token_create(user=personas.requesting_officer)[1]
    assert first != second


def test_a_token_authenticates_its_user(personas: Personas) -> None:
    _, raw = token_create(user=personas.requested_officer)
    assert token_authenticate(raw) == personas.requested_officer
    assert token_authenticate(f"  {raw} ") == personas.requested_officer


@pytest.mark.parametrize("guess", ["", "cmy_", "cmy_nope", "x" * 5000, "\x00"])
def test_it_refuses_a_wrong_token(personas: Personas, guess: str) -> None:
    token_create(user=personas.requested_officer)
    assert token_authenticate(guess) is None


def test_it_refuses_a_revoked_token_and_audits_the_revocation(personas: Personas) -> None:
    token, raw = token_create(user=personas.requesting_officer)
    token_revoke(token=token, actor=personas.node_admin)
    assert token.revoked_at is not None
    assert token_authenticate(raw) is None
    assert AuditEvent.objects.filter(code=Code.TOKEN_REVOKED).count() == 1
    token_revoke(token=token, actor=personas.node_admin)  # again: nothing new
    assert AuditEvent.objects.filter(code=Code.TOKEN_REVOKED).count() == 1


def test_it_refuses_the_token_of_an_inactive_user(personas: Personas) -> None:
    _, raw = token_create(user=personas.requesting_officer)
    User.objects.filter(pk=personas.requesting_officer.pk).update(is_active=False)
    assert token_authenticate(raw) is None


def test_it_records_the_last_use_at_most_once_a_minute(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    token, raw = token_create(user=personas.requesting_officer)
    with django_assert_num_queries(2):  # the lookup, and the first use recorded
        assert token_authenticate(raw) is not None
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # within the minute: the lookup only
        assert token_authenticate(raw) is not None
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    with django_assert_num_queries(2):
        assert token_authenticate(raw) is not None
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= first


# ------------------------------------------------------------------ the command


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_token_alone_on_its_last_line_and_it_works(
    personas: Personas,
) -> None:
    out, _ = _run("create", "kaz.officer", "--name", "nightly export")
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("cmy_") and " " not in raw
    response = Client().get("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=personas.requesting_officer).name == "nightly export"


def test_the_command_revokes_by_prefix_or_id_and_lists(personas: Personas) -> None:
    first, raw_first = token_create(user=personas.requesting_officer, name="one")
    second, raw_second = token_create(user=personas.requesting_officer, name="two")
    listing, _ = _run("list", "kaz.officer")
    assert first.prefix in listing and second.prefix in listing
    assert raw_first not in listing
    _run("revoke", first.prefix)
    _run("revoke", str(second.public_id))
    assert token_authenticate(raw_first) is None
    assert token_authenticate(raw_second) is None
    listing, _ = _run("list", "kaz.officer")
    assert listing.count("revoked") == 2


@pytest.mark.parametrize(
    "args",
    [
        ("create", "nobody"),
        ("list", "nobody"),
        ("revoke", "cmy_notthere1"),
        ("revoke", "00000000-0000-4000-8000-000000000000"),
        ("revoke", "short"),
    ],
)
def test_the_command_fails_clearly(personas: Personas, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match=r"\w"):
        _run(*args)
    assert not ApiToken.objects.exists()
