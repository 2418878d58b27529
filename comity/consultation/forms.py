"""Forms of the consultation pages. They check shapes; the services decide the rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.consultation.services import MAX_TEXT
from comity.consultation.snapshot import part_label
from comity.core.forms import BootstrapForm as _BootstrapForm
from comity.directory.models import ContactPoint

_TEXTAREA = {"rows": 3, "dir": "auto", "class": "form-control", "maxlength": str(MAX_TEXT)}


def contact_label(contact: ContactPoint) -> str:
    parts = [contact.name]
    if contact.role:
        parts.append(contact.role)
    if contact.languages:
        parts.append(", ".join(str(code) for code in contact.languages))
    return " · ".join(parts)


class OpenForm(_BootstrapForm):
    contact_point = forms.ChoiceField(
        label=_("Contact point"),
        required=False,
        help_text=_("Whom the requested authority should ask to read it (optional)."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    message = forms.CharField(
        label=_("Message to the requested authority"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )

    def __init__(self, *args: Any, contacts: Iterable[ContactPoint] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["contact_point"]).choices = [
            ("", gettext("No one in particular")),
            *((str(c.public_id), contact_label(c)) for c in contacts),
        ]


class CommentForm(_BootstrapForm):
    body = forms.CharField(
        label=_("Your comment"), max_length=MAX_TEXT, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    field = forms.ChoiceField(
        label=_("About"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, parts: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [
            ("", part_label("")),
            *((name, part_label(name)) for name in parts),
        ]


class ShareForm(_BootstrapForm):
    note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={**_TEXTAREA, "rows": 2}),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError beside the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)
