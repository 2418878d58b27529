"""In-app notices and their e-mails.

A notice is raised for every active caseworker of an authority, at most once per user and
``key`` (the database refuses a second row), so that raising it again (a retried delivery,
a second run of the deadline task) changes nothing. The e-mail goes out after the
transaction commits, once per notice, in the reader's own language.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from comity.accounts.models import Role, User
from comity.cooperation.models import Notification, Request
from comity.core.sql import quoted_columns
from comity.directory.models import Authority

log = logging.getLogger(__name__)

# Who hears about the requests of their authority: the caseworkers, reviewers included.
NOTIFIED_ROLES: frozenset[str] = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.REVIEWER})


_emails_paused: ContextVar[bool] = ContextVar("comity_notification_emails_paused", default=False)


@contextmanager
def emails_paused() -> Iterator[None]:
    """Raise notices without e-mailing them: for seeding demo data, where the events are
    staged rather than news to anyone."""
    token = _emails_paused.set(True)
    try:
        yield
    finally:
        _emails_paused.reset(token)


class Kind(StrEnum):
    SUBMITTED = "request_submitted"
    TRANSITION = "request_transition"
    MESSAGE = "request_message"
    ATTACHMENT = "request_attachment"
    ACK_OVERDUE = "ack_overdue"
    RESPONSE_DUE_SOON = "response_due_soon"
    RESPONSE_OVERDUE = "response_overdue"
    # Raised by comity.consultation.notices; they link to the consultation, not the request.
    CONSULTATION_SHARED = "consultation_shared"
    CONSULTATION_COMMENT = "consultation_comment"
    # Raised by comity.records; they link to the extract request or the notice.
    EXTRACT_REQUESTED = "extract_requested"
    EXTRACT_ANSWERED = "extract_answered"
    EXTRACT_OVERDUE = "extract_overdue"
    CONVICTION_NOTICE = "conviction_notice"
    # Raised by comity.assets; they link to the asset.
    ASSET_ORDER = "asset_order"
    ASSET_EXPIRY = "asset_expiry"
    ASSET_EXPIRED = "asset_expired"


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notices, newest first."""
    return (
        Notification.objects.filter(user=user)
        .select_related("request")
        .order_by("-created_at", "-id")
    )


def unread_count(*, user: User) -> int:
    """The navbar's badge, on every page. The SQL is written once: the ORM spent longer
    compiling its COUNT (through get_aggregation) than the database spent running it, about
    a millisecond of every page (docs/benchmarks.md). The same count as
    ``Notification.objects.filter(user=user, read_at__isnull=True).count()``."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(connection.vendor), [user.pk])
        return int(cursor.fetchone()[0])


@lru_cache(maxsize=4)
def _unread_sql(vendor: str) -> str:
    del vendor  # part of the key: quoting is the database's
    table, user, read_at = quoted_columns(Notification, connection, "user", "read_at")
    return f"SELECT COUNT(*) FROM {table} WHERE {user} = %s AND {read_at} IS NULL"  # noqa: S608 (the model's names)


def notifications_mark_read(*, user: User, ids: list[uuid.UUID] | None) -> int:
    """Mark the user's notices read (all of them when ``ids`` is None). Returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(public_id__in=ids)
    return qs.update(read_at=timezone.now())


def _due(params: dict[str, Any]) -> str:
    raw = params.get("due")
    if not raw:
        return ""
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return str(raw)
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _transition_text(action: str, reference: str) -> str:
    texts = {
        "submit": _("New request %(reference)s was submitted"),
        "acknowledge": _("Request %(reference)s was acknowledged"),
        "assign": _("An executing authority was assigned to request %(reference)s"),
        "request_info": _("Additional information was requested on %(reference)s"),
        "provide_info": _("Additional information was provided on %(reference)s"),
        "start_execution": _("Execution of request %(reference)s has started"),
        "execute": _("Request %(reference)s was executed"),
        "execute_partially": _("Request %(reference)s was partially executed"),
        "postpone": _("Request %(reference)s was postponed"),
        "refuse": _("Request %(reference)s was refused"),
        "withdraw": _("Request %(reference)s was withdrawn"),
        "close": _("Request %(reference)s was closed"),
    }
    return texts.get(action, _("Request %(reference)s was updated")) % {"reference": reference}


