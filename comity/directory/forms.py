"""Forms of the directory: the search, proposed changes to an entry, the review.

The proposal forms are built from the fields the change service lets users edit, each as a
friendly input: languages and measures as check boxes, the channels as one small group per
channel, the documents as one text per measure. They check the shape of the input; the
service decides what it means and refuses it with ChangeError, which ``add_change_error``
puts beside the field it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.core.forms import BootstrapForm
from comity.core.widgets import FastSelect
from comity.directory.changes import ChangeError
from comity.directory.models import Channel, State
from comity.directory.views.display import language_choices, measure_choices

_SELECT = {"class": "form-select"}
_TEXT = {"class": "form-control", "dir": "auto"}
_CHECKS = {"class": "list-unstyled d-flex flex-wrap gap-3 mb-0"}
# Fields that hold codes of a fixed vocabulary, shown as check boxes.
LANGUAGE_FIELDS = frozenset({"accepted_languages", "languages"})
MEASURE_FIELDS = frozenset({"measures"})
CHANNELS = "channels"
DOCUMENTS = "documents"
# Help where the model says nothing about the expected form of a value.
HELP: dict[str, Any] = {
    "time_zone": _("Its IANA name, e.g. Asia/Bishkek or Asia/Kabul."),
    "email": _("Several addresses: separate them with a semicolon."),
    "phone": _("With the country code; several numbers: separate them with a semicolon."),
    "office_hours": _("E.g. Mon–Fri 09:00–18:00, lunch 13:00–14:00."),
    "name_latin": _("As in the person's passport, if known."),
}


# --- Search --------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        help_text=_("Type it in any script: Cyrillic, Latin or Perso-Arabic."),
        max_length=100,
        required=False,
        strip=True,
        widget=forms.SearchInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False, widget=FastSelect(attrs=_SELECT))
    measure = forms.ChoiceField(
        label=_("Measure"), required=False, widget=FastSelect(attrs=_SELECT)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, widget=FastSelect(attrs=_SELECT)
    )

    def __init__(self, *args: Any, states: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "state", [("", gettext("Any state")), *states])
        _set_choices(self, "measure", [("", gettext("Any measure")), *measure_choices()])
        _set_choices(self, "language", [("", gettext("Any language")), *language_choices()])

    def filters(self) -> dict[str, str]:
        """The valid filters; a value that is not valid is left out, not an error."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


def state_choices() -> list[tuple[str, str]]:
    states = sorted(State.objects.only("iso3", "name_en", "name_ru", "name_fa"), key=str)
    return [(state.iso3, state.name) for state in states]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared as one)
    field.choices = choices


# --- Proposed changes ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelGroup:
    """The inputs of one channel: accepted or not, for which measures, a note."""

    label: str
    accepted: forms.BoundField
    measures: forms.BoundField
    note: forms.BoundField


def _checkboxes(choices: list[tuple[str, str]], label: Any, help_text: Any = "") -> forms.Field:
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


def _boolean(model_field: models.Field[Any, Any], options: dict[str, Any]) -> forms.Field:
    options = {**options, "required": False}
    if model_field.null:  # yes, no, or not known
        return forms.NullBooleanField(widget=forms.NullBooleanSelect(attrs=_SELECT), **options)
    return forms.BooleanField(
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}), **options
    )


def _text(model_field: models.Field[Any, Any], options: dict[str, Any]) -> forms.Field:
    if isinstance(model_field, models.TextField):
        widget: forms.Widget = forms.Textarea(attrs={**_TEXT, "rows": 3})
    else:
        widget = forms.TextInput(attrs=_TEXT)
    max_length = getattr(model_field, "max_length", None) or 20_000
    return forms.CharField(max_length=max_length, widget=widget, **options)


