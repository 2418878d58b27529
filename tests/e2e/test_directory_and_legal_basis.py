"""The directory and the legal-basis finder in a real browser, in Russian.

kaz.officer finds Kyrgyzstan's central authority by typing its Russian name, opens it, then
drafts an extradition request to Kyrgyzstan for drug trafficking, opens the legal-basis
panel, sees the bilateral agreement, the regional CIS convention and the UN conventions with
their articles, chooses them and saves the draft; the request shows the stored legal basis.
axe-core checks the directory, the finder page and the form with the panel open.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from comity.cooperation.models import Request
from tests.e2e.conftest import assert_accessible, sign_in
from tests.personas import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BILATERAL = "BIL_EXT_KAZ_KGZ_1997"


def _switch_to_russian(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def _find_kyrgyz_central_authority(page: Page, base: str) -> None:
    page.goto(f"{base}/directory/")
    assert_accessible(page)
    page.get_by_role("searchbox").fill("Генеральная прокуратура Кыргыз")
    page.get_by_role("searchbox").press("Enter")
    # Typing also searches live (htmx): let the submitted search and any live swap settle,
    # so that the link clicked is the one on the page, not one being replaced.
    expect(page).to_have_url(re.compile(r"[?&]q="))
    page.wait_for_load_state("networkidle")
    link = page.locator("#authority-table a[href$='/directory/authorities/kgz-gpo/']")
    expect(link).to_be_visible()
    expect(link).to_contain_text("прокуратура")
    link.click()
    expect(page).to_have_url(re.compile(r"/directory/authorities/kgz-gpo/$"), timeout=15_000)
    expect(page.locator("h1")).to_contain_text("Кыргыз")


def _start_an_extradition_request(page: Page, base: str) -> None:
    page.goto(f"{base}/requests/new/")
    page.locator("#id_type").select_option("extradition")
    # The type re-renders its parts on the server: let that land before filling them in
    # (a slow answer would replace what was typed meanwhile).
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.locator("#id_requested_state").select_option("KGZ")
    page.locator("#id_title").fill("Экстрадиция по делу о наркотиках")
    page.locator("#id_proceedings_reference").fill("KZ-2026-0317")
    page.locator("#id_offences-0-iccs").select_option("0601")
    page.locator("#id_offences-0-provision").fill("Ст. 297 УК РК")


def _open_the_panel(page: Page) -> Locator:
    toggle = page.locator("#legal-basis-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    results = page.locator("#legal-basis-results")
    expect(results.locator(f'[data-instrument="{BILATERAL}"]')).to_be_visible()
    return results


def _expect_the_instruments(results: Locator) -> list[str]:
    codes = [
        code
        for code in results.locator("[data-instrument]").evaluate_all(
            "cards => cards.map(card => card.getAttribute('data-instrument'))"
        )
        if code
    ]
    assert codes[0] == BILATERAL, codes
    regional = [code for code in codes if code.startswith("CIS_")]
    assert regional, codes
    assert codes.index(regional[0]) < codes.index("UN1988"), codes
    assert "UNTOC" in codes, codes
    un1988 = results.locator('[data-instrument="UN1988"]')
    expect(un1988.locator("li").first).to_be_visible()  # its articles
    expect(un1988).to_contain_text("6")  # art. 6, extradition
    return [BILATERAL, regional[0], "UN1988", "UNTOC"]


def _choose(page: Page, results: Locator, chosen: list[str]) -> str:
    for code in chosen:
        results.locator(f'[data-instrument="{code}"] [data-legal-basis-choice]').check()
    citations = [
        results.locator(f'[data-instrument="{code}"] [data-legal-basis-choice]').get_attribute(
            "data-citation"
        )
        for code in chosen
    ]
    text = "; ".join(c or "" for c in citations)
    expect(page.locator("#id_legal_basis")).to_have_value(text)
    hidden = page.locator('[data-legal-basis-codes] input[name="legal_basis_codes"]')
    assert hidden.evaluate_all("inputs => inputs.map(i => i.value)") == chosen
    return text


def test_an_officer_finds_the_authority_and_the_legal_basis_in_russian(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "kaz.officer", PASSWORD)
    _switch_to_russian(page)

    _find_kyrgyz_central_authority(page, base)

    _start_an_extradition_request(page, base)
    results = _open_the_panel(page)
    chosen = _expect_the_instruments(results)
    assert_accessible(page)

    # The panel follows the form: an MLA request rests on the bilateral MLA agreement.
    page.locator("#id_type").select_option("mla")
    expect(results.locator('[data-instrument="BIL_MLA_KAZ_KGZ_1996"]')).to_be_visible()
    page.locator("#id_type").select_option("extradition")
    expect(results.locator(f'[data-instrument="{BILATERAL}"]')).to_be_visible()

    legal_basis = _choose(page, results, chosen)
    page.locator("form[data-draft-form] button.btn-primary[type=submit]").click()
    expect(page.locator("#request-status")).to_be_visible()

    request = Request.objects.get(requested_state__iso3="KGZ")
    assert request.legal_basis_codes == chosen
    assert request.legal_basis == legal_basis
    stored = page.locator('[data-testid="legal-basis-codes"]')
    for code in chosen:
        expect(stored.locator(f'a[href$="/legal-basis/instruments/{code}/"]')).to_be_visible()
    expect(page.locator("#contents")).to_contain_text(legal_basis)


def test_the_finder_page_answers_in_place_and_is_accessible(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    sign_in(page, base, "kaz.officer", PASSWORD)
    _switch_to_russian(page)
    page.goto(f"{base}/legal-basis/")
    expect(page.locator("#id_from")).to_have_value("KAZ")
    assert_accessible(page)
    page.locator("#id_to").select_option("KGZ")
    page.locator("#id_measure").select_option("extradition")
    page.locator("#id_offence").select_option("0601")
    page.evaluate("window.comityNoReload = true")
    page.locator("#finder-body form button[type=submit]").click()
    answer = page.locator('[data-testid="finder-answer"]')
    expect(answer.locator(f'[data-instrument="{BILATERAL}"]')).to_be_visible()
    # The answer came in place (htmx), and the address can be shared.
    assert page.evaluate("window.comityNoReload") is True
    expect(page).to_have_url(re.compile(r"to=KGZ.*offence=0601"))
    assert_accessible(page)

    page.locator(f'[data-instrument="{BILATERAL}"] h4 a').click()
    expect(page).to_have_url(re.compile(rf"/legal-basis/instruments/{BILATERAL}/$"))
    expect(page.locator('[data-testid="parties"] tbody tr')).to_have_count(2)
    assert_accessible(page)
