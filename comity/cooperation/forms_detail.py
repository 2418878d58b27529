"""Forms of the request detail page: lifecycle actions, messages, attachments.

They check the shape of the input only; the services decide what the input means and
refuse it with ValidationError, whose messages ``add_service_errors`` puts beside the
fields the page shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.cooperation.lifecycle import Action, RefusalGround, Transition
from comity.cooperation.models import Request
from comity.core.forms import BootstrapForm as _BootstrapForm
from comity.directory.models import Authority


class TransitionForm(_BootstrapForm):
    """One lifecycle action. Which fields are required depends on the action's row in the
    transition table; the field names are the ones the transition endpoint reads."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "class": "form-control"}),
    )
    ground = forms.ChoiceField(
        label=_("Ground for refusal"),
        required=False,
        choices=[("", "—"), *RefusalGround.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    executing_authority = forms.ChoiceField(
        label=_("Executing authority"),
        required=False,
        choices=[],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    confirm = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(
        self,
        *args: Any,
        transition: Transition | None,
        authorities: Iterable[Authority] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        cast(forms.ChoiceField, self.fields["executing_authority"]).choices = [
            ("", "—"),
            *((str(a.public_id), a.name_en) for a in authorities),
        ]
        if transition is None:
            return
        self.fields["reason"].required = transition.needs_reason
        self.fields["ground"].required = transition.needs_ground
        self.fields["executing_authority"].required = transition.needs_executing_authority
        self.fields["confirm"].required = transition.confirm
        self.fields["confirm"].label = gettext(
            "I confirm that I want to “%(action)s” this request."
        ) % {"action": transition.label}
        self.fields["confirm"].error_messages["required"] = gettext(
            "Tick the box to confirm this step."
        )

    @property
    def action_label(self) -> str:
        return self.transition.label if self.transition is not None else ""

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of services.request_transition, from valid input."""
        data = self.cleaned_data
        authority = data["executing_authority"]
        return {
            "action": data["action"],
            "reason": data["reason"],
            "ground": data["ground"],
            "executing_authority": uuid.UUID(authority) if authority else None,
        }


class MessageForm(_BootstrapForm):
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "class": "form-control"}),
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AttachmentForm(_BootstrapForm):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=False,
        widget=forms.FileInput(attrs={"class": "form-control"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "auto"}),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside a field the form has, or
    above the form, named by the request field it is about (e.g. a missing summary of
    facts when submitting)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages)
            continue
        label = _field_label(name)
        form.add_error(
            None,
            [
                gettext("%(field)s: %(message)s") % {"field": label, "message": text}
                if label
                else text
                for text in messages
            ],
        )


def _field_label(name: str) -> str:
    try:
        field = Request._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    verbose = getattr(field, "verbose_name", "")
    return str(capfirst(verbose)) if verbose else ""
