from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.models import Request
from tests import builders
from tests.personas import Personas

# session, user (with its authority), the counts (one aggregate), the unread-notification
# count (navbar); the latest incoming and the latest outgoing (each its rows, with the keys as
# a subquery), and the states that name them.
DASHBOARD_QUERIES = 7


def _counts(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def _dashboard(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _submitted_days_ago(actor: User, days: int) -> Request:
    """Submit as if it happened ``days`` ago, so that its deadlines have passed by now."""
    then = timezone.now() - timedelta(days=days)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: then)
        return builders.submitted(actor)


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_it_counts_the_requesting_sides_outgoing_requests_and_drafts(
    client: Client, personas: Personas
) -> None:
    builders.submitted(personas.requesting_officer)
    builders.submitted(personas.requesting_officer)
    builders.draft(personas.requesting_officer)
    counts = _counts(_dashboard(client, personas.requesting_officer))
    assert counts == {"incoming": 0, "awaiting": 0, "overdue": 0, "outgoing": 2, "drafts": 1}


def test_it_counts_the_requested_sides_incoming_requests_and_those_awaiting_acknowledgement(
    client: Client, personas: Personas
) -> None:
    first = builders.submitted(personas.requesting_officer)
    builders.submitted(personas.requesting_officer)
    builders.draft(personas.requesting_officer)
    services.request_transition(
        actor=personas.requested_officer, request=first, action="acknowledge"
    )
    counts = _counts(_dashboard(client, personas.requested_officer))
    assert counts == {"incoming": 2, "awaiting": 1, "overdue": 0, "outgoing": 0, "drafts": 0}


def test_the_counts_link_to_the_matching_lists(client: Client, personas: Personas) -> None:
    html = _dashboard(client, personas.requesting_officer)
    assert 'href="/requests/?box=incoming&amp;status=submitted" id="card-awaiting"' in html
    assert 'href="/requests/?box=outgoing&amp;status=draft" id="card-drafts"' in html
    assert 'href="/requests/?box=overdue" id="card-overdue"' in html


def test_it_counts_a_request_whose_acknowledgement_is_late_as_overdue_on_both_sides(
    client: Client, personas: Personas
) -> None:
    late = _submitted_days_ago(personas.requesting_officer, 30)
    builders.submitted(personas.requesting_officer)
    for user in (personas.requesting_officer, personas.requested_officer):
        html = _dashboard(client, user)
        assert _counts(html)["overdue"] == 1
        assert 'badge text-bg-danger">Overdue</span>' in html
        assert late.reference in html


def test_the_outsider_sees_nothing_of_the_kazakh_and_kyrgyz_requests(
    client: Client, personas: Personas
) -> None:
    requests = [builders.submitted(personas.requesting_officer) for _ in range(2)]
    requests.append(builders.draft(personas.requesting_officer))
    html = _dashboard(client, personas.outsider)
    assert set(_counts(html).values()) == {0}
    for request in requests:
        assert request.reference not in html
        assert str(request.public_id) not in html


def test_it_lists_the_five_latest_requests_of_each_box(client: Client, personas: Personas) -> None:
    requests = [builders.submitted(personas.requesting_officer) for _ in range(7)]
    for user in (personas.requesting_officer, personas.requested_officer):
        html = _dashboard(client, user)
        shown = [r.reference for r in requests if r.reference in html]
        assert shown == [r.reference for r in requests[2:]]


def test_the_requested_side_does_not_see_the_requesting_sides_drafts(
    client: Client, personas: Personas
) -> None:
    hidden = builders.draft(personas.requesting_officer)
    html = _dashboard(client, personas.requested_officer)
    assert hidden.reference not in html
    assert hidden.reference in _dashboard(client, personas.requesting_officer)


def test_a_user_without_an_authority_is_told_why_the_dashboard_is_empty(
    client: Client, personas: Personas
) -> None:
    builders.submitted(personas.requesting_officer)
    html = _dashboard(client, personas.node_admin)
    assert "not attached to an authority" in html
    assert set(_counts(html).values()) == {0}


def test_the_dashboard_query_count_does_not_grow_with_the_requests(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        builders.submitted(personas.requesting_officer)
    for user in (personas.requesting_officer, personas.requested_officer):
        client.force_login(user)
        with django_assert_num_queries(DASHBOARD_QUERIES):
            assert client.get(reverse("web:dashboard")).status_code == 200
    for _ in range(27):
        builders.submitted(personas.requesting_officer)
    for user in (personas.requesting_officer, personas.requested_officer):
        client.force_login(user)
        with django_assert_num_queries(DASHBOARD_QUERIES):
            assert client.get(reverse("web:dashboard")).status_code == 200
