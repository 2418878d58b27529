"""Writing a request: the draft form, for a new request and for a draft being edited."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.access import access_request
from comity.cooperation.forms import DraftChoices, DraftForms
from comity.cooperation.lifecycle import Action
from comity.cooperation.models import Request
from comity.cooperation.services import RequestData

# Where a refused submission leaves its list of missing items for the edit page.
_MISSING = "cooperation.draft_missing.{id}"


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policy.can_create_request(actor) or actor.authority is None:
        raise PermissionDenied
    choices = DraftChoices.load(own_state_id=actor.authority.state_id)
    if request.method == "GET":
        return _render(request, DraftForms.blank(choices=choices))
    posted = DraftForms.posted(request.POST, choices=choices, editing=False)
    return _save(
        request,
        actor=actor,
        forms=posted,
        save=lambda data: services.request_create_draft(actor=actor, data=data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    draft = access_request(user=actor, id=id)
    if not policy.can_edit_request(actor, draft):
        raise PermissionDenied
    choices = DraftChoices.load(own_state_id=draft.requesting_authority.state_id)
    if request.method == "GET":
        missing = request.session.pop(_MISSING.format(id=draft.public_id), None)
        forms = DraftForms.for_request(draft, choices=choices)
        return _render(request, forms, draft=draft, missing=missing)
    posted = DraftForms.posted(request.POST, choices=choices, editing=True)
    return _save(
        request,
        actor=actor,
        forms=posted,
        draft=draft,
        save=lambda data: services.request_update_draft(
            actor=actor, request=draft, data=data, expected_version=posted.expected_version
        ),
    )


def _save(
    request: HttpRequest,
    *,
    actor: User,
    forms: DraftForms,
    save: Callable[[RequestData], Request],
    draft: Request | None = None,
) -> HttpResponse:
    if forms.add_section:
        return _render(request, forms.with_more_rows(), draft=draft)
    if not forms.is_valid():
        return _render(request, forms, draft=draft, status=400)
    try:
        saved = save(forms.to_data())
    except ValidationError as exc:
        forms.attach(exc)
        conflict = "version" in getattr(exc, "error_dict", {})
        return _render(request, forms, draft=draft, status=409 if conflict else 400)
    if forms.submit_requested:
        return _submit(request, actor=actor, draft=saved)
    messages.success(request, _("Draft saved."))
    return redirect("cooperation:detail", id=saved.public_id)


def _submit(request: HttpRequest, *, actor: User, draft: Request) -> HttpResponse:
    """Submit the draft just saved; when contents are missing it stays a draft and the
    edit page lists what to complete."""
    try:
        services.request_transition(actor=actor, request=draft, action=Action.SUBMIT)
    except ValidationError as exc:
        request.session[_MISSING.format(id=draft.public_id)] = exc.message_dict
        messages.warning(
            request, _("Draft saved, but not submitted: complete the items listed below.")
        )
        return redirect("cooperation:edit", id=draft.public_id)
    messages.success(request, _("Request submitted to the requested central authority."))
    return redirect("cooperation:detail", id=draft.public_id)


def _render(
    request: HttpRequest,
    forms: DraftForms,
    *,
    draft: Request | None = None,
    missing: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "forms": forms,
        "form": forms.form,
        "draft": draft,
        "error_summary": forms.error_summary(),
        "missing_summary": forms.missing_summary(missing or {}),
        "conflict": status == 409,
    }
    return render(request, "cooperation/draft_form.html", context, status=status)
