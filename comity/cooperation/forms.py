"""The draft-request form: the request's contents, with one formset each for offences,
assistance sought and persons.

The forms check the shape of the input (required fields, known choices, dates); the
services decide what it means and refuse it with ValidationError, whose keys
(``offences.0.iccs``, ``proceedings.nature``...) ``DraftForms.attach`` puts back beside
the fields the user filled in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.cooperation import checks
from comity.cooperation.models import (
    ExtraditionBasis,
    Measure,
    PersonRole,
    ProceedingsNature,
    PropertyKind,
    RecordPurpose,
    Request,
    RequestType,
    Urgency,
)
from comity.cooperation.services import (
    REQUEST_SCALARS,
    MeasureData,
    OffenceData,
    PersonData,
    PropertyData,
    RequestData,
)
from comity.core.models import IccsCode
from comity.directory.models import Authority, State

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, Any]]

BLANK = ("", "—")
# The request fields the main form edits as they are.
SCALARS = ("type", "requested_state", *REQUEST_SCALARS)
# Service error keys that differ from the form's field names.
ERROR_ALIASES = {"proceedings.nature": "proceedings_nature"}
ROWS_ON_A_NEW_FORM = 2
CASE_REFERENCE_MAX = 64
MAX_ROWS = 50
INSTRUMENT_CODE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class DraftChoices:
    """What the selects offer, read once per page whatever the number of rows."""

    requested_states: Choices
    authorities: GroupedChoices
    authority_states: dict[str, str]  # authority public_id -> ISO3 of its state
    nationalities: Choices
    iccs: Choices

    @classmethod
    def load(cls, *, own_state_id: int) -> DraftChoices:
        states = sorted(State.objects.all(), key=lambda s: s.name.casefold())
        targets = [s for s in states if s.is_member and s.pk != own_state_id]
        by_state: dict[int, list[Authority]] = {s.pk: [] for s in targets}
        central = Authority.objects.filter(is_central_authority=True, state_id__in=by_state)
        for authority in central.order_by("-is_primary", "name_en"):
            by_state[authority.state_id].append(authority)
        return cls(
            requested_states=[(s.iso3, s.name) for s in targets],
            authorities=[
                (s.name, [(str(a.public_id), _authority_label(a)) for a in by_state[s.pk]])
                for s in targets
                if by_state[s.pk]
            ],
            authority_states={str(a.public_id): s.iso3 for s in targets for a in by_state[s.pk]},
            nationalities=[(s.iso3, s.name) for s in states],
            iccs=[(code, f"{code} {label}") for code, label in _iccs_codes()],
        )


def _iccs_codes() -> list[tuple[str, str]]:
    return list(IccsCode.objects.order_by("code").values_list("code", "label"))


def _authority_label(authority: Authority) -> str:
    if authority.is_primary:
        return gettext("%(name)s (default)") % {"name": authority.name_en}
    return authority.name_en


class AuthoritySelect(forms.Select):
    """A select whose options carry their state, so a script can narrow the list."""

    option_states: Mapping[str, str] = {}

    def create_option(  # noqa: PLR0917 (Django's signature)
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        state = self.option_states.get(str(value))
        if state:
            option["attrs"]["data-state"] = state
        return option


def _offer(field: forms.Field, choices: Any) -> None:
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


def _removed(form: forms.Form) -> bool:
    """The row's "Remove" box is ticked (read from the input, checked or not)."""
    return "DELETE" in form.fields and bool(form["DELETE"].data)


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


def _line() -> forms.TextInput:
    return forms.TextInput(attrs={"dir": "auto"})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and ``is-invalid`` on those with errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = _css_class(field.widget)

    def flag_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class CodeListField(forms.Field):
    """Instrument codes posted as repeated hidden inputs (the legal-basis panel fills them);
    the services check that each names an instrument."""

    widget = forms.MultipleHiddenInput
    max_length = 64

    def to_python(self, value: Any) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        return [str(v).strip() for v in values if str(v).strip()]

    def validate(self, value: Any) -> None:
        for code in value:
            if len(code) > self.max_length or not INSTRUMENT_CODE.fullmatch(code):
                raise ValidationError(
                    gettext("Unknown instrument “%(code)s”.") % {"code": code[: self.max_length]},
                    code="invalid",
                )


