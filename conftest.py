"""Shared fixtures: the reference data and the named personas every access test uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.personas import Personas, make_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # Load the reference files once into the test database; tests roll back to this state.
    from comity.directory.services import reference_load

    with django_db_blocker.unblock():
        reference_load()
    yield


@pytest.fixture
def reference(db: None) -> None:
    from comity.directory.models import State
    from comity.directory.services import reference_load

    # Transactional tests empty the tables when they end; load again only then.
    if not State.objects.exists():
        reference_load()


@pytest.fixture
def personas(reference: None) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a page in Persian or Russian
    leaves its language active in the thread, which must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_statistics() -> Iterator[None]:
    """The in-memory statistics engine keeps the facts per process: each test reads its
    own database, whose revision counter may repeat an earlier test's."""
    from comity.stats import columnar

    columnar.forget()
    yield
    columnar.forget()
