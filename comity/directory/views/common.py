"""What every directory page shares: who may read it, and fetching its records.

Every page needs ``policy.can_view_directory``; a signed-in user without it gets 403 (the
whole directory is closed to that role), an anonymous visitor the sign-in page. A key, id
or code that names nothing answers 404.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.directory.models import Authority, ContactPoint, EntryChange, State

View = Callable[..., HttpResponseBase]


def directory_reader(view: View) -> View:
    """Sign-in required, then ``can_view_directory``; the view gets the user as well."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or not policy.can_view_directory(user):
            raise PermissionDenied(_("The directory is open to the network's members only."))
        return view(request, user, *args, **kwargs)

    return wrapped


def authorities() -> QuerySet[Authority]:
    return Authority.objects.select_related("state")


def get_authority(key: str) -> Authority:
    authority = authorities().select_related("verified_by").filter(key=key).first()
    if authority is None:
        raise Http404
    return authority


def read_contacts_of(user: User, authority: Authority, **details: Any) -> list[ContactPoint]:
    """The authority's contact points in service, by name; showing any is audited."""
    contacts = list(
        ContactPoint.objects.filter(authority=authority, is_active=True)
        .select_related("authority__state")
        .order_by("name")
    )
    if contacts:
        audit_contacts_read(
            user,
            subject_type="authority",
            subject_id=str(authority.public_id),
            details={**details, "contacts": len(contacts)},
        )
    return contacts


def audit_contacts_read(
    user: User, *, subject_type: str, subject_id: str = "", details: dict[str, Any]
) -> None:
    """Contact points are people's work details: every page or result set that shows some
    leaves a trace of who read how many, and where (never the contacts' own data)."""
    audit_record(
        code=Code.DIRECTORY_CONTACT_VIEWED,
        actor=user,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )


def get_state(iso3: str) -> State:
    state = State.objects.filter(iso3=iso3.upper()).first()
    if state is None:
        raise Http404
    return state


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def get_contact(public_id: uuid.UUID | str, authority: Authority | None = None) -> ContactPoint:
    contacts = ContactPoint.objects.select_related("authority__state")
    if authority is not None:
        contacts = contacts.filter(authority=authority)
    contact = contacts.filter(public_id=_uuid(public_id)).first()
    if contact is None:
        raise Http404
    return contact


def changes_visible_to(user: User) -> QuerySet[EntryChange]:
    """Proposed changes: a coordinator sees all, an authority's users those of their own."""
    changes = EntryChange.objects.select_related("authority__state", "proposed_by", "reviewed_by")
    if policy.can_review_directory_changes(user):
        return changes
    if user.authority_id is None:
        return changes.none()
    return changes.filter(authority_id=user.authority_id)


def get_change(user: User, public_id: uuid.UUID | str) -> EntryChange:
    change = changes_visible_to(user).filter(public_id=_uuid(public_id)).first()
    if change is None:
        raise Http404
    return change


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark a download with a safe ASCII file name (letters, digits, dot, dash)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe.strip("-") or "download"}"'
    response["Cache-Control"] = "private, no-store"
    return response


Context = dict[str, Any]
