"""Reads, already scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, overload

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from comity import policy
from comity.accounts.models import User
from comity.cooperation.lifecycle import Status
from comity.cooperation.models import Request
from comity.core.text import fold

OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.ACKNOWLEDGED,
        Status.IN_EXECUTION,
        Status.ADDITIONAL_INFO_REQUESTED,
        Status.POSTPONED,
    }
)
BOXES = ("incoming", "outgoing", "overdue", "all")
OPEN = "open"  # a status filter meaning any of OPEN_STATUSES


@dataclass(frozen=True)
class RequestFilters:
    box: str = "all"
    status: str = ""
    type: str = ""
    state: str = ""  # the other state (ISO3)
    q: str = ""


def _overdue_q() -> Q:
    now = timezone.now()
    return Q(status=Status.SUBMITTED, acknowledgement_due__lt=now) | Q(
        status__in=OPEN_STATUSES, response_due__lt=now
    )


LIST_RELATED = ("requesting_authority__state", "requested_state", "requested_authority")
_STATE = ("iso3", "name_en", "name_ru", "name_fa")
_AUTHORITY = ("public_id", "key", "name_en", "state_id")
# What a list row shows (page and API alike): loading only these keeps long texts (facts,
# the authorities' sources and legal bases) off a page of fifty. A row that needs more
# shows up as one query per row in the pinned query counts.
LIST_ONLY = (
    "public_id", "reference", "type", "status", "title", "urgency", "created_at",
    "submitted_at", "acknowledgement_due", "response_due", "requesting_authority_id",
    "requested_state_id", "requested_authority_id", "executing_authority_id",
    *(f"requesting_authority__{name}" for name in _AUTHORITY),
    *(f"requesting_authority__state__{name}" for name in _STATE),
    *(f"requested_state__{name}" for name in _STATE),
    *(f"requested_authority__{name}" for name in _AUTHORITY),
)  # fmt: skip


class RequestListing:
    """Requests from several disjoint filters, newest first, paged like a QuerySet.

    Each branch is counted and cut on its own (so each uses its own index), the page's keys
    are merged in Python, and only the rows of the page are loaded with their joins.
    Supports what Django's Paginator and the API's paginate() use: count(), len() and
    slicing with non-negative bounds.
    """

    def __init__(self, branches: list[QuerySet[Request]], *, order: str) -> None:
        self.branches = branches
        self.order = order
        self._count: int | None = None
        self._sql: list[tuple[str, tuple[Any, ...]]] | None = None

    def _branch_sql(self) -> list[tuple[str, tuple[Any, ...]]]:
        """Each branch's SQL, selecting its sort column and id, unordered: compiled by the
        ORM once per listing, then both counted and cut from the same text. (Compiling is
        most of a listing's time outside the database.)"""
        if self._sql is None:
            self._sql = [
                branch.order_by().values_list(self.order, "id").query.sql_with_params()
                for branch in self.branches
            ]
        return self._sql

    def count(self) -> int:
        if self._count is None:
            if not self.branches:
                self._count = 0
            else:
                # One query that adds up one COUNT per branch, each through its own index.
                parts: list[str] = []
                params: list[Any] = []
                for n, (sql, branch_params) in enumerate(self._branch_sql()):
                    # Django's own SQL for each branch, with its parameters kept apart.
                    parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS branch{n})")  # noqa: S608
                    params.extend(branch_params)
                self._count = int(_one(f"SELECT {' + '.join(parts)}", params))
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Request]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> Request: ...

    @overload
    def __getitem__(self, index: slice) -> list[Request]: ...

    def __getitem__(self, index: int | slice) -> Request | list[Request]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        if start < 0 or stop < 0 or index.step not in (None, 1):
            raise ValueError("only forward slices are supported")
        keys = self._page_keys(start, stop)
        if not keys:
            return []
        loaded = (
            Request.objects.filter(pk__in=keys)
            .select_related(*LIST_RELATED)
            .only(*LIST_ONLY)
            .in_bulk()
        )
        return [loaded[pk] for pk in keys if pk in loaded]

    def _page_keys(self, start: int, stop: int) -> list[int]:
        if stop <= start or not self.branches:
            return []
        sql, params = self._page_keys_sql(start, stop)
        return [pk for (pk,) in _all(sql, params)]

    def _page_keys_sql(self, start: int, stop: int) -> tuple[str, list[Any]]:
        """The query for the ids of rows start to stop, in the listing's order."""
        order = connection.ops.quote_name(self.order)
        newest = f"ORDER BY {order} DESC, id DESC"  # each branch's index order
        branches = self._branch_sql()
        if len(branches) == 1:
            sql, params = branches[0]
            query = f"SELECT id FROM ({sql}) AS branch0 {newest} LIMIT %s OFFSET %s"  # noqa: S608
            return query, [*params, stop - start, start]
        # Each branch's first `stop` rows through its own index, merged. A missing date (a
        # draft's submission) sorts last.
        parts: list[str] = []
        merged_params: list[Any] = []
        for n, (sql, branch_params) in enumerate(branches):
            parts.append(
                f"SELECT * FROM (SELECT * FROM ({sql}) AS inner{n} {newest} LIMIT %s) AS branch{n}"  # noqa: S608 (Django's SQL)
            )
            merged_params.extend([*branch_params, stop])
        merged = (
            f"SELECT id FROM ({' UNION ALL '.join(parts)}) AS merged "  # noqa: S608 (as above)
            f"ORDER BY ({order} IS NULL), {order} DESC, id DESC LIMIT %s OFFSET %s"
        )
        return merged, [*merged_params, stop - start, start]

    def rows(self, columns: tuple[str, ...] | None = None) -> RequestRows:
        """The same listing, paged as plain dicts of the LIST_VALUES columns, or of
        ``columns`` (the API's list and the list pages: no model instances, about a third
        of the API's time)."""
        return RequestRows(self, columns or LIST_VALUES)


