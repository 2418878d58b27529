"""Filters for the menu: ``{% load records_tags %}``."""

from __future__ import annotations

from typing import Any

from django import template

from comity import policy

register = template.Library()


@register.filter
def can_use_records(user: Any) -> bool:
    """Caseworkers of an authority: the records exchange is open to them."""
    return policy.can_use_records_exchange(user)
