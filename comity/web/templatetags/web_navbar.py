"""``{% navbar %}``: the page's navbar, kept per signed-in reader and page.

The navbar is the same on every page a user opens in one language, save the active link, the
unread count, the CSRF token of its forms and the address the language switcher returns to.
Rendering its template took close to a millisecond of every page (docs/benchmarks.md), so
the tag keeps the rendered HTML, keyed by everything the template shows: the language, the
page, the user and their name, role and authority's name, and each policy answer that
shows or hides a link. The parts that change with each request are put in afterwards.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template.context import Context
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from comity import policy

register = template.Library()

NAVBAR = "web/_navbar.html"
BADGE = "web/_unread_badge.html"
KEPT = 1024  # navbars kept per process (one per user, language and page visited)

# Stand-ins rendered into the kept copy, replaced by each request's own values. They are
# characters of Unicode's private use area, which no text of the navbar contains and
# escaping leaves alone.
_CSRF, _NEXT, _BADGE = "\ue000csrf\ue000", "\ue000next\ue000", "\ue000badge\ue000"

_kept: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_lock = threading.Lock()


def _key(context: Context) -> tuple[Any, ...] | None:
    request, user = context.get("request"), context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return None
    match = getattr(request, "resolver_match", None)
    authority = user.authority if user.authority_id else None
    return (
        get_language(),
        match.view_name if match else None,
        match.namespace if match else None,
        user.pk,
        user.display_name,
        user.get_role_display(),
        authority.name if authority else None,
        bool(context.get("can_create_request")),
        policy.can_use_consultations(user),
        policy.can_use_records_exchange(user),
        policy.can_use_assets(user),
        policy.can_manage_rates(user),
        policy.can_view_network_stats(user),
        policy.can_view_stats(user),
        policy.can_view_directory(user),
    )


def _render(context: Context, **values: Any) -> str:
    """What ``{% include %}`` would render, with these values on top of the context."""
    assert context.template is not None  # noqa: S101 (a tag renders inside a template)
    navbar = context.template.engine.get_template(NAVBAR)
    with context.push(**values):
        return str(navbar.render(context))


@register.simple_tag(takes_context=True)
def navbar(context: Context) -> SafeString:
    request = context.get("request")
    count = context.get("unread_notifications")
    badge = get_template(BADGE).render({"count": count() if callable(count) else count})
    next_path = request.get_full_path() if request is not None else ""
    key = _key(context)
    if key is None:  # signed out: nothing to keep
        return mark_safe(_render(context, unread_badge=mark_safe(badge), next_path=next_path))  # noqa: S308 (rendered templates)
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
    if html is None:
        html = _render(
            context,
            unread_badge=mark_safe(_BADGE),  # noqa: S308 (a stand-in)
            next_path=_NEXT,
            csrf_token=_CSRF,
        )
        with _lock:
            _kept[key] = html
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    token = get_token(request) if request is not None else ""
    filled = html.replace(_CSRF, token).replace(_NEXT, escape(next_path)).replace(_BADGE, badge)
    return mark_safe(filled)  # noqa: S308 (the template's output, with escaped values put in)
