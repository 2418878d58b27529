"""Every change to cases and requests goes through here (docs/ARCHITECTURE.md).

Each service runs in one transaction, writes its timeline and audit events, and queues
its outbound envelope in the same transaction, so a rollback leaves no trace.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation import checks, deadlines, files
from comity.cooperation.lifecycle import BY_ACTION, Action, RefusalGround, Status, Transition
from comity.cooperation.models import (
    AssistanceMeasure,
    Attachment,
    Case,
    EventKind,
    ExtraditionBasis,
    Measure,
    Message,
    MessageReceipt,
    Offence,
    Person,
    PersonRole,
    ProceedingsNature,
    Property,
    PropertyKind,
    RecordPurpose,
    ReferenceCounter,
    Request,
    RequestType,
    TimelineEvent,
    Urgency,
)
from comity.core.models import IccsCode
from comity.core.text import fold
from comity.directory.models import Authority, State
from comity.exchange.models import MessageType
from comity.exchange.services import outbox_enqueue
from comity.stats import facts
from comity.treaties.models import Instrument


@dataclass
class OffenceData:
    iccs: str
    provision: str
    description: str = ""


@dataclass
class MeasureData:
    measure: str
    details: str = ""


@dataclass
class PersonData:
    role: str
    name: str
    birth_date: date | None = None
    nationality: str | None = None
    details: str = ""


@dataclass
class PropertyData:
    kind: str
    description: str = ""
    location: str = ""
    identifier: str = ""
    estimated_value: Decimal | None = None
    currency: str = ""
    offence_link: str = ""
    order_reference: str = ""
    order_date: date | None = None
    order_authority: str = ""


@dataclass
class RequestData:
    """The contents of a request as the requesting side writes them.

    For an update, only the names in ``provided`` are changed.
    """

    type: str = RequestType.MLA
    requested_state: str = ""
    requested_authority: uuid.UUID | None = None
    title: str = ""
    urgency: str = Urgency.NORMAL
    urgency_reason: str = ""
    proceedings_nature: str = ProceedingsNature.INVESTIGATION
    proceedings_reference: str = ""
    conducting_authority: str = ""
    summary_of_facts: str = ""
    purpose: str = ""
    particular_procedure: str = ""
    confidentiality: str = ""
    legal_basis: str = ""
    legal_basis_codes: list[str] = field(default_factory=list)  # treaties.Instrument codes
    time_limit: date | None = None
    questions_for_witnesses: str = ""
    bank_details: str = ""
    extradition_basis: str = ""
    warrant_reference: str = ""
    warrant_date: date | None = None
    warrant_authority: str = ""
    judgment_reference: str = ""
    judgment_date: date | None = None
    judgment_court: str = ""
    in_absentia: bool | None = None
    retrial_assurance: str = ""
    max_penalty: str = ""
    max_penalty_years: Decimal | None = None
    sentence_imposed: str = ""
    sentence_imposed_months: Decimal | None = None
    sentence_remaining: str = ""
    death_penalty_possible: bool | None = None
    fiscal_offence_only: bool | None = None
    intention_to_request_extradition: bool | None = None
    arrest_date: date | None = None
    formal_request_by: date | None = None
    record_purpose: str = ""
    offences: list[OffenceData] = field(default_factory=list)
    assistance_sought: list[MeasureData] = field(default_factory=list)
    persons: list[PersonData] = field(default_factory=list)
    properties: list[PropertyData] = field(default_factory=list)
    case: uuid.UUID | None = None
    case_reference: str = ""
    provided: frozenset[str] | None = None  # None: every field was given

    def given(self, name: str) -> bool:
        return self.provided is None or name in self.provided


# The request's own fields that the requesting side writes as they are.
REQUEST_SCALARS = (
    "title",
    "urgency",
    "urgency_reason",
    "proceedings_nature",
    "proceedings_reference",
    "conducting_authority",
    "summary_of_facts",
    "purpose",
    "particular_procedure",
    "confidentiality",
    "legal_basis",
    "legal_basis_codes",
    "time_limit",
    *(
        # The guided form's fields per type (docs/checks.md).
        "questions_for_witnesses",
        "bank_details",
        "extradition_basis",
        "warrant_reference",
        "warrant_date",
        "warrant_authority",
        "judgment_reference",
        "judgment_date",
        "judgment_court",
        "in_absentia",
        "retrial_assurance",
        "max_penalty",
        "max_penalty_years",
        "sentence_imposed",
        "sentence_imposed_months",
        "sentence_remaining",
        "death_penalty_possible",
        "fiscal_offence_only",
        "intention_to_request_extradition",
        "arrest_date",
        "formal_request_by",
        "record_purpose",
    ),
)
# The request's lists, each replaced whole when given.
REQUEST_LISTS = ("offences", "assistance_sought", "persons", "properties")
MAX_LEGAL_BASIS_CODES = 20
# Dates of past events (a warrant, a judgment, an arrest) cannot lie in the future.
PAST_DATES = ("warrant_date", "judgment_date", "arrest_date")
LIMITS = {"max_penalty_years": Decimal(999), "sentence_imposed_months": Decimal(9999)}
# A draft saved before its references were typed is filed in a case named like this.
AUTO_CASE_PREFIX = "CASE-"
# Autosaves of one officer within this time make one "edited" entry on the timeline.
AUTOSAVE_TIMELINE_GAP = timedelta(minutes=30)


def _require_actor(actor: User) -> Authority:
    if actor.authority is None:
        raise PermissionDenied(_("Your account is not attached to an authority."))
    return actor.authority


def _choice(value: str, choices: Any, field_name: str, errors: dict[str, list[str]]) -> None:
    if value not in choices.values:
        errors.setdefault(field_name, []).append(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(choices.values)}
        )


def _resolve_target(
    data: RequestData, requesting: Authority, errors: dict[str, list[str]]
) -> tuple[State | None, Authority | None]:
    state = State.objects.filter(iso3=(data.requested_state or "").upper()).first()
    if state is None:
        errors.setdefault("requested_state", []).append(
            _("Unknown state “%(code)s”: use an ISO 3166 alpha-3 code such as KGZ.")
            % {"code": data.requested_state}
        )
        return None, None
    if state.pk == requesting.state_id:
        errors.setdefault("requested_state", []).append(
            _("A request goes to another state than your own.")
        )
        return state, None
    authorities = Authority.objects.filter(state=state, is_central_authority=True)
    if data.requested_authority is not None:
        authority = authorities.filter(public_id=data.requested_authority).first()
        if authority is None:
            errors.setdefault("requested_authority", []).append(
                _("This is not a central authority of the requested state.")
            )
    else:
        authority = authorities.filter(is_primary=True).first() or authorities.first()
        if authority is None:
            errors.setdefault("requested_state", []).append(
                _("No central authority of this state works on this node yet.")
            )
    return state, authority


def _validate_lists(
    data: RequestData, errors: dict[str, list[str]]
) -> tuple[dict[str, IccsCode], dict[str, State]]:
    codes = {o.iccs for o in data.offences}
    found = {c.code: c for c in IccsCode.objects.filter(code__in=codes)}
    for index, offence in enumerate(data.offences):
        if offence.iccs not in found:
            errors.setdefault(f"offences.{index}.iccs", []).append(
                _("Unknown ICCS code “%(code)s”.") % {"code": offence.iccs}
            )
        if not offence.provision.strip():
            errors.setdefault(f"offences.{index}.provision", []).append(
                _("Name the provision of national law.")
            )
    for index, measure in enumerate(data.assistance_sought):
        _choice(measure.measure, Measure, f"assistance_sought.{index}.measure", errors)
    nationalities = {p.nationality.upper() for p in data.persons if p.nationality}
    states = {s.iso3: s for s in State.objects.filter(iso3__in=nationalities)}
    for index, person in enumerate(data.persons):
        _choice(person.role, PersonRole, f"persons.{index}.role", errors)
        if not person.name.strip():
            errors.setdefault(f"persons.{index}.name", []).append(_("A name is required."))
        if person.nationality and person.nationality.upper() not in states:
            errors.setdefault(f"persons.{index}.nationality", []).append(
                _("Unknown state “%(code)s”.") % {"code": person.nationality}
            )
        if person.birth_date and person.birth_date > timezone.now().date():
            errors.setdefault(f"persons.{index}.birth_date", []).append(
                _("A date of birth cannot be in the future.")
            )
    _validate_properties(data, errors)
    return found, states


def _validate_properties(data: RequestData, errors: dict[str, list[str]]) -> None:
    today = timezone.now().date()
    for index, item in enumerate(data.properties):
        _choice(item.kind, PropertyKind, f"properties.{index}.kind", errors)
        if item.estimated_value is not None and item.estimated_value < 0:
            errors.setdefault(f"properties.{index}.estimated_value", []).append(
                _("A value cannot be negative.")
            )
        if item.currency and not (len(item.currency) == 3 and item.currency.isalpha()):
            errors.setdefault(f"properties.{index}.currency", []).append(
                _("Use the three-letter ISO 4217 code, e.g. KZT or USD.")
            )
        if item.order_date and item.order_date > today:
            errors.setdefault(f"properties.{index}.order_date", []).append(
                _("This date cannot be in the future.")
            )


def _validate_scalars(data: RequestData, errors: dict[str, list[str]]) -> None:
    if data.given("type"):
        _choice(data.type, RequestType, "type", errors)
    if data.given("urgency"):
        _choice(data.urgency, Urgency, "urgency", errors)
    if data.given("proceedings_nature"):
        _choice(data.proceedings_nature, ProceedingsNature, "proceedings.nature", errors)
    if data.given("title") and not data.title.strip():
        errors.setdefault("title", []).append(_("A title is required."))
    if data.given("time_limit") and data.time_limit and data.time_limit < timezone.now().date():
        errors.setdefault("time_limit", []).append(_("The time limit is already past."))
    _validate_guided(data, errors)


def _validate_guided(data: RequestData, errors: dict[str, list[str]]) -> None:
    """The fields of the guided form: blank or a known choice, no future past, no negatives."""
    if data.given("extradition_basis") and data.extradition_basis:
        _choice(data.extradition_basis, ExtraditionBasis, "extradition_basis", errors)
    if data.given("record_purpose") and data.record_purpose:
        _choice(data.record_purpose, RecordPurpose, "record_purpose", errors)
    today = timezone.now().date()
    for name in PAST_DATES:
        value = getattr(data, name)
        if data.given(name) and value and value > today:
            errors.setdefault(name, []).append(_("This date cannot be in the future."))
    for name, most in LIMITS.items():
        number = getattr(data, name)
        if data.given(name) and number is not None and not (0 <= number <= most):
            errors.setdefault(name, []).append(
                _("Enter a number between 0 and %(most)s.") % {"most": most}
            )


def _validate_legal_basis(data: RequestData, errors: dict[str, list[str]]) -> None:
    """Keep the chosen instruments once each, in order; refuse codes that name none."""
    if not data.given("legal_basis_codes"):
        return
    codes = list(dict.fromkeys(code.strip() for code in data.legal_basis_codes if code.strip()))
    data.legal_basis_codes = codes
    if not codes:
        return
    if len(codes) > MAX_LEGAL_BASIS_CODES:
        errors.setdefault("legal_basis_codes", []).append(
            _("Choose at most %(count)s instruments.") % {"count": MAX_LEGAL_BASIS_CODES}
        )
        return
    known = set(Instrument.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            errors.setdefault("legal_basis_codes", []).append(
                _("Unknown instrument “%(code)s”.") % {"code": code}
            )


def _next_reference(state_iso3: str) -> str:
    year = timezone.now().year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        state_iso3=state_iso3, year=year
    )
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{state_iso3}-{year}-{counter.last:06d}"


def _replace_children(
    request: Request,
    data: RequestData,
    codes: dict[str, IccsCode],
    states: dict[str, State],
) -> None:
    if data.given("offences"):
        request.offences.all().delete()
        Offence.objects.bulk_create(
            Offence(
                request=request,
                position=i,
                iccs=codes[o.iccs],
                provision=o.provision.strip(),
                description=o.description,
            )
            for i, o in enumerate(data.offences)
        )
    if data.given("assistance_sought"):
        request.assistance_sought.all().delete()
        AssistanceMeasure.objects.bulk_create(
            AssistanceMeasure(request=request, position=i, measure=m.measure, details=m.details)
            for i, m in enumerate(data.assistance_sought)
        )
    if data.given("persons"):
        request.persons.all().delete()
        Person.objects.bulk_create(
            Person(
                request=request,
                position=i,
                role=p.role,
                name=p.name.strip(),
                birth_date=p.birth_date,
                details=p.details,
                nationality=states.get((p.nationality or "").upper()),
            )
            for i, p in enumerate(data.persons)
        )
    if data.given("properties"):
        request.properties.all().delete()
        Property.objects.bulk_create(
            Property(
                request=request,
                position=i,
                kind=p.kind,
                description=p.description,
                location=p.location.strip(),
                identifier=p.identifier.strip(),
                estimated_value=p.estimated_value,
                currency=p.currency.strip().upper(),
                offence_link=p.offence_link,
                order_reference=p.order_reference.strip(),
                order_date=p.order_date,
                order_authority=p.order_authority.strip(),
            )
            for i, p in enumerate(data.properties)
        )


def _refresh_search_text(request: Request) -> None:
    names = request.persons.values_list("name", flat=True)
    parts = [request.reference, request.title, request.proceedings_reference, *names]
    request.search_text = " ".join(fold(part) for part in parts if part)
    Request.objects.filter(pk=request.pk).update(search_text=request.search_text)


def _case_for(*, actor: User, authority: Authority, data: RequestData) -> Case:
    if data.case is not None:
        case = Case.objects.filter(public_id=data.case, authority=authority).first()
        if case is None:
            raise ValidationError({"case": [_("No such case in your authority.")]})
        return case
    reference = (data.case_reference or data.proceedings_reference).strip()
    if reference:
        existing = Case.objects.filter(authority=authority, reference=reference).first()
        if existing is not None:
            return existing
    case = Case.objects.create(
        authority=authority,
        reference=reference or f"{AUTO_CASE_PREFIX}{uuid.uuid4().hex[:8].upper()}",
        title=data.title.strip(),
        created_by=actor,
    )
    audit_record(
        code=Code.CASE_CREATED,
        actor=actor,
        subject_type="case",
        subject_id=str(case.public_id),
        details={"reference": case.reference},
    )
    return case


def _event(
    *,
    request: Request,
    kind: str,
    actor: User | None,
    action: str = "",
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        request=request,
        kind=kind,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_authority=actor.authority if actor is not None else None,
        reason=reason,
        details=details or {},
        created_at=timezone.now(),
    )


def request_create_draft(*, actor: User, data: RequestData) -> Request:
    """Create a draft request of the actor's authority. Raises ValidationError, changes nothing."""
    if not policy.can_create_request(actor):
        raise PermissionDenied(_("Your role cannot create requests."))
    authority = _require_actor(actor)
    errors: dict[str, list[str]] = {}
    _validate_scalars(data, errors)
    _validate_legal_basis(data, errors)
    state, requested = _resolve_target(data, authority, errors)
    codes, states = _validate_lists(data, errors)
    if errors:
        raise ValidationError(errors)
    assert state is not None and requested is not None  # noqa: S101 (errors were raised)
    with transaction.atomic():
        case = _case_for(actor=actor, authority=authority, data=data)
        request = Request(
            reference=_next_reference(authority.state.iso3),
            case=case,
            type=data.type,
            requesting_authority=authority,
            requested_state=state,
            requested_authority=requested,
            created_by=actor,
        )
        for name in REQUEST_SCALARS:
            setattr(request, name, getattr(data, name))
        request.title = request.title.strip()
        request.save()
        _replace_children(request, data, codes, states)
        _refresh_search_text(request)
        _event(request=request, kind=EventKind.CREATED, actor=actor, to_status=Status.DRAFT)
        audit_record(
            code=Code.REQUEST_CREATED,
            actor=actor,
            subject_type="request",
            subject_id=str(request.public_id),
            details={"reference": request.reference},
        )
    return request


