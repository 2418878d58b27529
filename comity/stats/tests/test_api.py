"""The statistics over the API: /api/v1/stats (comity/stats/api.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from comity.accounts.models import User
from comity.accounts.tokens import token_create
from tests.personas import Personas

from .helpers import Clock
from .scenario import build

pytestmark = pytest.mark.django_db


def get(user: User | None, path: str) -> Any:
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {token_create(user=user, name='test')[1]}"
    return Client().get(f"/api/v1/stats{path}", headers=headers)


def test_an_authoritys_dashboard(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    build(personas, Clock(monkeypatch))
    response = get(personas.requesting_reviewer, "/dashboard")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == {"kind": "authority", "authority": "kaz-gpo"}
    assert body["suppressed_cells"] == 0
    assert body["filters"]["direction"] == "both" and body["filters"]["types"] == []
    tables = {t["key"]: t for t in body["tables"]}
    assert "pairs" not in tables and "volumes_by_counterpart" in tables
    turnaround = tables["turnaround"]
    assert [c["kind"] for c in turnaround["columns"]] == ["text", "int", "days", "days"]
    assert turnaround["rows"][0] == {
        "step": "Submitted → acknowledged",
        "n": {"value": 5, "suppressed": False},
        "median_days": {"value": "0.8", "suppressed": False},
        "p90_days": {"value": "1.8", "suppressed": False},
    }
    assert response["Cache-Control"] == "private, no-store"


def test_filters_and_one_table(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    build(personas, Clock(monkeypatch))
    response = get(
        personas.requesting_officer,
        "/tables/volumes_by_type?type=extradition&type=mla&direction=outgoing&end=2026-03-31",
    )
    assert response.status_code == 200, response.content
    table = response.json()
    assert [c["key"] for c in table["columns"]] == ["type", "outgoing"]
    assert table["rows"] == [
        {"type": "Mutual legal assistance", "outgoing": {"value": 4, "suppressed": False}}
    ]


def test_the_networks_dashboard_is_suppressed(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(personas, Clock(monkeypatch))
    body = get(personas.coordinator, "/dashboard").json()
    assert body["scope"] == {"kind": "network", "authority": None}
    tables = {t["key"]: t for t in body["tables"]}
    assert "pairs" in tables and "volumes_by_counterpart" not in tables
    assert tables["volumes_by_type"]["rows"][0]["requests"] == {"value": None, "suppressed": True}
    assert body["suppressed_cells"] > 0
    assert get(personas.coordinator, "/tables/pairs").status_code == 200


def test_refusals(personas: Personas) -> None:
    assert get(None, "/dashboard").status_code == 401
    for user in (personas.executing_officer, personas.node_admin):
        response = get(user, "/dashboard")
        assert response.status_code == 403
        assert response.json()["error"]["code"]
    assert get(personas.requesting_officer, "/tables/pairs").status_code == 404  # network only
    assert get(personas.requesting_officer, "/tables/nothing").status_code == 404
    response = get(personas.requesting_officer, "/dashboard?start=soon&offence=6&counterpart=ZZZ")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"start", "offence", "counterpart"}


def test_the_operations_are_documented() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/stats/dashboard", "/api/v1/stats/tables/{key}"):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["stats"]
        assert operation["description"] or operation["summary"]
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
        names = {p["name"] for p in operation["parameters"]}
        assert {
            "start",
            "end",
            "type",
            "counterpart",
            "instrument",
            "offence",
            "direction",
        } <= names
