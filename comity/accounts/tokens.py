"""API tokens: created, revoked and checked only here.

A token is shown once, when it is created; the database keeps its SHA-256 and its first
characters (the prefix) so that people can tell their tokens apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from comity.accounts.models import ApiToken, User
from comity.audit.codes import Code
from comity.audit.services import audit_record

TOKEN_PREFIX = "cmy_"  # noqa: S105 (marks a Comity token; not a secret)
PREFIX_LENGTH = 12  # "cmy_" and eight random characters; fits ApiToken.prefix
# Recording every use would turn each API read into a write; once a minute is enough to
# tell a live token from a forgotten one.
LAST_USED_GRANULARITY = timedelta(minutes=1)
# Longer values are not ours: refuse them before hashing.
_MAX_TOKEN_LENGTH = 200


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the row and the token, which is not kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            prefix=raw[:PREFIX_LENGTH],
            token_hash=_digest(raw),
        )
        audit_record(
            code=Code.TOKEN_CREATED,
            actor=user,
            subject_type="api_token",
            subject_id=str(token.public_id),
            details={"prefix": token.prefix, "name": token.name, "user": user.username},
        )
    return token, raw


def token_revoke(*, token: ApiToken, actor: User | None) -> None:
    """Revoke the token from now on. Revoking a revoked token changes nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if locked.revoked_at is not None:
            token.revoked_at = locked.revoked_at
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            code=Code.TOKEN_REVOKED,
            actor=actor,
            subject_type="api_token",
            subject_id=str(locked.public_id),
            details={"prefix": locked.prefix, "user": locked.user.username},
        )
    token.revoked_at = locked.revoked_at


def token_authenticate(raw: str) -> User | None:
    """The active user the token belongs to, or None (unknown, revoked, inactive user).

    The lookup is by SHA-256 of the token, so the time it takes says nothing about how
    much of a guess was right.
    """
    raw = (raw or "").strip()
    if not raw or len(raw) > _MAX_TOKEN_LENGTH:
        return None
    digest = _digest(raw)
    token = (
        ApiToken.objects.select_related("user__authority__state")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = token.user
    if not user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
