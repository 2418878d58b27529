"""Who sees the statistics, for the menu: ``{% load stats_tags %}``."""

from __future__ import annotations

from typing import Any

from django import template

from comity import policy

register = template.Library()


@register.filter
def can_view_stats(user: Any) -> bool:
    """A caseworker of a central authority: its own figures."""
    return policy.can_view_stats(user)


@register.filter
def can_view_network_stats(user: Any) -> bool:
    """A coordinator of the network: the network's aggregates."""
    return policy.can_view_network_stats(user)
