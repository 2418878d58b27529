"""Forms of the records pages. They check shapes; the services decide the rest and their
errors (``RecordsError.errors``) are shown beside the fields they name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.core.forms import CODE, NOTE, SELECT, TEXT, BootstrapForm
from comity.core.models import IccsCode
from comity.directory.models import State
from comity.records.models import (
    ConvictionStatus,
    DocumentKind,
    NameKind,
    PenaltyKind,
    Person,
    Purpose,
    Sex,
)
from comity.records.services import (
    ConvictionData,
    ExtractData,
    OffenceData,
    PenaltyData,
    PersonData,
    RecordsError,
)

BIRTH_DATE_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD: as much of the date as is known.")
NATIONALITY_HELP = _("ISO 3166 alpha-3 code, for example TJK.")


def _choices(field: forms.Field, choices: Sequence[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, field).choices = list(choices)


def add_records_errors(form: forms.Form, error: RecordsError) -> None:
    """A service's messages beside the field they name, or above the form."""
    for name, texts in error.errors.items():
        form.add_error(name if name in form.fields else None, list(texts))


def state_choices(states: Iterable[State]) -> list[tuple[str, str]]:
    return sorted(((s.iso3, s.name) for s in states), key=lambda choice: choice[1])


# -- extract requests -----------------------------------------------------------------------


class ExtractForm(BootstrapForm):
    register_state = forms.ChoiceField(
        label=_("Register asked"),
        help_text=_("The state whose criminal-records register is to be searched."),
        widget=forms.Select(attrs=SELECT),
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=Purpose.choices, widget=forms.Select(attrs=SELECT)
    )
    purpose_detail = forms.CharField(
        label=_("Purpose in detail"),
        required=False,
        max_length=255,
        help_text=_("For criminal proceedings, the case reference."),
        widget=forms.TextInput(attrs=TEXT),
    )
    subject_name = forms.CharField(
        label=_("Full name of the person, as written in their documents"),
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
    subject_other_names = forms.CharField(
        label=_("Other names or spellings"),
        required=False,
        max_length=255,
        help_text=_("Separated by semicolons: names in other scripts, former names, aliases."),
        widget=forms.TextInput(attrs=TEXT),
    )
    subject_birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        max_length=10,
        help_text=BIRTH_DATE_HELP,
        widget=forms.TextInput(attrs={**CODE, "placeholder": "1985-03-14"}),
    )
    subject_birth_place = forms.CharField(
        label=_("Place of birth"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
    subject_nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=3,
        help_text=NATIONALITY_HELP,
        widget=forms.TextInput(attrs={**CODE, "size": 4}),
    )
    subject_father_name = forms.CharField(
        label=_("Father's name"),
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs=TEXT),
    )
    subject_document = forms.CharField(
        label=_("Identity document"),
        required=False,
        max_length=128,
        help_text=_("Kind, number and issuing state, for example: passport N1234567 TJK."),
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, registers: Iterable[State] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["register_state"],
            [("", gettext("Choose a state")), *state_choices(registers)],
        )

    def data_for_service(self) -> ExtractData:
        return ExtractData(**{name: self.cleaned_data[name] for name in self.fields})


NO_RECORD = "none"


class AnswerForm(BootstrapForm):
    """The keeper's answer: one candidate is the person, or no one is (no record)."""

    person = forms.ChoiceField(
        label=_("Who is the person asked about?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    identity_note = forms.CharField(
        label=_("How the identity was confirmed"),
        max_length=500,
        help_text=_(
            "For example: name, birth date and passport number agree; or why no one matches."
        ),
        widget=forms.Textarea(attrs=NOTE),
    )
    # Another spelling the keeper searched for: kept so that its candidates stay listed.
    also = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["person"],
            [
                *((str(p.public_id), f"{p.ref} {p.full_name}") for p in candidates),
                (NO_RECORD, gettext("No one of them: answer that there is no record")),
            ],
        )


class WithdrawForm(BootstrapForm):
    pass


# -- conviction notices ----------------------------------------------------------------------