def request_update_draft(
    *,
    actor: User,
    request: Request,
    data: RequestData,
    expected_version: int | None = None,
    autosave: bool = False,
) -> Request:
    """Change a draft. Only the requesting side, only while it is a draft.

    ``autosave``: the form saved itself as the officer typed. Audited like any change, but
    the timeline gets one "edited" entry per sitting rather than one per pause in typing.
    """
    if not policy.can_edit_request(actor, request):
        raise PermissionDenied(_("Only a draft of your own authority can be edited."))
    authority = _require_actor(actor)
    errors: dict[str, list[str]] = {}
    _validate_scalars(data, errors)
    _validate_legal_basis(data, errors)
    state, requested = request.requested_state, request.requested_authority
    if data.given("requested_state") or data.given("requested_authority"):
        if not data.given("requested_state"):
            data.requested_state = request.requested_state.iso3
        resolved_state, resolved_authority = _resolve_target(data, authority, errors)
        if resolved_state is not None and resolved_authority is not None:
            state, requested = resolved_state, resolved_authority
    codes, states = _validate_lists(data, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.status != Status.DRAFT:
            raise ValidationError({"status": [_("The request is no longer a draft.")]})
        if expected_version is not None and locked.version != expected_version:
            raise ValidationError(
                {"version": [_("Someone else changed this draft; reload it and try again.")]}
            )
        changed = [name for name in (*REQUEST_SCALARS, "type") if data.given(name)]
        for name in changed:
            setattr(locked, name, getattr(data, name))
        locked.requested_state, locked.requested_authority = state, requested
        locked.version += 1
        locked.save()
        _replace_children(locked, data, codes, states)
        _refresh_search_text(locked)
        _refile(actor=actor, request=locked, data=data)
        fields = sorted(
            set(changed) | {n for n in (*REQUEST_LISTS, "requested_state") if data.given(n)}
        )
        if not autosave or _first_autosave_of_sitting(actor, locked):
            details: dict[str, Any] = {"fields": fields}
            if autosave:
                details["autosave"] = True
            _event(request=locked, kind=EventKind.EDITED, actor=actor, details=details)
        audit_record(
            code=Code.DRAFT_AUTOSAVED if autosave else Code.REQUEST_UPDATED,
            actor=actor,
            subject_type="request",
            subject_id=str(locked.public_id),
            details={"fields": fields, "version": locked.version},
        )
    return locked


def _first_autosave_of_sitting(actor: User, request: Request) -> bool:
    last = request.events.order_by("-created_at", "-id").first()
    return not (
        last is not None
        and last.kind == EventKind.EDITED
        and last.actor_id == actor.pk
        and last.details.get("autosave")
        and timezone.now() - last.created_at < AUTOSAVE_TIMELINE_GAP
    )


def _refile(*, actor: User, request: Request, data: RequestData) -> None:
    """A draft saved before its references were typed sits alone in a case named
    automatically; once a reference arrives, it joins the case of that reference (or the case
    takes the reference). A case that holds other requests is never touched."""
    reference = ""
    if data.given("case_reference") and data.case_reference.strip():
        reference = data.case_reference.strip()
    elif data.given("proceedings_reference"):
        reference = data.proceedings_reference.strip()
    case = request.case
    if not reference or not case.reference.startswith(AUTO_CASE_PREFIX):
        return
    if case.requests.exclude(pk=request.pk).exists():
        return
    existing = Case.objects.filter(authority_id=case.authority_id, reference=reference).first()
    if existing is not None:
        Request.objects.filter(pk=request.pk).update(case=existing)
        request.case = existing
        case.delete()
        case = existing
    else:
        Case.objects.filter(pk=case.pk).update(reference=reference, title=request.title)
        case.reference, case.title = reference, request.title
    audit_record(
        code=Code.DRAFT_CASE_REFILED,
        actor=actor,
        subject_type="request",
        subject_id=str(request.public_id),
        details={"case": str(case.public_id), "reference": reference},
    )


def request_autosave(
    *,
    actor: User,
    request: Request | None,
    data: RequestData,
    expected_version: int | None = None,
) -> Request:
    """Save what the officer typed so far, complete or not: the first save creates the
    draft. Raises ValidationError for what cannot be stored (and stores nothing)."""
    if request is None:
        return request_create_draft(actor=actor, data=data)
    return request_update_draft(
        actor=actor,
        request=request,
        data=data,
        expected_version=expected_version,
        autosave=True,
    )


class IncompleteRequest(ValidationError):
    """Submission refused: ``missing`` says per field what the request still lacks."""

    def __init__(self, missing: list[checks.Missing]) -> None:
        self.missing = missing
        super().__init__(checks.as_errors(missing))


def _apply_dates(request: Request, action: str) -> None:
    now = timezone.now()
    if action == Action.SUBMIT:
        request.submitted_at = now
        request.acknowledgement_due = deadlines.acknowledgement_due(
            submitted_at=now, urgency=request.urgency
        )
        request.response_due = deadlines.response_due(
            start=now, request_type=request.type, time_limit=request.time_limit
        )
    elif action == Action.ACKNOWLEDGE:
        request.acknowledged_at = now
        request.response_due = deadlines.response_due(
            start=now, request_type=request.type, time_limit=request.time_limit
        )
    elif request.status in {
        Status.EXECUTED,
        Status.PARTIALLY_EXECUTED,
        Status.REFUSED,
        Status.WITHDRAWN,
    }:
        request.completed_at = now


def _check_transition_input(
    *,
    request: Request,
    transition: Transition,
    reason: str,
    ground: str,
    executing_authority: uuid.UUID | None,
) -> Authority | None:
    """Raise ValidationError for what the action lacks; return the authority to assign."""
    errors: dict[str, list[str]] = {}
    if transition.needs_reason and not reason:
        errors["reason"] = [_("Give a reason for this step.")]
    if transition.needs_ground and ground not in RefusalGround.values:
        errors["ground"] = [_("Choose the ground for refusal.")]
    target_authority: Authority | None = None
    if transition.needs_executing_authority:
        if executing_authority is not None:
            target_authority = Authority.objects.filter(
                public_id=executing_authority, state_id=request.requested_state_id
            ).first()
        if target_authority is None:
            errors["executing_authority"] = [_("Choose an authority of the requested state.")]
    if errors:
        raise ValidationError(errors)
    if transition.action == Action.SUBMIT:
        missing = checks.missing(request)
        if missing:
            raise IncompleteRequest(missing)
    return target_authority


def request_transition(
    *,
    actor: User,
    request: Request,
    action: str,
    reason: str = "",
    ground: str = "",
    executing_authority: uuid.UUID | None = None,
) -> Request:
    """Fire one action of the lifecycle table. Refused with ValidationError (wrong action,
    wrong state, missing reason) or PermissionDenied (wrong party or role); either way
    nothing changes."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise ValidationError({"action": [_("Unknown action “%(action)s”.") % {"action": action}]})
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Request.objects.select_for_update(of=("self",))
            .select_related("requesting_authority", "requested_authority", "executing_authority")
            .get(pk=request.pk)
        )
        if locked.status not in transition.sources:
            raise ValidationError(
                {
                    "action": [
                        _("“%(action)s” is not possible while the request is “%(status)s”.")
                        % {"action": transition.label, "status": Status(locked.status).label}
                    ]
                }
            )
        if not policy.may_fire(actor, locked, transition):
            raise PermissionDenied(
                _("You cannot “%(action)s” this request.") % {"action": transition.label}
            )
        target_authority = _check_transition_input(
            request=locked,
            transition=transition,
            reason=reason,
            ground=ground,
            executing_authority=executing_authority,
        )
        previous = locked.status
        if transition.target is not None:
            locked.status = transition.target
        if target_authority is not None:
            locked.executing_authority = target_authority
        if transition.needs_ground:
            locked.refusal_ground = ground
        _apply_dates(locked, action)
        locked.version += 1
        locked.save()
        details: dict[str, Any] = {}
        if ground:
            details["ground"] = ground
        if target_authority is not None:
            details["executing_authority"] = target_authority.key
        _event(
            request=locked,
            kind=EventKind.TRANSITION,
            actor=actor,
            action=action,
            from_status=previous,
            to_status=locked.status,
            reason=reason,
            details=details,
        )
        facts.refresh(locked)  # the statistics' row of this request (comity/stats)
        audit_record(
            code=Code.REQUEST_TRANSITION,
            actor=actor,
            subject_type="request",
            subject_id=str(locked.public_id),
            details={"action": action, "from": previous, "to": locked.status, **details},
        )
        if previous == Status.DRAFT:
            # An informal consultation ends when its draft is submitted or withdrawn.
            from comity.consultation.services import close_for_request

            close_for_request(locked, actor=actor)
        _announce(actor=actor, request=locked, action=action, reason=reason, details=details)
    return locked


def _counterpart_authorities(actor: User, request: Request) -> list[Authority]:
    """The authorities on the other side of the request from the actor."""
    parties = policy.parties_of(actor, request)
    from comity.cooperation.lifecycle import Party

    if Party.REQUESTING in parties:
        others = [request.requested_authority, request.executing_authority]
    else:
        others = [request.requesting_authority]
        if Party.EXECUTING in parties and request.requested_authority_id != actor.authority_id:
            others.append(request.requested_authority)
        elif request.executing_authority is not None:
            others.append(request.executing_authority)
    return [a for a in others if a is not None and a.pk != actor.authority_id]


def _announce(
    *, actor: User, request: Request, action: str, reason: str, details: dict[str, Any]
) -> None:
    if request.submitted_at is None:
        return  # a draft withdrawn before it left: the other side never knew of it
    message_type = (
        MessageType.REQUEST_SUBMITTED if action == Action.SUBMIT else MessageType.REQUEST_TRANSITION
    )
    assert actor.authority is not None  # noqa: S101 (only members act)
    for authority in _counterpart_authorities(actor, request):
        outbox_enqueue(
            message_type=message_type,
            sender_authority=actor.authority.key,
            recipient_authority=authority.key,
            subject_id=request.public_id,
            payload={
                "reference": request.reference,
                "action": action,
                "status": request.status,
                "reason": reason,
                **details,
            },
        )


def message_post(
    *, actor: User, request: Request, body: str, parent: uuid.UUID | None = None
) -> Message:
    """Post a message to the other side of the request."""
    if not policy.can_post_message(actor, request):
        raise PermissionDenied(_("You cannot write on this request."))
    body = (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("The message is empty.")]
    elif len(body) > 20000:
        errors["body"] = [_("The message is longer than 20,000 characters.")]
    parent_message = None
    if parent is not None:
        parent_message = Message.objects.filter(public_id=parent, request=request).first()
        if parent_message is None:
            errors["parent"] = [_("The message you answer is not on this request.")]
    if errors:
        raise ValidationError(errors)
    authority = _require_actor(actor)
    with transaction.atomic():
        message = Message.objects.create(
            request=request,
            parent=parent_message,
            author=actor,
            author_authority=authority,
            body=body,
            created_at=timezone.now(),
        )
        MessageReceipt.objects.create(message=message, user=actor, read_at=message.created_at)
        _event(
            request=request,
            kind=EventKind.MESSAGE,
            actor=actor,
            details={"message": str(message.public_id)},
        )
        audit_record(
            code=Code.MESSAGE_POSTED,
            actor=actor,
            subject_type="request",
            subject_id=str(request.public_id),
            details={"message": str(message.public_id)},
        )
        for other in _counterpart_authorities(actor, request):
            outbox_enqueue(
                message_type=MessageType.REQUEST_MESSAGE,
                sender_authority=authority.key,
                recipient_authority=other.key,
                subject_id=request.public_id,
                payload={"reference": request.reference, "message": str(message.public_id)},
            )
    return message


def messages_mark_read(*, reader: User, request: Request) -> int:
    """Record read receipts for every message on the request the reader has not yet read."""
    now = timezone.now()
    unread = list(
        Message.objects.filter(request=request)
        .exclude(receipts__user=reader)
        .values_list("pk", flat=True)
    )
    if not unread:
        return 0
    with transaction.atomic():
        MessageReceipt.objects.bulk_create(
            [MessageReceipt(message_id=pk, user=reader, read_at=now) for pk in unread],
            ignore_conflicts=True,
        )
        audit_record(
            code=Code.MESSAGE_READ,
            actor=reader,
            subject_type="request",
            subject_id=str(request.public_id),
            details={"messages": len(unread)},
        )
    return len(unread)


def attachment_upload(
    *,
    actor: User,
    request: Request,
    filename: str,
    chunks: Iterable[bytes],
    description: str = "",
    message: Message | None = None,
) -> Attachment:
    """Store a file on the request. Raises ValidationError for size or type; nothing is kept."""
    if not policy.can_upload_attachment(actor, request):
        raise PermissionDenied(_("You cannot add files to this request."))
    authority = _require_actor(actor)
    safe_name = Path(filename or "file").name[:255] or "file"
    try:
        stored = files.store(chunks, filename=safe_name)
    except files.FileRejected as exc:
        reason = str(exc)
        if reason == "too_large":
            text = _("The file is larger than %(limit)s MB.") % {
                "limit": settings.COMITY_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            }
        elif reason == "empty":
            text = _("The file is empty.")
        else:
            text = _(
                "This type of file is not accepted. Send PDF, images, office documents, "
                "text or ZIP."
            )
        raise ValidationError({"file": [text]}) from exc
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                request=request,
                message=message,
                uploaded_by=actor,
                uploader_authority=authority,
                filename=safe_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                description=description[:255],
                created_at=timezone.now(),
            )
            _event(
                request=request,
                kind=EventKind.ATTACHMENT,
                actor=actor,
                details={
                    "attachment": str(attachment.public_id),
                    "filename": safe_name,
                    "sha256": stored.sha256,
                },
            )
            audit_record(
                code=Code.ATTACHMENT_UPLOADED,
                actor=actor,
                subject_type="request",
                subject_id=str(request.public_id),
                details={
                    "attachment": str(attachment.public_id),
                    "sha256": stored.sha256,
                    "size": stored.size,
                },
            )
            if request.submitted_at is not None:
                for other in _counterpart_authorities(actor, request):
                    outbox_enqueue(
                        message_type=MessageType.REQUEST_ATTACHMENT,
                        sender_authority=authority.key,
                        recipient_authority=other.key,
                        subject_id=request.public_id,
                        payload={
                            "reference": request.reference,
                            "attachment": str(attachment.public_id),
                            "sha256": stored.sha256,
                        },
                    )
    except BaseException:
        files.discard(stored.storage_name)
        raise
    return attachment


def request_record_view(
    *, reader: User, request: Request, what: Code = Code.REQUEST_VIEWED
) -> None:
    """Audit a read of protected data (detail, messages, attachment list)."""
    audit_record(code=what, actor=reader, subject_type="request", subject_id=str(request.public_id))


def attachment_record_download(*, reader: User, attachment: Attachment) -> None:
    audit_record(
        code=Code.ATTACHMENT_DOWNLOADED,
        actor=reader,
        subject_type="attachment",
        subject_id=str(attachment.public_id),
        details={"request": str(attachment.request.public_id), "sha256": attachment.sha256},
    )
