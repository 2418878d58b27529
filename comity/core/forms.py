"""Form behaviour shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms

# Widget attributes the forms share. Every dict is copied by the widget, so sharing is safe.
TEXT = {"class": "form-control", "dir": "auto"}
CODE = {"class": "form-control", "dir": "ltr", "autocomplete": "off"}
SELECT = {"class": "form-select"}
NOTE = {"class": "form-control", "dir": "auto", "rows": 3}
DATE = {"class": "form-control", "dir": "ltr", "type": "date"}


class BootstrapForm(forms.Form):
    """Marks fields with errors for Bootstrap (``is-invalid``, ``aria-invalid``) and ties
    each error to its field for screen readers: the templates give the error text the id
    ``<field id>_error``."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}_error"
