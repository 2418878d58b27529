from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from comity import policy
from comity.cooperation.notifications import unread_count


def _once(compute: Callable[[], int]) -> Callable[[], int]:
    """Defer the query until a template asks, and run it at most once per response."""
    cache: list[int] = []

    def value() -> int:
        if not cache:
            cache.append(compute())
        return cache[0]

    return value


def comity(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"rtl": get_language_bidi()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["can_create_request"] = policy.can_create_request(user)
        # Templates call callables, so partial responses that never show the navbar
        # (htmx fragments) never pay for the count.
        context["unread_notifications"] = _once(lambda: unread_count(user=user))
    return context
