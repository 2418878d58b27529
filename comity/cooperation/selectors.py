"""Reads, already scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
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


def request_list(*, user: User | AnonymousUser, filters: RequestFilters) -> QuerySet[Request]:
    """Requests this user may see, filtered, newest first, with what list rows show."""
    authority = getattr(user, "authority_id", None)
    qs = Request.objects.filter(policy.request_visibility_q(user))
    if filters.box == "incoming":
        qs = qs.filter(Q(requested_authority_id=authority) | Q(executing_authority_id=authority))
    elif filters.box == "outgoing":
        qs = qs.filter(requesting_authority_id=authority)
    elif filters.box == "overdue":
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
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(search_text__contains=fold(term))
    order = "-submitted_at" if filters.box == "incoming" else "-created_at"
    return qs.select_related(
        "requesting_authority__state",
        "requested_state",
        "requested_authority",
    ).order_by(order, "-id")


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
