"""Forms of the asset pages. They check shapes (a date is a date, a number a number); the
services decide the rest, and their errors (``AssetError.errors``) are shown beside the
fields they name, so a bad IBAN or an unknown currency reads the same here as in the API."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.assets import services
from comity.assets.models import (
    AgreementBasis,
    AgreementKind,
    Asset,
    AssetKind,
    AssetStatus,
    ConfiscationBasis,
    Execution,
    HoldingRole,
    OrderKind,
    Party,
    PartyKind,
)
from comity.cooperation.models import Request
from comity.core.forms import CODE, DATE, NOTE, SELECT, TEXT, BootstrapForm
from comity.core.text import ascii_digits
from comity.directory.models import State

_AMOUNT = {"class": "form-control", "dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}
_CURRENCY = {
    "class": "form-control text-uppercase",
    "dir": "ltr",
    "autocomplete": "off",
    "maxlength": 3,
    "size": 4,
    "list": "currency-codes",
}
CURRENCY_HELP = _("ISO 4217 code, for example USD, KZT or KGS.")
AMOUNT_HELP = _("In the currency given, with a point or comma for decimals.")
# Amounts are read as text: the service says what is wrong with them, in one voice.
_AMOUNT_LENGTH = 32


def _choices(field: forms.Field, choices: Sequence[tuple[str, str]]) -> None:
    cast(forms.ChoiceField, field).choices = list(choices)


def _date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )


def _amount_field(label: Any, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=_AMOUNT_LENGTH,
        help_text=AMOUNT_HELP,
        widget=forms.TextInput(attrs=_AMOUNT),
    )


def _currency_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Currency"),
        required=False,
        max_length=8,
        help_text=CURRENCY_HELP,
        widget=forms.TextInput(attrs=_CURRENCY),
    )


_THOUSANDS = re.compile(r"^-?[1-9][0-9]{0,2}(,[0-9]{3})+$")


def amount_text(value: str) -> str:
    """An amount as typed, made readable for Decimal: Persian and Arabic digits as ASCII,
    spaces between thousands dropped, a lone decimal comma read as a point (``80 000,50``
    is 80000.50) and commas between thousands dropped (``125,000.00``, ``125,000``)."""
    text = ascii_digits("".join(value.split())).replace("\u066c", "")
    text = text.replace("\u066b", ".").replace("\u060c", ",")
    if "." in text or _THOUSANDS.match(text):
        return text.replace(",", "")
    if text.count(",") == 1:
        return text.replace(",", ".")
    return text


def state_choices(states: Iterable[State], *, blank: bool = True) -> list[tuple[str, str]]:
    rows = sorted(((s.iso3, s.name) for s in states), key=lambda choice: choice[1])
    return [("", gettext("Choose a state")), *rows] if blank else rows


def add_asset_errors(form: forms.Form, error: services.AssetError) -> None:
    """A service's messages beside the field they name, or above the form."""
    for name, texts in error.errors.items():
        form.add_error(name if name in form.fields else None, list(texts))


class _StatesForm(BootstrapForm):
    """A form with state selects filled from one list of states."""

    state_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, states: Sequence[State] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._states = {state.iso3: state for state in states}
        for name in self.state_fields:
            _choices(self.fields[name], state_choices(states))

    def state_of(self, name: str) -> State | None:
        return self._states.get(self.cleaned_data.get(name) or "")


# -- assets ---------------------------------------------------------------------------------


class AssetForm(_StatesForm):
    state_fields = ("location_state",)

    kind = forms.ChoiceField(
        label=_("Kind of asset"), choices=AssetKind.choices, widget=forms.Select(attrs=SELECT)
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        required=False,
        max_length=128,
        help_text=_(
            "IBAN or account number, VIN or plate, IMO number, ISIN or LEI, wallet address, "
            "cadastral number: whatever identifies the asset."
        ),
        widget=forms.TextInput(attrs=CODE),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=NOTE)
    )
    institution = forms.CharField(
        label=_("Bank, registry or issuer"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
    location_state = forms.ChoiceField(
        label=_("State where the asset is"), widget=forms.Select(attrs=SELECT)
    )
    estimated_value = _amount_field(_("Estimated value"))
    currency = _currency_field()
    valuation_date = _date_field(_("Valuation date"))

    @classmethod
    def initial_for(cls, asset: Asset) -> dict[str, Any]:
        return {
            "kind": asset.kind,
            "identifier": asset.identifier,
            "description": asset.description,
            "institution": asset.institution,
            "address": asset.address,
            "location_state": asset.location_state.iso3,
            "estimated_value": asset.estimated_value if asset.estimated_value is not None else "",
            "currency": asset.currency,
            "valuation_date": asset.valuation_date,
        }

    def data_for_service(self) -> services.AssetData:
        data = self.cleaned_data
        return services.AssetData(
            kind=data["kind"],
            location_state=self.state_of("location_state"),
            identifier=data["identifier"],
            description=data["description"],
            institution=data["institution"],
            address=data["address"],
            estimated_value=amount_text(data["estimated_value"]) or None,
            currency=data["currency"],
            valuation_date=data["valuation_date"],
        )


class NewAssetForm(AssetForm):
    status = forms.ChoiceField(
        label=_("Where the asset stands"),
        choices=[
            (AssetStatus.IDENTIFIED, _("Identified")),
            (AssetStatus.TRACING_REQUEST, _("Tracing requested")),
        ],
        widget=forms.Select(attrs=SELECT),
    )


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("New status"), widget=forms.Select(attrs=SELECT))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={**NOTE, "rows": 2})
    )

    def __init__(self, *args: Any, targets: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["status"], [(s, str(AssetStatus(s).label)) for s in targets])


