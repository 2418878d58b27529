"""The directory API, driven as a client would: over HTTP, with bearer tokens."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import vobject
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import Role, User
from comity.accounts.tokens import token_create
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory.export import CSV_COLUMNS
from comity.directory.models import Authority, ContactPoint, MeasureFiche
from tests.personas import Personas, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/directory"
MISSING = "00000000-0000-4000-8000-000000000000"


def headers_for(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user, name='test')[1]}"}


@pytest.fixture
def auth(personas: Personas) -> dict[str, str]:
    return headers_for(personas.requesting_officer)


def _get(client: Client, path: str, auth: dict[str, str], **params: Any) -> Any:
    return client.get(f"{API}{path}", params, headers=auth)


def _keys(body: dict[str, Any]) -> list[str]:
    return [item["key"] for item in body["items"]]


def test_every_operation_needs_a_token(client: Client, reference: None) -> None:
    for path in ("/authorities", "/authorities/kgz-gpo", "/contacts", "/export.csv"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"


def test_a_user_who_may_not_read_the_directory_gets_403(client: Client, reference: None) -> None:
    stranger = make_user("stranger", None, Role.OFFICER)
    response = _get(client, "/authorities", headers_for(stranger))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("query", ["Кыргыз прокуратура", "Kyrgyz prosecutor", "دادستانی قرقیزستان"])
def test_authorities_are_found_by_a_name_in_any_script(
    client: Client, auth: dict[str, str], query: str
) -> None:
    body = _get(client, "/authorities", auth, q=query).json()
    assert "kgz-gpo" in _keys(body)
    item = next(i for i in body["items"] if i["key"] == "kgz-gpo")
    assert item["state"] == {"iso3": "KGZ", "name": "Kyrgyzstan"}
    assert item["is_central_authority"] is True
    assert item["url"] == f"{API}/authorities/kgz-gpo"


def test_the_list_is_filtered_and_paged(client: Client, auth: dict[str, str]) -> None:
    body = _get(client, "/authorities", auth, state="kgz", page_size=2).json()
    assert body["count"] == Authority.objects.filter(state__iso3="KGZ").count()
    assert len(body["items"]) == 2
    assert body["next"] is not None
    assert {key.split("-")[0] for key in _keys(body)} == {"kgz"}
    body = _get(client, "/authorities", auth, language="fa").json()
    assert "irn-jdia" in _keys(body)
    assert "kgz-gpo" not in _keys(body)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "XXX"}, "state"),
        ({"measure": "flying"}, "measure"),
        ({"language": "russian"}, "language"),
        ({"page": "0"}, "page"),
    ],
)
def test_filters_that_are_not_valid_get_400_naming_the_field(
    client: Client, auth: dict[str, str], params: dict[str, str], field: str
) -> None:
    response = _get(client, "/authorities", auth, **params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_one_authority_in_full_with_its_contact_points(
    client: Client, auth: dict[str, str]
) -> None:
    response = _get(client, "/authorities/kgz-gpo", auth)
    assert response.status_code == 200
    body = response.json()
    assert body["time_zone"] == "Asia/Bishkek"
    assert body["channels"][0]["channel"] == "central_authority"
    assert body["accepted_languages"] == ["ky", "ru"]
    assert "urgent_contact" in body["unsourced_fields"]
    assert [c["name"] for c in body["contacts"]] == ["Айбек Осмонов"]
    assert body["contacts"][0]["authority"]["key"] == "kgz-gpo"


def test_the_authority_detail_takes_a_fixed_number_of_queries(
    client: Client,
    auth: dict[str, str],
    personas: Personas,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _get(client, "/authorities/kgz-gpo", auth)  # the token's first use is recorded once
    # token, authority, contacts, and the audit event of the read (savepoint, head, insert,
    # head, release)
    with django_assert_num_queries(8):
        _get(client, "/authorities/kgz-gpo", auth)
    for n in range(4):
        ContactPoint.objects.create(authority=personas.kgz, name=f"Contact {n}")
    with django_assert_num_queries(8):
        response = _get(client, "/authorities/kgz-gpo", auth)
    assert len(response.json()["contacts"]) == 5


def test_unknown_keys_ids_and_states_get_404_in_the_error_shape(
    client: Client, auth: dict[str, str]
) -> None:
    for path in (
        "/authorities/no-such-key",
        "/authorities/no-such-key/vcard",
        f"/contacts/{MISSING}/vcard",
        "/contacts/not-a-uuid/vcard",
        "/states/XXX/fiches",
    ):
        response = _get(client, path, auth)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_the_directory_is_read_only(client: Client, auth: dict[str, str]) -> None:
    response = client.post(
        f"{API}/authorities/kgz-gpo", {}, content_type="application/json", headers=auth
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_contact_points_by_name_measure_and_language(client: Client, auth: dict[str, str]) -> None:
    body = _get(client, "/contacts", auth, q="Osmonov").json()
    assert [c["name"] for c in body["items"]] == ["Айбек Осмонов"]
    event = AuditEvent.objects.filter(code=Code.DIRECTORY_CONTACT_VIEWED).latest("seq")
    assert event.details == {"filters": {"q": "Osmonov"}, "page": 1, "contacts": 1}
    body = _get(client, "/contacts", auth, state="KGZ", measure="bank_records").json()
    assert [c["name_latin"] for c in body["items"]] == ["Nurgul Abdykadyrova"]
    body = _get(client, "/contacts", auth, language="ky").json()
    assert body["count"] >= 2
    assert all("ky" in c["languages"] for c in body["items"])


def test_vcards_download_and_are_audited(client: Client, auth: dict[str, str]) -> None:
    response = _get(client, "/authorities/kgz-gpo/vcard", auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "Kyrgyz" in vobject.readOne(response.content.decode()).fn.value
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    response = _get(client, f"/contacts/{contact.public_id}/vcard", auth)
    assert vobject.readOne(response.content.decode()).fn.value == "Айбек Осмонов"
    assert AuditEvent.objects.filter(code=Code.CONTACT_EXPORTED).count() == 2


def test_a_states_fiches(client: Client, auth: dict[str, str]) -> None:
    body = _get(client, "/states/kgz/fiches", auth).json()
    assert body["state"]["iso3"] == "KGZ"
    measures = [f["measure"] for f in body["items"]]
    assert measures == sorted(
        MeasureFiche.objects.filter(state__iso3="KGZ").values_list("measure", flat=True)
    )
    assert {"availability", "what_to_send", "alternative", "confidence"} <= set(body["items"][0])


def test_the_csv_export_follows_the_filters(client: Client, auth: dict[str, str]) -> None:
    response = _get(client, "/export.csv", auth, state="KGZ")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert {row["state"] for row in rows} == {"KGZ"}
    assert AuditEvent.objects.filter(code=Code.DIRECTORY_EXPORTED).exists()
    assert _get(client, "/export.csv", auth, measure="flying").status_code == 400


def test_the_lists_take_a_fixed_number_of_queries(
    client: Client, auth: dict[str, str], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _get(client, "/authorities", auth)  # the token's first use is recorded once
    # token, the page of rows (a short page needs no COUNT)
    with django_assert_num_queries(2):
        body = _get(client, "/authorities", auth, page_size=200).json()
    assert body["count"] == Authority.objects.count()
    with django_assert_num_queries(7):  # and the audit event of the read
        body = _get(client, "/contacts", auth, page_size=200).json()
    assert body["count"] == ContactPoint.objects.filter(is_active=True).count() > 10
