"""Bearer-token authentication for every API operation."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from comity.accounts.models import User
from comity.accounts.tokens import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            # The API speaks for the token's user only, never for a browser session.
            request.user = user
        return user


def api_user(request: HttpRequest) -> User:
    """The user the request was authenticated as (set by TokenAuth)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - every operation requires a token
        raise TypeError("operation ran without authentication")
    return user
