"""`comity token create|revoke|list`: API tokens from the console.

`create` prints the token alone on its last line, so that scripts can take it with
`tail -n 1`; it is shown this once and never again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.accounts.models import ApiToken, User
from comity.accounts.tokens import PREFIX_LENGTH, token_create, token_revoke


class Command(BaseCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token for a user.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        revoke = actions.add_parser("revoke", help="Revoke a token.")
        revoke.add_argument("token", metavar="PREFIX_OR_ID", help="The token's prefix or id.")
        listing = actions.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "revoke":
            self._revoke(options["token"])
        else:
            self._list(options["username"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _create(self, username: str, name: str) -> None:
        user = self._user(username)
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        token, raw = token_create(user=user, name=name)
        self.stderr.write(
            f"Token {token.public_id} ({token.prefix}) created for {user.username}. "
            "Keep it now: it cannot be shown again."
        )
        self.stdout.write(raw)

    def _find(self, value: str) -> ApiToken:
        value = value.strip()
        try:
            found = ApiToken.objects.filter(public_id=uuid.UUID(value))
        except ValueError:
            if len(value) < PREFIX_LENGTH:
                raise CommandError(
                    "Give the token's id or its 12-character prefix (cmy_…)."
                ) from None
            found = ApiToken.objects.filter(prefix=value[:PREFIX_LENGTH])
        tokens = list(found.select_related("user")[:2])
        if not tokens:
            raise CommandError(f"No token {value!r}.")
        if len(tokens) > 1:
            raise CommandError(f"More than one token starts with {value!r}: use its id.")
        return tokens[0]

    def _revoke(self, value: str) -> None:
        token = self._find(value)
        if token.revoked_at is not None:
            self.stdout.write(f"Token {token.prefix} was already revoked on {token.revoked_at}.")
            return
        token_revoke(token=token, actor=None)
        self.stdout.write(f"Token {token.prefix} of {token.user.username} is revoked.")

    def _list(self, username: str) -> None:
        user = self._user(username)
        tokens = ApiToken.objects.filter(user=user).order_by("created_at", "id")
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}  {token.public_id}  {state:<24}  "
                f"created {token.created_at:%Y-%m-%d %H:%M}  last used {used}  {token.name}"
            )
