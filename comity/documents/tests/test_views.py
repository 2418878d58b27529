"""The documents pages through HTTP: the panel, generating, downloading, the preview, the
verification page and the translations page, for each persona."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services as cooperation_services
from comity.cooperation.models import Request
from comity.documents.models import DocumentVersion, FactTranslation
from comity.documents.tests.conftest import file_bytes, render
from tests.builders import draft, submitted
from tests.personas import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


def panel_url(request: Request) -> str:
    return reverse("documents:request_documents", kwargs={"request_id": request.public_id})


def download_url(version: DocumentVersion) -> str:
    return reverse("documents:download", kwargs={"id": version.public_id})


def preview_url(request: Request, *languages: str) -> str:
    url = reverse("documents:preview", kwargs={"request_id": request.public_id})
    return url + "?" + "&".join(f"lang={code}" for code in languages)


def translations_url(request: Request) -> str:
    return reverse("documents:translations", kwargs={"request_id": request.public_id})


VERIFY = "/documents/verify/"
# Session, user (with its authority), request, the audit event (five, savepoint included),
# the versions: whatever the number of versions.
PANEL_QUERIES = 9


# --- the panel and generating --------------------------------------------------------------


def test_the_detail_page_loads_the_panel(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    html = client_for(personas.requesting_officer).get(f"/requests/{request.public_id}/").content
    assert f'hx-get="{panel_url(request)}"'.encode() in html


def test_the_panel_offers_the_languages_the_requested_authority_accepts(
    personas: Personas, iran_draft: Request
) -> None:
    response = client_for(personas.requesting_officer).get(
        panel_url(iran_draft), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment for htmx
    assert '<option value="fa" selected>Persian (accepted by the requested authority)' in html
    assert '<option value="en">English</option>' in html


def test_generating_from_the_panel_adds_a_version(personas: Personas, iran_draft: Request) -> None:
    client = client_for(personas.requesting_officer)
    data = {"language": "fa", "second_language": "en", "format": "docx"}
    response = client.post(panel_url(iran_draft), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    version = DocumentVersion.objects.get()
    assert version.languages == ["fa", "en"] and version.layout == "bilingual"
    assert version.format == "docx"
    assert download_url(version) in response.content.decode()
    again = client.post(panel_url(iran_draft), {"language": "ru", "format": "pdf"})
    assert again.status_code == 302
    assert again["Location"].endswith(f"/requests/{iran_draft.public_id}/#documents")
    assert DocumentVersion.objects.count() == 2


def test_a_bad_choice_is_shown_again_and_nothing_is_kept(
    personas: Personas, iran_draft: Request
) -> None:
    response = client_for(personas.requesting_officer).post(
        panel_url(iran_draft), {"language": "fa", "second_language": "fa", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "two different languages" in response.content.decode()
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("requesting_reviewer", 403), ("requested_officer", 403), ("outsider", 404)],
)
def test_only_the_requesting_officers_generate_from_the_page(
    personas: Personas, who: str, expected: int
) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(getattr(personas, who)).post(
        panel_url(request), {"language": "en", "format": "pdf"}
    )
    assert response.status_code == expected
    assert not DocumentVersion.objects.exists()


def test_the_panel_shows_no_form_to_a_reviewer(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    render(request, personas.requesting_officer, ["en"])
    response = client_for(personas.requesting_reviewer).get(panel_url(request))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Download" in html
    assert "Generate a new version" not in html


def test_the_panel_costs_the_same_queries_however_many_versions(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = draft(personas.requesting_officer)
    client = client_for(personas.requesting_officer)
    for count in (1, 3):
        while DocumentVersion.objects.count() < count:
            render(request, personas.requesting_officer, ["en"], fmt="docx")
        with django_assert_num_queries(PANEL_QUERIES):
            response = client.get(panel_url(request), headers={"HX-Request": "true"})
        assert response.content.decode().count('<tr id="document-') == count


# --- downloads -----------------------------------------------------------------------------


def test_the_requesting_side_downloads_any_version(personas: Personas, document_dir: Path) -> None:
    request = draft(personas.requesting_officer)
    version = render(request, personas.requesting_officer, ["ru"])
    for user in (personas.requesting_officer, personas.requesting_reviewer):
        response = client_for(user).get(download_url(version))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == file_bytes(version, document_dir)  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"{request.reference}-v1-ru.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(code=Code.DOCUMENT_DOWNLOADED).count() == 2


def test_the_requested_side_downloads_sent_versions_only(personas: Personas) -> None:
    officer = personas.requesting_officer
    request = draft(officer)
    before = render(request, officer, ["ru"])
    requested = client_for(personas.requested_officer)
    assert requested.get(download_url(before)).status_code == 404  # still a draft
    cooperation_services.request_transition(actor=officer, request=request, action="submit")
    assert requested.get(download_url(before)).status_code == 200  # the submitted text
    after = render(request, officer, ["en"])
    assert requested.get(download_url(after)).status_code == 200


def test_a_draft_version_stays_hidden_from_the_requested_side(personas: Personas) -> None:
    officer = personas.requesting_officer
    request = draft(officer)
    stale = render(request, officer, ["ru"])
    edit = cooperation_services.RequestData(purpose="Changed.", provided=frozenset({"purpose"}))
    request = cooperation_services.request_update_draft(actor=officer, request=request, data=edit)
    cooperation_services.request_transition(actor=officer, request=request, action="submit")
    assert client_for(personas.requested_officer).get(download_url(stale)).status_code == 404
    html = client_for(personas.requested_officer).get(panel_url(request)).content.decode()
    assert download_url(stale) not in html


@pytest.mark.parametrize("who", ["outsider", "coordinator", "node_admin"])
def test_anyone_else_gets_404_as_for_a_missing_version(personas: Personas, who: str) -> None:
    request = submitted(personas.requesting_officer)
    version = render(request, personas.requesting_officer, ["en"])
    assert client_for(getattr(personas, who)).get(download_url(version)).status_code == 404
    missing = "/documents/00000000-0000-0000-0000-000000000000/"
    assert client_for(personas.requesting_officer).get(missing).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    version = render(request, personas.requesting_officer, ["en"])
    for url in (download_url(version), panel_url(request), VERIFY, preview_url(request, "en")):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# --- the preview ---------------------------------------------------------------------------


def test_the_preview_is_the_document_as_a_right_to_left_page(
    personas: Personas, iran_draft: Request
) -> None:
    response = client_for(personas.requesting_officer).get(preview_url(iran_draft, "fa"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "معاضدت حقوقی متقابل" in html
    assert not DocumentVersion.objects.exists()
    assert AuditEvent.objects.filter(code=Code.DOCUMENT_PREVIEWED).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("requesting_officer", 200), ("requesting_reviewer", 200), ("requested_officer", 403),
     ("outsider", 404)],
)  # fmt: skip
def test_the_preview_is_for_the_requesting_side(
    personas: Personas, who: str, expected: int
) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(getattr(personas, who)).get(preview_url(request, "ru"))
    assert response.status_code == expected


def test_the_preview_refuses_an_unsupported_language(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = client_for(personas.requesting_officer).get(preview_url(request, "kk"))
    assert response.status_code == 400
    assert "cannot be written in kk" in response.content.decode()


# --- verification --------------------------------------------------------------------------


def _verify(user: User, **data: object) -> Response:
    response: Response = client_for(user).post(VERIFY, data)
    return response


def test_the_verification_page_finds_a_code_and_shows_both_hashes(
    personas: Personas, iran_draft: Request
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["fa"])
    response = _verify(personas.requesting_officer, code=version.code_display.lower())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="verification-valid"' in html
    assert version.sha256 in html and version.content_sha256 in html
    assert iran_draft.reference in html  # the reader may see the request
    assert AuditEvent.objects.filter(code=Code.DOCUMENT_VERIFIED).exists()


def test_it_hides_the_request_from_a_reader_who_cannot_see_it(
    personas: Personas, iran_draft: Request
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["fa"])
    html = _verify(personas.outsider, code=version.verification_code).content.decode()
    assert 'id="verification-valid"' in html
    assert version.content_sha256 in html
    assert "General Prosecutor" in html  # the requesting authority
    assert iran_draft.reference not in html
    assert iran_draft.title not in html


def test_an_unknown_code_says_there_is_no_such_document(personas: Personas) -> None:
    html = _verify(personas.outsider, code="ZZZZ-ZZZZ-ZZ").content.decode()
    assert 'id="verification-unknown"' in html
    assert "no document with the code ZZZZZZZZZZ" in html


def test_the_uploaded_file_matches_and_a_changed_one_does_not(
    personas: Personas, iran_draft: Request, document_dir: Path
) -> None:
    version = render(iran_draft, personas.requesting_officer, ["en"])
    data = file_bytes(version, document_dir)
    same = SimpleUploadedFile("request.pdf", data, content_type="application/pdf")
    html = _verify(personas.requested_officer, code=version.verification_code, file=same)
    assert 'id="verification-match"' in html.content.decode()
    changed = SimpleUploadedFile("request.pdf", data + b"\n", content_type="application/pdf")
    html = _verify(personas.requested_officer, code=version.verification_code, file=changed)
    assert 'id="verification-mismatch"' in html.content.decode()
    assert not (document_dir / "request.pdf").exists()


def test_a_pasted_hash_is_compared_too(personas: Personas, iran_draft: Request) -> None:
    version = render(iran_draft, personas.requesting_officer, ["en"])
    right = _verify(
        personas.outsider, code=version.verification_code, sha256=version.sha256.upper()
    )
    assert 'id="verification-match"' in right.content.decode()
    wrong_hash = hashlib.sha256(b"something else").hexdigest()
    wrong = _verify(personas.outsider, code=version.verification_code, sha256=wrong_hash)
    assert 'id="verification-mismatch"' in wrong.content.decode()
    bad = _verify(personas.outsider, code=version.verification_code, sha256="abc")
    assert bad.status_code == 400
    assert "64 hexadecimal characters" in bad.content.decode()


# --- translations --------------------------------------------------------------------------


def test_the_translations_page_lists_the_typed_facts_and_saves_one(
    personas: Personas, iran_draft: Request
) -> None:
    client = client_for(personas.requesting_officer)
    page = client.get(translations_url(iran_draft) + "?field=purpose&language=fa")
    assert page.status_code == 200
    assert 'id="translation-form"' in page.content.decode()
    response = client.post(
        translations_url(iran_draft),
        {"field": "purpose", "language": "fa", "text": "ردیابی عواید.", "status": "done"},
    )
    assert response.status_code == 302
    assert FactTranslation.objects.get().text == "ردیابی عواید."


def test_a_certified_translation_without_its_copy_is_refused_on_the_page(
    personas: Personas, iran_draft: Request
) -> None:
    response = client_for(personas.requesting_officer).post(
        translations_url(iran_draft),
        {"field": "purpose", "language": "fa", "text": "ردیابی عواید.", "status": "certified"},
    )
    assert response.status_code == 400
    assert "Attach the certified translation." in response.content.decode()
    assert not FactTranslation.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("requesting_reviewer", 403), ("requested_officer", 403), ("outsider", 404)],
)
def test_only_the_requesting_officers_record_translations(
    personas: Personas, who: str, expected: int
) -> None:
    request = submitted(personas.requesting_officer)
    assert client_for(getattr(personas, who)).get(translations_url(request)).status_code == expected
