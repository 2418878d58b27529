"""Choice labels in the reader's language, looked up without re-translating.

``instance.get_FOO_display()`` builds a dict of every choice and hashes each lazy label
(each hash is a translation look-up) on every call: on a list page of 25 rows that was a
sixth of the page's time. ``labels(Status)[value]`` translates each label once per language
and process.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language

_KEPT: dict[tuple[type[models.Choices], str], dict[str, str]] = {}


def labels(choices: type[models.Choices]) -> dict[str, str]:
    """Each value of ``choices`` with its label in the active language."""
    key = (choices, get_language() or "")
    found = _KEPT.get(key)
    if found is None:
        found = {str(value): str(label) for value, label in choices.choices}
        _KEPT[key] = found
    return found
