from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from comity.cooperation import notifications
from comity.cooperation.models import Notification, Request
from tests import builders
from tests.personas import Personas


def _notify_kgz(personas: Personas, request: Request, kind: str, key: str) -> None:
    notifications.notify_authority(
        authority=personas.kgz,
        request=request,
        kind=kind,
        params={"reference": request.reference},
        key=key,
    )


def _badge(html: str) -> int | None:
    found = re.search(r'data-testid="unread-count">(\d+)<', html)
    return int(found.group(1)) if found else None


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    for method in (client.get, client.post):
        response = method(reverse("web:notifications"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_the_users_own_notifications_with_a_link_to_the_request(
    client: Client, personas: Personas
) -> None:
    request = builders.submitted(personas.requesting_officer)
    _notify_kgz(personas, request, notifications.Kind.SUBMITTED, "k1")
    client.force_login(personas.requested_officer)
    html = client.get(reverse("web:notifications")).content.decode()
    assert f"New request {request.reference} was submitted" in html
    assert reverse("cooperation:detail", kwargs={"id": request.public_id}) in html
    client.force_login(personas.outsider)
    html = client.get(reverse("web:notifications")).content.decode()
    assert request.reference not in html
    assert "No notifications." in html


def test_the_navbar_counts_unread_notifications_and_mark_all_read_clears_them(
    client: Client, personas: Personas
) -> None:
    request = builders.submitted(personas.requesting_officer)
    _notify_kgz(personas, request, notifications.Kind.SUBMITTED, "k1")
    _notify_kgz(personas, request, notifications.Kind.MESSAGE, "k2")
    client.force_login(personas.requested_officer)
    assert _badge(client.get(reverse("web:dashboard")).content.decode()) == 2
    response = client.post(reverse("web:notifications"), follow=True)
    html = response.content.decode()
    assert "2 notifications marked as read." in html
    assert _badge(html) is None
    assert not Notification.objects.filter(
        user=personas.requested_officer, read_at__isnull=True
    ).exists()
    # The other officers of the authority still have theirs.
    assert Notification.objects.filter(
        user=personas.requested_reviewer, read_at__isnull=True
    ).exists()


def test_the_mark_all_read_form_posts_with_a_csrf_token(client: Client, personas: Personas) -> None:
    request = builders.submitted(personas.requesting_officer)
    _notify_kgz(personas, request, notifications.Kind.SUBMITTED, "k1")
    client.force_login(personas.requested_officer)
    html = client.get(reverse("web:notifications")).content.decode()
    form = html[html.index(f'<form method="post" action="{reverse("web:notifications")}">') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
    assert "Mark all as read" in form
