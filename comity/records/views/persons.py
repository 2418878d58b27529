"""The register itself: its persons, searching them, entering one by hand, recording a
conviction. Only the keeping authority reaches these pages; every view and search of
persons is audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core.models import IccsCode
from comity.directory.models import State
from comity.records import selectors, services
from comity.records.access import access_person, access_register
from comity.records.dates import PartialDateError, partial_date
from comity.records.forms import (
    ConvictionEntry,
    ConvictionStatusForm,
    PersonForm,
    SearchForm,
    add_records_errors,
)
from comity.records.models import Person, Register
from comity.records.views.common import audit_search, find_candidates, is_htmx, member
from comity.records.views.display import partial_date_text, state_names

PER_PAGE = 50
SEARCH_TOP = 20


def _person_url(person: Person) -> str:
    return reverse("records:person_detail", kwargs={"id": person.public_id})


def _writer(user: User, register: Register) -> None:
    if not policy.can_write_register(user, register):
        raise PermissionDenied(_("Only the register's officers and supervisors change it."))


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """The register's persons by reference, or the candidates for a name with reasons."""
    user = member(request)
    register = access_register(user=user)
    form = SearchForm(request.GET or None)
    results = None
    page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data
        birth = ""
        try:
            birth = partial_date(query["birth_date"])
        except PartialDateError as error:
            form.add_error("birth_date", str(error))
        if not form.errors:
            name = " ".join(query["q"].split())
            results = find_candidates(
                register=register,
                names=[name],
                birth_date=birth,
                nationality=query["nationality"].strip().upper(),
                top=SEARCH_TOP,
            )
            audit_search(user, register=register, context="register", names=[name], rows=results)
    else:
        page = Paginator(selectors.person_list(register=register), PER_PAGE).get_page(
            request.GET.get("page")
        )
    context: dict[str, Any] = {
        "register": register,
        "form": form,
        "results": results,
        "page": page,
        "rows": [(p, partial_date_text(p.birth_date)) for p in page] if page else [],
        "can_write": policy.can_write_register(user, register),
    }
    template = "records/_person_results.html" if is_htmx(request) else "records/person_list.html"
    return render(request, template, context)


@require_GET
@login_required
def person_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    person = access_person(user=user, id=id)
    audit_record(
        code=Code.PERSON_VIEWED,
        actor=user,
        subject_type="person",
        subject_id=str(person.public_id),
        details={"register": person.register.state.iso3, "ref": person.ref},
    )
    convictions = list(
        person.convictions.select_related("convicting_state").prefetch_related(
            "offences__iccs", "penalties"
        )
    )
    context = {
        "person": person,
        "birth_date": partial_date_text(person.birth_date),
        "nationalities": list(state_names(person.nationality_list).items()),
        "other_names": list(person.other_names.all()),
        "documents": list(person.documents.all()),
        "convictions": convictions,
        "can_write": policy.can_write_register(user, person.register),
        "status_form": ConvictionStatusForm(),
    }
    return render(request, "records/person_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    user = member(request)
    register = access_register(user=user)
    _writer(user, register)
    return _person_form(request, user, register, None)


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    person = access_person(user=user, id=id)
    _writer(user, person.register)
    return _person_form(request, user, person.register, person)


def _person_form(
    request: HttpRequest, user: User, register: Register, person: Person | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = PersonForm.initial_for(person) if person is not None else None
    form = PersonForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            saved = services.person_save(
                actor=user,
                register=register,
                data=form.data_for_service(),
                person=person,
            )
        except services.RecordsError as error:
            add_records_errors(form, error)
        else:
            messages.success(request, _("%(ref)s was saved.") % {"ref": saved.ref})
            return redirect(_person_url(saved))
    context = {"register": register, "person": person, "form": form}
    return render(request, "records/person_form.html", context, status=400 if data else 200)


@require_http_methods(["GET", "POST"])
@login_required
def conviction_new(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = member(request)
    person = access_person(user=user, id=id)
    _writer(user, person.register)
    data = request.POST if request.method == "POST" else None
    entry = ConvictionEntry(
        data,
        states=State.objects.exclude(pk=person.register.state_id),
        codes=list(IccsCode.objects.order_by("code")),
    )
    if data is not None and entry.is_valid():
        try:
            services.conviction_record(actor=user, person=person, data=entry.data_for_service())
        except services.RecordsError as error:
            entry.add_errors(error)
        else:
            messages.success(request, _("The conviction was recorded."))
            return redirect(_person_url(person))
    context = {"person": person, "entry": entry}
    return render(request, "records/conviction_form.html", context, status=400 if data else 200)


@require_http_methods(["POST"])
@login_required
def conviction_status(request: HttpRequest, id: uuid.UUID, conviction: uuid.UUID) -> HttpResponse:
    """A conviction of the person becomes spent, rehabilitated, quashed or in force again."""
    user = member(request)
    person = access_person(user=user, id=id)
    _writer(user, person.register)
    target = get_object_or_404(person.convictions, public_id=conviction)
    form = ConvictionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.conviction_status_set(
                actor=user,
                conviction=target,
                status=form.cleaned_data["status"],
                since=form.cleaned_data["status_date"],
            )
        except services.RecordsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The status of the conviction was changed."))
    else:
        messages.error(request, _("Choose a status and a valid date."))
    return redirect(_person_url(person))
