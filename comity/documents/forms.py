"""Forms of the documents pages. They check shape only; the services decide the rest."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.core.forms import BootstrapForm as _Form
from comity.documents.content import DOCUMENT_LANGUAGES, LANGUAGE_NAMES
from comity.documents.models import Format, Layout, TranslationStatus

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def language_choices(accepted: list[str]) -> list[tuple[str, str]]:
    """en, ru, fa, each marked when the requested authority accepts it."""
    choices = []
    for code in DOCUMENT_LANGUAGES:
        name = str(LANGUAGE_NAMES[code])
        if code in accepted:
            name = gettext("%(language)s (accepted by the requested authority)") % {
                "language": name
            }
        choices.append((code, name))
    return choices


class GenerateForm(_Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    second_language = forms.ChoiceField(
        label=_("Second language (side by side, optional)"),
        required=False,
        choices=[],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=Format.choices,
        initial=Format.PDF,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, accepted: list[str], default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = language_choices(accepted)
        cast(forms.ChoiceField, self.fields["language"]).choices = choices
        cast(forms.ChoiceField, self.fields["second_language"]).choices = [("", "—"), *choices]
        self.fields["language"].initial = default

    def arguments(self) -> dict[str, Any]:
        languages = [self.cleaned_data["language"]]
        if self.cleaned_data["second_language"]:
            languages.append(self.cleaned_data["second_language"])
        layout = Layout.BILINGUAL if len(languages) == 2 else Layout.SINGLE
        return {"languages": languages, "fmt": self.cleaned_data["format"], "layout": layout}


class VerifyForm(_Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control font-monospace",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )
    sha256 = forms.CharField(
        label=_("SHA-256 of the file you received (optional)"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "dir": "ltr", "spellcheck": "false"}
        ),
    )
    file = forms.FileField(
        label=_("Or the file itself (it is hashed, not kept)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.COMITY_ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(limit)s MB.")
                % {"limit": settings.COMITY_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_sha256(self) -> str:
        value = "".join(str(self.cleaned_data.get("sha256", "")).split()).lower()
        if value and not _SHA256.match(value):
            raise forms.ValidationError(gettext("A SHA-256 is 64 hexadecimal characters."))
        return value


class TranslationForm(_Form):
    field = forms.CharField(widget=forms.HiddenInput, max_length=64)
    language = forms.ChoiceField(
        choices=[(code, code) for code in DOCUMENT_LANGUAGES], widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("Translation"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=TranslationStatus.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    certified_file = forms.FileField(
        label=_("Certified translation (file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
