"""The draft form saves itself as the officer types (autosave posts to the form's own page)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.cooperation import services
from comity.cooperation.models import Case, Request, TimelineEvent
from comity.cooperation.tests.test_views_drafts import _complete, _rows
from tests import builders
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CREATE = reverse("cooperation:create")
HTMX = {"HX-Request": "true"}
# session, user (with its authority), the draft; the form's choices (states, central
# authorities, ICCS codes); the requested state and its central authority, the ICCS codes
# and nationalities used; the draft locked and saved, each of the four lists deleted and
# (if not empty) inserted, the search text, the case, the timeline's last entry, the audit
# chain (with its savepoints); then the checks panel's four lists.
AUTOSAVE_QUERIES = 34


def _edit_url(request: Request) -> str:
    return reverse("cooperation:edit", kwargs={"id": request.public_id})


def _autosave(client: Client, url: str, data: dict[str, str]) -> Any:
    return client.post(url, {**data, "autosave": "1"}, headers=HTMX)


def _typed(**overrides: str) -> dict[str, str]:
    """A new form partly filled in: the addressee and a title, nothing else yet."""
    blank = dict.fromkeys(_complete(), "")
    blank.update(
        {
            **_rows("offences", [], blank=2),
            **_rows("assistance_sought", [], blank=2),
            **_rows("persons", [], blank=2),
            "type": "extradition",
            "urgency": "normal",
            "proceedings_nature": "investigation",
            "requested_state": "KGZ",
            "title": "Extradition of Нурлан Ахметов",
            **overrides,
        }
    )
    return blank


def _edit_values(draft: Request, **changes: str) -> dict[str, str]:
    data = _complete(version=str(draft.version), draft=str(draft.public_id))
    data.pop("case_reference")
    return {**data, **changes}


def test_the_first_autosave_creates_the_draft_and_moves_to_its_edit_page(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)

    response = _autosave(client, CREATE, _typed())

    draft = Request.objects.get()
    assert response.status_code == 200
    assert response["HX-Replace-Url"] == _edit_url(draft)
    html = response.content.decode()
    assert re.search(r"Saved at \d\d:\d\d\.", html)
    assert f'name="draft" value="{draft.public_id}"' in html
    assert 'name="version" value="1"' in html
    assert 'id="draft-checks" class="card mb-3"' in html and 'hx-swap-oob="true"' in html
    assert (draft.type, draft.title, draft.status) == (
        "extradition",
        "Extradition of Нурлан Ахметов",
        "draft",
    )
    assert AuditEvent.objects.filter(code=Code.REQUEST_CREATED).count() == 1


def test_nothing_is_created_before_the_requested_state_and_a_title(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    response = _autosave(client, CREATE, _typed(title=""))
    assert response.status_code == 200
    assert "Not saved yet: choose the requested state and write a title" in (
        response.content.decode()
    )
    assert not Request.objects.exists()


def test_a_partial_draft_keeps_what_is_valid_and_leaves_out_the_rest(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.requesting_officer)
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    data = _typed(
        summary_of_facts="Heroin moved through Osh.",
        time_limit=past,  # refused by the services: left out
        warrant_date="not a date",  # refused by the form: left out
        max_penalty_years="15",
        **_rows(
            "offences",
            [
                {"iccs": "0601", "provision": "Art. 297 Criminal Code"},
                {"iccs": "0501"},  # the provision is not typed yet
            ],
        ),
    )

    response = _autosave(client, CREATE, data)

    assert response.status_code == 200
    draft = Request.objects.get()
    assert draft.summary_of_facts == "Heroin moved through Osh."
    assert (draft.time_limit, draft.warrant_date, str(draft.max_penalty_years)) == (
        None,
        None,
        "15.00",
    )
    assert list(draft.offences.values_list("iccs__code", flat=True)) == ["0601"]


def test_autosave_on_the_edit_page_changes_the_draft_and_bumps_its_version(
    client: Client, personas: Personas
) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(personas.requesting_officer)

    first = _autosave(client, _edit_url(draft), _edit_values(draft, title="Bank records, Osh"))
    draft.refresh_from_db()
    second = _autosave(
        client,
        _edit_url(draft),
        _edit_values(draft, title="Bank records, Osh", purpose="To trace them."),
    )

    assert (first.status_code, second.status_code) == (200, 200)
    assert "HX-Replace-Url" not in first
    draft.refresh_from_db()
    assert (draft.title, draft.purpose, draft.version) == (
        "Bank records, Osh",
        "To trace them.",
        3,
    )
    assert 'name="version" value="3"' in second.content.decode()
    # Every save is audited; the timeline tells of one sitting.
    assert AuditEvent.objects.filter(code=Code.DRAFT_AUTOSAVED).count() == 2
    edits = TimelineEvent.objects.filter(request=draft, kind="edited")
    assert [e.details.get("autosave") for e in edits] == [True]


def test_a_stale_version_is_refused_with_409_and_changes_nothing(
    client: Client, personas: Personas
) -> None:
    draft = builders.draft(personas.requesting_officer)
    stale = _edit_values(draft, title="My change")
    services.request_update_draft(
        actor=personas.requesting_officer,
        request=draft,
        data=builders.complete_data(title="Changed by a colleague"),
    )
    client.force_login(personas.requesting_officer)

    response = _autosave(client, _edit_url(draft), stale)

    assert response.status_code == 409
    assert "this draft was changed elsewhere" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Changed by a colleague", 2)


def test_the_missing_list_shrinks_as_the_draft_fills_up(client: Client, personas: Personas) -> None:
    client.force_login(personas.requesting_officer)
    counts = []
    data = _typed()
    steps: list[dict[str, str]] = [
        {},
        {"max_penalty": "15 years", "summary_of_facts": "Heroin moved through Osh."},
        {
            "extradition_basis": "prosecution",
            "warrant_reference": "7-142/2026",
            "warrant_date": "2026-01-15",
            "warrant_authority": "Almaty court",
        },
    ]
    for step in steps:
        data.update(step)
        draft = Request.objects.first()
        if draft is not None:
            data.update(draft=str(draft.public_id), version=str(draft.version))
        response = _autosave(client, _edit_url(draft) if draft else CREATE, data)
        found = re.search(r'data-missing-count="(\d+)"', response.content.decode())
        assert found is not None
        counts.append(int(found.group(1)))
    assert counts[0] > counts[1] > counts[2] > 0


def test_a_draft_saved_before_its_reference_joins_the_case_of_the_reference(
    client: Client, personas: Personas
) -> None:
    existing = builders.draft(personas.requesting_officer, proceedings_reference="KZ-2026-0317")
    client.force_login(personas.requesting_officer)
    _autosave(client, CREATE, _typed())
    draft = Request.objects.exclude(pk=existing.pk).get()
    assert draft.case.reference.startswith("CASE-")
    orphan = draft.case.pk

    _autosave(
        client,
        _edit_url(draft),
        _typed(
            draft=str(draft.public_id), version=str(draft.version), case_reference="KZ-2026-0317"
        ),
    )

    draft.refresh_from_db()
    assert draft.case == existing.case
    assert not Case.objects.filter(pk=orphan).exists()
    assert AuditEvent.objects.filter(code=Code.DRAFT_CASE_REFILED).count() == 1


def test_a_case_named_by_the_first_reference_takes_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.requesting_officer)
    _autosave(client, CREATE, _typed())
    draft = Request.objects.get()
    _autosave(
        client,
        _edit_url(draft),
        _typed(
            draft=str(draft.public_id),
            version=str(draft.version),
            proceedings_reference="KZ-2026-0999",
        ),
    )
    draft.refresh_from_db()
    assert (draft.case.reference, draft.case.title) == ("KZ-2026-0999", draft.title)


def test_the_edit_page_gives_the_autosave_the_draft_and_its_version(
    client: Client, personas: Personas
) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(personas.requesting_officer)
    html = client.get(_edit_url(draft)).content.decode()
    assert f'name="draft" value="{draft.public_id}"' in html
    assert html.count('name="version"') == 1
    assert f'hx-post="{_edit_url(draft)}?autosave=1"' in html
    assert 'hx-trigger="input changed delay:1500ms"' in html
    assert 'id="autosave-status" role="status" aria-live="polite"' in html


# Who may.


def test_the_reviewer_cannot_autosave(client: Client, personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(personas.requesting_reviewer)
    assert _autosave(client, CREATE, _typed()).status_code == 403
    assert _autosave(client, _edit_url(draft), _edit_values(draft)).status_code == 403
    assert Request.objects.count() == 1


@pytest.mark.parametrize("who", ["requested_officer", "outsider"])
def test_the_other_side_and_an_outsider_do_not_find_the_draft(
    client: Client, personas: Personas, who: str
) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(getattr(personas, who))
    assert _autosave(client, _edit_url(draft), _edit_values(draft)).status_code == 404
    # Naming the draft on the new form's page finds nothing either.
    named = _typed(draft=str(draft.public_id), version="1", title="Taken over")
    assert _autosave(client, CREATE, named).status_code == 404
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_submitted_request_is_not_autosaved(client: Client, personas: Personas) -> None:
    request = builders.submitted(personas.requesting_officer)
    client.force_login(personas.requesting_officer)
    response = _autosave(client, _edit_url(request), _edit_values(request, title="Too late"))
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.title != "Too late"


def test_anonymous_autosave_is_sent_to_sign_in(client: Client, db: None) -> None:
    response = _autosave(client, CREATE, _typed())
    assert response.status_code == 302
    assert not Request.objects.exists()


def test_an_autosave_costs_the_same_however_many_rows(
    client: Client,
    personas: Personas,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(personas.requesting_officer)
    people = [{"role": "witness", "name": f"Witness {n}", "nationality": "KGZ"} for n in range(6)]
    for rows in (people[:1], people):
        draft = builders.draft(personas.requesting_officer)
        # The timeline already has an edit of this sitting: no new entry.
        services.request_update_draft(
            actor=personas.requesting_officer,
            request=draft,
            data=services.RequestData(title=draft.title, provided=frozenset({"title"})),
            autosave=True,
        )
        draft.refresh_from_db()
        data = _edit_values(draft, **_rows("persons", rows))
        with django_assert_num_queries(AUTOSAVE_QUERIES):
            assert _autosave(client, _edit_url(draft), data).status_code == 200
