"""Shared fixtures: the reference data and the named personas every access test uses."""

from __future__ import annotations

import pytest

from tests.personas import Personas, make_personas


@pytest.fixture
def reference(db: None) -> None:
    from comity.directory.services import reference_load

    reference_load()


@pytest.fixture
def personas(reference: None) -> Personas:
    return make_personas()
