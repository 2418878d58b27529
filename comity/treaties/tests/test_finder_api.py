"""The finder and the instruments over HTTP, with bearer tokens, on the shipped data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.accounts.tokens import token_create
from comity.treaties.finder import find, parse_query
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("treaty_data", "english")

QUERY = "from=KAZ&to=KGZ&measure=extradition&offence=0601&date=2026-11-28"


@pytest.fixture
def api(personas: Personas) -> Client:
    _, raw = token_create(user=personas.requesting_officer, name="finder")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.mark.parametrize(
    "path", [f"/api/v1/legal-basis?{QUERY}", "/api/v1/instruments", "/api/v1/instruments/UNTOC"]
)
def test_every_operation_needs_a_token(path: str) -> None:
    assert error(Client().get(path), 401)["code"] == "unauthorized"


# --- /legal-basis -----------------------------------------------------------------------------


def test_it_answers_as_the_finder_does(api: Client) -> None:
    response = api.get(f"/api/v1/legal-basis?{QUERY}")
    assert response.status_code == 200
    body = response.json()
    expected = find(parse_query("KAZ", "KGZ", "extradition", "0601", "2026-11-28")).as_json()
    assert body == expected
    assert body["instruments"][0]["code"] == "BIL_EXT_KAZ_KGZ_1997"
    assert body["query"]["date"] == "2026-11-28"
    assert response["Cache-Control"] == "private, no-store"


def test_it_reads_any_measure_spelling_and_defaults_the_date(api: Client) -> None:
    body = api.get("/api/v1/legal-basis?from=kaz&to=kgz&measure=bank-records&offence=0601").json()
    assert body["query"]["cooperation"] == "mla"
    assert body["instruments"][0]["code"] == "BIL_MLA_KAZ_KGZ_1996"


def test_when_nothing_applies_it_says_so(api: Client) -> None:
    body = api.get(
        "/api/v1/legal-basis?from=KAZ&to=RUS&measure=extradition&offence=0601&date=1950-01-01"
    ).json()
    assert body["instruments"] == []
    assert "reciprocity" in body["fallback"]


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ("to=KGZ&measure=mla&offence=0601", "from", "requesting state"),
        ("from=XXX&to=KGZ&measure=mla&offence=0601", "from", "XXX"),
        ("from=KAZ&to=KAZ&measure=mla&offence=0601", "to", "differ"),
        ("from=KAZ&to=KGZ&measure=rendition&offence=0601", "measure", "rendition"),
        ("from=KAZ&to=KGZ&measure=mla&offence=0999", "offence", "0999"),
        ("from=KAZ&to=KGZ&measure=mla&offence=0601&date=28.11.2026", "date", "YYYY-MM-DD"),
        ("from=KAZ&to=KGZ&measure=mla&offence=0601&date=2026-02-30", "date", "YYYY-MM-DD"),
    ],
)
def test_it_refuses_bad_parameters_naming_the_field(
    api: Client, params: str, field: str, says: str
) -> None:
    body = error(api.get(f"/api/v1/legal-basis?{params}"), 400)
    assert body["code"] == "invalid"
    assert says in body["message"]
    assert body["fields"] == {field: [body["message"]]}


def test_it_refuses_an_overlong_parameter_without_a_traceback(api: Client) -> None:
    body = error(api.get(f"/api/v1/legal-basis?{QUERY}&offence={'9' * 5000}"), 400)
    assert "offence" in body["fields"]


def test_a_warm_answer_reads_only_the_token_and_the_data_version(api: Client) -> None:
    api.get(f"/api/v1/legal-basis?{QUERY}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/legal-basis?{QUERY}").status_code == 200
    # The token lookup, and one query per parse and find that the data has not changed.
    assert len(queries) <= 3, [q["sql"] for q in queries]


# --- /instruments -----------------------------------------------------------------------------


def test_it_lists_the_instruments_with_how_many_states_are_party(api: Client) -> None:
    body = api.get("/api/v1/instruments?page_size=200").json()
    rows = {row["code"]: row for row in body["items"]}
    assert body["count"] == len(rows) >= 40
    # Iran only signed UNTOC: 13 of the 14 states are party.
    assert rows["UNTOC"]["parties"] == 13
    assert rows["UNTOC"]["kind"] == "multilateral"
    assert "extradition" in rows["UNTOC"]["cooperation"]


def test_it_filters_instruments_by_kind_cooperation_and_state(api: Client) -> None:
    regional = api.get("/api/v1/instruments?kind=regional&page_size=200").json()["items"]
    assert regional and {row["kind"] for row in regional} == {"regional"}
    extradition = api.get("/api/v1/instruments?cooperation=extradition&page_size=200").json()
    assert all("extradition" in row["cooperation"] for row in extradition["items"])
    assert "BIL_MLA_KAZ_KGZ_1996" not in {row["code"] for row in extradition["items"]}
    kgz = {
        row["code"]
        for row in api.get("/api/v1/instruments?state=kgz&page_size=200").json()["items"]
    }
    assert {"BIL_EXT_KAZ_KGZ_1997", "UNTOC"} <= kgz
    assert "BIL_EXT_CHN_KAZ_1996" not in kgz


def test_it_refuses_an_unknown_kind(api: Client) -> None:
    assert "kind" in error(api.get("/api/v1/instruments?kind=galactic"), 400)["fields"]


def test_an_instrument_shows_parties_with_computed_entry_into_force_and_sources(
    api: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/instruments/untoc")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "UNTOC"
    parties = {row["state"]: row for row in body["participations"]}
    assert parties["KAZ"]["deposited"] == "2008-07-31"
    assert parties["KAZ"]["effective_entry_into_force"] == "2008-08-30"
    assert parties["KAZ"]["entry_into_force_computed"] is True
    assert parties["KAZ"]["source"]
    assert parties["KAZ"]["confidence"] == "high"
    assert parties["IRN"]["status"] == "signatory"
    assert "16" in [row["article"] for row in body["articles"]]
    assert body["eif_days_after_deposit"] == 30


def test_chisinau_says_what_it_replaces(api: Client) -> None:
    body = api.get("/api/v1/instruments/CIS_CHISINAU_2002").json()
    assert body["supersedes"] == ["CIS_MINSK_1993"]
    minsk = api.get("/api/v1/instruments/CIS_MINSK_1993").json()
    assert minsk["superseded_by"] == ["CIS_CHISINAU_2002"]


def test_an_instrument_lists_the_states_declarations(api: Client) -> None:
    body = api.get("/api/v1/instruments/UNCAC").json()
    pakistan = [row for row in body["declarations"] if row["state"] == "PAK"]
    assert any(row["topic"] == "extradition_basis" and row["value"] is False for row in pakistan)


def test_an_unknown_instrument_is_not_found(api: Client) -> None:
    assert error(api.get("/api/v1/instruments/NOPE"), 404)["code"] == "not_found"


def test_it_answers_in_the_language_of_the_request(api: Client) -> None:
    body = api.get(f"/api/v1/legal-basis?{QUERY}", headers={"Accept-Language": "ru"}).json()
    titles = [item["title"] for item in body["instruments"]]
    assert (
        "Конвенция Организации Объединенных Наций против транснациональной организованной "
        "преступности"
    ) in titles
