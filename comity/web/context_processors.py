from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def comity(request: HttpRequest) -> dict[str, Any]:
    return {"rtl": get_language_bidi()}
