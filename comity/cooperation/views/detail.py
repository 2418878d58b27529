from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def request_detail(request: HttpRequest, id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError


def request_transition(request: HttpRequest, id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError


def request_messages(request: HttpRequest, id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError


def attachment_upload(request: HttpRequest, id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError


def attachment_download(request: HttpRequest, id: str, attachment_id: str) -> HttpResponse:  # noqa: A002
    raise NotImplementedError
