"""Who may see and do what. The one place access is decided (docs/access.md).

Views, API endpoints and services ask here; nothing else compares authorities or roles.
A request is visible to the users of its requesting authority, of the requested central
authority once it has been submitted, and of the executing authority once assigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from comity.accounts.models import Role
from comity.cooperation.lifecycle import ACTING_ROLES, TRANSITIONS, Party, Status, Transition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.accounts.models import User
    from comity.cooperation.models import Request
    from comity.directory.models import Authority
    from comity.records.models import ConvictionNotice, ExtractRequest, Register

# Roles whose users work on requests of their authority (reviewers only read).
CASEWORK_ROLES: frozenset[str] = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.REVIEWER})


def _member(user: User | AnonymousUser) -> User | None:
    """The user if signed in, active and attached to an authority; None otherwise."""
    if not user.is_authenticated or not user.is_active:
        return None
    member: User = user
    if member.authority_id is None:
        return None
    return member


@dataclass(frozen=True)
class VisibleBranches:
    """What a user may see, as disjoint filters by the user's party to the request.

    Kept apart (rather than one OR) so that each can walk its own index: a big incoming
    box is then a range scan, not a scan of every request the authority ever touched.
    """

    requesting: Q | None = None  # requests of the user's authority, drafts included
    requested: Q | None = None  # submitted to the user's authority as central authority
    executing: Q | None = None  # assigned to the user's authority for execution

    def all(self) -> list[Q]:
        return [q for q in (self.requesting, self.requested, self.executing) if q is not None]


def request_visibility(user: User | AnonymousUser) -> VisibleBranches:
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return VisibleBranches()
    authority = member.authority_id
    # The other side sees a request once it was submitted, and for good: not a draft, nor a
    # draft that was withdrawn before it ever left. (A date, not a status, decides.)
    sent = Q(submitted_at__isnull=False)
    return VisibleBranches(
        requesting=Q(requesting_authority_id=authority),
        # A request never goes to its own authority (services refuse the own state), so
        # this branch needs no exclusion to stay apart from the first.
        requested=Q(requested_authority_id=authority) & sent,
        executing=Q(executing_authority_id=authority)
        & sent
        & ~Q(requesting_authority_id=authority)
        & ~Q(requested_authority_id=authority),
    )


def request_visibility_q(user: User | AnonymousUser) -> Q:
    """A filter for the requests this user may see (nothing for outsiders)."""
    branches = request_visibility(user).all()
    if not branches:
        return Q(pk__in=[])
    combined = branches[0]
    for branch in branches[1:]:
        combined |= branch
    return combined


def parties_of(user: User | AnonymousUser, request: Request) -> frozenset[Party]:
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return frozenset()
    authority = member.authority_id
    parties: set[Party] = set()
    if request.requesting_authority_id == authority:
        parties.add(Party.REQUESTING)
    if request.submitted_at is not None:
        if request.requested_authority_id == authority:
            parties.add(Party.REQUESTED)
        if request.executing_authority_id == authority:
            parties.add(Party.EXECUTING)
    return frozenset(parties)


def can_view_request(user: User | AnonymousUser, request: Request) -> bool:
    return bool(parties_of(user, request))


def _acts(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role in ACTING_ROLES


def may_fire(user: User | AnonymousUser, request: Request, transition: Transition) -> bool:
    """The user's party and role allow this action (the status is checked by the table)."""
    member = _member(user)
    if member is None or member.role not in transition.roles:
        return False
    return bool(parties_of(user, request) & transition.parties)


def allowed_transitions(user: User | AnonymousUser, request: Request) -> list[Transition]:
    return [t for t in TRANSITIONS if request.status in t.sources and may_fire(user, request, t)]


def can_create_request(user: User | AnonymousUser) -> bool:
    return _acts(user)


def can_edit_request(user: User | AnonymousUser, request: Request) -> bool:
    return (
        request.status == Status.DRAFT
        and _acts(user)
        and Party.REQUESTING in parties_of(user, request)
    )


