"""The browser tests' live server answers requests that arrive at the same time.

Browsers fetch in parallel (a page, htmx swaps, autosave). On SQLite the server threads share
the test's in-memory connection, so the live server must not interleave two requests on it.
"""

from __future__ import annotations

import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8
ROUNDS = 6


def test_parallel_requests_all_succeed(live_server: LiveServer, personas: Personas) -> None:
    client = Client()
    client.force_login(personas.requesting_officer)
    session = client.cookies["sessionid"].value
    paths = ["/requests/", "/directory/", "/notifications/", "/requests/new/"]

    server = urlsplit(live_server.url)

    def fetch(index: int) -> int:
        path = paths[index % len(paths)]
        connection = http.client.HTTPConnection(server.hostname or "", server.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
            answer = connection.getresponse()
            answer.read()
            return answer.status
        finally:
            connection.close()

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(fetch, range(PARALLEL * ROUNDS)))
    assert statuses == [200] * (PARALLEL * ROUNDS)