class RequestForm(StyledForm):
    type = forms.ChoiceField(
        label=_("Type of request"), choices=RequestType.choices, initial=RequestType.MLA
    )
    requested_state = forms.ChoiceField(label=_("Requested state"), choices=[])
    requested_authority = forms.TypedChoiceField(
        label=_("Requested central authority"),
        required=False,
        choices=[],
        coerce=uuid.UUID,
        empty_value=None,
        widget=AuthoritySelect,
        help_text=_(
            "Leave the default unless the requested state names another central authority "
            "for this kind of request."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=255, widget=_line())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    urgency_reason = forms.CharField(
        label=_("Reasons for urgency"), required=False, widget=_text(2)
    )
    proceedings_nature = forms.ChoiceField(
        label=_("Nature of the proceedings"),
        choices=ProceedingsNature.choices,
        initial=ProceedingsNature.INVESTIGATION,
    )
    proceedings_reference = forms.CharField(
        label=_("Proceedings reference"), max_length=64, required=False, widget=_line()
    )
    conducting_authority = forms.CharField(
        label=_("Authority conducting the proceedings"),
        max_length=255,
        required=False,
        widget=_line(),
        help_text=_("Needed before the request can be submitted."),
    )
    case_reference = forms.CharField(
        label=_("Case reference"),
        max_length=64,
        required=False,
        widget=_line(),
        help_text=_(
            "Your own file number. Requests with the same reference are grouped in one case; "
            "left empty, the proceedings reference is used."
        ),
    )
    summary_of_facts = forms.CharField(
        label=_("Summary of facts"),
        required=False,
        widget=_text(5),
        help_text=_("Needed before the request can be submitted."),
    )
    purpose = forms.CharField(
        label=_("Purpose of the request"),
        required=False,
        widget=_text(),
        help_text=_("Needed before the request can be submitted."),
    )
    particular_procedure = forms.CharField(
        label=_("Particular procedure to follow"), required=False, widget=_text()
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality required, and why"), required=False, widget=_text(2)
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=_text(2),
        help_text=_("The treaty or convention, or reciprocity."),
    )
    legal_basis_codes = CodeListField(label=_("Instruments chosen as legal basis"), required=False)
    time_limit = forms.DateField(label=_("Time limit requested"), required=False, widget=_date())
    # The parts of the guided form that only some types need (PARTS below).
    questions_for_witnesses = forms.CharField(
        label=_("Questions to put to witnesses"), required=False, widget=_text(4)
    )
    bank_details = forms.CharField(
        label=_("Bank details"),
        required=False,
        widget=_text(3),
        help_text=_("The bank, the account numbers or holders, and the period concerned."),
    )
    extradition_basis = forms.ChoiceField(
        label=_("The person is sought for"),
        required=False,
        choices=[BLANK, *ExtraditionBasis.choices],
    )
    warrant_reference = forms.CharField(
        label=_("Arrest warrant: reference"), max_length=64, required=False, widget=_line()
    )
    warrant_date = forms.DateField(label=_("Arrest warrant: date"), required=False, widget=_date())
    warrant_authority = forms.CharField(
        label=_("Arrest warrant: issued by"), max_length=255, required=False, widget=_line()
    )
    judgment_reference = forms.CharField(
        label=_("Judgment: reference"), max_length=64, required=False, widget=_line()
    )
    judgment_date = forms.DateField(label=_("Judgment: date"), required=False, widget=_date())
    judgment_court = forms.CharField(
        label=_("Judgment: court"), max_length=255, required=False, widget=_line()
    )
    sentence_imposed = forms.CharField(
        label=_("Sentence imposed"), max_length=255, required=False, widget=_line()
    )
    sentence_imposed_months = forms.DecimalField(
        label=_("Sentence imposed, in months"),
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=1,
        help_text=_("For the check against the treaty's minimum sentence."),
    )
    sentence_remaining = forms.CharField(
        label=_("Sentence remaining to be served"), max_length=255, required=False, widget=_line()
    )
    in_absentia = forms.NullBooleanField(
        label=_("Was the judgment given in absentia?"), required=False
    )
    retrial_assurance = forms.CharField(
        label=_("In absentia: the person's right to a retrial or other means of defence"),
        required=False,
        widget=_text(3),
    )
    max_penalty = forms.CharField(
        label=_("Maximum penalty for the offence"),
        max_length=255,
        required=False,
        widget=_line(),
        help_text=_("As the law states it, e.g. “up to 15 years' imprisonment”."),
    )
    max_penalty_years = forms.DecimalField(
        label=_("Maximum penalty, in years of imprisonment"),
        required=False,
        min_value=0,
        max_value=999,
        decimal_places=2,
        help_text=_("For the check against the treaty's minimum penalty."),
    )
    death_penalty_possible = forms.NullBooleanField(
        label=_("May the offence carry the death penalty?"), required=False
    )
    fiscal_offence_only = forms.NullBooleanField(
        label=_("Is it a fiscal (tax, customs or currency) offence only?"), required=False
    )
    arrest_date = forms.DateField(
        label=_("Date of the provisional arrest"),
        required=False,
        widget=_date(),
        help_text=_("If the person is already held; the release deadline counts from it."),
    )
    intention_to_request_extradition = forms.NullBooleanField(
        label=_("Will a formal extradition request follow?"), required=False
    )
    formal_request_by = forms.DateField(
        label=_("Formal extradition request planned by"), required=False, widget=_date()
    )
    record_purpose = forms.ChoiceField(
        label=_("Purpose of the extract"), required=False, choices=[BLANK, *RecordPurpose.choices]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, choices: DraftChoices, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["requested_state"], [BLANK, *choices.requested_states])
        default = ("", gettext("The state's default central authority"))
        _offer(self.fields["requested_authority"], [default, *choices.authorities])
        widget = self.fields["requested_authority"].widget
        if isinstance(widget, AuthoritySelect):
            widget.option_states = choices.authority_states
        today = timezone.now().date().isoformat()
        self.fields["time_limit"].widget.attrs["min"] = today
        for name in ("warrant_date", "judgment_date", "arrest_date"):
            self.fields[name].widget.attrs["max"] = today
        if editing:
            del self.fields["case_reference"]  # the case of a draft is fixed at creation
        else:
            del self.fields["version"]


class RowForm(StyledForm):
    """One row of a formset. Every row may be left empty; a row with anything written in
    it is checked in full."""

    def __init__(self, *args: Any, choices: DraftChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(choices)

    def offer(self, choices: DraftChoices) -> None:
        """Fill the selects whose options come from the reference data."""

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return any(str(self[name].data or "").strip() for name in self.fields if name != "DELETE")


class OffenceForm(RowForm):
    iccs = forms.ChoiceField(label=_("ICCS offence category"), choices=[])
    provision = forms.CharField(label=_("National provision"), max_length=255, widget=_line())
    description = forms.CharField(label=_("Description"), required=False, widget=_text(2))

    def offer(self, choices: DraftChoices) -> None:
        _offer(self.fields["iccs"], [BLANK, *choices.iccs])


class MeasureForm(RowForm):
    measure = forms.ChoiceField(label=_("Measure"), choices=[BLANK, *Measure.choices])
    details = forms.CharField(label=_("Details"), required=False, widget=_text(2))


class PersonForm(RowForm):
    role = forms.ChoiceField(label=_("Role"), choices=[BLANK, *PersonRole.choices])
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        widget=_line(),
        help_text=_("In any script, as written in the documents."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=_date())
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=[])
    details = forms.CharField(label=_("Identifying details"), required=False, widget=_text(2))

    def offer(self, choices: DraftChoices) -> None:
        _offer(self.fields["nationality"], [BLANK, *choices.nationalities])
        self.fields["birth_date"].widget.attrs["max"] = timezone.now().date().isoformat()


class PropertyForm(RowForm):
    kind = forms.ChoiceField(label=_("Kind of property"), choices=[BLANK, *PropertyKind.choices])
    description = forms.CharField(label=_("Description"), required=False, widget=_text(2))
    location = forms.CharField(
        label=_("Location or holder"), max_length=255, required=False, widget=_line()
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=255,
        required=False,
        widget=_line(),
        help_text=_("IBAN, title number, registration plate…"),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
        help_text=_("ISO code, e.g. KZT"),
    )
    offence_link = forms.CharField(
        label=_("Link to the offence"),
        required=False,
        widget=_text(2),
        help_text=_("Proceeds, instrument, or property of equivalent value: say why."),
    )
    order_reference = forms.CharField(
        label=_("Order: reference"), max_length=64, required=False, widget=_line()
    )
    order_date = forms.DateField(label=_("Order: date"), required=False, widget=_date())
    order_authority = forms.CharField(
        label=_("Order: issued by"), max_length=255, required=False, widget=_line()
    )

    def offer(self, choices: DraftChoices) -> None:
        self.fields["order_date"].widget.attrs["max"] = timezone.now().date().isoformat()


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row may stay empty, the ones loaded from a saved draft included.
        return {**self.form_kwargs, "empty_permitted": True}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def rows(self) -> list[forms.Form]:
        """The rows to save, in order: filled in and not marked for removal."""
        return [form for form in self.forms if form.has_changed() and not _removed(form)]


def _formset(form: type[forms.Form]) -> type[RowFormSet]:
    formset = forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=0,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )
    return cast(type[RowFormSet], formset)


