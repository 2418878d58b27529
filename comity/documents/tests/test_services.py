"""Generating versions: stored, hashed, numbered, never overwritten, audited, refused cleanly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services as cooperation_services
from comity.cooperation.models import EventKind, Request
from comity.documents import services
from comity.documents.models import DocumentVersion, FactTranslation, TranslationStatus
from comity.documents.services import CODE_ALPHABET, normalise_code
from comity.documents.tests.conftest import file_bytes, render
from tests.builders import draft, submitted
from tests.personas import Personas

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "documents").rglob("*.bin"))


def test_a_version_is_stored_with_the_hash_of_its_file(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["fa"])
    data = file_bytes(version, document_dir)
    assert data.startswith(b"%PDF-")
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.size == len(data)
    assert version.storage_name.startswith("documents/")
    assert len(version.content_sha256) == 64
    assert version.content_sha256 != version.sha256
    assert version.number == 1
    assert version.languages == ["fa"]
    assert version.status_at_generation == "draft"
    assert version.request_version == iran_draft.version
    assert version.transition_event is None
    assert version.sent is False
    assert version.created_by == personas.requesting_officer


def test_the_verification_code_is_short_unambiguous_and_grouped(
    personas: Personas, iran_draft: Request
) -> None:
    version = render(iran_draft, personas.requesting_officer)
    code = version.verification_code
    assert len(code) == 10
    assert set(code) <= set(CODE_ALPHABET)
    assert version.code_display == f"{code[:4]}-{code[4:8]}-{code[8:]}"
    assert normalise_code(f" {version.code_display.lower()} ") == code


def test_typed_look_alikes_read_as_the_digits_they_stand_for() -> None:
    assert normalise_code("abcd-efgh-io") == "ABCDEFGH10"
    assert normalise_code("l0 O1") == "1001"


def test_generating_again_adds_a_version_and_leaves_the_first_file_unchanged(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    first = render(iran_draft, personas.requesting_officer, ["fa"])
    before = file_bytes(first, document_dir)
    second = render(iran_draft, personas.requesting_officer, ["fa"])
    third = render(iran_draft, personas.requesting_officer, ["en"], fmt="docx")
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert len({first.storage_name, second.storage_name, third.storage_name}) == 3
    assert len({first.verification_code, second.verification_code}) == 2
    assert file_bytes(first, document_dir) == before
    first.refresh_from_db()
    assert first.sha256 == hashlib.sha256(before).hexdigest()
    assert len(_files(document_dir)) == 3


def test_the_default_language_is_the_one_the_requested_authority_accepts(
    personas: Personas, iran_draft: Request
) -> None:
    assert render(iran_draft, personas.requesting_officer).languages == ["fa"]
    to_kyrgyzstan = draft(personas.requesting_officer)  # kgz-gpo accepts ky and ru
    assert render(to_kyrgyzstan, personas.requesting_officer).languages == ["ru"]


@pytest.mark.parametrize(
    "case",
    [
        (["kk"], "single", "pdf", "languages", "cannot be written in kk"),
        (["en", "fa"], "single", "pdf", "languages", "exactly one language"),
        (["en"], "bilingual", "pdf", "languages", "exactly two languages"),
        (["fa", "fa"], "bilingual", "pdf", "languages", "two different languages"),
        (["en"], "single", "odt", "format", "Choose a format"),
        (["en"], "sideways", "pdf", "layout", "Choose a layout"),
    ],
)
def test_it_refuses_what_it_cannot_write_and_keeps_nothing(
    personas: Personas,
    iran_draft: Request,
    document_dir: Path,
    case: tuple[list[str], str, str, str, str],
) -> None:
    languages, layout, fmt, field, says = case
    with pytest.raises(ValidationError) as refused:
        render(iran_draft, personas.requesting_officer, languages, fmt=fmt, layout=layout)
    assert says in " ".join(refused.value.message_dict[field])
    assert not DocumentVersion.objects.exists()
    assert not _files(document_dir)


@pytest.mark.parametrize("who", ["requesting_reviewer", "requested_officer", "outsider"])
def test_only_the_requesting_officers_generate(
    personas: Personas, who: str, document_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    with pytest.raises(PermissionDenied):
        render(request, getattr(personas, who))
    assert not DocumentVersion.objects.exists()
    assert not _files(document_dir)


def test_generating_is_audited(personas: Personas, iran_draft: Request) -> None:
    version = render(iran_draft, personas.requesting_officer, ["ru"], fmt="docx")
    event = AuditEvent.objects.get(code=Code.DOCUMENT_GENERATED)
    assert event.actor == personas.requesting_officer
    assert event.subject_id == str(version.public_id)
    assert event.details["sha256"] == version.sha256
    assert event.details["languages"] == ["ru"]


def test_a_version_generated_after_submission_is_sent_and_linked_to_the_transition(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    version = render(request, personas.requesting_officer)
    submit = request.events.get(kind=EventKind.TRANSITION, action="submit")
    assert version.sent is True
    assert version.status_at_generation == "submitted"
    assert version.transition_event == submit


def test_submitting_marks_the_versions_of_the_submitted_text_as_sent(
    personas: Personas, iran_draft: Request
) -> None:
    officer = personas.requesting_officer
    stale = render(iran_draft, officer)
    data = cooperation_services.RequestData(
        purpose="A new purpose.", provided=frozenset({"purpose"})
    )
    edited = cooperation_services.request_update_draft(actor=officer, request=iran_draft, data=data)
    current_pdf = render(edited, officer)
    current_docx = render(edited, officer, fmt="docx")
    cooperation_services.request_transition(actor=officer, request=edited, action="submit")
    sent = set(DocumentVersion.objects.filter(sent=True).values_list("number", flat=True))
    assert sent == {current_pdf.number, current_docx.number}
    stale.refresh_from_db()
    assert stale.sent is False
    assert AuditEvent.objects.filter(code=Code.DOCUMENT_MARKED_SENT).count() == 1


def test_a_translation_replaces_the_marker_in_that_language(
    personas: Personas, iran_draft: Request
) -> None:
    officer = personas.requesting_officer
    saved = services.fact_translation_save(
        actor=officer,
        request=iran_draft,
        field="summary_of_facts",
        language="fa",
        text="متهمان بین سال‌های ۲۰۲۴ و ۲۰۲۶ هروئین را از طریق اوش جابه‌جا کردند.",
        status=TranslationStatus.DONE,
    )
    assert saved.status == "done"
    assert FactTranslation.objects.get(field="summary_of_facts").updated_by == officer
    assert AuditEvent.objects.filter(code=Code.FACT_TRANSLATION_SAVED).exists()


def test_a_certified_translation_needs_its_certified_copy(
    personas: Personas, iran_draft: Request
) -> None:
    officer = personas.requesting_officer
    arguments = {
        "actor": officer,
        "request": iran_draft,
        "field": "purpose",
        "language": "fa",
        "text": "ردیابی عواید حاصل از قاچاق.",
        "status": TranslationStatus.CERTIFIED,
    }
    with pytest.raises(ValidationError) as refused:
        services.fact_translation_save(**arguments)  # type: ignore[arg-type]
    assert "certified_file" in refused.value.message_dict
    assert not FactTranslation.objects.exists()
    saved = services.fact_translation_save(
        **arguments,  # type: ignore[arg-type]
        certified_upload=("purpose-fa.pdf", [PDF_BYTES]),
    )
    assert saved.certified_file is not None
    assert saved.certified_file.request == iran_draft
    assert saved.certified_file.filename == "purpose-fa.pdf"


@pytest.mark.parametrize(
    "case",
    [
        ("nonsense", "fa", "done", "x", "field"),
        ("purpose", "kk", "done", "x", "language"),
        ("purpose", "fa", "approved", "x", "status"),
        ("purpose", "fa", "done", "  ", "text"),
    ],
)
def test_it_refuses_a_translation_of_nothing_or_into_nowhere(
    personas: Personas, iran_draft: Request, case: tuple[str, str, str, str, str]
) -> None:
    field, language, status, text, wrong = case
    with pytest.raises(ValidationError) as refused:
        services.fact_translation_save(
            actor=personas.requesting_officer,
            request=iran_draft,
            field=field,
            language=language,
            text=text,
            status=status,
        )
    assert wrong in refused.value.message_dict
    assert not FactTranslation.objects.exists()


def test_the_requested_side_cannot_record_translations(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    with pytest.raises(PermissionDenied):
        services.fact_translation_save(
            actor=personas.requested_officer,
            request=request,
            field="purpose",
            language="fa",
            text="x",
            status="done",
        )
