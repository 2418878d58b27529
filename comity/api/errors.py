"""One shape for every API error, whatever raised it.

    {"error": {"code": "<machine code>", "message": "<text in the user's language>",
               "fields": {"<field path>": ["<text>", ...]}}}

Field paths follow the JSON that was sent, with list positions as numbers:
``persons.0.birth_date``. Errors that belong to no one field are listed under
``__all__``. Status codes: 400 invalid input (ninja's and the services' validation alike;
never 422), 401, 403, 404 (missing and hidden alike), 405, 409 (a draft changed under the
client), 413 (body or file too large), 415 (body not JSON, or a file of a type that is not
accepted), 500 (logged, never detailed).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

from comity.cooperation.files import FileRejected

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("comity.api")

Fields = dict[str, list[str]]

# The services name a few fields after the model; the API nests them.
FIELD_ALIASES: dict[str, str] = {
    "proceedings_nature": "proceedings.nature",
    "proceedings_reference": "proceedings.reference",
    "conducting_authority": "proceedings.conducting_authority",
}
# Parts of ninja's error locations that are not in the JSON the client sent.
_SOURCES = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})
BODY_PARAM = "payload"  # the name every JSON-body parameter of this API goes by
# Service errors on these fields mean someone else changed the object meanwhile.
_CONFLICT_FIELDS = frozenset({"version", "status"})


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(BaseModel):
    """What every error response holds."""

    error: ErrorDetail


def error_responses(codes: tuple[int, ...]) -> dict[int, Any]:
    """The ``response=`` entries of an operation for its error statuses (OpenAPI)."""
    return dict.fromkeys(codes, ErrorOut)


class UnsupportedMediaType(ValueError):
    """The body is not JSON (raised by the parser, turned into 415)."""


class ApiError(Exception):
    """An error an endpoint raises itself, already in the API's terms."""

    def __init__(
        self, *, status: int, code: str, message: str, fields: Fields | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(
    code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": {name: list(texts) for name, texts in (fields or {}).items()},
        }
    }


