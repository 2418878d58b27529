"""Writing a request: the guided draft form, its autosave and its checks panel.

The form posts to its own page for everything: saving, "add another", showing the parts of
another type (``retype``) and saving as the officer types (``autosave``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.cooperation import checks, services
from comity.cooperation.access import access_request
from comity.cooperation.forms import DraftChoices, DraftForms, check_items
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


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _autosaving(request: HttpRequest) -> bool:
    """The form saves itself (``?autosave=1`` on its own address)."""
    return "1" in (request.GET.get("autosave"), request.POST.get("autosave"))


def _editable_draft(actor: User, id: uuid.UUID | str) -> Request:
    draft = access_request(user=actor, id=id)
    if not policy.can_edit_request(actor, draft):
        raise PermissionDenied
    return draft


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policy.can_create_request(actor) or actor.authority is None:
        raise PermissionDenied
    choices = DraftChoices.load(own_state_id=actor.authority.state_id)
    if request.method == "GET":
        return _render(request, DraftForms.blank(choices=choices))
    if _autosaving(request):
        # A new form saves itself here until its first save moves it to the edit page; a
        # script that did not follow still names the draft it created.
        draft_id = request.POST.get("draft", "").strip()
        draft = _editable_draft(actor, draft_id) if draft_id else None
        return _autosave(request, actor=actor, draft=draft, choices=choices)
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
    draft = _editable_draft(actor, id)
    choices = DraftChoices.load(own_state_id=draft.requesting_authority.state_id)
    if request.method == "GET":
        missing = request.session.pop(_MISSING.format(id=draft.public_id), None)
        forms = DraftForms.for_request(draft, choices=choices)
        return _render(request, forms, draft=draft, missing=missing)
    if _autosaving(request):
        return _autosave(request, actor=actor, draft=draft, choices=choices)
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
    if forms.retype_requested and _htmx(request):
        return _retyped(request, forms.unchecked(), draft=draft)
    if forms.add_section or forms.retype_requested:
        return _render(request, forms.unchecked(), draft=draft)
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


def _retyped(request: HttpRequest, forms: DraftForms, *, draft: Request | None) -> HttpResponse:
    """The parts of the form for the type just chosen. A form not saved yet also gets the
    list an empty request of that type starts from; a draft's list follows its autosave."""
    context = _context(forms, draft)
    if draft is None:
        review = checks.review_unsaved(kind=forms.kind)
        context.update(review=review, missing_items=check_items(review.missing), oob=True)
    return render(request, "cooperation/_draft_type_sections.html", context)


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


def _review(draft: Request | None, forms: DraftForms) -> checks.Review:
    """The checks of the saved draft; for a new form, what an empty request of the chosen
    type lacks."""
    if draft is not None:
        return checks.review(draft)
    return checks.review_unsaved(kind=forms.kind)


def _context(forms: DraftForms, draft: Request | None = None) -> dict[str, Any]:
    return {"forms": forms, "form": forms.form, "draft": draft, "layout": forms.layout()}


def _render(
    request: HttpRequest,
    forms: DraftForms,
    *,
    draft: Request | None = None,
    missing: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    review = _review(draft, forms)
    context = {
        **_context(forms, draft),
        "error_summary": forms.error_summary(),
        "missing_summary": forms.missing_summary(missing or {}),
        "conflict": status == 409,
        "review": review,
        "missing_items": check_items(review.missing),
        "version": draft.version if draft is not None else "",
    }
    return render(request, "cooperation/draft_form.html", context, status=status)


# Autosave.


def _autosave(
    request: HttpRequest, *, actor: User, draft: Request | None, choices: DraftChoices
) -> HttpResponse:
    """Save the form as it stands, complete or not; answer with the time saved, the new
    version and the checks panel. The first save of a new form creates the draft and moves
    the address bar to its edit page."""
    forms = DraftForms.posted(request.POST, choices=choices, editing=draft is not None)
    data = forms.partial_data()
    if draft is None and not (data.given("requested_state") and data.given("title")):
        text = _("Not saved yet: choose the requested state and write a title to start saving.")
        return _autosave_status(request, text, saved=None)
    try:
        saved = _autosave_data(actor, draft, data, _version(request))
    except ValidationError as exc:
        if set(getattr(exc, "error_dict", {})) & {"version", "status"}:
            text = _(
                "Not saved: this draft was changed elsewhere (another tab or a colleague). "
                "Reload the page to see it; what you typed stays in this browser."
            )
            return _autosave_status(request, text, saved=None, status=409)
        text = _("Not saved: %(problem)s") % {"problem": " ".join(exc.messages)}
        return _autosave_status(request, text, saved=None, status=400)
    response = _autosave_status(request, "", saved=saved)
    if draft is None:
        response["HX-Replace-Url"] = reverse("cooperation:edit", kwargs={"id": saved.public_id})
    return response


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _autosave_data(
    actor: User, draft: Request | None, data: RequestData, version: int | None
) -> Request:
    """Save; a field the services refuse (a date in the future...) is left out and the
    rest saved, as the officer is still typing."""
    try:
        return services.request_autosave(
            actor=actor, request=draft, data=data, expected_version=version
        )
    except ValidationError as exc:
        refused = {key.split(".")[0] for key in getattr(exc, "error_dict", {})}
        refused = {"proceedings_nature" if k == "proceedings" else k for k in refused}
        if not refused or refused & {"version", "status", "requested_state", "title"}:
            raise
        assert data.provided is not None  # noqa: S101 (partial data says what it holds)
        data.provided = data.provided - refused
        blank = RequestData()
        for name in refused & set(vars(blank)):
            setattr(data, name, getattr(blank, name))  # a new draft takes every field
        return services.request_autosave(
            actor=actor, request=draft, data=data, expected_version=version
        )


def _autosave_status(
    request: HttpRequest, text: str, *, saved: Request | None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"text": text, "saved": saved}
    if saved is not None:
        review = checks.review(saved)
        context.update(
            review=review,
            missing_items=check_items(review.missing),
            draft=saved,
            version=saved.version,
            saved_at=timezone.localtime(saved.updated_at),
        )
    return render(request, "cooperation/_draft_autosaved.html", context, status=status)