class NoticeMatchForm(BootstrapForm):
    person = forms.ChoiceField(
        label=_("The person of your register this notice is about"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, candidates: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["person"],
            [(str(p.public_id), f"{p.ref} {p.full_name}") for p in candidates],
        )


class NoticeCreateForm(BootstrapForm):
    ref = forms.CharField(
        label=_("Reference of the new person in your register"),
        max_length=64,
        widget=forms.TextInput(attrs=CODE),
    )


# -- persons ---------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, in any script"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={**TEXT, "type": "search"}),
    )
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={**CODE, "placeholder": "1985"}),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={**CODE, "size": 4, "placeholder": "TJK"}),
    )


class PersonForm(BootstrapForm):
    ref = forms.CharField(
        label=_("Register reference"), max_length=64, widget=forms.TextInput(attrs=CODE)
    )
    full_name = forms.CharField(
        label=_("Full name as written"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    surname = forms.CharField(
        label=_("Surname"), required=False, max_length=128, widget=forms.TextInput(attrs=TEXT)
    )
    given_name = forms.CharField(
        label=_("Given name"), required=False, max_length=128, widget=forms.TextInput(attrs=TEXT)
    )
    patronymic = forms.CharField(
        label=_("Patronymic"), required=False, max_length=128, widget=forms.TextInput(attrs=TEXT)
    )
    father_name = forms.CharField(
        label=_("Father's name"),
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs=TEXT),
    )
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        max_length=10,
        help_text=BIRTH_DATE_HELP,
        widget=forms.TextInput(attrs=CODE),
    )
    birth_place = forms.CharField(
        label=_("Place of birth"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=Sex.choices, widget=forms.Select(attrs=SELECT)
    )
    nationalities = forms.CharField(
        label=_("Nationalities"),
        required=False,
        max_length=64,
        help_text=_("ISO 3166 alpha-3 codes separated by spaces, for example TJK RUS."),
        widget=forms.TextInput(attrs=CODE),
    )
    other_names = forms.CharField(
        label=_("Other names"),
        required=False,
        help_text=_(
            "One a line: the kind, a colon, then the name. Kinds: alias, former, spelling. "
            "For example: spelling: Mukhtarov Rustam"
        ),
        widget=forms.Textarea(attrs={**NOTE, "rows": 4}),
    )

    documents = forms.CharField(
        label=_("Identity documents"),
        required=False,
        help_text=_(
            "One a line: the kind, the number and the issuing state, separated by colons. "
            "Kinds: passport, national_id, residence, other. "
            "For example: passport: N1234567: KGZ"
        ),
        widget=forms.Textarea(attrs={**NOTE, "rows": 3}),
    )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(person, name)
            for name in (
                "ref",
                "full_name",
                "surname",
                "given_name",
                "patronymic",
                "father_name",
                "birth_date",
                "birth_place",
                "sex",
                "nationalities",
            )
        }
        initial["other_names"] = "\n".join(
            f"{other.kind}: {other.name}" for other in person.other_names.all()
        )
        initial["documents"] = "\n".join(
            f"{document.kind}: {document.number}: {document.issuing_state}"
            for document in person.documents.all()
        )
        return initial

    def clean_documents(self) -> tuple[tuple[str, str, str], ...]:
        documents: list[tuple[str, str, str]] = []
        for number, line in enumerate(self.cleaned_data["documents"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(":")]
            if len(parts) != 3 or parts[0].lower() not in DocumentKind.values or not parts[1]:
                raise forms.ValidationError(
                    gettext(
                        "Line %(number)s: write the kind (passport, national_id, residence or "
                        "other), the number and the issuing state, separated by colons."
                    )
                    % {"number": number}
                )
            documents.append((parts[0].lower(), parts[1], parts[2].upper()))
        return tuple(documents)

    def clean_other_names(self) -> tuple[tuple[str, str], ...]:
        names: list[tuple[str, str]] = []
        for number, line in enumerate(self.cleaned_data["other_names"].splitlines(), start=1):
            if not line.strip():
                continue
            kind, colon, name = line.partition(":")
            kind = kind.strip().lower()
            if not colon or kind not in NameKind.values or not name.strip():
                raise forms.ValidationError(
                    gettext(
                        "Line %(number)s: write the kind (alias, former or spelling), "
                        "a colon, then the name."
                    )
                    % {"number": number}
                )
            names.append((" ".join(name.split()), kind))
        return tuple(names)

    def data_for_service(self) -> PersonData:
        return PersonData(**{name: self.cleaned_data[name] for name in self.fields})


class ConvictionStatusForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=ConvictionStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    status_date = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={**CODE, "type": "date"}),
    )


