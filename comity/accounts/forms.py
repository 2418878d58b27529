from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from comity.core.text import ascii_digits


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# Persian and Arabic-Indic digits, as phones in those locales type them.
_TOKEN_ERROR = _("Enter the six digits your authenticator app shows.")


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=16,
        error_messages={"required": _TOKEN_ERROR},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        # Authenticator apps show "123 456"; people type what they see.
        token = ascii_digits(self.cleaned_data["token"]).replace(" ", "")
        if len(token) != 6 or not token.isascii() or not token.isdigit():
            raise forms.ValidationError(_TOKEN_ERROR, code="invalid")
        return str(token)
