"""Reading the directory: the search page, an authority's entry, a state's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from comity import policy
from comity.accounts.models import User
from comity.directory import search
from comity.directory.forms import SearchForm, state_choices
from comity.directory.models import (
    Authority,
    ChangeStatus,
    EntryChange,
    MeasureFiche,
    State,
)
from comity.directory.views import display
from comity.directory.views.common import (
    audit_contacts_read,
    changes_visible_to,
    directory_reader,
    get_authority,
    get_state,
    read_contacts_of,
)

RESULTS_TARGET = "directory-results"  # the element htmx swaps when the search changes
RESULT_LIMIT = 50  # per kind; a longer list asks for a narrower search
HISTORY_LIMIT = 50


def _wants_results_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request)


def _limited(rows: QuerySet[Any]) -> tuple[list[Any], bool]:
    found = list(rows[: RESULT_LIMIT + 1])
    return found[:RESULT_LIMIT], len(found) > RESULT_LIMIT


@require_GET
@directory_reader
def index(request: HttpRequest, user: User) -> HttpResponse:
    states = state_choices()
    form = SearchForm(request.GET, states=states)
    filters = form.filters()
    found_authorities, more_authorities = _limited(search.search_authorities(**filters))
    found_contacts, more_contacts = _limited(search.search_contacts(**filters))
    if found_contacts:
        audit_contacts_read(
            user,
            subject_type="directory",
            details={
                "view": "directory:index",
                "filters": {k: v for k, v in filters.items() if v},
                "contacts": len(found_contacts),
            },
        )
    context = {
        "form": SearchForm(initial=filters, states=states),
        "filters": filters,
        "filtered": any(filters.values()),
        "authorities": found_authorities,
        "more_authorities": more_authorities,
        "contacts": found_contacts,
        "more_contacts": more_contacts,
        "limit": RESULT_LIMIT,
        "export_query": urlencode({k: v for k, v in filters.items() if v}),
        "can_review": policy.can_review_directory_changes(user),
    }
    if _wants_results_only(request):
        response = render(request, "directory/_results.html", {**context, "oob": True})
    else:
        response = render(request, "directory/index.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    who: User | None
    kind: str  # "+" created, "~" changed, "-" deleted
    fields: list[str]
    reason: str


def _history(authority: Authority) -> list[HistoryEntry]:
    """The entry's versions, newest first, each with the fields it changed."""
    records = list(
        authority.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LIMIT + 1
        ]
    )
    entries: list[HistoryEntry] = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == HISTORY_LIMIT:
            break
        changed = [] if older is None else newer.diff_against(older).changed_fields
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=newer.history_user,
                kind=newer.history_type,
                fields=[display.field_label(Authority, name) for name in changed],
                reason=newer.history_change_reason or "",
            )
        )
    return entries


@dataclass(frozen=True)
class Pending:
    change: EntryChange
    fields: list[str]


def _pending(user: User, authority: Authority) -> list[Pending]:
    """Proposals waiting for review, for the authority's own users and coordinators."""
    rows = (
        changes_visible_to(user)
        .filter(authority=authority, status=ChangeStatus.PENDING)
        .order_by("proposed_at", "id")
    )
    return [
        Pending(
            change,
            [display.field_label(display.MODELS[change.target], n) for n in change.proposed],
        )
        for change in rows
    ]


@require_GET
@directory_reader
def authority_detail(request: HttpRequest, user: User, key: str) -> HttpResponse:
    authority = get_authority(key)
    contacts = read_contacts_of(user, authority, view="directory:authority")
    context = {
        "authority": authority,
        "other_names": display.other_names(authority),
        "local_time": display.local_time(authority.time_zone),
        "channels": display.channel_lines(authority.channels),
        "documents": [
            (display.measure_name(measure), text)
            for measure, text in (authority.documents or {}).items()
        ],
        "contacts": contacts,
        "history": _history(authority),
        "pending": _pending(user, authority),
        "can_propose": policy.can_propose_directory_change(user, authority),
        "can_review": policy.can_review_directory_changes(user),
    }
    return render(request, "directory/authority.html", context)


def _own_authority_in(user: User, state: State) -> Authority | None:
    """The user's authority if it is of this state and may propose fiche changes."""
    authority = user.authority
    if authority is None or authority.state_id != state.pk:
        return None
    return authority if policy.can_propose_directory_change(user, authority) else None


@require_GET
@directory_reader
def state_detail(request: HttpRequest, user: User, iso3: str) -> HttpResponse:
    state = get_state(iso3)
    context = {
        "state": state,
        "authorities": list(Authority.objects.filter(state=state).select_related("state")),
        "fiches": list(MeasureFiche.objects.filter(state=state).order_by("measure")),
        "proposer": _own_authority_in(user, state),
    }
    return render(request, "directory/state.html", context)
