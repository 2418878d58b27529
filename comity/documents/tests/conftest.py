"""Fixtures of the documents tests: a private file folder and a request to Iran."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from comity.accounts.models import User
from comity.cooperation import services as cooperation_services
from comity.cooperation.models import Request
from comity.documents import services
from comity.documents.models import DocumentVersion
from tests.builders import draft
from tests.personas import Personas

PERSIAN_NAME = "محمد رضایی"
PERSIAN_DETAILS = "ساکن تهران، خیابان ولیعصر"


@pytest.fixture(autouse=True)
def document_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(COMITY_ATTACHMENT_DIR=tmp_path), translation.override("en"):
        yield tmp_path


def to_iran(actor: User, **overrides: object) -> Request:
    """A draft from Kazakhstan to Iran, whose central authority accepts Persian."""
    persons = [
        cooperation_services.PersonData(
            role="suspect",
            name=PERSIAN_NAME,
            birth_date=date(1980, 3, 21),
            nationality="IRN",
            details=PERSIAN_DETAILS,
        )
    ]
    return draft(actor, requested_state="IRN", persons=persons, **overrides)


@pytest.fixture
def iran_draft(personas: Personas) -> Request:
    return to_iran(personas.requesting_officer)


def render(
    request: Request,
    actor: User,
    languages: list[str] | None = None,
    fmt: str = "pdf",
    layout: str = "single",
) -> DocumentVersion:
    return services.document_render(
        request=request, languages=languages, fmt=fmt, layout=layout, actor=actor
    )


def file_bytes(version: DocumentVersion, root: Path) -> bytes:
    return (root / version.storage_name).read_bytes()
