"""The API's JSON renderer (comity/api/renderers.py) writes the same values as ninja's json
encoder did."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.test import RequestFactory
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from comity.api.renderers import RENDERER
from comity.cooperation.models import RequestType

DATA: dict[str, Any] = {
    "utc": datetime.datetime(2026, 11, 28, 9, 5, 7, 123456, tzinfo=datetime.UTC),
    "whole_second": datetime.datetime(2026, 11, 28, 9, 5, 7, tzinfo=datetime.UTC),
    "tehran": datetime.datetime(2026, 3, 20, 23, 30, tzinfo=ZoneInfo("Asia/Tehran")),
    "date": datetime.date(2026, 2, 28),
    "time": datetime.time(14, 30, 15, 250000),
    "amount": Decimal("1234567.89"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Statistics"),
    "choice": RequestType.MLA,
    "persian": "درخواست معاضدت قضایی",
    "russian": "Запрос о правовой помощи",
    "nested": [{"n": 1, "ok": True, "none": None, "ratio": 0.25}],
    "by_number": {1: "one", 2: "two"},
}


def _written() -> bytes:
    written: bytes = RENDERER.render(RequestFactory().get("/"), DATA, response_status=200)
    return written


def test_the_values_are_those_of_ninjas_encoder() -> None:
    before = json.dumps(DATA, cls=NinjaJSONEncoder, ensure_ascii=False)
    parsed = json.loads(_written())
    assert parsed == json.loads(before)
    assert parsed["utc"] == "2026-11-28T09:05:07.123Z"
    assert parsed["whole_second"] == "2026-11-28T09:05:07Z"
    assert parsed["tehran"] == "2026-03-20T23:30:00+03:30"
    assert parsed["time"] == "14:30:15.250"
    assert parsed["amount"] == "1234567.89"
    assert parsed["choice"] == "mla"
    assert parsed["by_number"] == {"1": "one", "2": "two"}


def test_text_in_other_scripts_is_written_as_utf8() -> None:
    written = _written()
    assert "درخواست معاضدت قضایی".encode() in written
    assert "Запрос о правовой помощи".encode() in written
    assert b"\\u" not in written
