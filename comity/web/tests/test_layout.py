"""The base layout every page shares: language and direction, navigation, landmarks."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.personas import Personas

VENDORED = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.rtl.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "comity/comity.css",
]


def _html(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/", "/requests/", "/notifications/"])
def test_a_persian_reader_gets_right_to_left_pages_and_the_rtl_stylesheet(
    client: Client, personas: Personas, path: str
) -> None:
    client.force_login(personas.requested_officer)
    html = _html(client, path, accept_language="fa")
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "bootstrap.min.css" not in html


def test_the_language_cookie_chooses_persian_too(client: Client, personas: Personas) -> None:
    client.force_login(personas.requested_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    html = _html(client, "/")
    assert 'dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_english_and_russian_pages_run_left_to_right(
    client: Client, personas: Personas, language: str
) -> None:
    client.force_login(personas.requested_officer)
    html = _html(client, "/", accept_language=language)
    assert f'<html lang="{language}" dir="ltr">' in html
    assert "bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html


def test_the_language_switcher_is_a_form_that_sets_the_language(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requested_officer)
    html = _html(client, "/requests/?box=incoming")
    form = re.search(r'<form action="([^"]+)" method="post" class="comity-language-form">', html)
    assert form is not None
    assert form.group(1) == reverse("set_language")
    assert '<input type="hidden" name="next" value="/requests/?box=incoming">' in html
    for code, name in [("en", "English"), ("ru", "Русский"), ("fa", "فارسی")]:
        assert f'name="language" value="{code}" lang="{code}"' in html
        assert name in html
    response = client.post(
        reverse("set_language"), {"language": "fa", "next": "/requests/?box=incoming"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/requests/?box=incoming"
    assert 'dir="rtl"' in _html(client, "/requests/?box=incoming")


def test_the_page_has_landmarks_a_skip_link_and_a_csrf_header_for_htmx(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    html = _html(client, "/")
    assert '<a class="visually-hidden-focusable comity-skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header>", "<nav ", "<footer "):
        assert landmark in html
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"(\w+)\"\}'", html)
    assert token is not None
    assert len(token.group(1)) >= 32
    assert "vendor/htmx/htmx.min.js" in html


def test_the_navbar_shows_the_authority_and_a_sign_out_form(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requested_officer)
    html = _html(client, "/")
    authority = personas.kgz.name_en.replace("'", "&#x27;")
    assert authority in html
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in html
    assert "Sign out" in html


def test_only_users_who_may_create_requests_are_offered_a_new_one(
    client: Client, personas: Personas
) -> None:
    new = f'href="{reverse("cooperation:create")}"'
    client.force_login(personas.requesting_officer)
    assert new in _html(client, "/")
    client.force_login(personas.requesting_reviewer)
    assert new not in _html(client, "/")


def test_the_current_page_is_marked_in_the_navbar(client: Client, personas: Personas) -> None:
    client.force_login(personas.requesting_officer)
    html = _html(client, "/requests/")
    assert re.search(r'href="/requests/"\s+aria-current="page"', html)
    assert not re.search(r'href="/"\s+aria-current="page"', html)


def test_messages_are_shown_as_alerts(client: Client, personas: Personas) -> None:
    client.force_login(personas.requested_officer)
    response = client.post(reverse("web:notifications"), follow=True)
    html = response.content.decode()
    assert 'class="alert alert-info alert-dismissible fade show"' in html
    assert "There were no unread notifications." in html


def test_the_front_end_is_served_from_our_own_static_files(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    html = _html(client, "/")
    assert "cdn" not in html.lower()
    assert "https://" not in html
    for name in VENDORED:
        assert finders.find(name), name
    for name in VENDORED:
        if "rtl" not in name:
            assert f"/static/{name}" in html


def test_the_health_check_needs_no_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("web:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_an_anonymous_visitor_gets_the_language_switcher_but_no_navigation(
    client: Client, db: None
) -> None:
    html = _html(client, reverse("accounts:login"), accept_language="fa")
    assert '<html lang="fa" dir="rtl">' in html
    assert 'class="comity-language-form"' in html
    assert reverse("cooperation:list") not in html
    assert reverse("web:notifications") not in html
    assert "Sign out" not in html
