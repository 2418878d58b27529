from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def notifications(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
