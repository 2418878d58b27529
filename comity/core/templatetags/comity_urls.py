"""URLs without arguments, reversed once: ``{% load comity_urls %}``.

``{% fixed_url 'web:dashboard' %}`` gives what ``{% url 'web:dashboard' %}`` gives. Every
page's navbar reverses about fifteen such names, and each ``{% url %}`` walks the URL
resolver again (about 60 µs, a millisecond a page); these are remembered per URL
configuration, script prefix and language. Names that take arguments stay on ``{% url %}``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=512)
def _reverse(name: str, urlconf: str | None, prefix: str, language: str | None) -> str:
    del prefix, language  # part of the key: reverse() reads them itself
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """reverse(name) for a URL name that takes no arguments, remembered."""
    return _reverse(name, get_urlconf(), get_script_prefix(), get_language())


@register.simple_tag(name="fixed_url")
def fixed_url_tag(name: str) -> str:
    return fixed_url(name)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    """Tests that swap the URL configuration get fresh URLs (as Django's own caches do)."""
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reverse.cache_clear()
