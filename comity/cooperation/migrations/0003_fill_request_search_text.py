from __future__ import annotations

import unicodedata
from typing import Any

from django.db import migrations

# A copy of comity.core.text.fold as it stood when this migration was written.
_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                          "\u200c": None})  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_PERSIAN)


def fill(apps: Any, schema_editor: Any) -> None:
    Request = apps.get_model("cooperation", "Request")
    Person = apps.get_model("cooperation", "Person")
    for request in Request.objects.all().iterator(chunk_size=2000):
        names = Person.objects.filter(request_id=request.pk).values_list("name", flat=True)
        parts = [request.reference, request.title, request.proceedings_reference, *names]
        request.search_text = " ".join(_fold(part) for part in parts if part)
        request.save(update_fields=["search_text"])


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cooperation", "Request").objects.update(search_text="")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0002_request_search_text")]
    operations = [migrations.RunPython(fill, empty)]
