from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def request_create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def request_edit(request: HttpRequest, id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError
