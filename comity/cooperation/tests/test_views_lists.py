from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest import Subtests
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.models import Request
from comity.cooperation.views.lists import PAGE_SIZE, RequestRow, When, rows_html
from tests import builders
from tests.personas import Personas

URL = "/requests/"
HTMX = {"hx_request": "true", "hx_target": "request-results"}

# session, user (with its authority and state), the states (filter choices and the rows'
# names), unread count; then the COUNT, and the rows with the page's keys as a subquery,
# each one query whatever the number of branches of the box (one for outgoing, two for
# incoming, three for all).
PAGE_QUERIES = 4
LIST_QUERIES = PAGE_QUERIES + 2


def _page(client: Client, user: User, query: str = "", **headers: str) -> str:
    client.force_login(user)
    response = client.get(f"{URL}?{query}", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _references(html: str) -> list[str]:
    return re.findall(r'class="comity-ref" href="[^"]+">([^<]+)</a>', html)


def _submitted_days_ago(actor: User, days: int) -> Request:
    """Submit as if it happened ``days`` ago, so that its deadlines have passed by now."""
    then = timezone.now() - timedelta(days=days)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: then)
        return builders.submitted(actor)


@pytest.fixture
def kaz_requests(personas: Personas) -> dict[str, Request]:
    """A draft, two submitted MLA requests and a submitted extradition request, all to KGZ."""
    officer = personas.requesting_officer
    return {
        "draft": builders.draft(officer, title="Draft about a shell company"),
        "bank": builders.submitted(officer),
        "witness": builders.submitted(officer, title="Hearing of a witness in Bishkek"),
        "extradition": builders.submitted(
            officer, type="extradition", title="Extradition of Бекболот Усенов"
        ),
    }


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


def test_the_requesting_officer_sees_all_of_their_authoritys_requests_newest_first(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requesting_officer)
    order = ["extradition", "witness", "bank", "draft"]
    assert _references(html) == [kaz_requests[key].reference for key in order]
    assert "4 requests" in html


def test_the_requested_officer_sees_the_submitted_ones_but_not_the_draft(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requested_officer, "box=incoming")
    shown = set(_references(html))
    assert shown == {kaz_requests[key].reference for key in ("bank", "witness", "extradition")}
    assert "Requesting state" in html
    assert "Kazakhstan" in html


def test_the_outsider_sees_none_of_the_kazakh_and_kyrgyz_requests(
    client: Client, personas: Personas, kaz_requests: dict[str, Request], subtests: Subtests
) -> None:
    for query in [
        "",
        "box=all",
        "box=incoming",
        "box=outgoing",
        "box=overdue",
        "q=KAZ",
        "state=KAZ",
    ]:
        with subtests.test(query=query):
            html = _page(client, personas.outsider, query)
            assert _references(html) == []
            for request in kaz_requests.values():
                assert request.reference not in html
                assert str(request.public_id) not in html


def test_each_row_links_to_the_request_and_shows_what_matters(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requesting_officer, "q=Bishkek")
    witness = kaz_requests["witness"]
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert f'href="/requests/{witness.public_id}/"' in row
    assert "Hearing of a witness in Bishkek" in row
    assert "Mutual legal assistance" in row
    assert "Kyrgyzstan" in row
    assert "Outgoing" in row
    assert ">Submitted</span>" in row
    assert "Normal" in row
    assert row.count("<time datetime=") == 2


FILTERED = [
    ("box=outgoing", ["extradition", "witness", "bank", "draft"]),
    ("status=draft", ["draft"]),
    ("status=submitted", ["extradition", "witness", "bank"]),
    ("type=extradition", ["extradition"]),
    ("type=records_extract", []),
    ("state=KGZ", ["extradition", "witness", "bank", "draft"]),
    ("state=TJK", []),
    ("q=witness", ["witness"]),
    ("q=Усенов", ["extradition"]),
    ("q=Нурлан", ["extradition", "witness", "bank", "draft"]),  # the suspect, in all
    ("q=KZ-2026-0142", ["extradition", "witness", "bank", "draft"]),  # proceedings ref.
    ("type=mla&status=submitted&q=bank", ["bank"]),
]


def test_filters_and_search_narrow_the_list(
    client: Client, personas: Personas, kaz_requests: dict[str, Request], subtests: Subtests
) -> None:
    for query, expected in FILTERED:
        with subtests.test(query=query):
            html = _page(client, personas.requesting_officer, query)
            assert _references(html) == [kaz_requests[key].reference for key in expected]


