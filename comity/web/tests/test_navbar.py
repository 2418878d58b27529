"""{% navbar %} keeps a signed-in reader's navbar: what it serves must be what the template
renders for this request, for whoever asks, whatever changed since it was kept."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from comity.accounts.models import Role, User
from comity.cooperation import notifications
from comity.directory.models import Authority
from comity.web.templatetags import web_navbar
from tests import builders
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    web_navbar._kept.clear()


def _navbar(html: str) -> str:
    found = re.search(r"<header>.*?</header>", html, re.DOTALL)
    assert found is not None
    return found.group(0)


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html)


def _masked(html: str) -> str:
    """The CSRF tokens are masked afresh for each use: compare the rest."""
    return CSRF.sub(r"\1…\2", html)


def _signed_in(user: User, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _template_itself(client: Client, path: str) -> str:
    """The navbar as the template renders it for that request, with nothing kept."""
    response = client.get(path)
    request = response.wsgi_request
    with translation.override(response.headers["Content-Language"]):
        count = notifications.unread_count(user=request.user)  # type: ignore[arg-type]
        badge = render_to_string(web_navbar.BADGE, {"count": count})
        html = render_to_string(
            web_navbar.NAVBAR,
            {"unread_badge": badge, "next_path": request.get_full_path()},
            request,
        )
    return _navbar(html)


@pytest.mark.parametrize("language", ["en", "fa", "ru"])
@pytest.mark.parametrize("path", ["/", "/requests/?box=incoming&q=a%3Cb%3E", "/notifications/"])
def test_a_kept_navbar_is_the_templates_own(personas: Personas, language: str, path: str) -> None:
    builders.submitted(personas.requesting_officer)
    for user in (personas.requested_officer, personas.requesting_reviewer, personas.coordinator):
        client = _signed_in(user, language)
        first = _navbar(client.get(path).content.decode())  # rendered and kept
        again = _navbar(client.get(path).content.decode())  # from what was kept
        itself = _template_itself(client, path)
        assert _masked(first) == _masked(again) == _masked(itself)
        assert "\ue000" not in again
    assert web_navbar._kept


def test_readers_do_not_share_a_navbar(personas: Personas) -> None:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    _signed_in(kaz).get("/")
    html = _navbar(_signed_in(kgz).get("/").content.decode())
    assert kgz.display_name in html and escape(personas.kgz.name_en) in html
    assert escape(personas.kaz.name_en) not in html


def test_the_active_link_follows_the_page(personas: Personas) -> None:
    client = _signed_in(personas.requesting_officer)
    for _ in range(2):
        dashboard = _navbar(client.get("/").content.decode())
        requests = _navbar(client.get("/requests/").content.decode())
        assert re.search(r'href="/"\s+aria-current="page"', dashboard)
        assert re.search(r'href="/requests/"\s+aria-current="page"', requests)
        assert not re.search(r'href="/requests/"\s+aria-current="page"', dashboard)


def test_the_unread_count_is_each_requests_own(personas: Personas) -> None:
    client = _signed_in(personas.requested_officer)
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    request = builders.submitted(personas.requesting_officer)
    notifications.notify_authority(
        authority=personas.kgz, request=request, kind=notifications.Kind.SUBMITTED,
        params={"reference": request.reference}, key="navbar-test",
    )  # fmt: skip
    assert re.search(r'data-testid="unread-count">1<', client.get("/").content.decode())


def test_a_renamed_authority_and_a_new_role_show_at_once(personas: Personas) -> None:
    user = personas.requested_officer
    client = _signed_in(user)
    before = _navbar(client.get("/requests/").content.decode())
    assert "New request" in before
    Authority.objects.filter(pk=personas.kgz.pk).update(name_en="Renamed Prosecutor's Office")
    User.objects.filter(pk=user.pk).update(role=Role.REVIEWER)
    after = _navbar(client.get("/requests/").content.decode())
    assert "Renamed Prosecutor&#x27;s Office" in after
    assert "New request" not in after


def test_the_language_switcher_returns_to_the_page_escaped(personas: Personas) -> None:
    client = _signed_in(personas.requesting_officer)
    for _ in range(2):
        html = _navbar(client.get("/requests/?box=incoming&q=%22%3Cx%3E").content.decode())
        assert 'name="next" value="/requests/?box=incoming&amp;q=%22%3Cx%3E"' in html


def test_its_forms_carry_a_token_the_server_accepts(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.requesting_officer)
    client.get("/")  # kept
    html = client.get("/").content.decode()
    tokens = _tokens(_navbar(html))
    assert len(tokens) == 2  # the language switcher and signing out
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out


def test_a_signed_out_navbar_is_not_kept(client: Client, db: None) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'name="next" value="/accounts/login/"' in html
    assert not web_navbar._kept