@dataclass(frozen=True)
class Section:
    key: str  # the formset prefix and the service's key for the list
    legend: Promise
    row_label: Promise
    add_label: Promise
    row_template: str
    formset_class: type[RowFormSet]


SECTIONS = (
    Section(
        "offences",
        _("Offences"),
        _("Offence"),
        _("Add another offence"),
        "cooperation/_draft_offence_row.html",
        _formset(OffenceForm),
    ),
    Section(
        "assistance_sought",
        _("Assistance sought"),
        _("Measure"),
        _("Add another measure"),
        "cooperation/_draft_measure_row.html",
        _formset(MeasureForm),
    ),
    Section(
        "persons",
        _("Persons concerned"),
        _("Person"),
        _("Add another person"),
        "cooperation/_draft_person_row.html",
        _formset(PersonForm),
    ),
    Section(
        "properties",
        _("Property to freeze, seize or confiscate"),
        _("Property"),
        _("Add another property"),
        "cooperation/_draft_property_row.html",
        _formset(PropertyForm),
    ),
)
# Lists every type of request has; the others sit in the parts of their types.
COMMON_SECTIONS = ("offences", "persons")

_SURRENDER = frozenset({RequestType.EXTRADITION, RequestType.PROVISIONAL_ARREST})
_ASSETS = frozenset(
    {RequestType.FREEZING, RequestType.SEIZURE, RequestType.CONFISCATION, RequestType.ASSET_RETURN}
)


