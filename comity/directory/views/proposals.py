"""Keeping the directory current: propose a change, confirm an entry, review proposals.

An authority's own officers and supervisors propose (anyone else who can read the entry
gets 403); a coordinator approves or rejects; the proposer may withdraw while it waits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from comity import policy
from comity.accounts.models import User
from comity.directory import changes
from comity.directory.forms import ProposalForm, ReviewForm, add_change_error
from comity.directory.models import (
    Authority,
    ChangeStatus,
    ChangeTarget,
    ContactPoint,
    EntryChange,
    MeasureFiche,
)
from comity.directory.views import display
from comity.directory.views.common import (
    changes_visible_to,
    directory_reader,
    get_authority,
    get_change,
    get_contact,
)

RECENT_DECISIONS = 20


def _authority_url(authority: Authority, anchor: str = "") -> str:
    url = reverse("directory:authority", kwargs={"key": authority.key})
    return f"{url}#{anchor}" if anchor else url


def _proposer_of(user: User, key: str) -> Authority:
    """The authority, if this user may propose changes to it (403 if only readable)."""
    authority = get_authority(key)
    if not policy.can_propose_directory_change(user, authority):
        raise PermissionDenied(_("Only the authority's own officers can propose changes."))
    return authority


@dataclass(frozen=True)
class Target:
    """What a proposal page changes: a kind of entry (ChangeTarget), the entry (None for a
    new contact point), and the page's title."""

    kind: str
    instance: Model | None
    title: str

    @property
    def target_id(self) -> int | None:
        return self.instance.pk if self.instance is not None else None