def _kind_text(kind: str) -> str | None:
    texts: dict[str, str] = {
        Kind.SUBMITTED: _("New request %(reference)s was submitted"),
        Kind.MESSAGE: _("New message on %(reference)s"),
        Kind.ATTACHMENT: _("New file on %(reference)s"),
        Kind.ACK_OVERDUE: _("Acknowledgement of %(reference)s is overdue"),
        Kind.RESPONSE_DUE_SOON: _("Response to %(reference)s is due on %(due)s"),
        Kind.RESPONSE_OVERDUE: _("Response to %(reference)s is overdue since %(due)s"),
        Kind.CONSULTATION_SHARED: _("A draft (%(reference)s) was shared with you for comments"),
        Kind.CONSULTATION_COMMENT: _("New comment in the consultation on %(reference)s"),
        Kind.EXTRACT_REQUESTED: _("New criminal-record extract request %(reference)s"),
        Kind.EXTRACT_ANSWERED: _("Extract request %(reference)s was answered"),
        Kind.EXTRACT_OVERDUE: _("Extract request %(reference)s is overdue since %(due)s"),
        Kind.CONVICTION_NOTICE: _("New conviction notice %(reference)s"),
        Kind.ASSET_ORDER: _("An order on asset %(reference)s was recorded or updated"),
        Kind.ASSET_EXPIRY: _("An order on asset %(reference)s expires on %(due)s"),
        Kind.ASSET_EXPIRED: _("An order on asset %(reference)s expired on %(due)s"),
    }
    return texts.get(kind)


def notification_text(notification: Notification) -> str:
    """The notice as one sentence in the active language."""
    params = notification.params or {}
    reference = str(params.get("reference") or "")
    if not reference and notification.request is not None:
        reference = notification.request.reference
    if notification.kind == Kind.TRANSITION:
        return _transition_text(str(params.get("action") or ""), reference)
    text = _kind_text(notification.kind) or _("Update on %(reference)s")
    return text % {"reference": reference, "due": _due(params)}


def notify_authority(
    *,
    authority: Authority,
    request: Request | None,
    kind: str,
    params: dict[str, Any],
    key: str,
) -> int:
    """Raise one notice per active caseworker of ``authority``; returns how many are new.

    Idempotent by (user, key). The e-mails are sent only once the surrounding transaction
    commits, so a rollback sends nothing.
    """
    users = list(
        User.objects.filter(authority=authority, is_active=True, role__in=NOTIFIED_ROLES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not users:
        return 0
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(key=key, user_id__in=users).values_list(
                "user_id", flat=True
            )
        )
        fresh = [pk for pk in users if pk not in existing]
        if not fresh:
            return 0
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=pk,
                    request=request,
                    key=key,
                    kind=kind,
                    params=params,
                    created_at=now,
                )
                for pk in fresh
            ],
            ignore_conflicts=True,
        )
        if not _emails_paused.get():
            transaction.on_commit(lambda: notifications_email(key=key, user_ids=fresh))
    return len(fresh)


def notification_path(notification: Notification) -> str:
    """Where a notice leads: its consultation, extract request or conviction notice, else its
    request ("" for none)."""
    params = notification.params or {}
    consultation = params.get("consultation")
    if consultation:
        return reverse("consultation:detail", kwargs={"id": consultation})
    if params.get("extract"):
        return reverse("records:extract_detail", kwargs={"id": params["extract"]})
    if params.get("notice"):
        return reverse("records:notice_detail", kwargs={"id": params["notice"]})
    if params.get("asset"):
        return reverse("assets:asset_detail", kwargs={"id": params["asset"]})
    if notification.request is None:
        return ""
    return reverse("cooperation:detail", kwargs={"id": notification.request.public_id})


def _request_link(notification: Notification) -> str:
    path = notification_path(notification)
    if not path:
        return ""
    base = str(getattr(settings, "COMITY_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def _email_for(notification: Notification) -> EmailMessage:
    user = notification.user
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        text = notification_text(notification)
        context = {
            "user": user,
            "text": text,
            "link": _request_link(notification),
            "authority": user.authority.name_en if user.authority else "",
        }
        subject = render_to_string("cooperation/email/notification_subject.txt", context)
        body = render_to_string("cooperation/email/notification_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def notifications_email(*, key: str, user_ids: list[int]) -> int:
    """Send the e-mail of each notice not yet e-mailed. Returns how many went out.

    Each notice is claimed by setting ``emailed_at`` before sending, so two workers never
    send the same one; a failed send releases the claim for the next run.
    """
    pending = list(
        Notification.objects.filter(key=key, user_id__in=user_ids, emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user__authority", "request")
        .order_by("pk")
    )
    sent = 0
    connection = get_connection()
    for notification in pending:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            message = _email_for(notification)
            message.connection = connection
            message.send()
            sent += 1
        except Exception:  # a mail server outage must not break the caller's work
            log.exception("could not e-mail notification %s", notification.public_id)
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    return sent
