"""Conviction notices: read as received, matched to a person of the register or recorded as
a new person. Both record the conviction in the receiving register."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.records import services
from comity.records.access import access_notice
from comity.records.forms import NoticeCreateForm, NoticeMatchForm, add_records_errors
from comity.records.models import ConvictionNotice, NoticeStatus
from comity.records.views.common import (
    CandidateRow,
    audit_search,
    find_candidates,
    member,
    notice_names,
)
from comity.records.views.display import notice_view

_MATCH_ID = "id_match_%s"
_CREATE_ID = "id_create_%s"


def _detail_url(notice: ConvictionNotice) -> str:
    return reverse("records:notice_detail", kwargs={"id": notice.public_id})


def _candidates(user: User, notice: ConvictionNotice, also: str = "") -> list[CandidateRow]:
    person = notice.content.get("person") or {}
    names = notice_names(notice, also)
    nationalities = [str(code) for code in person.get("nationalities") or ()]
    # The recipient's own state first: it is why the notice came to this register.
    own = notice.recipient.state.iso3
    nationality = own if own in nationalities else (nationalities[0] if nationalities else "")
    rows = find_candidates(
        register=notice.recipient,
        names=names,
        birth_date=str(person.get("birth_date") or ""),
        nationality=nationality,
    )
    audit_search(
        user,
        register=notice.recipient,
        context="notice",
        names=names,
        rows=rows,
        notice=str(notice.public_id),
    )
    return rows


def _render_detail(
    request: HttpRequest,
    user: User,
    notice: ConvictionNotice,
    *,
    candidates: list[CandidateRow] | None = None,
    match_form: NoticeMatchForm | None = None,
    create_form: NoticeCreateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_record(
        code=Code.NOTICE_VIEWED,
        actor=user,
        subject_type="conviction_notice",
        subject_id=str(notice.public_id),
    )
    is_recipient = policy.can_view_register(user, notice.recipient)
    can_handle = policy.can_handle_notice(user, notice)
    if candidates is None:
        candidates = []
        if is_recipient and notice.status == NoticeStatus.RECEIVED:
            candidates = _candidates(user, notice)
    if can_handle:
        match_form = match_form or NoticeMatchForm(
            candidates=[row.person for row in candidates], auto_id=_MATCH_ID
        )
        create_form = create_form or NoticeCreateForm(auto_id=_CREATE_ID)
    context: dict[str, Any] = {
        "notice": notice,
        "shown": notice_view(notice.content),
        "is_recipient": is_recipient,
        "can_handle": can_handle,
        "candidates": candidates,
        "match_form": match_form,
        "create_form": create_form,
    }
    return render(request, "records/notice_detail.html", context, status=status)


@require_GET
@login_required
def notice_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    return _render_detail(request, user, access_notice(user=user, id=id))


def _handled(user: User, notice: ConvictionNotice) -> None:
    if not policy.can_handle_notice(user, notice):
        raise PermissionDenied(_("Only the receiving register's officers handle a notice."))


@require_POST
@login_required
def notice_match(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    notice = access_notice(user=user, id=id)
    _handled(user, notice)
    candidates = _candidates(user, notice)
    persons = [row.person for row in candidates]
    form = NoticeMatchForm(request.POST, candidates=persons, auto_id=_MATCH_ID)
    if form.is_valid():
        person = next(p for p in persons if str(p.public_id) == form.cleaned_data["person"])
        try:
            services.notice_match(actor=user, notice=notice, person=person)
        except services.RecordsError as error:
            add_records_errors(form, error)
        else:
            messages.success(
                request,
                _("The conviction was recorded for %(ref)s.") % {"ref": person.ref},
            )
            return redirect(_detail_url(notice))
    return _render_detail(request, user, notice, candidates=candidates, match_form=form, status=400)


@require_POST
@login_required
def notice_create_person(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    notice = access_notice(user=user, id=id)
    _handled(user, notice)
    form = NoticeCreateForm(request.POST, auto_id=_CREATE_ID)
    if form.is_valid():
        try:
            handled = services.notice_create_person(
                actor=user, notice=notice, ref=form.cleaned_data["ref"]
            )
        except services.RecordsError as error:
            add_records_errors(form, error)
        else:
            messages.success(
                request,
                _("%(ref)s was added to your register with the conviction.")
                % {"ref": handled.person.ref if handled.person else ""},
            )
            return redirect(_detail_url(notice))
    return _render_detail(request, user, notice, create_form=form, status=400)
