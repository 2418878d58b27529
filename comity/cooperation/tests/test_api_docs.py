"""The API describes itself (OpenAPI) and its docs page works without the internet."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("post", "/api/v1/requests"),
    ("get", "/api/v1/requests"),
    ("get", "/api/v1/requests/{id}"),
    ("patch", "/api/v1/requests/{id}"),
    ("post", "/api/v1/requests/{id}/transitions"),
    ("get", "/api/v1/requests/{id}/checks"),
    ("get", "/api/v1/requests/{id}/timeline"),
    ("get", "/api/v1/requests/{id}/messages"),
    ("post", "/api/v1/requests/{id}/messages"),
    ("get", "/api/v1/requests/{id}/attachments"),
    ("post", "/api/v1/requests/{id}/attachments"),
    ("get", "/api/v1/requests/{id}/attachments/{attachment_id}"),
    ("get", "/api/v1/directory/authorities"),
    ("get", "/api/v1/directory/authorities/{key}"),
    ("get", "/api/v1/directory/authorities/{key}/vcard"),
    ("get", "/api/v1/directory/contacts"),
    ("get", "/api/v1/directory/contacts/{public_id}/vcard"),
    ("get", "/api/v1/directory/states/{iso3}/fiches"),
    ("get", "/api/v1/directory/export.csv"),
    ("get", "/api/v1/legal-basis"),
    ("get", "/api/v1/instruments"),
    ("get", "/api/v1/instruments/{code}"),
    ("get", "/api/v1/consultations"),
    ("get", "/api/v1/consultations/{id}"),
    ("post", "/api/v1/consultations/{id}/comments"),
    ("get", "/api/v1/records/extracts"),
    ("post", "/api/v1/records/extracts"),
    ("get", "/api/v1/records/extracts/{id}"),
    ("get", "/api/v1/records/extracts/{id}/candidates"),
    ("post", "/api/v1/records/extracts/{id}/answer"),
    ("post", "/api/v1/records/search"),
    ("get", "/api/v1/records/notices"),
    ("get", "/api/v1/records/notices/{id}"),
    ("get", "/api/v1/assets"),
    ("post", "/api/v1/assets"),
    ("get", "/api/v1/assets/{id}"),
    ("post", "/api/v1/assets/{id}/status"),
    ("post", "/api/v1/assets/{id}/holders"),
    ("post", "/api/v1/assets/{id}/orders"),
    ("post", "/api/v1/assets/orders/{id}/execution"),
    ("post", "/api/v1/assets/orders/{id}/renewals"),
    ("get", "/api/v1/assets/cases/{id}/ledger"),
    ("get", "/api/v1/assets/ledger"),
    ("post", "/api/v1/assets/cases/{id}/agreements"),
    ("post", "/api/v1/assets/agreements/{id}/transfers"),
    ("get", "/api/v1/assets/rates"),
    ("post", "/api/v1/assets/rates"),
    ("get", "/api/v1/assets/expiring"),
    ("get", "/api/v1/assets/cases/{id}/ftm"),
    ("get", "/api/v1/stats/dashboard"),
    ("get", "/api/v1/stats/tables/{key}"),
}


def test_the_openapi_schema_lists_every_operation_with_bearer_auth() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    found = {(m, p) for p, methods in schema["paths"].items() for m in methods}
    assert found == OPERATIONS
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_the_docs_page_loads_nothing_from_outside() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/static/"), source
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html
    for source in sources:
        assert Client().get(source).status_code == 200, source
