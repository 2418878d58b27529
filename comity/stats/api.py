"""The statistics over the API (docs/stats.md): /api/v1/stats.

The same figures as the pages, from comity.stats.queries only: a central authority's
caseworkers get their own authority's dashboard, the network's coordinators the network's
(small cells suppressed, nothing of any one request); anyone else 403. Bad filters answer
400 with a message per parameter; an unknown table 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from comity.accounts.models import User
from comity.api.auth import api_user
from comity.api.errors import ApiError
from comity.api.errors import error_responses as _errors
from comity.directory.models import Authority
from comity.stats.queries import Dashboard, Filters, Scope, dashboard, scope_for, table_keys
from comity.stats.schemas import DashboardOut, StatsQuery, TableOut, dashboard_out, table_out

router = Router(tags=["stats"])

_READ = (400, 401, 403, 404)


def _scope(user: User) -> Scope:
    scope = scope_for(user)
    if scope is None:
        raise PermissionDenied(
            _("The statistics are open to central authorities and the network's coordinators.")
        )
    return scope


def _filters(query: StatsQuery) -> Filters:
    filters, errors = Filters.parse(
        start=query.start,
        end=query.end,
        types=query.type,
        counterpart=query.counterpart,
        instrument=query.instrument,
        offence=query.offence,
        direction=query.direction,
    )
    if errors:
        texts = [text for messages in errors.values() for text in messages]
        message = (
            texts[0]
            if len(texts) == 1
            else _("Some of the data sent is not valid; see the fields.")
        )
        raise ApiError(status=400, code="invalid", message=message, fields=errors)
    return filters


def _authority_key(scope: Scope) -> str | None:
    if scope.authority_id is None:
        return None
    return Authority.objects.filter(pk=scope.authority_id).values_list("key", flat=True).first()


def _computed(request: HttpRequest, query: StatsQuery, only: tuple[str, ...] = ()) -> Dashboard:
    scope = _scope(api_user(request))
    return dashboard(scope, _filters(query), only=only)


@router.get(
    "/dashboard", response={200: DashboardOut, **_errors(_READ)}, url_name="stats_dashboard"
)
def stats_dashboard(request: HttpRequest, query: Query[StatsQuery]) -> DashboardOut:
    """Every table of your dashboard: your central authority's requests, outgoing and
    incoming, or, for a coordinator, the network's aggregates with cells from fewer than 5
    requests suppressed. Filters: period of submission, types, counterpart state, instrument,
    ICCS section, direction."""
    computed = _computed(request, query)
    return dashboard_out(computed, _authority_key(computed.scope))


@router.get("/tables/{key}", response={200: TableOut, **_errors(_READ)}, url_name="stats_table")
def stats_table(request: HttpRequest, key: str, query: Query[StatsQuery]) -> TableOut:
    """One table of your dashboard by its key (volumes_by_type, turnaround, pairs, ...),
    with the same filters."""
    scope = _scope(api_user(request))
    if key not in table_keys(scope):
        raise Http404
    computed = dashboard(scope, _filters(query), only=(key,))
    return table_out(computed.table(key))
