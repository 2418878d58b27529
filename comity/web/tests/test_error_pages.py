from __future__ import annotations

import uuid

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_missing_page_uses_the_layout_and_says_not_found(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.outsider)
    response = client.get(f"/requests/{uuid.uuid4()}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found" in html
    assert 'id="main"' in html


def test_the_server_error_page_renders_without_a_request() -> None:
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'dir="rtl"' in html
