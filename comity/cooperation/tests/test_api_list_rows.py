"""The API's list renders rows from values() without building models: each row must be
exactly what RequestSummaryOut gives for the same request, through the same renderer."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from comity.api.renderers import RENDERER
from comity.cooperation import selectors, services
from comity.cooperation.models import Request
from comity.cooperation.schemas import request_summary_out, request_summary_row
from comity.cooperation.selectors import RequestFilters
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _render(data: object) -> object:
    return json.loads(RENDERER.render(RequestFactory().get("/"), data, response_status=200))


def test_rows_from_values_equal_the_schema(personas: Personas) -> None:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    acknowledged = submitted(kaz, title="Acknowledged one")
    services.request_transition(actor=kgz, request=acknowledged, action="acknowledge")
    submitted(kaz, type="extradition", urgency="urgent", title="Экстрадиция")
    draft(kaz, title="Still a draft")
    for box in ("incoming", "outgoing", "all"):
        user = kgz if box == "incoming" else kaz
        listing = selectors.request_list(user=user, filters=RequestFilters(box=box))
        rows = listing.rows()[0:50]
        models = listing[0:50]
        assert [r["public_id"] for r in rows] == [m.public_id for m in models]
        assert rows, box
        for row, model in zip(rows, models, strict=True):
            full = Request.objects.get(pk=model.pk)
            expected = request_summary_out(full).model_dump()
            assert _render(request_summary_row(row)) == _render(expected)
