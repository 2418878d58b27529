"""What the access matrices of single areas share (tests/test_access_matrix_records.py,
tests/test_access_matrix_assets.py): the routes of a namespace, the operations under an API
path, and the comparison of a hidden object's answer with a missing one's."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

from comity.api.root import api

MISSING = "00000000-0000-4000-8000-000000000000"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def routes_of(namespace: str) -> set[str]:
    """Every named URL pattern of ``namespace`` ("records", "assets"), as "namespace:name"."""
    return {
        name for name in _names(get_resolver().url_patterns) if name.startswith(f"{namespace}:")
    }


def operations_under(base: str) -> set[str]:
    """Every API operation under ``base``, as "METHOD path" the way OpenAPI names it."""
    return {
        f"{method.upper()} {path.rstrip('/')}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        if path.startswith(base)
        for method in methods
    }


def unmasked(content: bytes) -> bytes:
    """The page without what differs per response anyway: the CSRF token and the path the
    language form returns to."""
    content = re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" value="[^"]+"', b"", content)


def missing_url(url: str) -> str:
    """The same URL with every id replaced by one that names nothing."""
    return _UUID.sub(MISSING, url)
