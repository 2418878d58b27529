"""The finder's page, the instrument pages and the request form's panel, over HTTP."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from comity.accounts.models import User
from comity.treaties import finder, loader
from comity.treaties.models import Instrument, InstrumentKind, Participation
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FINDER = reverse("treaties:finder")
PANEL = reverse("treaties:panel")
INSTRUMENTS = reverse("treaties:instruments")
KAZ_KGZ_DRUGS = {"from": "KAZ", "to": "KGZ", "measure": "extradition", "offence": "0601"}

# session, user (with its authority), states, ICCS codes, the finder's data version (parse,
# then find), and the navbar's unread-notification count.
FINDER_QUERIES = 7
# session, user, the user's state, the finder's data version (parse, then find) and the
# names of the states in the answer.
PANEL_QUERIES = 6
# session, user, instruments with their party counts, the navbar's unread count.
LIST_QUERIES = 4
# session, user, the instrument, its articles, parties and declarations, what it replaces
# and what replaces it, three histories (instrument, parties, declarations), the navbar's
# unread count.
DETAIL_QUERIES = 12


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _instrument_order(html: str) -> list[str]:
    return re.findall(r'data-instrument="([A-Z0-9_]+)"', html)


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert found is not None
    return found.group(0)


def _kinds(codes: list[str]) -> list[str]:
    kinds = dict(Instrument.objects.filter(code__in=codes).values_list("code", "kind"))
    return [kinds[code] for code in codes]


@pytest.fixture
def officer(personas: Personas) -> Client:
    return _client(personas.requesting_officer)


@pytest.fixture
def warm() -> None:
    """Build the finder's snapshot, as a running process already has."""
    finder.find(finder.parse_query("KAZ", "KGZ", "mla", "0601", None))


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    "url",
    [
        FINDER,
        f"{FINDER}?from=KAZ&to=KGZ&measure=mla&offence=0601",
        PANEL,
        INSTRUMENTS,
        reverse("treaties:instrument", kwargs={"code": "UNTOC"}),
    ],
)
def test_every_page_sends_an_anonymous_visitor_to_sign_in(reference: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_inactive_account_cannot_use_the_finder(personas: Personas) -> None:
    user = personas.requesting_officer
    client = _client(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(FINDER).status_code == 302


def test_an_unknown_instrument_is_404(officer: Client) -> None:
    url = reverse("treaties:instrument", kwargs={"code": "NO_SUCH_TREATY"})
    assert officer.get(url).status_code == 404


def test_the_finder_only_answers_get(officer: Client) -> None:
    assert officer.post(FINDER, KAZ_KGZ_DRUGS).status_code == 405


# ------------------------------------------------------------------ the finder page


def test_the_empty_form_asks_from_the_users_own_state_today(officer: Client) -> None:
    response = officer.get(FINDER)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="KAZ" selected>' in _select(html, "from")
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'data-testid="finder-answer"' not in html


def test_a_user_without_an_authority_chooses_the_requesting_state(personas: Personas) -> None:
    html = _client(personas.node_admin).get(FINDER).content.decode()
    assert '<option value="" selected>' in _select(html, "from")


def test_it_lists_the_bilateral_treaty_first_then_regional_then_multilateral(
    officer: Client,
) -> None:
    response = officer.get(FINDER, KAZ_KGZ_DRUGS)
    html = response.content.decode()
    assert response.status_code == 200
    codes = _instrument_order(html.split('data-testid="finder-excluded"')[0])
    assert codes[0] == "BIL_EXT_KAZ_KGZ_1997"
    assert "UN1988" in codes
    kinds = _kinds(codes)
    ranks = [list(InstrumentKind.values).index(kind) for kind in kinds]
    assert ranks == sorted(ranks)
    assert InstrumentKind.REGIONAL in kinds


def test_each_instrument_says_why_it_applies_and_what_to_cite(officer: Client) -> None:
    html = officer.get(FINDER, KAZ_KGZ_DRUGS).content.decode()
    answer = finder.find(finder.parse_query("KAZ", "KGZ", "extradition", "0601", None))
    un1988 = next(item for item in answer.instruments if item.code == "UN1988")
    for reason in un1988.reasons:
        assert reason.replace("'", "&#x27;") in html or reason in html
    for article in un1988.articles:
        assert article.article in html
    assert un1988.citation in html
    assert "Articles to cite" in html
    assert "Sources:" in html


def test_uncertain_data_shows_caveats_with_the_confidence(officer: Client) -> None:
    answer = finder.find(finder.parse_query("KAZ", "KGZ", "extradition", "0601", None))
    uncertain = [item for item in answer.instruments if item.caveats]
    assert uncertain, "the dataset has medium and low confidence rows for KAZ-KGZ"
    html = officer.get(FINDER, KAZ_KGZ_DRUGS).content.decode()
    assert 'data-testid="caveats"' in html
    assert "Low confidence" in html or "Medium confidence" in html


def test_instruments_that_do_not_apply_are_listed_apart_with_the_reason(
    officer: Client,
) -> None:
    answer = finder.find(finder.parse_query("KAZ", "KGZ", "extradition", "0601", None))
    assert answer.excluded
    before, excluded = (
        officer.get(FINDER, KAZ_KGZ_DRUGS).content.decode().split('data-testid="finder-excluded"')
    )
    assert before.rstrip().endswith('<details class="mb-3"')
    for item in answer.excluded:
        assert f"instruments/{item.code}/" in excluded
        assert escape(item.reasons[0]) in excluded


def test_a_date_before_the_treaties_explains_the_reciprocity_fallback(officer: Client) -> None:
    response = officer.get(FINDER, {**KAZ_KGZ_DRUGS, "date": "1990-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="finder-fallback"' in html
    assert "reciprocity" in html
    assert _instrument_order(html.split('data-testid="finder-excluded"')[0]) == []


def test_an_extradition_question_notes_own_nationals_where_the_data_says_so(
    officer: Client,
) -> None:
    answer = finder.find(finder.parse_query("KAZ", "KGZ", "extradition", "0601", None))
    html = officer.get(FINDER, KAZ_KGZ_DRUGS).content.decode()
    for note in answer.notes:
        assert note.split(" (")[0].replace("'", "&#x27;") in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"to": "XYZ"}, "to", "Select a valid choice"),
        ({"offence": "9999"}, "offence", "Select a valid choice"),
        ({"measure": "teleportation"}, "measure", "Select a valid choice"),
        ({"date": "28/11/2026"}, "date", "Enter a valid date"),
        ({"to": "KAZ"}, "to", "must differ from the requesting state"),
    ],
)
def test_bad_input_is_a_form_error_not_a_traceback(
    officer: Client, params: dict[str, str], field: str | None, message: str
) -> None:
    response = officer.get(FINDER, {**KAZ_KGZ_DRUGS, **params})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="finder-errors"' in html
    assert message in html
    if field:
        assert f'id="id_{field}_error"' in html
    assert 'data-testid="finder-answer"' not in html