def can_post_message(user: User | AnonymousUser, request: Request) -> bool:
    """Both sides talk once the request has been sent, until it is closed."""
    return (
        request.submitted_at is not None
        and request.status != Status.CLOSED
        and _acts(user)
        and bool(parties_of(user, request))
    )


def can_upload_attachment(user: User | AnonymousUser, request: Request) -> bool:
    return request.status != Status.CLOSED and _acts(user) and bool(parties_of(user, request))


def can_administer_node(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (getattr(user, "is_superuser", False) or getattr(user, "role", "") == Role.NODE_ADMIN)
    )


# --- The directory and the treaty data ------------------------------------------------------


def can_view_directory(user: User | AnonymousUser) -> bool:
    """Members of an authority, coordinators and node administrators read the directory."""
    if _member(user) is not None:
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") in (Role.COORDINATOR, Role.NODE_ADMIN)
    )


def can_propose_directory_change(user: User | AnonymousUser, authority: Authority) -> bool:
    """Only an authority's own officers and supervisors keep its entry current."""
    member = _member(user)
    return (
        member is not None
        and member.authority_id == authority.pk
        and member.role in (Role.OFFICER, Role.SUPERVISOR)
    )


def can_review_directory_changes(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "role", "") == Role.COORDINATOR
    )


def can_manage_treaties(user: User | AnonymousUser) -> bool:
    """Network coordinators by their role; node administrators as in the admin (with is_staff)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if getattr(user, "role", "") == Role.COORDINATOR:
        return True
    return bool(getattr(user, "is_staff", False) and can_administer_node(user))


def can_use_legal_basis_finder(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- Consultation: a draft shared informally with the requested central authority ---------

if TYPE_CHECKING:
    from comity.consultation.models import Consultation


def consultation_visibility_q(user: User | AnonymousUser) -> Q:
    """The consultations this user may see: those of the two authorities, nobody else's.

    Unlike a request, the requested side sees it while the request is still a draft: that is
    the point. A consultation never widens who sees the request itself.
    """
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return Q(pk__in=[])
    authority = member.authority_id
    return Q(requesting_authority_id=authority) | Q(requested_authority_id=authority)


def can_use_consultations(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role in CASEWORK_ROLES


def consultation_side(user: User | AnonymousUser, consultation: Consultation) -> Party | None:
    """REQUESTING or REQUESTED for a caseworker of one of the two authorities; else None."""
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return None
    if member.authority_id == consultation.requesting_authority_id:
        return Party.REQUESTING
    if member.authority_id == consultation.requested_authority_id:
        return Party.REQUESTED
    return None


def can_view_consultation(user: User | AnonymousUser, consultation: Consultation) -> bool:
    return consultation_side(user, consultation) is not None


def consultation_is_open(consultation: Consultation) -> bool:
    """Open, and the request still a draft: once submitted it is read-only for good."""
    return consultation.status == "open" and consultation.request.status == Status.DRAFT


def can_open_consultation(user: User | AnonymousUser, request: Request) -> bool:
    """Share a draft: the requesting side's officers and supervisors, while it is a draft."""
    return can_edit_request(user, request)


def may_comment_on_consultation(user: User | AnonymousUser, consultation: Consultation) -> bool:
    """Officers and supervisors of either side (whether the consultation is still open is
    checked apart: a closed one is refused as bad input, not as a forbidden action)."""
    return _acts(user) and consultation_side(user, consultation) is not None


def may_manage_consultation(user: User | AnonymousUser, consultation: Consultation) -> bool:
    """Share again and close: the requesting side's officers and supervisors."""
    return _acts(user) and consultation_side(user, consultation) == Party.REQUESTING


def can_comment_on_consultation(user: User | AnonymousUser, consultation: Consultation) -> bool:
    return consultation_is_open(consultation) and may_comment_on_consultation(user, consultation)


def can_manage_consultation(user: User | AnonymousUser, consultation: Consultation) -> bool:
    return consultation_is_open(consultation) and may_manage_consultation(user, consultation)


# --- Documents (generated request documents; docs/documents.md) ----------------------------