def error_response(
    *, status: int, code: str, message: str, fields: Mapping[str, Sequence[str]] | None = None
) -> HttpResponse:
    """The error as a JSON response, for code that runs outside ninja's handlers."""
    response = HttpResponse(
        json.dumps(error_body(code, message, fields), ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def not_found_response() -> HttpResponse:
    return error_response(status=404, code="not_found", message=_("Not found."))


def method_not_allowed_response(allowed: Iterable[str]) -> HttpResponse:
    methods = sorted(set(allowed))
    response = error_response(
        status=405,
        code="method_not_allowed",
        message=_("This method is not allowed here. Allowed: %(methods)s.")
        % {"methods": ", ".join(methods)},
    )
    response["Allow"] = ", ".join(methods)
    return response


def _path(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    path = ".".join(str(part) for part in parts)
    return FIELD_ALIASES.get(path, path) or NON_FIELD_ERRORS


_Ctx = Mapping[str, Any]
# pydantic error types, exact or by prefix, and what to tell the user. Most texts are
# Django's own, so Django's catalogues translate them already.
_BY_TYPE: dict[str, Callable[[_Ctx], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "greater_than_equal": lambda ctx: (
        _("Ensure this value is greater than or equal to %(limit_value)s.")
        % {"limit_value": ctx.get("ge")}
    ),
    "less_than_equal": lambda ctx: (
        _("Ensure this value is less than or equal to %(limit_value)s.")
        % {"limit_value": ctx.get("le")}
    ),
    "list_type": lambda ctx: _("Enter a list of values."),
    "string_too_long": lambda ctx: (
        _("Ensure this value has at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    ),
    "too_long": lambda ctx: (
        _("Ensure this list has at most %(limit)s items.") % {"limit": ctx.get("max_length")}
    ),
    "enum": lambda ctx: _("Choose one of: %(allowed)s.") % {"allowed": ctx.get("expected")},
    "literal_error": lambda ctx: (
        _("Choose one of: %(allowed)s.") % {"allowed": ctx.get("expected")}
    ),
    "model_attributes_type": lambda ctx: _("Enter an object with named fields."),
    "dict_type": lambda ctx: _("Enter an object with named fields."),
    "model_type": lambda ctx: _("Enter an object with named fields."),
    "string_type": lambda ctx: _("Enter text."),
    "extra_forbidden": lambda ctx: _("This field is not known."),
    "value_error": lambda ctx: str(ctx.get("error") or _("Enter a valid value.")),
}
_BY_PREFIX: tuple[tuple[str, Callable[[], str]], ...] = (
    ("date", lambda: _("Enter a valid date.")),
    ("uuid_", lambda: _("Enter a valid UUID.")),
    ("int_", lambda: _("Enter a whole number.")),
)


def _pydantic_message(error: Mapping[str, Any]) -> str:
    """A message in the user's language for one pydantic error."""
    kind = str(error.get("type", ""))
    if kind in _BY_TYPE:
        return _BY_TYPE[kind](error.get("ctx") or {})
    for prefix, message in _BY_PREFIX:
        if kind.startswith(prefix):
            return message()
    return _("Enter a valid value.")


def _summary(fields: Fields) -> str:
    texts = [text for messages in fields.values() for text in messages]
    if len(texts) == 1:
        return texts[0]
    return _("Some of the data sent is not valid; see the fields.")


def fields_from_ninja(exc: NinjaValidationError) -> Fields:
    fields: Fields = {}
    for error in exc.errors:
        fields.setdefault(_path(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def fields_from_django(exc: DjangoValidationError) -> Fields:
    if hasattr(exc, "error_dict"):
        return {
            FIELD_ALIASES.get(name, name): [str(text) for text in texts]
            for name, texts in exc.message_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(text) for text in exc.messages]}


Handler = Callable[[HttpRequest, Any], HttpResponse]


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error of ``api`` the shape above."""

    def respond(
        request: HttpRequest,
        *,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> HttpResponse:
        response = api.create_response(request, error_body(code, message, fields), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(
            request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields
        )

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = fields_from_ninja(exc)
        return respond(request, status=400, code="invalid", message=_summary(fields), fields=fields)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = fields_from_django(exc)
        cause = exc.__cause__
        if isinstance(cause, FileRejected) and str(cause) == "too_large":
            status, code = 413, "file_too_large"
        elif isinstance(cause, FileRejected) and str(cause) == "type":
            status, code = 415, "unsupported_file_type"
        elif fields and set(fields) <= _CONFLICT_FIELDS:
            status, code = 409, "conflict"
        else:
            status, code = 400, "invalid"
        return respond(request, status=status, code=code, message=_summary(fields), fields=fields)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("You are not allowed to do this.")
        return respond(request, status=403, code="forbidden", message=message)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # The same body whether the object is missing or hidden: never say which.
        return respond(request, status=404, code="not_found", message=_("Not found."))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            status=401,
            code="unauthorized",
            message=_("Send a valid API token: Authorization: Bearer <token>."),
        )

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(
            request, status=413, code="too_large", message=_("The request is too large.")
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            return on_too_big(request, cause)
        if isinstance(cause, UnsupportedMediaType):
            return respond(
                request,
                status=415,
                code="unsupported_media_type",
                message=_("Send the data as JSON, with the header Content-Type: application/json."),
            )
        if exc.status_code == 400:
            return respond(
                request,
                status=400,
                code="malformed_body",
                message=_("The request body is not valid JSON."),
            )
        return respond(
            request, status=exc.status_code, code=f"http_{exc.status_code}", message=str(exc)
        )

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, status=400, code="bad_request", message=_("Bad request."))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return respond(
            request,
            status=500,
            code="server_error",
            message=_("Something went wrong on the server. The error was recorded."),
        )

    handlers: list[tuple[type[Exception], Handler]] = [
        (ApiError, on_api_error),
        (NinjaValidationError, on_ninja_validation),
        (DjangoValidationError, on_django_validation),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (RequestDataTooBig, on_too_big),
        (SuspiciousOperation, on_suspicious),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
