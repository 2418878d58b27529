"""Extract requests: asking another state's register, and answering one as its keeper.

The keeper reads the register's candidates with the reasons for each, confirms one of them
(saying how) or answers that there is no record. The requesting side reads the answer in its
own language and never the candidates.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.directory.models import State
from comity.records import selectors, services
from comity.records.access import access_extract
from comity.records.forms import NO_RECORD, AnswerForm, ExtractForm, add_records_errors
from comity.records.models import ExtractDeadline, ExtractRequest, ExtractStatus
from comity.records.views.common import (
    CandidateRow,
    audit_search,
    extract_names,
    find_candidates,
    member,
    split_names,
)
from comity.records.views.display import extract_view, partial_date_text, state_names

_ANSWER_ID = "id_answer_%s"


def _detail_url(extract: ExtractRequest) -> str:
    return reverse("records:extract_detail", kwargs={"id": extract.public_id})


def _register_states(user: User) -> list[State]:
    """States with a register on this node, the user's own excepted."""
    states = State.objects.filter(register__isnull=False)
    if user.authority is not None:
        states = states.exclude(pk=user.authority.state_id)
    return list(states)


@dataclass(frozen=True)
class DeadlineRule:
    criminal: int
    other: int
    agreements: list[ExtractDeadline]


def _deadline_rule(user: User) -> DeadlineRule:
    """The default working days, and the agreements of the user's state that fix others."""
    agreements = (
        list(
            ExtractDeadline.objects.filter(requesting_state_id=user.authority.state_id)
            .select_related("requested_state")
            .order_by("requested_state__iso3")
        )
        if user.authority is not None
        else []
    )
    return DeadlineRule(
        criminal=int(getattr(settings, "COMITY_RECORDS_DAYS_CRIMINAL", 10)),
        other=int(getattr(settings, "COMITY_RECORDS_DAYS_OTHER", 20)),
        agreements=agreements,
    )


@require_http_methods(["GET", "POST"])
@login_required
def extract_new(request: HttpRequest) -> HttpResponse:
    user = member(request)
    if not policy.can_request_extract(user):
        raise PermissionDenied(_("Only officers and supervisors can request extracts."))
    data = request.POST if request.method == "POST" else None
    form = ExtractForm(data, registers=_register_states(user))
    if data is not None and form.is_valid():
        try:
            extract = services.extract_request(actor=user, data=form.data_for_service())
        except services.RecordsError as error:
            add_records_errors(form, error)
        else:
            messages.success(
                request,
                _("Extract request %(reference)s was sent. It is due on the date shown.")
                % {"reference": extract.reference},
            )
            return redirect(_detail_url(extract))
    context = {"form": form, "rule": _deadline_rule(user)}
    return render(request, "records/extract_new.html", context, status=400 if data else 200)


def _candidates(user: User, extract: ExtractRequest, also: str) -> list[CandidateRow]:
    names = extract_names(extract, also)
    rows = find_candidates(
        register=extract.register,
        names=names,
        birth_date=extract.subject_birth_date,
        nationality=extract.subject_nationality,
    )
    audit_search(
        user,
        register=extract.register,
        context="extract",
        names=names,
        rows=rows,
        reference=extract.reference,
    )
    return rows


def _render_detail(
    request: HttpRequest,
    user: User,
    extract: ExtractRequest,
    *,
    also: str = "",
    candidates: list[CandidateRow] | None = None,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_record(
        code=Code.EXTRACT_VIEWED,
        actor=user,
        subject_type="extract_request",
        subject_id=str(extract.public_id),
        details={"reference": extract.reference},
    )
    is_keeper = policy.can_view_register(user, extract.register)
    can_answer = policy.can_answer_extract(user, extract)
    if candidates is None:
        candidates = []
        if is_keeper and extract.status == ExtractStatus.SUBMITTED:
            candidates = _candidates(user, extract, also)
    if can_answer and answer_form is None:
        answer_form = AnswerForm(
            candidates=[row.person for row in candidates],
            initial={"also": also},
            auto_id=_ANSWER_ID,
        )
    context: dict[str, Any] = {
        "extract": extract,
        "is_keeper": is_keeper,
        "is_requesting": user.authority_id == extract.requesting_authority_id,
        "subject_birth_date": partial_date_text(extract.subject_birth_date),
        "subject_nationality": (
            state_names([extract.subject_nationality])[extract.subject_nationality]
            if extract.subject_nationality
            else ""
        ),
        "other_names": split_names(extract.subject_other_names),
        "overdue": selectors.extract_is_overdue(extract),
        "candidates": candidates,
        "also": also,
        "can_answer": can_answer,
        "answer_form": answer_form,
        "can_withdraw": policy.can_withdraw_extract(user, extract),
        "answer": (
            extract_view(extract.extract) if extract.status == ExtractStatus.ANSWERED else None
        ),
    }
    return render(request, "records/extract_detail.html", context, status=status)


def _also(value: str) -> str:
    """Another spelling the keeper searches the register for, besides those sent."""
    return " ".join(value.split())[:255]


@require_GET
@login_required
def extract_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    extract = access_extract(user=user, id=id)
    return _render_detail(request, user, extract, also=_also(request.GET.get("also", "")))


@require_POST
@login_required
def extract_answer(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    extract = access_extract(user=user, id=id)
    if not policy.can_answer_extract(user, extract):
        raise PermissionDenied(_("Only the register's officers answer, while it awaits one."))
    also = _also(request.POST.get("also", ""))
    candidates = _candidates(user, extract, also)
    persons = [row.person for row in candidates]
    form = AnswerForm(request.POST, candidates=persons, auto_id=_ANSWER_ID)
    if form.is_valid():
        chosen = form.cleaned_data["person"]
        person = next((p for p in persons if str(p.public_id) == chosen), None)
        try:
            services.extract_answer(
                actor=user,
                extract=extract,
                person=None if chosen == NO_RECORD else person,
                identity_note=form.cleaned_data["identity_note"],
            )
        except services.RecordsError as error:
            add_records_errors(form, error)
        else:
            messages.success(request, _("The answer was sent to the requesting authority."))
            return redirect(_detail_url(extract))
    return _render_detail(
        request,
        user,
        extract,
        also=also,
        candidates=candidates,
        answer_form=form,
        status=400,
    )


@require_POST
@login_required
def extract_withdraw(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    extract = access_extract(user=user, id=id)
    if not policy.can_withdraw_extract(user, extract):
        raise PermissionDenied(_("Only the requesting authority withdraws, before the answer."))
    try:
        services.extract_withdraw(actor=user, extract=extract)
    except services.RecordsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The extract request was withdrawn."))
    return redirect(_detail_url(extract))
