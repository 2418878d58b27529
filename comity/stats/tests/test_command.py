"""`comity stats rebuild` and `comity stats seed`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comity.cooperation.models import Request
from comity.stats.models import RequestFact
from comity.stats.queries import Filters, Scope, dashboard
from tests.builders import submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_rebuild_writes_the_facts(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    RequestFact.objects.all().delete()
    out = StringIO()
    call_command("stats", "rebuild", stdout=out)
    assert out.getvalue().startswith("1 facts")
    assert RequestFact.objects.get().request_id == request.pk


def test_seed_adds_consistent_requests_and_facts(reference: None) -> None:
    out = StringIO()
    call_command("stats", "seed", "--requests", "300", "--no-progress", stdout=out)
    assert RequestFact.objects.count() == Request.objects.count() == 300
    fact = RequestFact.objects.select_related("request").first()
    assert fact is not None and fact.request.submitted_at == fact.submitted_at
    open_facts = RequestFact.objects.filter(outcome__in=("open", "postponed"))
    assert not open_facts.filter(completed_at__isnull=False).exists()
    decided = RequestFact.objects.filter(outcome__in=("executed", "refused"))
    assert not decided.filter(hours_to_done__isnull=True).exists()
    board = dashboard(Scope(authority_id=None, network=True), Filters())
    assert board.table("volumes_by_type").rows
    call_command("stats", "seed", "--requests", "10", "--no-progress", stdout=out)
    assert RequestFact.objects.count() == 310  # topped up, new ids


def test_seed_refuses_a_database_with_real_requests(personas: Personas) -> None:
    submitted(personas.requesting_officer)
    with pytest.raises(CommandError, match="not seeded"):
        call_command("stats", "seed", "--requests", "5", "--no-progress", stdout=StringIO())