@dataclass(frozen=True)
class Part:
    """A part of the guided form that only some types of request need."""

    key: str
    legend: Promise
    types: frozenset[str]
    template: str = "cooperation/_draft_part.html"
    fields: tuple[str, ...] = ()  # fields of the main form
    section: str = ""  # or one of the SECTIONS
    intro: Promise | None = None


PARTS = (
    Part(
        "assistance",
        _("Assistance sought"),
        frozenset(RequestType.values) - _SURRENDER - _ASSETS - {RequestType.RECORDS_EXTRACT},
        section="assistance_sought",
    ),
    Part(
        "mla_items",
        _("Optional items"),
        frozenset({RequestType.MLA}),
        fields=("questions_for_witnesses", "bank_details"),
        intro=_(
            "Items the UN Model Treaty on MLA lists: they spare a round of questions when "
            "witnesses are to be heard or bank records to be produced."
        ),
    ),
    Part(
        "extradition",
        _("The person sought: warrant or judgment, penalty"),
        _SURRENDER,
        template="cooperation/_draft_part_extradition.html",
        fields=(
            "extradition_basis",
            "warrant_reference",
            "warrant_date",
            "warrant_authority",
            "judgment_reference",
            "judgment_date",
            "judgment_court",
            "sentence_imposed",
            "sentence_imposed_months",
            "sentence_remaining",
            "in_absentia",
            "retrial_assurance",
            "max_penalty",
            "max_penalty_years",
            "death_penalty_possible",
            "fiscal_offence_only",
            "arrest_date",
        ),
    ),
    Part(
        "provisional_arrest",
        _("Provisional arrest"),
        frozenset({RequestType.PROVISIONAL_ARREST}),
        fields=("intention_to_request_extradition", "formal_request_by"),
        intro=_(
            "The person may be released if the formal extradition request does not arrive "
            "in time: the checks show the deadline of the chosen legal basis."
        ),
    ),
    Part("properties", _("Property"), _ASSETS, section="properties"),
    Part(
        "record",
        _("Criminal-record extract"),
        frozenset({RequestType.RECORDS_EXTRACT}),
        fields=("record_purpose",),
    ),
)


