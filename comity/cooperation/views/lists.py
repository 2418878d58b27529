"""The list of requests a user may see, with filters, search and paging."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo
from html import escape
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from comity.accounts.models import User
from comity.cooperation import selectors
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import RequestType, Urgency
from comity.core import formatting
from comity.core.choices import labels
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
class When:
    """A moment as a list row writes it."""

    iso: str  # for <time datetime>: local time, ISO 8601 (as the `date:'c'` filter gives)
    text: str  # the day in the reader's language, digits and calendar


@dataclass(frozen=True)
class RequestRow:
    """One request as a list row shows it, seen from the reader's side, with every text
    ready: a page of rows renders without model instances, translations or look-ups."""

    url: str
    reference: str
    title: str
    type_label: str
    other_state: str
    outgoing: bool
    status_label: str
    status_colour: str
    urgency: str
    urgency_label: str
    submitted: When | None
    response_due: When | None
    overdue: bool


# The detail URL is reversed once per page of rows, with this id in it, then filled in.
_ANY_ID = UUID(int=0)


def _state_name_column() -> str:
    """The column of State with its name in the reader's language (name_en when the state
    has none in that language: see State.name)."""
    language = (get_language() or "en")[:2]
    return f"name_{language}" if language in ("ru", "fa") else "name_en"


def _when(moment: datetime | None, zone: tzinfo, language: str) -> When | None:
    """``zone`` and ``language``: the reader's, read once per page (each look-up goes
    through a context-local, twice a row)."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    return When(
        iso=local.isoformat(),
        text=formatting.local_day(local.date(), "DATE_FORMAT", language),
    )


def request_rows(
    rows: Iterable[dict[str, Any]], *, user: User, state_names: Mapping[int, str]
) -> list[RequestRow]:
    """List rows from selectors.PAGE_VALUES dicts (``listing.rows(PAGE_VALUES)``), with the
    states named from ``state_names`` (reader_states().names: one small query instead of
    two joins on every page of rows)."""
    types, statuses, urgencies = labels(RequestType), labels(Status), labels(Urgency)
    detail = reverse("cooperation:detail", kwargs={"id": _ANY_ID})
    now = timezone.now()
    zone, language = timezone.get_current_timezone(), get_language() or ""
    result = []
    for row in rows:
        outgoing = row["requesting_authority_id"] == user.authority_id
        state = row["requested_state_id" if outgoing else "requesting_authority__state_id"]
        result.append(
            RequestRow(
                url=detail.replace(str(_ANY_ID), str(row["public_id"])),
                reference=row["reference"],
                title=row["title"],
                type_label=types.get(row["type"], row["type"]),
                other_state=state_names.get(state, ""),
                outgoing=outgoing,
                status_label=statuses.get(row["status"], row["status"]),
                status_colour=STATUS_COLOURS.get(row["status"], "secondary"),
                urgency=row["urgency"],
                urgency_label=urgencies.get(row["urgency"], row["urgency"]),
                submitted=_when(row["submitted_at"], zone, language),
                response_due=_when(row["response_due"], zone, language),
                overdue=selectors.row_is_overdue(row, now),
            )
        )
    return result


# The words a row writes besides its data, translated once per page.
_ROW_WORDS = {
    "outgoing": _("Outgoing"),
    "incoming": _("Incoming"),
    "not_submitted": _("not submitted"),
    "no_due_date": _("no due date"),
    "overdue": _("Overdue"),
}
_DANGER = ' class="table-danger"'
_URGENCY_BADGES = {
    "very_urgent": "badge text-bg-danger text-wrap",
    "urgent": "badge text-bg-warning",
}


def _when_html(when: When | None, missing: str) -> str:
    if when is None:
        return f'<span aria-hidden="true">—</span><span class="visually-hidden">{missing}</span>'
    return f'<time datetime="{escape(when.iso)}">{escape(when.text)}</time>'


def rows_html(rows: Iterable[RequestRow], *, compact: bool = False) -> SafeString:
    """The table rows (``<tr>``) of a request list; ``compact`` leaves out the type, the
    urgency and the submission date (the dashboard's short tables).

    Written in Python, not in a template, and escaped with the standard library's
    html.escape (which Django's escape() calls, through a lazy-string wrapper, for each
    value): 25 included row templates of about thirty nodes each were a fifth of the page's
    time (docs/benchmarks.md). Every value below goes through escape(); the rest is ours.
    """
    words = {key: escape(str(word)) for key, word in _ROW_WORDS.items()}
    html = []
    for row in rows:
        colour = escape(row.status_colour)
        danger = _DANGER if row.overdue else ""
        html.append(
            f"<tr{danger}>\n"
            '  <th scope="row" class="comity-nowrap fw-normal">'
            f'<a class="comity-ref" href="{escape(row.url)}">{escape(row.reference)}</a></th>\n'
            f"  <td>{escape(row.title)}</td>\n"
        )
        if not compact:
            html.append(f"  <td>{escape(row.type_label)}</td>\n")
        side = words["outgoing"] if row.outgoing else words["incoming"]
        html.append(
            f'  <td>{escape(row.other_state)}<span class="d-block small text-body-secondary">'
            f"{side}</span></td>\n"
            f'  <td><span class="badge rounded-pill text-{colour}-emphasis bg-{colour}-subtle'
            f' border border-{colour}-subtle">{escape(row.status_label)}</span></td>\n'
        )
        if not compact:
            urgency = escape(row.urgency_label)
            badge = _URGENCY_BADGES.get(row.urgency)
            if badge:
                urgency = f'<span class="{badge}">{urgency}</span>'
            html.append(
                f"  <td>{urgency}</td>\n"
                f'  <td class="comity-nowrap">{_when_html(row.submitted, words["not_submitted"])}'
                "</td>\n"
            )
        overdue = f' <span class="badge text-bg-danger">{words["overdue"]}</span>'
        html.append(
            f'  <td class="comity-nowrap">{_when_html(row.response_due, words["no_due_date"])}'
            f"{overdue if row.overdue else ''}</td>\n</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 (every value escaped above)


@dataclass(frozen=True)
class ReaderStates:
    """The states named in the reader's language (as State.name gives it): the filter's
    choices, sorted by name, and the names by id for the rows."""

    choices: list[tuple[str, str]]
    names: dict[int, str]


def reader_states() -> ReaderStates:
    """One query of plain values, not models: this runs on every list page."""
    column = _state_name_column()
    rows = State.objects.values_list("id", "iso3", "name_en", column)
    named = sorted(((name or english, iso3, pk) for pk, iso3, english, name in rows))
    return ReaderStates(
        choices=[("", gettext("Any state")), *((iso3, name) for name, iso3, _pk in named)],
        names={pk: name for name, _iso3, pk in named},
    )


_SELECT = {"class": "form-select"}


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
    states = reader_states()
    form = RequestFilterForm(request.GET, states=states.choices)
    filters = parse_filters(form)
    if form.errors:  # show the filters applied, without the values that were ignored
        form = RequestFilterForm(initial=asdict(filters), states=states.choices)
    listing = selectors.request_list(user=user, filters=filters)
    page = Paginator(listing.rows(selectors.PAGE_VALUES), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "filtered": any((filters.status, filters.type, filters.state, filters.q)),
        "page": page,
        "rows": request_rows(page.object_list, user=user, state_names=states.names),
    }
    if _wants_results_only(request):
        response = render(request, "cooperation/list_results.html", {**context, "oob": True})
    else:
        response = render(request, "cooperation/list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
