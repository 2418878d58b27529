"""The request lifecycle: ONE table of allowed transitions (docs/lifecycle.md).

Each action names the states it may start from, the state it leads to (None keeps the
current one), which party may fire it, which roles, and whether it needs a reason or a
refusal ground. Services consult this table and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.accounts.models import Role


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_EXECUTION = "in_execution", _("In execution")
    ADDITIONAL_INFO_REQUESTED = "additional_info_requested", _("Additional information requested")
    EXECUTED = "executed", _("Executed")
    PARTIALLY_EXECUTED = "partially_executed", _("Partially executed")
    REFUSED = "refused", _("Refused")
    POSTPONED = "postponed", _("Postponed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge receipt")
    ASSIGN = "assign", _("Assign executing authority")
    REQUEST_INFO = "request_info", _("Request additional information")
    PROVIDE_INFO = "provide_info", _("Provide additional information")
    START_EXECUTION = "start_execution", _("Start execution")
    EXECUTE = "execute", _("Mark executed")
    EXECUTE_PARTIALLY = "execute_partially", _("Mark partially executed")
    POSTPONE = "postpone", _("Postpone")
    REFUSE = "refuse", _("Refuse")
    WITHDRAW = "withdraw", _("Withdraw")
    CLOSE = "close", _("Close")


class Party(StrEnum):
    """Who stands where on one request."""

    REQUESTING = "requesting"  # users of the requesting authority
    REQUESTED = "requested"  # users of the requested central authority
    EXECUTING = "executing"  # users of the executing authority, once assigned


class RefusalGround(models.TextChoices):
    """Grounds from UNTOC art. 18(21) and the UN Model Treaties on MLA (art. 4) and on
    Extradition (arts 3-4)."""

    SOVEREIGNTY = (
        "sovereignty_security_public_order",
        _("Prejudice to sovereignty, security, public order or essential interests"),
    )
    POLITICAL_OFFENCE = "political_offence", _("Political offence")
    DISCRIMINATION = "discrimination", _("Discriminatory purpose or prejudice")
    NE_BIS_IN_IDEM = (
        "ne_bis_in_idem",
        _("Ne bis in idem or proceedings pending in the requested state"),
    )
    DOMESTIC_LAW = (
        "domestic_law_prohibits",
        _("Domestic law prohibits the measure for a similar offence"),
    )
    LEGAL_SYSTEM = (
        "contrary_to_legal_system",
        _("Contrary to the legal system of the requested state"),
    )
    DUAL_CRIMINALITY = "no_dual_criminality", _("No dual criminality")
    MILITARY_OFFENCE = "military_offence", _("Military offence that is not an ordinary crime")
    LAPSE_OF_TIME = "lapse_of_time_or_amnesty", _("Immunity by lapse of time or amnesty")
    TORTURE_FAIR_TRIAL = (
        "torture_or_no_fair_trial",
        _("Risk of torture or no fair-trial guarantees"),
    )
    OWN_NATIONAL = "own_national", _("Person is a national of the requested state")
    DEATH_PENALTY = "death_penalty", _("Death penalty without assurance")
    HUMANITARIAN = "humanitarian", _("Humanitarian grounds")
    NON_CONFORMITY = "not_in_conformity", _("Request does not conform to the treaty or convention")
    INSUFFICIENT_INFORMATION = (
        "insufficient_information",
        _("Insufficient information after a request for more"),
    )
    OTHER = "other", _("Other (explained in the reason)")


ACTING_ROLES: frozenset[str] = frozenset({Role.OFFICER, Role.SUPERVISOR})

_LIVE = frozenset(
    {
        Status.SUBMITTED,
        Status.ACKNOWLEDGED,
        Status.IN_EXECUTION,
        Status.ADDITIONAL_INFO_REQUESTED,
        Status.POSTPONED,
    }
)
FINAL = frozenset({Status.EXECUTED, Status.PARTIALLY_EXECUTED, Status.REFUSED, Status.WITHDRAWN})


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status stays as it is
    parties: frozenset[Party]
    roles: frozenset[str] = ACTING_ROLES
    needs_reason: bool = False
    needs_ground: bool = False
    needs_executing_authority: bool = False
    confirm: bool = False  # the UI asks for a confirmation first

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


def _t(
    action: Action,
    sources: set[Status] | frozenset[Status],
    target: Status | None,
    parties: set[Party],
    *,
    needs_reason: bool = False,
    needs_ground: bool = False,
    needs_executing_authority: bool = False,
    confirm: bool = False,
) -> Transition:
    return Transition(
        action,
        frozenset(sources),
        target,
        frozenset(parties),
        needs_reason=needs_reason,
        needs_ground=needs_ground,
        needs_executing_authority=needs_executing_authority,
        confirm=confirm,
    )


REQUESTED_SIDE = {Party.REQUESTED, Party.EXECUTING}

TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.SUBMIT, {Status.DRAFT}, Status.SUBMITTED, {Party.REQUESTING}, confirm=True),
    _t(Action.ACKNOWLEDGE, {Status.SUBMITTED}, Status.ACKNOWLEDGED, {Party.REQUESTED}),
    _t(
        Action.ASSIGN,
        {
            Status.ACKNOWLEDGED,
            Status.IN_EXECUTION,
            Status.ADDITIONAL_INFO_REQUESTED,
            Status.POSTPONED,
        },
        None,
        {Party.REQUESTED},
        needs_executing_authority=True,
    ),
    _t(
        Action.REQUEST_INFO,
        {Status.ACKNOWLEDGED, Status.IN_EXECUTION},
        Status.ADDITIONAL_INFO_REQUESTED,
        REQUESTED_SIDE,
        needs_reason=True,
    ),
    _t(
        Action.PROVIDE_INFO,
        {Status.ADDITIONAL_INFO_REQUESTED},
        Status.IN_EXECUTION,
        {Party.REQUESTING},
        needs_reason=True,
    ),
    _t(
        Action.START_EXECUTION,
        {Status.ACKNOWLEDGED, Status.POSTPONED},
        Status.IN_EXECUTION,
        REQUESTED_SIDE,
    ),
    _t(Action.EXECUTE, {Status.IN_EXECUTION}, Status.EXECUTED, REQUESTED_SIDE, confirm=True),
    _t(
        Action.EXECUTE_PARTIALLY,
        {Status.IN_EXECUTION},
        Status.PARTIALLY_EXECUTED,
        REQUESTED_SIDE,
        needs_reason=True,
        confirm=True,
    ),
    _t(
        Action.POSTPONE,
        {Status.ACKNOWLEDGED, Status.IN_EXECUTION},
        Status.POSTPONED,
        {Party.REQUESTED},
        needs_reason=True,
    ),
    _t(
        Action.REFUSE,
        _LIVE,
        Status.REFUSED,
        {Party.REQUESTED},
        needs_reason=True,
        needs_ground=True,
        confirm=True,
    ),
    _t(
        Action.WITHDRAW,
        _LIVE | {Status.DRAFT},
        Status.WITHDRAWN,
        {Party.REQUESTING},
        needs_reason=True,
        confirm=True,
    ),
    _t(Action.CLOSE, FINAL, Status.CLOSED, {Party.REQUESTING, Party.REQUESTED}, confirm=True),
)

BY_ACTION: dict[str, Transition] = {t.action.value: t for t in TRANSITIONS}
assert len(BY_ACTION) == len(TRANSITIONS), "one row per action"  # noqa: S101


def reachable_statuses() -> frozenset[Status]:
    targets = {t.target for t in TRANSITIONS if t.target is not None}
    return frozenset(targets | {Status.DRAFT})


def as_markdown() -> str:
    """The table as it stands in docs/lifecycle.md (a test keeps the two equal)."""
    lines = [
        "| action | from | to | who | needs |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in TRANSITIONS:
        sources = ", ".join(sorted(s.value for s in t.sources))
        target = t.target.value if t.target is not None else "(unchanged)"
        who = ", ".join(sorted(p.value for p in t.parties))
        needs = [
            name
            for name, flag in (
                ("reason", t.needs_reason),
                ("refusal ground", t.needs_ground),
                ("executing authority", t.needs_executing_authority),
                ("confirmation", t.confirm),
            )
            if flag
        ]
        lines.append(
            f"| {t.action.value} | {sources} | {target} | {who} | {', '.join(needs) or '-'} |"
        )
    return "\n".join(lines) + "\n"
