"""The boxes merge their visibility branches in the database (one COUNT, one query for the
page's keys): the order, the pages and the count must be those of the branches taken one by
one and merged by hand."""

from __future__ import annotations

from typing import Any

import pytest

from comity.accounts.models import User
from comity.cooperation import selectors, services
from comity.cooperation.models import Request
from comity.cooperation.selectors import RequestFilters, RequestListing
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _by_hand(listing: RequestListing) -> list[int]:
    """Every key of every branch, newest first, a missing date last, then by id."""
    keyed: list[tuple[bool, Any, int]] = []
    for branch in listing.branches:
        for value, pk in branch.values_list(listing.order, "id"):
            keyed.append((value is not None, value, pk))
    keyed.sort(key=lambda k: (k[0], k[1] if k[0] else 0, k[2]), reverse=True)
    return [pk for _has, _value, pk in keyed]


@pytest.fixture
def busy(personas: Personas) -> Personas:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    for n in range(3):
        draft(kaz, title=f"Draft {n}")
    for n in range(6):
        request = submitted(kaz, title=f"To Kyrgyzstan {n}")
        if n % 2:
            request = services.request_transition(actor=kgz, request=request, action="acknowledge")
            services.request_transition(
                actor=kgz,
                request=request,
                action="assign",
                executing_authority=personas.kgz_executing.public_id,
            )
    for n in range(4):
        submitted(kgz, requested_state="KAZ", title=f"To Kazakhstan {n}")
    draft(kgz, requested_state="KAZ", title="A Kyrgyz draft")
    # Requests sent in the same instant: the order falls back to the id, as in the database.
    same = Request.objects.filter(title__in=["To Kyrgyzstan 1", "To Kyrgyzstan 2", "Draft 0"])
    moment = Request.objects.get(title="To Kyrgyzstan 0").submitted_at
    same.update(created_at=moment)
    same.exclude(submitted_at=None).update(submitted_at=moment)
    return personas


@pytest.mark.parametrize(
    ("who", "box"),
    [
        ("requesting_officer", "all"),
        ("requesting_officer", "incoming"),
        ("requesting_officer", "outgoing"),
        ("requested_officer", "all"),
        ("requested_officer", "incoming"),
        ("executing_officer", "incoming"),
        ("executing_officer", "all"),
        ("outsider", "all"),
    ],
)
def test_the_merged_branches_read_like_the_branches_merged_by_hand(
    busy: Personas, who: str, box: str
) -> None:
    user: User = getattr(busy, who)
    listing = selectors.request_list(user=user, filters=RequestFilters(box=box))
    expected = _by_hand(listing)
    if who != "outsider":
        assert expected, "the fixture should give every box but the outsider's something"
    assert listing.count() == len(expected)
    for start, stop in [(0, 3), (3, 7), (2, 5), (0, 100), (len(expected), len(expected) + 5)]:
        page = listing[start:stop]
        assert [request.pk for request in page] == expected[start:stop], (start, stop)
        rows = listing.rows()[start:stop]
        assert [row["id"] for row in rows] == expected[start:stop], (start, stop)
