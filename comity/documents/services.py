"""Writing documents and translations. Every write is one transaction with its audit event.

A document is rendered outside the transaction (it takes a while and reads only), then
recorded inside one that checks the request did not change meanwhile; a file whose
record is not written is removed again.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comity import policy
from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.cooperation import services as cooperation_services
from comity.cooperation.lifecycle import Action
from comity.cooperation.models import EventKind, Request, TimelineEvent
from comity.documents import content, storage
from comity.documents.models import (
    DocumentVersion,
    FactTranslation,
    Format,
    Layout,
    TranslationStatus,
)
from comity.documents.renderers import renderer_for

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits
_CODE_READS_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_ATTEMPTS = 3


class _Changed(Exception):
    """The request or its numbering changed while the document was being rendered."""


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """A code as typed (any case, dashes, spaces, O for 0) in its stored form."""
    return "".join(c for c in typed.upper() if c.isalnum()).translate(_CODE_READS_AS)


def check_url() -> str:
    return settings.COMITY_BASE_URL.rstrip("/") + reverse("documents:verify")


def _unused_code() -> str:
    while True:
        code = new_verification_code()
        if not DocumentVersion.objects.filter(verification_code=code).exists():
            return code


def _arguments(request: Request, languages: list[str] | None, fmt: str, layout: str) -> list[str]:
    errors: dict[str, list[str]] = {}
    if fmt not in Format.values:
        errors["format"] = [
            _("Choose a format: %(allowed)s.") % {"allowed": ", ".join(Format.values)}
        ]
    if layout not in Layout.values:
        errors["layout"] = [
            _("Choose a layout: %(allowed)s.") % {"allowed": ", ".join(Layout.values)}
        ]
    wanted = (
        list(languages) if languages else content.default_languages(request.requested_authority)
    )
    try:
        wanted = content.check_languages(wanted, layout)
    except content.ContentError as exc:
        errors["languages"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return wanted


@dataclass(frozen=True)
class _Rendered:
    source: content.Source
    document: content.Document
    stored: storage.StoredDocument


def _render_once(request: Request, languages: list[str], fmt: str, layout: str) -> _Rendered:
    source = content.load(request)
    latest = DocumentVersion.objects.filter(request=request).aggregate(n=Max("number"))["n"]
    document = content.build(
        source,
        languages=languages,
        layout=layout,
        number=(latest or 0) + 1,
        verification_code=_unused_code(),
        generated_on=timezone.localdate(),
        check_url=check_url(),
    )
    data = renderer_for(fmt).render(document)
    return _Rendered(source, document, storage.store(data))


def _record(*, actor: User, rendered: _Rendered, fmt: str, layout: str) -> DocumentVersion:
    snapshot = rendered.source.request
    meta = rendered.document.meta
    with transaction.atomic():
        locked = Request.objects.select_for_update(of=("self",)).get(pk=snapshot.pk)
        taken = DocumentVersion.objects.filter(request=locked, number=meta.number).exists()
        if locked.version != snapshot.version or taken:
            raise _Changed
        version = DocumentVersion.objects.create(
            request=locked,
            number=meta.number,
            format=fmt,
            layout=layout,
            languages=list(meta.languages),
            created_at=timezone.now(),
            created_by=actor,
            status_at_generation=locked.status,
            request_version=locked.version,
            transition_event=rendered.source.last_transition,
            template_version=meta.template_version,
            content_sha256=rendered.document.content_sha256,
            sha256=rendered.stored.sha256,
            size=rendered.stored.size,
            storage_name=rendered.stored.storage_name,
            verification_code=meta.verification_code,
            sent=locked.submitted_at is not None,
        )
        audit_record(
            code=Code.DOCUMENT_GENERATED,
            actor=actor,
            subject_type="document",
            subject_id=str(version.public_id),
            details={
                "request": str(locked.public_id),
                "number": version.number,
                "format": fmt,
                "languages": version.languages,
                "sha256": version.sha256,
                "content_sha256": version.content_sha256,
                "sent": version.sent,
            },
        )
    return version


def document_render(
    *,
    request: Request,
    languages: list[str] | None,
    fmt: str,
    layout: str = Layout.SINGLE,
    actor: User,
) -> DocumentVersion:
    """Generate and keep a new version of the request's document; never touches another.

    Languages default to those the requested authority accepts (else English). Raises
    PermissionDenied (not the requesting side) or ValidationError (format, layout or
    languages); either way nothing is kept.
    """
    if not policy.can_generate_document(actor, request):
        raise PermissionDenied(_("Only the requesting side can generate the request's document."))
    wanted = _arguments(request, languages, fmt, layout)
    for _attempt in range(_ATTEMPTS):
        rendered = _render_once(request, wanted, fmt, layout)
        try:
            return _record(actor=actor, rendered=rendered, fmt=fmt, layout=layout)
        except (_Changed, IntegrityError):
            storage.discard(rendered.stored.storage_name)
        except BaseException:
            storage.discard(rendered.stored.storage_name)
            raise
    raise ValidationError(
        {"request": [_("The request changed while its document was written; try again.")]}
    )


def versions_mark_sent(*, request: Request, actor: User | None) -> int:
    """On submission: the draft versions generated from the text that was submitted (no
    edit since) are that text, so they are marked sent. Joins the caller's transaction."""
    last_edit = (
        TimelineEvent.objects.filter(
            request=request, kind__in=[EventKind.CREATED, EventKind.EDITED]
        )
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    versions = DocumentVersion.objects.filter(request=request, sent=False)
    if last_edit is not None:
        versions = versions.filter(created_at__gte=last_edit)
    numbers = sorted(versions.values_list("number", flat=True))
    if numbers:
        versions.update(sent=True)
        audit_record(
            code=Code.DOCUMENT_MARKED_SENT,
            actor=actor,
            subject_type="request",
            subject_id=str(request.public_id),
            details={"numbers": numbers},
        )
    return len(numbers)


def on_timeline_event(event: TimelineEvent) -> None:
    if event.kind == EventKind.TRANSITION and event.action == Action.SUBMIT:
        versions_mark_sent(request=event.request, actor=event.actor)


def document_record_download(*, reader: User, version: DocumentVersion) -> None:
    audit_record(
        code=Code.DOCUMENT_DOWNLOADED,
        actor=reader,
        subject_type="document",
        subject_id=str(version.public_id),
        details={"request": str(version.request.public_id), "sha256": version.sha256},
    )


def document_record_preview(*, reader: User, request: Request, languages: list[str]) -> None:
    audit_record(
        code=Code.DOCUMENT_PREVIEWED,
        actor=reader,
        subject_type="request",
        subject_id=str(request.public_id),
        details={"languages": languages},
    )


def documents_record_view(*, reader: User, request: Request) -> None:
    audit_record(
        code=Code.DOCUMENTS_VIEWED,
        actor=reader,
        subject_type="request",
        subject_id=str(request.public_id),
    )


def document_record_verification(
    *, reader: User, code: str, version: DocumentVersion | None, compared: str = ""
) -> None:
    audit_record(
        code=Code.DOCUMENT_VERIFIED,
        actor=reader,
        subject_type="document",
        subject_id=str(version.public_id) if version is not None else "",
        details={"code": code, "found": version is not None, "compared": compared},
    )


def fact_translation_save(
    *,
    actor: User,
    request: Request,
    field: str,
    language: str,
    text: str,
    status: str,
    certified_upload: tuple[str, Iterable[bytes]] | None = None,
) -> FactTranslation:
    """Set the translation of one typed fact into one document language.

    A certified translation needs its certified copy: an upload now, or one kept before.
    The upload is stored as an attachment of the request.
    """
    if not policy.can_edit_fact_translations(actor, request):
        raise PermissionDenied(_("Only the requesting side can record translations."))
    source = content.load(request)
    errors: dict[str, list[str]] = {}
    if field not in {fact.name for fact in content.typed_facts(source)}:
        errors["field"] = [_("This request has no typed text by that name.")]
    if language not in content.DOCUMENT_LANGUAGES:
        errors["language"] = [
            _("Choose a language: %(allowed)s.")
            % {"allowed": ", ".join(content.DOCUMENT_LANGUAGES)}
        ]
    if status not in TranslationStatus.values:
        errors["status"] = [_("Choose a translation status.")]
    text = text.strip()
    if status in (TranslationStatus.DONE, TranslationStatus.CERTIFIED) and not text:
        errors["text"] = [_("Enter the translation.")]
    existing = source.translations.get((field, language))
    has_file = certified_upload is not None or (
        existing is not None and existing.certified_file_id is not None
    )
    if status == TranslationStatus.CERTIFIED and not has_file:
        errors["certified_file"] = [_("Attach the certified translation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        attachment = existing.certified_file if existing is not None else None
        if certified_upload is not None:
            filename, chunks = certified_upload
            attachment = cooperation_services.attachment_upload(
                actor=actor,
                request=request,
                filename=filename,
                chunks=chunks,
                description=_("Certified translation (%(language)s): %(field)s")
                % {"language": language, "field": field},
            )
        translation, _created = FactTranslation.objects.update_or_create(
            request=request,
            field=field,
            language=language,
            defaults={
                "text": text,
                "status": status,
                "certified_file": attachment,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        audit_record(
            code=Code.FACT_TRANSLATION_SAVED,
            actor=actor,
            subject_type="request",
            subject_id=str(request.public_id),
            details={"field": field, "language": language, "status": status},
        )
    return translation
