"""The REST API (django-ninja); each app adds its router here.

Served at /api/v1/: the OpenAPI schema at openapi.json, the docs at docs (Swagger UI from
this node's own static files: nothing is loaded from elsewhere). Every operation needs
`Authorization: Bearer <token>` (tokens: `comity token create USERNAME`). Every error has
the shape described in comity.api.errors, including unknown paths (404) and methods (405).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser
from ninja.types import DictStrAny

from comity.api import errors
from comity.api.auth import TokenAuth
from comity.api.renderers import RENDERER
from comity.assets.api import router as assets_router
from comity.consultation.api import router as consultation_router
from comity.cooperation.api import router as requests_router
from comity.directory.api import router as directory_router
from comity.records.api import router as records_router
from comity.stats.api import router as stats_router
from comity.treaties.api import router as treaties_router

_JSON_TYPES = ("application/json",)


class JsonParser(Parser):
    """Bodies are JSON, said so by Content-Type; anything else is refused (415)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        content_type = (request.content_type or "").lower()
        if content_type not in _JSON_TYPES and not content_type.endswith("+json"):
            raise errors.UnsupportedMediaType(content_type)
        return super().parse_body(request)


def _api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every API answer: 405 in the error shape, and never kept by a cache on the way."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            response = errors.method_not_allowed_response(allowed)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return errors.not_found_response()


_not_found.csrf_exempt = True  # type: ignore[attr-defined]  # like ninja's own views


class ComityAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _api_view(pattern.callback)
        # Last: any other path under the API answers in the API's shape.
        patterns.append(re_path(r"^.*$", _api_view(_not_found), name="not-found"))
        return patterns


api = ComityAPI(
    title="Comity API",
    version="1",
    description=(
        "Requests for international cooperation in criminal matters. Authenticate with "
        "`Authorization: Bearer <token>`. Errors: "
        '`{"error": {"code", "message", "fields": {"path.0.name": ["..."]}}}`.'
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    parser=JsonParser(),
    renderer=RENDERER,
    # validatorUrl: the UI would otherwise ask an outside service to validate the schema.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
api.add_router("/requests", requests_router)
api.add_router("/directory", directory_router)
api.add_router("/consultations", consultation_router)
api.add_router("/records", records_router)
api.add_router("/assets", assets_router)
api.add_router("/stats", stats_router)
# /legal-basis and /instruments
api.add_router("", treaties_router)