@dataclass(frozen=True)
class BoundPart:
    key: str
    legend: Promise
    template: str
    fields: list[forms.BoundField]
    section: BoundSection | None
    intro: Promise | None
    has_errors: bool

    @property
    def by_name(self) -> dict[str, forms.BoundField]:
        """The fields by name, for templates that lay them out one by one."""
        return {f.name: f for f in self.fields}


@dataclass(frozen=True)
class Layout:
    """The parts of the form for the chosen type first; the others folded away, kept."""

    relevant: list[BoundPart]
    others: list[BoundPart]

    @property
    def others_open(self) -> bool:
        return any(part.has_errors for part in self.others)


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary: a message and the field it links to."""

    message: str
    label: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class BoundSection:
    """A section with its formset, as the template walks it."""

    key: str
    legend: Promise
    row_label: Promise
    add_label: Promise
    row_template: str
    formset: RowFormSet


class DraftForms:
    """The main form and the three formsets of one draft, handled as one."""

    def __init__(
        self,
        *,
        choices: DraftChoices,
        editing: bool,
        data: Mapping[str, Any] | None = None,
        initial: dict[str, Any] | None = None,
        rows: Mapping[str, list[dict[str, Any]]] | None = None,
        extra: Mapping[str, int] | None = None,
    ) -> None:
        self.choices = choices
        self.editing = editing
        data = _with_missing_lists(data)
        self.data = data
        self.form = RequestForm(data, initial=initial, choices=choices, editing=editing)
        self.sections: list[BoundSection] = []
        for section in SECTIONS:
            section_rows = (rows or {}).get(section.key, [])
            formset = section.formset_class(
                data,
                prefix=section.key,
                initial=section_rows,
                form_kwargs={"choices": choices},
            )
            formset.extra = (extra or {}).get(
                section.key, 1 if section_rows else ROWS_ON_A_NEW_FORM
            )
            self.sections.append(
                BoundSection(
                    key=section.key,
                    legend=section.legend,
                    row_label=section.row_label,
                    add_label=section.add_label,
                    row_template=section.row_template,
                    formset=formset,
                )
            )

    @classmethod
    def blank(cls, *, choices: DraftChoices) -> DraftForms:
        return cls(choices=choices, editing=False)

    @classmethod
    def for_request(cls, request: Request, *, choices: DraftChoices) -> DraftForms:
        initial: dict[str, Any] = {name: getattr(request, name) for name in SCALARS}
        initial["requested_state"] = request.requested_state.iso3
        initial["requested_authority"] = str(request.requested_authority.public_id)
        initial["version"] = request.version
        offences = request.offences.values_list("iccs__code", "provision", "description")
        persons = request.persons.values_list(
            "role", "name", "birth_date", "nationality__iso3", "details"
        )
        rows: dict[str, list[dict[str, Any]]] = {
            "offences": [
                {"iccs": iccs, "provision": provision, "description": description}
                for iccs, provision, description in offences
            ],
            "assistance_sought": [
                {"measure": measure, "details": details}
                for measure, details in request.assistance_sought.values_list("measure", "details")
            ],
            "persons": [
                {
                    "role": role,
                    "name": name,
                    "birth_date": birth_date,
                    "nationality": nationality or "",
                    "details": details,
                }
                for role, name, birth_date, nationality, details in persons
            ],
            "properties": list(request.properties.values(*PROPERTY_FIELDS)),
        }
        return cls(choices=choices, editing=True, initial=initial, rows=rows)

    @classmethod
    def posted(cls, data: Mapping[str, Any], *, choices: DraftChoices, editing: bool) -> DraftForms:
        return cls(choices=choices, editing=editing, data=data)

    # What the user asked for besides saving.

    @property
    def add_section(self) -> str:
        """The section whose "add another" button was pressed, if any."""
        wanted = str((self.data or {}).get("add", ""))
        return wanted if any(s.key == wanted for s in self.sections) else ""

    @property
    def submit_requested(self) -> bool:
        return bool((self.data or {}).get("then_submit"))

    @property
    def retype_requested(self) -> bool:
        """The type changed: show its parts, keep the input, save nothing."""
        return bool((self.data or {}).get("retype"))

    @property
    def kind(self) -> str:
        """The type of request chosen, as posted or saved."""
        value = self.form["type"].value()
        return str(value) if value in RequestType.values else RequestType.MLA

    def common_sections(self) -> list[BoundSection]:
        return [s for s in self.sections if s.key in COMMON_SECTIONS]

    def layout(self) -> Layout:
        relevant: list[BoundPart] = []
        others: list[BoundPart] = []
        for part in PARTS:
            bound = self._bind(part)
            (relevant if self.kind in part.types else others).append(bound)
        return Layout(relevant=relevant, others=others)

    def _bind(self, part: Part) -> BoundPart:
        section = next((s for s in self.sections if s.key == part.section), None)
        fields = [self.form[name] for name in part.fields]
        errors = any(f.errors for f in fields) if self.form.is_bound else False
        if section is not None and section.formset.is_bound:
            errors = errors or any(f.errors for f in section.formset.forms if not _removed(f))
        return BoundPart(
            key=part.key,
            legend=part.legend,
            template=part.template,
            fields=fields,
            section=section,
            intro=part.intro,
            has_errors=errors,
        )

    def unchecked(self) -> DraftForms:
        """The same input, unchecked (for another type, or more rows)."""
        return self.with_more_rows()

    def with_more_rows(self) -> DraftForms:
        """The same input, unchecked, with one more empty row in the chosen section."""
        initial = {name: self.form[name].value() for name in self.form.fields}
        rows: dict[str, list[dict[str, Any]]] = {}
        extra: dict[str, int] = {}
        for bound in self.sections:
            filled = bound.formset.rows()
            rows[bound.key] = [
                {name: form[name].value() for name in form.fields if name != "DELETE"}
                for form in filled
            ]
            blank = len(bound.formset.forms) - len(filled)
            extra[bound.key] = max(blank, 1) + (1 if bound.key == self.add_section else 0)
        more = DraftForms(
            choices=self.choices, editing=self.editing, initial=initial, rows=rows, extra=extra
        )
        more.focus_new_row(self.add_section)
        return more

    def focus_new_row(self, key: str) -> None:
        for bound in self.sections:
            if bound.key == key and bound.formset.forms:
                first = next(iter(bound.formset.forms[-1].fields.values()))
                first.widget.attrs["autofocus"] = True

    # Checking and saving.

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), *(s.formset.is_valid() for s in self.sections)]
        return all(results)

    @property
    def expected_version(self) -> int | None:
        version: int | None = self.form.cleaned_data.get("version")
        return version

    def to_data(self) -> RequestData:
        """The checked input as the services take it; call after ``is_valid``."""
        c = self.form.cleaned_data
        data = RequestData(
            requested_authority=c["requested_authority"],
            case_reference=c.get("case_reference", ""),
            offences=[
                OffenceData(iccs=r["iccs"], provision=r["provision"], description=r["description"])
                for r in self._cleaned_rows("offences")
            ],
            assistance_sought=[
                MeasureData(measure=r["measure"], details=r["details"])
                for r in self._cleaned_rows("assistance_sought")
            ],
            persons=[_person(r) for r in self._cleaned_rows("persons")],
            properties=[_property(r) for r in self._cleaned_rows("properties")],
        )
        for name in SCALARS:
            setattr(data, name, c[name])
        return data

    def partial_data(self) -> RequestData:
        """What can be saved of the input as it stands: the valid fields and the valid rows.
        Invalid fields are left out (the saved draft keeps its value); so are rows not yet
        complete enough to store. For autosave: nothing here checks completeness."""
        self.form.is_valid()
        c = self.form.cleaned_data
        names = [n for n in (*SCALARS, "requested_authority", "case_reference") if n in c]
        data = RequestData()
        for name in names:
            setattr(data, name, c[name])
        provided = set(names)
        if "case_reference" not in self.form.fields:
            # A new form keeps its case field after its first save made it a draft: the
            # reference typed there still names the case (services._refile).
            typed = str((self.data or {}).get("case_reference", "")).strip()
            if typed and len(typed) <= CASE_REFERENCE_MAX:
                data.case_reference = typed
                provided.add("case_reference")
        builders: dict[str, Any] = {
            "offences": lambda r: OffenceData(
                iccs=r["iccs"], provision=r["provision"], description=r["description"]
            ),
            "assistance_sought": lambda r: MeasureData(measure=r["measure"], details=r["details"]),
            "persons": _person,
            "properties": _property,
        }
        for bound in self.sections:
            formset = bound.formset
            if not formset.management_form.is_valid():
                continue
            rows = [
                form.cleaned_data
                for form in formset.forms
                if form.has_changed() and not _removed(form) and form.is_valid()
            ]
            setattr(data, bound.key, [builders[bound.key](r) for r in rows])
            provided.add(bound.key)
        data.provided = frozenset(provided)
        return data

    def _section(self, key: str) -> RowFormSet | None:
        return next((s.formset for s in self.sections if s.key == key), None)

    def _cleaned_rows(self, key: str) -> Iterator[dict[str, Any]]:
        formset = self._section(key)
        assert formset is not None  # noqa: S101 (keys come from SECTIONS)
        return (form.cleaned_data for form in formset.rows())

    def attach(self, error: ValidationError) -> None:
        """Put a service's errors beside the fields they are about; the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            form, name = self._target(ERROR_ALIASES.get(key, key))
            if name in form.fields and not form.fields[name].widget.is_hidden:
                form.add_error(name, messages)
            else:
                form.add_error(None, messages)

    def _target(self, key: str) -> tuple[forms.Form, str]:
        section, _dot, rest = key.partition(".")
        index, _dot, name = rest.partition(".")
        formset = self._section(section)
        if formset is not None and index.isdigit():
            rows = formset.rows()
            if int(index) < len(rows):
                return rows[int(index)], name
        return self.form, key

    # What the page shows.

    def error_summary(self) -> list[ErrorItem]:
        """Every error on the page, in page order, linked to its field; also marks the
        fields in error for the styles."""
        items = list(_form_errors(self.form, prefix=""))
        for bound in self.sections:
            items.extend(ErrorItem(str(m)) for m in bound.formset.non_form_errors())
            for number, form in enumerate(bound.formset.forms, start=1):
                if _removed(form):
                    continue
                prefix = gettext("%(row)s %(number)s") % {
                    "row": bound.row_label,
                    "number": number,
                }
                items.extend(_form_errors(form, prefix=prefix))
        self.form.flag_invalid()
        for bound in self.sections:
            for form in bound.formset.forms:
                if isinstance(form, StyledForm):
                    form.flag_invalid()
        return items

    def missing_summary(self, missing: Mapping[str, list[str]]) -> list[ErrorItem]:
        """What submission still lacks (the service's keys), linked to the fields."""
        items: list[ErrorItem] = []
        for key, messages in missing.items():
            label, anchor = field_target(key)
            items.extend(ErrorItem(str(m), label, anchor) for m in messages)
        return items