def _one(sql: str, params: list[Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _all(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# What the API's list row reads, as values() columns.
LIST_VALUES = (
    "id", "public_id", "reference", "type", "status", "title", "urgency", "created_at",
    "submitted_at", "acknowledgement_due", "response_due", "requested_state__iso3",
    "requesting_authority__public_id", "requesting_authority__key",
    "requesting_authority__name_en", "requesting_authority__state__iso3",
    "requested_authority__public_id", "requested_authority__key",
    "requested_authority__name_en",
)  # fmt: skip


# What a list page's row reads (cooperation.views.lists.request_rows), and no more: each
# column and join is compiled by the ORM on every page. The states are named from the
# states the page loads for its filter (views.lists.reader_states), not joined.
PAGE_VALUES = (
    "id", "public_id", "reference", "type", "status", "title", "urgency", "submitted_at",
    "acknowledgement_due", "response_due", "requesting_authority_id", "requested_state_id",
    "requesting_authority__state_id",
)  # fmt: skip


class RequestRows:
    """A RequestListing paged as dicts of its columns, in the listing's order."""

    def __init__(self, listing: RequestListing, columns: tuple[str, ...] = LIST_VALUES) -> None:
        self.listing = listing
        self.columns = columns

    def count(self) -> int:
        return self.listing.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        listing = self.listing
        if stop <= start or not listing.branches:
            return []
        # One query: the page's keys as a subquery, its rows put in order here.
        keys_sql, keys_params = listing._page_keys_sql(start, stop)
        order = listing.order
        columns = self.columns if order in self.columns else (*self.columns, order)
        rows = list(
            Request.objects.filter(pk__in=RawSQL(keys_sql, keys_params))  # noqa: S611 (the listing's SQL)
            .order_by()
            .values(*columns)
        )
        # As the keys query orders them: newest first, ties by id, a missing date last.
        rows.sort(key=_row_id, reverse=True)
        rows.sort(key=lambda row: (row[order] is not None, row[order] or _EPOCH), reverse=True)
        return rows


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _row_id(row: dict[str, Any]) -> int:
    return int(row["id"])


def row_is_overdue(row: dict[str, Any], now: datetime | None = None) -> bool:
    """is_overdue() for a LIST_VALUES row (at ``now``: the time a page of rows is read)."""
    now = now or timezone.now()
    if row["status"] == Status.SUBMITTED and row["acknowledgement_due"]:
        return bool(row["acknowledgement_due"] < now)
    return bool(
        row["status"] in OPEN_STATUSES and row["response_due"] and row["response_due"] < now
    )


def _apply_filters(qs: QuerySet[Request], filters: RequestFilters) -> QuerySet[Request]:
    if filters.box == "overdue":
        qs = qs.filter(_overdue_q())
    if filters.status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.state:
        iso3 = filters.state.upper()
        qs = qs.filter(Q(requested_state__iso3=iso3) | Q(requesting_authority__state__iso3=iso3))
    if filters.q.strip():
        qs = qs.filter(search_text__contains=fold(filters.q.strip()))
    return qs


def request_list(*, user: User | AnonymousUser, filters: RequestFilters) -> RequestListing:
    """Requests this user may see in the chosen box, filtered, newest first."""
    visible = policy.request_visibility(user)
    if filters.box == "incoming":
        branches = [visible.requested, visible.executing]
    elif filters.box == "outgoing":
        branches = [visible.requesting]
    else:
        branches = [visible.requesting, visible.requested, visible.executing]
    querysets = [
        _apply_filters(Request.objects.filter(branch), filters)
        for branch in branches
        if branch is not None
    ]
    order = "submitted_at" if filters.box == "incoming" else "created_at"
    return RequestListing(querysets, order=order)


@dataclass(frozen=True)
class DashboardCounts:
    incoming: int
    outgoing: int
    overdue: int
    drafts: int
    awaiting_acknowledgement: int


def dashboard_counts(*, user: User | AnonymousUser) -> DashboardCounts:
    authority = getattr(user, "authority_id", None)
    visible = Request.objects.filter(policy.request_visibility_q(user))
    incoming = Q(requested_authority_id=authority) | Q(executing_authority_id=authority)
    open_ = Q(status__in=OPEN_STATUSES)
    counts = visible.aggregate(
        incoming=Count("pk", filter=incoming & open_),
        outgoing=Count("pk", filter=Q(requesting_authority_id=authority) & open_),
        overdue=Count("pk", filter=_overdue_q()),
        drafts=Count("pk", filter=Q(requesting_authority_id=authority, status=Status.DRAFT)),
        awaiting=Count("pk", filter=incoming & Q(status=Status.SUBMITTED)),
    )
    return DashboardCounts(
        incoming=counts["incoming"],
        outgoing=counts["outgoing"],
        overdue=counts["overdue"],
        drafts=counts["drafts"],
        awaiting_acknowledgement=counts["awaiting"],
    )


def is_overdue(request: Request) -> bool:
    now = timezone.now()
    if request.status == Status.SUBMITTED and request.acknowledgement_due:
        return request.acknowledgement_due < now
    return bool(
        request.status in OPEN_STATUSES and request.response_due and request.response_due < now
    )
