"""The consultation pages through HTTP: who reaches what, and what each side reads."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.consultation import services
from comity.consultation.models import Consultation, ConsultationStatus
from comity.cooperation import services as cooperation
from comity.cooperation.models import Request, TimelineEvent
from tests.builders import draft
from tests.personas import Personas

from .conftest import PERSONAS, client_for, persona, share

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

LOGIN = 302


def _url(name: str, consultation: Consultation) -> str:
    if name == "new":
        return reverse("consultation:new", kwargs={"request_id": consultation.request.public_id})
    if name == "list":
        return reverse("consultation:list")
    return reverse(f"consultation:{name}", kwargs={"id": consultation.public_id})


def _parties(requesting: int, requested: int, reviewers: int | None = None) -> dict[str, int]:
    return {
        "anonymous": LOGIN,
        "requesting": requesting,
        "requesting_reviewer": requesting if reviewers is None else reviewers,
        "requested": requested,
        "requested_reviewer": requested if reviewers is None else reviewers,
        "executing": 404,
        "outsider": 404,
        "coordinator": 404,
    }


# (route, method, data, expected status per persona). Each runs on a fresh consultation.
ROUTES: list[tuple[str, str, dict[str, str], dict[str, int]]] = [
    ("list", "GET", {}, {**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    ("detail", "GET", {}, _parties(200, 200)),
    ("comments", "GET", {}, _parties(200, 200)),
    ("comments", "POST", {"body": "Please name the bank."}, _parties(302, 302, reviewers=403)),
    ("share", "POST", {"note": "Again."}, _parties(302, 403, reviewers=403)),
    ("close", "POST", {}, _parties(302, 403, reviewers=403)),
    # The draft itself is hidden from the other side: 404 there, like any draft.
    (
        "new",
        "GET",
        {},
        {**_parties(200, 404), "requesting_reviewer": 403, "requested_reviewer": 404},
    ),
    (
        "new",
        "POST",
        {"message": "Hello"},
        {**_parties(302, 404), "requesting_reviewer": 403, "requested_reviewer": 404},
    ),
]
CASES = [(i, name) for i in range(len(ROUTES)) for name in PERSONAS]


@pytest.mark.parametrize(("index", "name"), CASES)
def test_route_access(personas: Personas, index: int, name: str) -> None:
    route, method, data, expected = ROUTES[index]
    consultation = share(personas)
    if route == "share":  # something to share again
        _retitle(personas, consultation, "Retitled")
    client = client_for(persona(personas, name))
    url = _url(route, consultation)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == expected[name], f"{method} {route} as {name}"
    if expected[name] == LOGIN and name == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_hidden_answers_exactly_like_missing(
    personas: Personas, consultation: Consultation
) -> None:
    client = client_for(personas.outsider)
    hidden = client.get(_url("detail", consultation))
    missing = client.get("/consultation/00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert _unmasked(hidden.content) == _unmasked(missing.content)


def _unmasked(content: bytes) -> bytes:
    """The page without what differs per response anyway: the CSRF token and the path
    the language form returns to."""
    content = re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" value="[^"]+"', b"", content)


def test_get_is_not_allowed_on_the_actions(personas: Personas, consultation: Consultation) -> None:
    client = client_for(personas.requesting_officer)
    for route in ("share", "close"):
        assert client.get(_url(route, consultation)).status_code == 405


# --- what each side reads ----------------------------------------------------------------


def _retitle(personas: Personas, consultation: Consultation, title: str) -> None:
    data = cooperation.RequestData(provided=frozenset({"title"}), title=title)
    cooperation.request_update_draft(
        actor=personas.requesting_officer, request=consultation.request, data=data
    )


def _text(response: Response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_requested_side_reads_what_was_shared_not_the_live_draft(
    personas: Personas, consultation: Consultation
) -> None:
    _retitle(personas, consultation, "A title not yet shared")
    page = _text(client_for(personas.requested_officer).get(_url("detail", consultation)))
    assert "Bank records of a drug-trafficking network" in page
    assert "A title not yet shared" not in page
    assert "Нурлан Ахметов" in page
    assert "Art. 297 Criminal Code" in page
    assert "Could you check this?" in page
    # No way to the draft from the other side.
    assert reverse("cooperation:detail", kwargs={"id": consultation.request.public_id}) not in page
    listing = _text(client_for(personas.requested_officer).get(_url("list", consultation)))
    assert "A title not yet shared" not in listing
    assert "Bank records of a drug-trafficking network" in listing


def test_sharing_again_shows_the_new_revision_and_keeps_the_old_one_readable(
    personas: Personas, consultation: Consultation
) -> None:
    _retitle(personas, consultation, "Bank records at Bank X")
    response = client_for(personas.requesting_officer).post(
        _url("share", consultation), {"note": "Bank named."}, follow=True
    )
    page = _text(response)
    assert "Revision 2 was shared." in page
    assert "Bank records at Bank X" in page
    assert "Changed" in page
    reader = client_for(personas.requested_officer)
    old = _text(reader.get(_url("detail", consultation) + "?revision=1"))
    assert "Bank records of a drug-trafficking network" in old
    assert "The draft as shared (revision 1)" in old
    assert AuditEvent.objects.filter(
        code=Code.CONSULTATION_VIEWED, details__revision=1, actor=personas.requested_officer
    ).exists()


def test_sharing_again_unchanged_says_so_and_changes_nothing(
    personas: Personas, consultation: Consultation
) -> None:
    response = client_for(personas.requesting_officer).post(_url("share", consultation), {})
    assert response.status_code == 400
    assert "has not changed since revision 1" in _text(response)
    assert consultation.revisions.count() == 1


def test_a_comment_posted_with_htmx_comes_back_as_the_thread(
    personas: Personas, consultation: Consultation
) -> None:
    client = client_for(personas.requested_officer)
    response = client.post(
        _url("comments", consultation),
        {"body": "Which branch of Bank X?", "field": "assistance_sought"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = _text(response)
    assert html.lstrip().startswith('<section class="mb-4" id="comments"')
    assert "Which branch of Bank X?" in html
    assert "On revision 1: Assistance sought" in html
    assert "<html" not in html


def test_an_empty_comment_is_refused_with_a_message_in_place(
    personas: Personas, consultation: Consultation
) -> None:
    client = client_for(personas.requested_officer)
    response = client.post(
        _url("comments", consultation), {"body": "  "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    html = _text(response)
    assert 'aria-invalid="true"' in html
    assert "This field is required." in html
    assert not consultation.comments.exists()
    full = client.post(_url("comments", consultation), {"body": ""})
    assert full.status_code == 400
    assert "<html" in full.content.decode()


def test_the_drafter_sees_the_comment_on_the_part_it_is_about(
    personas: Personas, consultation: Consultation
) -> None:
    services.consultation_comment(
        actor=personas.requested_officer,
        consultation=consultation,
        body="Dual criminality is met.",
        field="summary_of_facts",
    )
    page = _text(client_for(personas.requesting_officer).get(_url("detail", consultation)))
    assert "Dual criminality is met." in page
    assert "1 comment" in page  # beside the summary of facts
    assert reverse("cooperation:detail", kwargs={"id": consultation.request.public_id}) in page


def test_after_submission_the_page_is_read_only_and_posting_is_refused(
    personas: Personas, consultation: Consultation
) -> None:
    cooperation.request_transition(
        actor=personas.requesting_officer, request=consultation.request, action="submit"
    )
    for user in (personas.requesting_officer, personas.requested_officer):
        client = client_for(user)
        page = _text(client.get(_url("detail", consultation)))
        assert "The consultation is closed" in page
        assert "The request was submitted" in page
        assert "Add comment" not in page
        assert "Share again" not in page
        response = client.post(_url("comments", consultation), {"body": "Late comment"})
        assert response.status_code == 400
        assert "This consultation is closed" in _text(response)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert not consultation.comments.exists()
    events = TimelineEvent.objects.filter(request=consultation.request)
    assert not any("Late comment" in str(e.details) + e.reason for e in events)


def test_closing_keeps_the_consultation_readable(
    personas: Personas, consultation: Consultation
) -> None:
    client = client_for(personas.requesting_officer)
    page = _text(client.post(_url("close", consultation), follow=True))
    assert "The consultation was closed." in page
    assert "Closed by the requesting authority" in page
    again = _text(client.post(_url("close", consultation), follow=True))
    assert "This consultation is closed" in again


# --- sharing from the draft ----------------------------------------------------------------


def test_sharing_a_draft_from_its_page(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    client = client_for(personas.requesting_officer)
    url = reverse("consultation:new", kwargs={"request_id": request.public_id})
    form = _text(client.get(url))
    assert "Share the draft for comments" in form
    assert "never become part of the formal request" in form
    response = client.post(url, {"message": "Before we send it: any gaps?"})
    consultation = Consultation.objects.get(request=request)
    assert response["Location"] == _url("detail", consultation)
    # A second post (a double click) leads to the open consultation, creates nothing.
    again = client.post(url, {"message": "Again"})
    assert again["Location"] == _url("detail", consultation)
    assert Consultation.objects.count() == 1
    assert "already shared" in _text(client.get(url))


def test_a_contact_point_of_another_authority_is_refused(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    client = client_for(personas.requesting_officer)
    url = reverse("consultation:new", kwargs={"request_id": request.public_id})
    response = client.post(url, {"contact_point": "00000000-0000-4000-8000-000000000000"})
    assert response.status_code == 400
    assert "Select a valid choice" in _text(response)
    assert not Consultation.objects.exists()


def test_a_submitted_request_cannot_be_shared(personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    cooperation.request_transition(
        actor=personas.requesting_officer, request=request, action="submit"
    )
    url = reverse("consultation:new", kwargs={"request_id": request.public_id})
    assert client_for(personas.requesting_officer).post(url, {}).status_code == 403
    assert not Consultation.objects.exists()


# --- the list and the query counts -------------------------------------------------------


def test_the_list_shows_both_sides_open_ones_first(personas: Personas) -> None:
    ours_closed = share(personas, title="Closed one")
    services.consultation_close(actor=personas.requesting_officer, consultation=ours_closed)
    share(personas, title="Open one")
    theirs = draft(personas.requested_officer, requested_state="KAZ", title="Their draft")
    services.consultation_open(actor=personas.requested_officer, request=theirs)
    page = _text(client_for(personas.requesting_officer).get(reverse("consultation:list")))
    assert page.index("Their draft") < page.index("Closed one")
    assert page.index("Open one") < page.index("Closed one")
    assert "Shared with us by" in page
    assert "Shared by us with" in page
    outsider = _text(client_for(personas.outsider).get(reverse("consultation:list")))
    assert "No consultations." in outsider


def _count(
    client: Any, url: str, django_assert_num_queries: DjangoAssertNumQueries, n: int
) -> None:
    with django_assert_num_queries(n):
        assert client.get(url).status_code == 200


# Session, user (with its authority), count and page of consultations, the navbar's unread
# count.
LIST_QUERIES = 5
# Session, user (with its authority), the consultation, its revisions, the audit event
# (savepoint, head, insert, update, release), the comments, the persons' states, the navbar's
# unread count.
DETAIL_QUERIES = 12


def test_the_list_runs_a_fixed_number_of_queries(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(personas.requested_officer)
    url = reverse("consultation:list")
    share(personas, title="One")
    _count(client, url, django_assert_num_queries, LIST_QUERIES)
    for n in range(3):
        c = share(personas, title=f"More {n}")
        services.consultation_comment(actor=personas.requested_officer, consultation=c, body="x")
    _count(client, url, django_assert_num_queries, LIST_QUERIES)


def test_the_page_runs_a_fixed_number_of_queries(
    personas: Personas,
    consultation: Consultation,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(personas.requested_officer)
    url = _url("detail", consultation)
    _count(client, url, django_assert_num_queries, DETAIL_QUERIES)
    for n in range(3):
        services.consultation_comment(
            actor=personas.requested_officer, consultation=consultation, body=f"Note {n}"
        )
        services.consultation_comment(
            actor=personas.requesting_officer, consultation=consultation, body=f"Reply {n}"
        )
        _retitle(personas, consultation, f"Title {n}")
        services.consultation_share_again(
            actor=personas.requesting_officer, consultation=consultation
        )
    _count(client, url, django_assert_num_queries, DETAIL_QUERIES)


def test_the_navbar_offers_consultations_to_caseworkers(personas: Personas) -> None:
    link = f'href="{reverse("consultation:list")}"'
    assert link in client_for(personas.requested_reviewer).get("/").content.decode()
    assert link not in client_for(personas.coordinator).get("/").content.decode()


def test_it_does_not_touch_the_request(personas: Personas, consultation: Consultation) -> None:
    version = Request.objects.get(pk=consultation.request.pk).version
    client_for(personas.requested_officer).post(
        _url("comments", consultation), {"body": "A comment."}
    )
    assert Request.objects.get(pk=consultation.request.pk).version == version
