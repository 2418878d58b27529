"""The list of requests a user may see, with filters, search and paging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comity.accounts.models import User
from comity.cooperation import selectors
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import Request, RequestType
from comity.core.widgets import FastSelect
from comity.directory.models import State

PAGE_SIZE = 25
RESULTS_TARGET = "request-results"  # the element htmx swaps when a filter changes

BOX_CHOICES = [
    ("all", _("All requests")),
    ("incoming", _("Incoming")),
    ("outgoing", _("Outgoing")),
    ("overdue", _("Overdue")),
]

# Bootstrap colour families for the status badges; the "-subtle"/"-emphasis" pairs keep
# their contrast well above 4.5:1.
STATUS_COLOURS: dict[str, str] = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "primary",
    Status.ACKNOWLEDGED: "info",
    Status.IN_EXECUTION: "primary",
    Status.ADDITIONAL_INFO_REQUESTED: "warning",
    Status.POSTPONED: "warning",
    Status.EXECUTED: "success",
    Status.PARTIALLY_EXECUTED: "success",
    Status.REFUSED: "danger",
    Status.WITHDRAWN: "secondary",
    Status.CLOSED: "dark",
}


@dataclass(frozen=True)
class RequestRow:
    """One request as a list row shows it, seen from the reader's side."""

    request: Request
    outgoing: bool
    other_state: State
    overdue: bool
    status_colour: str


def request_rows(requests: Iterable[Request], *, user: User) -> list[RequestRow]:
    """Rows for requests fetched by selectors.request_list (its joins cover all we show)."""
    rows = []
    for request in requests:
        outgoing = request.requesting_authority_id == user.authority_id
        rows.append(
            RequestRow(
                request=request,
                outgoing=outgoing,
                other_state=(
                    request.requested_state if outgoing else request.requesting_authority.state
                ),
                overdue=selectors.is_overdue(request),
                status_colour=STATUS_COLOURS.get(request.status, "secondary"),
            )
        )
    return rows


_SELECT = {"class": "form-select"}


def _state_choices() -> list[tuple[str, str]]:
    states = sorted(State.objects.only("iso3", "name_en", "name_ru", "name_fa"), key=str)
    return [("", gettext("Any state")), *((state.iso3, state.name) for state in states)]


class RequestFilterForm(forms.Form):
    box = forms.ChoiceField(
        label=_("Show"), choices=BOX_CHOICES, required=False, widget=FastSelect(attrs=_SELECT)
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Any status")),
            (selectors.OPEN, _("Open (awaiting an answer)")),
            *Status.choices,
        ],
        required=False,
        widget=FastSelect(attrs=_SELECT),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Any type")), *RequestType.choices],
        required=False,
        widget=FastSelect(attrs=_SELECT),
    )
    state = forms.ChoiceField(
        label=_("Other state"), required=False, widget=FastSelect(attrs=_SELECT)
    )
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Reference, title, proceedings reference or a person's name."),
        max_length=100,
        required=False,
        strip=True,
        widget=forms.SearchInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, states: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)  # noqa: S101 (declared above)
        state_field.choices = states


def parse_filters(form: RequestFilterForm) -> selectors.RequestFilters:
    """The filters from the query string; values that are not valid are ignored."""
    form.is_valid()
    data = form.cleaned_data
    return selectors.RequestFilters(
        box=data.get("box") or "all",
        status=data.get("status") or "",
        type=data.get("type") or "",
        state=data.get("state") or "",
        q=data.get("q") or "",
    )


def _wants_results_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    states = _state_choices()
    filters = parse_filters(RequestFilterForm(request.GET, states=states))
    queryset = selectors.request_list(user=user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": RequestFilterForm(initial=asdict(filters), states=states),
        "filters": filters,
        "filtered": any((filters.status, filters.type, filters.state, filters.q)),
        "page": page,
        "rows": request_rows(page.object_list, user=user),
    }
    if _wants_results_only(request):
        response = render(request, "cooperation/list_results.html", {**context, "oob": True})
    else:
        response = render(request, "cooperation/list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
