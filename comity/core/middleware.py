"""HTTPS redirect that leaves loopback alone.

Django's SECURE_SSL_REDIRECT redirects every plain-HTTP request, which would make a node
unusable on http://127.0.0.1 (the demo, a gunicorn behind a local TLS proxy that talks to it
over loopback, health checks). This middleware does the same redirect for every other host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses, with or without a port."""
    name = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class HttpsRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "COMITY_HTTPS_REDIRECT", False))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.enabled and not request.is_secure():
            host = request.get_host()
            if not is_loopback_host(host):
                return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")
        return self.get_response(request)
