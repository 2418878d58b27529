"""The legal basis chosen in the request form's panel, stored with the request and shown."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comity.accounts.models import User
from comity.accounts.tokens import token_create
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation.models import Request
from comity.cooperation.tests.test_api import CREATE_BODY
from comity.cooperation.tests.test_views_drafts import _complete
from tests import builders
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CREATE = reverse("cooperation:create")
CHOSEN = ["BIL_EXT_KAZ_KGZ_1997", "UN1988"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: User, method: str, path: str, body: Any) -> Any:
    token = token_create(user=user, name="test")[1]
    return Client().generic(
        method,
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _edit_form(request: Request, **overrides: str | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {**_complete(), "version": str(request.version)}
    del data["case_reference"]
    data.update(overrides)
    return data


# ------------------------------------------------------------------ the form


def test_the_form_offers_the_panel_behind_a_button(personas: Personas) -> None:
    html = _client(personas.requesting_officer).get(CREATE).content.decode()
    assert re.search(
        r'<button[^>]*aria-expanded="false"[^>]*aria-controls="legal-basis-panel"', html
    )
    assert 'id="legal-basis-panel"' in html
    assert reverse("treaties:panel") in html
    assert "treaties/legal_basis.js" in html
    # Without scripts the legal-basis text is still there to type in.
    assert re.search(r'<textarea name="legal_basis"', html)


def test_saving_a_new_draft_stores_the_chosen_instruments(personas: Personas) -> None:
    client = _client(personas.requesting_officer)
    legal_basis = "BIL_EXT_KAZ_KGZ_1997; UN1988, art 6"
    response = client.post(
        CREATE, _complete(legal_basis=legal_basis) | {"legal_basis_codes": CHOSEN}
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.legal_basis == legal_basis
    assert request.legal_basis_codes == CHOSEN


def test_the_same_instrument_twice_is_kept_once(personas: Personas) -> None:
    client = _client(personas.requesting_officer)
    client.post(CREATE, _complete() | {"legal_basis_codes": ["UN1988", "UNTOC", "UN1988"]})
    assert Request.objects.get().legal_basis_codes == ["UN1988", "UNTOC"]


@pytest.mark.parametrize("code", ["NO_SUCH_TREATY", "<script>", "x" * 80])
def test_an_unknown_instrument_is_refused_and_nothing_is_saved(
    personas: Personas, code: str
) -> None:
    client = _client(personas.requesting_officer)
    response = client.post(CREATE, _complete() | {"legal_basis_codes": ["UN1988", code]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Unknown instrument" in html
    assert 'id="error-summary"' in html
    assert not Request.objects.exists()


def test_editing_keeps_the_chosen_instruments_in_the_form(personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer, legal_basis_codes=CHOSEN)
    url = reverse("cooperation:edit", kwargs={"id": draft.public_id})
    html = _client(personas.requesting_officer).get(url).content.decode()
    for code in CHOSEN:
        assert re.search(rf'<input type="hidden" name="legal_basis_codes" value="{code}"', html)


def test_changing_the_choice_is_audited_like_the_rest_of_the_draft(personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer, legal_basis_codes=CHOSEN)
    url = reverse("cooperation:edit", kwargs={"id": draft.public_id})
    response = _client(personas.requesting_officer).post(
        url, _edit_form(draft, legal_basis_codes=["UNTOC"])
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.legal_basis_codes == ["UNTOC"]
    event = AuditEvent.objects.filter(
        code=Code.REQUEST_UPDATED, subject_id=str(draft.public_id)
    ).get()
    assert "legal_basis_codes" in event.details["fields"]


def test_the_request_page_links_the_chosen_instruments(personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer, legal_basis_codes=CHOSEN)
    url = reverse("cooperation:detail", kwargs={"id": draft.public_id})
    html = _client(personas.requesting_officer).get(url).content.decode()
    for code in CHOSEN:
        assert reverse("treaties:instrument", kwargs={"code": code}) in html


def test_the_service_refuses_an_unknown_instrument(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        builders.draft(personas.requesting_officer, legal_basis_codes=["NO_SUCH_TREATY"])
    assert "legal_basis_codes" in refused.value.message_dict
    assert not Request.objects.exists()


# ------------------------------------------------------------------ the API


def test_the_api_takes_and_returns_the_chosen_instruments(personas: Personas) -> None:
    user = personas.requesting_officer
    response = _api(user, "POST", "/requests", {**CREATE_BODY, "legal_basis_codes": CHOSEN})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["legal_basis_codes"] == CHOSEN
    patched = _api(
        user,
        "PATCH",
        f"/requests/{body['id']}",
        {"legal_basis_codes": ["UNTOC"], "version": body["version"]},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["legal_basis_codes"] == ["UNTOC"]
    cleared = _api(user, "PATCH", f"/requests/{body['id']}", {"legal_basis_codes": None})
    assert cleared.json()["legal_basis_codes"] == []


def test_the_api_refuses_an_unknown_instrument_with_a_field_error(personas: Personas) -> None:
    response = _api(
        personas.requesting_officer,
        "POST",
        "/requests",
        {**CREATE_BODY, "legal_basis_codes": ["NO_SUCH_TREATY"]},
    )
    assert response.status_code == 400
    assert "legal_basis_codes" in response.json()["error"]["fields"]
    assert not Request.objects.exists()
