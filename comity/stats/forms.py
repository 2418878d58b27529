"""The filter form of the statistics pages.

The form only shows the filters: ``queries.Filters.from_query`` reads and checks the same
GET parameters (one set of rules, shared with the API), and its errors are set beside the
fields here. So the fields take any value and leave the checking to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from comity.cooperation.models import RequestType
from comity.core.forms import DATE, SELECT, BootstrapForm
from comity.core.models import IccsCode
from comity.directory.models import State
from comity.treaties.models import Instrument

# The parameters the filters read; anything else in the address is ignored.
PARAMETERS = ("start", "end", "type", "counterpart", "instrument", "offence", "direction")
DIRECTIONS: list[tuple[str, Any]] = [
    ("both", _("Outgoing and incoming")),
    ("outgoing", _("Outgoing (sent by us)")),
    ("incoming", _("Incoming (received by us)")),
]
# ICCS sections are the codes of level 1 (two digits).
SECTION_LEVEL = 1


class _Loose(forms.Field):
    """A field that keeps what was typed or chosen: the filters decide whether it is valid."""

    def __init__(self, *, widget: forms.Widget, **kwargs: Any) -> None:
        super().__init__(required=False, widget=widget, **kwargs)


def _select(label: Any, choices: Sequence[tuple[str, Any]]) -> _Loose:
    return _Loose(label=label, widget=forms.Select(attrs=SELECT, choices=choices))


def state_choices() -> list[tuple[str, str]]:
    states = sorted(State.objects.all(), key=lambda state: state.name)
    return [("", str(_("Any state")))] + [(s.iso3, f"{s.name} ({s.iso3})") for s in states]


def instrument_choices() -> list[tuple[str, str]]:
    instruments = Instrument.objects.only("code", "short_title").order_by("code")
    return [("", str(_("Any instrument")))] + [(i.code, str(i)) for i in instruments]


def offence_choices() -> list[tuple[str, str]]:
    sections = IccsCode.objects.filter(level=SECTION_LEVEL).order_by("code")
    return [("", str(_("Any offence")))] + [(c.code, f"{c.code} {c.label}") for c in sections]


class FilterForm(BootstrapForm):
    start = _Loose(label=_("Submitted from"), widget=forms.DateInput(attrs=DATE))
    end = _Loose(label=_("Submitted until"), widget=forms.DateInput(attrs=DATE))
    type = _Loose(
        label=_("Type of request"),
        help_text=_("Choose none for every type, or several with Ctrl or Shift."),
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 4}, choices=list(RequestType.choices)),
    )
    counterpart = _select(_("Counterpart state"), [])
    instrument = _select(_("Legal instrument"), [])
    offence = _select(_("Offence category (ICCS)"), [])
    direction = _select(_("Direction"), DIRECTIONS)

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None = None,
        *,
        network: bool,
        errors: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, auto_id="filter_%s")
        self._widget_choices("counterpart", state_choices())
        self._widget_choices("instrument", instrument_choices())
        self._widget_choices("offence", offence_choices())
        if network:
            # The network's figures cover both sides of every pair.
            del self.fields["direction"]
            self.fields["counterpart"].label = _("State (requesting or requested)")
        for name, message in (errors or {}).items():
            self.add_error(name if name in self.fields else None, message)

    def _widget_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        widget = self.fields[name].widget
        if isinstance(widget, forms.Select):
            widget.choices = choices
