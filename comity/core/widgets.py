"""Form widgets for pages that must stay fast."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A flat <select> rendered in Python.

    Django renders each <option> through a template of its own; on the request list, whose
    filter form is on every page view, that took longer than fetching the rows. The markup
    is the same: the bound field's id, aria attributes and classes come through ``attrs``.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        values = value if isinstance(value, list | tuple) else [value]
        chosen = {str(v) for v in values if v is not None}
        # html.escape is what Django's escape() calls, without its lazy-string wrapper.
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 (escaped)
