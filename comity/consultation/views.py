"""The consultation pages: the list, sharing a draft, the shared draft with its comments."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comity import policy
from comity.accounts.models import User
from comity.consultation import selectors, services, snapshot
from comity.consultation.access import access_consultation
from comity.consultation.forms import CommentForm, OpenForm, ShareForm, add_service_errors
from comity.consultation.models import Consultation, ConsultationComment, ConsultationRevision
from comity.cooperation.access import access_request
from comity.cooperation.lifecycle import Party

PER_PAGE = 50
_COMMENT_ID = "id_comment_%s"
_SHARE_ID = "id_share_%s"


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _detail_url(consultation: Consultation, anchor: str = "") -> str:
    url = reverse("consultation:detail", kwargs={"id": consultation.public_id})
    return f"{url}#{anchor}" if anchor else url


@require_GET
@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    page = Paginator(selectors.consultation_list(user=user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(c, policy.consultation_side(user, c) == Party.REQUESTING) for c in page.object_list]
    return render(request, "consultation/list.html", {"page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def consultation_new(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Share a draft: GET shows the form, POST shares it (or goes to the open consultation)."""
    user = _member(request)
    req = access_request(user=user, id=request_id)
    if not policy.can_open_consultation(user, req):
        raise PermissionDenied(_("Only an officer of the requesting authority can share a draft."))
    existing = selectors.open_consultation_of(request_id=req.pk)
    if existing is not None and request.method == "POST":
        messages.info(request, _("This draft is already shared. You can share it again here."))
        return redirect(_detail_url(existing))
    contacts = selectors.contact_points_for(authority_id=req.requested_authority_id)
    data = request.POST if request.method == "POST" else None
    form = OpenForm(data, contacts=contacts, auto_id="id_open_%s")
    if data is not None and form.is_valid():
        contact = form.cleaned_data["contact_point"]
        try:
            opened = services.consultation_open(
                actor=user,
                request=req,
                contact_point=uuid.UUID(contact) if contact else None,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was shared with the requested authority."))
            return redirect(_detail_url(opened))
    context = {"req": req, "form": form, "existing": existing, "contacts": contacts}
    status = 400 if data is not None else 200
    return render(request, "consultation/new.html", context, status=status)


@dataclass
class Thread:
    """The comments and the form under them."""

    consultation: Consultation
    comments: list[ConsultationComment]
    form: CommentForm
    can_comment: bool


def _thread(
    user: User,
    consultation: Consultation,
    current: ConsultationRevision,
    form: CommentForm | None = None,
) -> Thread:
    if form is None:
        form = CommentForm(parts=snapshot.filled_part_names(current.snapshot), auto_id=_COMMENT_ID)
    return Thread(
        consultation=consultation,
        comments=list(selectors.comment_list(consultation=consultation)),
        form=form,
        can_comment=policy.can_comment_on_consultation(user, consultation),
    )


def _shown(revisions: list[ConsultationRevision], wanted: str | None) -> ConsultationRevision:
    """The revision asked for in ``?revision=N``, or the latest one."""
    by_number = {r.number: r for r in revisions}
    if wanted and wanted.isdigit() and int(wanted) in by_number:
        return by_number[int(wanted)]
    return revisions[-1]


def _render_detail(
    request: HttpRequest,
    user: User,
    consultation: Consultation,
    *,
    comment_form: CommentForm | None = None,
    share_form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    revisions = selectors.revision_list(consultation=consultation)
    shown = _shown(revisions, request.GET.get("revision"))
    services.consultation_record_view(reader=user, consultation=consultation, revision=shown.number)
    thread = _thread(user, consultation, revisions[-1], comment_form)
    previous = next((r for r in revisions if r.number == shown.number - 1), None)
    counts = Counter(c.field for c in thread.comments if c.revision == shown.number)
    parts = snapshot.parts(
        shown.snapshot,
        previous=previous.snapshot if previous else None,
        comment_counts=dict(counts),
    )
    context: dict[str, Any] = {
        "consultation": consultation,
        "req": consultation.request,
        "is_requesting_side": policy.consultation_side(user, consultation) == Party.REQUESTING,
        "is_open": policy.consultation_is_open(consultation),
        "can_manage": policy.can_manage_consultation(user, consultation),
        "revisions": revisions,
        "shown": shown,
        "parts": parts,
        # Emptied since the previous revision: worth saying; never filled: not.
        "cleared_parts": [p for p in parts if p.is_empty and p.changed],
        "thread": thread,
        "share_form": share_form or ShareForm(auto_id=_SHARE_ID),
    }
    return render(request, "consultation/detail.html", context, status=status)


@require_GET
@login_required
def consultation_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    return _render_detail(request, user, access_consultation(user=user, id=id))


def _render_thread(
    request: HttpRequest,
    user: User,
    consultation: Consultation,
    form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    current = consultation.revisions.get(number=consultation.revision)
    services.consultation_record_view(
        reader=user, consultation=consultation, revision=current.number
    )
    context = {"thread": _thread(user, consultation, current, form)}
    return render(request, "consultation/_comments.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def consultation_comments(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    """GET: the thread (for htmx refresh). POST: add a comment."""
    user = _member(request)
    consultation = access_consultation(user=user, id=id)
    if request.method == "GET":
        return _render_thread(request, user, consultation)
    if not policy.may_comment_on_consultation(user, consultation):
        raise PermissionDenied(_("You cannot comment on this consultation."))
    current = consultation.revisions.get(number=consultation.revision)
    parts = snapshot.filled_part_names(current.snapshot)
    form = CommentForm(request.POST, parts=parts, auto_id=_COMMENT_ID)
    if form.is_valid():
        try:
            services.consultation_comment(
                actor=user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _is_htmx(request):
                return _render_thread(request, user, consultation)
            messages.success(request, _("Your comment was added."))
            return redirect(_detail_url(consultation, "comments"))
    if _is_htmx(request):
        return _render_thread(request, user, consultation, form, status=400)
    return _render_detail(request, user, consultation, comment_form=form, status=400)


@require_POST
@login_required
def consultation_share(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    """Share the draft again as it is now: a new revision."""
    user = _member(request)
    consultation = access_consultation(user=user, id=id)
    if not policy.may_manage_consultation(user, consultation):
        raise PermissionDenied(_("Only the requesting authority's officers can share again."))
    form = ShareForm(request.POST, auto_id=_SHARE_ID)
    if form.is_valid():
        try:
            revision = services.consultation_share_again(
                actor=user, consultation=consultation, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Revision %(number)s was shared.") % {"number": revision.number},
            )
            return redirect(_detail_url(consultation))
    return _render_detail(request, user, consultation, share_form=form, status=400)


@require_POST
@login_required
def consultation_close(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    consultation = access_consultation(user=user, id=id)
    try:
        services.consultation_close(actor=user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consultation was closed."))
    return redirect(_detail_url(consultation))
