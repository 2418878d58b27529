"""The API's JSON renderer, and a response rendered with it without ninja's response check.

``prechecked_response`` is for a list whose rows are built as plain dicts already shaped and
typed like the declared schema (tests compare them): it skips building and validating one
pydantic model per row, most of the time of a page of fifty besides the queries.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer


class Utf8JsonRenderer(JSONRenderer):
    """Cyrillic and Persian as UTF-8, not as \\u escapes: a third of the bytes on slow links."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = Utf8JsonRenderer()


def prechecked_response(request: HttpRequest, data: Any, *, status: int = 200) -> HttpResponse:
    content = RENDERER.render(request, data, response_status=status)
    return HttpResponse(
        content,
        status=status,
        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}",
    )
