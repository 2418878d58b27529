from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.cooperation import services
from comity.cooperation.models import Request, TimelineEvent
from comity.directory.models import Authority
from tests import builders
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CREATE = reverse("cooperation:create")

# session, user (with its authority), states, central authorities, ICCS codes, and the
# navbar's unread-notification count.
CREATE_QUERIES = 6
# session, user, the request, states, central authorities, ICCS codes, its offences,
# measures, persons and properties, and the unread-notification count (navbar); then the
# checks panel reads the four lists once more; and the draft's consultation, for the link
# to it. The user's authority comes with the user.
EDIT_QUERIES = 16


def _edit_url(request: Request) -> str:
    return reverse("cooperation:edit", kwargs={"id": request.public_id})


def _detail_url(request: Request) -> str:
    return reverse("cooperation:detail", kwargs={"id": request.public_id})


def _rows(prefix: str, rows: list[dict[str, str]], blank: int = 1) -> dict[str, str]:
    """A formset as the browser posts it: the filled rows, then ``blank`` empty ones."""
    fields = {
        "offences": ("iccs", "provision", "description"),
        "assistance_sought": ("measure", "details"),
        "persons": ("role", "name", "birth_date", "nationality", "details"),
    }[prefix]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + blank),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for index in range(len(rows) + blank):
        row = rows[index] if index < len(rows) else {}
        for name in fields:
            data[f"{prefix}-{index}-{name}"] = row.get(name, "")
    return data


def _complete(**overrides: str) -> dict[str, str]:
    """A complete MLA request to Kyrgyzstan, as the new-request form posts it."""
    data = {
        "type": "mla",
        "requested_state": "KGZ",
        "requested_authority": "",
        "title": "Bank records of a drug-trafficking network",
        "urgency": "normal",
        "urgency_reason": "",
        "proceedings_nature": "investigation",
        "proceedings_reference": "KZ-2026-0142",
        "conducting_authority": "Investigation Department, Almaty",
        "case_reference": "",
        "summary_of_facts": "Between 2024 and 2026 the suspects moved heroin through Osh.",
        "purpose": "To trace the proceeds of the trafficking.",
        "particular_procedure": "",
        "confidentiality": "",
        "legal_basis": "UNTOC art. 18",
        "time_limit": "",
        **_rows(
            "offences",
            [{"iccs": "0601", "provision": "Art. 297 Criminal Code", "description": "Heroin"}],
        ),
        **_rows("assistance_sought", [{"measure": "bank_records", "details": "Bank X"}]),
        **_rows(
            "persons",
            [
                {
                    "role": "suspect",
                    "name": "Нурлан Ахметов",
                    "birth_date": "1984-03-02",
                    "nationality": "KAZ",
                }
            ],
        ),
    }
    data.update(overrides)
    return data


