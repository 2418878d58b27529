from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from comity.accounts.models import Role, User
from comity.audit.services import audit_verify
from comity.cooperation.demo import DEMO_PASSWORD, demo_build, demo_pdf
from comity.cooperation.files import sniff
from comity.cooperation.models import Attachment, Case, Message, Person, Request, TimelineEvent
from comity.cooperation.selectors import is_overdue
from comity.directory.models import Authority

pytestmark = pytest.mark.django_db(transaction=True)

CYRILLIC = "[\u0400-\u04ff]"
ARABIC_SCRIPT = "[\u0600-\u06ff]"
STATES = ("afg", "aus", "irn", "kaz", "kgz", "pak", "rus", "tjk", "tkm", "usa", "uzb")
CENTRAL = {
    "afg": "afg-ago",
    "aus": "aus-agsdiccc",
    "irn": "irn-jdia",
    "kaz": "kaz-gpo",
    "kgz": "kgz-gpo",
    "pak": "pak-mi",
    "rus": "rus-pgo",
    "tjk": "tjk-gpo",
    "tkm": "tkm-pgo",
    "usa": "usa-djcdoia",
    "uzb": "uzb-gpo",
}


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "requests": Request.objects.count(),
        "messages": Message.objects.count(),
        "attachments": Attachment.objects.count(),
        "persons": Person.objects.count(),
        "events": TimelineEvent.objects.count(),
    }


def test_building_twice_creates_nothing_new(reference: None) -> None:
    first = demo_build()
    counts = _counts()
    second = demo_build()
    assert _counts() == counts
    assert (first.users_created, first.requests_created) == (35, 12)
    assert (second.users_created, second.requests_created) == (0, 0)
    assert [a.username for a in second.accounts] == [a.username for a in first.accounts]
    checked, broken = audit_verify()
    assert broken is None
    assert checked > 12


def test_every_demo_account_has_its_authority_and_role_and_signs_in(reference: None) -> None:
    demo_build()
    for iso in STATES:
        officer = User.objects.get(username=f"{iso}.officer")
        reviewer = User.objects.get(username=f"{iso}.reviewer")
        competent = User.objects.select_related("authority").get(username=f"{iso}.competent")
        assert officer.authority == Authority.objects.get(key=CENTRAL[iso])
        assert (officer.role, reviewer.role, competent.role) == (
            Role.OFFICER,
            Role.REVIEWER,
            Role.OFFICER,
        )
        assert reviewer.authority == officer.authority
        assert competent.authority is not None
        assert competent.authority.state == officer.authority.state
        assert not competent.authority.is_central_authority
    assert User.objects.get(username="kgz.competent").authority.key == "kgz-sfismf"  # type: ignore[union-attr]
    assert User.objects.get(username="irn.officer").language == "fa"
    assert User.objects.get(username="kaz.officer").language == "ru"
    assert User.objects.get(username="usa.officer").language == "en"
    admin = User.objects.get(username="hub.admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.NODE_ADMIN, True, True)
    for username in [*(f"{i}.{r}" for i in STATES for r in ("officer", "reviewer", "competent"))]:
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
    assert Client().login(request=HttpRequest(), username="hub.admin", password=DEMO_PASSWORD)


def test_the_sample_requests_cover_the_lifecycle(reference: None) -> None:
    demo_build()
    statuses = set(Request.objects.values_list("status", flat=True))
    assert Request.objects.count() >= 12
    assert len(statuses) >= 8
    assert {"draft", "submitted", "executed", "refused", "closed"} <= statuses
    assert Request.objects.filter(status="in_execution", executing_authority__isnull=False)
    assert Request.objects.get(status="refused").refusal_ground
    assert Attachment.objects.filter(content_type="application/pdf").exists()
    assert Message.objects.filter(parent__isnull=False).exists()
    bodies = " ".join(Message.objects.values_list("body", flat=True))
    assert re.search(CYRILLIC, bodies)
    assert re.search(ARABIC_SCRIPT, bodies)
    assert re.search("[a-z]", bodies)
    names = " ".join(Person.objects.values_list("name", flat=True))
    for script in ("[A-Za-z]", CYRILLIC, ARABIC_SCRIPT):
        assert re.search(script, names)
    assert all(c.reference.startswith("DEMO-") for c in Case.objects.all())
    late = Request.objects.get(case__reference="DEMO-KG-2026-0077")
    assert late.status == "submitted"
    assert is_overdue(late)


def test_the_generated_pdf_is_accepted_as_a_pdf() -> None:
    content = demo_pdf(["Hello (world)"])
    assert content.startswith(b"%PDF-1.4")
    assert content.rstrip().endswith(b"%%EOF")
    assert sniff(content[:8192], "x.pdf") == "application/pdf"


def test_the_command_builds_prints_the_accounts_and_says_how_to_sign_in(
    tmp_path: Path, settings: Any
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    # Collected as they are: compressing every file (gzip and Brotli) is the deployment's
    # business and takes most of a minute; here only the collecting is checked.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.COMITY_OTP_REQUIRED_ROLES = []
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for username in ("kaz.officer", "kgz.reviewer", "tjk.competent", "hub.admin"):
        assert username in text
    assert DEMO_PASSWORD in text
    assert "Two-factor sign-in is off" in text
    assert Request.objects.count() >= 12
    assert (tmp_path / "static").is_dir()

    settings.COMITY_OTP_REQUIRED_ROLES = ["officer"]
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "0 users and 0 requests created now" in out.getvalue()
    assert "enrol a TOTP device" in out.getvalue()
