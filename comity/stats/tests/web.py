"""What the statistics page tests share: a small world of requests at known times, a
signed-in client, and the rows of a table as the page shows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING

from django.conf import settings
from django.test import Client
from django.urls import reverse

from comity.accounts.models import User
from comity.cooperation.models import Request
from comity.stats.tests.helpers import T0, Clock, act, hours, submit
from tests.personas import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
DASHBOARD = reverse("stats:dashboard")
NETWORK = reverse("stats:network")


@dataclass(frozen=True)
class World:
    personas: Personas
    outgoing: list[Request]  # Kazakhstan to Kyrgyzstan
    incoming: list[Request]  # Kyrgyzstan to Kazakhstan
    elsewhere: Request  # Tajikistan to Kyrgyzstan: not Kazakhstan's


def client_for(user: User, language: str = "") -> Client:
    client = Client()
    client.force_login(user, backend="comity.accounts.backends.UserBackend")
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def build(personas: Personas, clock: Clock, *, outgoing: int = 3) -> World:
    """Kazakhstan sends ``outgoing`` MLA requests to Kyrgyzstan (the first executed after
    two days of acknowledgement and ten of execution, the second refused), Kyrgyzstan sends
    one extradition request to Kazakhstan, and Tajikistan one MLA request to Kyrgyzstan."""
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    sent = [submit(clock, kaz, T0 + hours(i)) for i in range(outgoing)]
    first = act(clock, kgz, sent[0], "acknowledge", T0 + hours(48))
    first = act(clock, kgz, first, "start_execution", T0 + hours(72))
    sent[0] = act(clock, kgz, first, "execute", T0 + hours(72 + 240))
    second = act(clock, kgz, sent[1], "acknowledge", T0 + hours(24))
    sent[1] = act(
        clock,
        kgz,
        second,
        "refuse",
        T0 + hours(96),
        reason="Political offence.",
        ground="political_offence",
    )
    received = [submit(clock, kgz, T0 + hours(5), type="extradition", requested_state="KAZ")]
    other = submit(clock, personas.outsider, T0 + hours(6))
    return World(personas, sent, received, other)


def text_of(response: Response) -> str:
    return response.content.decode()


def section(page: str, key: str) -> str:
    found = re.search(rf'<section[^>]*data-table="{key}".*?</section>', page, re.S)
    assert found, f"no section {key}"
    return found.group(0)


def rows_of(page: str, key: str) -> list[list[str]]:
    """The rows of a table on the page: the header cell and each figure, as text."""
    table = re.search(r"<tbody>(.*?)</tbody>", section(page, key), re.S)
    assert table, f"no table body in {key}"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([_cell_text(cell) for cell in cells])
    return rows


def _cell_text(cell: str) -> str:
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", cell, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", shown)).strip()