def test_searching_by_reference_finds_the_request(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    reference = kaz_requests["witness"].reference
    html = _page(client, personas.requested_officer, f"q={reference}")
    assert _references(html) == [reference]


def test_the_filter_form_shows_the_filters_applied(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requesting_officer, "box=outgoing&type=extradition&q=Усенов")
    assert '<option value="outgoing" selected>' in html
    assert '<option value="extradition" selected>' in html
    assert 'value="Усенов"' in html
    for name in ("box", "status", "type", "state", "q"):
        assert f'<label class="form-label" for="id_{name}">' in html
        assert f'id="id_{name}"' in html


BAD_QUERIES = [
    "box=everything",
    "status=lost",
    "type=%00",
    "state=ZZZ",
    "state=kgz%27%20OR%201=1",
    "page=abc",
    "page=-1",
    "page=99999",
    "q=" + "x" * 500,
    "q=%00",
    "box=incoming&box=outgoing",
]


def test_a_bad_filter_value_is_ignored_not_an_error(
    client: Client, personas: Personas, kaz_requests: dict[str, Request], subtests: Subtests
) -> None:
    for query in BAD_QUERIES:
        with subtests.test(query=query):
            html = _page(client, personas.requesting_officer, query)
            assert len(_references(html)) == 4


def test_a_bad_box_falls_back_to_all_requests(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requesting_officer, "box=everything&status=nonsense")
    assert len(_references(html)) == 4
    assert '<option value="all" selected>' in html


def test_it_pages_the_list_by_twenty_five(client: Client, personas: Personas) -> None:
    requests = [builders.submitted(personas.requesting_officer) for _ in range(PAGE_SIZE + 2)]
    first = _page(client, personas.requesting_officer, "box=outgoing")
    assert len(_references(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert "Showing 1\N{EN DASH}25 of 27 requests" in first
    assert "?box=outgoing&amp;page=2" in first
    second = _page(client, personas.requesting_officer, "box=outgoing&page=2")
    assert _references(second) == [r.reference for r in reversed(requests[:2])]
    assert "Page 2 of 2" in second


def test_htmx_gets_only_the_results_and_the_count(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requesting_officer, "type=extradition", **HTMX)
    assert "<html" not in html
    assert "<form" not in html
    assert _references(html) == [kaz_requests["extradition"].reference]
    assert '<div id="request-count" hx-swap-oob="innerHTML">1 request' in html


def test_htmx_responses_vary_on_the_htmx_headers(client: Client, personas: Personas) -> None:
    client.force_login(personas.requesting_officer)
    response = client.get(URL, headers=HTMX)
    assert "HX-Request" in response["Vary"]
    assert "HX-Target" in response["Vary"]


@pytest.mark.parametrize(
    "headers",
    [
        {"hx_request": "true", "hx_target": "main"},  # a boosted link, not the filter form
        {**HTMX, "hx_history_restore_request": "true"},  # the back button
    ],
)
def test_other_htmx_requests_get_the_full_page(
    client: Client, personas: Personas, headers: dict[str, str]
) -> None:
    html = _page(client, personas.requesting_officer, "", **headers)
    assert "<html" in html
    assert 'hx-target="#request-results"' in html


def test_the_filter_form_works_without_javascript_and_swaps_the_results_with_it(
    client: Client, personas: Personas
) -> None:
    html = _page(client, personas.requesting_officer)
    found = re.search(r'<form method="get"[^>]*>.*?</form>', html, re.DOTALL)
    assert found is not None
    form = found.group(0)
    assert 'method="get" action="/requests/"' in form
    assert 'hx-get="/requests/" hx-target="#request-results" hx-push-url="true"' in form
    assert '<button type="submit"' in form
    assert '<div id="request-results">' in html


def test_an_overdue_request_carries_a_badge(client: Client, personas: Personas) -> None:
    late = _submitted_days_ago(personas.requesting_officer, 30)
    on_time = builders.submitted(personas.requesting_officer)
    html = _page(client, personas.requested_officer, "box=overdue")
    assert _references(html) == [late.reference]
    assert 'class="badge text-bg-danger">Overdue</span>' in html
    html = _page(client, personas.requested_officer, "box=incoming")
    assert html.count(">Overdue</span>") == 1
    assert on_time.reference in html


def test_urgent_requests_are_flagged(client: Client, personas: Personas) -> None:
    builders.submitted(
        personas.requesting_officer, urgency="very_urgent", urgency_reason="Detained."
    )
    html = _page(client, personas.requested_officer)
    assert 'class="badge text-bg-danger text-wrap">Very urgent' in html


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("", "No requests yet."),
        ("box=incoming", "No incoming requests."),
        ("box=outgoing", "No outgoing requests yet."),
        ("box=overdue", "Nothing is overdue."),
        ("q=nothing-like-this", "No requests match these filters."),
    ],
)
def test_empty_lists_say_what_would_appear_there(
    client: Client, personas: Personas, query: str, text: str
) -> None:
    html = _page(client, personas.requesting_officer, query)
    assert text in html
    assert "<table" not in html


def test_the_status_after_acknowledgement_shows_on_both_sides(
    client: Client, personas: Personas
) -> None:
    request = builders.submitted(personas.requesting_officer)
    services.request_transition(
        actor=personas.requested_officer, request=request, action="acknowledge"
    )
    for user in (personas.requesting_officer, personas.requested_officer):
        assert ">Acknowledged</span>" in _page(client, user)


def test_the_persian_list_runs_right_to_left(
    client: Client, personas: Personas, kaz_requests: dict[str, Request]
) -> None:
    html = _page(client, personas.requested_officer, "", accept_language="fa")
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "قزاقستان" in html  # Kazakhstan, the other state, in Persian


def test_the_list_query_count_does_not_grow_with_the_rows(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    seen = [
        (personas.requesting_officer, ["", "box=outgoing", "q=bank"]),
        (personas.requested_officer, ["", "box=incoming", "q=bank"]),
    ]

    def check(expected_rows: int) -> None:
        for user, queries in seen:
            client.force_login(user)
            for query in queries:
                with django_assert_num_queries(LIST_QUERIES, info=f"{user} {query}"):
                    response = client.get(f"{URL}?{query}")
                assert len(_references(response.content.decode())) == expected_rows

    for _ in range(3):
        builders.submitted(personas.requesting_officer)
    check(3)
    for _ in range(27):
        builders.submitted(personas.requesting_officer)
    check(PAGE_SIZE)


def test_the_htmx_fragment_skips_the_navbar_queries(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        builders.submitted(personas.requesting_officer)
    client.force_login(personas.requested_officer)
    # No unread count for a fragment.
    with django_assert_num_queries(LIST_QUERIES - 1):
        response = client.get(URL, headers=HTMX)
    assert len(_references(response.content.decode())) == 3


def test_search_finds_names_whatever_their_case_or_arabic_letter_forms(
    client: Client, personas: Personas
) -> None:
    builders.draft(
        personas.requesting_officer,
        title="Case of two names",
        persons=[
            services.PersonData(role="suspect", name="Нурлан Ахметов"),
            services.PersonData(role="witness", name="علی کریمی"),
        ],
    )
    client.force_login(personas.requesting_officer)
    for term in ("нурлан", "АХМЕТОВ", "علي كريمي"):
        response = client.get("/requests/", {"q": term})
        assert "Case of two names" in response.content.decode(), term
    assert "Case of two names" not in client.get("/requests/", {"q": "Петров"}).content.decode()


def test_every_text_of_a_row_is_escaped() -> None:
    hostile = '<b id="x">&\'</b>'
    when = When(iso=hostile, text=hostile)
    row = RequestRow(
        url=hostile,
        reference=hostile,
        title=hostile,
        type_label=hostile,
        other_state=hostile,
        outgoing=True,
        status_label=hostile,
        status_colour=hostile,
        urgency="urgent",
        urgency_label=hostile,
        submitted=when,
        response_due=when,
        overdue=True,
    )
    for compact in (False, True):
        html = str(rows_html([row], compact=compact))
        assert "<b" not in html
        assert "&lt;b id=&quot;x&quot;&gt;&amp;&#x27;&lt;/b&gt;" in html
        assert html.count("<tr") == 1 and html.count("</tr>") == 1


def test_a_title_with_markup_shows_as_text_in_the_list(client: Client, personas: Personas) -> None:
    builders.submitted(personas.requesting_officer, title="<script>alert(1)</script> & co")
    client.force_login(personas.requested_officer)
    html = client.get(URL, {"box": "incoming"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
