from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from comity import policy
from comity.cooperation.notifications import unread_count
from comity.core import languages


def _once(compute: Callable[[], int]) -> Callable[[], int]:
    """Defer the query until a template asks, and run it at most once per response."""
    cache: list[int] = []

    def value() -> int:
        if not cache:
            cache.append(compute())
        return cache[0]

    return value


def _switcher() -> list[languages.Language]:
    """The languages the switcher offers: those the settings let the interface run in."""
    offered = {code for code, _name in settings.LANGUAGES}
    return [language for language in languages.ALL if language.code in offered]


def comity(request: HttpRequest) -> dict[str, Any]:
    language = languages.get(get_language())
    context: dict[str, Any] = {
        "rtl": language.rtl,
        "page_language": language,
        "switcher_languages": _switcher(),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["can_create_request"] = policy.can_create_request(user)
        # Templates call callables, so partial responses that never show the navbar
        # (htmx fragments) never pay for the count.
        context["unread_notifications"] = _once(lambda: unread_count(user=user))
    return context