def field_target(key: str) -> tuple[str, str]:
    """The label and the element id of the field (or list) a service key names."""
    key = ERROR_ALIASES.get(key, key)
    field = RequestForm.base_fields.get(key)
    if field is not None and not field.widget.is_hidden:
        return str(field.label), f"id_{key}"
    for section in SECTIONS:
        if section.key == key:
            return str(section.legend), f"{key}-section"
    return "", ""


@dataclass(frozen=True)
class CheckItem:
    """One line of the checks panel, linked to the field it is about."""

    message: str
    source: str
    label: str
    anchor: str
    field: str


def check_items(missing: Iterable[checks.Missing]) -> list[CheckItem]:
    items = []
    for item in missing:
        label, anchor = field_target(item.field)
        items.append(CheckItem(item.message, item.source, label, anchor, item.field))
    return items


def _with_missing_lists(data: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A list the page did not post at all (a page opened before the list existed) counts as
    empty, rather than as a tampered form."""
    if data is None:
        return None
    absent = [s.key for s in SECTIONS if f"{s.key}-TOTAL_FORMS" not in data]
    if not absent:
        return data
    completed = data.copy() if isinstance(data, QueryDict) else dict(data)
    for key in absent:
        completed[f"{key}-TOTAL_FORMS"] = "0"
        completed[f"{key}-INITIAL_FORMS"] = "0"
    return completed


PROPERTY_FIELDS = (
    "kind",
    "description",
    "location",
    "identifier",
    "estimated_value",
    "currency",
    "offence_link",
    "order_reference",
    "order_date",
    "order_authority",
)


def _person(r: Mapping[str, Any]) -> PersonData:
    return PersonData(
        role=r["role"],
        name=r["name"],
        birth_date=r["birth_date"],
        nationality=r["nationality"] or None,
        details=r["details"],
    )


def _property(r: Mapping[str, Any]) -> PropertyData:
    return PropertyData(**{name: r[name] for name in PROPERTY_FIELDS})


def _form_errors(form: forms.Form, *, prefix: str) -> Iterator[ErrorItem]:
    if not form.is_bound:
        return
    first = next(iter(form), None)
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields or form[name].is_hidden:
            anchor = (first.auto_id or "") if first is not None and prefix else ""
            for message in messages:
                yield ErrorItem(str(message), prefix, anchor)
            continue
        bound = form[name]
        label = str(bound.label)
        if prefix:
            label = gettext("%(row)s, %(field)s") % {"row": prefix, "field": label}
        for message in messages:
            yield ErrorItem(str(message), label, bound.auto_id or "")
