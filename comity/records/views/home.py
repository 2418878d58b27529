"""The records home: what the user's authority asked and was asked, and the notices."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comity import policy
from comity.records import access, selectors
from comity.records.models import ConvictionNotice, ExtractRequest, Register
from comity.records.views.common import member

# Rows per box on the home page; the oldest due and the newest come first.
BOX = 50


@dataclass(frozen=True)
class IncomingRow:
    extract: ExtractRequest
    overdue: bool


@require_GET
@login_required
def records_home(request: HttpRequest) -> HttpResponse:
    user = member(request)
    if not policy.can_use_records_exchange(user):
        raise PermissionDenied(_("The records exchange is open to the authorities' caseworkers."))
    register: Register | None
    try:
        register = access.access_register(user=user)
    except Http404:
        register = None
    incoming: list[IncomingRow] = []
    received: list[ConvictionNotice] = []
    sent: list[ConvictionNotice] = []
    if register is not None:
        incoming = [
            IncomingRow(extract, selectors.extract_is_overdue(extract))
            for extract in selectors.extract_incoming(user=user)[:BOX]
        ]
        received = list(selectors.notice_inbox(user=user)[:BOX])
        sent = list(selectors.notice_sent(user=user)[:BOX])
    outgoing = list(selectors.extract_outgoing(user=user)[:BOX])
    context = {
        "register": register,
        "incoming": incoming,
        "outgoing": outgoing,
        "received": received,
        "sent": sent,
        "box": BOX,
        "can_request": policy.can_request_extract(user),
        "can_write": register is not None and policy.can_write_register(user, register),
    }
    return render(request, "records/home.html", context)
