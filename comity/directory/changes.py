"""Keeping the directory current: an authority's own users propose, a coordinator reviews.

A proposal stores the new values and the values it replaces. Approval applies it in the same
transaction, marks the entry verified today by the reviewer, and refuses when the entry has
changed since the proposal (the proposer must look again). History records name the reviewer
as the user and say who proposed in the change reason.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.directory.models import (
    Authority,
    ChangeStatus,
    ChangeTarget,
    Channel,
    ContactPoint,
    EntryChange,
    FicheMeasure,
    MeasureFiche,
)
from comity.directory.search import authority_search_text, contact_search_text


class ChangeError(ValueError):
    """A proposal or review that cannot be done; str() is a translated message.

    ``field`` names the one field the refusal is about (None: the proposal as a whole), so
    that a form can show it beside that field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


EDITABLE_AUTHORITY_FIELDS: tuple[str, ...] = (
    "name_en",
    "name_ru",
    "name_local",
    "local_language",
    "role",
    "legal_basis",
    "languages",
    "address",
    "phone",
    "email",
    "website",
    "urgent_contact",
    "office_hours",
    "time_zone",
    "channels",
    "accepted_languages",
    "translation_certified",
    "requires_e_signature",
    "requires_encryption",
    "dual_criminality",
    "dual_criminality_note",
    "evidence_use_limits",
    "typical_execution_days",
    "execution_time_note",
    "documents",
)
EDITABLE_CONTACT_FIELDS: tuple[str, ...] = (
    "name",
    "name_latin",
    "name_cyrillic",
    "role",
    "languages",
    "measures",
    "email",
    "phone",
    "available_24_7",
    "is_active",
)
EDITABLE_FICHE_FIELDS: tuple[str, ...] = (
    "availability",
    "conditions",
    "what_to_send",
    "alternative",
    "legal_basis",
)

