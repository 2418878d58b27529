"""The demo's dashboards show its seeded history without `comity stats rebuild`."""

from __future__ import annotations

import pytest

from comity.accounts.models import User
from comity.cooperation.demo import demo_build
from comity.cooperation.models import Request
from comity.stats import facts
from comity.stats.models import RequestFact
from comity.stats.queries import Cell, Filters, dashboard, scope_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_leaves_the_facts_current(reference: None) -> None:
    demo_build()
    fields = [f.attname for f in RequestFact._meta.concrete_fields]
    built = list(RequestFact.objects.order_by("pk").values_list(*fields))
    submitted = Request.objects.filter(submitted_at__isnull=False).count()
    assert len(built) == submitted > 0
    facts.rebuild()
    assert list(RequestFact.objects.order_by("pk").values_list(*fields)) == built
    scope = scope_for(User.objects.get(username="kaz.officer"))
    assert scope is not None
    rows = dashboard(scope, Filters()).table("volumes_by_type").rows
    total = rows[0]["total"] if rows else None
    assert isinstance(total, Cell) and total.value
