"""The directory's pages through HTTP: search, entries, proposals, review, downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import vobject
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import Role, User
from comity.audit.codes import Code
from comity.audit.models import AuditEvent
from comity.directory import changes
from comity.directory.export import CSV_COLUMNS
from comity.directory.models import (
    Authority,
    ChangeStatus,
    ChangeTarget,
    ContactPoint,
    EntryChange,
    MeasureFiche,
)
from tests.personas import Personas, make_user

pytestmark = pytest.mark.django_db

INDEX = "/directory/"
HTMX = {"hx_request": "true", "hx_target": "directory-results"}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def authority_url(key: str = "kgz-gpo") -> str:
    return reverse("directory:authority", kwargs={"key": key})


def propose_url(key: str = "kgz-gpo") -> str:
    return reverse("directory:propose", kwargs={"key": key})


def _keys(html: str) -> list[str]:
    return re.findall(r'href="/directory/authorities/([a-z0-9-]+)/"', html)


def _contacts(html: str) -> list[str]:
    table = html.split('id="contact-table"', 1)[-1] if 'id="contact-table"' in html else ""
    return re.findall(r'<span class="fw-semibold"><bdi>([^<]+)</bdi>', table)


def _search(client: Client, **params: str) -> str:
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return response.content.decode()


def _proposal_data(client: Client, **changed: object) -> dict[str, object]:
    """The propose form as the browser sends it, unchanged apart from ``changed``."""
    form = client.get(propose_url()).context["form"]
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(field.widget, forms.NullBooleanSelect):
            data[name] = field.widget.format_value(value)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    data.update(changed)
    return data


@pytest.fixture
def kgz(personas: Personas) -> Client:
    return client_for(personas.requested_officer)


@pytest.fixture
def coordinator(personas: Personas) -> Client:
    return client_for(personas.coordinator)


def _propose(user: User, **values: object) -> EntryChange:
    authority = user.authority
    assert authority is not None
    return changes.propose(user, authority, ChangeTarget.AUTHORITY, dict(values))


# --- Access ---------------------------------------------------------------------------


PAGES = [
    INDEX,
    "/directory/authorities/kgz-gpo/",
    "/directory/states/KGZ/",
    "/directory/authorities/kgz-gpo/vcard",
    "/directory/export.csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_opens_for_a_member_of_any_authority(personas: Personas, url: str) -> None:
    for user in (personas.outsider, personas.requesting_reviewer, personas.node_admin):
        assert client_for(user).get(url).status_code == 200, (url, user.username)


@pytest.mark.parametrize("url", [*PAGES, "/directory/review/", propose_url()])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")


def test_a_user_outside_every_authority_and_role_cannot_read_the_directory(
    reference: None,
) -> None:
    stranger = make_user("stranger", None, Role.OFFICER)
    assert client_for(stranger).get(INDEX).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/directory/authorities/no-such-key/",
        "/directory/authorities/no-such-key/vcard",
        "/directory/states/XXX/",
        "/directory/contacts/00000000-0000-4000-8000-000000000000/vcard",
        "/directory/authorities/no-such-key/propose/",
    ],
)
def test_unknown_keys_ids_and_states_answer_404(personas: Personas, url: str) -> None:
    assert client_for(personas.requested_officer).get(url).status_code == 404


def test_the_navbar_links_to_the_directory(personas: Personas) -> None:
    html = client_for(personas.outsider).get("/").content.decode()
    assert 'href="/directory/"' in html


# --- Search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Кыргыз прокуратура", "прокуратуры Киргизии", "Kyrgyz prosecutor", "دادستانی قرقیزستان"],
)
def test_a_name_typed_in_any_script_finds_kyrgyzstans_prosecutor(
    personas: Personas, query: str
) -> None:
    html = _search(client_for(personas.requesting_officer), q=query)
    assert "kgz-gpo" in _keys(html)
    assert "kaz-gpo" not in _keys(html)


@pytest.mark.parametrize("query", ["Осмонов", "Osmonov"])
def test_contact_points_are_found_by_their_name_in_either_script(
    personas: Personas, query: str
) -> None:
    html = _search(client_for(personas.requesting_officer), q=query)
    assert _contacts(html) == ["Айбек Осмонов"]


def test_the_filters_narrow_by_state_measure_and_language(personas: Personas) -> None:
    client = client_for(personas.requesting_officer)
    html = _search(client, state="KGZ")
    assert {key.split("-")[0] for key in _keys(html)} == {"kgz"}
    html = _search(client, state="KGZ", measure="bank_records")
    assert "kgz-sfismf" in _keys(html)
    assert "Нургүл Абдыкадырова" in _contacts(html)
    assert "Айбек Осмонов" not in _contacts(html)
    html = _search(client, language="fa")
    assert "irn-jdia" in _keys(html)
    assert "kgz-gpo" not in _keys(html)


def test_a_filter_value_that_is_not_valid_is_ignored(personas: Personas) -> None:
    html = _search(client_for(personas.requesting_officer), state="ZZZ", measure="flying")
    assert "kgz-gpo" in _keys(html)


def test_htmx_asks_for_the_results_only(personas: Personas) -> None:
    client = client_for(personas.requesting_officer)
    response = client.get(INDEX, {"q": "Kyrgyz"}, headers=HTMX)
    html = response.content.decode()
    assert "<form" not in html
    assert 'id="directory-count" hx-swap-oob="innerHTML"' in html
    assert "kgz-gpo" in _keys(html)
    assert "HX-Target" in response["Vary"]
    page = _search(client, q="Kyrgyz")
    assert 'hx-push-url="true"' in page
    assert 'value="Kyrgyz"' in page


def test_results_show_badges_the_other_name_forms_and_staleness(personas: Personas) -> None:
    Authority.objects.filter(key="kgz-gpo").update(last_verified=None)
    Authority.objects.filter(key="kgz-sfismf").update(
        last_verified=timezone.localdate() - timedelta(days=400)
    )
    html = _search(client_for(personas.requesting_officer), state="KGZ")
    row = html.split('href="/directory/authorities/kgz-gpo/"', 1)[1].split("</tr>", 1)[0]
    assert "Central authority" in row
    assert "Кыргыз Республикасынын Башкы прокуратурасы" in row
    assert "Never verified" in row
    row = html.split('href="/directory/authorities/kgz-sfismf/"', 1)[1].split("</tr>", 1)[0]
    assert "Not verified for over a year" in row


def test_the_name_is_shown_in_the_readers_language(personas: Personas) -> None:
    client = client_for(personas.requesting_officer)
    client.cookies["django_language"] = "ru"
    html = _search(client, state="KGZ")
    assert "<bdi>Генеральная прокуратура Кыргызской Республики</bdi></a>" in html


def _contact_reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(code=Code.DIRECTORY_CONTACT_VIEWED).order_by("seq"))


def test_search_results_that_show_contact_points_leave_an_audit_event(
    personas: Personas,
) -> None:
    client = client_for(personas.requesting_officer)
    html = _search(client, q="Osmonov", state="KGZ")
    assert _contacts(html) == ["Айбек Осмонов"]
    client.get(INDEX, {"q": "Osmonov"}, headers=HTMX)
    first, second = _contact_reads()
    assert first.actor == personas.requesting_officer
    assert first.subject_type == "directory"
    assert first.details == {
        "view": "directory:index",
        "filters": {"q": "Osmonov", "state": "KGZ"},
        "contacts": 1,
    }
    assert second.details["filters"] == {"q": "Osmonov"}  # each result set once


def test_search_results_without_contact_points_leave_no_audit_event(
    personas: Personas,
) -> None:
    client = client_for(personas.requesting_officer)
    html = _search(client, q="Kyrgyz prosecutor", measure="video_hearing", language="ur")
    assert _contacts(html) == []
    client.get(INDEX, {"q": "nobody-by-this-name"}, headers=HTMX)
    assert _contact_reads() == []


def test_the_index_results_take_a_fixed_number_of_queries(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(personas.requesting_officer)
    # session, user (with its authority), state choices, authorities, contacts, and the
    # audit event of the contacts shown (savepoint, head, insert, head, release)
    with django_assert_num_queries(10):
        client.get(INDEX, {"q": "прокуратура"}, headers=HTMX)
    kgz = Authority.objects.get(key="kgz-gpo")
    for n in range(5):
        ContactPoint.objects.create(authority=kgz, name=f"Прокурор {n}", search_text=" prokuror ")
    with django_assert_num_queries(10):
        response = client.get(INDEX, headers=HTMX)
    assert len(response.context["contacts"]) > 5


# --- An authority's entry ---------------------------------------------------------------------


def test_the_entry_shows_its_sections_contacts_and_fiches_link(personas: Personas) -> None:
    html = client_for(personas.requesting_officer).get(authority_url()).content.decode()
    for heading in (
        "Names",
        "How to reach it",
        "Sending a request",
        "Legal and procedural requirements",
        "Role and legal basis",
        "Contact points",
        "History of changes",
    ):
        assert f">{heading}</h2>" in html
    assert "Айбек Осмонов" in html
    assert "Asia/Bishkek" in html
    assert 'id="local-time"' in html
    assert 'href="/directory/states/KGZ/#fiches"' in html
    # name_local, urgent_contact and office_hours were filled for the demo.
    assert html.count("demo data: not from a published source") == 3


def test_the_entry_warns_when_it_was_not_verified_for_a_year(personas: Personas) -> None:
    kgz = Authority.objects.get(key="kgz-gpo")
    client = client_for(personas.requesting_officer)
    Authority.objects.filter(pk=kgz.pk).update(last_verified=timezone.localdate())
    assert "over a year" not in client.get(authority_url()).content.decode()
    Authority.objects.filter(pk=kgz.pk).update(
        last_verified=timezone.localdate() - timedelta(days=366)
    )
    assert "Not verified for over a year" in client.get(authority_url()).content.decode()
    Authority.objects.filter(pk=kgz.pk).update(last_verified=None)
    assert "Never verified" in client.get(authority_url()).content.decode()


def test_only_the_authoritys_own_officers_see_the_buttons_to_change_it(
    personas: Personas,
) -> None:
    own = client_for(personas.requested_officer).get(authority_url()).content.decode()
    other = client_for(personas.requesting_officer).get(authority_url()).content.decode()
    reviewer = client_for(personas.requested_reviewer).get(authority_url()).content.decode()
    assert 'id="authority-propose"' in own
    assert 'id="authority-confirm"' in own
    for html in (other, reviewer):
        assert 'id="authority-propose"' not in html
        assert 'id="authority-confirm"' not in html
        assert 'id="authority-vcard"' in html


def test_the_entry_page_audits_the_contact_points_it_shows(personas: Personas) -> None:
    html = client_for(personas.requesting_officer).get(authority_url()).content.decode()
    assert "Айбек Осмонов" in html
    (event,) = _contact_reads()
    assert event.actor == personas.requesting_officer
    assert (event.subject_type, event.subject_id) == ("authority", str(personas.kgz.public_id))
    assert event.details == {"view": "directory:authority", "contacts": 1}


def test_an_entry_without_contact_points_leaves_no_audit_event(personas: Personas) -> None:
    ContactPoint.objects.filter(authority=personas.kgz).update(is_active=False)
    client = client_for(personas.requesting_officer)
    html = client.get(authority_url()).content.decode()
    assert "No contact points listed yet." in html
    assert client.get("/directory/states/KGZ/").status_code == 200  # lists no contacts
    assert _contact_reads() == []


def test_the_entry_page_takes_a_fixed_number_of_queries(
    personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(personas.requested_officer)
    # session, user (with its authority), authority, contacts, the audit event of the
    # contacts shown (savepoint, head, insert, head, release), history, pending changes,
    # unread count
    with django_assert_num_queries(12):
        client.get(authority_url())
    kgz = personas.kgz
    for n in range(3):
        ContactPoint.objects.create(authority=kgz, name=f"Contact {n}")
        _propose(personas.requested_officer, phone=f"+996 312 00 00 0{n}")
    change = EntryChange.objects.filter(status=ChangeStatus.PENDING).first()
    assert change is not None
    changes.approve(personas.coordinator, change)
    with django_assert_num_queries(12):
        response = client.get(authority_url())
    assert len(response.context["pending"]) == 2
    assert len(response.context["history"]) >= 2


# --- Proposing a change ------------------------------------------------------------------


def test_an_officer_proposes_a_change_and_it_waits_for_review(
    personas: Personas, kgz: Client
) -> None:
    authority = personas.kgz
    data = _proposal_data(kgz, phone="+996 312 66 25 01", comment="Published on gp.gov.kg")
    response = kgz.post(propose_url(), data)
    assert response.status_code == 302
    assert response["Location"] == f"{authority_url()}#pending"
    change = EntryChange.objects.get()
    assert change.status == ChangeStatus.PENDING
    assert change.proposed == {"phone": "+996 312 66 25 01"}
    assert change.comment == "Published on gp.gov.kg"
    assert change.proposed_by == personas.requested_officer
    authority.refresh_from_db()
    assert authority.phone == ""  # nothing applied before review
    html = kgz.get(authority_url()).content.decode()
    assert "Changes waiting for review" in html
    assert "Withdraw" in html


def test_the_form_is_prefilled_and_shows_friendly_inputs(kgz: Client) -> None:
    html = kgz.get(propose_url()).content.decode()
    assert 'value="Asia/Bishkek"' in html
    assert 'name="accepted_languages" value="ky"' in html
    assert re.search(r'name="channel_central_authority"[^>]* checked', html)
    assert 'name="documents_mla"' in html


def test_channels_languages_and_documents_are_proposed_in_their_stored_shape(
    personas: Personas, kgz: Client
) -> None:
    data = _proposal_data(
        kgz,
        channel_interpol="on",
        channel_interpol_measures=["provisional_arrest"],
        channel_interpol_note="Urgent requests only",
        accepted_languages=["ky", "ru", "en"],
        documents_extradition="Certified copy of the arrest warrant.",
    )
    assert kgz.post(propose_url(), data).status_code == 302
    proposed = EntryChange.objects.get().proposed
    assert proposed["channels"][-1] == {
        "channel": "interpol",
        "measures": ["provisional_arrest"],
        "note": "Urgent requests only",
    }
    assert proposed["accepted_languages"] == ["ky", "ru", "en"]
    assert proposed["documents"]["extradition"] == "Certified copy of the arrest warrant."
    assert set(proposed) == {"channels", "accepted_languages", "documents"}


def test_a_value_the_service_refuses_is_shown_beside_its_field_and_nothing_is_saved(
    personas: Personas, kgz: Client
) -> None:
    data = _proposal_data(kgz, email="not an address", time_zone="Asia/Nowhere")
    response = kgz.post(propose_url(), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["email"] or form.errors["time_zone"]
    html = response.content.decode()
    assert 'class="invalid-feedback d-block"' in html
    assert not EntryChange.objects.exists()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_refused_value_is_shown_beside_its_own_field_in_any_language(
    kgz: Client, language: str
) -> None:
    kgz.cookies["django_language"] = language
    response = kgz.post(propose_url(), _proposal_data(kgz, time_zone="Asia/Nowhere"))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["time_zone"]
    assert "Asia/Nowhere" in form.errors["time_zone"][0]
    html = response.content.decode()
    field = html.split('id="id_time_zone"', 1)[1].split('<label class="form-label"', 1)[0]
    assert 'id="id_time_zone_error"' in field
    assert "Asia/Nowhere" in field.split('id="id_time_zone_error"', 1)[1]
    assert 'role="alert" id="proposal-errors"' in html  # a summary only, above the form
    assert "Asia/Nowhere" not in html.split('id="proposal-errors"', 1)[1].split("</div>", 1)[0]
    assert not EntryChange.objects.exists()


def test_measures_on_an_unticked_channel_are_refused(personas: Personas, kgz: Client) -> None:
    data = _proposal_data(kgz, channel_diplomatic_measures=["extradition"])
    response = kgz.post(propose_url(), data)
    assert response.status_code == 400
    assert "channel_diplomatic_measures" in response.context["form"].errors
    assert not EntryChange.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused(personas: Personas, kgz: Client) -> None:
    response = kgz.post(propose_url(), _proposal_data(kgz))
    assert response.status_code == 400
    assert "Nothing changed" in response.content.decode()
    assert not EntryChange.objects.exists()


def test_the_form_speaks_the_users_language(personas: Personas, kgz: Client) -> None:
    kgz.cookies["django_language"] = "ru"
    data = _proposal_data(kgz, name_en="")
    response = kgz.post(propose_url(), data)
    assert response.status_code == 400
    assert "Обязательное поле." in response.context["form"].errors["name_en"]


@pytest.mark.parametrize("persona", ["requesting_officer", "requested_reviewer", "coordinator"])
def test_only_the_authoritys_own_officers_may_propose(personas: Personas, persona: str) -> None:
    client = client_for(getattr(personas, persona))
    assert client.get(propose_url()).status_code == 403
    assert client.post(propose_url(), {"phone": "1"}).status_code == 403
    new_contact = reverse("directory:propose_contact_new", kwargs={"key": "kgz-gpo"})
    assert client.post(new_contact, {"name": "X"}).status_code == 403
    assert not EntryChange.objects.exists()


def test_an_officer_proposes_a_new_contact_point(personas: Personas, kgz: Client) -> None:
    url = reverse("directory:propose_contact_new", kwargs={"key": "kgz-gpo"})
    form = kgz.get(url)
    assert form.status_code == 200
    response = kgz.post(
        url,
        {
            "name": "Жылдыз Токтогулова",
            "name_latin": "Jyldyz Toktogulova",
            "role": "Prosecutor",
            "languages": ["ky", "ru"],
            "measures": ["mla", "bank_records"],
            "email": "j.toktogulova@kgz.example.org",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    change = EntryChange.objects.get()
    assert (change.target, change.target_id) == (ChangeTarget.CONTACT, None)
    assert change.proposed["languages"] == ["ky", "ru"]
    assert change.proposed["is_active"] is True


def test_a_new_contact_point_needs_a_name(kgz: Client) -> None:
    url = reverse("directory:propose_contact_new", kwargs={"key": "kgz-gpo"})
    response = kgz.post(url, {"role": "Prosecutor"})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not EntryChange.objects.exists()


def test_an_officer_proposes_a_change_to_a_contact_and_to_a_fiche(
    personas: Personas, kgz: Client
) -> None:
    contact = ContactPoint.objects.get(authority=personas.kgz, name_latin="Aibek Osmonov")
    url = reverse("directory:propose_contact", kwargs={"key": "kgz-gpo", "id": contact.public_id})
    data = {
        "name": contact.name,
        "name_latin": contact.name_latin,
        "name_cyrillic": contact.name_cyrillic,
        "role": "Head of division",
        "languages": contact.languages,
        "measures": contact.measures,
        "email": contact.email,
        "is_active": "on",
    }
    assert kgz.post(url, data).status_code == 302
    fiche = MeasureFiche.objects.get(state__iso3="KGZ", measure="bank_records")
    url = reverse("directory:propose_fiche", kwargs={"key": "kgz-gpo", "measure": "bank_records"})
    data = {
        "availability": fiche.availability,
        "conditions": "Court order needed.",
        "what_to_send": fiche.what_to_send,
        "alternative": fiche.alternative,
        "legal_basis": fiche.legal_basis,
    }
    assert kgz.post(url, data).status_code == 302
    by_target = {c.target: c for c in EntryChange.objects.all()}
    assert by_target[ChangeTarget.CONTACT].proposed == {"role": "Head of division"}
    assert by_target[ChangeTarget.CONTACT].target_id == contact.pk
    assert by_target[ChangeTarget.FICHE].proposed == {"conditions": "Court order needed."}
    assert by_target[ChangeTarget.FICHE].target_id == fiche.pk


def test_a_contact_of_another_authority_cannot_be_changed_through_this_one(
    personas: Personas, kgz: Client
) -> None:
    other = ContactPoint.objects.filter(authority__key="kaz-gpo").first()
    assert other is not None
    url = reverse("directory:propose_contact", kwargs={"key": "kgz-gpo", "id": other.public_id})
    assert kgz.get(url).status_code == 404
    missing = reverse("directory:propose_fiche", kwargs={"key": "kgz-gpo", "measure": "nothing"})
    assert kgz.get(missing).status_code == 404


# --- Confirming and withdrawing ------------------------------------------------------------


def test_an_officer_confirms_the_entry_is_still_correct(personas: Personas, kgz: Client) -> None:
    Authority.objects.filter(key="kgz-gpo").update(last_verified=None)
    url = reverse("directory:confirm", kwargs={"key": "kgz-gpo"})
    assert kgz.get(url).status_code == 405
    assert client_for(personas.requesting_officer).post(url).status_code == 403
    assert kgz.post(url).status_code == 302
    authority = Authority.objects.get(key="kgz-gpo")
    assert authority.last_verified == timezone.localdate()
    assert authority.verified_by == personas.requested_officer


def test_only_the_proposer_withdraws_a_proposal(personas: Personas, kgz: Client) -> None:
    change = _propose(personas.requested_officer, phone="+996 1")
    url = reverse("directory:withdraw", kwargs={"id": change.public_id})
    assert kgz.get(url).status_code == 405
    assert client_for(personas.requesting_officer).post(url).status_code == 404
    assert client_for(personas.requested_reviewer).post(url).status_code == 403
    assert kgz.post(url).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN


# --- Review -------------------------------------------------------------------------------------


def test_the_review_page_is_for_coordinators(personas: Personas, coordinator: Client) -> None:
    _propose(personas.requested_officer, phone="+996 312 66 25 01")
    for user in (personas.requested_officer, personas.node_admin, personas.requested_reviewer):
        assert client_for(user).get("/directory/review/").status_code == 403
    html = coordinator.get("/directory/review/").content.decode()
    assert "1 change waiting" in html
    assert '<ins class="text-success-emphasis">+996 312 66 25 01</ins>' in html


def test_a_coordinator_approves_and_the_change_shows_in_the_history(
    personas: Personas, coordinator: Client
) -> None:
    change = _propose(personas.requested_officer, phone="+996 312 66 25 01")
    url = reverse("directory:approve", kwargs={"id": change.public_id})
    assert client_for(personas.requested_officer).post(url).status_code == 403
    assert coordinator.get(url).status_code == 405
    response = coordinator.post(url, {"note": "Checked on the website."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    authority = Authority.objects.get(key="kgz-gpo")
    assert authority.phone == "+996 312 66 25 01"
    html = client_for(personas.requesting_officer).get(authority_url()).content.decode()
    history = html.split('id="history"', 1)[1]
    assert personas.coordinator.display_name in history
    # The approval also records who verified the entry, and on which day: on any day but
    # the reference data's own, "Last verified" changes too, and comes first.
    changed = re.search(r"Changed: ([^<]*)</div>", history)
    assert changed is not None
    assert "Phone" in changed.group(1).split(", ")


def test_a_rejection_needs_a_note(personas: Personas, coordinator: Client) -> None:
    change = _propose(personas.requested_officer, phone="+996 1")
    url = reverse("directory:reject", kwargs={"id": change.public_id})
    response = coordinator.post(url, {"note": "  "})
    assert response.status_code == 400
    assert "Say why the change is rejected." in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    assert Authority.objects.get(key="kgz-gpo").phone == ""
    assert coordinator.post(url, {"note": "No source given."}).status_code == 302
    change.refresh_from_db()
    assert (change.status, change.review_note) == (ChangeStatus.REJECTED, "No source given.")


def test_a_closed_proposal_cannot_be_approved_again(
    personas: Personas, coordinator: Client
) -> None:
    change = _propose(personas.requested_officer, phone="+996 1")
    changes.reject(personas.coordinator, change, "No.")
    response = coordinator.post(reverse("directory:approve", kwargs={"id": change.public_id}))
    assert response.status_code == 400
    assert "already been closed" in response.content.decode()
    assert Authority.objects.get(key="kgz-gpo").phone == ""


def test_the_review_page_takes_a_fixed_number_of_queries(
    personas: Personas,
    coordinator: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _propose(personas.requested_officer, phone="+996 1")
    # session, user (with its authority), pending, decided, unread count
    with django_assert_num_queries(5):
        coordinator.get("/directory/review/")
    contact = ContactPoint.objects.filter(authority=personas.kgz).first()
    assert contact is not None
    officer = personas.requested_officer
    changes.propose(
        officer, personas.kgz, ChangeTarget.CONTACT, {"role": "X"}, target_id=contact.pk
    )
    fiche = MeasureFiche.objects.get(state__iso3="KGZ", measure="bank_records")
    changes.propose(
        officer, personas.kgz, ChangeTarget.FICHE, {"conditions": "Y"}, target_id=fiche.pk
    )
    changes.propose(personas.executing_officer, personas.kgz_executing, "authority", {"phone": "2"})
    # and one query each for the names of the contact points and fiches the changes are about
    with django_assert_num_queries(7):
        response = coordinator.get("/directory/review/")
    assert len(response.context["rows"]) == 4


# --- The state page -----------------------------------------------------------------------


def test_the_state_page_lists_its_authorities_and_measure_fiches(
    personas: Personas, kgz: Client
) -> None:
    html = kgz.get("/directory/states/kgz/").content.decode()
    assert "kgz-gpo" in _keys(html)
    assert 'id="fiche-bank_records"' in html
    assert "What to ask for instead" in html
    assert 'href="/directory/authorities/kgz-gpo/fiches/bank_records/propose/"' in html
    other = client_for(personas.requesting_officer).get("/directory/states/KGZ/")
    assert "/fiches/bank_records/propose/" not in other.content.decode()


# --- Downloads --------------------------------------------------------------------------------


def test_an_authority_downloads_as_a_vcard(personas: Personas) -> None:
    response = client_for(personas.requesting_officer).get(
        reverse("directory:authority_vcard", kwargs={"key": "kgz-gpo"})
    )
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kgz-gpo.vcf"'
    card = vobject.readOne(response.content.decode())
    assert "Kyrgyz" in card.fn.value
    assert AuditEvent.objects.filter(code=Code.CONTACT_EXPORTED).exists()


def test_a_contact_point_downloads_as_a_vcard(personas: Personas) -> None:
    contact = ContactPoint.objects.get(name_latin="Aibek Osmonov")
    response = client_for(personas.requesting_officer).get(
        reverse("directory:contact_vcard", kwargs={"id": contact.public_id})
    )
    assert response.status_code == 200
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    assert filename is not None and filename.group(1).isascii()
    card = vobject.readOne(response.content.decode("utf-8"))
    assert card.fn.value == "Айбек Осмонов"


def test_the_directory_downloads_as_csv_with_the_current_filters(personas: Personas) -> None:
    client = client_for(personas.requesting_officer)
    response = client.get("/directory/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="comity-directory-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == Authority.objects.count()
    filtered = client.get("/directory/export.csv", {"state": "KGZ"})
    rows = list(csv.DictReader(io.StringIO(filtered.content.decode("utf-8-sig"))))
    assert len(rows) == Authority.objects.filter(state__iso3="KGZ").count()
    event = AuditEvent.objects.filter(code=Code.DIRECTORY_EXPORTED).latest("seq")
    assert event.details["filters"] == {"state": "KGZ"}


def test_the_pages_render_right_to_left_in_persian(
    personas: Personas, kgz: Client, coordinator: Client
) -> None:
    _propose(personas.requested_officer, phone="+996 1")
    kgz.cookies["django_language"] = "fa"
    coordinator.cookies["django_language"] = "fa"
    for client, url in (
        (kgz, INDEX + "?language=fa"),
        (kgz, "/directory/authorities/irn-jdia/"),
        (kgz, "/directory/states/IRN/"),
        (kgz, propose_url()),
        (coordinator, "/directory/review/"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="fa" dir="rtl">' in response.content.decode()
    html = kgz.get("/directory/authorities/irn-jdia/").content.decode()
    # The Iranian authority is named in Persian first for a Persian reader.
    assert '<h1 class="h3" id="authority-title"><bdi>معاونت' in html