def test_errors_come_in_the_users_language(personas: Personas) -> None:
    client = _client(personas.requesting_officer)
    client.cookies["django_language"] = "ru"
    html = client.get(FINDER, {**KAZ_KGZ_DRUGS, "to": "XYZ"}).content.decode()
    assert 'lang="ru"' in html
    assert "Select a valid choice" not in html


def test_htmx_gets_the_form_and_answer_without_the_page(officer: Client) -> None:
    response = officer.get(
        FINDER, KAZ_KGZ_DRUGS, headers={"HX-Request": "true", "HX-Target": "finder-body"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="finder-answer"' in html
    assert "HX-Target" in response["Vary"]


def test_the_answer_page_needs_a_few_queries(
    officer: Client, warm: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(FINDER_QUERIES):
        response = officer.get(FINDER, KAZ_KGZ_DRUGS)
    assert response.status_code == 200


# ------------------------------------------------------------------ the panel


def _panel(client: Client, **params: str | list[str]) -> str:
    base: dict[str, str | list[str]] = {
        "type": "extradition",
        "requested_state": "KGZ",
        "requested_authority": "",
        "offences-0-iccs": "0601",
    }
    response = client.get(PANEL, {**base, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_answers_for_the_request_being_drafted(officer: Client) -> None:
    html = _panel(officer)
    assert "<html" not in html
    codes = _instrument_order(html)
    assert codes[0] == "BIL_EXT_KAZ_KGZ_1997"
    assert {"UN1988", "UNTOC"} <= set(codes)
    assert html.count("data-legal-basis-choice") == len(codes)
    assert "use as legal basis" in html


def test_the_panel_follows_the_request_type(officer: Client) -> None:
    codes = _instrument_order(_panel(officer, type="mla"))
    assert "BIL_EXT_KAZ_KGZ_1997" not in codes
    assert "BIL_MLA_KAZ_KGZ_1996" in codes


def test_the_panel_reads_the_first_offence_that_is_filled_in(officer: Client) -> None:
    html = _panel(officer, **{"offences-0-iccs": "", "offences-1-iccs": "0601"})
    assert "UN1988" in _instrument_order(html)


def test_the_panel_finds_the_state_from_the_chosen_authority(
    officer: Client, personas: Personas
) -> None:
    html = _panel(officer, requested_state="", requested_authority=str(personas.kgz.public_id))
    assert "BIL_EXT_KAZ_KGZ_1997" in _instrument_order(html)


def test_the_panel_says_what_it_still_needs(officer: Client) -> None:
    assert "requested state" in _panel(officer, requested_state="")
    assert "requested state" in _panel(
        officer, requested_state="", requested_authority="not-a-uuid"
    )
    assert "offence" in _panel(officer, **{"offences-0-iccs": ""})
    html = _panel(officer, type="teleportation")
    assert 'data-testid="legal-basis-reason"' in html
    assert "teleportation" in html


def test_the_panel_ticks_the_instruments_already_chosen_and_keeps_the_others(
    officer: Client,
) -> None:
    html = _panel(officer, legal_basis_codes=["UN1988", "COE_ETS024_EXTRADITION"])
    assert re.search(r'value="UN1988"\s+data-legal-basis-choice[^>]*checked', html)
    assert not re.search(r'value="UNTOC"\s+data-legal-basis-choice[^>]*checked', html)
    assert "Chosen earlier, not in this answer" in html
    assert re.search(r'value="COE_ETS024_EXTRADITION"[^>]*checked', html)


def test_the_panel_needs_a_few_queries(
    officer: Client, warm: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(PANEL_QUERIES):
        _panel(officer)


# ------------------------------------------------------------------ instruments


def test_the_list_groups_instruments_by_kind(
    officer: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(LIST_QUERIES):
        response = officer.get(INSTRUMENTS)
    html = response.content.decode()
    positions = [html.index(f'id="kind-{kind}"') for kind in InstrumentKind.values]
    assert positions == sorted(positions)
    for code in ("UNTOC", "CIS_MINSK_1993", "BIL_EXT_KAZ_KGZ_1997"):
        assert reverse("treaties:instrument", kwargs={"code": code}) in html


def test_the_detail_shows_parties_with_sources_and_computed_dates(
    officer: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("treaties:instrument", kwargs={"code": "UNTOC"})
    with django_assert_num_queries(DETAIL_QUERIES):
        response = officer.get(url)
    html = response.content.decode()
    instrument = Instrument.objects.get(code="UNTOC")
    assert instrument.title_en in html
    parties = Participation.objects.filter(instrument=instrument)
    assert html.count("<tr>") >= parties.count()
    computed = [p for p in parties if p.effective_entry_into_force()[1] and p.deposited]
    if computed and instrument.eif_days_after_deposit:
        assert f"(+{instrument.eif_days_after_deposit} days)" in html
    kgz = parties.get(state__iso3="KGZ")
    assert kgz.source[:40] in html
    assert "Recent changes" in html


def test_the_detail_links_what_it_replaces(officer: Client) -> None:
    newer = Instrument.objects.filter(supersedes__isnull=False).first()
    assert newer is not None, "the dataset records Chisinau 2002 replacing Minsk 1993"
    html = officer.get(reverse("treaties:instrument", kwargs={"code": newer.code})).content
    older = newer.supersedes.first()
    assert older is not None
    assert reverse("treaties:instrument", kwargs={"code": older.code}) in html.decode()


def test_only_those_who_manage_treaties_see_the_link_to_correct_the_data(
    personas: Personas,
) -> None:
    url = reverse("treaties:instrument", kwargs={"code": "UNTOC"})
    assert (
        'data-testid="correct-data"'
        not in _client(personas.requesting_officer).get(url).content.decode()
    )
    html = _client(personas.coordinator).get(url).content.decode()
    instrument = Instrument.objects.get(code="UNTOC")
    admin_url = reverse("admin:treaties_instrument_change", args=[instrument.pk])
    assert f'href="{admin_url}"' in html


def test_a_coordinators_correction_shows_as_the_last_change(
    officer: Client, personas: Personas
) -> None:
    shipped = Path(loader.__file__).parent / "reference" / "parties.csv"
    with shipped.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        row = next(r for r in reader if (r["state_iso3"], r["instrument_code"]) == ("KGZ", "UNTOC"))
        columns = reader.fieldnames or []
    row["caveat"] = "Checked again against the depositary's page."
    corrected = io.StringIO()
    writer = csv.DictWriter(corrected, fieldnames=columns)
    writer.writeheader()
    writer.writerow(row)
    corrected.seek(0)
    loader.import_csv("parties", corrected, user=personas.coordinator)

    html = officer.get(reverse("treaties:instrument", kwargs={"code": "UNTOC"})).content.decode()
    last_changed = html.split('data-testid="last-changed"')[1][:200]
    assert f'datetime="{timezone.localdate().isoformat()}' in last_changed
    changes = html.split('data-testid="changes"')[1].split("</ul>")[0]
    latest = changes.split("<li>")[1]
    assert "Party: KGZ" in latest
    assert personas.coordinator.display_name in changes
    assert "Checked again against the depositary" in html