class ConvictionForm(BootstrapForm):
    court = forms.CharField(label=_("Court"), max_length=255, widget=forms.TextInput(attrs=TEXT))
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=CODE),
    )
    convicting_state = forms.ChoiceField(
        label=_("Convicting state"),
        required=False,
        help_text=_("Leave empty for a court of your own state."),
        widget=forms.Select(attrs=SELECT),
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={**CODE, "type": "date"}, format="%Y-%m-%d"),
    )
    final_date = forms.DateField(
        label=_("Date the decision became final"),
        required=False,
        widget=forms.DateInput(attrs={**CODE, "type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, states: Iterable[State] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["convicting_state"],
            [("", gettext("Our own state")), *state_choices(states)],
        )


class OffenceForm(BootstrapForm):
    iccs = forms.ChoiceField(label=_("Offence (ICCS)"), widget=forms.Select(attrs=SELECT))
    provision = forms.CharField(
        label=_("National provision"),
        max_length=255,
        help_text=_("The article of the criminal code, for example: art. 228 part 2."),
        widget=forms.TextInput(attrs=TEXT),
    )
    committed_on = forms.DateField(
        label=_("Date committed"),
        required=False,
        widget=forms.DateInput(attrs={**CODE, "type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, codes: Sequence[IccsCode] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["iccs"],
            [
                ("", gettext("Choose an offence")),
                *((c.code, f"{c.code} {'· ' * (c.level - 1)}{c.label}") for c in codes),
            ],
        )


class PenaltyForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Penalty or measure"),
        choices=[("", "—"), *PenaltyKind.choices],
        widget=forms.Select(attrs=SELECT),
    )
    months = forms.IntegerField(
        label=_("Length in months"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code, for example KGS."),
        widget=forms.TextInput(attrs={**CODE, "size": 4}),
    )
    suspended = forms.BooleanField(
        label=_("Suspended"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    suspended_months = forms.IntegerField(
        label=_("Period of suspension in months"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


OFFENCE_ROWS = 3
PENALTY_ROWS = 2


class ConvictionEntry:
    """The conviction form with its offence and penalty rows: one submit, one service call.

    Rows left wholly empty are ignored; the service asks for at least one of each.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        states: Iterable[State],
        codes: Sequence[IccsCode],
    ) -> None:
        self.main = ConvictionForm(data, states=states, auto_id="id_%s")
        self.offences = [
            OffenceForm(data, codes=codes, prefix=f"offence-{i}", use_required_attribute=False)
            for i in range(OFFENCE_ROWS)
        ]
        self.penalties = [
            PenaltyForm(data, prefix=f"penalty-{i}", use_required_attribute=False)
            for i in range(PENALTY_ROWS)
        ]
        for form in (*self.offences, *self.penalties):
            form.empty_permitted = True

    @property
    def bound(self) -> bool:
        return self.main.is_bound

    def is_valid(self) -> bool:
        rows = [form.is_valid() for form in (*self.offences, *self.penalties)]
        return self.main.is_valid() and all(rows)

    def data_for_service(self) -> ConvictionData:
        main = self.main.cleaned_data
        offences = tuple(
            OffenceData(
                iccs=form.cleaned_data["iccs"],
                provision=form.cleaned_data["provision"],
                committed_on=form.cleaned_data.get("committed_on"),
            )
            for form in self.offences
            if form.has_changed() and form.cleaned_data
        )
        penalties = tuple(
            PenaltyData(
                kind=form.cleaned_data["kind"],
                months=form.cleaned_data.get("months"),
                amount=form.cleaned_data.get("amount"),
                currency=(form.cleaned_data.get("currency") or "").strip().upper(),
                suspended=bool(form.cleaned_data.get("suspended")),
                suspended_months=form.cleaned_data.get("suspended_months"),
            )
            for form in self.penalties
            if form.has_changed() and form.cleaned_data
        )
        return ConvictionData(
            court=main["court"],
            case_number=main["case_number"],
            convicting_state=main["convicting_state"],
            decision_date=main["decision_date"],
            final_date=main.get("final_date"),
            offences=offences,
            penalties=penalties,
        )

    def add_errors(self, error: RecordsError) -> None:
        add_records_errors(self.main, error)

    @property
    def row_errors(self) -> list[str]:
        """Errors of the offence and penalty lists as a whole (from the service)."""
        return [str(text) for text in self.main.non_field_errors()]
