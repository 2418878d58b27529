"""The dashboards: a central authority's own figures, and the network's aggregates. Each
table has its chart beside it, and its downloads; each page read is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from comity import policy
from comity.stats.display import SUPPRESSED_MARK, shown_table
from comity.stats.forms import FilterForm
from comity.stats.queries import dashboard as compute
from comity.stats.views.common import (
    audit_stats,
    filter_lines,
    filters_of,
    member,
    query_string,
    today,
    viewer,
)


def _page(request: HttpRequest, *, network: bool) -> HttpResponse:
    who = viewer(request, network=network)
    filters, errors = filters_of(request, network=network)
    figures = compute(who.scope, filters)
    shown = [shown_table(table) for table in figures.tables]
    audit_stats(who, filters, tables=len(shown), suppressed=figures.suppressed_cells)
    query = query_string(request)
    context: dict[str, Any] = {
        "network": network,
        "name": who.name,
        "form": FilterForm(request.GET or None, network=network, errors=errors),
        "filtered": bool(query),
        "filter_lines": filter_lines(filters, network=network, today=today()),
        "tables": shown,
        "dashboard": figures,
        "suppressed_mark": SUPPRESSED_MARK,
        "query": f"?{query}" if query else "",
        "export_url": "stats:network_export" if network else "stats:export",
        "report_url": "stats:network_report" if network else "stats:report",
        "page_url": "stats:network" if network else "stats:dashboard",
    }
    return render(request, "stats/dashboard.html", context)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A central authority's figures: its own requests, outgoing and incoming."""
    user = member(request)
    if policy.can_view_network_stats(user) and not policy.can_view_stats(user):
        # A coordinator's statistics are the network's.
        return redirect("stats:network")
    return _page(request, network=False)


@require_GET
@login_required
def network(request: HttpRequest) -> HttpResponse:
    """The coordinator's aggregates over every state, small cells suppressed."""
    return _page(request, network=True)
