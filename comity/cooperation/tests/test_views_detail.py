"""The request detail page, its actions, messages and attachments, through HTTP."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services
from comity.cooperation.models import Attachment, Message, MessageReceipt, Request, TimelineEvent
from comity.directory.models import Authority
from tests.builders import draft, submitted
from tests.personas import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="comity.accounts.backends.UserBackend")
    return client


def detail_url(request: Request) -> str:
    return reverse("cooperation:detail", kwargs={"id": request.public_id})


def transition_url(request: Request) -> str:
    return reverse("cooperation:transition", kwargs={"id": request.public_id})


def messages_url(request: Request) -> str:
    return reverse("cooperation:messages", kwargs={"id": request.public_id})


def upload_url(request: Request) -> str:
    return reverse("cooperation:attachment_upload", kwargs={"id": request.public_id})


def download_url(request: Request, attachment_id: uuid.UUID) -> str:
    return reverse(
        "cooperation:attachment_download",
        kwargs={"id": request.public_id, "attachment_id": attachment_id},
    )


def section(response: Response, name: str) -> str:
    """The HTML of one <section id=...> of the page."""
    html = response.content.decode()
    match = re.search(rf'<section[^>]*id="{name}".*?</section>', html, re.DOTALL)
    assert match is not None, f"no section {name}"
    return match.group(0)


def act(user: User, request: Request, action: str, **fields: str) -> Response:
    response: Response = client_for(user).post(
        transition_url(request), {"action": action, **fields}
    )
    return response


def status_of(request: Request) -> str:
    request.refresh_from_db()
    return request.status


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def attachment_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(COMITY_ATTACHMENT_DIR=tmp_path):
        yield tmp_path


# --- who sees the page -------------------------------------------------------------------


def test_the_requesting_and_the_requested_officer_see_the_whole_request(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    for user in (personas.requesting_officer, personas.requested_officer):
        response = client_for(user).get(detail_url(request))
        assert response.status_code == 200
        html = response.content.decode()
        assert request.reference in html
        assert "Bank records of a drug-trafficking network" in html
        assert "Нурлан Ахметов</bdi>" in html  # names keep their own direction
        assert "0601" in html
        assert "Art. 297 Criminal Code" in html
        assert "Bank records" in html  # the measure's label, not its code
        assert "Investigation Department, Almaty" in html
        assert "Acknowledgement due" in html


def _unmasked(content: bytes) -> bytes:
    content = re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_an_outsider_gets_the_same_404_as_for_a_request_that_does_not_exist(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.outsider)
    hidden = client.get(detail_url(request))
    unknown = uuid.uuid4()
    missing = client.get(reverse("cooperation:detail", kwargs={"id": unknown}))
    assert hidden.status_code == missing.status_code == 404
    # The pages differ only in the CSRF token, masked afresh for every response, and in the
    # address the visitor asked for (the language switcher returns to it).
    assert _unmasked(hidden.content).replace(str(request.public_id).encode(), b"ID") == (
        _unmasked(missing.content).replace(str(unknown).encode(), b"ID")
    )
    assert request.reference.encode() not in hidden.content


def test_an_anonymous_visitor_is_sent_to_sign_in(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(None).get(detail_url(request))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_draft_is_hidden_from_the_requested_side(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    assert client_for(personas.requesting_officer).get(detail_url(request)).status_code == 200
    assert client_for(personas.requested_officer).get(detail_url(request)).status_code == 404


def test_the_reviewer_reads_the_page_but_has_no_actions_and_cannot_act(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(personas.requested_reviewer).get(detail_url(request))
    assert response.status_code == 200
    assert transition_url(request) not in response.content.decode()
    assert 'id="actions"' not in response.content.decode()
    # The officer of the same authority does get the button.
    officer_page = client_for(personas.requested_officer).get(detail_url(request))
    assert transition_url(request) in officer_page.content.decode()
    assert act(personas.requested_reviewer, request, "acknowledge").status_code == 403
    assert status_of(request) == "submitted"


def test_reading_the_page_is_audited(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    client_for(personas.requested_officer).get(detail_url(request))
    assert AuditEvent.objects.filter(
        code=Code.REQUEST_VIEWED,
        actor=personas.requested_officer,
        subject_id=str(request.public_id),
    ).exists()


def test_only_allowed_actions_are_offered(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    requested = section(client_for(personas.requested_officer).get(detail_url(request)), "actions")
    assert 'value="acknowledge"' in requested
    assert 'value="refuse"' in requested
    assert 'value="execute"' not in requested  # not before execution has started
    requesting = section(
        client_for(personas.requesting_officer).get(detail_url(request)), "actions"
    )
    assert 'value="withdraw"' in requesting
    assert 'value="acknowledge"' not in requesting


# --- actions -----------------------------------------------------------------------------


def test_the_transition_url_answers_405_to_get(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(personas.requested_officer).get(transition_url(request))
    assert response.status_code == 405


def test_it_refuses_a_transition_from_the_wrong_state_with_400_and_changes_nothing(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    events = TimelineEvent.objects.filter(request=request).count()
    response = act(personas.requested_officer, request, "execute", confirm="on")
    assert response.status_code == 400
    assert "is not possible while the request is “Submitted”" in response.content.decode()
    assert status_of(request) == "submitted"
    assert TimelineEvent.objects.filter(request=request).count() == events


def test_it_shows_a_missing_reason_beside_the_field_with_400(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    assert act(personas.requested_officer, request, "acknowledge").status_code == 302
    response = act(personas.requested_officer, request, "request_info", reason="  ")
    assert response.status_code == 400
    panel = section(response, "actions")
    assert re.search(r'id="id_request_info_reason_error"[^>]*>[^<]*required', panel)
    assert 'aria-describedby="id_request_info_reason_error"' in panel
    assert "<details" in panel and " open>" in panel
    assert status_of(request) == "acknowledged"


def test_a_final_step_needs_the_confirmation_box_ticked(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = act(personas.requesting_officer, request, "submit")
    assert response.status_code == 400
    assert "Tick the box to confirm this step." in response.content.decode()
    assert status_of(request) == "draft"
    assert act(personas.requesting_officer, request, "submit", confirm="on").status_code == 302
    assert status_of(request) == "submitted"


def test_an_incomplete_draft_is_not_submitted_and_the_page_says_what_is_missing(
    personas: Personas,
) -> None:
    request = draft(personas.requesting_officer, purpose="", offences=[])
    response = act(personas.requesting_officer, request, "submit", confirm="on")
    assert response.status_code == 400
    panel = section(response, "actions")
    assert "Name at least one offence and its provision of national law." in panel
    assert (
        "Purpose of the request: State the purpose for which the evidence, information or "
        "action is sought. (UNTOC art. 18(15)(f))" in panel
    )
    assert status_of(request) == "draft"


def test_a_refused_step_is_explained_in_the_language_and_direction_of_the_user(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.requested_officer)
    response = client.post(
        transition_url(request),
        {"action": "refuse", "reason": "—", "confirm": "on"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="fa"' in html
    assert 'dir="rtl"' in html
    assert "این فیلد لازم است." in section(response, "actions")  # "This field is required."
    assert status_of(request) == "submitted"


def test_the_refusal_asks_for_a_ground_and_shows_it_on_the_timeline(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = act(personas.requested_officer, request, "refuse", reason="No", confirm="on")
    assert response.status_code == 400
    assert 'id="id_refuse_ground_error"' in section(response, "actions")
    response = act(
        personas.requested_officer,
        request,
        "refuse",
        reason="The conduct is not an offence here.",
        ground="no_dual_criminality",
        confirm="on",
    )
    assert response.status_code == 302
    page = client_for(personas.requesting_officer).get(detail_url(request))
    timeline = section(page, "timeline")
    assert "No dual criminality" in timeline
    assert "The conduct is not an offence here." in timeline


def test_assigning_an_executing_authority_opens_the_request_to_it(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    act(personas.requested_officer, request, "acknowledge")
    assert client_for(personas.executing_officer).get(detail_url(request)).status_code == 404
    foreign = Authority.objects.get(key="tjk-gpo")
    refused = act(
        personas.requested_officer, request, "assign", executing_authority=str(foreign.public_id)
    )
    assert refused.status_code == 400
    response = act(
        personas.requested_officer,
        request,
        "assign",
        executing_authority=str(personas.kgz_executing.public_id),
    )
    assert response.status_code == 302
    page = client_for(personas.executing_officer).get(detail_url(request))
    assert page.status_code == 200
    assert personas.kgz_executing.name_en in page.content.decode()


def test_the_whole_flow_through_the_pages_ends_executed_with_every_step_on_the_timeline(
    personas: Personas,
) -> None:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    request = draft(kaz)
    steps: list[tuple[User, str, dict[str, str]]] = [
        (kaz, "submit", {"confirm": "on"}),
        (kgz, "acknowledge", {}),
        (kgz, "request_info", {"reason": "Which branch of Bank X?"}),
        (kaz, "provide_info", {"reason": "The main branch in Osh."}),
        (kgz, "execute", {"confirm": "on"}),
    ]
    for user, action, fields in steps:
        response = act(user, request, action, **fields)
        assert response.status_code == 302, (action, response.content.decode()[:2000])
        assert response["Location"] == detail_url(request)
    assert status_of(request) == "executed"
    page = client_for(kaz).get(detail_url(request), follow=True)
    timeline = section(page, "timeline")
    for label in (
        "Submit",
        "Acknowledge receipt",
        "Request additional information",
        "Provide additional information",
        "Mark executed",
        "Which branch of Bank X?",
        "The main branch in Osh.",
    ):
        assert label in timeline
    assert timeline.count('class="list-group-item"') == 6  # created + five steps


def test_a_successful_step_redirects_with_a_message(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.requested_officer)
    response = client.post(transition_url(request), {"action": "acknowledge"}, follow=True)
    assert response.redirect_chain == [(detail_url(request), 302)]
    assert "Done: Acknowledge receipt." in response.content.decode()


# --- messages ----------------------------------------------------------------------------


def test_messages_and_replies_form_a_thread(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(personas.requesting_officer).post(
        messages_url(request), {"body": "Did you receive the annexes?"}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(request) + "#messages"
    question = Message.objects.get(request=request)
    response = client_for(personas.requested_officer).post(
        messages_url(request), {"body": "Yes, all three.", "parent": str(question.public_id)}
    )
    assert response.status_code == 302
    answer = Message.objects.get(request=request, parent=question)
    thread = section(client_for(personas.requesting_officer).get(detail_url(request)), "messages")
    assert thread.index("Did you receive the annexes?") < thread.index("Yes, all three.")
    assert re.search(
        rf'<li class="ms-4[^"]*">\s*<article[^>]*id="message-{answer.public_id}"', thread
    )


def test_an_htmx_post_returns_the_refreshed_thread(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(personas.requested_officer).post(
        messages_url(request), {"body": "Салом, привет, سلام"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="mb-4" id="messages"')
    assert "<html" not in html
    assert "Салом, привет, سلام" in html


def test_an_empty_message_is_refused_with_400_and_the_reason(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.requested_officer)
    page = client.post(messages_url(request), {"body": "   "})
    assert page.status_code == 400
    assert "This field is required." in section(page, "messages")
    partial = client.post(messages_url(request), {"body": ""}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 400
    assert "This field is required." in partial.content.decode()
    reply = client.post(messages_url(request), {"body": "Hi", "parent": str(uuid.uuid4())})
    assert reply.status_code == 400
    assert "The message you answer is not on this request." in reply.content.decode()
    assert not Message.objects.filter(request=request).exists()


def test_a_reviewer_cannot_write(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.requested_reviewer)
    assert client.post(messages_url(request), {"body": "Hello"}).status_code == 403
    assert client.post(messages_url(request), {"body": ""}).status_code == 403
    assert not Message.objects.filter(request=request).exists()


def test_an_outsider_can_neither_read_nor_write_messages(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    client = client_for(personas.outsider)
    assert client.get(messages_url(request)).status_code == 404
    assert client.post(messages_url(request), {"body": "Hello"}).status_code == 404
    assert not Message.objects.filter(request=request).exists()


def test_read_receipts_are_recorded_when_the_other_side_opens_the_page(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    message = services.message_post(
        actor=personas.requesting_officer, request=request, body="Please confirm receipt."
    )
    before = section(client_for(personas.requesting_officer).get(detail_url(request)), "messages")
    assert "Not yet read by the other side." in before
    assert "kgz.officer" not in before

    client_for(personas.requested_officer).get(detail_url(request))
    assert MessageReceipt.objects.filter(message=message, user=personas.requested_officer).exists()

    after = section(client_for(personas.requesting_officer).get(detail_url(request)), "messages")
    assert "Read by 1 person on the other side:" in after
    assert "kgz.officer" in after
    # The requesting reviewer reading it too is the same side: it does not count.
    client_for(personas.requesting_reviewer).get(detail_url(request))
    again = section(client_for(personas.requesting_officer).get(detail_url(request)), "messages")
    assert "Read by 1 person on the other side:" in again


def test_the_messages_partial_is_audited_and_marks_the_messages_read(
    personas: Personas,
) -> None:
    request = submitted(personas.requesting_officer)
    message = services.message_post(actor=personas.requesting_officer, request=request, body="?")
    response = client_for(personas.requested_officer).get(
        messages_url(request), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert MessageReceipt.objects.filter(message=message, user=personas.requested_officer).exists()
    assert AuditEvent.objects.filter(
        code=Code.MESSAGES_VIEWED,
        actor=personas.requested_officer,
        subject_id=str(request.public_id),
    ).exists()


# --- attachments -------------------------------------------------------------------------


def upload(user: User, request: Request, name: str, data: bytes, **extra: str) -> Response:
    response: Response = client_for(user).post(
        upload_url(request),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf"), **extra},
    )
    return response


def test_a_pdf_goes_up_and_comes_back_byte_identical(
    personas: Personas, attachment_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    response = upload(
        personas.requesting_officer, request, "evidence.pdf", PDF, description="Bank statement"
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(request) + "#attachments"
    attachment = Attachment.objects.get(request=request)
    digest = hashlib.sha256(PDF).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.content_type == "application/pdf"

    page = client_for(personas.requested_officer).get(detail_url(request))
    listing = section(page, "attachments")
    assert digest in listing
    assert "evidence.pdf" in listing
    assert "Bank statement" in listing
    assert download_url(request, attachment.public_id) in listing

    download = client_for(personas.requested_officer).get(
        download_url(request, attachment.public_id)
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="evidence.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert AuditEvent.objects.filter(
        code=Code.ATTACHMENT_DOWNLOADED,
        actor=personas.requested_officer,
        subject_id=str(attachment.public_id),
    ).exists()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "data"),
    [("report.pdf", ELF), ("tool.exe", WINDOWS_EXE), ("statement.pdf", HTML)],
    ids=["elf-named-pdf", "windows-exe", "html-named-pdf"],
)
def test_it_refuses_a_file_by_what_it_contains_not_by_its_name(
    personas: Personas, attachment_dir: Path, name: str, data: bytes
) -> None:
    request = submitted(personas.requesting_officer)
    response = upload(personas.requesting_officer, request, name, data)
    assert response.status_code == 400
    assert "This type of file is not accepted." in section(response, "attachments")
    assert not Attachment.objects.filter(request=request).exists()
    assert stored_files(attachment_dir) == []


def test_it_refuses_an_oversized_file_and_keeps_nothing(
    personas: Personas, attachment_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    with override_settings(COMITY_ATTACHMENT_MAX_BYTES=1024):
        response = upload(personas.requesting_officer, request, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "The file is larger than" in section(response, "attachments")
    assert not Attachment.objects.filter(request=request).exists()
    assert stored_files(attachment_dir) == []


def test_an_upload_without_a_file_is_refused(personas: Personas, attachment_dir: Path) -> None:
    request = submitted(personas.requesting_officer)
    response = client_for(personas.requesting_officer).post(upload_url(request), {})
    assert response.status_code == 400
    assert "This field is required." in section(response, "attachments")


def test_the_reviewer_cannot_upload(personas: Personas, attachment_dir: Path) -> None:
    request = submitted(personas.requesting_officer)
    assert upload(personas.requested_reviewer, request, "a.pdf", PDF).status_code == 403
    assert upload(personas.outsider, request, "a.pdf", PDF).status_code == 404
    assert not Attachment.objects.filter(request=request).exists()


def test_the_outsider_download_is_404_like_a_missing_file(
    personas: Personas, attachment_dir: Path
) -> None:
    request = submitted(personas.requesting_officer)
    attachment = services.attachment_upload(
        actor=personas.requesting_officer, request=request, filename="a.pdf", chunks=[PDF]
    )
    outsider = client_for(personas.outsider)
    hidden = outsider.get(download_url(request, attachment.public_id))
    missing = client_for(personas.requesting_officer).get(download_url(request, uuid.uuid4()))
    assert hidden.status_code == missing.status_code == 404
    assert not AuditEvent.objects.filter(code=Code.ATTACHMENT_DOWNLOADED).exists()


def test_a_draft_attachment_is_hidden_from_the_requested_side(
    personas: Personas, attachment_dir: Path
) -> None:
    request = draft(personas.requesting_officer)
    attachment = services.attachment_upload(
        actor=personas.requesting_officer, request=request, filename="a.pdf", chunks=[PDF]
    )
    url = download_url(request, attachment.public_id)
    assert client_for(personas.requested_officer).get(url).status_code == 404
    assert client_for(personas.requesting_officer).get(url).status_code == 200


# --- no N+1 ------------------------------------------------------------------------------


def a_busy_request(personas: Personas, n: int) -> Request:
    """A request with n offences, persons, message threads, attachments and extra steps."""
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    request = submitted(
        kaz,
        offences=[services.OffenceData(iccs="0601", provision=f"Art. {i}") for i in range(n)],
        assistance_sought=[services.MeasureData(measure="bank_records") for _ in range(n)],
        persons=[services.PersonData(role="witness", name=f"Шахзод {i}") for i in range(n)],
    )
    request = services.request_transition(actor=kgz, request=request, action="acknowledge")
    for i in range(n):
        request = services.request_transition(
            actor=kgz, request=request, action="request_info", reason=f"Question {i}"
        )
        request = services.request_transition(
            actor=kaz, request=request, action="provide_info", reason=f"Answer {i}"
        )
        first = services.message_post(actor=kaz, request=request, body=f"Message {i}")
        services.message_post(actor=kgz, request=request, body=f"Reply {i}", parent=first.public_id)
        services.attachment_upload(actor=kgz, request=request, filename=f"r{i}.pdf", chunks=[PDF])
    return request


def test_the_page_costs_the_same_number_of_queries_however_much_it_shows(
    personas: Personas,
    attachment_dir: Path,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    small, large = a_busy_request(personas, 2), a_busy_request(personas, 6)
    client = client_for(personas.requesting_officer)
    for request, n in ((small, 2), (large, 6)):
        client.get(detail_url(request))  # the first read records receipts; measure the next
        with django_assert_num_queries(QUERIES_PER_PAGE):
            response = client.get(detail_url(request))
        html = response.content.decode()
        assert html.count("<article") == 2 * n
        assert html.count('id="attachment-') == n
        assert html.count("Шахзод") == n


# Session and user with its authority (2), the request (1), the audit append with its
# savepoint, head, insert and update (5), the unread-messages check (1), the contents:
# offences, measures, persons, events, messages, receipts, attachments (7), and the
# navbar's unread-notifications count (1).
QUERIES_PER_PAGE = 17