# -- holders --------------------------------------------------------------------------------

NEW_PARTY = "new"


class HolderForm(_StatesForm):
    """An existing holder of the case in a role, or a new person or company."""

    state_fields = ("state",)

    role = forms.ChoiceField(
        label=_("Role"),
        choices=HoldingRole.choices,
        help_text=_(
            "A nominee or front holds for someone else: record the beneficial owner as "
            "another holder of the same asset."
        ),
        widget=forms.Select(attrs=SELECT),
    )
    party = forms.ChoiceField(label=_("Holder"), widget=forms.Select(attrs=SELECT))
    share = forms.CharField(
        label=_("Share (%)"), required=False, max_length=16, widget=forms.TextInput(attrs=_AMOUNT)
    )
    kind = forms.ChoiceField(
        label=_("Person or company"),
        choices=PartyKind.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD: as much of the date as is known."),
        widget=forms.TextInput(attrs=CODE),
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=CODE),
    )
    state = forms.ChoiceField(
        label=_("Nationality or jurisdiction"), required=False, widget=forms.Select(attrs=SELECT)
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=NOTE))

    def __init__(
        self, *args: Any, parties: Sequence[Party] = (), states: Sequence[State] = (), **kw: Any
    ) -> None:
        super().__init__(*args, states=states, **kw)
        self._parties = {str(party.public_id): party for party in parties}
        _choices(
            self.fields["party"],
            [
                (NEW_PARTY, gettext("A new person or company (below)")),
                *((str(p.public_id), p.name) for p in parties),
            ],
        )

    def chosen_party(self) -> Party | None:
        return self._parties.get(self.cleaned_data["party"])

    def new_party_data(self) -> services.PartyData | None:
        if self.cleaned_data["party"] != NEW_PARTY:
            return None
        data = self.cleaned_data
        return services.PartyData(
            kind=data["kind"],
            name=data["name"],
            birth_date=data["birth_date"],
            registration_number=data["registration_number"],
            state=self.state_of("state"),
            notes=data["notes"],
        )


# -- orders ---------------------------------------------------------------------------------


class OrderForm(_StatesForm):
    state_fields = ("issuing_state",)

    kind = forms.ChoiceField(
        label=_("Kind of order"), choices=OrderKind.choices, widget=forms.Select(attrs=SELECT)
    )
    confiscation_basis = forms.ChoiceField(
        label=_("Confiscation basis"),
        required=False,
        choices=[("", _("Not a confiscation")), *ConfiscationBasis.choices],
        widget=forms.Select(attrs=SELECT),
    )
    issuing_state = forms.ChoiceField(label=_("Issuing state"), widget=forms.Select(attrs=SELECT))
    issuing_authority = forms.CharField(
        label=_("Issued by"),
        max_length=255,
        required=False,
        help_text=_("The court, prosecutor or agency that made the order."),
        widget=forms.TextInput(attrs=TEXT),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=64, widget=forms.TextInput(attrs=CODE)
    )
    order_date = _date_field(_("Order date"))
    effective_date = _date_field(_("In effect from"))
    expiry_date = _date_field(
        _("Expires on"), help_text=_("Leave empty if the order does not lapse by itself.")
    )
    execution = forms.ChoiceField(
        label=_("Execution"), choices=Execution.choices, widget=forms.Select(attrs=SELECT)
    )
    requested_amount = _amount_field(_("Amount ordered"))
    amount = _amount_field(_("Amount executed (found, seized or realised)"))
    currency = _currency_field(_("Currency of the amounts"))
    execution_note = forms.CharField(
        label=_("Execution note"), required=False, widget=forms.Textarea(attrs=NOTE)
    )
    request = forms.ChoiceField(
        label=_("Under the request"), required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(
        self,
        *args: Any,
        requests: Sequence[Request] = (),
        states: Sequence[State] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, states=states, **kwargs)
        self._requests = {str(r.public_id): r for r in requests}
        _choices(
            self.fields["request"],
            [("", gettext("None")), *((str(r.public_id), r.reference) for r in requests)],
        )

    def data_for_service(self) -> services.OrderData:
        data = self.cleaned_data
        return services.OrderData(
            kind=data["kind"],
            issuing_state=self.state_of("issuing_state"),
            issuing_authority=data["issuing_authority"],
            order_date=data["order_date"],
            execution=data["execution"],
            confiscation_basis=data["confiscation_basis"],
            legal_basis=data["legal_basis"],
            reference=data["reference"],
            effective_date=data["effective_date"],
            expiry_date=data["expiry_date"],
            requested_amount=amount_text(data["requested_amount"]) or None,
            amount=amount_text(data["amount"]) or None,
            currency=data["currency"],
            execution_note=data["execution_note"],
            request=self._requests.get(data["request"] or ""),
        )


class ExecutionForm(BootstrapForm):
    execution = forms.ChoiceField(
        label=_("What was done"),
        choices=[(value, label) for value, label in Execution.choices if value != "requested"],
        widget=forms.Select(attrs=SELECT),
    )
    amount = _amount_field(_("Amount found or realised"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE))


class RenewalForm(BootstrapForm):
    new_expiry = _date_field(_("New expiry date"))
    renewed_on = _date_field(_("Renewed on"))
    reference = forms.CharField(
        label=_("Reference of the renewal"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=CODE),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE))