def can_generate_document(user: User | AnonymousUser, request: Request) -> bool:
    """The requesting side's officers and supervisors, at any status but closed."""
    return (
        request.status != Status.CLOSED
        and _acts(user)
        and Party.REQUESTING in parties_of(user, request)
    )


def can_download_document(user: User | AnonymousUser, request: Request, *, sent: bool) -> bool:
    """The requesting side (reviewers too) every version; the requested side, once the
    request was submitted, only the versions that were sent. A version one may not
    download is hidden (404), like a draft request."""
    parties = parties_of(user, request)
    if Party.REQUESTING in parties:
        return True
    return sent and bool(parties & {Party.REQUESTED, Party.EXECUTING})


def can_preview_document(user: User | AnonymousUser, request: Request) -> bool:
    """The on-screen preview of the current data: the requesting side only."""
    return Party.REQUESTING in parties_of(user, request)


def can_edit_fact_translations(user: User | AnonymousUser, request: Request) -> bool:
    return can_generate_document(user, request)


def can_verify_documents(user: User | AnonymousUser) -> bool:
    """Any signed-in user may check a code; what the answer shows depends on the request."""
    return bool(user.is_authenticated and user.is_active)


# --- Guided drafting and checks --------------------------------------------------------------


def can_check_request(user: User | AnonymousUser, request: Request) -> bool:
    """The checks panel (what is missing, refusal risks) is the requesting side's: its
    officers and reviewers, for drafts and sent requests alike."""
    return Party.REQUESTING in parties_of(user, request)


# --- Criminal records: registers, extract requests, conviction notices (docs/records.md) ----
# A register is seen only by the authority that keeps it; an extract request by the
# requesting authority and the register's keeper; a notice by its sender and recipient.
# Officers and supervisors write; reviewers read.

WRITING_ROLES: frozenset[str] = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _records_member(user: User | AnonymousUser) -> User | None:
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return None
    return member


def records_registers_q(user: User | AnonymousUser) -> Q:
    """The registers whose persons and convictions the user may read."""
    member = _records_member(user)
    if member is None:
        return Q(pk__in=[])
    return Q(keeper_id=member.authority_id)


def can_view_register(user: User | AnonymousUser, register: Register) -> bool:
    member = _records_member(user)
    return member is not None and register.keeper_id == member.authority_id


def can_write_register(user: User | AnonymousUser, register: Register) -> bool:
    member = _records_member(user)
    return (
        member is not None
        and member.role in WRITING_ROLES
        and register.keeper_id == member.authority_id
    )


def extract_visibility_q(user: User | AnonymousUser) -> Q:
    member = _records_member(user)
    if member is None:
        return Q(pk__in=[])
    return Q(requesting_authority_id=member.authority_id) | Q(
        register__keeper_id=member.authority_id
    )


def can_use_records_exchange(user: User | AnonymousUser) -> bool:
    """The records section (extract requests, notices, one's own register) is open to
    caseworkers of every authority; what it lists is scoped by the functions here."""
    return _records_member(user) is not None


def can_request_extract(user: User | AnonymousUser) -> bool:
    member = _records_member(user)
    return member is not None and member.role in WRITING_ROLES


def can_answer_extract(user: User | AnonymousUser, extract: ExtractRequest) -> bool:
    return extract.status == "submitted" and can_write_register(user, extract.register)


def can_withdraw_extract(user: User | AnonymousUser, extract: ExtractRequest) -> bool:
    member = _records_member(user)
    return (
        member is not None
        and member.role in WRITING_ROLES
        and extract.status == "submitted"
        and extract.requesting_authority_id == member.authority_id
    )


def notice_visibility_q(user: User | AnonymousUser) -> Q:
    member = _records_member(user)
    if member is None:
        return Q(pk__in=[])
    return Q(recipient__keeper_id=member.authority_id) | Q(sender__keeper_id=member.authority_id)


def can_handle_notice(user: User | AnonymousUser, notice: ConvictionNotice) -> bool:
    return notice.status == "received" and can_write_register(user, notice.recipient)