def _proposal_page(
    request: HttpRequest, user: User, authority: Authority, target: Target
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    model, fields = changes.editable(target.kind)
    form = ProposalForm(data, model=model, fields=fields, instance=target.instance)
    if data is not None and form.is_valid():
        proposed = form.proposed()
        if not proposed:
            form.add_error(None, _("Nothing changed: the values are the current ones."))
        else:
            try:
                changes.propose(
                    user,
                    authority,
                    target.kind,
                    proposed,
                    target_id=target.target_id,
                    comment=form.cleaned_data.get("comment") or "",
                )
            except changes.ChangeError as exc:
                add_change_error(form, exc)
            else:
                messages.success(
                    request, _("Your proposal was sent to the network's coordinators for review.")
                )
                return redirect(_authority_url(authority, "pending"))
    context = {"authority": authority, "target": target, "form": form}
    return render(
        request, "directory/propose.html", context, status=400 if data is not None else 200
    )


@require_http_methods(["GET", "POST"])
@directory_reader
def propose(request: HttpRequest, user: User, key: str) -> HttpResponse:
    authority = _proposer_of(user, key)
    target = Target(ChangeTarget.AUTHORITY, authority, _("Propose a change to the entry"))
    return _proposal_page(request, user, authority, target)


@require_http_methods(["GET", "POST"])
@directory_reader
def propose_contact_new(request: HttpRequest, user: User, key: str) -> HttpResponse:
    authority = _proposer_of(user, key)
    target = Target(ChangeTarget.CONTACT, None, _("Propose a new contact point"))
    return _proposal_page(request, user, authority, target)


@require_http_methods(["GET", "POST"])
@directory_reader
def propose_contact(request: HttpRequest, user: User, key: str, id: uuid.UUID) -> HttpResponse:
    authority = _proposer_of(user, key)
    contact = get_contact(id, authority=authority)
    title = _("Propose a change to a contact point: %(name)s") % {"name": contact.name}
    target = Target(ChangeTarget.CONTACT, contact, title)
    return _proposal_page(request, user, authority, target)


@require_http_methods(["GET", "POST"])
@directory_reader
def propose_fiche(request: HttpRequest, user: User, key: str, measure: str) -> HttpResponse:
    authority = _proposer_of(user, key)
    fiche = MeasureFiche.objects.filter(state_id=authority.state_id, measure=measure).first()
    if fiche is None:
        raise Http404
    title = _("Propose a change to the fiche: %(measure)s") % {
        "measure": fiche.get_measure_display()
    }
    target = Target(ChangeTarget.FICHE, fiche, title)
    return _proposal_page(request, user, authority, target)


@require_POST
@directory_reader
def confirm(request: HttpRequest, user: User, key: str) -> HttpResponse:
    authority = _proposer_of(user, key)
    changes.confirm_current(user, authority)
    messages.success(request, _("Thank you: the entry is marked as verified today."))
    return redirect(_authority_url(authority))


# --- Review --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    label: str
    before: str
    after: str


@dataclass
class ChangeView:
    """A proposal as the review page shows it: what it is about, and field by field."""

    change: EntryChange
    subject: str
    diffs: list[FieldDiff]
    approve_form: ReviewForm
    reject_form: ReviewForm


def _subjects(rows: list[EntryChange]) -> dict[tuple[str, int], str]:
    """Names of the contact points and fiches the changes are about (two queries at most)."""
    ids: dict[str, set[int]] = {ChangeTarget.CONTACT: set(), ChangeTarget.FICHE: set()}
    for change in rows:
        if change.target in ids and change.target_id is not None:
            ids[change.target].add(change.target_id)
    names: dict[tuple[str, int], str] = {}
    if ids[ChangeTarget.CONTACT]:
        for contact in ContactPoint.objects.filter(pk__in=ids[ChangeTarget.CONTACT]):
            names[(ChangeTarget.CONTACT, contact.pk)] = contact.name
    if ids[ChangeTarget.FICHE]:
        for fiche in MeasureFiche.objects.filter(pk__in=ids[ChangeTarget.FICHE]):
            names[(ChangeTarget.FICHE, fiche.pk)] = str(fiche.get_measure_display())
    return names


def diffs_of(change: EntryChange) -> list[FieldDiff]:
    model = display.MODELS.get(change.target, Authority)
    return [
        FieldDiff(
            label=display.field_label(model, name),
            before=display.value_text(model, name, change.previous.get(name)),
            after=display.value_text(model, name, value),
        )
        for name, value in change.proposed.items()
    ]


def _subject(change: EntryChange, names: dict[tuple[str, int], str]) -> str:
    if change.target == ChangeTarget.AUTHORITY:
        return _("The authority's entry")
    if change.target_id is None:
        return _("A new contact point")
    name = names.get((change.target, change.target_id), "")
    if change.target == ChangeTarget.CONTACT:
        return _("Contact point: %(name)s") % {"name": name}
    return _("Fiche: %(measure)s") % {"measure": name}


def _review_forms(change: EntryChange, failed: ReviewForm | None) -> tuple[ReviewForm, ReviewForm]:
    prefix = f"id_{change.public_id}_%s"
    approve = ReviewForm(auto_id=prefix.replace("%s", "approve_%s"))
    reject = ReviewForm(auto_id=prefix.replace("%s", "reject_%s"), reject=True)
    if failed is not None and failed.change_id == change.pk:
        if failed.reject:
            reject = failed
        else:
            approve = failed
    return approve, reject


def _render_review(
    request: HttpRequest, user: User, failed: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    visible = changes_visible_to(user)
    pending = list(visible.filter(status=ChangeStatus.PENDING).order_by("proposed_at", "id"))
    decided = list(
        visible.exclude(status=ChangeStatus.PENDING).order_by("-reviewed_at", "-id")[
            :RECENT_DECISIONS
        ]
    )
    names = _subjects([*pending, *decided])
    rows = [
        ChangeView(
            change, _subject(change, names), diffs_of(change), *_review_forms(change, failed)
        )
        for change in pending
    ]
    recent = [(change, _subject(change, names)) for change in decided]
    shown = failed is None or any(row.change.pk == failed.change_id for row in rows)
    # A decision on a change no longer waiting (closed meanwhile): say why above the list.
    stray = [] if shown or failed is None else [str(e) for e in failed.non_field_errors()]
    context = {"rows": rows, "recent": recent, "stray_errors": stray}
    return render(request, "directory/review.html", context, status=status)


def _reviewer(user: User) -> None:
    if not policy.can_review_directory_changes(user):
        raise PermissionDenied(_("Only the network's coordinators review directory changes."))


@require_http_methods(["GET"])
@directory_reader
def review(request: HttpRequest, user: User) -> HttpResponse:
    _reviewer(user)
    return _render_review(request, user)


def _decide(request: HttpRequest, user: User, id: uuid.UUID, *, reject: bool) -> HttpResponse:
    _reviewer(user)
    change = get_change(user, id)
    auto_id = f"id_{change.public_id}_{'reject' if reject else 'approve'}_%s"
    form = ReviewForm(request.POST, auto_id=auto_id, reject=reject, change_id=change.pk)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if reject:
                changes.reject(user, change, note)
            else:
                changes.approve(user, change, note)
        except changes.ChangeError as exc:
            form.add_error(None, str(exc))
        else:
            done = _("The change was rejected.") if reject else _("The change was applied.")
            messages.success(request, done)
            return redirect("directory:review")
    return _render_review(request, user, failed=form, status=400)


@require_POST
@directory_reader
def approve(request: HttpRequest, user: User, id: uuid.UUID) -> HttpResponse:
    return _decide(request, user, id, reject=False)


@require_POST
@directory_reader
def reject(request: HttpRequest, user: User, id: uuid.UUID) -> HttpResponse:
    return _decide(request, user, id, reject=True)


@require_POST
@directory_reader
def withdraw(request: HttpRequest, user: User, id: uuid.UUID) -> HttpResponseBase:
    change = get_change(user, id)
    try:
        changes.withdraw(user, change)
    except changes.ChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your proposal was withdrawn."))
    return redirect(_authority_url(change.authority, "pending"))
