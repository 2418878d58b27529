"""Fixtures the treaty tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from comity.treaties.loader import load_treaties


@pytest.fixture
def treaty_data(reference: None) -> None:
    """The shipped treaty dataset, loaded."""
    load_treaties()


@pytest.fixture
def english() -> Iterator[None]:
    """English for texts asserted word for word: a request of an earlier test may have left
    another language active in this thread."""
    with translation.override("en"):
        yield
