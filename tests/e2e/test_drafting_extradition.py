"""Drafting an extradition request in a real browser, in Russian, from empty to submitted.

kaz.officer opens a new request, chooses extradition (the form shows the extradition part),
addresses it to Kyrgyzstan and types; the form saves itself, moves to the draft's edit page,
and the list of missing items beside it shrinks as the fields are filled, down to nothing;
then the request is submitted. A second test closes the tab before the form could save and
finds the typing offered back from the browser's copy. axe-core checks the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from comity.cooperation.models import Request
from tests.e2e.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT = "#draft-checks [data-missing-count]"


def _switch_to_russian(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def _missing(page: Page) -> int:
    return int(page.locator(COUNT).get_attribute("data-missing-count") or "0")


def _fewer_than(page: Page, before: int) -> int:
    """Wait for the autosave to come back with a shorter list."""
    page.wait_for_function(
        """before => {
            const count = document.querySelector('#draft-checks [data-missing-count]');
            return count && Number(count.dataset.missingCount) < before;
        }""",
        arg=before,
    )
    return _missing(page)


def test_an_officer_drafts_an_extradition_request_in_russian_until_nothing_is_missing(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "kaz.officer", PASSWORD)
    _switch_to_russian(page)
    page.goto(f"{base}/requests/new/")
    assert_accessible(page)

    # The type decides the parts of the form, re-rendered by the server.
    page.locator("#id_type").select_option("extradition")
    expect(page.locator('#type-sections > [data-part="extradition"]')).to_be_visible()
    expect(page.locator("[data-other-parts] #assistance_sought-section")).to_be_attached()
    counts = [_missing(page)]

    # The first save needs the addressee and a title; it creates the draft.
    page.locator("#id_requested_state").select_option("KGZ")
    page.locator("#id_title").fill("Экстрадиция Нурлана Ахметова")
    expect(page).to_have_url(re.compile(r"/requests/[0-9a-f-]{36}/edit/$"), timeout=10_000)
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    counts.append(_fewer_than(page, counts[-1]))

    page.locator("#id_summary_of_facts").fill(
        "В 2024–2026 годах Ахметов организовал перевозку героина через Ош в Алматы."
    )
    page.locator("#id_offences-0-iccs").select_option("0601")
    page.locator("#id_offences-0-provision").fill("Ст. 297 УК РК")
    page.locator("#id_max_penalty").fill("до 15 лет лишения свободы")
    page.locator("#id_max_penalty_years").fill("15")
    counts.append(_fewer_than(page, counts[-1]))

    page.locator("#id_persons-0-role").select_option("person_sought")
    page.locator("#id_persons-0-name").fill("Нурлан Ахметов")
    page.locator("#id_persons-0-birth_date").fill("1984-03-02")
    page.locator("#id_persons-0-nationality").select_option("KAZ")
    page.locator("#id_persons-0-details").fill("Рост 180 см; паспорт N1234567; живёт в Бишкеке.")
    counts.append(_fewer_than(page, counts[-1]))

    page.locator("#id_extradition_basis").select_option("prosecution")
    page.locator("#id_warrant_reference").fill("7-142/2026")
    page.locator("#id_warrant_date").fill("2026-01-15")
    page.locator("#id_warrant_authority").fill("Специализированный следственный суд г. Алматы")
    counts.append(_fewer_than(page, counts[-1]))

    assert counts == sorted(counts, reverse=True) and len(set(counts)) == len(counts), counts
    assert counts[-1] == 0, counts
    expect(page.locator('#draft-checks [data-missing-count="0"]')).to_be_visible()
    # Once the server has all the typing, the browser keeps no copy of it.
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('comity.draft.'))"
    )
    assert_accessible(page)

    page.locator('button[name="then_submit"]').click()
    expect(page).to_have_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    request = Request.objects.get()
    assert request.status == "submitted"
    assert request.warrant_reference == "7-142/2026"
    assert request.persons.get().name == "Нурлан Ахметов"


def test_typing_lost_with_a_closed_tab_is_offered_back(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(f"{base}/requests/new/")
    page.locator("#id_requested_state").select_option("KGZ")
    page.locator("#id_title").fill("Bank records of a trafficking network")
    expect(page).to_have_url(re.compile(r"/edit/$"), timeout=10_000)
    edit_url = page.url

    # Typed, then the tab is closed before the pause that would have saved it.
    page.locator("#id_purpose").fill("To trace the proceeds.")
    page.close()

    again = page.context.new_page()
    again.goto(edit_url)
    offer = again.locator("[data-restore-offer]")
    expect(offer).to_be_visible()
    expect(again.locator("#id_purpose")).to_have_value("")
    offer.locator("[data-restore]").click()
    expect(again.locator("#id_purpose")).to_have_value("To trace the proceeds.")
    expect(again.locator("#autosave-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    assert_accessible(again)
    request = Request.objects.get()
    request.refresh_from_db()
    assert request.purpose == "To trace the proceeds."


def _on_retype(page: Page, handle: Callable[[Route], object]) -> None:
    """Hand the form's change-of-type requests to ``handle``; let everything else through."""

    def route(request: Route) -> None:
        sent = request.request
        if sent.method == "POST" and "retype=1" in (sent.post_data or ""):
            handle(request)
        else:
            request.continue_()

    page.route(re.compile(r"/requests/new/$"), route)


def test_the_parts_cannot_be_typed_into_while_a_new_type_loads(
    page: Page, live_server: object, personas: Personas
) -> None:
    """On a slow link, the answer to a change of type replaces the type's parts: text typed
    into them meanwhile would be lost. Until it arrives they take no input, and say why."""
    base = str(live_server)
    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(f"{base}/requests/new/")
    provision = page.locator("#id_offences-0-provision")
    expect(provision).to_be_editable()

    held: list[Route] = []
    _on_retype(page, held.append)  # answered below, as a slow link would, later
    page.locator("#id_type").select_option("extradition")
    sections = page.locator("#type-sections")
    expect(sections).to_have_attribute("aria-busy", "true")
    expect(page.locator("[data-retype-status]")).to_contain_text("Loading the parts")
    assert held, "the change of type was not sent"

    # A click into the offence and typing: nothing reaches the field.
    box = provision.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.type("Art. 297")
    assert provision.input_value() == ""
    assert page.evaluate("document.activeElement.id") != "id_offences-0-provision"

    held[0].continue_()
    expect(page.locator('#type-sections > [data-part="extradition"]')).to_be_visible()
    expect(page.locator("#type-sections")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("[data-retype-status]")).to_have_text("")
    assert page.evaluate("document.getElementById('type-sections').inert") is False
    page.locator("#id_offences-0-provision").fill("Art. 297")
    expect(page.locator("#id_offences-0-provision")).to_have_value("Art. 297")
    assert_accessible(page)


def test_the_parts_are_kept_when_the_new_type_cannot_load(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    sign_in(page, base, "kaz.officer", PASSWORD)
    page.goto(f"{base}/requests/new/")
    page.locator("#id_offences-0-provision").fill("Art. 297")

    _on_retype(page, lambda route: route.abort("internetdisconnected"))
    page.locator("#id_type").select_option("extradition")
    expect(page.locator("[data-retype-status]")).to_contain_text("could not be loaded")
    expect(page.locator("#type-sections")).not_to_have_attribute("aria-busy", "true")
    assert page.evaluate("document.getElementById('type-sections').inert") is False
    expect(page.locator("#id_offences-0-provision")).to_have_value("Art. 297")
    expect(page.locator("#id_offences-0-provision")).to_be_editable()
