from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def request_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
