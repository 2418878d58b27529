from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def login(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def logout(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def otp_verify(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def otp_setup(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
