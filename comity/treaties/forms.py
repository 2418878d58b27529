"""The legal-basis finder's form: the same five questions as the API and the command line.

The field names are the API's (``from``, ``to``, ``measure``, ``offence``, ``date``), so a
finder page's address can be shared and read back by either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comity.cooperation.models import Measure, RequestType
from comity.core.models import IccsCode
from comity.core.widgets import FastSelect
from comity.directory.models import State
from comity.treaties.models import Cooperation

Choices = list[tuple[str, Any]]

_SELECT = {"class": "form-select"}

# Specific measures practitioners ask about, offered after the kinds of cooperation; the
# finder maps each onto the kind of cooperation it belongs to.
SPECIFIC_MEASURES: tuple[tuple[str, Any], ...] = (
    (RequestType.PROVISIONAL_ARREST.value, RequestType.PROVISIONAL_ARREST.label),
    (Measure.BANK_RECORDS.value, Measure.BANK_RECORDS.label),
    (Measure.SEARCH_AND_SEIZURE.value, Measure.SEARCH_AND_SEIZURE.label),
    (Measure.WITNESS_STATEMENT.value, Measure.WITNESS_STATEMENT.label),
    (Measure.VIDEO_HEARING.value, Measure.VIDEO_HEARING.label),
    (Measure.SERVICE_OF_DOCUMENTS.value, Measure.SERVICE_OF_DOCUMENTS.label),
    (Measure.IDENTIFY_LOCATE.value, Measure.IDENTIFY_LOCATE.label),
    (RequestType.FREEZING.value, RequestType.FREEZING.label),
    (RequestType.SEIZURE.value, RequestType.SEIZURE.label),
    (RequestType.ASSET_RETURN.value, RequestType.ASSET_RETURN.label),
)

# The form's fields in the order of the page, and the finder's names for them.
FIELDS = ("from", "to", "measure", "offence", "date")


@dataclass(frozen=True)
class FinderChoices:
    """What the selects offer, read once per page."""

    states: Choices
    offences: Choices

    @classmethod
    def load(cls) -> FinderChoices:
        states = sorted(State.objects.only("iso3", "name_en", "name_ru", "name_fa"), key=str)
        codes = IccsCode.objects.order_by("code").values_list("code", "label")
        return cls(
            states=[(s.iso3, s.name) for s in states],
            offences=[(code, f"{code} {label}") for code, label in codes],
        )

    def state_names(self) -> dict[str, str]:
        return {str(iso3): str(name) for iso3, name in self.states}


def measure_choices() -> list[tuple[Any, Any]]:
    return [
        (_("Kind of cooperation"), list(Cooperation.choices)),
        (_("Specific measure"), list(SPECIFIC_MEASURES)),
    ]


class FinderForm(forms.Form):
    def __init__(self, *args: Any, choices: FinderChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["from"] = forms.ChoiceField(
            label=_("Requesting state"),
            choices=[*blank, *choices.states],
            widget=FastSelect(attrs=_SELECT),
        )
        self.fields["to"] = forms.ChoiceField(
            label=_("Requested state"),
            choices=[*blank, *choices.states],
            widget=FastSelect(attrs=_SELECT),
        )
        self.fields["measure"] = forms.ChoiceField(
            label=_("Measure"),
            choices=[*blank, *measure_choices()],
            widget=forms.Select(attrs=_SELECT),
        )
        self.fields["offence"] = forms.ChoiceField(
            label=_("Offence (ICCS)"),
            choices=[*blank, *choices.offences],
            widget=FastSelect(attrs=_SELECT),
        )
        self.fields["date"] = forms.DateField(
            label=_("On"),
            required=False,
            help_text=_("The date the treaties must be in force on; today if left empty."),
            widget=forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
        )
        for name in FIELDS:
            field = self.fields[name]
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def on(self) -> date:
        """The date asked about; call after ``is_valid``."""
        chosen: date | None = self.cleaned_data.get("date")
        return chosen or timezone.localdate()

    def flag_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                field.widget.attrs["class"] += " is-invalid"
                field.widget.attrs["aria-invalid"] = "true"
                described = f"id_{name}_error"
                current = field.widget.attrs.get("aria-describedby", "")
                field.widget.attrs["aria-describedby"] = f"{current} {described}".strip()
