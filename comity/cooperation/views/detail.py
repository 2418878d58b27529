"""The request detail page: contents, deadlines, timeline, actions, messages, attachments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.cooperation import selectors, services
from comity.cooperation.access import access_attachment, access_request
from comity.cooperation.downloads import attachment_response
from comity.cooperation.forms_detail import (
    AttachmentForm,
    MessageForm,
    TransitionForm,
    add_service_errors,
)
from comity.cooperation.lifecycle import BY_ACTION, Transition
from comity.cooperation.models import (
    Attachment,
    Message,
    MessageReceipt,
    Offence,
    Person,
    Request,
    TimelineEvent,
)
from comity.directory.models import Authority

_MAX_INDENT = 3
_MESSAGE_ID = "id_message_%s"


@dataclass
class ThreadItem:
    """A message in thread order, with the receipts of readers on the other side."""

    message: Message
    depth: int
    readers: list[MessageReceipt]
    form: MessageForm | None = None  # a reply that failed, shown again with its errors

    @property
    def indent_class(self) -> str:
        return ("", "ms-4 ps-3 border-start", "ms-5 ps-3 border-start")[
            min(self.depth, _MAX_INDENT - 1)
        ]


@dataclass
class ActionPanel:
    transition: Transition
    form: TransitionForm

    @property
    def is_direct(self) -> bool:
        """One click suffices: nothing to fill in and nothing to confirm."""
        t = self.transition
        return (
            not (t.needs_reason or t.needs_ground or t.needs_executing_authority or t.confirm)
            and not self.form.errors
        )


@dataclass
class Forms:
    """Forms to show again with their errors, keyed by the part of the page they belong to."""

    transition: TransitionForm | None = None
    message: MessageForm | None = None
    attachment: AttachmentForm | None = None


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _detail_url(req: Request, anchor: str = "") -> str:
    url = reverse("cooperation:detail", kwargs={"id": req.public_id})
    return f"{url}#{anchor}" if anchor else url


def _messages_prefetch() -> Prefetch[str, QuerySet[Message], str]:
    receipts = MessageReceipt.objects.select_related("user__authority").order_by("read_at", "id")
    return Prefetch(
        "messages",
        queryset=Message.objects.select_related("author", "author_authority").prefetch_related(
            Prefetch("receipts", queryset=receipts)
        ),
    )


def _load_contents(req: Request) -> None:
    """Everything the page shows, in a fixed number of queries whatever the counts."""
    prefetch_related_objects(
        [req],
        Prefetch("offences", queryset=Offence.objects.select_related("iccs")),
        "assistance_sought",
        Prefetch("persons", queryset=Person.objects.select_related("nationality")),
        Prefetch(
            "events",
            queryset=TimelineEvent.objects.select_related("actor", "actor_authority"),
        ),
        _messages_prefetch(),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("uploaded_by", "uploader_authority"),
        ),
    )


def _side(req: Request, authority_id: int | None) -> str:
    return "requesting" if authority_id == req.requesting_authority_id else "requested"


def _thread(req: Request, failed: MessageForm | None = None) -> list[ThreadItem]:
    """Messages in thread order: each followed by its replies, oldest first."""
    all_messages = list(req.messages.all())
    children: dict[int | None, list[Message]] = {}
    for message in all_messages:
        children.setdefault(message.parent_id, []).append(message)
    failed_parent = failed.data.get("parent", "") if failed is not None else ""
    items: list[ThreadItem] = []
    stack = [(m, 0) for m in reversed(children.get(None, []))]
    while stack:
        message, depth = stack.pop()
        author_side = _side(req, message.author_authority_id)
        readers = [
            r for r in message.receipts.all() if _side(req, r.user.authority_id) != author_side
        ]
        is_failed_reply = bool(failed_parent) and failed_parent == str(message.public_id)
        items.append(ThreadItem(message, depth, readers, failed if is_failed_reply else None))
        stack.extend((reply, depth + 1) for reply in reversed(children.get(message.pk, [])))
    return items


def _executing_authorities(req: Request) -> list[Authority]:
    """The authorities that may be assigned to execute: those of the requested state."""
    return list(Authority.objects.filter(state_id=req.requested_state_id))


def _action_panels(user: User, req: Request, failed: TransitionForm | None) -> list[ActionPanel]:
    transitions = policy.allowed_transitions(user, req)
    needed = any(t.needs_executing_authority for t in transitions)
    authorities = _executing_authorities(req) if needed else []
    panels = []
    for transition in transitions:
        if failed is not None and failed.data.get("action") == transition.action:
            form = failed
        else:
            form = TransitionForm(
                initial={"action": transition.action},
                transition=transition,
                authorities=authorities,
                auto_id=f"id_{transition.action}_%s",
            )
        panels.append(ActionPanel(transition, form))
    return panels


def _error_texts(form: Any) -> list[str]:
    return [str(text) for errors in form.errors.values() for text in errors]


def _messages_context(user: User, req: Request, form: MessageForm | None) -> dict[str, Any]:
    """A failed reply is shown again under the message it answers; a failed new message
    in the form at the foot of the thread."""
    failed_reply = form if form is not None and form.data.get("parent") else None
    thread = _thread(req, failed_reply)
    placed = any(item.form is not None for item in thread)
    return {
        "req": req,
        "thread": thread,
        "can_post": policy.can_post_message(user, req),
        "message_form": (
            form if form is not None and failed_reply is None else MessageForm(auto_id=_MESSAGE_ID)
        ),
        "message_errors": _error_texts(failed_reply) if failed_reply and not placed else [],
    }


def _render_detail(
    request: HttpRequest, user: User, req: Request, forms: Forms, status: int = 200
) -> HttpResponse:
    services.request_record_view(reader=user, request=req)
    services.messages_mark_read(reader=user, request=req)
    _load_contents(req)
    panels = _action_panels(user, req, forms.transition)
    shown = {p.transition.action for p in panels}
    stray = forms.transition
    context = {
        **_messages_context(user, req, forms.message),
        "overdue": selectors.is_overdue(req),
        "action_panels": panels,
        # An action refused on a page that no longer offers it (e.g. the status changed).
        "stray_action_form": stray if stray and stray.data.get("action") not in shown else None,
        "can_upload": policy.can_upload_attachment(user, req),
        "attachment_form": forms.attachment or AttachmentForm(auto_id="id_attachment_%s"),
    }
    return render(request, "cooperation/detail.html", context, status=status)


def _render_messages(
    request: HttpRequest,
    user: User,
    req: Request,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.request_record_view(reader=user, request=req, what=Code.MESSAGES_VIEWED)
    services.messages_mark_read(reader=user, request=req)
    prefetch_related_objects([req], _messages_prefetch())
    context = _messages_context(user, req, form)
    return render(request, "cooperation/_messages.html", context, status=status)


@require_GET
@login_required
def request_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    req = access_request(user=user, id=id)
    return _render_detail(request, user, req, Forms())


def _transition_form(request: HttpRequest, req: Request) -> TransitionForm:
    transition = BY_ACTION.get(request.POST.get("action", ""))
    needed = transition is not None and transition.needs_executing_authority
    authorities = _executing_authorities(req) if needed else []
    prefix = transition.action if transition is not None else "unknown"
    return TransitionForm(
        request.POST,
        transition=transition,
        authorities=authorities,
        auto_id=f"id_{prefix}_%s",
    )


@require_POST
@login_required
def request_transition(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    req = access_request(user=user, id=id)
    form = _transition_form(request, req)
    transition = form.transition
    if transition is not None and not policy.may_fire(user, req, transition):
        raise PermissionDenied(
            _("You cannot “%(action)s” this request.") % {"action": transition.label}
        )
    if form.is_valid():
        try:
            req = services.request_transition(actor=user, request=req, **form.arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": form.action_label})
            return redirect(_detail_url(req))
    return _render_detail(request, user, req, Forms(transition=form), status=400)


@require_http_methods(["GET", "POST"])
@login_required
def request_messages(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    req = access_request(user=user, id=id)
    if request.method == "GET":
        return _render_messages(request, user, req)
    form = MessageForm(request.POST, auto_id=_MESSAGE_ID)
    if form.is_valid():
        try:
            services.message_post(
                actor=user,
                request=req,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _is_htmx(request):
                return _render_messages(request, user, req)
            messages.success(request, _("Your message was sent."))
            return redirect(_detail_url(req, "messages"))
    elif not policy.can_post_message(user, req):
        raise PermissionDenied(_("You cannot write on this request."))
    if _is_htmx(request):
        return _render_messages(request, user, req, form, status=400)
    return _render_detail(request, user, req, Forms(message=form), status=400)


@require_POST
@login_required
def attachment_upload(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = _member(request)
    req = access_request(user=user, id=id)
    form = AttachmentForm(request.POST, request.FILES, auto_id="id_attachment_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_upload(
                actor=user,
                request=req,
                chunks=upload.chunks(),
                filename=upload.name or "",
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The file was added."))
            return redirect(_detail_url(req, "attachments"))
    elif not policy.can_upload_attachment(user, req):
        raise PermissionDenied(_("You cannot add files to this request."))
    return _render_detail(request, user, req, Forms(attachment=form), status=400)


@require_GET
@login_required
def attachment_download(
    request: HttpRequest,
    id: uuid.UUID,
    attachment_id: uuid.UUID,
) -> HttpResponseBase:
    user = _member(request)
    attachment = access_attachment(user=user, request_id=id, id=attachment_id)
    return attachment_response(reader=user, attachment=attachment)