def _code_list(
    model_field: models.Field[Any, Any], current: Any, options: dict[str, Any]
) -> forms.Field:
    """A JSON list of language or measure codes, as check boxes."""
    extra = current if isinstance(current, list) else []
    if model_field.name in LANGUAGE_FIELDS:
        return _checkboxes(language_choices(extra), options["label"])
    if model_field.name in MEASURE_FIELDS:
        return _checkboxes(measure_choices(extra), options["label"])
    raise ValueError(model_field.name)  # an editable JSON field without an input of its own


def _form_field(model_field: models.Field[Any, Any], current: Any) -> forms.Field:
    """An input for one model field, pre-filled from ``current``."""
    options: dict[str, Any] = {
        "label": capfirst(str(model_field.verbose_name)),
        "help_text": str(HELP.get(model_field.name) or model_field.help_text or ""),
        "required": not model_field.blank,
    }
    if isinstance(model_field, models.JSONField):
        return _code_list(model_field, current, options)
    if isinstance(model_field, models.BooleanField):
        return _boolean(model_field, options)
    if model_field.choices:
        choices = [("", "—"), *((str(v), str(lbl)) for v, lbl in model_field.choices)]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=_SELECT), **options)
    if isinstance(model_field, models.IntegerField):
        widget = forms.NumberInput(attrs={"class": "form-control"})
        return forms.IntegerField(min_value=0, max_value=100_000, widget=widget, **options)
    return _text(model_field, options)