# Measures a channel, a document list or a contact point may name: the fiche measures and
# the other request measures of the cooperation app, plus MLA in general.
KNOWN_MEASURES: frozenset[str] = frozenset(FicheMeasure.values) | {
    "mla",
    "suspect_interview",
    "documents",
    "identify_locate",
    "expert_evidence",
    "temporary_transfer",
    "arrest",
    "transfer_of_proceedings",
    "transfer_of_sentenced_persons",
    "asset_return",
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# Authority names that contacts' search text repeats.
_NAME_FIELDS = frozenset({"name_en", "name_ru", "name_local"})


# Checking values ----------------------------------------------------------------------


def _as_list(value: Any, field: str) -> list[Any]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            value = _json(text, field)
        else:
            return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
    if not isinstance(value, list):
        raise ChangeError(_("%(field)s must be a list.") % {"field": field})
    return value


def _json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise ChangeError(_("%(field)s is not valid JSON.") % {"field": field}) from error


def _language_codes(value: Any, field: str) -> list[str]:
    codes = [str(code).strip().lower() for code in _as_list(value, field)]
    for code in codes:
        if not _LANGUAGE_CODE.match(code):
            raise ChangeError(
                _("%(field)s: %(code)s is not a two-letter ISO 639-1 language code.")
                % {"field": field, "code": code}
            )
    return list(dict.fromkeys(codes))


def _measures(value: Any, field: str) -> list[str]:
    measures = [str(m).strip() for m in _as_list(value, field)]
    for measure in measures:
        if measure not in KNOWN_MEASURES:
            raise ChangeError(
                _("%(field)s: %(measure)s is not a known measure.")
                % {"field": field, "measure": measure}
            )
    return list(dict.fromkeys(measures))


def _channels(value: Any, field: str) -> list[dict[str, Any]]:
    channels: list[dict[str, Any]] = []
    for item in _as_list(value, field):
        if not isinstance(item, dict) or item.get("channel") not in Channel.values:
            raise ChangeError(
                _("%(field)s: each entry needs a channel, one of %(channels)s.")
                % {"field": field, "channels": ", ".join(Channel.values)}
            )
        if set(item) - {"channel", "measures", "note"}:
            raise ChangeError(
                _("%(field)s: an entry may only have channel, measures and note.")
                % {"field": field}
            )
        note = item.get("note", "")
        if not isinstance(note, str):
            raise ChangeError(_("%(field)s: a note must be text.") % {"field": field})
        channels.append(
            {
                "channel": item["channel"],
                "measures": _measures(item.get("measures", []), field),
                "note": note.strip(),
            }
        )
    return channels


def _documents(value: Any, field: str) -> dict[str, str]:
    if isinstance(value, str):
        value = _json(value, field) if value.strip() else {}
    if not isinstance(value, dict):
        raise ChangeError(_("%(field)s must map measures to text.") % {"field": field})
    documents: dict[str, str] = {}
    for measure, text in value.items():
        _measures([measure], field)
        if not isinstance(text, str):
            raise ChangeError(_("%(field)s must map measures to text.") % {"field": field})
        if text.strip():
            documents[measure] = text.strip()
    return documents


def _emails(value: Any, field: str, *, several: bool) -> str:
    text = str(value or "").strip()
    addresses = [a.strip() for a in re.split(r"[;,\s]+", text) if a.strip()]
    if len(addresses) > 1 and not several:
        raise ChangeError(_("%(field)s: give one e-mail address.") % {"field": field})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as error:
            raise ChangeError(
                _("%(field)s: %(address)s is not a valid e-mail address.")
                % {"field": field, "address": address}
            ) from error
    return "; ".join(addresses)


def _time_zone(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if text and text not in zoneinfo.available_timezones():
        raise ChangeError(
            _("%(field)s: %(zone)s is not a known time zone (e.g. Asia/Bishkek).")
            % {"field": field, "zone": text}
        )
    return text


Checker = Callable[[Any, str], Any]

_SPECIAL: dict[tuple[type[models.Model], str], Checker] = {
    (Authority, "channels"): _channels,
    (Authority, "accepted_languages"): _language_codes,
    (Authority, "documents"): _documents,
    (Authority, "email"): lambda v, f: _emails(v, f, several=True),
    (Authority, "time_zone"): _time_zone,
    (ContactPoint, "languages"): _language_codes,
    (ContactPoint, "measures"): _measures,
    (ContactPoint, "email"): lambda v, f: _emails(v, f, several=False),
}


def _clean_value(model: type[models.Model], name: str, value: Any) -> Any:
    """The value in its stored shape; ChangeError naming the field if it is not valid."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # editable names are all concrete fields
        raise TypeError(name)
    label = str(field.verbose_name)
    try:
        return field.clean(_shaped(model, field, value, label), None)
    except ChangeError as error:
        raise ChangeError(str(error), field=name) from error
    except ValidationError as error:
        raise ChangeError(
            _("%(field)s: %(problem)s") % {"field": label, "problem": " ".join(error.messages)},
            field=name,
        ) from error


def _shaped(
    model: type[models.Model], field: models.Field[Any, Any], value: Any, label: str
) -> Any:
    special = _SPECIAL.get((model, field.name))
    if special is not None:
        value = special(value, label)
    elif isinstance(value, str):
        value = value.strip()
    if isinstance(field, models.BooleanField | models.PositiveIntegerField) and value == "":
        return None if field.null else value
    return value


def _clean(
    model: type[models.Model], editable: tuple[str, ...], values: dict[str, Any]
) -> dict[str, Any]:
    unknown = sorted(set(values) - set(editable))
    if unknown:
        raise ChangeError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0] if len(unknown) == 1 else None,
        )
    return {name: _clean_value(model, name, value) for name, value in values.items()}


# Finding the entry a proposal is about ------------------------------------------------


def editable(target: str) -> tuple[type[models.Model], tuple[str, ...]]:
    """The model a proposal of this kind changes, and the fields it may change."""
    if target == ChangeTarget.AUTHORITY:
        return Authority, EDITABLE_AUTHORITY_FIELDS
    if target == ChangeTarget.CONTACT:
        return ContactPoint, EDITABLE_CONTACT_FIELDS
    if target == ChangeTarget.FICHE:
        return MeasureFiche, EDITABLE_FICHE_FIELDS
    raise ChangeError(_("Unknown kind of entry: %(target)s.") % {"target": target})


def _entry(
    authority: Authority, target: str, target_id: int | None, *, lock: bool = False
) -> models.Model | None:
    """The entry changed (None for a new contact point); ChangeError if it is not there."""
    if target == ChangeTarget.AUTHORITY:
        manager = Authority.objects.select_for_update() if lock else Authority.objects
        return manager.select_related("state").get(pk=authority.pk)
    if target == ChangeTarget.CONTACT:
        if target_id is None:
            return None
        contacts = ContactPoint.objects.select_related("authority__state")
        contact = (contacts.select_for_update() if lock else contacts).filter(
            pk=target_id, authority=authority
        )
        found = contact.first()
        if found is None:
            raise ChangeError(_("This contact point does not exist any more."))
        return found
    if target_id is None:
        raise ChangeError(_("Say which fiche to change."))
    fiches = MeasureFiche.objects.select_for_update() if lock else MeasureFiche.objects
    fiche = fiches.filter(pk=target_id, state_id=authority.state_id).first()
    if fiche is None:
        raise ChangeError(_("This fiche does not exist."))
    return fiche


def _current(entry: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in names}


def _pending(change: EntryChange) -> None:
    if change.status != ChangeStatus.PENDING:
        raise ChangeError(_("This proposal has already been closed."))


def _audit(code: Code, user: User, change: EntryChange, **extra: Any) -> None:
    audit_record(
        code=code,
        actor=user,
        subject_type="directory_change",
        subject_id=str(change.public_id),
        details={
            "authority": change.authority.key,
            "target": change.target,
            "target_id": change.target_id,
            "fields": sorted(change.proposed),
            **extra,
        },
    )


# The services ------------------------------------------------------------------------


def propose(
    user: User,
    authority: Authority,
    target: str,
    values: dict[str, Any],
    *,
    target_id: int | None = None,
    comment: str = "",
) -> EntryChange:
    """Propose new values for an authority's entry, one of its contacts, or a fiche of its
    state. A new contact point has target="contact" and no target_id."""
    if not policy.can_propose_directory_change(user, authority):
        raise PermissionDenied
    model, fields = editable(target)
    cleaned = _clean(model, fields, values)
    with transaction.atomic():
        entry = _entry(authority, target, target_id)
        if entry is None:
            if not cleaned.get("name"):
                raise ChangeError(_("A new contact point needs a name."), field="name")
            proposed, previous = cleaned, {}
        else:
            current = _current(entry, list(cleaned))
            proposed = {k: v for k, v in cleaned.items() if v != current[k]}
            previous = {k: current[k] for k in proposed}
        if not proposed:
            raise ChangeError(_("Nothing changed: the proposed values are the current ones."))
        change = EntryChange.objects.create(
            authority=authority,
            target=target,
            target_id=target_id,
            proposed=proposed,
            previous=previous,
            comment=comment.strip(),
            proposed_by=user,
        )
        _audit(Code.DIRECTORY_CHANGE_PROPOSED, user, change)
    return change


def _locked(change: EntryChange) -> EntryChange:
    return (
        EntryChange.objects.select_for_update()
        .select_related("authority", "proposed_by")
        .get(pk=change.pk)
    )


def _reviewable(user: User, change: EntryChange) -> None:
    if not policy.can_review_directory_changes(user):
        raise PermissionDenied
    _pending(change)
    if change.proposed_by_id == user.pk:
        raise ChangeError(_("A proposal must be reviewed by someone other than its author."))


def _close(change: EntryChange, reviewer: User, status: ChangeStatus, note: str) -> None:
    change.status = status
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.review_note = note.strip()
    change.save()


def _only_field(error: ValidationError) -> str | None:
    """The field a model validation error is about, when it is about exactly one."""
    fields = list(getattr(error, "error_dict", {}))
    return fields[0] if len(fields) == 1 and fields[0] != NON_FIELD_ERRORS else None


def _reason(change: EntryChange, reviewer: User, note: str) -> str:
    reason = _("proposed by %(proposer)s, approved by %(reviewer)s") % {
        "proposer": change.proposed_by.username,
        "reviewer": reviewer.username,
    }
    return f"{reason}: {note}" if note else reason


def _save_with_history(entry: models.Model, reviewer: User, reason: str) -> None:
    entry._history_user = reviewer  # type: ignore[attr-defined]  # read by simple_history
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry.save()


def _apply(change: EntryChange, reviewer: User, reason: str) -> models.Model:
    today = timezone.localdate()
    entry = _entry(change.authority, change.target, change.target_id, lock=True)
    if entry is None:
        entry = ContactPoint(authority=change.authority)
    elif _current(entry, list(change.previous)) != change.previous:
        raise ChangeError(
            _("The entry has changed since this was proposed. Ask for a new proposal.")
        )
    for name, value in change.proposed.items():
        setattr(entry, name, value)
    if isinstance(entry, Authority):
        entry.last_verified = today
        entry.verified_by = reviewer
        # Values the authority itself gave are no longer demo values.
        entry.unsourced_fields = [f for f in entry.unsourced_fields if f not in change.proposed]
        entry.search_text = authority_search_text(entry)
    elif isinstance(entry, ContactPoint):
        entry.last_verified = today
        entry.search_text = contact_search_text(entry)
    elif isinstance(entry, MeasureFiche):
        entry.last_verified = today
    entry.full_clean(exclude=["search_text"])
    _save_with_history(entry, reviewer, reason)
    if isinstance(entry, Authority) and _NAME_FIELDS & set(change.proposed):
        for contact in entry.contacts.all():
            contact.authority = entry
            ContactPoint.objects.filter(pk=contact.pk).update(
                search_text=contact_search_text(contact)
            )
    return entry


def approve(user: User, change: EntryChange, note: str = "") -> EntryChange:
    """Apply a pending proposal; refused for its own author and for a stale proposal."""
    with transaction.atomic():
        change = _locked(change)
        _reviewable(user, change)
        try:
            entry = _apply(change, user, _reason(change, user, note.strip()))
        except ValidationError as error:
            raise ChangeError(" ".join(error.messages), field=_only_field(error)) from error
        if change.target_id is None and isinstance(entry, ContactPoint):
            change.target_id = entry.pk
        _close(change, user, ChangeStatus.APPROVED, note)
        _audit(Code.DIRECTORY_CHANGE_APPROVED, user, change)
    return change


def reject(user: User, change: EntryChange, note: str) -> EntryChange:
    """Close a pending proposal unapplied; the proposer is told why."""
    if not policy.can_review_directory_changes(user):
        raise PermissionDenied
    if not note.strip():
        raise ChangeError(_("Say why the proposal is rejected."))
    with transaction.atomic():
        change = _locked(change)
        _reviewable(user, change)
        _close(change, user, ChangeStatus.REJECTED, note)
        _audit(Code.DIRECTORY_CHANGE_REJECTED, user, change)
    return change


def withdraw(user: User, change: EntryChange) -> EntryChange:
    with transaction.atomic():
        change = _locked(change)
        if change.proposed_by_id != user.pk or not user.is_active:
            raise PermissionDenied
        _pending(change)
        change.status = ChangeStatus.WITHDRAWN
        change.save()
        _audit(Code.DIRECTORY_CHANGE_WITHDRAWN, user, change)
    return change


def confirm_current(user: User, authority: Authority) -> Authority:
    """The authority's own user states that its entry is still correct.

    Fields marked as demo values stay marked: only a reviewed change replaces them.
    """
    if not policy.can_propose_directory_change(user, authority):
        raise PermissionDenied
    with transaction.atomic():
        entry = Authority.objects.select_for_update().get(pk=authority.pk)
        entry.last_verified = timezone.localdate()
        entry.verified_by = user
        _save_with_history(
            entry, user, _("confirmed as current by %(user)s") % {"user": user.username}
        )
        audit_record(
            code=Code.DIRECTORY_ENTRY_CONFIRMED,
            actor=user,
            subject_type="authority",
            subject_id=str(entry.public_id),
            details={"authority": entry.key},
        )
    return entry
