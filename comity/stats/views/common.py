"""What the statistics pages and downloads share: who may see which scope, the filters of
the address, what a page says about its period and filters, and the audit of every read."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core import formatting
from comity.directory.models import State
from comity.stats.forms import PARAMETERS
from comity.stats.queries import Filters, Scope, scope_for


@dataclass(frozen=True)
class Viewer:
    """A member allowed to see a scope, and how the pages name that scope."""

    user: User
    scope: Scope
    name: str  # the authority's name, or the network's


def member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def viewer(request: HttpRequest, *, network: bool) -> Viewer:
    """The member and the scope of the page asked for; 403 for anyone else."""
    user = member(request)
    scope = scope_for(user)
    if scope is None or scope.network != network:
        if network:
            raise PermissionDenied(_("The network's statistics are open to its coordinators."))
        raise PermissionDenied(
            _("The statistics are open to the caseworkers of the central authorities.")
        )
    if network:
        return Viewer(user=user, scope=scope, name=_("The network"))
    authority = user.authority
    return Viewer(user=user, scope=scope, name=authority.name if authority else "")


def filters_of(request: HttpRequest, *, network: bool) -> tuple[Filters, dict[str, list[str]]]:
    filters, errors = Filters.from_query(request.GET)
    if network:
        # The network's figures have no direction: the parameter is ignored.
        filters = dataclasses.replace(filters, direction="both")
        errors.pop("direction", None)
    return filters, errors


def query_string(request: HttpRequest) -> str:
    """The filters of the address, for the download links (other parameters dropped)."""
    query = request.GET.copy()
    for name in list(query):
        if name not in PARAMETERS:
            del query[name]
    return query.urlencode()


def period_text(filters: Filters, today: datetime.date) -> str:
    start = formatting.local_date(filters.start) if filters.start else ""
    end = formatting.local_date(filters.end or today)
    if start:
        return _("%(start)s to %(end)s") % {"start": start, "end": end}
    return _("all requests submitted until %(end)s") % {"end": end}


def filter_lines(
    filters: Filters, *, network: bool, today: datetime.date, period: bool = True
) -> list[str]:
    """The filters in words, one line each: under the page's title and in every download
    (the PDF report names its period in its title, so ``period=False`` leaves it out)."""
    from comity.cooperation.models import RequestType

    lines = [_("Period: %(period)s") % {"period": period_text(filters, today)}] if period else []
    if filters.types:
        names = ", ".join(str(RequestType(code).label) for code in filters.types)
        lines.append(_("Types of request: %(types)s") % {"types": names})
    if filters.counterpart:
        state = State.objects.filter(iso3=filters.counterpart).first()
        name = state.name if state else filters.counterpart
        lines.append(_("State: %(state)s") % {"state": name})
    if filters.instrument:
        lines.append(_("Instrument: %(code)s") % {"code": filters.instrument})
    if filters.offence:
        lines.append(_("Offence category (ICCS): %(code)s") % {"code": filters.offence})
    if not network and filters.direction != "both":
        way = _("outgoing") if filters.direction == "outgoing" else _("incoming")
        lines.append(_("Direction: %(direction)s") % {"direction": way})
    return lines


def filters_detail(filters: Filters) -> dict[str, Any]:
    return {
        "start": filters.start.isoformat() if filters.start else "",
        "end": filters.end.isoformat() if filters.end else "",
        "types": list(filters.types),
        "counterpart": filters.counterpart or "",
        "instrument": filters.instrument or "",
        "offence": filters.offence or "",
        "direction": filters.direction,
    }


def audit_stats(
    who: Viewer, filters: Filters, *, code: Code = Code.STATS_VIEWED, **details: Any
) -> None:
    audit_record(
        code=code,
        actor=who.user,
        subject_type="statistics",
        subject_id="network" if who.scope.network else _authority_key(who.user),
        details={"filters": filters_detail(filters), **details},
    )


def _authority_key(user: User) -> str:
    return user.authority.key if user.authority else ""


def today() -> datetime.date:
    return timezone.localdate()