class _FormValues(HTMLParser):
    """What a browser would post from the draft form, row templates left out."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._in_template = 0
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_form = "data-draft-form" in attr
        elif tag == "template":
            self._in_template += 1
        if not self._in_form or self._in_template:
            return
        name = attr.get("name", "")
        kind = attr.get("type", "")
        if tag == "option" and self._select and "selected" in attr:
            self.values[self._select] = attr.get("value", "")
        elif not name:
            return
        elif tag == "input" and kind not in {"submit", "checkbox"}:
            self.values[name] = attr.get("value", "")
        elif tag == "input" and kind == "checkbox" and "checked" in attr:
            self.values[name] = "on"
        elif tag == "select":
            self._select = name
            self.values[name] = ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "template":
            self._in_template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def _form_values(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormValues()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# Creating.


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={CREATE}"


def test_the_kazakh_officer_creates_a_complete_mla_draft_to_kyrgyzstan(
    client: Client, personas: Personas
) -> None:
    response = _as(client, personas.requesting_officer).post(CREATE, _complete())

    draft = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(draft)
    assert draft.status == "draft"
    assert draft.type == "mla"
    assert draft.requesting_authority == personas.kaz
    assert draft.requested_state.iso3 == "KGZ"
    assert draft.requested_authority == personas.kgz  # the state's default central authority
    assert draft.legal_basis == "UNTOC art. 18"
    assert list(draft.offences.values_list("iccs__code", "provision", "description")) == [
        ("0601", "Art. 297 Criminal Code", "Heroin")
    ]
    assert list(draft.assistance_sought.values_list("measure", "details")) == [
        ("bank_records", "Bank X")
    ]
    person = draft.persons.get()
    assert person.name == "Нурлан Ахметов"
    assert (person.role, person.birth_date, person.nationality) == (
        "suspect",
        date(1984, 3, 2),
        draft.requesting_authority.state,
    )
    assert [str(m) for m in client.get(CREATE).context["messages"]] == ["Draft saved."]


def test_the_chosen_central_authority_is_kept(client: Client, personas: Personas) -> None:
    chosen = Authority.objects.get(key="kgz-gpo")
    data = _complete(requested_authority=str(chosen.public_id))
    assert _as(client, personas.requesting_officer).post(CREATE, data).status_code == 302
    assert Request.objects.get().requested_authority == chosen


def test_the_new_form_offers_the_other_member_states_and_two_empty_rows_of_each_list(
    client: Client, personas: Personas
) -> None:
    html = _as(client, personas.requesting_officer).get(CREATE).content.decode()
    assert '<option value="KGZ">Kyrgyzstan</option>' in html
    assert (
        '<option value="KAZ">Kazakhstan</option>'
        not in html.split('name="requested_state"')[1].split("</select>")[0]
    )
    assert (
        '<option value="DEU">' not in html.split('name="requested_state"')[1].split("</select>")[0]
    )
    assert '<option value="0601">0601 ' in html
    for prefix in ("offences", "assistance_sought", "persons"):
        assert f'name="{prefix}-TOTAL_FORMS" value="2"' in html
    assert 'name="persons-0-name" dir="auto"' in html or 'dir="auto" name="persons-0-name"' in (
        html
    )
    assert '<label class="form-label" for="id_title">' in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"offences-0-iccs": "9999"},
            "offences-0-iccs",
            "Select a valid choice. 9999 is not one of the available choices.",
        ),
        (
            {"persons-0-birth_date": "2999-01-01"},
            "persons-0-birth_date",
            "A date of birth cannot be in the future.",
        ),
        ({"title": ""}, "title", "This field is required."),
        (
            {"requested_state": "KAZ"},
            "requested_state",
            "Select a valid choice. KAZ is not one of the available choices.",
        ),
        ({"offences-0-provision": ""}, "offences-0-provision", "This field is required."),
    ],
    ids=["unknown-iccs", "future-birth-date", "no-title", "own-state", "no-provision"],
)
def test_it_refuses_bad_input_beside_the_field_and_creates_nothing(
    client: Client,
    personas: Personas,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = Request.objects.count()
    response = _as(client, personas.requesting_officer).post(CREATE, _complete(**change))

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert f'href="#id_{field}"' in html  # the summary at the top links to the field
    assert 'aria-invalid="true"' in html
    assert Request.objects.count() == before


def test_a_service_error_lands_on_the_row_it_is_about_even_after_an_empty_row(
    client: Client, personas: Personas
) -> None:
    future = (timezone.now().date() + timedelta(days=3)).isoformat()
    data = _complete(
        **_rows(
            "persons",
            [{}, {"role": "witness", "name": "Айгуль Сапарова", "birth_date": future}],
            blank=0,
        )
    )
    response = _as(client, personas.requesting_officer).post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_persons-1-birth_date_error"' in html
    assert 'id="id_persons-0-birth_date_error"' not in html
    assert "Айгуль Сапарова" in html  # the input is kept
    assert not Request.objects.exists()


def test_an_authority_of_another_state_is_refused_beside_the_authority_field(
    client: Client, personas: Personas
) -> None:
    tajik = Authority.objects.get(key="tjk-gpo")
    data = _complete(requested_authority=str(tajik.public_id))
    response = _as(client, personas.requesting_officer).post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    error = html.split('id="id_requested_authority_error"')[1].split("</div>")[0]
    assert "This is not a central authority of the requested state." in error
    assert not Request.objects.exists()


def test_add_another_shows_one_more_row_and_keeps_the_input_without_saving(
    client: Client, personas: Personas
) -> None:
    response = _as(client, personas.requesting_officer).post(
        CREATE, _complete(title="", add="persons")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="persons-TOTAL_FORMS" value="3"' in html
    assert 'name="offences-TOTAL_FORMS" value="2"' in html
    assert "Нурлан Ахметов" in html
    assert "This field is required." not in html  # nothing was checked yet
    assert re.search(r'<select name="persons-2-role"[^>]* autofocus', html)
    assert not Request.objects.exists()


def test_save_and_submit_sends_a_complete_request(client: Client, personas: Personas) -> None:
    response = _as(client, personas.requesting_officer).post(CREATE, _complete(then_submit="1"))

    request = Request.objects.get()
    assert response["Location"] == _detail_url(request)
    assert request.status == "submitted"


def test_save_and_submit_keeps_an_incomplete_draft_and_lists_what_is_missing(
    client: Client, personas: Personas
) -> None:
    response = _as(client, personas.requesting_officer).post(
        CREATE, _complete(purpose="", then_submit="1", **_rows("assistance_sought", []))
    )

    draft = Request.objects.get()
    assert draft.status == "draft"
    assert response["Location"] == _edit_url(draft)
    html = client.get(_edit_url(draft)).content.decode()
    summary = html.split('id="missing-summary"')[1].split("</ul>")[0]
    assert 'href="#id_purpose"' in summary
    assert (
        "State the purpose for which the evidence, information or action is sought. "
        "(UNTOC art. 18(15)(f))" in summary
    )
    assert 'href="#assistance_sought-section"' in summary
    assert "Describe the assistance sought. (UNTOC art. 18(15)(d))" in summary
    assert 'id="missing-summary"' not in client.get(_edit_url(draft)).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_reviewer_cannot_create(client: Client, personas: Personas, method: str) -> None:
    client.force_login(personas.requesting_reviewer)
    response = getattr(client, method)(CREATE, _complete() if method == "post" else None)
    assert response.status_code == 403
    assert not Request.objects.exists()


def test_the_node_administrator_cannot_create(client: Client, personas: Personas) -> None:
    assert _as(client, personas.node_admin).get(CREATE).status_code == 403


# Editing.


def test_editing_changes_the_draft_and_records_it_on_the_timeline(
    client: Client, personas: Personas
) -> None:
    draft = builders.draft(personas.requesting_officer)
    values = _form_values(_as(client, personas.requesting_officer), _edit_url(draft))
    assert values["title"] == draft.title
    assert values["persons-0-name"] == "Нурлан Ахметов"
    assert values["version"] == "1"
    values["title"] = "Bank and phone records"
    values["persons-1-role"] = "witness"
    values["persons-1-name"] = "Айгуль Сапарова"
    values["offences-0-DELETE"] = "on"
    values["offences-1-iccs"] = "0501"
    values["offences-1-provision"] = "Art. 190 Criminal Code"

    response = client.post(_edit_url(draft), values)

    assert response.status_code == 302
    assert response["Location"] == _detail_url(draft)
    draft.refresh_from_db()
    assert draft.title == "Bank and phone records"
    assert draft.version == 2
    assert list(draft.persons.values_list("name", flat=True)) == [
        "Нурлан Ахметов",
        "Айгуль Сапарова",
    ]
    assert list(draft.offences.values_list("iccs__code", flat=True)) == ["0501"]
    assert draft.assistance_sought.count() == 1
    event = TimelineEvent.objects.get(request=draft, kind="edited")
    assert event.actor == personas.requesting_officer
    assert "title" in event.details["fields"]


def test_the_edit_form_round_trips_a_draft_unchanged(client: Client, personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer, time_limit=date(2099, 1, 31))
    values = _form_values(_as(client, personas.requesting_officer), _edit_url(draft))
    assert client.post(_edit_url(draft), values).status_code == 302
    after = Request.objects.get(pk=draft.pk)
    for name in ("title", "summary_of_facts", "purpose", "requested_authority", "time_limit"):
        assert getattr(after, name) == getattr(draft, name)
    person = after.persons.get()
    assert (person.name, person.birth_date, person.nationality_id) == (
        "Нурлан Ахметов",
        date(1984, 3, 2),
        personas.kaz.state_id,
    )


def test_a_stale_version_is_refused_and_changes_nothing(client: Client, personas: Personas) -> None:
    draft = builders.draft(personas.requesting_officer)
    values = _form_values(_as(client, personas.requesting_officer), _edit_url(draft))
    services.request_update_draft(
        actor=personas.requesting_officer,
        request=draft,
        data=builders.complete_data(title="Changed by a colleague"),
    )
    values["title"] = "My change"

    response = client.post(_edit_url(draft), values)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this draft; reload it and try again." in html
    assert f'href="{_edit_url(draft)}"' in html
    draft.refresh_from_db()
    assert draft.title == "Changed by a colleague"
    assert draft.version == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_reviewer_cannot_edit_a_draft_they_can_see(
    client: Client, personas: Personas, method: str
) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(personas.requesting_reviewer)
    response = getattr(client, method)(_edit_url(draft), _complete() if method == "post" else None)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize("who", ["requested_officer", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_draft_is_not_found_by_the_requested_side_nor_by_an_outsider(
    client: Client, personas: Personas, who: str, method: str
) -> None:
    draft = builders.draft(personas.requesting_officer)
    client.force_login(getattr(personas, who))
    response = getattr(client, method)(_edit_url(draft), _complete() if method == "post" else None)
    assert response.status_code == 404


def test_a_missing_draft_is_not_found(client: Client, personas: Personas) -> None:
    url = reverse("cooperation:edit", kwargs={"id": "00000000-0000-4000-8000-000000000000"})
    assert _as(client, personas.requesting_officer).get(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_submitted_request_can_no_longer_be_edited(
    client: Client, personas: Personas, method: str
) -> None:
    request = builders.submitted(personas.requesting_officer)
    client.force_login(personas.requesting_officer)
    data = _complete(title="Too late", version=str(request.version))
    response = getattr(client, method)(_edit_url(request), data if method == "post" else None)
    assert response.status_code == 403  # visible to its authors, but read-only
    request.refresh_from_db()
    assert request.title != "Too late"


# Languages and cost.


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_the_persian_form_is_right_to_left(client: Client, personas: Personas, how: str) -> None:
    client.force_login(personas.requesting_officer)
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
        response = client.get(CREATE)
    else:
        response = client.get(CREATE, headers={"accept-language": "fa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert '<option value="KGZ">قرقیزستان</option>' in html


def test_the_new_request_page_costs_a_fixed_number_of_queries(
    client: Client,
    personas: Personas,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(personas.requesting_officer)
    with django_assert_num_queries(CREATE_QUERIES):
        assert client.get(CREATE).status_code == 200


def test_the_edit_page_costs_the_same_however_many_rows_the_draft_has(
    client: Client,
    personas: Personas,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    small = builders.draft(personas.requesting_officer)
    people = [
        services.PersonData(role="witness", name=f"Witness {n}", nationality="KGZ")
        for n in range(6)
    ]
    large = builders.draft(personas.requesting_officer, persons=people)
    client.force_login(personas.requesting_officer)
    for draft in (small, large):
        with django_assert_num_queries(EDIT_QUERIES):
            assert client.get(_edit_url(draft)).status_code == 200


# The guided form: the parts of each type, the checks panel.


def _part_order(html: str) -> tuple[list[str], list[str]]:
    """The parts shown for the type, and those folded under "other types"."""
    sections = html.split('id="type-sections"', 1)[1]
    shown, _sep, folded = sections.partition("data-other-parts")
    pattern = r'data-part="([a-z_]+)"|id="([a-z_]+)-section"'
    return (
        [a or b for a, b in re.findall(pattern, shown)],
        [a or b for a, b in re.findall(pattern, folded)],
    )


def test_a_new_mla_form_shows_its_parts_and_folds_the_others(
    client: Client, personas: Personas
) -> None:
    html = _as(client, personas.requesting_officer).get(CREATE).content.decode()
    shown, folded = _part_order(html)
    assert shown == ["assistance_sought", "mla_items"]
    assert folded == ["extradition", "provisional_arrest", "properties", "record"]
    assert "<details" in html.split('id="type-sections"', 1)[1]
    # Without scripts, a button shows the parts of another type.
    assert 'name="retype" value="1"' in html
    # The panel starts from what an empty MLA request lacks.
    assert 'data-missing-count="6"' in html
    assert "Summarise the relevant facts. <span" in html


def test_changing_the_type_re_renders_its_parts_and_keeps_the_input(
    client: Client, personas: Personas
) -> None:
    data = _complete(type="extradition", retype="1", max_penalty="15 years")
    response = _as(client, personas.requesting_officer).post(
        CREATE, data, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="type-sections"')
    assert "<form" not in html
    shown, _folded = _part_order(html)
    assert shown == ["extradition"]
    assert 'value="15 years"' in html
    # The list beside the form now starts from what an empty extradition request lacks.
    panel = html.split('id="draft-checks"', 1)[1]
    assert 'hx-swap-oob="true"' in panel.split(">", 1)[0]
    assert 'data-missing="extradition_basis"' in panel
    assert 'data-missing="assistance_sought"' not in panel
    assert not Request.objects.exists()


def test_without_scripts_the_type_button_re_renders_the_whole_page(
    client: Client, personas: Personas
) -> None:
    data = _complete(type="freezing", retype="1", title="")
    response = _as(client, personas.requesting_officer).post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." not in html  # nothing was checked
    assert _part_order(html)[0] == ["properties"]
    assert not Request.objects.exists()


def test_the_edit_page_shows_what_is_missing_with_sources_and_the_risks(
    client: Client, personas: Personas
) -> None:
    draft = builders.draft(
        personas.requesting_officer,
        type="extradition",
        legal_basis_codes=["COE_ETS024_EXTRADITION"],
        warrant_date=None,
        death_penalty_possible=True,
    )
    html = _as(client, personas.requesting_officer).get(_edit_url(draft)).content.decode()
    panel = html.split('id="draft-checks"', 1)[1].split("</section>", 1)[0]
    assert 'data-missing-count="1"' in panel
    assert (
        '<a href="#id_warrant_date">Arrest warrant: date</a>: Give the date of the arrest '
        'warrant. <span class="text-body-secondary">(ETS 024 art. 12(2)(a); ETS 024 art. 16(2))'
    ) in panel
    assert 'id="id_warrant_date"' in html  # the link lands on the field
    assert 'data-warning="death_penalty"' in panel
    assert _part_order(html)[0] == ["extradition"]


def test_submitting_an_incomplete_extradition_lists_the_missing_items(
    client: Client, personas: Personas
) -> None:
    data = _complete(type="extradition", extradition_basis="prosecution", then_submit="1")
    response = _as(client, personas.requesting_officer).post(CREATE, data)

    draft = Request.objects.get()
    assert (draft.status, response["Location"]) == ("draft", _edit_url(draft))
    html = client.get(_edit_url(draft)).content.decode()
    summary = html.split('id="missing-summary"')[1].split("</ul>")[0]
    for anchor in ("id_warrant_reference", "id_warrant_date", "id_max_penalty", "persons-section"):
        assert f'href="#{anchor}"' in summary


def test_property_rows_are_saved_and_shown_again(client: Client, personas: Personas) -> None:
    row = {
        "kind": "bank_account",
        "description": "Current account",
        "location": "Bank X, Osh",
        "identifier": "KG12 3456",
        "estimated_value": "125000.50",
        "currency": "usd",
        "offence_link": "Proceeds of the sales",
        "order_reference": "",
        "order_date": "",
        "order_authority": "",
    }
    data = _complete(
        type="freezing",
        **{f"properties-0-{name}": value for name, value in row.items()},
        **{"properties-TOTAL_FORMS": "1", "properties-INITIAL_FORMS": "0"},
    )
    assert _as(client, personas.requesting_officer).post(CREATE, data).status_code == 302
    draft = Request.objects.get()
    saved = draft.properties.get()
    assert (saved.kind, saved.currency, str(saved.estimated_value)) == (
        "bank_account",
        "USD",
        "125000.50",
    )
    values = _form_values(client, _edit_url(draft))
    assert values["properties-0-identifier"] == "KG12 3456"
    assert values["properties-0-offence_link"] == "Proceeds of the sales"