# -- agreements and transfers ---------------------------------------------------------------


class AgreementForm(_StatesForm):
    state_fields = ("transferring_state", "receiving_state")

    kind = forms.ChoiceField(
        label=_("Kind of agreement"),
        choices=AgreementKind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    basis = forms.ChoiceField(
        label=_("Legal basis"), choices=AgreementBasis.choices, widget=forms.Select(attrs=SELECT)
    )
    transferring_state = forms.ChoiceField(
        label=_("Transferring state"), widget=forms.Select(attrs=SELECT)
    )
    receiving_state = forms.ChoiceField(
        label=_("Receiving state"), widget=forms.Select(attrs=SELECT)
    )
    concluded_on = _date_field(_("Concluded on"))
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=64, widget=forms.TextInput(attrs=CODE)
    )
    terms = forms.CharField(label=_("Terms"), required=False, widget=forms.Textarea(attrs=NOTE))
    receiving_share = forms.CharField(
        label=_("Receiving state's share (%)"),
        required=False,
        max_length=16,
        help_text=_("For a sharing agreement."),
        widget=forms.TextInput(attrs=_AMOUNT),
    )
    expenses_deductible = forms.BooleanField(
        label=_("Reasonable expenses may be deducted (UNCAC art. 57(4))"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def data_for_service(self) -> services.AgreementData:
        data = self.cleaned_data
        return services.AgreementData(
            kind=data["kind"],
            basis=data["basis"],
            transferring_state=self.state_of("transferring_state"),
            receiving_state=self.state_of("receiving_state"),
            concluded_on=data["concluded_on"],
            terms=data["terms"],
            reference=data["reference"],
            receiving_share=amount_text(data["receiving_share"]) or None,
            expenses_deductible=data["expenses_deductible"],
        )


class TransferForm(BootstrapForm):
    asset = forms.ChoiceField(label=_("Asset"), required=False, widget=forms.Select(attrs=SELECT))
    transferred_on = _date_field(_("Transferred on"))
    gross_amount = _amount_field(_("Gross amount"))
    expenses = _amount_field(_("Expenses deducted"))
    currency = _currency_field()
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=64, widget=forms.TextInput(attrs=CODE)
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE))

    def __init__(self, *args: Any, assets: Sequence[Asset] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._assets = {str(a.public_id): a for a in assets}
        _choices(
            self.fields["asset"],
            [("", gettext("Not one asset")), *((str(a.public_id), str(a)) for a in assets)],
        )

    def chosen_asset(self) -> Asset | None:
        return self._assets.get(self.cleaned_data["asset"] or "")


# -- rates and the ledger's own questions ---------------------------------------------------


class RateForm(BootstrapForm):
    currency = _currency_field(_("Currency"))
    quote = _currency_field(_("Quote currency"))
    rate = forms.CharField(
        label=_("Rate"),
        required=False,
        max_length=_AMOUNT_LENGTH,
        help_text=_("How many units of the quote currency one unit of the currency is worth."),
        widget=forms.TextInput(attrs=_AMOUNT),
    )
    rate_date = _date_field(_("Rate date"))
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=255,
        help_text=_("For example the central bank's official rate of the day."),
        widget=forms.TextInput(attrs=TEXT),
    )
    sample = forms.BooleanField(
        label=_("Sample rate (not for real use)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class LedgerForm(forms.Form):
    """The reporting currency and day of a ledger; bad values fall back to the defaults."""

    currency = forms.ChoiceField(
        label=_("Reporting currency"), required=False, widget=forms.Select(attrs=SELECT)
    )
    as_of = forms.DateField(
        label=_("Rates on"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, currencies: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["currency"], [(code, code) for code in currencies])

    def reporting(self, default: str) -> str:
        if self.is_valid() and self.cleaned_data["currency"]:
            return str(self.cleaned_data["currency"])
        return default

    def day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data["as_of"]:
            return cast(datetime.date, self.cleaned_data["as_of"])
        return timezone.localdate()


class DaysForm(forms.Form):
    days = forms.IntegerField(
        label=_("Within (days)"),
        min_value=1,
        max_value=366,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "dir": "ltr", "size": 4}),
    )

    def value(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["days"]:
            return int(self.cleaned_data["days"])
        return default