# --- Assets: tracing, freezing, confiscation, return (docs/assets.md) -----------------------
# An asset is seen by the authority whose case it belongs to, and by the requested and
# executing authorities of a submitted request it was sent with (or an order was made under).
# Officers and supervisors of either side write; reviewers read. Rates: coordinators.

if TYPE_CHECKING:
    from comity.assets.models import Asset
    from comity.cooperation.models import Case


def _request_party_q(prefix: str, authority: int) -> Q:
    sent = Q(**{f"{prefix}submitted_at__isnull": False})
    return sent & (
        Q(**{f"{prefix}requested_authority_id": authority})
        | Q(**{f"{prefix}executing_authority_id": authority})
    )


def asset_visibility_q(user: User | AnonymousUser) -> Q:
    """A filter on assets for the ones this user may see."""
    from django.db.models import Exists, OuterRef

    from comity.assets.models import Order

    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return Q(pk__in=[])
    authority = member.authority_id
    assert authority is not None  # noqa: S101 (a member has an authority)
    by_order = Order.objects.filter(asset=OuterRef("pk")).filter(
        _request_party_q("request__", authority)
    )
    return (
        Q(case__authority_id=authority)
        | _request_party_q("request__", authority)
        | Q(Exists(by_order))
    )


def asset_case_visibility_q(user: User | AnonymousUser) -> Q:
    """A filter on cases whose asset pages the user may open: the case's own authority, and
    the other side of any of its submitted requests (which then see only their assets)."""
    from django.db.models import Exists, OuterRef

    from comity.cooperation.models import Request

    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return Q(pk__in=[])
    authority = member.authority_id
    assert authority is not None  # noqa: S101
    received = Request.objects.filter(case=OuterRef("pk")).filter(_request_party_q("", authority))
    return Q(authority_id=authority) | Q(Exists(received))


def can_use_assets(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role in CASEWORK_ROLES


def can_view_asset(user: User | AnonymousUser, asset: Asset) -> bool:
    from comity.assets.models import Asset as AssetModel

    return AssetModel.objects.filter(pk=asset.pk).filter(asset_visibility_q(user)).exists()


def can_record_asset(
    user: User | AnonymousUser, case: Case, request: Request | None = None
) -> bool:
    """The case's own officers; the other side's officers on a request they received."""
    member = _member(user)
    if member is None or member.role not in WRITING_ROLES:
        return False
    if request is not None:
        if request.case_id != case.pk:
            return False
        return bool(parties_of(user, request))
    return case.authority_id == member.authority_id


def can_write_asset(user: User | AnonymousUser, asset: Asset) -> bool:
    """Record orders, holders, execution, renewals and status: writers who see the asset,
    until it is closed."""
    member = _member(user)
    return (
        member is not None
        and member.role in WRITING_ROLES
        and asset.status != "closed"
        and can_view_asset(user, asset)
    )


def can_record_agreement(user: User | AnonymousUser, case: Case) -> bool:
    """Return and sharing agreements: writers of either side who see an asset of the case."""
    from comity.assets.models import Asset as AssetModel

    member = _member(user)
    return (
        member is not None
        and member.role in WRITING_ROLES
        and AssetModel.objects.filter(case=case).filter(asset_visibility_q(user)).exists()
    )


def can_manage_rates(user: User | AnonymousUser) -> bool:
    """The exchange-rate table is kept by the network's coordinators."""
    return can_manage_treaties(user)


# --- Statistics of cooperation (docs/stats.md) ---------------------------------------------
# A central authority's caseworkers see the figures of its own requests, outgoing and
# incoming; the network's coordinators see only aggregates over all states, with small cells
# suppressed and nothing of any one request.


def can_view_stats(user: User | AnonymousUser) -> bool:
    member = _member(user)
    if member is None or member.role not in CASEWORK_ROLES:
        return False
    authority = member.authority
    return authority is not None and authority.is_central_authority


def can_view_network_stats(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "role", "") == Role.COORDINATOR
    )
