from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from comity.accounts.models import User
from comity.cooperation import selectors
from comity.cooperation.lifecycle import Status
from comity.cooperation.notifications import (
    notification_list,
    notification_path,
    notification_text,
    notifications_mark_read,
)
from comity.cooperation.views.lists import reader_states, request_rows

RECENT = 5  # requests shown per box on the dashboard
NOTIFICATIONS_PER_PAGE = 50


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    count: int
    url: str
    alert: bool = False


def _list_url(**params: str) -> str:
    return f"{reverse('cooperation:list')}?{urlencode(params)}"


def _cards(counts: selectors.DashboardCounts) -> list[Card]:
    return [
        Card(
            "incoming",
            _("Incoming, open"),
            counts.incoming,
            _list_url(box="incoming", status=selectors.OPEN),
        ),
        Card(
            "awaiting",
            _("Awaiting our acknowledgement"),
            counts.awaiting_acknowledgement,
            _list_url(box="incoming", status=Status.SUBMITTED),
        ),
        Card("overdue", _("Overdue"), counts.overdue, _list_url(box="overdue"), counts.overdue > 0),
        Card(
            "outgoing",
            _("Outgoing, awaiting an answer"),
            counts.outgoing,
            _list_url(box="outgoing", status=selectors.OPEN),
        ),
        Card("drafts", _("Drafts"), counts.drafts, _list_url(box="outgoing", status=Status.DRAFT)),
    ]


def _recent(user: User, box: str) -> list[dict[str, Any]]:
    listing = selectors.request_list(user=user, filters=selectors.RequestFilters(box=box))
    return listing.rows(selectors.PAGE_VALUES)[0:RECENT]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    incoming, outgoing = _recent(user, "incoming"), _recent(user, "outgoing")
    names = reader_states().names if incoming or outgoing else {}
    context = {
        "cards": _cards(selectors.dashboard_counts(user=user)),
        "incoming": request_rows(incoming, user=user, state_names=names),
        "outgoing": request_rows(outgoing, user=user, state_names=names),
    }
    return render(request, "web/dashboard.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required)
    if request.method == "POST":
        marked = notifications_mark_read(user=user, ids=None)
        if not marked:
            messages.info(request, _("There were no unread notifications."))
            return redirect("web:notifications")
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
        return redirect("web:notifications")
    page = Paginator(notification_list(user=user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [
        (notice, notification_text(notice), notification_path(notice))
        for notice in page.object_list
    ]
    return render(request, "web/notifications.html", {"page": page, "items": items})
