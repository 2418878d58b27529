"""Bad input never changes anything and never gives a 500: every error has one shape."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from comity.cooperation.models import Attachment, Request
from comity.cooperation.tests.test_api import CREATE_BODY, Api
from tests.builders import draft, submitted
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaz(personas: Personas) -> Api:
    return Api(personas.requesting_officer)


def _body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(CREATE_BODY)
    for path, value in changes.items():
        target: Any = body
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DROP:
            del target[last]
        else:
            target[last] = value
    return body


_DROP = object()


def _assert_error_shape(body: dict[str, Any]) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(t, str) for t in v)
        for k, v in error["fields"].items()
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requested_state": "XXX"}, "requested_state"),
        ({"requested_state": "KAZ"}, "requested_state"),
        ({"offences__0__iccs": "9999"}, "offences.0.iccs"),
        ({"offences__0__provision": " "}, "offences.0.provision"),
        ({"persons__0__birth_date": "1984-13-45"}, "persons.0.birth_date"),
        ({"persons__0__birth_date": "2999-01-01"}, "persons.0.birth_date"),
        ({"persons__0__nationality": "ZZZ"}, "persons.0.nationality"),
        ({"persons__0__role": "bystander"}, "persons.0.role"),
        ({"assistance_sought__0__measure": "teleport"}, "assistance_sought.0.measure"),
        ({"title": _DROP}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"type": "gossip"}, "type"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"proceedings__nature": "rumour"}, "proceedings.nature"),
        ({"time_limit": "2001-01-01"}, "time_limit"),
        ({"requested_authority": "not-a-uuid"}, "requested_authority"),
        ({"offences": "no"}, "offences"),
        ({"persons": [{"role": "suspect"}]}, "persons.0.name"),
        ({"summary_of_facts": "nul\x00byte"}, "summary_of_facts"),
    ],
)
def test_it_refuses_bad_input_with_a_field_error_and_creates_nothing(
    kaz: Api, changes: dict[str, Any], field: str
) -> None:
    response = kaz.post("/requests", _body(**changes))
    assert response.status_code == 400, response.content
    _assert_error_shape(response.json())
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"], response.json()
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    "junk",
    [[], "x", 0, None, {"offences": "no"}, {"persons": [1, 2]}, [{"title": "x"}], {"title": {}}],
)
def test_junk_bodies_give_400_never_500(kaz: Api, junk: Any) -> None:
    response = kaz.post("/requests", junk)
    assert response.status_code == 400, response.content
    _assert_error_shape(response.json())
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    "raw", [b"{", b'{"title": "x",}', b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b"NaN"]
)
def test_a_malformed_json_body_gives_400(kaz: Api, raw: bytes) -> None:
    response = kaz.raw("POST", "/requests", raw, "application/json")
    assert response.status_code == 400, response.content
    _assert_error_shape(response.json())
    assert not Request.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_415(kaz: Api) -> None:
    as_form = kaz.form("/requests", {"title": "x"})
    assert as_form.status_code == 415
    _assert_error_shape(as_form.json())
    assert as_form.json()["error"]["code"] == "unsupported_media_type"
    as_text = kaz.raw("POST", "/requests", json.dumps(_body()), "text/plain")
    assert as_text.status_code == 415
    assert not Request.objects.exists()


def test_messages_follow_the_users_language(kaz: Api) -> None:
    body = _body(title=_DROP, requested_state="XXX")
    response = kaz.post("/requests", body, {"Accept-Language": "ru"})
    fields = response.json()["error"]["fields"]
    assert fields["title"] == ["Обязательное поле."]
    english = kaz.post("/requests", body, {"Accept-Language": "en"}).json()["error"]["fields"]
    assert english["title"] == ["This field is required."]


def test_a_wrong_method_gives_405_in_the_same_shape(kaz: Api, personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = kaz.raw("DELETE", f"/requests/{request.public_id}", b"", "application/json")
    assert response.status_code == 405
    _assert_error_shape(response.json())
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH"}
    assert Request.objects.filter(pk=request.pk).exists()


def test_an_unknown_path_gives_404_in_the_same_shape(kaz: Api) -> None:
    response = kaz.get("/nothing/here")
    assert response.status_code == 404
    _assert_error_shape(response.json())


def test_a_body_larger_than_the_limit_gives_413(kaz: Api, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = kaz.post("/requests", _body(summary_of_facts="x" * 2000))
    assert response.status_code == 413
    _assert_error_shape(response.json())
    assert not Request.objects.exists()


def test_bad_query_parameters_give_400_not_500(kaz: Api) -> None:
    for query in ("page=x", "page=99999999999999999999", "status=lost", "type=x", "q=a%00b"):
        response = kaz.get(f"/requests?{query}")
        assert response.status_code == 400, query
        _assert_error_shape(response.json())


def test_an_unexpected_error_gives_500_without_details(
    kaz: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comity.cooperation import selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "request_list", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/requests", headers={"Authorization": f"Bearer {kaz.token}"})
    assert response.status_code == 500
    _assert_error_shape(response.json())
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_transition_errors_name_the_field(personas: Personas) -> None:
    request = submitted(personas.requesting_officer)
    kgz = Api(personas.requested_officer)
    kgz.act(str(request.public_id), "acknowledge")
    response = kgz.act(str(request.public_id), "refuse", reason="No.")
    assert response.status_code == 400
    assert "ground" in response.json()["error"]["fields"]
    bad_authority = kgz.act(str(request.public_id), "assign", executing_authority="nope")
    assert bad_authority.status_code == 400
    assert "executing_authority" in bad_authority.json()["error"]["fields"]
    request.refresh_from_db()
    assert request.status == "acknowledged"


def test_a_draft_missing_what_submission_needs_lists_every_gap(
    kaz: Api, personas: Personas
) -> None:
    request = draft(personas.requesting_officer, purpose="", offences=[])
    response = kaz.act(str(request.public_id), "submit")
    assert response.status_code == 400
    assert {"purpose", "offences"} <= set(response.json()["error"]["fields"])
    request.refresh_from_db()
    assert request.status == "draft"


def test_an_empty_patch_is_refused(kaz: Api, personas: Personas) -> None:
    request = draft(personas.requesting_officer)
    response = kaz.patch(f"/requests/{request.public_id}", {})
    assert response.status_code == 400
    _assert_error_shape(response.json())


def test_no_attachment_row_is_left_by_a_refused_upload(
    kaz: Api, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    settings.COMITY_ATTACHMENT_DIR = tmp_path
    request = submitted(personas.requesting_officer)
    response = kaz.upload(f"/requests/{request.public_id}/attachments", "empty.pdf", b"")
    assert response.status_code == 400
    _assert_error_shape(response.json())
    assert not Attachment.objects.exists()


def test_a_too_long_title_says_how_long_it_may_be(kaz: Api) -> None:
    response = kaz.post("/requests", _body(title="x" * 300))
    assert response.json()["error"]["fields"]["title"] == [
        "Ensure this value has at most 255 characters."
    ]