class ProposalForm(BootstrapForm):
    """The editable fields of one directory record, pre-filled with its current values.

    ``proposed()`` gives the values that differ from the current ones, in the shape they
    are stored in (lists, dicts, ISO dates), ready for the change service.
    """

    comment = forms.CharField(
        label=_("Comment for the reviewer"),
        help_text=_("Where the new values come from: a law, a letter, a published page."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        model: type[models.Model],
        fields: Iterable[str],
        instance: models.Model | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.model = model
        self.instance = instance
        self.editable = [name for name in fields if name != "comment"]
        self.current: dict[str, Any] = {}
        comment = self.fields.pop("comment")
        for name in self.editable:
            model_field = model._meta.get_field(name)
            assert isinstance(model_field, models.Field)  # noqa: S101 (a concrete field)
            value = model_field.value_from_object(instance) if instance is not None else None
            if value is None and instance is None and model_field.has_default():
                value = model_field.get_default()
            self.current[name] = value
            if name == CHANNELS:
                self._add_channel_fields(value)
            elif name == DOCUMENTS:
                self._add_document_fields(value)
            else:
                self.fields[name] = _form_field(model_field, value)
                self.initial.setdefault(name, value)
        self.fields["comment"] = comment

    # Channels: one group of inputs per channel, in the order of the Channel vocabulary.
    def _add_channel_fields(self, current: Any) -> None:
        stored = {
            str(item.get("channel")): item
            for item in (current if isinstance(current, list) else [])
            if isinstance(item, dict)
        }
        extra = [m for item in stored.values() for m in item.get("measures") or []]
        for channel, label in Channel.choices:
            item = stored.get(channel)
            prefix = f"channel_{channel}"
            self.fields[prefix] = forms.BooleanField(
                label=gettext("Accepts requests this way"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{prefix}_measures"] = _checkboxes(
                measure_choices(extra),
                gettext("For which measures"),
                gettext("None ticked: for every measure."),
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=gettext("Note"), required=False, max_length=500, widget=forms.TextInput(_TEXT)
            )
            self.fields[prefix].channel_label = str(label)  # type: ignore[attr-defined]
            self.initial[prefix] = item is not None
            self.initial[f"{prefix}_measures"] = list(item.get("measures") or []) if item else []
            self.initial[f"{prefix}_note"] = str(item.get("note") or "") if item else ""

    def channel_groups(self) -> list[ChannelGroup]:
        if CHANNELS not in self.editable:
            return []
        return [
            ChannelGroup(
                label=str(label),
                accepted=self[f"channel_{channel}"],
                measures=self[f"channel_{channel}_measures"],
                note=self[f"channel_{channel}_note"],
            )
            for channel, label in Channel.choices
        ]

    def _clean_channels(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        channels = []
        for channel, _label in Channel.choices:
            prefix = f"channel_{channel}"
            measures = list(data.get(f"{prefix}_measures") or [])
            note = str(data.get(f"{prefix}_note") or "").strip()
            if not data.get(prefix):
                if measures or note:
                    self.add_error(
                        f"{prefix}_measures",
                        gettext(
                            "Tick “Accepts requests this way”, or clear its measures and note."
                        ),
                    )
                continue
            channels.append({"channel": channel, "measures": measures, "note": note})
        return channels

    # Documents: one text per measure; an empty text means nothing is listed for it.
    def _add_document_fields(self, current: Any) -> None:
        stored = current if isinstance(current, dict) else {}
        self.document_measures = [m for m, _label in measure_choices(stored)]
        for measure, label in measure_choices(stored):
            name = f"documents_{measure}"
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
            )
            self.initial[name] = str(stored.get(measure) or "")

    def document_fields(self) -> list[forms.BoundField]:
        if DOCUMENTS not in self.editable:
            return []
        return [self[f"documents_{measure}"] for measure in self.document_measures]

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.editable if name not in (CHANNELS, DOCUMENTS)]

    def _clean_documents(self, data: dict[str, Any]) -> dict[str, str]:
        documents = {}
        for measure in self.document_measures:
            text = str(data.get(f"documents_{measure}") or "").strip()
            if text:
                documents[measure] = text
        return documents

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if CHANNELS in self.editable:
            data[CHANNELS] = self._clean_channels(data)
        if DOCUMENTS in self.editable:
            data[DOCUMENTS] = self._clean_documents(data)
        return data

    def values(self) -> dict[str, Any]:
        """Every editable field's value from the valid form, in its stored shape."""
        return {name: _stored(self.cleaned_data.get(name)) for name in self.editable}

    def proposed(self) -> dict[str, Any]:
        """The values the user changed (every value given, for a new record)."""
        values = self.values()
        if self.instance is None:
            return {k: v for k, v in values.items() if v not in (None, "", [], {})}
        return {k: v for k, v in values.items() if not _same(k, v, self.current.get(k))}


def _normal(name: str, value: Any) -> Any:
    """A value in a form that compares equal whatever order or padding it was stored in."""
    value = _stored(value)
    if value in (None, ""):
        return value
    if name == CHANNELS and isinstance(value, list):
        return sorted(
            (
                str(item.get("channel")),
                tuple(sorted(item.get("measures") or [])),
                str(item.get("note") or "").strip(),
            )
            for item in value
            if isinstance(item, dict)
        )
    if name == DOCUMENTS and isinstance(value, dict):
        return {k: str(v).strip() for k, v in value.items() if str(v).strip()}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(set(value))
    return value


def _same(name: str, new: Any, old: Any) -> bool:
    empty: tuple[Any, ...] = (None, "", [], {})
    if new in empty and old in empty:
        return True
    return bool(_normal(name, new) == _normal(name, old))


def _stored(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def add_change_error(form: ProposalForm, exc: ChangeError) -> None:
    """Put the service's refusal beside the field it names, or above the form (when it names
    none, or one shown as a group of inputs, such as the channels)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


# --- Review --------------------------------------------------------------------------------


class ReviewForm(BootstrapForm):
    """A coordinator's decision on one change; a rejection must say why."""

    note = forms.CharField(
        label=_("Note to the proposer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )

    def __init__(
        self, *args: Any, reject: bool = False, change_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reject = reject
        self.change_id = change_id  # the change decided on
        if reject:
            self.fields["note"].label = _("Why it is rejected")

    def clean_note(self) -> str:
        note = str(self.cleaned_data.get("note") or "").strip()
        if self.reject and not note:
            raise forms.ValidationError(gettext("Say why the change is rejected."))
        return note
